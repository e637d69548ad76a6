package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Sign returns the value Glomo puts in the [SignatureHeader] header: the
// lowercase hex HMAC-SHA256 of body keyed with secret. It is exported so that
// mock servers and tests can produce deliveries that [Verify] accepts; it
// signs the bytes exactly as given, so send exactly those bytes.
func Sign(secret string, body []byte) string {
	return hex.EncodeToString(mac(secret, body))
}

func mac(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

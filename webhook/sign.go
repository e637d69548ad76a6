// Package webhook verifies, decodes and dispatches the webhooks Glomo sends.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Sign returns the signature Glomo puts in the X-Glomopay-Signature header:
// the lowercase hex HMAC-SHA256 of body keyed with secret. It is exported so
// mock servers and tests can produce webhooks that Verify accepts.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/gowebpki/jcs"
)

// SignatureHeader is the request header in which Glomo sends the signature.
// Go's http.Header canonicalises names, so look it up with Header.Get rather
// than by indexing the map.
const SignatureHeader = "X-Glomopay-Signature"

// Errors returned by [Verify] and [Parse]. They never contain the secret,
// the expected signature or the body, so they are safe to log.
var (
	// ErrMissingSecret means Verify was called with an empty secret. It is a
	// configuration error: an HMAC keyed with "" is trivially forgeable, so
	// the delivery is refused rather than checked.
	ErrMissingSecret = errors.New("webhook: no webhook secret configured")

	// ErrMissingSignature means the request carried no signature header (or
	// an empty one): the delivery did not come from Glomo, or a proxy
	// dropped the header.
	ErrMissingSignature = errors.New("webhook: missing " + SignatureHeader + " header")

	// ErrMalformedSignature means the header is not 64 hex digits, so it
	// cannot be an HMAC-SHA256 at all. errors.Is(err, ErrInvalidSignature)
	// is also true for it, so callers that only care about "reject" need one
	// check.
	ErrMalformedSignature error = &malformedError{}

	// ErrInvalidSignature means the signature does not match the body under
	// either accepted scheme: the body was altered, the secret is wrong, or
	// the sender is not Glomo.
	ErrInvalidSignature = errors.New("webhook: signature does not match the body")
)

type malformedError struct{}

func (*malformedError) Error() string {
	return "webhook: signature header is not 64 hex digits"
}

func (*malformedError) Is(target error) bool { return target == ErrInvalidSignature }

// Verify reports whether signatureHeader is Glomo's signature of body, and
// returns nil if it is.
//
// Glomo's documentation disagrees on what is signed: its own client signs
// the raw bytes, while a newer docs page signs the RFC 8785 (JCS) canonical
// form of the JSON. Verify therefore checks the raw bytes first and, only if
// that fails, the canonical form of body. Both comparisons are constant time
// (hmac.Equal). Pass the body exactly as received: re-encoding it first would
// break the raw-bytes check.
//
// The header is matched case-insensitively as hex and may be surrounded by
// white space; anything else is [ErrMalformedSignature].
func Verify(secret string, body []byte, signatureHeader string) error {
	if secret == "" {
		return ErrMissingSecret
	}
	sig := strings.TrimSpace(signatureHeader)
	if sig == "" {
		return ErrMissingSignature
	}
	if len(sig) != hex.EncodedLen(sha256.Size) {
		return ErrMalformedSignature
	}
	got := make([]byte, sha256.Size)
	if _, err := hex.Decode(got, []byte(sig)); err != nil {
		return ErrMalformedSignature
	}
	if hmac.Equal(got, mac(secret, body)) {
		return nil
	}
	canonical, err := jcs.Transform(body)
	if err != nil || bytes.Equal(canonical, body) {
		// Not JSON (so it has no canonical form), or already canonical and
		// so already checked: nothing else to try.
		return ErrInvalidSignature
	}
	if hmac.Equal(got, mac(secret, canonical)) {
		return nil
	}
	return ErrInvalidSignature
}

package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

// MaxCanonicalBytes is the largest body whose RFC 8785 canonical form
// [Verify] will compute when the raw bytes do not match. Canonicalising is
// the one step whose cost an unauthenticated sender controls (about half a
// second for a megabyte of numbers), so it is bounded: Glomo's deliveries
// are a few kilobytes, and a larger body still verifies when its raw bytes
// were signed.
const MaxCanonicalBytes = 64 << 10

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
// The canonical form is tried only for a body of at most [MaxCanonicalBytes]
// that is a valid JSON object, checks cheap enough that refusing an unsigned
// body costs about one HMAC of it.
//
// When the canonical form matched, the bytes that were signed are not body
// itself: numbers such as 29900.0, 2.99e4 and 299E2 share the canonical form
// 29900, so decoding body would read values nobody signed. To decode,
// verify with [VerifiedBody] and decode the bytes it returns, as [Handler]
// does.
//
// The header is matched case-insensitively as hex and may be surrounded by
// white space; anything else is [ErrMalformedSignature].
func Verify(secret string, body []byte, signatureHeader string) error {
	_, err := VerifiedBody(secret, body, signatureHeader)
	return err
}

// VerifiedBody is [Verify] returning the bytes the signature covers: body
// itself when its raw bytes were signed, or its canonical form when that was
// signed. Decode those bytes, never body, so that what reaches your code is
// exactly what Glomo signed. The error is the one Verify returns, and the
// bytes are nil with it.
func VerifiedBody(secret string, body []byte, signatureHeader string) ([]byte, error) {
	if secret == "" {
		return nil, ErrMissingSecret
	}
	sig := strings.TrimSpace(signatureHeader)
	if sig == "" {
		return nil, ErrMissingSignature
	}
	if len(sig) != hex.EncodedLen(sha256.Size) {
		return nil, ErrMalformedSignature
	}
	got := make([]byte, sha256.Size)
	if _, err := hex.Decode(got, []byte(sig)); err != nil {
		return nil, ErrMalformedSignature
	}
	if hmac.Equal(got, mac(secret, body)) {
		return body, nil
	}
	if !canonicalCandidate(body) {
		return nil, ErrInvalidSignature
	}
	canonical, err := jcs.Transform(body)
	if err != nil || bytes.Equal(canonical, body) {
		// No canonical form, or already canonical and so already checked:
		// nothing else to try.
		return nil, ErrInvalidSignature
	}
	if hmac.Equal(got, mac(secret, canonical)) {
		return canonical, nil
	}
	return nil, ErrInvalidSignature
}

// canonicalCandidate reports whether body is worth canonicalising: small
// enough, a JSON object (every delivery is an envelope object) and valid
// JSON. json.Valid is about a hundred times cheaper than canonicalising the
// same bytes, and it also refuses nesting deeper than encoding/json allows.
func canonicalCandidate(body []byte) bool {
	if len(body) > MaxCanonicalBytes {
		return false
	}
	t := bytes.TrimLeft(body, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && json.Valid(t)
}

package wrapper

import (
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
)

// redacted replaces a secret wherever it could be printed.
const redacted = "[REDACTED]"

// secret holds the API key. Every way of printing it prints [REDACTED].
type secret string

// String implements fmt.Stringer.
func (secret) String() string { return redacted }

// GoString implements fmt.GoStringer.
func (secret) GoString() string { return redacted }

// LogValue implements slog.LogValuer.
func (secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// Format implements fmt.Formatter, so %s, %v, %+v, %#v, %q and %x all redact.
func (secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalText keeps the key out of JSON and text encodings.
func (secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Secrets in text the server wrote: the value of any JSON member whose name
// says it holds a secret (secret_key, api_key, access_token, password...),
// a bearer credential, and JWT-shaped tokens.
var (
	secretMember = regexp.MustCompile(`(?i)("[a-z0-9_\-]*(?:secret|api_?key|token|password|authorization)[a-z0-9_\-]*"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	bearerToken  = regexp.MustCompile(`(?i)\b(bearer\s+)[^\s"',;}\]]+`)
	jwtShaped    = regexp.MustCompile(`\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*`)
)

// redact is the client's one redaction of text that may carry secrets: log
// lines with bodies, and the parts of error strings that come from the
// server. It removes the client's own key wherever it appears, then values
// shaped like a secret.
func (s secret) redact(text string) string {
	if text == "" {
		return text
	}
	if s != "" && strings.Contains(text, string(s)) {
		text = strings.ReplaceAll(text, string(s), redacted)
	}
	if !mayHoldSecret(text) {
		return text
	}
	text = secretMember.ReplaceAllString(text, `$1"`+redacted+`"`)
	text = bearerToken.ReplaceAllString(text, "${1}"+redacted)
	return jwtShaped.ReplaceAllString(text, redacted)
}

// mayHoldSecret is a cheap pre-check so ordinary text skips the regexps.
func mayHoldSecret(text string) bool {
	l := strings.ToLower(text)
	for _, w := range []string{"secret", "key", "token", "password", "authorization", "bearer", "eyj"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// quoteShort quotes at most the first 32 bytes of s, for error messages
// about caller input.
func quoteShort(s string) string {
	if len(s) > 32 {
		return fmt.Sprintf("%q…", s[:32])
	}
	return fmt.Sprintf("%q", s)
}

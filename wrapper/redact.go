package wrapper

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// redacted replaces a secret wherever it could be printed.
const redacted = "[REDACTED]"

// secret holds the API key. Every way of printing it prints [REDACTED].
type secret string

// String implements fmt.Stringer.
func (secret) String() string { return redacted }

// LogValue implements slog.LogValuer.
func (secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// Format implements fmt.Formatter, so %s, %v, %+v, %#v, %q and %x all
// redact (fmt asks a Formatter before a GoStringer).
func (secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalText keeps the key out of JSON and text encodings.
func (secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// redact is the client's one redaction of text that may carry secrets: log
// lines with bodies, and the parts of error strings that come from the
// server. It removes the client's own key wherever it appears, then
//   - the string value of any JSON member whose name says it holds a secret
//     (secret_key, api_key, access_token, password, authorization...),
//   - a bearer credential ("Bearer <token>"),
//   - JWT-shaped tokens (eyJ….….…),
//
// and reads a JSON string holding an escape decoded, so that no escape
// hides one ("\u0073k_…", "Bearer\t…"): what it decodes to is redacted and
// the string written again.
//
// It is a plain scan rather than regular expressions, which would add the
// regexp package to every program that imports the wrapper.
func (s secret) redact(text string) string {
	if text == "" {
		return text
	}
	if s != "" && strings.Contains(text, string(s)) {
		text = strings.ReplaceAll(text, string(s), redacted)
	}
	if !strings.Contains(text, `\`) && !mayHoldSecret(text) {
		return text
	}
	return s.redactScan(text)
}

// redactScan replaces secret-shaped values in text.
func (s secret) redactScan(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); {
		if n := secretMemberValue(text, i); n > 0 {
			// text[i:n] is `"name"<ws>:<ws>`; the quoted value follows.
			b.WriteString(text[i:n])
			b.WriteString(`"` + redacted + `"`)
			i = skipString(text, n)
			continue
		}
		if str, ok := decodeEscaped(text, i); ok {
			end := skipString(text, i)
			if r := s.redact(str); r != str {
				q, _ := json.Marshal(r)
				b.Write(q)
			} else {
				b.WriteString(text[i:end])
			}
			i = end
			continue
		}
		if n := bearerToken(text, i); n > 0 {
			b.WriteString(text[i:n])
			b.WriteString(redacted)
			i = tokenEnd(text, n)
			continue
		}
		if end := jwtEnd(text, i); end > 0 {
			b.WriteString(redacted)
			i = end
			continue
		}
		b.WriteByte(text[i])
		i++
	}
	return b.String()
}

// decodeEscaped: at text[i] starts a JSON string holding an escape; it
// returns the string decoded.
func decodeEscaped(text string, i int) (string, bool) {
	if text[i] != '"' {
		return "", false
	}
	raw := text[i:skipString(text, i)]
	var str string
	if !strings.Contains(raw, `\`) || json.Unmarshal([]byte(raw), &str) != nil {
		return "", false
	}
	return str, true
}

// secretWords mark member names and text that may hold a secret.
var secretWords = []string{"secret", "api_key", "apikey", "token", "password", "authorization"}

// mayHoldSecret is a cheap pre-check so ordinary text skips the scan.
func mayHoldSecret(text string) bool {
	l := strings.ToLower(text)
	return secretName(l) || strings.Contains(l, "bearer") || strings.Contains(l, "eyj")
}

// secretMemberValue: at text[i] starts `"name": "` with a secret-sounding
// name; it returns the offset of the value's opening quote, else 0.
func secretMemberValue(text string, i int) int {
	if text[i] != '"' {
		return 0
	}
	end := skipString(text, i)
	name, escaped := decodeEscaped(text, i)
	if !escaped && end-i >= 2 {
		name = text[i+1 : end-1]
	}
	if end-i < 3 || !secretName(name) {
		return 0
	}
	rest := strings.TrimLeft(text[end:], jsonSpace)
	if !strings.HasPrefix(rest, ":") {
		return 0
	}
	rest = strings.TrimLeft(rest[1:], jsonSpace)
	if !strings.HasPrefix(rest, `"`) {
		return 0
	}
	return len(text) - len(rest)
}

// skipString returns the offset after the JSON string starting at text[i]
// ('"'), at most len(text): an error body cut at maxErrorBody may end inside
// an escape.
func skipString(text string, i int) int {
	for i++; i < len(text); i++ {
		switch text[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return min(i, len(text))
}

// bearerToken: at text[i] starts "bearer" and blanks; it returns the offset
// of the token after them, else 0.
func bearerToken(text string, i int) int {
	const w = "bearer"
	if len(text)-i <= len(w) || !strings.EqualFold(text[i:i+len(w)], w) || (i > 0 && isBase64URL(text[i-1])) {
		return 0
	}
	j := i + len(w)
	k := j
	for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
		k++
	}
	if k == j || k >= len(text) || tokenEnd(text, k) == k {
		return 0
	}
	return k
}

// tokenEnd is the end of a credential starting at i.
func tokenEnd(text string, i int) int {
	for i < len(text) && !strings.ContainsRune(" \t\r\n\"',;}]", rune(text[i])) {
		i++
	}
	return i
}

// jwtEnd: at text[i] starts eyJ<8+>.<8+>.<*> (base64url parts); it returns
// the end of the token, else 0.
func jwtEnd(text string, i int) int {
	if !strings.HasPrefix(text[i:], "eyJ") || (i > 0 && isBase64URL(text[i-1])) {
		return 0
	}
	j := i
	for part := 0; part < 3; part++ {
		start := j
		for j < len(text) && isBase64URL(text[j]) {
			j++
		}
		if part < 2 && (j-start < 8 || j >= len(text) || text[j] != '.') {
			return 0
		}
		if part < 2 {
			j++
		}
	}
	return j
}

func isBase64URL(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// secretName: a member name that says its value is a secret.
func secretName(name string) bool {
	name = strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

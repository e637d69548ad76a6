package wrapper

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorBodyCutInsideAnEscape: an error body longer than maxErrorBody is
// cut there, which can fall just after a backslash inside a string. The
// redaction used to slice past the end of such a body and panic the
// caller's goroutine.
func TestErrorBodyCutInsideAnEscape(t *testing.T) {
	for _, prefix := range []string{`{"message":"`, `{"api_key":"`, `{"secret\u005fkey`} {
		pad := strings.Repeat("x", maxErrorBody-len(prefix)-1)
		body := prefix + pad + `\"` + strings.Repeat("y", 1000) + `"}`
		require.Equal(t, byte('\\'), body[maxErrorBody-1], "the cut falls right after the backslash")
		f := newFake(t, script(reply{status: 400, body: body}))
		h := newHarness(t, f, WithBodyLogging())
		var err error
		require.NotPanics(t, func() { _, err = h.c.GetPayoutById(t.Context(), "payout_1") })
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.NotEmpty(t, apiErr.Body)
		assert.LessOrEqual(t, len(apiErr.Body), maxErrorBody)
	}
	for _, text := range []string{`"`, `"\`, `"a\`, `{"token":"\`, `{"token\`, `"secret":`, `"secret": "`} {
		assert.NotPanics(t, func() { _ = secret(testKey).redact(text) }, text)
	}
}

// FuzzRedact: redaction never panics on any text and never lets the client's
// own key through, wherever the fuzzer puts it.
func FuzzRedact(f *testing.F) {
	for _, seed := range []string{
		`{"error":"Bad Request","message":"Bearer ` + testKey + `"}`,
		`{"api\u005fkey":"sk_other_1234567890abcdef"}`,
		`{"message":"x\`, `"\u0073k_`, `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZXJjaGFudCJ9.c2ln`,
	} {
		f.Add(seed, 0)
	}
	f.Fuzz(func(t *testing.T, text string, at int) {
		if at < 0 {
			at = -at
		}
		at %= len(text) + 1
		withKey := text[:at] + testKey + text[at:]
		out := secret(testKey).redact(withKey)
		if strings.Contains(out, testKey) {
			t.Fatalf("key survived redaction of %q", withKey)
		}
		_ = secret(testKey).redact(text)
	})
}

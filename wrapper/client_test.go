package wrapper

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRefusesBadConfig(t *testing.T) {
	t.Setenv(EnvAPIKey, "")
	cases := []struct {
		name  string
		opts  []Option
		field string
	}{
		{"empty key", nil, "APIKey"},
		{"blank key", []Option{WithAPIKey("   ")}, "APIKey"},
		{"publishable test key", []Option{WithAPIKey("test_abc123")}, "APIKey"},
		{"publishable live key", []Option{WithAPIKey("live_abc123")}, "APIKey"},
		{"key with whitespace", []Option{WithAPIKey("sk abc")}, "APIKey"},
		{"plain http", []Option{WithAPIKey(testKey), WithBaseURL("http://api.glomopay.com/api")}, "BaseURL"},
		{"ftp", []Option{WithAPIKey(testKey), WithBaseURL("ftp://api.glomopay.com/api")}, "BaseURL"},
		{"relative", []Option{WithAPIKey(testKey), WithBaseURL("/api")}, "BaseURL"},
		{"userinfo", []Option{WithAPIKey(testKey), WithBaseURL("https://u:p@api.glomopay.com/api")}, "BaseURL"},
		{"nil http client", []Option{WithAPIKey(testKey), WithHTTPClient(nil)}, "HTTPClient"},
		{"nil doer", []Option{WithAPIKey(testKey), WithHTTPDoer(nil)}, "HTTPDoer"},
		{"negative retries", []Option{WithAPIKey(testKey), WithMaxRetries(-1)}, "MaxRetries"},
		{"negative policy", []Option{WithAPIKey(testKey), WithRetryPolicy(RetryPolicy{MaxRetries: -2})}, "RetryPolicy.MaxRetries"},
		{"bad user agent", []Option{WithAPIKey(testKey), WithUserAgent("a\r\nb")}, "UserAgent"},
		{"bad body limit", []Option{WithAPIKey(testKey), WithMaxResponseBytes(0)}, "MaxResponseBytes"},
		// Issue 11 item 9: control characters would fail every request.
		{"key with NUL", []Option{WithAPIKey("sk_a\x00b")}, "APIKey"},
		{"key with ESC", []Option{WithAPIKey("sk_a\x1bb")}, "APIKey"},
		{"key with VT", []Option{WithAPIKey("sk_a\vb")}, "APIKey"},
		{"key with DEL", []Option{WithAPIKey("sk_a\x7fb")}, "APIKey"},
		// Issue 11 item 10: only localhost and loopback literals may use http.
		{"http to a .localhost name", []Option{WithAPIKey(testKey), WithBaseURL("http://evil.localhost/api")}, "BaseURL"},
		{"per-call option in New", []Option{WithAPIKey(testKey), WithRequestID("x")}, "RequestID"},
		{"bad header value", []Option{WithAPIKey(testKey), WithHeader("X-Trace", "a\r\nb")}, "Header X-Trace"},
		{"bad header name", []Option{WithAPIKey(testKey), WithHeader("X Trace", "a")}, "Header"},
		{"negative timeout", []Option{WithAPIKey(testKey), WithTimeout(-1)}, "Timeout"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			var ce *ConfigError
			require.True(t, errors.As(err, &ce), "%T", err)
			assert.Equal(t, tc.field, ce.Field)
			assert.Contains(t, err.Error(), tc.field)
			requireNoKey(t, err.Error())
		})
	}
}

func TestNewReadsEnvAndNormalisesBaseURL(t *testing.T) {
	t.Setenv(EnvAPIKey, testKey)
	c, err := New()
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.BaseURL())
	assert.NotNil(t, c.API())

	for in, want := range map[string]string{
		"https://api.glomopay.com/api/v1":   "https://api.glomopay.com/api",
		"https://api.glomopay.com/api/v1/":  "https://api.glomopay.com/api",
		"https://sandbox.example.com/api/":  "https://sandbox.example.com/api",
		"http://127.0.0.1:8080/api":         "http://127.0.0.1:8080/api",
		"http://localhost:9/api/v1":         "http://localhost:9/api",
		"http://[::1]:9":                    "http://[::1]:9",
		"https://api.glomopay.com":          "https://api.glomopay.com",
		"http://LOCALHOST:1234/api/v1":      "http://LOCALHOST:1234/api",
		"https://api.glomopay.com/api?":     "https://api.glomopay.com/api",
		"https://api.glomopay.com/api/v1/?": "https://api.glomopay.com/api",
	} {
		c, err := New(WithBaseURL(in), nil)
		require.NoError(t, err, in)
		assert.Equal(t, want, c.BaseURL(), in)
	}
}

func TestKeyIsRedactedEverywhere(t *testing.T) {
	var logs syncBuffer
	c, err := New(WithAPIKey(testKey), WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	type holder struct {
		C Client
		c Client
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%t", "%d"} {
		out := fmt.Sprintf(verb, c)
		requireNoKey(t, out)
		// Issue 11 item 7: by value, and inside a struct by value.
		requireNoKey(t, fmt.Sprintf(verb, *c))
		requireNoKey(t, fmt.Sprintf(verb, holder{*c, *c}))
		requireNoKey(t, fmt.Sprintf(verb, &holder{*c, *c}))
		out = fmt.Sprintf(verb, *c.cfg)
		requireNoKey(t, out)
		out = fmt.Sprintf(verb, c.cfg.creds.key)
		requireNoKey(t, out)
		assert.Contains(t, out, redacted)
	}
	for _, v := range []any{c.API(), *c.API(), c.cfg.doer} {
		requireNoKey(t, fmt.Sprintf("%+v", v))
		requireNoKey(t, fmt.Sprintf("%#v", v))
	}
	requireNoKey(t, c.String())
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("client", "client", c, "key", c.cfg.creds.key)
	requireNoKey(t, logs.String())
	assert.Contains(t, logs.String(), redacted)
	txt, _ := c.cfg.creds.key.MarshalText()
	assert.Equal(t, redacted, string(txt))
	assert.Equal(t, redacted, c.cfg.creds.key.String())
	assert.Equal(t, redacted, fmt.Sprintf("%#v", c.cfg.creds.key))
}

func TestUserAgent(t *testing.T) {
	f := newFake(t, script(reply{body: `{"balances":[]}`}))
	h := newHarness(t, f, WithUserAgent("acme/1.2"))
	_, err := h.c.GetBalance(t.Context())
	require.NoError(t, err)
	ua := f.requests()[0].Header.Get("User-Agent")
	assert.True(t, strings.HasPrefix(ua, "acme/1.2 glomo-go/"+Version+" go/go"), ua)
	assert.Equal(t, "Bearer "+testKey, f.requests()[0].Header.Get("Authorization"))
	assert.Equal(t, "/api/v1/balances", f.requests()[0].Path)
}

func TestWithHTTPDoer(t *testing.T) {
	f := newFake(t, script(reply{body: `{"id":"payout_1"}`}))
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	c, err := New(WithAPIKey(testKey), WithBaseURL(f.URL+"/api/v1"), WithHTTPDoer(hc))
	require.NoError(t, err)
	p, err := c.GetPayoutById(t.Context(), "payout_1")
	require.NoError(t, err)
	assert.Equal(t, "payout_1", p.Id)
	assert.Equal(t, "/api/v1/payouts/payout_1", f.requests()[0].Path)
}

// TestHeaderValidation pins the header checks WithHeader and WithUserAgent
// run before anything is sent: a name is an RFC 9110 token (ASCII, no
// separators), a value has no control character but tab.
func TestHeaderValidation(t *testing.T) {
	for name, ok := range map[string]bool{
		"X-Trace": true, "x_y.z~!#$%&'*+-^`|": true,
		"": false, "X Trace": false, "X:Trace": false, "X\tTrace": false, "X-Tracé": false,
		"X\x7fT": false, "X\xffT": false, `X"T`: false, "X{T}": false, "X/T": false,
	} {
		assert.Equal(t, ok, validHeaderName(name), "%q", name)
	}
	for value, ok := range map[string]bool{
		"": true, "a b\tc": true, "café ☕": true, "\xff": true,
		"a\r\nb": false, "a\x00": false, "a\x7f": false, "\x1b[31m": false,
	} {
		assert.Equal(t, ok, validHeaderValue(value), "%q", value)
	}
}

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
		"http://mock.localhost:1234/api/v1": "http://mock.localhost:1234/api",
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
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, c)
		requireNoKey(t, out)
		out = fmt.Sprintf(verb, *c.cfg)
		requireNoKey(t, out)
		out = fmt.Sprintf(verb, c.cfg.key)
		requireNoKey(t, out)
		assert.Contains(t, out, redacted)
	}
	for _, v := range []any{c.API(), *c.API(), c.cfg.doer} {
		requireNoKey(t, fmt.Sprintf("%+v", v))
		requireNoKey(t, fmt.Sprintf("%#v", v))
	}
	requireNoKey(t, c.String())
	requireNoKey(t, c.GoString())
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("client", "client", c, "key", c.cfg.key)
	requireNoKey(t, logs.String())
	assert.Contains(t, logs.String(), redacted)
	txt, _ := c.cfg.key.MarshalText()
	assert.Equal(t, redacted, string(txt))
	assert.Equal(t, redacted, c.cfg.key.String())
	assert.Equal(t, redacted, c.cfg.key.GoString())
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
	assert.Equal(t, "payout_1", *p.Id)
	assert.Equal(t, "/api/v1/payouts/payout_1", f.requests()[0].Path)
}

// dumpingDoer logs every request through DumpRequest, as a user's debug
// transport would.
type dumpingDoer struct {
	next  *http.Client
	dumps *syncBuffer
}

func (d dumpingDoer) Do(r *http.Request) (*http.Response, error) {
	b, err := DumpRequest(r, true)
	if err != nil {
		return nil, err
	}
	_, _ = d.dumps.Write(b)
	return d.next.Do(r)
}

func TestDumpedRequestIsRedacted(t *testing.T) {
	f := newFake(t, script(reply{status: 201, body: `{"id":"payout_1"}`}))
	dumps := &syncBuffer{}
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	h := newHarness(t, f, WithHTTPDoer(dumpingDoer{hc, dumps}))
	_, err := h.c.CreatePayout(t.Context(), payoutBody(t, nil))
	require.NoError(t, err)
	requireNoKey(t, dumps.String())
	assert.Contains(t, dumps.String(), "Authorization: Bearer [REDACTED]")
	assert.Contains(t, dumps.String(), `"request_id"`)
	assert.Equal(t, "Bearer "+testKey, f.requests()[0].Header.Get("Authorization"), "the real request keeps the key")

	req, _ := http.NewRequest(http.MethodGet, "https://example.com/x", nil)
	out, err := DumpRequest(req, true)
	require.NoError(t, err)
	assert.Contains(t, string(out), "GET /x")
}

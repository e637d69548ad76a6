package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/glomo-go/glomo-go/api"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testKey is grepped for in every log line and error string.
const testKey = "sk_glomo_9f8e7d6c5b4a3f2e1d0c"

// seen is one request as the fake server received it.
type seen struct {
	Method, Path, Query string
	Header              http.Header
	Body                []byte
}

// reply is a scripted answer.
type reply struct {
	status int
	body   string
	header map[string]string
}

// fake is an httptest server that records requests and answers through a
// handler given the request number (0-based).
type fake struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

func newFake(t *testing.T, h func(n int, r *http.Request, body []byte) reply) *fake {
	t.Helper()
	f := &fake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		n := len(f.reqs)
		f.reqs = append(f.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
		f.mu.Unlock()
		rep := h(n, r, body)
		if rep.status == 0 {
			rep.status = http.StatusOK
		}
		if _, ok := rep.header["Content-Type"]; !ok {
			w.Header().Set("Content-Type", "application/json")
		}
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rep.status)
		_, _ = io.WriteString(w, rep.body)
	}))
	t.Cleanup(f.Close)
	return f
}

// script answers the n-th request with replies[n] (the last one repeats).
func script(replies ...reply) func(int, *http.Request, []byte) reply {
	return func(n int, _ *http.Request, _ []byte) reply {
		if n >= len(replies) {
			return replies[len(replies)-1]
		}
		return replies[n]
	}
}

func (f *fake) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...)
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is a client wired to a fake, with recorded sleeps and logs.
type harness struct {
	c      *Client
	logs   *syncBuffer
	mu     sync.Mutex
	sleeps []time.Duration
}

func (h *harness) slept() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.sleeps...)
}

// withHooks replaces the backoff sleep and jitter (tests never wait for real).
func withHooks(sleep func(context.Context, time.Duration) error, jitter func(time.Duration) time.Duration, now func() time.Time) Option {
	return func(s *settings) error {
		c := s.cfg
		if sleep != nil {
			c.sleep = sleep
		}
		if jitter != nil {
			c.jitter = jitter
		}
		if now != nil {
			c.now = now
		}
		return nil
	}
}

func newHarness(t *testing.T, f *fake, opts ...Option) *harness {
	t.Helper()
	h := &harness{logs: &syncBuffer{}}
	hc := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(hc.CloseIdleConnections)
	base := []Option{
		WithAPIKey(testKey),
		WithHTTPClient(hc),
		WithLogger(slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		withHooks(func(ctx context.Context, d time.Duration) error {
			h.mu.Lock()
			h.sleeps = append(h.sleeps, d)
			h.mu.Unlock()
			return ctx.Err()
		}, func(max time.Duration) time.Duration { return max }, nil),
	}
	if f != nil {
		base = append(base, WithBaseURL(f.URL+"/api"))
	}
	c, err := New(append(base, opts...)...)
	require.NoError(t, err)
	h.c = c
	t.Cleanup(func() { requireNoKey(t, h.logs.String()) })
	return h
}

func requireNoKey(t *testing.T, s string) {
	t.Helper()
	require.NotContains(t, s, testKey, "the API key leaked")
	require.NotContains(t, s, testKey[4:], "part of the API key leaked")
}

// payoutBody is a CreatePayout body (the oneOf branch without a quote)
// carrying requestID ("" for none).
func payoutBody(requestID string) api.CreatePayoutWithoutQuoteRequest {
	return api.CreatePayoutWithoutQuoteRequest{
		BeneficiaryId: "bene_1", DestinationAmount: 29900, RequestId: requestID,
		SourceCurrency: api.USD, DestinationCurrency: api.INR, PurposeCode: "P1006",
	}
}

func bodyMap(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), string(b))
	return m
}

package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gowebpki/jcs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/webhook"
)

type recorder struct {
	mu     sync.Mutex
	events []webhook.Event
	ctxs   []context.Context
	err    error
}

func (r *recorder) fn(ctx context.Context, e webhook.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	r.ctxs = append(r.ctxs, ctx)
	return r.err
}

func signed(t *testing.T, method, body, sig string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, "/webhooks/glomo", strings.NewReader(body))
	if sig != "" {
		r.Header.Set(webhook.SignatureHeader, sig)
	}
	return r
}

const payoutBody = `{"entity_type":"payout","event_type":"success","data":{"id":"payout_1","status":"success"}}`

func TestHandler(t *testing.T) {
	canonical, err := jcs.Transform([]byte(unsortedBody))
	require.NoError(t, err)
	big := `{"entity_type":"payout","event_type":"success","data":{"pad":"` + strings.Repeat("x", webhook.DefaultMaxBodyBytes) + `"}}`
	justFits := `{"entity_type":"payout","event_type":"success","data":{"pad":"` +
		strings.Repeat("x", webhook.DefaultMaxBodyBytes-len(`{"entity_type":"payout","event_type":"success","data":{"pad":""}}`)) + `"}}`
	require.Len(t, justFits, webhook.DefaultMaxBodyBytes)

	tests := []struct {
		name     string
		req      *http.Request
		cbErr    error
		code     int
		called   bool
		logged   error
		wantType string
	}{
		{"ok", signed(t, http.MethodPost, payoutBody, webhook.Sign(secret, []byte(payoutBody))), nil, 200, true, nil, "payout"},
		{"ok canonical signature", signed(t, http.MethodPost, unsortedBody, webhook.Sign(secret, canonical)), nil, 200, true, nil, "payout"},
		{"unknown type", signed(t, http.MethodPost, `{"entity_type":"new","event_type":"thing","data":1}`,
			webhook.Sign(secret, []byte(`{"entity_type":"new","event_type":"thing","data":1}`))), nil, 200, true, nil, "new"},
		{"body of exactly the limit", signed(t, http.MethodPost, justFits, webhook.Sign(secret, []byte(justFits))), nil, 200, true, nil, "payout"},
		{"GET", signed(t, http.MethodGet, payoutBody, webhook.Sign(secret, []byte(payoutBody))), nil, 405, false, nil, ""},
		{"PUT", signed(t, http.MethodPut, payoutBody, webhook.Sign(secret, []byte(payoutBody))), nil, 405, false, nil, ""},
		{"missing signature", signed(t, http.MethodPost, payoutBody, ""), nil, 401, false, webhook.ErrMissingSignature, ""},
		{"wrong signature", signed(t, http.MethodPost, payoutBody, webhook.Sign("other", []byte(payoutBody))), nil, 401, false, webhook.ErrInvalidSignature, ""},
		{"malformed signature", signed(t, http.MethodPost, payoutBody, "abc"), nil, 401, false, webhook.ErrMalformedSignature, ""},
		{"too large", signed(t, http.MethodPost, big, webhook.Sign(secret, []byte(big))), nil, 413, false, nil, ""},
		{"signed but not an envelope", signed(t, http.MethodPost, `[1,2]`, webhook.Sign(secret, []byte(`[1,2]`))), nil, 400, false, webhook.ErrMalformedEvent, ""},
		{"signed but not JSON", signed(t, http.MethodPost, `hello`, webhook.Sign(secret, []byte(`hello`))), nil, 400, false, webhook.ErrMalformedEvent, ""},
		{"callback fails", signed(t, http.MethodPost, payoutBody, webhook.Sign(secret, []byte(payoutBody))), errors.New("db down"), 500, true, nil, "payout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{err: tt.cbErr}
			var logged []error
			h := webhook.Handler(secret, rec.fn, webhook.WithErrorLog(func(_ *http.Request, err error) { logged = append(logged, err) }))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, tt.req)
			assert.Equal(t, tt.code, w.Code)
			if tt.called {
				require.Len(t, rec.events, 1)
				assert.Equal(t, tt.wantType, rec.events[0].EntityType)
			} else {
				assert.Empty(t, rec.events, "user code must not run")
			}
			if tt.code == 200 {
				assert.Empty(t, logged)
			} else {
				require.Len(t, logged, 1)
				assert.NotContains(t, logged[0].Error(), secret)
				assert.NotContains(t, w.Body.String(), secret)
			}
			if tt.logged != nil {
				assert.ErrorIs(t, logged[0], tt.logged)
			}
			if tt.cbErr != nil {
				assert.ErrorIs(t, logged[0], tt.cbErr)
			}
			if tt.code == 405 {
				assert.Equal(t, http.MethodPost, w.Header().Get("Allow"))
			}
		})
	}
}

func TestHandlerPassesEventIntact(t *testing.T) {
	rec := &recorder{}
	h := webhook.Handler(secret, rec.fn)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, signed(t, http.MethodPost, payoutBody, webhook.Sign(secret, []byte(payoutBody))))
	require.Equal(t, 200, w.Code)
	require.Len(t, rec.events, 1)
	assert.Equal(t, webhook.Event{EntityType: "payout", EventType: "success",
		Data: json.RawMessage(`{"id":"payout_1","status":"success"}`)}, rec.events[0])
}

func TestHandlerOptions(t *testing.T) {
	rec := &recorder{}
	h := webhook.Handler(secret, rec.fn, webhook.WithMaxBodyBytes(10), webhook.WithTimeout(time.Second), nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, signed(t, http.MethodPost, payoutBody, webhook.Sign(secret, []byte(payoutBody))))
	assert.Equal(t, 413, w.Code)

	h = webhook.Handler(secret, rec.fn, webhook.WithTimeout(time.Second), webhook.WithMaxBodyBytes(0), webhook.WithTimeout(-1))
	before := time.Now()
	w = httptest.NewRecorder()
	h.ServeHTTP(w, signed(t, http.MethodPost, payoutBody, webhook.Sign(secret, []byte(payoutBody))))
	after := time.Now()
	require.Equal(t, 200, w.Code)
	dl, ok := rec.ctxs[0].Deadline()
	require.True(t, ok, "the callback has a deadline")
	assertDeadlineSetDuring(t, before, after, time.Second, dl)
}

// assertDeadlineSetDuring checks that deadline is timeout after some instant
// between before and after (when the handler ran): an ordering of instants,
// so a slow machine cannot fail it.
func assertDeadlineSetDuring(t *testing.T, before, after time.Time, timeout time.Duration, deadline time.Time) {
	t.Helper()
	assert.False(t, deadline.Before(before.Add(timeout)), "deadline %v is earlier than start+%v", deadline, timeout)
	assert.False(t, deadline.After(after.Add(timeout)), "deadline %v is later than end+%v", deadline, timeout)
}

func TestHandlerDefaultDeadline(t *testing.T) {
	rec := &recorder{}
	h := webhook.Handler(secret, rec.fn)
	before := time.Now()
	h.ServeHTTP(httptest.NewRecorder(), signed(t, http.MethodPost, payoutBody, webhook.Sign(secret, []byte(payoutBody))))
	after := time.Now()
	dl, ok := rec.ctxs[0].Deadline()
	require.True(t, ok)
	assertDeadlineSetDuring(t, before, after, webhook.DefaultTimeout, dl)
	assert.Less(t, webhook.DefaultTimeout, 30*time.Second, "must answer inside Glomo's window")
}

func TestHandlerCallbackSeesTimeout(t *testing.T) {
	h := webhook.Handler(secret, func(ctx context.Context, _ webhook.Event) error {
		<-ctx.Done()
		return ctx.Err()
	}, webhook.WithTimeout(20*time.Millisecond))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, signed(t, http.MethodPost, payoutBody, webhook.Sign(secret, []byte(payoutBody))))
	assert.Equal(t, 500, w.Code)
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestHandlerReadError(t *testing.T) {
	rec := &recorder{}
	r := httptest.NewRequest(http.MethodPost, "/", failingReader{})
	w := httptest.NewRecorder()
	webhook.Handler(secret, rec.fn).ServeHTTP(w, r)
	assert.Equal(t, 400, w.Code)
	assert.Empty(t, rec.events)
}

func TestHandlerNilCallbackPanics(t *testing.T) {
	assert.Panics(t, func() { webhook.Handler(secret, nil) })
}

func TestHandlerOverHTTP(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(webhook.Handler(secret, rec.fn))
	defer srv.Close()
	body := []byte(payoutBody)
	req, err := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
	require.NoError(t, err)
	// Header names are case-insensitive on the wire.
	req.Header["x-glomopay-signature"] = []string{webhook.Sign(secret, body)}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Len(t, rec.events, 1)
}

// TestEveryPathDeliversSignedBytes: when only the canonical form matched,
// every path that hands an event to user code (Parse, Handler, Handler with
// a store) delivers the canonical bytes, so a number rewritten into another
// spelling of the same float (or into a different integer that rounds to the
// same float) reaches the user as the value that was signed (issue 11 item 3).
func TestEveryPathDeliversSignedBytes(t *testing.T) {
	const signedData = `{"id":"payout_1","source_amount":29900,"status":"success"}`
	const canonical = `{"data":` + signedData + `,"entity_type":"payout","event_type":"success"}`
	const bigSigned = `{"data":{"id":"payout_1","source_amount":9007199254740992},"entity_type":"payout","event_type":"success"}`
	// Each path returns the one event it handed over for a delivery; a
	// handler (and its store) is made per delivery, so that the cases are
	// not duplicates of one another.
	viaHandler := func(opts func() []webhook.Option) func(*testing.T, string, string) webhook.Event {
		return func(t *testing.T, sent, sig string) webhook.Event {
			rec := &recorder{}
			w := httptest.NewRecorder()
			webhook.Handler(secret, rec.fn, opts()...).ServeHTTP(w, signed(t, http.MethodPost, sent, sig))
			require.Equal(t, 200, w.Code, "the canonical form was signed")
			require.Len(t, rec.events, 1)
			return rec.events[0]
		}
	}
	paths := map[string]func(*testing.T, string, string) webhook.Event{
		"Parse": func(t *testing.T, sent, sig string) webhook.Event {
			ev, err := webhook.Parse(secret, []byte(sent), sig)
			require.NoError(t, err, "the canonical form was signed")
			return ev
		},
		"Handler": viaHandler(func() []webhook.Option { return nil }),
		"Handler with store": viaHandler(func() []webhook.Option {
			return []webhook.Option{webhook.WithStore(webhook.NewMemoryStore())}
		}),
	}
	for _, tt := range []struct {
		name, sent, signed, wantData string
		wantAmount                   int64
	}{
		{"29900.0", strings.Replace(canonical, "29900", "29900.0", 1), canonical, signedData, 29900},
		{"2.99e4", strings.Replace(canonical, "29900", "2.99e4", 1), canonical, signedData, 29900},
		{"299E2", strings.Replace(canonical, "29900", "299E2", 1), canonical, signedData, 29900},
		{"2^53+1 for 2^53", strings.Replace(bigSigned, "9007199254740992", "9007199254740993", 1), bigSigned,
			`{"id":"payout_1","source_amount":9007199254740992}`, 9007199254740992},
	} {
		for name, deliver := range paths {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				ev := deliver(t, tt.sent, webhook.Sign(secret, []byte(tt.signed)))
				assert.Equal(t, tt.wantData, string(ev.Data), "the signed bytes, not the sent ones")
				p, err := webhook.DataAs[api.Payout](ev)
				require.NoError(t, err)
				assert.Equal(t, tt.wantAmount, p.SourceAmount)
			})
		}
	}
}

// TestHandlerDefaults pins the defaults themselves, not just "the default":
// a callback deadline of 25 s and a body limit of 1 MiB, also when an
// option is given 0 (issue 11 test gaps).
func TestHandlerDefaults(t *testing.T) {
	assert.Equal(t, 25*time.Second, webhook.DefaultTimeout)
	assert.Equal(t, 1048576, webhook.DefaultMaxBodyBytes)
	assert.Equal(t, 65536, webhook.MaxCanonicalBytes)

	for name, opts := range map[string][]webhook.Option{
		"no options": nil,
		"zeros":      {webhook.WithTimeout(0), webhook.WithMaxBodyBytes(0)},
		"negatives":  {webhook.WithTimeout(-time.Second), webhook.WithMaxBodyBytes(-1)},
	} {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{}
			h := webhook.Handler(secret, rec.fn, opts...)
			before := time.Now()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, signed(t, http.MethodPost, payoutBody, webhook.Sign(secret, []byte(payoutBody))))
			after := time.Now()
			require.Equal(t, 200, w.Code)
			dl, ok := rec.ctxs[0].Deadline()
			require.True(t, ok, "the callback has a deadline")
			// Bounded by the clock readings around the call: no tolerance.
			assert.False(t, dl.Before(before.Add(25*time.Second)), "deadline %v before start+25s", dl.Sub(before))
			assert.False(t, dl.After(after.Add(25*time.Second)), "deadline %v after end+25s", dl.Sub(after))

			// Exactly 1 MiB is accepted, one byte more is refused unread.
			fits := envelopeOfSize(1 << 20)
			w = httptest.NewRecorder()
			h.ServeHTTP(w, signed(t, http.MethodPost, fits, webhook.Sign(secret, []byte(fits))))
			assert.Equal(t, 200, w.Code)
			over := envelopeOfSize(1<<20 + 1)
			w = httptest.NewRecorder()
			h.ServeHTTP(w, signed(t, http.MethodPost, over, webhook.Sign(secret, []byte(over))))
			assert.Equal(t, 413, w.Code)
		})
	}
}

// envelopeOfSize returns a payout envelope of exactly n bytes.
func envelopeOfSize(n int) string {
	const frame = `{"entity_type":"payout","event_type":"success","data":{"pad":""}}`
	return `{"entity_type":"payout","event_type":"success","data":{"pad":"` + strings.Repeat("x", n-len(frame)) + `"}}`
}

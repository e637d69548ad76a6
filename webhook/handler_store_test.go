package webhook_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/webhook"
)

func payoutEvent(id, status string) webhook.Event {
	return webhook.Event{EntityType: webhook.EntityPayout, EventType: status,
		Data: []byte(`{"id":"` + id + `","status":"` + status + `"}`)}
}

func deliver(t *testing.T, h http.Handler, ev webhook.Event) int {
	t.Helper()
	r, err := webhook.NewSignedRequest(secret, ev)
	require.NoError(t, err)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

func TestHandlerWithStore(t *testing.T) {
	rec := &recorder{}
	var logged []error
	h := webhook.Handler(secret, rec.fn, webhook.WithStore(webhook.NewMemoryStore()),
		webhook.WithErrorLog(func(_ *http.Request, err error) { logged = append(logged, err) }))

	assert.Equal(t, 200, deliver(t, h, payoutEvent("po_1", "in_progress")))
	assert.Equal(t, 200, deliver(t, h, payoutEvent("po_1", "in_progress")), "duplicate acknowledged")
	assert.Equal(t, 200, deliver(t, h, payoutEvent("po_1", "success")))
	assert.Equal(t, 200, deliver(t, h, payoutEvent("po_1", "queued")), "stale acknowledged")
	assert.Equal(t, 200, deliver(t, h, payoutEvent("po_1", "success")), "duplicate acknowledged")
	require.Len(t, rec.events, 2, "the callback ran once per applied transition")
	assert.Equal(t, "in_progress", rec.events[0].EventType)
	assert.Equal(t, "success", rec.events[1].EventType)
	assert.Empty(t, logged)
}

// TestHandlerStoreFailingCallback: a failed callback releases its claim and
// answers 500, so the redelivery is processed (once).
func TestHandlerStoreFailingCallback(t *testing.T) {
	calls := 0
	h := webhook.Handler(secret, func(context.Context, webhook.Event) error {
		calls++
		if calls == 1 {
			return errors.New("db down")
		}
		return nil
	}, webhook.WithStore(webhook.NewMemoryStore()))
	ev := payoutEvent("po_1", "success")
	assert.Equal(t, 500, deliver(t, h, ev))
	assert.Equal(t, 200, deliver(t, h, ev))
	assert.Equal(t, 200, deliver(t, h, ev))
	assert.Equal(t, 2, calls)
}

// TestHandlerStorePanickingCallback: a panic releases the claim too.
func TestHandlerStorePanickingCallback(t *testing.T) {
	store := webhook.NewMemoryStore()
	calls := 0
	h := webhook.Handler(secret, func(context.Context, webhook.Event) error {
		if calls++; calls == 1 {
			panic("bug")
		}
		return nil
	}, webhook.WithStore(store))
	ev := payoutEvent("po_1", "success")
	assert.Panics(t, func() { deliver(t, h, ev) })
	assert.Equal(t, 200, deliver(t, h, ev), "claimable at once, not after the lease")
	assert.Equal(t, 2, calls)
}

// TestHandlerStoreBusy: while one replica processes an object, another
// delivery for it is answered 503 without calling the callback.
func TestHandlerStoreBusy(t *testing.T) {
	store := webhook.NewMemoryStore()
	entered, release := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	var seen []string
	h := webhook.Handler(secret, func(_ context.Context, ev webhook.Event) error {
		mu.Lock()
		seen = append(seen, ev.EventType)
		mu.Unlock()
		if ev.EventType == "in_progress" {
			close(entered)
			<-release
		}
		return nil
	}, webhook.WithStore(store))
	var logged error
	other := webhook.Handler(secret, func(context.Context, webhook.Event) error { t.Error("busy object processed"); return nil },
		webhook.WithStore(store), webhook.WithErrorLog(func(_ *http.Request, err error) { logged = err }))

	done := make(chan int)
	go func() { done <- deliver(t, h, payoutEvent("po_1", "in_progress")) }()
	<-entered
	assert.Equal(t, 503, deliver(t, other, payoutEvent("po_1", "success")), "same object")
	assert.ErrorIs(t, logged, webhook.ErrBusy)
	assert.Equal(t, 503, deliver(t, other, payoutEvent("po_1", "in_progress")), "same event")
	close(release)
	assert.Equal(t, 200, <-done)
	assert.Equal(t, 200, deliver(t, h, payoutEvent("po_1", "success")))
	assert.Equal(t, []string{"in_progress", "success"}, seen)
}

type brokenStore struct{ claim, done, release error }

func (s brokenStore) Claim(context.Context, webhook.Claim) (webhook.ClaimResult, error) {
	if s.claim != nil {
		return 0, s.claim
	}
	return webhook.Claimed, nil
}
func (s brokenStore) Done(context.Context, webhook.Claim) error    { return s.done }
func (s brokenStore) Release(context.Context, webhook.Claim) error { return s.release }

type resultStore webhook.ClaimResult

func (s resultStore) Claim(context.Context, webhook.Claim) (webhook.ClaimResult, error) {
	return webhook.ClaimResult(s), nil
}
func (resultStore) Done(context.Context, webhook.Claim) error    { return nil }
func (resultStore) Release(context.Context, webhook.Claim) error { return nil }

func TestHandlerStoreErrors(t *testing.T) {
	down := errors.New("connection refused")
	cbErr := errors.New("callback failed")
	for _, tt := range []struct {
		name   string
		store  webhook.Store
		cb     error
		code   int
		called bool
		want   []error
	}{
		{"claim fails", brokenStore{claim: down}, nil, 503, false, []error{down}},
		{"done fails", brokenStore{done: webhook.ErrLeaseLost}, nil, 500, true, []error{webhook.ErrLeaseLost}},
		{"release fails", brokenStore{release: down}, cbErr, 500, true, []error{cbErr}},
		{"invalid result", resultStore(0), nil, 503, false, nil},
		{"out-of-range result", resultStore(99), nil, 503, false, nil},
		{"duplicate", resultStore(webhook.Duplicate), nil, 200, false, nil},
		{"stale", resultStore(webhook.Stale), nil, 200, false, nil},
		{"busy", resultStore(webhook.Busy), nil, 503, false, []error{webhook.ErrBusy}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			var logged error
			h := webhook.Handler(secret, func(context.Context, webhook.Event) error { called = true; return tt.cb },
				webhook.WithStore(tt.store), webhook.WithErrorLog(func(_ *http.Request, err error) { logged = err }))
			assert.Equal(t, tt.code, deliver(t, h, payoutEvent("po_1", "success")))
			assert.Equal(t, tt.called, called)
			for _, w := range tt.want {
				assert.ErrorIs(t, logged, w)
			}
			if tt.name == "release fails" {
				assert.ErrorContains(t, logged, "releasing the claim: connection refused")
			}
		})
	}
}

// TestHandlerStoreLease: the claim's lease is the callback timeout plus
// LeaseMargin, and the claim carries the event's key, object and state.
func TestHandlerStoreLease(t *testing.T) {
	assert.Equal(t, 30*time.Second, webhook.LeaseMargin)
	var got webhook.Claim
	spy := &spyStore{Store: webhook.NewMemoryStore(), claimed: &got}
	h := webhook.Handler(secret, func(context.Context, webhook.Event) error { return nil },
		webhook.WithStore(spy), webhook.WithTimeout(5*time.Second))
	before := time.Now()
	ev := payoutEvent("po_1", "success")
	require.Equal(t, 200, deliver(t, h, ev))
	after := time.Now()
	assert.False(t, got.LeaseUntil.Before(before.Add(35*time.Second)))
	assert.False(t, got.LeaseUntil.After(after.Add(35*time.Second)))
	assert.Equal(t, webhook.DedupeKey(ev), got.Key)
	assert.Equal(t, "po_1", got.ObjectID)
	assert.Equal(t, "success", got.State)
	assert.Len(t, got.Owner, 32)
}

type spyStore struct {
	webhook.Store
	claimed *webhook.Claim
}

func (s *spyStore) Claim(ctx context.Context, c webhook.Claim) (webhook.ClaimResult, error) {
	*s.claimed = c
	return s.Store.Claim(ctx, c)
}

func TestClaimResultString(t *testing.T) {
	assert.Equal(t, "claimed", webhook.Claimed.String())
	assert.Equal(t, "duplicate", webhook.Duplicate.String())
	assert.Equal(t, "stale", webhook.Stale.String())
	assert.Equal(t, "busy", webhook.Busy.String())
	assert.Equal(t, "ClaimResult(invalid)", webhook.ClaimResult(0).String())
}

func TestNewClaim(t *testing.T) {
	ev := webhook.Event{EntityType: "payment", EventType: "funds_available", Data: []byte(`{"id":"pay_1","status":"success"}`)}
	c := webhook.NewClaim(ev, "me", time.Unix(1, 0))
	assert.Equal(t, webhook.Claim{Key: webhook.DedupeKey(ev), EntityType: "payment", ObjectID: "pay_1", State: "success",
		Owner: "me", LeaseUntil: time.Unix(1, 0)}, c)
	ev.Data = []byte(`{"id":"pay_1"}`)
	assert.Equal(t, "", webhook.NewClaim(ev, "me", time.Unix(1, 0)).State, "funds_available moves no state")
	assert.Equal(t, "success", webhook.NewClaim(payoutEvent("po_1", "success"), "me", time.Unix(1, 0)).State)
}

// ctxStore records the context Done and Release get, and its error at
// the time (the handler cancels it once they return).
type ctxStore struct {
	webhook.Store
	settled []context.Context
	errs    []error
}

func (s *ctxStore) Done(ctx context.Context, c webhook.Claim) error {
	s.settled, s.errs = append(s.settled, ctx), append(s.errs, ctx.Err())
	return s.Store.Done(ctx, c)
}

func (s *ctxStore) Release(ctx context.Context, c webhook.Claim) error {
	s.settled, s.errs = append(s.settled, ctx), append(s.errs, ctx.Err())
	return s.Store.Release(ctx, c)
}

// TestHandlerStoreSettlesOnItsOwnContext: Done and Release run on a context
// of their own, alive when the request's was cancelled (the sender went
// away while the callback ran) and bounded at 10 s.
func TestHandlerStoreSettlesOnItsOwnContext(t *testing.T) {
	for _, fail := range []bool{false, true} {
		store := &ctxStore{Store: webhook.NewMemoryStore()}
		reqCtx, cancel := context.WithCancel(t.Context())
		h := webhook.Handler(secret, func(context.Context, webhook.Event) error {
			cancel() // the sender hangs up before the callback returns
			if fail {
				return errors.New("db down")
			}
			return nil
		}, webhook.WithStore(store))
		r, err := webhook.NewSignedRequest(secret, payoutEvent("po_1", "success"))
		require.NoError(t, err)
		before := time.Now()
		h.ServeHTTP(httptest.NewRecorder(), r.WithContext(reqCtx))
		after := time.Now()
		require.Len(t, store.settled, 1, "fail=%v", fail)
		ctx := store.settled[0]
		assert.NoError(t, store.errs[0], "fail=%v: not cancelled with the request", fail)
		dl, ok := ctx.Deadline()
		require.True(t, ok)
		// Bounded by the clock readings around the call: no tolerance.
		assert.False(t, dl.Before(before.Add(10*time.Second)), "fail=%v: deadline %v before start+10s", fail, dl.Sub(before))
		assert.False(t, dl.After(after.Add(10*time.Second)), "fail=%v: deadline %v after end+10s", fail, dl.Sub(after))
	}
}

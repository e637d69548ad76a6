package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"
)

// DefaultMaxBodyBytes is the body size [Handler] accepts unless
// [WithMaxBodyBytes] says otherwise. Glomo's payloads are a few kilobytes;
// the limit stops an unauthenticated sender from making the server read (and
// HMAC) an arbitrarily large body before the signature is known to be bad.
const DefaultMaxBodyBytes = 1 << 20

// DefaultTimeout bounds the callback so that [Handler] answers within
// Glomo's 30-second window, leaving a margin for the network.
const DefaultTimeout = 25 * time.Second

// Option configures [Handler].
type Option func(*handler)

// WithMaxBodyBytes sets the largest body accepted; larger ones get 413
// without being verified. n <= 0 keeps the default.
func WithMaxBodyBytes(n int64) Option {
	return func(h *handler) {
		if n > 0 {
			h.maxBody = n
		}
	}
}

// WithTimeout sets the deadline of the context passed to the callback. Keep
// it under 30 s: Glomo treats a slower answer as a failure and redelivers.
// d <= 0 keeps the default.
func WithTimeout(d time.Duration) Option {
	return func(h *handler) {
		if d > 0 {
			h.timeout = d
		}
	}
}

// WithErrorLog registers a function that is told why a delivery was not
// answered 200: a rejected signature, a malformed envelope, or the error the
// callback returned. Without it such failures are visible only as status
// codes. The errors never contain the secret.
func WithErrorLog(fn func(r *http.Request, err error)) Option {
	return func(h *handler) { h.logf = fn }
}

// WithStore makes the handler deduplicate and order events through store,
// which replicas may share: each event is claimed before fn runs, marked
// done when fn returns nil and released when it fails, and an event that
// was processed already or would move its object backwards (see
// [ShouldApply]) is answered 200 without calling fn. The claim's lease is
// the callback timeout plus [LeaseMargin], so a replica that dies while
// processing lets Glomo's next redelivery (a minute later at the earliest)
// take the event over. A nil store keeps the default: no store.
func WithStore(store Store) Option {
	return func(h *handler) { h.store = store }
}

// LeaseMargin is how much longer than the callback timeout a claim is
// held, covering the store's own round trips after the callback returns.
const LeaseMargin = 30 * time.Second

type handler struct {
	secret  string
	fn      func(context.Context, Event) error
	maxBody int64
	timeout time.Duration
	logf    func(*http.Request, error)
	store   Store
	now     func() time.Time
}

// Handler returns an http.Handler that receives Glomo webhooks: it verifies
// each delivery with [VerifiedBody], decodes the bytes that were signed with
// [DecodeEvent] and passes the event to fn.
//
// fn runs inline, in the request's goroutine, and the response waits for
// it, so that a 200 means the event was handled: if fn returns an error the
// delivery is answered 500 and Glomo redelivers it later (up to 9 times in
// live, 5 in sandbox). fn's context is cancelled when the client goes away or
// after [DefaultTimeout]; fn must finish well within Glomo's 30 seconds, so
// do slow work by enqueueing the event (or its Data) and returning nil.
// Because of redeliveries, fn must be idempotent: see [DedupeKey] and
// [ShouldApply]. Return nil for events you deliberately ignore, including
// unknown types, or they will be retried for days.
//
// Responses:
//
//	405 method other than POST (user code not called)
//	413 body larger than the limit (user code not called)
//	401 signature missing, malformed or wrong (user code not called)
//	400 verified body that is not an event envelope (user code not called)
//	503 with [WithStore]: the store failed, or another claim holds the
//	    event or its object (user code not called)
//	500 fn returned an error (or, with a store, recording the result failed)
//	200 fn returned nil; with a store also a duplicate or stale event
//	    (user code not called)
//
// Handler panics if fn is nil, as a programming error caught at start-up
// beats a handler that acknowledges and drops every event.
func Handler(secret string, fn func(context.Context, Event) error, opts ...Option) http.Handler {
	if fn == nil {
		panic("webhook: Handler called with a nil callback")
	}
	h := &handler{secret: secret, fn: fn, maxBody: DefaultMaxBodyBytes, timeout: DefaultTimeout, now: time.Now}
	for _, o := range opts {
		if o != nil { // lets callers build option lists conditionally
			o(h)
		}
	}
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.fail(w, r, http.StatusMethodNotAllowed, errors.New("webhook: method "+r.Method+" not allowed"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.fail(w, r, http.StatusRequestEntityTooLarge, errors.New("webhook: body exceeds the size limit"))
			return
		}
		h.fail(w, r, http.StatusBadRequest, err)
		return
	}
	// Decode what was signed, not what was sent: when the canonical form
	// matched, body may spell numbers differently (29900.0 for 29900).
	signed, err := VerifiedBody(h.secret, body, r.Header.Get(SignatureHeader))
	if err != nil {
		h.fail(w, r, http.StatusUnauthorized, err)
		return
	}
	ev, err := DecodeEvent(signed)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, err)
		return
	}
	if h.store != nil {
		h.serveClaimed(w, r, ev)
		return
	}
	if err := h.call(r, ev); err != nil {
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// call runs the callback under the handler's timeout.
func (h *handler) call(r *http.Request, ev Event) error {
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	return h.fn(ctx, ev)
}

// fail answers with a bare status text: the details go to the error log, not
// to an unauthenticated caller probing the endpoint.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, code int, err error) {
	if h.logf != nil {
		h.logf(r, err)
	}
	http.Error(w, http.StatusText(code), code)
}

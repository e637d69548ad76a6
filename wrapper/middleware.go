package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Call is what a Middleware knows of the call it wraps, before anything is
// sent.
type Call struct {
	// OperationID is the operation's operationId in openapi.yaml
	// ("getBalance", "createPayout"); empty for a request made through API().
	OperationID string
	// Method is the HTTP method.
	Method string
	// Path is the operation's path template ("/v1/payouts/{id}"): the same
	// for every call of the operation, so it suits a span name or a metric
	// label. Through API(), which has no descriptor, it is the request's
	// URL path.
	Path string
	// RequestID is the request_id of an idempotent create (the caller's or
	// the generated one); empty for other operations.
	RequestID string
}

// Response is the HTTP answer that ended a call: the success, the non-2xx
// answer behind an *APIError, or the 2xx answer behind a *DecodeError.
type Response struct {
	// StatusCode is 0 when no answer arrived (a transport error, a call
	// refused before sending).
	StatusCode int
	// Header is the answer's header.
	Header http.Header
	// Body is the raw body as the client read it. It is bounded by the
	// client's response size limit (WithMaxResponseBytes, 10 MiB by
	// default): a larger body is never read, and Body is then nil with the
	// call's error a *ResponseTooLargeError. It is the bytes the client
	// decoded, not a copy, and the client keeps no reference to them.
	Body []byte
	// Attempts is how many attempts the call made (1 + retries), whether
	// or not each reached the server. The lookup that resolves a duplicate create is not counted; after one,
	// StatusCode, Header and Body describe the original object found.
	Attempts int
}

// Handler runs the rest of a call: the inner middlewares, then every
// attempt, backoff and duplicate lookup, then the decoding. The context
// it is given is the one every attempt's *http.Request carries, so a span
// a middleware puts there parents the spans of an instrumented transport.
type Handler func(ctx context.Context) (*Response, error)

// Middleware wraps one whole call, retries included. It must call next at
// most once (a second call returns an error without sending anything) and
// return next's error or one of its own; it cannot turn a failed call into a
// success, and the method's result is always the one next decoded. The
// *Response next returns (never nil) is the final answer; the middleware
// may read it but must not modify Header or Body.
//
// Order: the client's middlewares (WithMiddleware given to New) run
// outside the call's own (WithMiddleware given to the method), and within
// each, in the order given: the first is outermost. All of them run inside
// the call's timeout (WithTimeout) and outside the limiter, which is
// consulted before every attempt.
type Middleware func(ctx context.Context, call Call, next Handler) (*Response, error)

// Limiter paces requests: Wait blocks until one may be sent, or returns an
// error (the context ended) and nothing is sent. *rate.Limiter from
// golang.org/x/time/rate satisfies it, as does any token bucket of yours.
type Limiter interface {
	Wait(ctx context.Context) error
}

// WithMiddleware adds middlewares around every call (given to New) or
// around one call (given to a method); see Middleware for the order. Client
// and call option; a nil middleware is refused.
func WithMiddleware(mw ...Middleware) Option {
	return func(s *settings) error {
		for _, m := range mw {
			if m == nil {
				return &ConfigError{Field: "Middleware", Reason: "nil"}
			}
		}
		h := s.call.callHooks()
		h.middleware = append(h.middleware, mw...)
		return nil
	}
}

// WithResponseInto stores in *dst the answer that ended the call (see
// Response) whatever the outcome: on success, on an *APIError, on a
// *DecodeError, and with StatusCode 0 after a transport error. Call option.
// Given to an ...Iter method it applies to every page's call, so *dst
// ends holding the last page's answer.
func WithResponseInto(dst *Response) Option {
	return callOption("ResponseInto", func(o *callOptions) error {
		if dst == nil {
			return &ConfigError{Field: "ResponseInto", Reason: "nil"}
		}
		o.callHooks().into = dst
		return nil
	})
}

// WithRateLimiter waits on l before every attempt of every call (given to
// New) or of one call (given to a method, replacing the client's), retries
// and the duplicate lookup of a create included. If Wait fails, the call
// stops there: before the first attempt with an error matching ErrNotSent.
// Glomo allows 3,000 requests a minute per IP and sends no rate-limit
// headers, so a program that fans out should share one limiter (e.g.
// rate.NewLimiter(45, 1)) between its clients. Client and call option; nil
// is refused.
func WithRateLimiter(l Limiter) Option {
	return func(s *settings) error {
		if l == nil {
			return &ConfigError{Field: "RateLimiter", Reason: "nil"}
		}
		s.call.callHooks().limiter = l
		return nil
	}
}

// errNextTwice is returned by a Handler called a second time: the request
// (a create's request_id included) belongs to one call.
var errNextTwice = errors.New("glomo: middleware called next twice")

// errNextSkipped is the error of a typed call whose middleware returned
// without an error and without calling next: there is no result to return.
var errNextSkipped = errors.New("glomo: middleware returned without calling next")

// hooked reports whether the call has a middleware or a response capture,
// the two things that need run's closures; without them a call allocates
// nothing for hooks.
func (r *request) hooked() bool {
	return len(r.opts.hooks.middleware) > 0 || r.opts.hooks.into != nil
}

// wait consults the limiter before attempt number attempt (0-based);
// prev is the error of the attempt before it.
func (r *request) wait(attempt int, prev error) error {
	l := r.opts.hooks.limiter
	if l == nil {
		return nil
	}
	err := l.Wait(r.ctx)
	switch {
	case err == nil:
		return nil
	case attempt == 0:
		return fmt.Errorf("glomo: %s %s: %w: rate limiter: %w", r.op.method, r.path, ErrNotSent, err)
	}
	return r.lostCreate(fmt.Errorf("glomo: %s %s: rate limiter: %w while waiting to retry after: %w", r.op.method, r.path, err, prev))
}

// run is a call under its middlewares: next runs the attempt loop and then
// finish (a typed method's decoding; nil for API()). It returns what the
// loop returned, the call's error, and fills WithResponseInto.
func (r *request) run(req *http.Request, finish func(result) error) (result, error) {
	if !r.hooked() {
		res, err := r.do(req)
		if err == nil && finish != nil {
			err = finish(res)
		}
		return res, err
	}
	var (
		res    result
		inner  error
		called bool
	)
	next := Handler(func(ctx context.Context) (*Response, error) {
		if called {
			return nil, errNextTwice
		}
		called = true
		r.ctx = ctx
		if req.Context() != ctx {
			req = req.WithContext(ctx)
		}
		res, inner = r.do(req)
		if inner == nil && finish != nil {
			inner = finish(res)
		}
		return r.response(res), inner
	})
	call := Call{OperationID: r.op.id, Method: r.op.method, Path: r.op.path, RequestID: r.requestID}
	h, mws := next, r.opts.hooks.middleware
	for i := len(mws) - 1; i >= 0; i-- { // the first is outermost
		mw, inside := mws[i], h
		h = func(ctx context.Context) (*Response, error) { return mw(ctx, call, inside) }
	}
	_, err := h(r.ctx)
	if into := r.opts.hooks.into; into != nil {
		*into = *r.response(res)
	}
	switch {
	case err != nil:
		return result{}, err
	case inner != nil:
		return result{}, inner
	case !called:
		return result{}, errNextSkipped
	}
	return res, nil
}

// response describes the answer that ended the call, res: the last
// attempt's, or the original object a duplicate lookup found.
func (r *request) response(res result) *Response {
	return &Response{StatusCode: res.status, Header: res.header, Body: res.body, Attempts: r.attempts}
}

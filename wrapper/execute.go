package wrapper

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// operation is the static descriptor of one operation, generated into
// operations.gen.go from the spec model: nothing about operations is parsed
// or matched at run time.
type operation struct {
	id     string
	method string
	path   string // path template, e.g. /v1/payouts/{id}
	// idempotent: the JSON body declares request_id, so the call carries one
	// and is retried like a read.
	idempotent bool
	// success lists the 2xx statuses whose JSON body is the method's result.
	success []int
	// lookup is the list operation that finds what this create made by
	// ?request_id= (nil when there is none).
	lookup *operation
}

// request is one logical call: every attempt, the duplicate lookup, the
// decoding. It lives for the duration of one method call.
type request struct {
	c      *Client
	op     *operation
	ctx    context.Context
	cancel context.CancelFunc
	opts   callOptions
	// body is the request body as sent on every attempt.
	body []byte
	// requestID is the idempotency key the body carries; explicitID: the
	// caller named it (WithRequestID or the body), so even a first attempt
	// that hears "already exists" is a repeat of the same logical create.
	requestID  string
	explicitID bool
	canRetry   bool
	path       string // URL path, for errors and logs
	// attempts is how many attempts were made, for Response.
	attempts int
}

// begin starts a call of op: it applies the per-call options and the
// timeout. The caller defers r.end().
func (c *Client) begin(ctx context.Context, op *operation, opts []Option) (*request, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	r := &request{c: c, op: op, ctx: ctx}
	// The client's headers stay the client's (setHeaders reads both); the
	// call's start empty, and its hooks are joined to the client's below.
	r.opts = callOptions{maxRetries: c.cfg.call.maxRetries, timeout: c.cfg.call.timeout}
	if err := (&settings{call: &r.opts}).apply(opts); err != nil {
		return nil, err
	}
	if h := r.opts.hooks; h != nil { // the call's middlewares run inside the client's
		h.middleware = append(slices.Clip(c.cfg.call.hooks.middleware), h.middleware...)
		if h.limiter == nil {
			h.limiter = c.cfg.call.hooks.limiter
		}
	} else {
		r.opts.hooks = c.cfg.call.hooks
	}
	if r.opts.timeout > 0 {
		r.ctx, r.cancel = context.WithTimeout(ctx, r.opts.timeout)
	}
	return r, nil
}

// end releases the timeout and hands the request_id to
// WithRequestIDCapture.
func (r *request) end() {
	if r.cancel != nil {
		r.cancel()
	}
	if r.opts.captureID != nil {
		*r.opts.captureID = r.requestID
	}
}

// execute sends the request a typed method built (with api.New...Request)
// and decodes the answer into T. buildErr is the builder's error, passed
// through so the generated methods stay one straight line.
func execute[T any](r *request, req *http.Request, buildErr error) (*T, error) {
	if buildErr != nil {
		return nil, fmt.Errorf("glomo: %s %s: build request: %w", r.op.method, r.op.path, buildErr)
	}
	req = req.WithContext(r.ctx)
	if !r.hooked() { // the common case: no closure, nothing allocated for hooks
		res, err := r.do(req)
		if err != nil {
			return nil, err
		}
		return decode[T](r, res)
	}
	var out *T
	_, err := r.run(req, func(res result) (err error) {
		out, err = decode[T](r, res)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// result is what one attempt produced.
type result struct {
	status int
	header http.Header
	body   []byte
	resp   *http.Response // nil after a transport error or for a resolved duplicate
	err    error
	sent   bool // the request may have reached the server
}

// do runs the attempt loop; the key is added to req's headers.
// On error the result is the last attempt's (zero when none was made), for
// Response.
func (r *request) do(req *http.Request) (result, error) {
	cfg := r.c.cfg
	r.path = req.URL.Path
	if req.Body != nil && req.Body != http.NoBody {
		if r.body == nil { // a body the typed method did not encode (multipart, API())
			b, err := io.ReadAll(req.Body)
			if err != nil {
				_ = req.Body.Close()
				return result{}, fmt.Errorf("glomo: %s %s: read request body: %w", r.op.method, r.path, err)
			}
			r.body = b
		}
		_ = req.Body.Close()
	}
	r.canRetry = isSafeMethod(r.op.method) || r.requestID != ""
	r.setHeaders(req.Header)
	var (
		res  result // the previous attempt's
		prev error  // the error it would have ended the call with
	)
	for attempt := 0; ; attempt++ {
		if err := r.wait(attempt, prev); err != nil {
			return res, err
		}
		r.attempts++
		res = r.attempt(req, attempt)
		if res.err == nil && res.status >= 200 && res.status < 300 {
			return res, nil
		}
		orig, retry, reason, final := r.classify(res, attempt)
		if orig != nil {
			return *orig, nil // a duplicate resolved to the original object
		}
		prev = final
		if !retry || attempt >= r.opts.maxRetries {
			return res, r.lostCreate(final)
		}
		delay, fromHeader := time.Duration(0), false
		if res.err == nil {
			delay, fromHeader = cfg.retry.retryAfter(res.header, cfg.now())
		}
		if !fromHeader {
			delay = cfg.retry.backoff(attempt+1, cfg.jitter)
		}
		cfg.logger.LogAttrs(r.ctx, slog.LevelDebug, "glomo retry",
			slog.String("method", r.op.method), slog.String("path", r.path),
			slog.Int("attempt", attempt+1), slog.String("reason", reason),
			slog.Duration("delay", delay), slog.Bool("retry_after", fromHeader))
		if err := cfg.sleep(r.ctx, delay); err != nil {
			return res, r.lostCreate(fmt.Errorf("glomo: %s %s: %w while waiting to retry after: %w", r.op.method, r.path, err, final))
		}
	}
}

// setHeaders adds the client's and the call's headers, then auth,
// User-Agent and a default Accept (which the caller cannot replace).
func (r *request) setHeaders(h http.Header) {
	cfg := r.c.cfg
	for _, extra := range []http.Header{cfg.call.headers, r.opts.headers} {
		for k, vs := range extra {
			for _, v := range vs {
				h.Add(k, v)
			}
		}
	}
	h["Authorization"] = cfg.creds.auth
	h["User-Agent"] = cfg.uaHeader
	if a := h["Accept"]; len(a) == 0 || a[0] == "" {
		h["Accept"] = cfg.acceptHeader
	}
}

// classify decides what a failed attempt means: the error to return if the
// call stops here, whether to retry, and why — or, when the answer was
// "already exists" to our own request_id, the original object instead.
func (r *request) classify(res result, attempt int) (orig *result, retry bool, reason string, final error) {
	if res.err != nil {
		// errors.Is still sees context.DeadlineExceeded and friends.
		final = fmt.Errorf("glomo: %s %s: %w", r.op.method, r.path, res.err)
		switch {
		case errors.Is(res.err, ErrResponseTooLarge), errors.Is(res.err, ErrRedirect):
			return nil, false, "", res.err
		case notSendable(res.err):
			return nil, false, "", fmt.Errorf("glomo: %s %s: %w: %w", r.op.method, r.path, ErrNotSent, res.err)
		case !r.canRetry && res.sent:
			return nil, false, "", &OutcomeUnknownError{Method: r.op.method, Path: r.path, Err: final}
		case r.ctx.Err() != nil: // the caller's context ended; nothing to retry
			return nil, false, "", final
		}
		return nil, retryableTransport(res.err), "transport error", final
	}
	apiErr := newAPIError(res.status, r.op.method, r.path, r.requestID, res.body, r.c.cfg.creds.key)
	apiErr.Retryable = retryableStatus(res.status, apiErr)
	if (attempt > 0 || r.explicitID) && r.op.idempotent && r.requestID != "" && isDuplicate(res.status, apiErr) {
		if o, ok := r.resolveDuplicate(apiErr); ok {
			return &o, false, "", nil
		}
	}
	switch {
	case !apiErr.Retryable:
		return nil, false, "", apiErr
	case !r.canRetry && res.status == http.StatusTooManyRequests:
		return nil, true, "status 429", apiErr // a 429 was refused, not acted on
	case !r.canRetry && res.status >= 500:
		return nil, false, "", &OutcomeUnknownError{Method: r.op.method, Path: r.path, Err: apiErr}
	case !r.canRetry:
		return nil, false, "", apiErr
	}
	return nil, true, "status " + strconv.Itoa(res.status), apiErr
}

// lostCreate types the end of a retried create: when a write that carries a
// request_id stops on a transport error, a cancelled wait or a 5xx, an
// earlier attempt may have been acted on. The caller gets an
// *OutcomeUnknownError holding the request_id, to repeat the create with
// WithRequestID (which then returns the original) or look it up.
func (r *request) lostCreate(err error) error {
	if isSafeMethod(r.op.method) || r.requestID == "" {
		return err
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode < 500 {
		return err
	}
	if errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrRedirect) || errors.Is(err, ErrNotSent) || errors.Is(err, ErrResponseTooLarge) {
		return err
	}
	return &OutcomeUnknownError{Method: r.op.method, Path: r.path, RequestID: r.requestID, Err: err}
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// retryableStatus: 429, 500/502/503/504, and the 409 "being processed" lock.
func retryableStatus(status int, e *APIError) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	case http.StatusConflict:
		return strings.Contains(e.text(), "being processed")
	}
	return false
}

// retryableTransport: connection errors and timeouts are; certificate
// errors and requests net/http refused to build are not.
func retryableTransport(err error) bool {
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return false
	}
	var ue *url.Error
	if errors.As(err, &ue) && (ue.Op == "parse") {
		return false
	}
	return !notSendable(err)
}

// notSendable recognises a request net/http refuses before writing
// anything (an invalid header, an unsupported scheme): nothing left the
// machine, and resending the same request cannot succeed.
func notSendable(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "net/http: invalid header") || strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "net/http: nil Request.URL") || strings.Contains(msg, "invalid method")
}

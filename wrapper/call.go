package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/glomo-go/glomo-go/api"
)

// RequestOption configures one call.
type RequestOption interface {
	applyRequest(*callOptions)
}

type requestOptionFunc func(*callOptions)

func (f requestOptionFunc) applyRequest(o *callOptions) { f(o) }

// callOptions are the per-call settings.
type callOptions struct {
	requestID  string
	headers    http.Header
	timeout    time.Duration
	maxRetries *int
	captureID  *string
}

// WithRequestID sets the request_id of an idempotent create (orders,
// payments, refunds, payouts), replacing any the body carries. When neither
// sets one, the client sets a fresh UUID. Pass the RequestID of an earlier
// failed call (APIError.RequestID) to retry that same logical create: Glomo
// will not create a second object. On operations whose body has no
// request_id the option is ignored.
func WithRequestID(id string) RequestOption {
	return requestOptionFunc(func(o *callOptions) { o.requestID = strings.TrimSpace(id) })
}

// WithRequestIDCapture stores the request_id the call used (the caller's or
// the generated one) in *dst, whatever the outcome.
func WithRequestIDCapture(dst *string) RequestOption {
	return requestOptionFunc(func(o *callOptions) { o.captureID = dst })
}

// WithHeader adds a header to the request. Authorization and User-Agent are
// the client's and cannot be replaced.
func WithHeader(key, value string) RequestOption {
	return requestOptionFunc(func(o *callOptions) {
		if o.headers == nil {
			o.headers = http.Header{}
		}
		o.headers.Add(key, value)
	})
}

// WithTimeout bounds the whole call, retries and backoff included.
func WithTimeout(d time.Duration) RequestOption {
	return requestOptionFunc(func(o *callOptions) { o.timeout = d })
}

// callKey carries a *callState in the request context.
type callKey struct{}

// callState is one typed call: its options, and what the transport saw.
type callState struct {
	opts    callOptions
	editors []api.RequestEditorFn
	cancel  context.CancelFunc // WithTimeout's
	// reqBody is the JSON request body as marshalBody encoded it: the
	// transport takes it instead of reading the request's copy, and knows
	// it is valid JSON.
	reqBody []byte

	mu        sync.Mutex
	requestID string
	ok        bool // the transport handed a 2xx answer to the parser
	method    string
	path      string
	status    int
	ctype     string
	body      []byte
}

func callFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callKey{}).(*callState)
	return st
}

// callContext carries a call's state in its context: one allocation
// instead of a *callState and a context.WithValue.
type callContext struct {
	context.Context
	st callState
}

// Value implements context.Context.
func (c *callContext) Value(key any) any {
	if _, ok := key.(callKey); ok {
		return &c.st
	}
	return c.Context.Value(key)
}

// begin applies the options of one call. The caller defers st.done().
func (c *Client) begin(ctx context.Context, opts []RequestOption) (context.Context, *callState) {
	if ctx == nil {
		ctx = context.Background()
	}
	cc := &callContext{Context: ctx}
	st := &cc.st
	for _, o := range opts {
		if o != nil {
			o.applyRequest(&st.opts)
		}
	}
	if h := st.opts.headers; len(h) > 0 {
		st.editors = append(st.editors, func(_ context.Context, req *http.Request) error {
			for k, vs := range h {
				for _, v := range vs {
					req.Header.Add(k, v)
				}
			}
			return nil
		})
	}
	ctx = cc
	if st.opts.timeout > 0 {
		ctx, st.cancel = context.WithTimeout(ctx, st.opts.timeout)
	}
	return ctx, st
}

// done ends a call: it releases the timeout and hands the request_id to
// WithRequestIDCapture.
func (st *callState) done() {
	if st.cancel != nil {
		st.cancel()
	}
	if st.opts.captureID != nil {
		st.mu.Lock()
		*st.opts.captureID = st.requestID
		st.mu.Unlock()
	}
}

// decodeOK decodes a 2xx answer from the body the transport already read,
// when it is one the generated parser would decode into a JSON2xx field of
// type T: a JSON content type and one of statuses. ok is false for any
// other answer; the caller then runs the generated parser.
func decodeOK[T any](st *callState, resp *http.Response, statuses ...int) (out *T, ok bool, err error) {
	st.mu.Lock()
	answered, body := st.ok, st.body
	st.mu.Unlock()
	if !answered || resp == nil || !slices.Contains(statuses, resp.StatusCode) ||
		!strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return nil, false, nil
	}
	var dest T
	if err := json.Unmarshal(body, &dest); err != nil {
		return nil, true, st.fail(err)
	}
	return &dest, true, nil
}

// recordSuccess notes the 2xx answer given to the generated parser.
func (st *callState) recordSuccess(method, path string, status int, ctype string, body []byte) {
	if st == nil {
		return
	}
	st.mu.Lock()
	st.ok, st.method, st.path, st.status, st.ctype, st.body = true, method, path, status, ctype, body
	st.mu.Unlock()
}

func (st *callState) setRequestID(id string) {
	if st == nil {
		return
	}
	st.mu.Lock()
	st.requestID = id
	st.mu.Unlock()
}

// fail turns the error of a generated ...WithResponse call into the
// client's: transport errors come through as they are; an error after a 2xx
// answer is the generated parser's JSON error, so it becomes a *DecodeError.
func (st *callState) fail(err error) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.ok {
		return err
	}
	return &DecodeError{Method: st.method, Path: st.path, StatusCode: st.status, ContentType: st.ctype, Body: st.body, RequestID: st.requestID, Err: err}
}

// undecoded is a 2xx answer that filled none of the generated JSON2xx
// fields (no JSON content type, or an undocumented 2xx status).
func (st *callState) undecoded(resp *http.Response, body []byte) error {
	e := &DecodeError{Body: body}
	st.mu.Lock()
	e.RequestID = st.requestID
	st.mu.Unlock()
	if resp != nil {
		e.StatusCode = resp.StatusCode
		e.ContentType = resp.Header.Get("Content-Type")
		if resp.Request != nil {
			e.Method, e.Path = resp.Request.Method, resp.Request.URL.Path
		}
	}
	return e
}

// anyNonNil reports whether any of the flags is set; the generated methods
// use it for results with several 2xx body types (none in today's spec).
//
//lint:ignore U1000 called by operations.gen.go when the spec has such an operation
func anyNonNil(flags ...bool) bool {
	for _, f := range flags {
		if f {
			return true
		}
	}
	return false
}

// marshalBody encodes a JSON request body as the generated New...Request
// functions do (json.Marshal, its error as it is) and keeps the bytes, so
// that the transport need not read them back from the request.
func (st *callState) marshalBody(v any) (io.Reader, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		if _, union := v.(json.Marshaler); union {
			// A oneOf body with no branch set: Glomo would answer 400.
			return nil, ErrEmptyBody
		}
		b = []byte("{}") // an open body (a nil map) with nothing in it
	}
	st.reqBody = b
	return bytes.NewReader(b), nil
}

// jsonBody is marshalBody for the raw-body variant of a generated call
// whose typed variant would lose the body's MarshalJSON.
func (st *callState) jsonBody(v any) (io.Reader, error) {
	r, err := st.marshalBody(v)
	if err != nil {
		return nil, fmt.Errorf("glomo: encode request body: %w", err)
	}
	return r, nil
}

// derefSlice turns the generated *[]T page data into []T.
func derefSlice[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

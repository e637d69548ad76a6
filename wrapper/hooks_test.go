package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/wrapper"
)

// fastRetries keeps retried tests quick: 1 ms backoff instead of 0.5–8 s.
var fastRetries = wrapper.WithRetryPolicy(wrapper.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})

// events is an ordered, goroutine-safe record of what happened in a call.
type events struct {
	mu  sync.Mutex
	log []string
}

func (e *events) add(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = append(e.log, s)
}

func (e *events) all() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.log...)
}

// doerFunc adapts a function to api.HttpRequestDoer.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// markKey is the context key a test middleware sets, to find it again on
// every attempt's request.
type markKey struct{}

// recordingDoer sends through http.DefaultClient and logs each attempt with
// the middleware mark its request's context carries.
func recordingDoer(ev *events) wrapper.Option {
	return wrapper.WithHTTPDoer(doerFunc(func(r *http.Request) (*http.Response, error) {
		mark, _ := r.Context().Value(markKey{}).(string)
		ev.add("attempt " + r.Method + " " + r.URL.Path + " mark=" + mark)
		return http.DefaultClient.Do(r)
	}))
}

// newMockClient starts the mock with faults and a client pointed at it.
func newMockClient(t *testing.T, faults []mock.Fault, opts ...wrapper.Option) (*mock.Server, *wrapper.Client) {
	t.Helper()
	srv := mock.NewServer(t, mock.WithFaults(faults...))
	c, err := wrapper.New(append([]wrapper.Option{wrapper.WithAPIKey(srv.Key), wrapper.WithBaseURL(srv.URL), fastRetries}, opts...)...)
	require.NoError(t, err)
	return srv, c
}

func unavailable(op string, times int) mock.Fault {
	return mock.Fault{Operation: op, Kind: mock.FaultStatus, Status: http.StatusServiceUnavailable, Times: times}
}

// One middleware run spans the whole call: the two 503s and the success are
// three attempts inside it, each carrying the context it passed to next.
func TestMiddlewareWrapsEveryAttempt(t *testing.T) {
	ev := &events{}
	var got []wrapper.Call
	mw := func(ctx context.Context, call wrapper.Call, next wrapper.Handler) (*wrapper.Response, error) {
		got = append(got, call)
		ev.add("begin " + call.OperationID)
		resp, err := next(context.WithValue(ctx, markKey{}, "call-1"))
		require.NotNil(t, resp)
		ev.add("end status=" + http.StatusText(resp.StatusCode))
		assert.Equal(t, 3, resp.Attempts)
		return resp, err
	}
	_, c := newMockClient(t, []mock.Fault{unavailable("getBalance", 2)}, recordingDoer(ev), wrapper.WithMiddleware(mw))

	bal, err := c.GetBalance(context.Background())
	require.NoError(t, err)
	require.NotNil(t, bal)
	assert.Equal(t, []wrapper.Call{{OperationID: "getBalance", Method: "GET", Path: "/v1/balances"}}, got)
	assert.Equal(t, []string{
		"begin getBalance",
		"attempt GET /api/v1/balances mark=call-1",
		"attempt GET /api/v1/balances mark=call-1",
		"attempt GET /api/v1/balances mark=call-1",
		"end status=OK",
	}, ev.all())
}

// A create's middleware sees the request_id the call carries.
func TestMiddlewareSeesTheRequestID(t *testing.T) {
	var call wrapper.Call
	mw := func(ctx context.Context, c wrapper.Call, next wrapper.Handler) (*wrapper.Response, error) {
		call = c
		return next(ctx)
	}
	srv, c := newMockClient(t, nil, wrapper.WithMiddleware(mw))
	require.NoError(t, srv.Put("beneficiaries", map[string]any{"id": "bene_1", "status": "active"}))
	var id string
	_, err := c.CreatePayout(context.Background(), payoutBody(t, "bene_1"), wrapper.WithRequestIDCapture(&id))
	require.NoError(t, err)
	assert.Equal(t, wrapper.Call{OperationID: "createPayout", Method: "POST", Path: "/v1/payouts", RequestID: id}, call)
	assert.NotEmpty(t, id)
}

func payoutBody(t *testing.T, bene string) api.CreatePayoutBody {
	t.Helper()
	return api.CreatePayoutWithoutQuoteRequest{
		BeneficiaryId: bene, SourceCurrency: api.USD, SourceAmount: 29900, // above the mock's fees
		DestinationCurrency: api.USD, PurposeCode: "S0017",
	}
}

// The client's middlewares run outside the call's, each list in the order
// given: the first is outermost.
func TestMiddlewareOrder(t *testing.T) {
	ev := &events{}
	named := func(name string) wrapper.Middleware {
		return func(ctx context.Context, _ wrapper.Call, next wrapper.Handler) (*wrapper.Response, error) {
			ev.add("enter " + name)
			defer ev.add("leave " + name)
			return next(ctx)
		}
	}
	_, c := newMockClient(t, nil, wrapper.WithMiddleware(named("client-1"), named("client-2")), wrapper.WithMiddleware(named("client-3")))
	_, err := c.GetBalance(context.Background(), wrapper.WithMiddleware(named("call-1")), wrapper.WithMiddleware(named("call-2")))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"enter client-1", "enter client-2", "enter client-3", "enter call-1", "enter call-2",
		"leave call-2", "leave call-1", "leave client-3", "leave client-2", "leave client-1",
	}, ev.all())

	// The next call has only the client's.
	ev.log = nil
	_, err = c.GetBalance(context.Background())
	require.NoError(t, err)
	assert.Len(t, ev.all(), 6)
}

// Middleware misuse is an error, never a second request or a nil result.
func TestMiddlewareMisuse(t *testing.T) {
	ev := &events{}
	twice := func(ctx context.Context, _ wrapper.Call, next wrapper.Handler) (*wrapper.Response, error) {
		if _, err := next(ctx); err != nil {
			return nil, err
		}
		return next(ctx)
	}
	_, c := newMockClient(t, nil, recordingDoer(ev))
	_, err := c.GetBalance(context.Background(), wrapper.WithMiddleware(twice))
	require.ErrorContains(t, err, "middleware called next twice")
	assert.Len(t, ev.all(), 1, "the second next sent nothing")

	skip := func(context.Context, wrapper.Call, wrapper.Handler) (*wrapper.Response, error) { return nil, nil }
	bal, err := c.GetBalance(context.Background(), wrapper.WithMiddleware(skip))
	require.ErrorContains(t, err, "middleware returned without calling next")
	assert.Nil(t, bal)

	// Swallowing next's error does not make a success.
	swallow := func(ctx context.Context, _ wrapper.Call, next wrapper.Handler) (*wrapper.Response, error) {
		resp, _ := next(ctx)
		return resp, nil
	}
	_, err = c.GetPayoutById(context.Background(), "payout_missing", wrapper.WithMiddleware(swallow))
	require.True(t, wrapper.IsNotFound(err), "%v", err)

	veto := errors.New("vetoed")
	_, err = c.GetBalance(context.Background(), wrapper.WithMiddleware(func(ctx context.Context, _ wrapper.Call, next wrapper.Handler) (*wrapper.Response, error) {
		resp, _ := next(ctx)
		return resp, veto
	}))
	require.ErrorIs(t, err, veto)

	_, err = wrapper.New(wrapper.WithAPIKey("sk_x"), wrapper.WithMiddleware(nil))
	var ce *wrapper.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Middleware", ce.Field)
}

// Calls through API() get the client's middlewares, with the URL path and
// no operationId.
func TestMiddlewareOnAPI(t *testing.T) {
	var got wrapper.Call
	var attempts int
	mw := func(ctx context.Context, call wrapper.Call, next wrapper.Handler) (*wrapper.Response, error) {
		got = call
		resp, err := next(ctx)
		attempts = resp.Attempts
		return resp, err
	}
	_, c := newMockClient(t, []mock.Fault{unavailable("getBalance", 1)}, wrapper.WithMiddleware(mw))
	res, err := c.API().GetBalanceWithResponse(context.Background())
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode())
	assert.Equal(t, wrapper.Call{Method: "GET", Path: "/api/v1/balances"}, got)
	assert.Equal(t, 2, attempts)
}

func TestResponseIntoOnSuccess(t *testing.T) {
	_, c := newMockClient(t, []mock.Fault{unavailable("getBalance", 1)})
	var resp wrapper.Response
	bal, err := c.GetBalance(context.Background(), wrapper.WithResponseInto(&resp))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 2, resp.Attempts)
	assert.Contains(t, resp.Header.Get("Content-Type"), "application/json")
	var again api.AllBalances
	require.NoError(t, json.Unmarshal(resp.Body, &again))
	assert.Equal(t, *bal, again, "Body is the body the result was decoded from")
}

func TestResponseIntoOnTypedErrors(t *testing.T) {
	t.Run("APIError", func(t *testing.T) {
		_, c := newMockClient(t, []mock.Fault{unavailable("getBalance", 3)})
		var resp wrapper.Response
		_, err := c.GetBalance(context.Background(), wrapper.WithResponseInto(&resp))
		var apiErr *wrapper.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.Equal(t, 3, resp.Attempts)
		assert.Equal(t, apiErr.Body, resp.Body)
		assert.NotEmpty(t, resp.Header)
	})
	t.Run("not found", func(t *testing.T) {
		_, c := newMockClient(t, nil)
		var resp wrapper.Response
		_, err := c.GetPayoutById(context.Background(), "payout_missing", wrapper.WithResponseInto(&resp))
		require.True(t, wrapper.IsNotFound(err))
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Contains(t, string(resp.Body), "Payout not found")
	})
	t.Run("DecodeError", func(t *testing.T) {
		_, c := newMockClient(t, []mock.Fault{{Operation: "getBalance", Kind: mock.FaultWrongContentType}})
		var resp wrapper.Response
		_, err := c.GetBalance(context.Background(), wrapper.WithResponseInto(&resp))
		var de *wrapper.DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
		assert.Equal(t, de.Body, resp.Body)
	})
	t.Run("transport error", func(t *testing.T) {
		_, c := newMockClient(t, []mock.Fault{{Operation: "getBalance", Kind: mock.FaultReset, Times: -1}})
		var resp wrapper.Response
		_, err := c.GetBalance(context.Background(), wrapper.WithResponseInto(&resp))
		require.Error(t, err)
		assert.Equal(t, wrapper.Response{Attempts: 3}, resp)
	})
	t.Run("client option refused", func(t *testing.T) {
		var resp wrapper.Response
		_, err := wrapper.New(wrapper.WithAPIKey("sk_x"), wrapper.WithResponseInto(&resp))
		var ce *wrapper.ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "ResponseInto", ce.Field)
	})
}

package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/drift"
)

const payoutJSON = `{"id":"payout_1","status":"queued","destination_amount":29900}`

func TestAuthHeaderOnEveryAttempt(t *testing.T) {
	f := newFake(t, script(reply{status: 503, body: `{"error":"Service Unavailable"}`}, reply{body: payoutJSON}))
	h := newHarness(t, f)
	p, err := h.c.GetPayoutById(t.Context(), "payout_1")
	require.NoError(t, err)
	assert.Equal(t, "payout_1", p.Id)
	reqs := f.requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
	}
}

func TestRetryableStatuses(t *testing.T) {
	cases := []struct {
		status int
		body   string
		is     error
	}{
		{429, `{"error":"Too Many Requests"}`, ErrRateLimited},
		{500, `{"error":"Internal Server Error"}`, ErrServer},
		{502, `not json`, ErrServer},
		{503, `{"error":"Service Unavailable"}`, ErrServer},
		{504, ``, ErrServer},
		{409, `{"error":"Conflict","message":"Refund is being processed"}`, ErrConflict},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			// Always failing: first attempt + 2 retries, then the error.
			f := newFake(t, script(reply{status: tc.status, body: tc.body}))
			h := newHarness(t, f)
			_, err := h.c.GetPayoutById(t.Context(), "payout_1")
			require.Error(t, err)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.True(t, apiErr.Retryable)
			assert.ErrorIs(t, err, tc.is)
			assert.Len(t, f.requests(), 3)
			assert.Equal(t, []time.Duration{500 * time.Millisecond, time.Second}, h.slept())

			// Failing once, then fine.
			f2 := newFake(t, script(reply{status: tc.status, body: tc.body}, reply{body: payoutJSON}))
			h2 := newHarness(t, f2)
			p, err := h2.c.GetPayoutById(t.Context(), "payout_1")
			require.NoError(t, err)
			assert.Equal(t, "payout_1", p.Id)
			assert.Len(t, f2.requests(), 2)
		})
	}
}

func TestNonRetryableStatuses(t *testing.T) {
	cases := []struct {
		status int
		is     error
	}{
		{400, ErrBadRequest}, {401, ErrUnauthorized}, {402, ErrUnprocessable}, {403, ErrForbidden},
		{404, ErrNotFound}, {409, ErrConflict}, {422, ErrUnprocessable}, {501, ErrServer},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			f := newFake(t, script(reply{status: tc.status, body: `{"error":"Nope","message":"Payout not found"}`}))
			h := newHarness(t, f)
			_, err := h.c.GetPayoutById(t.Context(), "payout_1")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.False(t, apiErr.Retryable)
			assert.Equal(t, "Nope", apiErr.Err)
			assert.Equal(t, "Payout not found", apiErr.Message)
			assert.Equal(t, http.MethodGet, apiErr.Method)
			assert.Equal(t, "/api/v1/payouts/payout_1", apiErr.Path)
			assert.ErrorIs(t, err, tc.is)
			assert.Len(t, f.requests(), 1)
			assert.Empty(t, h.slept())
			assert.Equal(t, tc.status == 404, IsNotFound(err))
			assert.Equal(t, tc.status == 409, IsConflict(err))
			assert.False(t, IsRateLimited(err))
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name, value string
		want        time.Duration
	}{
		{"seconds", "3", 3 * time.Second},
		{"http date", now.Add(5 * time.Second).Format(http.TimeFormat), 5 * time.Second},
		{"past date", now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"capped seconds", "3600", 30 * time.Second},
		{"capped date", now.Add(time.Hour).Format(http.TimeFormat), 30 * time.Second},
		{"garbage falls back to backoff", "soon", 500 * time.Millisecond},
		{"negative falls back to backoff", "-1", 500 * time.Millisecond},
		{"a sign is not delay-seconds (RFC 9110: digits only)", "+5", 500 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, script(reply{status: 429, body: `{"error":"Too Many Requests"}`, header: map[string]string{"Retry-After": tc.value}}, reply{body: payoutJSON}))
			h := newHarness(t, f, withHooks(nil, nil, func() time.Time { return now }))
			_, err := h.c.GetPayoutById(t.Context(), "payout_1")
			require.NoError(t, err)
			assert.Equal(t, []time.Duration{tc.want}, h.slept())
		})
	}
}

func TestBackoffFullJitter(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}.withDefaults()
	ceil := func(d time.Duration) time.Duration { return d }
	assert.Equal(t, 100*time.Millisecond, p.backoff(1, ceil))
	assert.Equal(t, 200*time.Millisecond, p.backoff(2, ceil))
	assert.Equal(t, 800*time.Millisecond, p.backoff(4, ceil))
	assert.Equal(t, time.Second, p.backoff(5, ceil))
	assert.Equal(t, time.Second, p.backoff(50, ceil))
	for range 100 {
		d := p.backoff(3, randomJitter)
		assert.GreaterOrEqual(t, d, time.Duration(0))
		assert.LessOrEqual(t, d, 400*time.Millisecond)
	}
	assert.Equal(t, time.Duration(0), randomJitter(0))
	assert.Equal(t, 30*time.Second, p.MaxRetryAfter)
}

func TestSleepCtx(t *testing.T) {
	require.NoError(t, sleepCtx(t.Context(), time.Millisecond))
	require.NoError(t, sleepCtx(t.Context(), 0))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, sleepCtx(ctx, time.Hour), context.Canceled)
	require.ErrorIs(t, sleepCtx(ctx, 0), context.Canceled)
}

func TestContextCancelMidBackoff(t *testing.T) {
	f := newFake(t, script(reply{status: 503, body: `{"error":"Service Unavailable"}`}))
	ctx, cancel := context.WithCancel(t.Context())
	var calls atomic.Int32
	var sleepErr error
	h := newHarness(t, f, withHooks(func(ctx context.Context, d time.Duration) error {
		calls.Add(1)
		cancel() // the caller gives up while the client waits to retry
		sleepErr = sleepCtx(ctx, time.Hour)
		return sleepErr
	}, nil, nil))
	_, err := h.c.GetPayoutById(ctx, "payout_1")
	require.Error(t, err)
	assert.ErrorIs(t, sleepErr, context.Canceled, "the hour-long wait ended because the context did, not by waiting")
	assert.ErrorIs(t, err, context.Canceled)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "the last failure stays reachable")
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Len(t, f.requests(), 1)
	assert.EqualValues(t, 1, calls.Load())
}

func TestWriteWithoutRequestIDNotRetriedAfterSend(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f := newFake(t, script(reply{status: status, body: `{"error":"boom"}`}))
			h := newHarness(t, f)
			email := openapi_types.Email("a@example.com")
			_, err := h.c.CreateCustomer(t.Context(), api.CreateCustomerJSONRequestBody{Email: string(email)})
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			var ou *OutcomeUnknownError
			require.ErrorAs(t, err, &ou)
			assert.Contains(t, err.Error(), "outcome unknown")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Len(t, f.requests(), 1, "a create without request_id must not be repeated")
			assert.NotContains(t, string(f.requests()[0].Body), "request_id")
		})
	}
	t.Run("429 is retried: the request was refused, not acted on", func(t *testing.T) {
		f := newFake(t, script(reply{status: 429, body: `{"error":"Too Many Requests"}`}))
		h := newHarness(t, f)
		_, err := h.c.CreatePayin(t.Context(), payinBody())
		assert.True(t, IsRateLimited(err))
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
		assert.Len(t, f.requests(), 3, "first attempt + 2 retries")
	})
	t.Run("429 then success creates once", func(t *testing.T) {
		f := newFake(t, script(reply{status: 429, body: `{"error":"Too Many Requests"}`}, reply{status: 201, body: `{"id":"plink_1"}`}))
		h := newHarness(t, f)
		_, err := h.c.CreatePayin(t.Context(), payinBody())
		require.NoError(t, err)
		assert.Len(t, f.requests(), 2)
	})
	t.Run("connection dropped after send", func(t *testing.T) {
		f := newFake(t, func(n int, r *http.Request, _ []byte) reply {
			panic(http.ErrAbortHandler) // the server closes the connection without answering
		})
		h := newHarness(t, f)
		email := openapi_types.Email("a@example.com")
		_, err := h.c.CreateCustomer(t.Context(), api.CreateCustomerJSONRequestBody{Email: string(email)})
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
		assert.Len(t, f.requests(), 1)
	})
	t.Run("connection refused is retried: nothing was sent", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		require.NoError(t, ln.Close())
		h := newHarness(t, nil, WithBaseURL("http://"+addr+"/api"))
		email := openapi_types.Email("a@example.com")
		_, err = h.c.CreateCustomer(t.Context(), api.CreateCustomerJSONRequestBody{Email: string(email)})
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
		assert.Len(t, h.slept(), 2, "two retries")
		var op *net.OpError
		assert.ErrorAs(t, err, &op)
	})
}

func TestRequestIDInjectedAndReusedAcrossRetries(t *testing.T) {
	f := newFake(t, script(
		reply{status: 503, body: `{"error":"Service Unavailable"}`},
		reply{status: 500, body: `{"error":"Internal Server Error"}`},
		reply{status: 201, body: payoutJSON},
	))
	h := newHarness(t, f)
	var used string
	p, err := h.c.CreatePayout(t.Context(), payoutBody(""), WithRequestIDCapture(&used))
	require.NoError(t, err)
	assert.Equal(t, "payout_1", p.Id)
	reqs := f.requests()
	require.Len(t, reqs, 3)
	first := bodyMap(t, reqs[0].Body)
	id, _ := first["request_id"].(string)
	require.Len(t, id, 36, "a UUID")
	assert.Equal(t, "bene_1", first["beneficiary_id"])
	assert.EqualValues(t, 29900, first["destination_amount"])
	for _, r := range reqs {
		assert.Equal(t, string(reqs[0].Body), string(r.Body), "identical bytes on every attempt")
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	}
	assert.Equal(t, id, used)

	// A second call gets a different request_id.
	_, err = h.c.CreatePayout(t.Context(), payoutBody(""), WithRequestIDCapture(&used))
	require.NoError(t, err)
	assert.NotEqual(t, id, used)
}

func TestRequestIDFromCallerIsKept(t *testing.T) {
	f := newFake(t, script(reply{status: 201, body: payoutJSON}))
	h := newHarness(t, f)
	_, err := h.c.CreatePayout(t.Context(), payoutBody("mine-1"))
	require.NoError(t, err)
	_, err = h.c.CreatePayout(t.Context(), payoutBody("mine-1"), WithRequestID("opt-2"))
	require.NoError(t, err)
	reqs := f.requests()
	assert.Equal(t, "mine-1", bodyMap(t, reqs[0].Body)["request_id"])
	assert.Equal(t, "opt-2", bodyMap(t, reqs[1].Body)["request_id"], "the option wins")
}

func TestIdempotentCreateErrorCarriesRequestID(t *testing.T) {
	f := newFake(t, script(reply{status: 503, body: `{"error":"Service Unavailable"}`}))
	h := newHarness(t, f)
	_, err := h.c.CreateRefund(t.Context(), api.CreateRefundJSONRequestBody{PaymentId: "payt_1", Reason: "Requested By Customer"}, WithRequestID("refund-key-1"))
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "refund-key-1", apiErr.RequestID)
	assert.Contains(t, err.Error(), "refund-key-1")
	// Retried, and after the last 5xx an earlier attempt may still have been
	// acted on: the outcome is unknown, and the error says which request_id
	// to repeat the create with.
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "refund-key-1", ou.RequestID)
	assert.Len(t, f.requests(), 3)
}

func TestDuplicateAnswerResolvedToExistingObject(t *testing.T) {
	t.Run("payout 409 Record already exists", func(t *testing.T) {
		var rid atomic.Value
		f := newFake(t, func(n int, r *http.Request, body []byte) reply {
			switch {
			case r.Method == http.MethodPost && n == 0:
				rid.Store(bodyMap(t, body)["request_id"])
				return reply{status: 502, body: `{"error":"Bad Gateway"}`} // the payout was made, the answer lost
			case r.Method == http.MethodPost:
				return reply{status: 409, body: `{"error":"Conflict","message":"Record already exists"}`}
			default:
				return reply{body: fmt.Sprintf(`{"data":[{"id":"payout_77","request_id":%q,"status":"queued"}],"page_meta":{"next":null}}`, rid.Load())}
			}
		})
		h := newHarness(t, f)
		p, err := h.c.CreatePayout(t.Context(), payoutBody(""))
		require.NoError(t, err)
		assert.Equal(t, "payout_77", p.Id)
		reqs := f.requests()
		require.Len(t, reqs, 3)
		assert.Equal(t, http.MethodGet, reqs[2].Method)
		assert.Equal(t, "/api/v1/payouts", reqs[2].Path)
		assert.Equal(t, "request_id="+rid.Load().(string), reqs[2].Query)
		assert.Contains(t, h.logs.String(), "glomo duplicate resolved")
	})
	t.Run("refund 400 already exists for this request_id", func(t *testing.T) {
		f := newFake(t, func(n int, r *http.Request, body []byte) reply {
			switch {
			case r.Method == http.MethodPost && n == 0:
				return reply{status: 500, body: `{"error":"Internal Server Error"}`}
			case r.Method == http.MethodPost:
				return reply{status: 400, body: `{"error":"Bad Request","message":"Refund already exists for this request_id"}`}
			default:
				return reply{body: `{"data":[{"id":"refund_5","request_id":"rk"}],"page_meta":{"next":null}}`}
			}
		})
		h := newHarness(t, f)
		r, err := h.c.CreateRefund(t.Context(), api.CreateRefundJSONRequestBody{PaymentId: "payt_1", Reason: "Requested By Customer"}, WithRequestID("rk"))
		require.NoError(t, err)
		assert.Equal(t, "refund_5", r.Id)
		assert.Equal(t, "/api/v1/refunds", f.requests()[2].Path)
	})
	t.Run("a caller repeating a create WithRequestID gets the original", func(t *testing.T) {
		f := newFake(t, func(n int, r *http.Request, body []byte) reply {
			if r.Method == http.MethodPost {
				return reply{status: 409, body: `{"error":"Conflict","message":"Record already exists"}`}
			}
			return reply{body: `{"data":[{"id":"payout_7","request_id":"reused"}],"page_meta":{"next":null}}`}
		})
		h := newHarness(t, f)
		p, err := h.c.CreatePayout(t.Context(), payoutBody(""), WithRequestID("reused"))
		require.NoError(t, err)
		assert.Equal(t, "payout_7", p.Id)
		assert.Len(t, f.requests(), 2, "the create, then the lookup")
	})
	// Issue 10 item 3: a request_id the caller set in the body names the
	// logical create exactly as WithRequestID does, so a repeat resolves to
	// the original (before: 409 "Record already exists" reached the caller).
	t.Run("a create repeated with request_id in the body gets the original", func(t *testing.T) {
		f := newFake(t, func(n int, r *http.Request, body []byte) reply {
			if r.Method == http.MethodPost {
				assert.Equal(t, "reused", bodyMap(t, body)["request_id"])
				return reply{status: 409, body: `{"error":"Conflict","message":"Record already exists"}`}
			}
			return reply{body: `{"data":[{"id":"payout_8","request_id":"reused"}],"page_meta":{"next":null}}`}
		})
		h := newHarness(t, f)
		var captured string
		p, err := h.c.CreatePayout(t.Context(), payoutBody("reused"), WithRequestIDCapture(&captured))
		require.NoError(t, err)
		assert.Equal(t, "payout_8", p.Id)
		assert.Equal(t, "reused", captured)
		require.Len(t, f.requests(), 2, "the create, then the lookup")
		assert.Equal(t, "request_id=reused", f.requests()[1].Query)
	})
	t.Run("a refund repeated with RequestId in the body gets the original", func(t *testing.T) {
		f := newFake(t, func(n int, r *http.Request, body []byte) reply {
			if r.Method == http.MethodPost {
				return reply{status: 400, body: `{"error":"Bad Request","message":"Refund already exists for this request_id"}`}
			}
			return reply{body: `{"data":[{"id":"refund_9","request_id":"rk9"}],"page_meta":{"next":null}}`}
		})
		h := newHarness(t, f)
		r, err := h.c.CreateRefund(t.Context(), api.CreateRefundJSONRequestBody{PaymentId: "payt_1", Reason: "Requested By Customer", RequestId: "rk9"})
		require.NoError(t, err)
		assert.Equal(t, "refund_9", r.Id)
		assert.Equal(t, "rk9", bodyMap(t, f.requests()[0].Body)["request_id"])
	})
	t.Run("lookup finds nothing: the duplicate error stands", func(t *testing.T) {
		f := newFake(t, func(n int, r *http.Request, body []byte) reply {
			switch {
			case r.Method == http.MethodPost && n == 0:
				return reply{status: 503, body: `{}`}
			case r.Method == http.MethodPost:
				return reply{status: 409, body: `{"error":"Conflict","message":"Record already exists"}`}
			default:
				return reply{body: `{"data":[],"page_meta":{"next":null}}`}
			}
		})
		h := newHarness(t, f)
		_, err := h.c.CreatePayout(t.Context(), payoutBody(""))
		assert.True(t, IsConflict(err))
		assert.Len(t, f.requests(), 3)
	})
	t.Run("lookup fails: the duplicate error stands", func(t *testing.T) {
		f := newFake(t, func(n int, r *http.Request, body []byte) reply {
			switch {
			case r.Method == http.MethodPost && n == 0:
				return reply{status: 503, body: `{}`}
			case r.Method == http.MethodPost:
				return reply{status: 409, body: `{"error":"Conflict","message":"Record already exists"}`}
			default:
				return reply{status: 403, body: `{"error":"Forbidden"}`}
			}
		})
		h := newHarness(t, f)
		_, err := h.c.CreatePayout(t.Context(), payoutBody(""))
		assert.True(t, IsConflict(err))
	})
}

func TestFindByRequestID(t *testing.T) {
	assert.Nil(t, findByRequestID([]byte(`nope`), "a"))
	assert.Nil(t, findByRequestID([]byte(`{"data":[{"id":"x","request_id":"other"}]}`), "a"))
	assert.JSONEq(t, `{"id":"x"}`, string(findByRequestID([]byte(`{"data":[{"id":"x"}]}`), "a")))
	assert.Nil(t, findByRequestID([]byte(`{"data":[{"id":"x"},{"id":"y"}]}`), "a"))
	assert.JSONEq(t, `{"id":"y","request_id":"a"}`, string(findByRequestID([]byte(`{"data":[1,{"id":"x","request_id":"b"},{"id":"y","request_id":"a"}]}`), "a")))
}

func TestErrorBodies(t *testing.T) {
	cases := []struct {
		body                   string
		wantErr, wantMsg, code string
	}{
		{`{"error":"Bad Request","message":"Insufficient balance","code":"INSUFFICIENT_BALANCE"}`, "Bad Request", "Insufficient balance", "INSUFFICIENT_BALANCE"},
		{`{"error":{"code":"invalid_amount","message":"Amount must be positive"}}`, "", "Amount must be positive", "invalid_amount"},
		{`{"message":"only a message"}`, "", "only a message", ""},
		{`<html>bad gateway</html>`, "", "", ""},
		{`{"error":42}`, "", "", ""},
	}
	for _, tc := range cases {
		e := newAPIError(400, "POST", "/api/v1/payouts", "", []byte(tc.body), secret(testKey))
		assert.Equal(t, tc.wantErr, e.Err, tc.body)
		assert.Equal(t, tc.wantMsg, e.Message, tc.body)
		assert.Equal(t, tc.code, e.Code, tc.body)
		assert.Equal(t, tc.body, string(e.Body))
	}
	e := newAPIError(400, "POST", "/p", "", []byte(`{"error":"x","message":"x","code":"C"}`), secret(testKey))
	assert.Equal(t, "glomo: POST /p: 400 Bad Request: x (C)", e.Error())

	big := `{"error":"` + strings.Repeat("a", 100<<10) + `"}`
	e = newAPIError(500, "GET", "/p", "", []byte(big), secret(testKey))
	assert.Len(t, e.Body, maxErrorBody)
}

func TestDecodeFailure(t *testing.T) {
	t.Run("malformed JSON", func(t *testing.T) {
		f := newFake(t, script(reply{body: `{"id": 12, "status": [}`}))
		h := newHarness(t, f)
		p, err := h.c.GetPayoutById(t.Context(), "payout_1")
		assert.Nil(t, p)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.ErrorIs(t, err, ErrDecode)
		assert.Equal(t, `{"id": 12, "status": [}`, string(de.Body))
		assert.Equal(t, 200, de.StatusCode)
		assert.Equal(t, "/api/v1/payouts/payout_1", de.Path)
		assert.NotNil(t, de.Unwrap())
		assert.Contains(t, de.Error(), "does not decode")
	})
	t.Run("wrong types", func(t *testing.T) {
		f := newFake(t, script(reply{body: `{"id": 12}`}))
		h := newHarness(t, f)
		_, err := h.c.GetPayoutById(t.Context(), "payout_1")
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, `{"id": 12}`, string(de.Body))
	})
	t.Run("not JSON at all", func(t *testing.T) {
		f := newFake(t, script(reply{body: `hello`, header: map[string]string{"Content-Type": "text/plain"}}))
		h := newHarness(t, f)
		p, err := h.c.GetPayoutById(t.Context(), "payout_1")
		assert.Nil(t, p)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, "hello", string(de.Body))
		assert.Equal(t, "text/plain", de.ContentType)
		assert.Nil(t, de.Err)
		assert.Contains(t, de.Error(), "text/plain")
	})
}

func TestOversizedBodyRefused(t *testing.T) {
	big := `{"id":"payout_1","notes":"` + strings.Repeat("x", 4096) + `"}`
	t.Run("content length", func(t *testing.T) {
		f := newFake(t, script(reply{body: big}))
		h := newHarness(t, f, WithMaxResponseBytes(1024))
		_, err := h.c.GetPayoutById(t.Context(), "payout_1")
		var tl *ResponseTooLargeError
		require.ErrorAs(t, err, &tl)
		assert.ErrorIs(t, err, ErrResponseTooLarge)
		assert.EqualValues(t, 1024, tl.Limit)
		assert.Contains(t, err.Error(), "larger than 1024")
		assert.Len(t, f.requests(), 1, "not retried")
	})
	t.Run("chunked", func(t *testing.T) {
		f := newFake(t, script(reply{body: big, header: map[string]string{"Transfer-Encoding": "chunked"}}))
		h := newHarness(t, f, WithMaxResponseBytes(1024))
		_, err := h.c.GetPayoutById(t.Context(), "payout_1")
		assert.ErrorIs(t, err, ErrResponseTooLarge)
	})
	t.Run("default limit is 10 MiB", func(t *testing.T) {
		f := newFake(t, func(int, *http.Request, []byte) reply {
			return reply{body: `{"id":"` + strings.Repeat("y", DefaultMaxResponseBytes) + `"}`}
		})
		h := newHarness(t, f)
		_, err := h.c.GetPayoutById(t.Context(), "payout_1")
		assert.ErrorIs(t, err, ErrResponseTooLarge)
	})
}

func TestTransportErrorsStayWrapped(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, func(n int, r *http.Request, _ []byte) reply {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		return reply{body: payoutJSON}
	})
	defer close(release)
	h := newHarness(t, f)
	_, err := h.c.GetPayoutById(t.Context(), "payout_1", WithTimeout(50*time.Millisecond))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "GET /api/v1/payouts/payout_1")
	requireNoKey(t, err.Error())
}

func TestHTTPClientTimeoutIsRetried(t *testing.T) {
	release := make(chan struct{})
	var n atomic.Int32
	f := newFake(t, func(_ int, r *http.Request, _ []byte) reply {
		if n.Add(1) == 1 {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}
		return reply{body: payoutJSON}
	})
	defer close(release)
	d := newTimeoutOnFirst(t)
	h := newHarness(t, f, WithHTTPDoer(d))
	p, err := h.c.GetPayoutById(t.Context(), "payout_1")
	require.NoError(t, err)
	assert.Equal(t, "payout_1", p.Id)
	require.Error(t, d.firstErr, "the first attempt ended by the client's Timeout")
	assert.Contains(t, d.firstErr.Error(), "Client.Timeout exceeded")
	assert.Len(t, h.slept(), 1)
	assert.EqualValues(t, 2, n.Load(), "one timed-out attempt, then one that answered")
}

// timeoutOnFirst sends the first request through an *http.Client with a short
// Timeout (the fake holds that request until it is cancelled, so it always
// times out with net/http's own Client.Timeout error) and every later one
// through the same transport without a timeout, so a loaded machine cannot
// make a retry time out as well: the tests assert what happened and in which
// order, never how fast.
type timeoutOnFirst struct {
	calls        atomic.Int32
	short, plain *http.Client
	firstErr     error // written by the first Do, read after the call returns
}

func newTimeoutOnFirst(t *testing.T) *timeoutOnFirst {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &timeoutOnFirst{short: &http.Client{Timeout: 100 * time.Millisecond, Transport: tr}, plain: &http.Client{Transport: tr}}
}

func (d *timeoutOnFirst) Do(r *http.Request) (*http.Response, error) {
	if d.calls.Add(1) == 1 {
		resp, err := d.short.Do(r)
		d.firstErr = err
		return resp, err
	}
	return d.plain.Do(r)
}

func TestPerRequestOptions(t *testing.T) {
	f := newFake(t, script(reply{status: 503, body: `{}`}))
	h := newHarness(t, f)
	_, err := h.c.GetPayoutById(t.Context(), "payout_1", WithMaxRetries(0), WithHeader("X-Trace", "t1"), WithHeader("Authorization", "Bearer other"), nil)
	require.Error(t, err)
	reqs := f.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "t1", reqs[0].Header.Get("X-Trace"))
	assert.Equal(t, "Bearer "+testKey, reqs[0].Header.Get("Authorization"), "the client's auth wins")

	h2 := newHarness(t, f, WithMaxRetries(1))
	_, err = h2.c.GetPayoutById(t.Context(), "payout_1")
	require.Error(t, err)
	assert.Len(t, f.requests(), 3)

	// One option story (issue 10 item 8): a negative count is refused per
	// call exactly as in New, before anything is sent — no silent clamp.
	h3 := newHarness(t, f, WithRetryPolicy(RetryPolicy{MaxRetries: 0}))
	_, err = h3.c.GetPayoutById(t.Context(), "payout_1", WithMaxRetries(-5))
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "MaxRetries", ce.Field)
	assert.Len(t, f.requests(), 3)
	_, err = h3.c.GetPayoutById(t.Context(), "payout_1")
	require.Error(t, err)
	assert.Len(t, f.requests(), 4)

	// Client options given to a call are refused, naming the option.
	_, err = h3.c.GetPayoutById(t.Context(), "payout_1", WithBaseURL("https://elsewhere.example"))
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "BaseURL", ce.Field)
	assert.Len(t, f.requests(), 4)
}

func TestLogging(t *testing.T) {
	f := newFake(t, script(reply{status: 503, body: `{"error":"x"}`}, reply{status: 201, body: payoutJSON}))
	h := newHarness(t, f)
	_, err := h.c.CreatePayout(t.Context(), payoutBody(""))
	require.NoError(t, err)
	logs := h.logs.String()
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	require.Len(t, lines, 3, logs) // attempt, retry, attempt
	for _, want := range []string{"method=POST", "path=/api/v1/payouts", "status=503", "status=201", "attempt=1", "attempt=2", "duration=", "operation=createPayout", "reason=\"status 503\"", "request_id="} {
		assert.Contains(t, logs, want)
	}
	assert.NotContains(t, logs, "bene_1", "no bodies by default")

	hb := newHarness(t, f, WithBodyLogging())
	_, err = hb.c.CreatePayout(t.Context(), payoutBody(""))
	require.NoError(t, err)
	assert.Contains(t, hb.logs.String(), "bene_1")
}

func TestDriftDetector(t *testing.T) {
	f := newFake(t, script(reply{body: `{"id":"payout_1","status":"teleported"}`}, reply{body: payoutJSON}))
	var got []drift.Finding
	det, err := drift.NewDetector(func(d drift.Finding) { got = append(got, d) })
	require.NoError(t, err)
	h := newHarness(t, f, WithResponseValidator(det))
	p, err := h.c.GetPayoutById(t.Context(), "payout_1")
	require.NoError(t, err, "drift never fails the call")
	assert.Equal(t, "payout_1", p.Id)
	require.Len(t, got, 1)
	assert.Equal(t, "getPayoutById", got[0].OperationID)
	assert.Equal(t, 200, got[0].Status)

	// A panicking reporter never fails the call.
	var panicked atomic.Bool
	fp := newFake(t, script(reply{body: `{"id":"payout_1","status":"teleported"}`}))
	detp, err := drift.NewDetector(func(drift.Finding) { panicked.Store(true); panic("boom") })
	require.NoError(t, err)
	hp := newHarness(t, fp, WithResponseValidator(detp))
	p, err = hp.c.GetPayoutById(t.Context(), "payout_1")
	require.NoError(t, err)
	assert.Equal(t, "payout_1", p.Id)
	assert.True(t, panicked.Load())
}

func TestRawAPIClientGoesThroughTheTransport(t *testing.T) {
	f := newFake(t, script(reply{status: 404, body: `{"error":"Not Found","message":"Payout not found"}`}))
	h := newHarness(t, f)
	_, err := h.c.API().GetPayoutByIdWithResponse(t.Context(), "payout_x")
	assert.True(t, IsNotFound(err))
	assert.Equal(t, "Bearer "+testKey, f.requests()[0].Header.Get("Authorization"))
}

func TestRetryableTransport(t *testing.T) {
	assert.True(t, retryableTransport(errors.New("x")))
	assert.False(t, retryableTransport(errors.New("net/http: invalid header field value for \"X\"")))
}

// TestLostResponseThenDuplicate: the payout is made but the answer never
// arrives (the attempt times out); the retry with the same request_id meets
// "Record already exists" and the caller gets the one payout.
func TestLostResponseThenDuplicate(t *testing.T) {
	release := make(chan struct{})
	var posts atomic.Int32
	var firstID atomic.Value
	f := newFake(t, func(_ int, r *http.Request, body []byte) reply {
		if r.Method == http.MethodGet {
			return reply{body: fmt.Sprintf(`{"data":[{"id":"payout_lost","request_id":%q}],"page_meta":{"next":null}}`, r.URL.Query().Get("request_id"))}
		}
		id := bodyMap(t, body)["request_id"].(string)
		if posts.Add(1) == 1 {
			firstID.Store(id)
			select { // the payout is created, but the answer is too late
			case <-r.Context().Done():
			case <-release:
			}
			return reply{status: 201, body: `{"id":"payout_lost"}`}
		}
		if id == firstID.Load() {
			return reply{status: 409, body: `{"error":"Conflict","message":"Record already exists"}`}
		}
		return reply{status: 201, body: `{"id":"payout_second"}`}
	})
	defer close(release)
	h := newHarness(t, f, WithHTTPDoer(newTimeoutOnFirst(t)))
	p, err := h.c.CreatePayout(t.Context(), payoutBody(""))
	require.NoError(t, err)
	assert.Equal(t, "payout_lost", p.Id, "never a second payout")
	assert.EqualValues(t, 2, posts.Load())
}

func TestEmptyUnionBodyRefusedBeforeSending(t *testing.T) {
	f := newFake(t, script(reply{status: 201, body: `{"id":"plink_1"}`}))
	h := newHarness(t, f)
	_, err := h.c.CreatePayin(t.Context(), nil) // a nil interface: no branch
	require.ErrorIs(t, err, ErrEmptyBody)
	assert.Empty(t, f.requests(), "nothing is sent")
}

func payinBody() api.CreatePayinBody {
	return api.PaymentLinkRequest{Currency: api.USD}
}

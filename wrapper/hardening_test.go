package wrapper

// Tests for the wrapper findings of issue 11 (an adversarial pass). Each
// fails on the code before the executor rewrite and passes after.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/api"
)

// elsewhere is a second server a redirect points to; it counts what
// reaches it and whether it carried the key.
type elsewhere struct {
	*httptest.Server
	hits, keyed atomic.Int32
}

func newElsewhere(t *testing.T) *elsewhere {
	e := &elsewhere{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.hits.Add(1)
		if strings.Contains(r.Header.Get("Authorization"), testKey) {
			e.keyed.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"payout_elsewhere"}`))
	}))
	t.Cleanup(e.Close)
	return e
}

// TestRedirectNeverCarriesTheKey (issue 11 item 1): a 3xx to another port
// of the same host (plain http) never gets the key, with the default client
// and with a caller's *http.Client.
func TestRedirectNeverCarriesTheKey(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, own := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d/own-client=%v", status, own), func(t *testing.T) {
				e := newElsewhere(t)
				target := e.URL + "/api/v1/payouts/payout_1"
				f := newFake(t, script(reply{status: status, header: map[string]string{"Location": target}}))
				opts := []Option{WithAPIKey(testKey), WithBaseURL(f.URL + "/api"), WithMaxRetries(0)}
				if own {
					hc := &http.Client{Transport: &http.Transport{}}
					t.Cleanup(hc.CloseIdleConnections)
					opts = append(opts, WithHTTPClient(hc))
				}
				c, err := New(opts...)
				require.NoError(t, err)
				_, err = c.GetPayoutById(t.Context(), "payout_1")
				var re *RedirectError
				require.ErrorAs(t, err, &re)
				assert.ErrorIs(t, err, ErrRedirect)
				assert.Equal(t, status, re.StatusCode)
				assert.Equal(t, target, re.Location, "the error names where it pointed")
				assert.False(t, re.Followed)
				assert.Zero(t, e.hits.Load(), "nothing reaches the redirect target")
				assert.Len(t, f.requests(), 1, "a redirect is not retried")
				requireNoKey(t, err.Error())
			})
		}
	}
}

// TestCreateIsNeverReplayedElsewhere (issue 11 item 2): a 307/308 to a
// create is not followed (the body with beneficiary, amount and request_id
// stays home); a doer that follows it anyway gets no success back.
func TestCreateIsNeverReplayedElsewhere(t *testing.T) {
	for _, status := range []int{307, 308} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			e := newElsewhere(t)
			f := newFake(t, script(reply{status: status, header: map[string]string{"Location": e.URL + "/api/v1/payouts"}}))
			h := newHarness(t, f)
			p, err := h.c.CreatePayout(t.Context(), payoutBody(""))
			assert.Nil(t, p)
			assert.ErrorIs(t, err, ErrRedirect)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "Glomo answered; nothing was made")
			assert.Zero(t, e.hits.Load())
			assert.Len(t, f.requests(), 1)
		})
		t.Run(fmt.Sprintf("%d/following-doer", status), func(t *testing.T) {
			e := newElsewhere(t)
			f := newFake(t, script(reply{status: status, header: map[string]string{"Location": e.URL + "/api/v1/payouts"}}))
			follower := &http.Client{Transport: &http.Transport{}} // follows redirects
			t.Cleanup(follower.CloseIdleConnections)
			h := newHarness(t, f, WithHTTPDoer(follower))
			p, err := h.c.CreatePayout(t.Context(), payoutBody(""))
			assert.Nil(t, p, "the other host's answer is never a success")
			var re *RedirectError
			require.ErrorAs(t, err, &re)
			assert.True(t, re.Followed)
			assert.Equal(t, int32(1), e.hits.Load(), "the doer's own choice, documented")
		})
	}
}

// TestRotatedSecretKeyNotLogged (issue 11 item 5): body logging never shows
// the new secret_key RotateApiKey returns.
func TestRotatedSecretKeyNotLogged(t *testing.T) {
	const fresh = "sk_rotated_0a1b2c3d4e5f6a7b8c9d"
	f := newFake(t, script(reply{body: `{"secret_key":"` + fresh + `","previous_key_expires_at":"2026-12-01T00:00:00Z"}`}))
	h := newHarness(t, f, WithBodyLogging())
	res, err := h.c.RotateApiKey(t.Context(), api.RotateApiKeyJSONRequestBody{})
	require.NoError(t, err)
	require.NotNil(t, res.SecretKey)
	assert.Equal(t, fresh, res.SecretKey, "the caller still gets it")
	logs := h.logs.String()
	assert.Contains(t, logs, "response_body")
	assert.NotContains(t, logs, fresh)
	assert.NotContains(t, logs, fresh[10:])
	assert.Contains(t, logs, redacted)
}

// TestEchoedSecretsRedactedInErrorsAndLogs (issue 11 item 6): an error body
// repeating the Authorization header, or carrying a token, reaches neither
// APIError.Error() nor its Body nor the debug log.
func TestEchoedSecretsRedactedInErrorsAndLogs(t *testing.T) {
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZXJjaGFudCJ9.c2lnbmF0dXJlLWJ5dGVz"
	bodies := []string{
		`{"error":"Bad Request","message":"bad header Authorization: Bearer ` + testKey + `"}`,
		`{"error":"Bad Request","message":"key \u0073k_glomo_9f8e7d6c5b4a3f2e1d0c rejected"}`,
		`{"error":"Bad Request","message":"token ` + jwt + ` expired"}`,
		`{"error":"Bad Request","api_key":"sk_other_1234567890abcdef"}`,
		// Escapes hide nothing: a member name, a bearer credential.
		`{"error":"Bad Request","api\u005fkey":"sk_other_1234567890abcdef"}`,
		`{"error":"Bad Request","message":"bad header Bearer\tsk_other_1234567890abcdef"}`,
	}
	for _, body := range bodies {
		f := newFake(t, script(reply{status: 400, body: body}))
		h := newHarness(t, f, WithBodyLogging())
		_, err := h.c.GetPayoutById(t.Context(), "payout_1")
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		for _, s := range []string{err.Error(), string(apiErr.Body), apiErr.Message, h.logs.String()} {
			requireNoKey(t, s)
			assert.NotContains(t, s, jwt)
			assert.NotContains(t, s, "sk_other_1234567890abcdef")
		}
		assert.Contains(t, string(apiErr.Body), redacted, body)
	}
}

// TestNullAndDuplicateKeyBodiesAreDecodeErrors (issue 11 item 8).
func TestNullAndDuplicateKeyBodiesAreDecodeErrors(t *testing.T) {
	for _, body := range []string{
		`null`, ` null`,
		`{"id":"payout_1","id":"payout_2"}`,
		`{"id":"payout_1","beneficiary":{"id":"a","id":"b"}}`,
		`{"id":"payout_1","\u0069d":"payout_2"}`,
	} {
		f := newFake(t, script(reply{status: 201, body: body}, reply{body: body}))
		h := newHarness(t, f)
		p, err := h.c.GetPayoutById(t.Context(), "payout_1")
		assert.Nil(t, p, body)
		var de *DecodeError
		require.ErrorAs(t, err, &de, body)
		assert.Equal(t, body, string(de.Body))
		_, err = h.c.GetBalance(t.Context())
		assert.ErrorIs(t, err, ErrDecode, body)
		c, err := h.c.CreatePayout(t.Context(), payoutBody(""))
		assert.Nil(t, c, body)
		require.ErrorAs(t, err, &de, body)
		assert.NotEmpty(t, de.RequestID, "a create that may have been made names its request_id")
	}
	f := newFake(t, script(reply{body: `{"data":[{"id":"a","id":"b"}],"page_meta":{"next":null}}`}))
	h := newHarness(t, f)
	for _, err := range h.c.GetPayoutsIter(t.Context(), nil) {
		assert.ErrorIs(t, err, ErrDecode)
	}
}

// refusingDoer fails as net/http does for a header it will not write.
type refusingDoer struct{ calls atomic.Int32 }

func (d *refusingDoer) Do(*http.Request) (*http.Response, error) {
	d.calls.Add(1)
	return nil, fmt.Errorf(`Post "http://x": net/http: invalid header field value for "X-Trace"`)
}

// TestRefusedBeforeSendingIsNeitherRetriedNorUnknown (issue 11 item 9).
func TestRefusedBeforeSendingIsNeitherRetriedNorUnknown(t *testing.T) {
	f := newFake(t, script(reply{status: 201, body: payoutJSON}))
	h := newHarness(t, f)
	_, err := h.c.CreatePayout(t.Context(), payoutBody(""), WithHeader("X-Trace", "a\r\nb"))
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Header X-Trace", ce.Field)
	assert.Empty(t, f.requests(), "nothing left the machine")

	for _, create := range []bool{true, false} {
		d := &refusingDoer{}
		h := newHarness(t, f, WithHTTPDoer(d))
		if create {
			_, err = h.c.CreatePayout(t.Context(), payoutBody(""))
		} else {
			_, err = h.c.CreateCustomer(t.Context(), api.CreateCustomerJSONRequestBody{})
		}
		assert.ErrorIs(t, err, ErrNotSent)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
		assert.Equal(t, int32(1), d.calls.Load(), "not retried")
		assert.Empty(t, h.slept())
	}
}

// TestBaseURLWithEmptyQueryKeepsItsPath (issue 11 item 10).
func TestBaseURLWithEmptyQueryKeepsItsPath(t *testing.T) {
	f := newFake(t, script(reply{body: payoutJSON}))
	h := newHarness(t, f, WithBaseURL(f.URL+"/api?"))
	_, err := h.c.GetPayoutById(t.Context(), "payout_1")
	require.NoError(t, err)
	assert.Equal(t, "/api/v1/payouts/payout_1", f.requests()[0].Path)
	assert.Empty(t, f.requests()[0].Query)
}

// TestWithRequestIDKeepsUnicodeWhitespace: an id of only U+2028/U+2029 is
// the caller's id, not "empty, use a fresh UUID"; an id of ASCII blanks is
// refused instead of silently replaced.
func TestWithRequestIDKeepsUnicodeWhitespace(t *testing.T) {
	f := newFake(t, script(reply{status: 201, body: payoutJSON}))
	h := newHarness(t, f)
	_, err := h.c.CreatePayout(t.Context(), payoutBody(""), WithRequestID("\u2028\u2029"))
	require.NoError(t, err)
	assert.Equal(t, "\u2028\u2029", bodyMap(t, f.requests()[0].Body)["request_id"])

	_, err = h.c.CreatePayout(t.Context(), payoutBody(""), WithRequestID(" \t "))
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "RequestID", ce.Field)
	assert.Len(t, f.requests(), 1)
}

// TestRetryWaitsForTheBackoff: the loop waits the backoff before a retry
// (a mutant dropping the wait would retry at once): with a one-hour delay
// and a short call deadline the call ends in the wait, after one attempt.
func TestRetryWaitsForTheBackoff(t *testing.T) {
	f := newFake(t, script(reply{status: 503, body: `{"error":"busy"}`}))
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	c, err := New(WithAPIKey(testKey), WithBaseURL(f.URL), WithHTTPClient(hc),
		WithRetryPolicy(RetryPolicy{MaxRetries: 3, BaseDelay: time.Hour, MaxDelay: time.Hour}))
	require.NoError(t, err)
	_, err = c.GetPayoutById(t.Context(), "payout_1", WithTimeout(50*time.Millisecond))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, ErrServer, "the error says what it was waiting to retry")
	assert.Len(t, f.requests(), 1)
}

// TestAPICallsTakeTheClientTimeout: a call through API() starts like a
// typed method's, so the client's WithTimeout bounds it, backoff included.
func TestAPICallsTakeTheClientTimeout(t *testing.T) {
	f := newFake(t, script(reply{status: 503, body: `{"error":"busy"}`}))
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	c, err := New(WithAPIKey(testKey), WithBaseURL(f.URL), WithHTTPClient(hc), WithTimeout(50*time.Millisecond),
		WithRetryPolicy(RetryPolicy{MaxRetries: 3, BaseDelay: time.Hour, MaxDelay: time.Hour}))
	require.NoError(t, err)
	_, err = c.API().GetPayoutByIdWithResponse(t.Context(), "payout_1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, f.requests(), 1)
}

// TestSleepCtxWaitsUntilTheContextEnds pins that sleepCtx waits: it returns
// the context's error when the context ends first.
func TestSleepCtxWaitsUntilTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, sleepCtx(ctx, time.Hour), context.DeadlineExceeded)
	assert.NoError(t, sleepCtx(t.Context(), 0))
}

// TestDefaultDelaysArePinned: a policy that only sets MaxRetries keeps the
// default delays (500ms doubling to 8s; Retry-After up to 30s).
func TestDefaultDelaysArePinned(t *testing.T) {
	assert.Equal(t, RetryPolicy{MaxRetries: 2, BaseDelay: 500 * time.Millisecond, MaxDelay: 8 * time.Second, MaxRetryAfter: 30 * time.Second}, DefaultRetryPolicy())
	p := RetryPolicy{MaxRetries: 5}.withDefaults()
	assert.Equal(t, RetryPolicy{MaxRetries: 5, BaseDelay: 500 * time.Millisecond, MaxDelay: 8 * time.Second, MaxRetryAfter: 30 * time.Second}, p)

	f := newFake(t, script(reply{status: 503, body: `{}`}))
	h := newHarness(t, f, WithRetryPolicy(RetryPolicy{MaxRetries: 5}))
	_, err := h.c.GetPayoutById(t.Context(), "payout_1")
	require.Error(t, err)
	assert.Equal(t, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}, h.slept())
}

// TestRetryAfterZeroAndOverflow: "0" retries at once; values beyond what a
// Duration holds are capped, never negative or wrapped.
func TestRetryAfterZeroAndOverflow(t *testing.T) {
	for value, want := range map[string]time.Duration{
		"0":                             0,
		"9223372036854775807":           30 * time.Second,
		"99999999999999999999999":       30 * time.Second,
		"9223372036854775808":           30 * time.Second,
		"  7  ":                         7 * time.Second,
		"Fri, 31 Dec 9999 23:59:59 GMT": 30 * time.Second,
	} {
		f := newFake(t, script(reply{status: 429, body: `{}`, header: map[string]string{"Retry-After": value}}, reply{body: payoutJSON}))
		h := newHarness(t, f)
		_, err := h.c.GetPayoutById(t.Context(), "payout_1")
		require.NoError(t, err, value)
		assert.Equal(t, []time.Duration{want}, h.slept(), value)
		assert.Len(t, f.requests(), 2, value)
	}
}

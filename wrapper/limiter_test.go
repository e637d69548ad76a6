package wrapper_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/wrapper"
)

// limiterFunc adapts a function to wrapper.Limiter.
type limiterFunc func(context.Context) error

func (f limiterFunc) Wait(ctx context.Context) error { return f(ctx) }

// The limiter is consulted before every attempt, retries included.
func TestLimiterBeforeEveryAttempt(t *testing.T) {
	ev := &events{}
	wait := limiterFunc(func(context.Context) error { ev.add("wait"); return nil })
	_, c := newMockClient(t, []mock.Fault{unavailable("getBalance", 2)}, recordingDoer(ev), wrapper.WithRateLimiter(wait))
	_, err := c.GetBalance(context.Background())
	require.NoError(t, err)
	attempt := "attempt GET /api/v1/balances mark="
	assert.Equal(t, []string{"wait", attempt, "wait", attempt, "wait", attempt}, ev.all())
}

// A call's limiter replaces the client's for that call.
func TestCallLimiterReplacesClients(t *testing.T) {
	var client, call int
	_, c := newMockClient(t, nil, wrapper.WithRateLimiter(limiterFunc(func(context.Context) error { client++; return nil })))
	_, err := c.GetBalance(context.Background(), wrapper.WithRateLimiter(limiterFunc(func(context.Context) error { call++; return nil })))
	require.NoError(t, err)
	_, err = c.GetBalance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []int{1, 1}, []int{client, call})

	_, err = c.GetBalance(context.Background(), wrapper.WithRateLimiter(nil))
	var ce *wrapper.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "RateLimiter", ce.Field)
}

// A limiter that refuses stops the call where it is: before the first
// attempt nothing is sent (ErrNotSent); before a retry the call ends with
// the limiter's error and the attempt's.
func TestLimiterRefusal(t *testing.T) {
	refused := errors.New("limiter: would exceed the deadline")
	ev := &events{}
	_, c := newMockClient(t, []mock.Fault{unavailable("getBalance", 1)}, recordingDoer(ev),
		wrapper.WithRateLimiter(limiterFunc(func(context.Context) error { return refused })))
	_, err := c.GetBalance(context.Background())
	require.ErrorIs(t, err, wrapper.ErrNotSent)
	require.ErrorIs(t, err, refused)
	assert.Empty(t, ev.all())

	n := 0
	once := limiterFunc(func(context.Context) error {
		if n++; n > 1 {
			return refused
		}
		return nil
	})
	var resp wrapper.Response
	_, err = c.GetBalance(context.Background(), wrapper.WithRateLimiter(once), wrapper.WithResponseInto(&resp))
	require.ErrorIs(t, err, refused)
	require.ErrorIs(t, err, wrapper.ErrServer, "the 503 it was about to retry")
	assert.NotErrorIs(t, err, wrapper.ErrNotSent)
	assert.Equal(t, 1, resp.Attempts)
	assert.Len(t, ev.all(), 1)
}

// slotKey is the context key of a call's *slot.
type slotKey struct{}

// slot is where virtualLimiter writes the virtual time it granted the
// call's latest attempt, for the transport to put on the request.
type slot struct {
	mu sync.Mutex
	at time.Duration
}

// virtualLimiter is a token bucket of burst 1 (rate.NewLimiter(r, 1)) on a
// virtual clock: Wait grants the next free instant, one interval after the
// previous grant, and returns at once. A real limiter would sleep until that
// instant; here the instant travels with the request instead, so the test
// checks the spacing exactly rather than by timers that can flake.
type virtualLimiter struct {
	every time.Duration
	mu    sync.Mutex
	next  time.Duration
	given []time.Duration
}

func (l *virtualLimiter) Wait(ctx context.Context) error {
	l.mu.Lock()
	at := l.next
	l.next += l.every
	l.given = append(l.given, at)
	l.mu.Unlock()
	s := ctx.Value(slotKey{}).(*slot)
	s.mu.Lock()
	s.at = at
	s.mu.Unlock()
	return nil
}

// rateGuard stands in front of the mock for Glomo's per-IP limit, scaled
// down to max requests per second of virtual time: a request whose instant
// would make any one-second window hold more than max is answered 429, as
// Glomo does, and not forwarded. The mock answers the rest.
type rateGuard struct {
	max   int
	next  http.Handler
	mu    sync.Mutex
	seen  []time.Duration
	count map[int]int // status → answers
}

const slotHeader = "X-Test-Virtual-Time"

func (g *rateGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	at, err := time.ParseDuration(r.Header.Get(slotHeader))
	if err != nil {
		http.Error(w, "no virtual time", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	ok := g.admits(at)
	if ok {
		g.seen = append(g.seen, at)
		g.count[http.StatusOK]++
	} else {
		g.count[http.StatusTooManyRequests]++
	}
	g.mu.Unlock()
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":"Too Many Requests","message":"Rate limit exceeded"}`))
		return
	}
	g.next.ServeHTTP(w, r)
}

// admits: every one-second window holding at (those starting at an admitted
// instant in (at-1s, at], or at at itself) keeps at most max requests with
// at added. Arrival order does not matter, so concurrent requests that
// reach the guard out of their granted order are judged the same.
func (g *rateGuard) admits(at time.Duration) bool {
	all := append(slices.Clone(g.seen), at)
	for _, start := range all {
		if start > at || start <= at-time.Second {
			continue
		}
		n := 0
		for _, t := range all {
			if t >= start && t < start+time.Second {
				n++
			}
		}
		if n > g.max {
			return false
		}
	}
	return true
}

// pace fires calls concurrent GetBalance calls through a client whose
// limiter grants one request per every, against the mock behind a guard of
// 5 requests per second; it returns the limiter and the guard.
func pace(t *testing.T, calls int, every time.Duration, opts ...wrapper.Option) (*virtualLimiter, *rateGuard) {
	t.Helper()
	srv := mock.NewServer(t)
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	target.Path = ""
	guard := &rateGuard{max: 5, next: httputil.NewSingleHostReverseProxy(target), count: map[int]int{}}
	front := httptest.NewServer(guard)
	t.Cleanup(front.Close)

	lim := &virtualLimiter{every: every}
	stamp := doerFunc(func(r *http.Request) (*http.Response, error) {
		s := r.Context().Value(slotKey{}).(*slot)
		s.mu.Lock()
		r.Header.Set(slotHeader, s.at.String())
		s.mu.Unlock()
		return http.DefaultClient.Do(r)
	})
	c, err := wrapper.New(append([]wrapper.Option{wrapper.WithAPIKey(srv.Key), wrapper.WithBaseURL(front.URL + "/api"),
		wrapper.WithHTTPDoer(stamp), wrapper.WithRateLimiter(lim)}, opts...)...)
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make([]error, calls)
	for i := range calls {
		wg.Go(func() {
			ctx := context.WithValue(context.Background(), slotKey{}, &slot{})
			_, errs[i] = c.GetBalance(ctx)
		})
	}
	wg.Wait()
	if guard.count[http.StatusTooManyRequests] == 0 {
		for _, err := range errs {
			require.NoError(t, err)
		}
	}
	return lim, guard
}

// A limiter at 5 req/s spaces 20 concurrent calls over 3.8 s of its clock
// and the guard (Glomo's limit, scaled to 5/s) answers none of them 429.
func TestLimiterPacesConcurrentCalls(t *testing.T) {
	lim, guard := pace(t, 20, 200*time.Millisecond)

	want := make([]time.Duration, 20)
	for i := range want {
		want[i] = time.Duration(i) * 200 * time.Millisecond
	}
	assert.Equal(t, want, lim.given, "one grant per call, 200 ms apart, in order")
	assert.Equal(t, map[int]int{http.StatusOK: 20}, guard.count, "no 429")
	got := slices.Sorted(slices.Values(guard.seen))
	assert.Equal(t, want, got, "the mock served each call at its granted instant")
	assert.GreaterOrEqual(t, got[len(got)-1]-got[0], 3800*time.Millisecond)
}

// The guard bites: at 10 req/s the same calls meet 429s, which is what the
// limiter above prevents.
func TestLimiterTooFastMeets429(t *testing.T) {
	_, guard := pace(t, 20, 100*time.Millisecond, wrapper.WithMaxRetries(0))
	assert.Equal(t, 20, guard.count[http.StatusOK]+guard.count[http.StatusTooManyRequests])
	// Instants 100 ms apart over 1.9 s: no set of more than 10 of them keeps
	// every one-second window at 5, whatever order they arrive in.
	assert.GreaterOrEqual(t, guard.count[http.StatusTooManyRequests], 10)
}

package wrapper_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/wrapper"
)

// startHooksMock starts the mock and a client with opts pointed at it.
// Examples have no *testing.T for mock.NewServer, so they use mock.Start
// and close the server themselves.
func startHooksMock(faults []mock.Fault, opts ...wrapper.Option) (*mock.Server, *wrapper.Client) {
	srv, err := mock.Start(mock.WithFaults(faults...))
	if err != nil {
		panic(err)
	}
	c, err := wrapper.New(append([]wrapper.Option{wrapper.WithAPIKey(srv.Key), wrapper.WithBaseURL(srv.URL)}, opts...)...)
	if err != nil {
		panic(err)
	}
	return srv, c
}

// A middleware wraps a whole call, retries included: here a metrics counter
// of calls, attempts and outcomes per operation. The mock answers the first
// attempt 503 (Retry-After: 0), so one call makes two attempts.
func ExampleWithMiddleware() {
	var mu sync.Mutex
	counts := map[string]int{}
	metrics := func(ctx context.Context, call wrapper.Call, next wrapper.Handler) (*wrapper.Response, error) {
		resp, err := next(ctx)
		mu.Lock()
		defer mu.Unlock()
		counts[call.OperationID+" calls"]++
		counts[call.OperationID+" attempts"] += resp.Attempts
		counts[fmt.Sprintf("%s status=%d", call.OperationID, resp.StatusCode)]++
		return resp, err
	}
	srv, c := startHooksMock([]mock.Fault{{Operation: "getBalance", Kind: mock.FaultStatus, Status: 503, RetryAfter: "0"}},
		wrapper.WithMiddleware(metrics))
	defer srv.Close()

	if _, err := c.GetBalance(context.Background()); err != nil {
		panic(err)
	}
	_, err := c.GetPayoutById(context.Background(), "payout_missing")
	fmt.Println(wrapper.IsNotFound(err))
	fmt.Println(counts)
	// Output:
	// true
	// map[getBalance attempts:2 getBalance calls:1 getBalance status=200:1 getPayoutById attempts:1 getPayoutById calls:1 getPayoutById status=404:1]
}

// WithResponseInto hands back the answer behind a typed result or a typed
// error: status, headers and the raw body (bounded by the client's response
// size limit).
func ExampleWithResponseInto() {
	srv, c := startHooksMock(nil)
	defer srv.Close()

	var resp wrapper.Response
	if _, err := c.GetBalance(context.Background(), wrapper.WithResponseInto(&resp)); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"), resp.Attempts, len(resp.Body) > 0)

	_, err := c.GetPayoutById(context.Background(), "payout_missing", wrapper.WithResponseInto(&resp))
	fmt.Println(wrapper.IsNotFound(err), resp.StatusCode, string(resp.Body))
	// Output:
	// 200 application/json; charset=utf-8 1 true
	// true 404 {"error":"Not Found","message":"Payout not found"}
}

// interval lets one request through per d: a minimal stand-in for
// rate.NewLimiter(rate.Every(d), 1) from golang.org/x/time/rate, which
// satisfies wrapper.Limiter as it is (the SDK does not depend on it).
type interval struct {
	d     time.Duration
	mu    sync.Mutex
	next  time.Time
	waits int
}

// Wait reserves the next free instant and sleeps until it.
func (l *interval) Wait(ctx context.Context) error {
	l.mu.Lock()
	at := l.next
	if now := time.Now(); at.Before(now) {
		at = now
	}
	l.next = at.Add(l.d)
	l.waits++
	l.mu.Unlock()
	t := time.NewTimer(time.Until(at))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A limiter paces every attempt the client makes, retries included: three
// calls at one per 20 ms take at least 40 ms.
func ExampleWithRateLimiter() {
	lim := &interval{d: 20 * time.Millisecond}
	srv, c := startHooksMock(nil, wrapper.WithRateLimiter(lim))
	defer srv.Close()

	start := time.Now()
	for range 3 {
		if _, err := c.GetBalance(context.Background()); err != nil {
			panic(err)
		}
	}
	fmt.Println(lim.waits, "waits; at least 40 ms:", time.Since(start) >= 40*time.Millisecond)
	// Output:
	// 3 waits; at least 40 ms: true
}

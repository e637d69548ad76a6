package reliability

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/glomo-go/glomo-go/wrapper"
)

// idleConns is MaxIdleConnsPerHost of the transport the shared client uses.
const idleConns = 100

// concurrencyRun is one run of goroutines × calls GetBalance through one
// shared client.
type concurrencyRun struct {
	goroutines, calls int
	errors            int64
	dials             int64
	elapsed           time.Duration
}

// runSharedClient makes goroutines × calls GetBalance calls through one
// client over a counted transport, then closes everything and checks that
// no goroutine is left behind.
func runSharedClient(t *testing.T, goroutines, calls int) concurrencyRun {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	srv := startMock(t)
	tr, dials := newTransport(t, idleConns)
	c := newClient(t, srv, tr, 0)

	var errs atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				b, err := c.GetBalance(context.Background())
				if err == nil && b == nil {
					err = fmt.Errorf("GetBalance returned (nil, nil)")
				}
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	run := concurrencyRun{goroutines: goroutines, calls: goroutines * calls, errors: errs.Load(),
		dials: dials.n.Load(), elapsed: time.Since(start)}

	srv.Close()
	tr.CloseIdleConnections()
	goleak.VerifyNone(t, ignore)

	if run.errors != 0 {
		t.Errorf("%d of %d calls failed; first: %v", run.errors, run.calls, firstErr.Load())
	}
	if got := srv.Calls("getBalance"); got != run.calls {
		t.Errorf("the mock saw %d getBalance requests, want %d (one per call)", got, run.calls)
	}
	// At most `goroutines` requests are in flight, and idle connections are
	// kept up to idleConns, so a connection is dialled about once per
	// concurrent caller. More come from net/http's dial racing: a request
	// that finds no idle connection starts a dial, takes a connection freed
	// meanwhile, and the dialled one may find the idle pool full and be
	// closed. Observed: 100-115 dials for 100 × 50 calls, 111 for 100 ×
	// 1,000. The bound is twice the concurrency plus one per 1,000 calls;
	// without reuse there would be one dial per call (the default transport
	// makes ~2,000 for 5,000 calls, TestDefaultTransportDials).
	if limit := int64(2*min(goroutines, idleConns) + run.calls/1000); run.dials > limit {
		t.Errorf("%d dials for %d calls from %d goroutines; want ≤ %d (connections not reused)", run.dials, run.calls, goroutines, limit)
	}
	t.Logf("%d goroutines × %d calls = %d calls in %v: %d errors, %d dials (%.1f calls per connection)",
		goroutines, calls, run.calls, run.elapsed.Round(time.Millisecond), run.errors, run.dials, float64(run.calls)/float64(max(run.dials, 1)))
	return run
}

// TestDefaultTransportDials measures what a client built without
// WithHTTPClient does under the same load: New uses &http.Client{}, i.e.
// http.DefaultTransport, which keeps 2 idle connections per host. The
// connections are counted on the server side.
func TestDefaultTransportDials(t *testing.T) {
	srv := startMock(t)
	var conns atomic.Int64
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	hs.Start()
	t.Cleanup(hs.Close)
	dt := http.DefaultTransport.(*http.Transport)
	t.Cleanup(dt.CloseIdleConnections)
	c, err := wrapper.New(wrapper.WithAPIKey(srv.Key), wrapper.WithBaseURL(hs.URL+"/api"), wrapper.WithRetryPolicy(fastPolicy(2)))
	if err != nil {
		t.Fatal(err)
	}
	const goroutines, calls = 100, 50
	var wg sync.WaitGroup
	var errs atomic.Int64
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				if _, err := c.GetBalance(context.Background()); err != nil {
					errs.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if errs.Load() != 0 {
		t.Errorf("%d calls failed", errs.Load())
	}
	defaultDials.Store(conns.Load())
	t.Logf("client built without WithHTTPClient (wrapper's default transport): %d connections for %d calls from %d goroutines",
		conns.Load(), goroutines*calls, goroutines)
}

// TestConcurrentSharedClient is 100 goroutines × 50 GetBalance calls on one
// client (run it under -race); the 100 × 1,000 version is TestConcurrentSharedClientSoak.
func TestConcurrentSharedClient(t *testing.T) {
	run := runSharedClient(t, 100, 50)
	concurrencyDoc(t, run)
}

// TestConcurrentSharedClientSoak is 100 goroutines × 1,000 calls; it runs
// only with the soak build tag (make soak).
func TestConcurrentSharedClientSoak(t *testing.T) {
	if !soak {
		t.Skip("100 × 1,000 calls: run with -tags soak (make soak)")
	}
	run := runSharedClient(t, 100, 1000)
	concurrencyDoc(t, run)
}

// defaultDials is the connection count of TestDefaultTransportDials, for
// the doc.
var defaultDials atomic.Int64

func concurrencyDoc(t *testing.T, run concurrencyRun) {
	name := "concurrency"
	cmd := "GLOMO_WRITE_DOCS=1 go test -race -count=1 ./internal/reliability -run 'TestDefaultTransportDials|TestConcurrentSharedClient$' -v"
	if run.calls >= 100000 {
		name = "concurrency-soak"
		cmd = "GLOMO_WRITE_DOCS=1 go test -race -count=1 -tags soak ./internal/reliability -run 'TestConcurrentSharedClientSoak' -v"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Command: `%s`\n\n", cmd)
	b.WriteString("| Figure | Value |\n|---|---|\n")
	fmt.Fprintf(&b, "| goroutines × calls (`GetBalance`, one shared `*wrapper.Client`) | %d × %d = %d |\n", run.goroutines, run.calls/run.goroutines, run.calls)
	fmt.Fprintf(&b, "| failed calls | %d |\n", run.errors)
	b.WriteString("| data races (`-race`) | 0 (the run fails otherwise) |\n")
	b.WriteString("| goroutines left after close (`goleak.VerifyNone`) | 0 (the run fails otherwise) |\n")
	fmt.Fprintf(&b, "| TCP dials, `http.Transport{MaxIdleConnsPerHost: %d}` via `WithHTTPClient` | %d (%.0f calls per connection) |\n",
		idleConns, run.dials, float64(run.calls)/float64(max(run.dials, 1)))
	fmt.Fprintf(&b, "| wall time under `-race` (informational, not asserted) | %v |\n", run.elapsed.Round(10*time.Millisecond))
	if d := defaultDials.Load(); d > 0 && name == "concurrency" {
		fmt.Fprintf(&b, "| connections with the client's default transport (no `WithHTTPClient`: a clone of `http.DefaultTransport` with 100 idle per host; 2,034 before that fix), 100 × 50 calls, counted server-side | %d |\n", d)
	}
	docSection(t, name, b.String(), false)
}

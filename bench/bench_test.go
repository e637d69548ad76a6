package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-faster/jx"

	glomo "github.com/glomo-go/glomo-go"
	"github.com/glomo-go/glomo-go/drift"
	"github.com/glomo-go/glomo-go/wrapper"

	"github.com/glomo-go/glomo-go/bench/ogen"
)

// srv is the one loopback server every benchmark and test talks to.
var srv *httptest.Server

func TestMain(m *testing.M) {
	srv = NewServer()
	code := m.Run()
	srv.Close()
	os.Exit(code)
}

// newPeer builds d for base and makes one warm-up call, so connection setup
// and lazy initialisation (the wrapper's spec index, the drift detector's
// schema compilation) stay out of the measurement.
func newPeer(tb testing.TB, d PeerDef, base string) Peer {
	tb.Helper()
	p, err := d.New(base)
	if err != nil {
		tb.Fatalf("%s: %v", d.Name, err)
	}
	return p
}

func warm(tb testing.TB, name string, call func(context.Context) error) {
	tb.Helper()
	for range 3 {
		if err := call(context.Background()); err != nil {
			tb.Fatalf("%s: warm-up: %v", name, err)
		}
	}
}

// benchCall runs call once per iteration for every peer. Sub-benchmarks are
// named peer=<name> so that benchstat -col /peer puts the peers side by side.
func benchCall(b *testing.B, op func(Peer) func(context.Context) error) {
	for _, d := range Peers() {
		b.Run("peer="+d.Name, func(b *testing.B) {
			call := op(newPeer(b, d, BaseURL(srv)))
			warm(b, d.Name, call)
			ctx := context.Background()
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				if err := call(ctx); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

// listPage checks that a ListPage call decoded the whole page.
func listPage(p Peer) func(context.Context) error {
	return func(ctx context.Context) error {
		n, err := p.ListPage(ctx)
		if err == nil && n != PageSize {
			err = fmt.Errorf("decoded %d payouts, want %d", n, PageSize)
		}
		return err
	}
}

// BenchmarkGetBalance: a small GET (GET /v1/balances, 167-byte answer).
func BenchmarkGetBalance(b *testing.B) {
	benchCall(b, func(p Peer) func(context.Context) error { return p.GetBalance })
}

// BenchmarkCreatePayout: a POST create (POST /v1/payouts, 201 with one payout).
func BenchmarkCreatePayout(b *testing.B) {
	benchCall(b, func(p Peer) func(context.Context) error { return p.CreatePayout })
}

// BenchmarkListPage100: one list page of 100 payouts (GET /v1/payouts).
func BenchmarkListPage100(b *testing.B) {
	benchCall(b, listPage)
}

// BenchmarkDecodePage100 decodes the same page without HTTP: the JSON
// decoding each peer does. raw and wrapper share the generated types and
// their generated decoders (api/decode.gen.go); raw reaches them through
// json.Unmarshal, as oapi-codegen's Parse functions do (encoding/json first
// scans the body to validate it), the wrapper calls UnmarshalJSON
// directly. ogen decodes with jx and validates, as its client does.
func BenchmarkDecodePage100(b *testing.B) {
	body := ListPageJSON
	b.Run("peer=floor", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		cpu := startCPU()
		defer cpu.report(b)
		for b.Loop() {
			var pg floorPayoutPage
			if err := json.Unmarshal(body, &pg); err != nil || len(pg.Data) != PageSize {
				b.Fatal(err)
			}
		}
	})
	b.Run("peer=raw", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		cpu := startCPU()
		defer cpu.report(b)
		for b.Loop() {
			var pg wrapper.GetPayoutsPage // the generated JSON200 type
			if err := json.Unmarshal(body, &pg); err != nil || len(pg.Data) != PageSize {
				b.Fatal(err)
			}
		}
	})
	for name, dec := range map[string]func([]byte) error{"wrapper": decodeWrapperPage, "ogen": decodeOgenPage} {
		b.Run("peer="+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			cpu := startCPU()
			defer cpu.report(b)
			for b.Loop() {
				if err := dec(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// decodeWrapperPage is the wrapper's decoding of a list page: the
// generated decoder, called directly (wrapper/decode.go).
func decodeWrapperPage(body []byte) error {
	var pg wrapper.GetPayoutsPage
	if err := pg.UnmarshalJSON(body); err != nil {
		return err
	}
	if len(pg.Data) != PageSize {
		return fmt.Errorf("wrapper: %d items", len(pg.Data))
	}
	return nil
}

// decodeOgenPage is ogen's client's decoding: jx, then its validation.
func decodeOgenPage(body []byte) error {
	var pg ogen.GetPayoutsOK
	if err := pg.Decode(jx.DecodeBytes(body)); err != nil {
		return err
	}
	if len(pg.Data.Value) != PageSize {
		return fmt.Errorf("ogen: %d items", len(pg.Data.Value))
	}
	return pg.Validate()
}

// heapSampler records the largest runtime.MemStats.HeapAlloc seen while it
// runs, sampling every interval (ReadMemStats stops the world briefly; at
// 5 ms that is well under 1% of the walk).
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func startHeapSampler(interval time.Duration) *heapSampler {
	s := &heapSampler{stop: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *heapSampler) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for {
		cur := s.peak.Load()
		if ms.HeapAlloc <= cur || s.peak.CompareAndSwap(cur, ms.HeapAlloc) {
			return
		}
	}
}

func (s *heapSampler) Stop() uint64 {
	close(s.stop)
	s.wg.Wait()
	s.sample()
	return s.peak.Load()
}

// walkPeers are the peers of the walk benchmarks: floor and raw page by
// hand, wrapper ranges over GetPayoutsIter, ogen pages by hand.
var walkPeers = map[string]bool{"floor": true, "raw": true, "wrapper": true, "ogen": true}

// benchWalk walks a list of items payouts (items/100 pages) per iteration
// and reports the peak heap of the process while walking (peak-heap-B: the
// largest HeapAlloc sampled, server included) and ns/item.
func benchWalk(b *testing.B, items int) {
	for _, d := range Peers() {
		if !walkPeers[d.Name] {
			continue
		}
		b.Run("peer="+d.Name, func(b *testing.B) {
			p := newPeer(b, d, WalkURL(srv, items))
			w, ok := p.(Walker)
			if !ok {
				b.Skipf("%s cannot walk", d.Name)
			}
			walk := func(ctx context.Context) error {
				n, err := w.Walk(ctx)
				if err == nil && n != items {
					err = fmt.Errorf("walked %d payouts, want %d", n, items)
				}
				return err
			}
			// No warm-up walk: connection setup is one request in 100 or 1,000.
			runtime.GC()
			s := startHeapSampler(5 * time.Millisecond)
			ctx := context.Background()
			b.ReportAllocs()
			start, cpu := time.Now(), startCPU()
			n := 0
			for b.Loop() {
				if err := walk(ctx); err != nil {
					b.Fatal(err)
				}
				n++
			}
			elapsed := time.Since(start)
			cpu.report(b)
			b.ReportMetric(float64(s.Stop()), "peak-heap-B")
			b.ReportMetric(float64(elapsed.Nanoseconds())/float64(n*items), "ns/item")
		})
	}
}

// BenchmarkWalk10k walks 10,000 payouts (100 pages); compare its
// peak-heap-B with BenchmarkWalk100k: it must not grow with the item count.
func BenchmarkWalk10k(b *testing.B) { benchWalk(b, 10_000) }

// BenchmarkWalk100k walks 100,000 payouts (1,000 pages of 100).
func BenchmarkWalk100k(b *testing.B) { benchWalk(b, 100_000) }

// BenchmarkDrift is the wrapper with and without WithDriftDetector (every
// response checked against openapi.yaml). The canned answers conform, so a
// finding fails the benchmark.
func BenchmarkDrift(b *testing.B) {
	ops := []struct {
		name string
		op   func(Peer) func(context.Context) error
	}{
		{"GetBalance", func(p Peer) func(context.Context) error { return p.GetBalance }},
		{"ListPage100", listPage},
	}
	for _, o := range ops {
		for _, on := range []bool{false, true} {
			name := "op=" + o.name + "/drift=off"
			if on {
				name = "op=" + o.name + "/drift=on"
			}
			b.Run(name, func(b *testing.B) {
				var findings atomic.Int64
				var opts []wrapper.Option
				if on {
					det, err := drift.NewDetector(func(f drift.Finding) {
						if findings.Add(1) == 1 {
							b.Errorf("drift finding on a canned answer: %v", &f)
						}
					})
					if err != nil {
						b.Fatal(err)
					}
					opts = append(opts, wrapper.WithResponseValidator(det))
				}
				p, err := NewWrapper(BaseURL(srv), opts...)
				if err != nil {
					b.Fatal(err)
				}
				call := o.op(p)
				warm(b, name, call)
				ctx := context.Background()
				b.ReportAllocs()
				cpu := startCPU()
				for b.Loop() {
					if err := call(ctx); err != nil {
						b.Fatal(err)
					}
				}
				cpu.report(b)
			})
		}
	}
}

// BenchmarkSpecLoad is the one-time cost of reading openapi.yaml:
//   - kin-openapi-load: openapi3.Loader.LoadFromData (what the mock and the
//     spec model do once per process; the wrapper no longer parses the spec);
//   - kin-openapi-load+validate: the same plus doc.Validate;
//   - drift.New: drift.New(glomo.OpenAPI), which is exactly what the first
//     call of drift.Default() runs (later calls return the cached Validator);
//   - drift.New+first-checks: drift.New plus the first Check of the three
//     benchmarked responses (each compiles its response schema once).
func BenchmarkSpecLoad(b *testing.B) {
	ctx := context.Background()
	b.Run("step=kin-openapi-load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := openapi3.NewLoader().LoadFromData(glomo.OpenAPI); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("step=kin-openapi-load+validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			doc, err := openapi3.NewLoader().LoadFromData(glomo.OpenAPI)
			if err != nil {
				b.Fatal(err)
			}
			if err := doc.Validate(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("step=drift.New", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := drift.New(glomo.OpenAPI); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("step=drift.New+first-checks", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, err := drift.New(glomo.OpenAPI)
			if err != nil {
				b.Fatal(err)
			}
			checkCanned(b, v)
		}
	})
}

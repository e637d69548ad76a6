package bench

import (
	"context"
	"testing"
	"time"

	"github.com/glomo-go/glomo-go/drift"
	"github.com/glomo-go/glomo-go/wrapper"
)

// BenchmarkPair measures two clients in the same loop, alternating A B / B A
// each iteration, and reports ratio = time(A)/time(B) as a metric. Load from
// other processes on a shared machine then hits both sides alike, so the
// ratio is steadier than a ratio of two separately measured ns/op (the
// per-peer benchmarks above give the absolute figures). a-ns/op and b-ns/op
// are each side's mean time per call; ns/op is their sum. cpu-ratio is the
// same ratio in process CPU time (getrusage around each call), which other
// processes' load disturbs least.
//
// pair=wrapper-vs-raw is the wrapper/raw target, wrapper-vs-floor the
// wrapper/floor target, wrapper-vs-ogen the list-decode target (HTTP and
// decode) and drift-on-vs-off the drift detector's cost.
func BenchmarkPair(b *testing.B) {
	type callFn = func(context.Context) error
	build := func(b *testing.B, name string, opts ...wrapper.Option) Peer {
		if name == "wrapper" {
			p, err := NewWrapper(BaseURL(srv), opts...)
			if err != nil {
				b.Fatal(err)
			}
			return p
		}
		for _, d := range Peers() {
			if d.Name == name {
				return newPeer(b, d, BaseURL(srv))
			}
		}
		b.Fatalf("no peer %q", name)
		return nil
	}
	ops := map[string]func(Peer) callFn{
		"GetBalance":   func(p Peer) callFn { return p.GetBalance },
		"CreatePayout": func(p Peer) callFn { return p.CreatePayout },
		"ListPage100":  listPage,
	}
	// DecodePage100: decoding alone, no HTTP (the peers' decoders of
	// BenchmarkDecodePage100).
	decoders := map[string]callFn{
		"wrapper": func(context.Context) error { return decodeWrapperPage(ListPageJSON) },
		"ogen":    func(context.Context) error { return decodeOgenPage(ListPageJSON) },
	}
	det, err := drift.NewDetector(func(f drift.Finding) { panic("drift finding on a canned answer: " + f.Error()) })
	if err != nil {
		b.Fatal(err)
	}
	driftOn := wrapper.WithResponseValidator(det)
	for _, c := range []struct {
		op, pair string
		a, b     string
		aOpts    []wrapper.Option
	}{
		{"GetBalance", "wrapper-vs-raw", "wrapper", "raw", nil},
		{"CreatePayout", "wrapper-vs-raw", "wrapper", "raw", nil},
		{"ListPage100", "wrapper-vs-raw", "wrapper", "raw", nil},
		{"GetBalance", "wrapper-vs-floor", "wrapper", "floor", nil},
		{"CreatePayout", "wrapper-vs-floor", "wrapper", "floor", nil},
		{"ListPage100", "wrapper-vs-floor", "wrapper", "floor", nil},
		{"ListPage100", "wrapper-vs-ogen", "wrapper", "ogen", nil},
		{"DecodePage100", "wrapper-vs-ogen", "wrapper", "ogen", nil},
		{"GetBalance", "drift-on-vs-off", "wrapper", "wrapper", []wrapper.Option{driftOn}},
		{"ListPage100", "drift-on-vs-off", "wrapper", "wrapper", []wrapper.Option{driftOn}},
	} {
		b.Run("op="+c.op+"/pair="+c.pair, func(b *testing.B) {
			var callA, callB callFn
			if c.op == "DecodePage100" {
				callA, callB = decoders[c.a], decoders[c.b]
			} else {
				callA, callB = ops[c.op](build(b, c.a, c.aOpts...)), ops[c.op](build(b, c.b))
			}
			warm(b, c.a, callA)
			warm(b, c.b, callB)
			ctx := context.Background()
			var ta, tb, ca, cb time.Duration
			n := 0
			run := func(call callFn, acc, cpu *time.Duration) {
				t0, c0 := time.Now(), cpuTime()
				if err := call(ctx); err != nil {
					b.Fatal(err)
				}
				*acc += time.Since(t0)
				*cpu += cpuTime() - c0
			}
			for b.Loop() {
				if n%2 == 0 {
					run(callA, &ta, &ca)
					run(callB, &tb, &cb)
				} else {
					run(callB, &tb, &cb)
					run(callA, &ta, &ca)
				}
				n++
			}
			b.ReportMetric(float64(ta)/float64(tb), "ratio")
			b.ReportMetric(float64(ca)/float64(cb), "cpu-ratio")
			b.ReportMetric(float64(ta.Nanoseconds())/float64(n), "a-ns/op")
			b.ReportMetric(float64(tb.Nanoseconds())/float64(n), "b-ns/op")
		})
	}
}

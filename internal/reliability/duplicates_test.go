package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/wrapper"
)

// dupSeed seeds the fault sequence of TestNoDuplicatePayouts.
const dupSeed = 20261124

// faultPlan scripts a seeded random fault sequence over the first n calls
// of op: each call is faulted with probability p, by commit-then-drop
// (half of the faults) or 500/502/503/504. The mock's After counts only the
// calls that reach a fault, i.e. that no earlier fault in the list took, so
// the k-th fault (0-based) aimed at call position pos (1-based) gets
// After = pos-1-k.
func faultPlan(seed uint64, op string, n int, p float64) (faults []mock.Fault, positions []int) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	statuses := []int{500, 502, 503, 504}
	for pos := 1; pos <= n; pos++ {
		if rng.Float64() >= p {
			continue
		}
		f := mock.Fault{Operation: op, After: pos - 1 - len(faults)}
		if rng.IntN(2) == 0 {
			f.Kind = mock.FaultCommitThenDrop
		} else {
			f.Kind, f.Status = mock.FaultStatus, statuses[rng.IntN(len(statuses))]
		}
		faults = append(faults, f)
		positions = append(positions, pos)
	}
	return faults, positions
}

// TestFaultPlanPositions checks the After arithmetic against the mock: the
// faults land exactly on the planned call positions.
func TestFaultPlanPositions(t *testing.T) {
	srv := startMock(t)
	c := newClient(t, srv, nil, 0, wrapper.WithMaxRetries(0))
	faults, positions := faultPlan(7, "getBalance", 40, 0.3)
	for i := range faults {
		faults[i].Kind, faults[i].Status = mock.FaultStatus, 418
	}
	for _, f := range faults {
		srv.AddFault(f)
	}
	planned := map[int]bool{}
	for _, p := range positions {
		planned[p] = true
	}
	for pos := 1; pos <= 40; pos++ {
		_, err := c.GetBalance(context.Background())
		if got := err != nil; got != planned[pos] {
			t.Fatalf("call %d: faulted=%v, planned %v (err %v)", pos, got, planned[pos], err)
		}
	}
}

// TestNoDuplicatePayouts creates payouts from many goroutines while the
// mock drops committed answers and fails with 5xx at random: every create
// must come back with its payout, and the mock must hold exactly one payout
// per request_id. 1,000 creates; 100 under -short.
func TestNoDuplicatePayouts(t *testing.T) {
	n, workers := 1000, 20
	if testing.Short() && !soak {
		n = 100
	}
	const faultRate = 0.2
	srv := startMock(t)
	tr, dials := newTransport(t, workers)
	setup := newClient(t, srv, tr, 0)
	bene := createBeneficiary(t, setup)
	faults, positions := faultPlan(dupSeed, "createPayout", 3*n, faultRate)
	for _, f := range faults {
		srv.AddFault(f)
	}
	// Ten retries: a create fails only if 11 attempts in a row are faulted
	// (0.2^11 ≈ 2e-8 per create).
	c := newClient(t, srv, tr, 0, wrapper.WithRetryPolicy(fastPolicy(10)))

	type result struct {
		id  string
		err error
	}
	results := make([]result, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				p, err := c.CreatePayout(context.Background(), payoutBody(t, bene, requestIDFor(i)))
				if err == nil && (p == nil || p.Id == "") {
					err = fmt.Errorf("no payout and no error")
				}
				if err == nil {
					results[i].id = p.Id
				}
				results[i].err = err
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)

	byRequest := map[string][]string{}
	for _, obj := range srv.Objects("payouts") {
		rid, _ := obj["request_id"].(string)
		id, _ := obj["id"].(string)
		byRequest[rid] = append(byRequest[rid], id)
	}
	failed, mismatched, duplicates := 0, 0, 0
	for i, r := range results {
		rid := requestIDFor(i)
		held := byRequest[rid]
		if len(held) > 1 {
			duplicates += len(held) - 1
			t.Errorf("request_id %s: %d payouts %v", rid, len(held), held)
		}
		switch {
		case r.err != nil:
			failed++
			t.Errorf("create %s: %v", rid, r.err)
		case len(held) == 0 || held[0] != r.id:
			mismatched++
			t.Errorf("create %s returned %s; the mock holds %v", rid, r.id, held)
		}
	}
	total := srv.Count("payouts")
	if total != n {
		t.Errorf("the mock holds %d payouts, want %d", total, n)
	}
	calls := srv.Calls("createPayout")
	hit := map[mock.FaultKind]int{}
	hitStatus := 0
	for k, pos := range positions {
		if pos <= calls {
			if faults[k].Kind == mock.FaultStatus {
				hitStatus++
			} else {
				hit[faults[k].Kind]++
			}
		}
	}
	lookups := srv.Calls("getPayouts")
	t.Logf("%d creates in %v: %d payouts, %d duplicates, %d failed, %d mismatched; %d createPayout requests, faults hit: %d commit-then-drop, %d 5xx; %d duplicate lookups; %d dials",
		n, elapsed.Round(time.Millisecond), total, duplicates, failed, mismatched, calls, hit[mock.FaultCommitThenDrop], hitStatus, lookups, dials.n.Load())
	if n < 1000 || t.Failed() {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Command: `GLOMO_WRITE_DOCS=1 go test -race ./internal/reliability -run TestNoDuplicatePayouts -v`; the same figures are in the `-v` log line (seed %d, %d goroutines, fault rate %.0f%% per request, retry policy: 10 retries)\n\n", dupSeed, workers, faultRate*100)
	b.WriteString("| Figure | Value |\n|---|---|\n")
	rows := [][2]string{
		{"payout creates (distinct request_id)", fmt.Sprint(n)},
		{"payouts the mock holds", fmt.Sprint(total)},
		{"duplicates (payouts beyond the first per request_id)", fmt.Sprint(duplicates)},
		{"creates that returned an error", fmt.Sprint(failed)},
		{"creates whose returned id ≠ the mock's payout for that request_id", fmt.Sprint(mismatched)},
		{"`createPayout` requests the mock received", fmt.Sprint(calls)},
		{"commit-then-drop faults hit (payout made, answer lost)", fmt.Sprint(hit[mock.FaultCommitThenDrop])},
		{"500/502/503/504 faults hit", fmt.Sprint(hitStatus)},
		{"409s resolved by `GET /v1/payouts?request_id=`", fmt.Sprint(lookups)},
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s |\n", r[0], r[1])
	}
	docSection(t, "no-duplicates", b.String(), false)
}

func requestIDFor(i int) string { return fmt.Sprintf("rel-dup-%04d", i) }

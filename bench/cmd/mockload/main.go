// Command mockload measures the throughput of an HTTP mock of the Glomo API
// (glomo-mock or Prism) for one request shape: W workers send the same
// request over keep-alive connections for a fixed time, then it prints one
// JSON line with requests per second, latency percentiles and non-2xx
// answers. bench/mockprism.sh runs it against both mocks side by side.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080/api", "base URL of the mock")
	key := flag.String("key", "sk_test_mock_0000000000000000", "bearer key")
	name := flag.String("name", "", "label of the server in the output")
	scenario := flag.String("scenario", "balance", "balance | payout | list")
	bene := flag.String("bene", "bene_a1b2c3d4e5", "beneficiary id for payouts")
	workers := flag.Int("workers", 20, "concurrent workers")
	dur := flag.Duration("duration", 10*time.Second, "how long to send")
	flag.Parse()

	var seq atomic.Int64
	newReq := func() (*http.Request, error) {
		switch *scenario {
		case "balance":
			return http.NewRequest("GET", *base+"/v1/balances", nil)
		case "list":
			return http.NewRequest("GET", *base+"/v1/payouts?per_page=100", nil)
		case "payout":
			b, _ := json.Marshal(map[string]any{
				"purpose_code": "S0017", "beneficiary_id": *bene, "source_currency": "USD",
				"destination_currency": "USD", "source_amount": 29900, "payment_rail": "swift",
				"request_id": fmt.Sprintf("load-%d-%d", time.Now().UnixNano(), seq.Add(1)),
			})
			r, err := http.NewRequest("POST", *base+"/v1/payouts", bytes.NewReader(b))
			if r != nil {
				r.Header.Set("Content-Type", "application/json")
			}
			return r, err
		}
		return nil, fmt.Errorf("unknown scenario %q", *scenario)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *workers, MaxConnsPerHost: *workers}
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var (
		mu    sync.Mutex
		lats  []time.Duration
		bad   atomic.Int64
		wg    sync.WaitGroup
		start = time.Now()
		end   = start.Add(*dur)
	)
	for range *workers {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(end) {
				req, err := newReq()
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				req.Header.Set("Authorization", "Bearer "+*key)
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					bad.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				if resp.StatusCode/100 != 2 {
					bad.Add(1)
				}
			}
			mu.Lock()
			lats = append(lats, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lats)
	pct := func(p float64) float64 {
		if len(lats) == 0 {
			return 0
		}
		return float64(lats[min(len(lats)-1, int(p*float64(len(lats))))].Microseconds()) / 1000
	}
	out, _ := json.Marshal(map[string]any{
		"server": *name, "scenario": *scenario, "workers": *workers, "seconds": elapsed.Seconds(),
		"requests": len(lats), "non_2xx": bad.Load(), "rps": float64(len(lats)) / elapsed.Seconds(),
		"p50_ms": pct(0.50), "p99_ms": pct(0.99),
	})
	fmt.Println(string(out))
}

package wrapper

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedClientUnderLoad: 100 goroutines share one client; every create
// gets its own request_id, reused across its own retries only.
func TestSharedClientUnderLoad(t *testing.T) {
	var mu sync.Mutex
	attempts := map[string]int{}
	f := newFake(t, func(_ int, r *http.Request, body []byte) reply {
		if r.Method == http.MethodGet {
			return reply{body: `{"data":[{"id":"payout_a"},{"id":"payout_b"}],"page_meta":{"next":null}}`}
		}
		id := bodyMap(t, body)["request_id"].(string)
		mu.Lock()
		attempts[id]++
		n := attempts[id]
		mu.Unlock()
		if n == 1 {
			return reply{status: 503, body: `{"error":"Service Unavailable"}`}
		}
		return reply{status: 201, body: fmt.Sprintf(`{"id":"payout_%s"}`, id)}
	})
	h := newHarness(t, f)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				var used string
				p, err := h.c.CreatePayout(t.Context(), payoutBody(""), WithRequestIDCapture(&used))
				if err == nil && p.Id != "payout_"+used {
					err = fmt.Errorf("got %s for request_id %s", p.Id, used)
				}
				errs <- err
				return
			}
			n := 0
			for _, err := range h.c.GetPayoutsIter(t.Context(), nil) {
				if err != nil {
					errs <- err
					return
				}
				n++
			}
			if n != 2 {
				errs <- fmt.Errorf("iterated %d payouts", n)
				return
			}
			errs <- nil
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Len(t, attempts, 50, "one request_id per create")
	for id, n := range attempts {
		assert.Equal(t, 2, n, id)
	}
}

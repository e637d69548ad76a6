package mock_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentTransitionsAndActions drives lifecycle transitions
// (mockUpdatePayoutStatus) and item actions (updateRfiPayout) on the same
// payouts from many goroutines at once. Before the store handed out only
// immutable objects, a transition rendered the stored map after releasing
// the lock while an action wrote it: -race reported it, and without -race
// the 3,000-payout loop died with "concurrent map iteration and map write".
func TestConcurrentTransitionsAndActions(t *testing.T) {
	n := 3000
	if raceEnabled || testing.Short() {
		n = 200
	}
	c := newClient(t)
	bene := beneficiary(t, c)
	ids := make([]string, n)
	for i := range ids {
		st, m := c.do("POST", "/v1/payouts", payoutBody(bene, ""))
		require.Equal(t, 201, st, "create payout: %v", m)
		ids[i] = m["id"].(string)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 30 * time.Second}
	defer hc.CloseIdleConnections()
	send := func(method, path string, body any) (int, error) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, c.srv.URL+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+c.key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
		}
		return resp.StatusCode, nil
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	const workers = 8
	for w := range workers {
		wg.Go(func() {
			// Every worker walks every payout in the same order, so each
			// payout gets transitions and document uploads at the same moment.
			for i := range n {
				var st int
				var err error
				if (i+w)%2 == 0 {
					to := []string{"in_progress", "action_required", "in_progress"}[i%3]
					st, err = send("PATCH", "/v1/payouts/mock", map[string]any{"id": ids[i], "status": to})
				} else {
					st, err = send("PATCH", "/v1/payouts/"+ids[i]+"/update_rfi", map[string]any{
						"documents": []any{map[string]any{"id": "doc_stress", "rfi_doc_id": fmt.Sprintf("rfidoc_%d", i)}},
					})
				}
				if err == nil && st != 200 && st != 400 {
					err = fmt.Errorf("status %d", st)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	// Every payout is in a status the transitions allow, and every payout
	// an action reached keeps the documents it was sent.
	for i, id := range ids {
		obj, ok := c.srv.Object("payouts", id)
		require.True(t, ok)
		assert.Contains(t, []any{"queued", "in_progress", "action_required"}, obj["status"], id)
		if docs, ok := obj["documents"].([]any); ok && len(docs) > 0 {
			assert.Equal(t, fmt.Sprintf("rfidoc_%d", i), docs[0].(map[string]any)["rfi_doc_id"], id)
		}
	}
	assert.Equal(t, n, c.srv.Count("payouts"))
}

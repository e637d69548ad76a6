package mock_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/mock"
)

// TestListPinnedBeforeUnderConcurrentCreates walks a list page by page with
// before pinned just after the newest created_at of the first page while
// other goroutines keep creating. The walk must yield every object created
// up to that created_at exactly once and nothing newer.
//
// It used to repeat items: created_at was shown to the second while before
// compared the nanosecond creation time, so no shown value could pin a
// walk (a bound rounded up to the next second let everything created in
// the rest of that second in, and each insert pushed items onto the next
// page), and the time was taken before the store's lock, so an object
// stamped before a bound could appear after a page had been read.
func TestListPinnedBeforeUnderConcurrentCreates(t *testing.T) {
	c := newClient(t)
	bene := beneficiary(t, c)
	for range 30 {
		st, m := c.do("POST", "/v1/payouts", payoutBody(bene, ""))
		require.Equal(t, 201, st, "%v", m)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				c.do("POST", "/v1/payouts", payoutBody(bene, ""))
			}
		})
	}
	defer func() { stop.Store(true); wg.Wait() }()
	require.Eventually(t, func() bool { return c.srv.Count("payouts") >= 40 }, 30*time.Second, time.Millisecond)

	st, l := c.do("GET", "/v1/payouts?per_page=7", nil)
	require.Equal(t, 200, st)
	newest := l["data"].([]any)[0].(map[string]any)["created_at"].(string)
	top, err := time.Parse(time.RFC3339Nano, newest)
	require.NoError(t, err)
	pin := top.Add(time.Microsecond).Format(time.RFC3339Nano)

	seen := map[string]int{}
	for page := 1; page < 100; page++ {
		st, l := c.do("GET", fmt.Sprintf("/v1/payouts?per_page=7&page=%d&before=%s", page, pin), nil)
		require.Equal(t, 200, st, "%v", l)
		for _, it := range l["data"].([]any) {
			seen[it.(map[string]any)["id"].(string)]++
		}
		if l["page_meta"].(map[string]any)["next"] == nil {
			break
		}
	}
	stop.Store(true)
	wg.Wait()

	want := map[string]int{}
	for _, o := range c.srv.Objects("payouts") {
		created, err := time.Parse(time.RFC3339Nano, o["created_at"].(string))
		require.NoError(t, err)
		if !created.After(top) {
			want[o["id"].(string)] = 1
		}
	}
	assert.GreaterOrEqual(t, len(want), 40)
	assert.Equal(t, want, seen, "the walk must yield each object created up to %s exactly once", newest)
}

// TestCreatedAtIsTheFilteredValue pins the contract the walk above relies
// on: an object is listed by before= just after its created_at and by
// after= just before it, and not by bounds equal to it (both exclusive).
func TestCreatedAtIsTheFilteredValue(t *testing.T) {
	c := newClient(t)
	bene := beneficiary(t, c)
	st, p := c.do("POST", "/v1/payouts", payoutBody(bene, ""))
	require.Equal(t, 201, st)
	at, err := time.Parse(time.RFC3339Nano, p["created_at"].(string))
	require.NoError(t, err)
	count := func(q string, ts time.Time) float64 {
		_, l := c.do("GET", "/v1/payouts?"+q+"="+ts.Format(time.RFC3339Nano), nil)
		return l["page_meta"].(map[string]any)["count"].(float64)
	}
	assert.Equal(t, 1.0, count("before", at.Add(time.Microsecond)))
	assert.Equal(t, 0.0, count("before", at))
	assert.Equal(t, 1.0, count("after", at.Add(-time.Microsecond)))
	assert.Equal(t, 0.0, count("after", at))
}

// TestDeepBodyRefusedBeforeValidation sends bodies nested thousands of
// levels deep: they are refused as too deep (not by the schema validator,
// which took seconds over them), while brackets inside strings do not
// count.
func TestDeepBodyRefusedBeforeValidation(t *testing.T) {
	c := newClient(t)
	for _, depth := range []int{mock.MaxBodyDepth + 1, 3000, 9000} {
		body := []byte(`{"reason":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`)
		st, m := c.do("POST", "/v1/refunds", body)
		wantErr(t, st, m, 400, fmt.Sprintf("nested deeper than %d levels", mock.MaxBodyDepth))
	}
	st, m := c.do("POST", "/v1/refunds", []byte(`{"reason":"`+strings.Repeat("[", 9000)+`"}`))
	require.Equal(t, 400, st)
	assert.NotContains(t, m["message"], "nested deeper")
	body := []byte(`{"reason":` + strings.Repeat("[", mock.MaxBodyDepth-1) + strings.Repeat("]", mock.MaxBodyDepth-1) + `}`)
	st, m = c.do("POST", "/v1/refunds", body)
	require.Equal(t, 400, st)
	assert.NotContains(t, m["message"], "nested deeper")
}

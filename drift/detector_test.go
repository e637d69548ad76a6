package drift_test

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/drift"
)

const driftedPayout = `{"id":"payout_1","status":"teleported"}`

// calls hands n drifted payout answers to d and returns the 1-based call
// numbers that were reported.
func calls(d *drift.Detector, reported *[]int, n int) {
	for i := 1; i <= n; i++ {
		before := len(*reported)
		d.ValidateResponse("getPayoutById", "GET", "/v1/payouts/payout_1", 200, jsonHeader(), []byte(driftedPayout))
		if len(*reported) > before {
			(*reported)[len(*reported)-1] = i
		}
	}
}

// The default detector validates the first response of an operation and
// status class, then one in 32.
func TestDetectorDefaultSampling(t *testing.T) {
	var got []int
	d, err := drift.NewDetector(func(drift.Finding) { got = append(got, 0) })
	require.NoError(t, err)
	calls(d, &got, 70)
	assert.Equal(t, []int{1, 33, 65}, got)
	assert.Equal(t, drift.Sampling{First: 1, Every: 32}, drift.DefaultSampling)
}

// Each status class has its own count: the first 404 is validated however
// many 200s came before it; a request matching no operation is always
// reported.
func TestDetectorStatusClassesAndUnknown(t *testing.T) {
	var got []drift.Finding
	v, err := drift.Default()
	require.NoError(t, err)
	d := v.Detector(func(f drift.Finding) { got = append(got, f) })
	for range 5 {
		d.ValidateResponse("", "GET", "/v1/payouts/payout_1", 200, jsonHeader(), []byte(payoutJSON))
	}
	d.ValidateResponse("", "GET", "/v1/payouts/payout_1", 404, jsonHeader(), []byte(`{"error":7}`))
	d.ValidateResponse("", "GET", "/v1/teleport", 200, jsonHeader(), []byte(`{}`))
	d.ValidateResponse("", "GET", "/v1/teleport", 200, jsonHeader(), []byte(`{}`))
	require.Len(t, got, 3)
	assert.Equal(t, 404, got[0].Status)
	assert.ErrorIs(t, &got[1], drift.ErrUnknownOperation)
	assert.ErrorIs(t, &got[2], drift.ErrUnknownOperation)
}

func TestDetectorCustomSampling(t *testing.T) {
	v, err := drift.Default()
	require.NoError(t, err)
	var all, some []int
	calls(v.SampledDetector(func(drift.Finding) { all = append(all, 0) }, drift.Sampling{Every: 1}), &all, 5)
	assert.Equal(t, []int{1, 2, 3, 4, 5}, all)
	calls(v.SampledDetector(func(drift.Finding) { some = append(some, 0) }, drift.Sampling{First: 3, Every: 4}), &some, 12)
	assert.Equal(t, []int{1, 2, 3, 7, 11}, some)
}

// Concurrent callers share the count exactly: 160 answers from 8
// goroutines are 1 + 159/32 validations.
func TestDetectorConcurrentSampling(t *testing.T) {
	var n atomic.Int64
	d, err := drift.NewDetector(func(drift.Finding) { n.Add(1) })
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				d.ValidateResponse("", http.MethodGet, "/v1/payouts/payout_1", 200, jsonHeader(), []byte(driftedPayout))
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(1+159/32), n.Load())
}

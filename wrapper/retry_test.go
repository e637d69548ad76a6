package wrapper

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBackoffNeverOverflows: with a MaxDelay beyond what doubling can hold
// (math.MaxInt64 as "no cap"), the ceiling grows to MaxDelay and stays
// there; it used to wrap negative after ~35 retries, which meant retrying
// with no wait at all.
func TestBackoffNeverOverflows(t *testing.T) {
	ceil := func(d time.Duration) time.Duration { return d }
	p := RetryPolicy{BaseDelay: 500 * time.Millisecond, MaxDelay: math.MaxInt64}
	prev := time.Duration(0)
	for n := 1; n <= 100; n++ {
		d := p.backoff(n, ceil)
		require.GreaterOrEqual(t, d, prev, "retry %d: the ceiling never shrinks", n)
		prev = d
	}
	assert.Equal(t, time.Duration(math.MaxInt64), prev)

	// A first ceiling past half the range, doubled once.
	big := RetryPolicy{BaseDelay: math.MaxInt64/2 + 1, MaxDelay: math.MaxInt64}
	assert.Equal(t, time.Duration(math.MaxInt64), big.backoff(2, ceil))
}

// TestBackoffBaseAboveMax: a BaseDelay above MaxDelay is cut to MaxDelay
// from the first retry.
func TestBackoffBaseAboveMax(t *testing.T) {
	ceil := func(d time.Duration) time.Duration { return d }
	p := RetryPolicy{BaseDelay: time.Minute, MaxDelay: time.Second}
	for _, n := range []int{1, 2, 10} {
		assert.Equal(t, time.Second, p.backoff(n, ceil), "retry %d", n)
	}
}

// TestRandomJitterSpansZeroToMax: full jitter draws from [0, max], both ends
// included (checked on max = 1, where 200 draws miss one end with
// probability 2^-199), and 0 for a non-positive max.
func TestRandomJitterSpansZeroToMax(t *testing.T) {
	seen := map[time.Duration]int{}
	for range 200 {
		seen[randomJitter(1)]++
	}
	assert.Len(t, seen, 2, "draws: %v", seen)
	assert.Positive(t, seen[0])
	assert.Positive(t, seen[1])
	assert.Equal(t, time.Duration(0), randomJitter(0))
	assert.Equal(t, time.Duration(0), randomJitter(-time.Second))
}

// TestSleepCtxZeroOnADoneContext: a zero wait on a context that is already
// done reports the context's error every time, never a timer's nil (a
// select between a fired timer and a done context picks either at random).
func TestSleepCtxZeroOnADoneContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for range 100 {
		require.ErrorIs(t, sleepCtx(ctx, 0), context.Canceled)
		require.ErrorIs(t, sleepCtx(ctx, -time.Second), context.Canceled)
	}
}

// TestRetryAfterUnderACapOfPartSeconds: with a cap that is not a whole
// number of seconds, a Retry-After below it is honoured as sent and one
// above it is cut to the cap, exactly.
func TestRetryAfterUnderACapOfPartSeconds(t *testing.T) {
	p := RetryPolicy{MaxRetryAfter: 1500 * time.Millisecond}
	for value, want := range map[string]time.Duration{"1": time.Second, "2": 1500 * time.Millisecond} {
		d, ok := p.retryAfter(http.Header{"Retry-After": {value}}, time.Now())
		assert.True(t, ok, value)
		assert.Equal(t, want, d, value)
	}
}

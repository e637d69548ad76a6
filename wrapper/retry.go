package wrapper

import (
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how failed calls are retried. Reads are retried on 429,
// 500/502/503/504, connection errors and timeouts; writes only when their
// body carries a request_id (see the package documentation).
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt; 0 disables.
	MaxRetries int
	// BaseDelay is the first backoff ceiling; it doubles per retry.
	BaseDelay time.Duration
	// MaxDelay caps the backoff ceiling.
	MaxDelay time.Duration
	// MaxRetryAfter caps a server's Retry-After; longer waits are cut to it.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy is 2 retries, full-jitter backoff from 500ms up to 8s,
// Retry-After honoured up to 30s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 2, BaseDelay: 500 * time.Millisecond, MaxDelay: 8 * time.Second, MaxRetryAfter: 30 * time.Second}
}

// withDefaults fills zero (or negative) delays from DefaultRetryPolicy.
func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	p.BaseDelay = cmp.Or(max(p.BaseDelay, 0), d.BaseDelay)
	p.MaxDelay = cmp.Or(max(p.MaxDelay, 0), d.MaxDelay)
	p.MaxRetryAfter = cmp.Or(max(p.MaxRetryAfter, 0), d.MaxRetryAfter)
	return p
}

// backoff is the full-jitter delay before retry number n (1-based):
// uniform in [0, min(MaxDelay, BaseDelay*2^(n-1))].
func (p RetryPolicy) backoff(n int, jitter func(time.Duration) time.Duration) time.Duration {
	ceil := min(p.BaseDelay, p.MaxDelay)
	for i := 1; i < n && ceil < p.MaxDelay; i++ {
		// Doubles, capped at MaxDelay without computing ceil*2, which
		// wraps negative (no wait at all) once MaxDelay is beyond
		// MaxInt64/2, e.g. a MaxDelay of math.MaxInt64 meaning "no cap".
		ceil += min(ceil, p.MaxDelay-ceil)
	}
	return jitter(ceil)
}

// retryAfter reads Retry-After (delay-seconds or an HTTP-date), capped.
func (p RetryPolicy) retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	var d time.Duration
	// delay-seconds is digits only: ParseUint refuses a sign, and its range
	// error is a delay beyond any cap.
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		// An if, not a switch: mutation testing cannot see case
		// expressions as covered (Go's coverage blocks leave them out).
		if err != nil || secs > uint64(p.MaxRetryAfter/time.Second) {
			return p.MaxRetryAfter, true // beyond the cap (or beyond int64)
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
		if d < 0 {
			d = 0
		}
	} else {
		return 0, false
	}
	if d > p.MaxRetryAfter {
		d = p.MaxRetryAfter
	}
	return d, true
}

func randomJitter(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return rand.N(max + 1)
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

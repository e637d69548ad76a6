// Package storetest is the behaviour every webhook.Store must show, run by
// the tests of each implementation (the in-memory one and sqlstore).
package storetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/webhook"
)

// Run runs the conformance cases against stores made by newStore; each
// case gets a fresh store (or at least keys no other case uses: every key
// and object id is prefixed with the case's name).
func Run(t *testing.T, newStore func(t *testing.T) webhook.Store) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, newStore(t), fixture{prefix: t.Name() + "/"})
		})
	}
}

type fixture struct{ prefix string }

var owners atomic.Int64

// claim is a claim of the payout object id moving to state, under a fresh
// owner with a lease of a minute.
func (f fixture) claim(id, state string) webhook.Claim {
	return webhook.Claim{
		Key:        f.prefix + "payout|" + id + "|" + state,
		EntityType: webhook.EntityPayout,
		ObjectID:   f.prefix + id,
		State:      state,
		Owner:      fmt.Sprintf("owner-%d", owners.Add(1)),
		LeaseUntil: time.Now().Add(time.Minute),
	}
}

// other is the same event claimed by another owner.
func other(c webhook.Claim) webhook.Claim {
	c.Owner = fmt.Sprintf("owner-%d", owners.Add(1))
	return c
}

func claim(t *testing.T, s webhook.Store, c webhook.Claim, want webhook.ClaimResult) {
	t.Helper()
	got, err := s.Claim(context.Background(), c)
	require.NoError(t, err)
	require.Equal(t, want, got, "claim of %s by %s", c.Key, c.Owner)
}

var ctx = context.Background()

var cases = []struct {
	name string
	run  func(*testing.T, webhook.Store, fixture)
}{
	{"claim, busy, done, duplicate", func(t *testing.T, s webhook.Store, f fixture) {
		c := f.claim("po_1", "in_progress")
		claim(t, s, c, webhook.Claimed)
		claim(t, s, other(c), webhook.Busy)
		require.NoError(t, s.Done(ctx, c))
		claim(t, s, other(c), webhook.Duplicate)
		claim(t, s, c, webhook.Duplicate)
		assert.ErrorIs(t, s.Done(ctx, c), webhook.ErrLeaseLost, "done twice")
		assert.ErrorIs(t, s.Release(ctx, c), webhook.ErrLeaseLost, "released after done")
	}},
	{"release lets the next delivery claim", func(t *testing.T, s webhook.Store, f fixture) {
		c := f.claim("po_1", "success")
		claim(t, s, c, webhook.Claimed)
		require.NoError(t, s.Release(ctx, c))
		assert.ErrorIs(t, s.Release(ctx, c), webhook.ErrLeaseLost, "released twice")
		c2 := other(c)
		claim(t, s, c2, webhook.Claimed)
		assert.ErrorIs(t, s.Done(ctx, c), webhook.ErrLeaseLost, "the first owner no longer holds it")
		require.NoError(t, s.Done(ctx, c2))
		claim(t, s, other(c), webhook.Duplicate)
	}},
	{"a lapsed lease is taken over", func(t *testing.T, s webhook.Store, f fixture) {
		crashed := f.claim("po_1", "success")
		crashed.LeaseUntil = time.Now().Add(-time.Second)
		claim(t, s, crashed, webhook.Claimed)
		next := other(crashed)
		next.LeaseUntil = time.Now().Add(time.Minute)
		claim(t, s, next, webhook.Claimed)
		assert.ErrorIs(t, s.Done(ctx, crashed), webhook.ErrLeaseLost)
		assert.ErrorIs(t, s.Release(ctx, crashed), webhook.ErrLeaseLost)
		require.NoError(t, s.Done(ctx, next))
		claim(t, s, other(crashed), webhook.Duplicate)
	}},
	{"an object lease taken over by another event", func(t *testing.T, s webhook.Store, f fixture) {
		crashed := f.claim("po_1", "in_progress")
		crashed.LeaseUntil = time.Now().Add(-time.Second)
		claim(t, s, crashed, webhook.Claimed)
		next := f.claim("po_1", "success") // another event, same object
		claim(t, s, next, webhook.Claimed)
		assert.ErrorIs(t, s.Done(ctx, crashed), webhook.ErrLeaseLost, "the object is another claim's now")
		assert.ErrorIs(t, s.Release(ctx, crashed), webhook.ErrLeaseLost)
		require.NoError(t, s.Done(ctx, next))
		claim(t, s, f.claim("po_1", "in_progress"), webhook.Stale)
	}},
	{"the holder claiming again is not busy", func(t *testing.T, s webhook.Store, f fixture) {
		c := f.claim("po_1", "success")
		claim(t, s, c, webhook.Claimed)
		claim(t, s, c, webhook.Claimed)
		require.NoError(t, s.Done(ctx, c))
	}},
	{"one claim per object at a time", func(t *testing.T, s webhook.Store, f fixture) {
		a := f.claim("po_1", "in_progress")
		claim(t, s, a, webhook.Claimed)
		b := f.claim("po_1", "success")
		claim(t, s, b, webhook.Busy)
		claim(t, s, f.claim("po_2", "success"), webhook.Claimed) // other objects are free
		require.NoError(t, s.Done(ctx, a))
		claim(t, s, b, webhook.Claimed)
		require.NoError(t, s.Done(ctx, b))
	}},
	{"no step back from a terminal state", func(t *testing.T, s webhook.Store, f fixture) {
		done := f.claim("po_1", "success")
		claim(t, s, done, webhook.Claimed)
		require.NoError(t, s.Done(ctx, done))
		claim(t, s, f.claim("po_1", "in_progress"), webhook.Stale)
		claim(t, s, f.claim("po_1", "queued"), webhook.Stale)
		// Terminal to terminal is a correction ShouldApply lets through.
		fix := f.claim("po_1", "failed")
		claim(t, s, fix, webhook.Claimed)
		require.NoError(t, s.Done(ctx, fix))
		claim(t, s, f.claim("po_1", "in_progress"), webhook.Stale)
		// A stale event holds nothing: it stays stale, never busy.
		claim(t, s, f.claim("po_1", "in_progress"), webhook.Stale)
	}},
	{"an event that moves no state is never stale and keeps the state", func(t *testing.T, s webhook.Store, f fixture) {
		done := f.claim("po_1", "success")
		claim(t, s, done, webhook.Claimed)
		require.NoError(t, s.Done(ctx, done))
		info := f.claim("po_1", "")
		info.Key += "utr.updated"
		claim(t, s, info, webhook.Claimed)
		require.NoError(t, s.Done(ctx, info))
		claim(t, s, f.claim("po_1", "in_progress"), webhook.Stale)
	}},
	{"a released claim does not change the state", func(t *testing.T, s webhook.Store, f fixture) {
		c := f.claim("po_1", "success")
		claim(t, s, c, webhook.Claimed)
		require.NoError(t, s.Release(ctx, c))
		claim(t, s, f.claim("po_1", "in_progress"), webhook.Claimed)
	}},
	{"entity types are separate namespaces", func(t *testing.T, s webhook.Store, f fixture) {
		c := f.claim("id_1", "success")
		claim(t, s, c, webhook.Claimed)
		require.NoError(t, s.Done(ctx, c))
		r := f.claim("id_1", "in_progress")
		r.EntityType, r.Key = webhook.EntityRefund, "refund|"+r.Key
		claim(t, s, r, webhook.Claimed)
		require.NoError(t, s.Done(ctx, r))
	}},
	{"an event without an object is only deduplicated", func(t *testing.T, s webhook.Store, f fixture) {
		c := webhook.Claim{Key: f.prefix + "webhook_test|sha256:00|test|", EntityType: webhook.EntityWebhookTest,
			State: "test", Owner: "o1", LeaseUntil: time.Now().Add(time.Minute)}
		claim(t, s, c, webhook.Claimed)
		claim(t, s, other(c), webhook.Busy)
		require.NoError(t, s.Done(ctx, c))
		claim(t, s, other(c), webhook.Duplicate)
	}},
	{"settling an unknown claim", func(t *testing.T, s webhook.Store, f fixture) {
		c := f.claim("po_9", "success")
		assert.ErrorIs(t, s.Done(ctx, c), webhook.ErrLeaseLost)
		assert.ErrorIs(t, s.Release(ctx, c), webhook.ErrLeaseLost)
		claim(t, s, c, webhook.Claimed)
	}},
	{"concurrent claims of one event: one wins", func(t *testing.T, s webhook.Store, f fixture) {
		base := f.claim("po_1", "success")
		const n = 16
		results := make([]webhook.ClaimResult, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := s.Claim(ctx, other(base))
				assert.NoError(t, err)
				results[i] = r
			}()
		}
		wg.Wait()
		count := map[webhook.ClaimResult]int{}
		for _, r := range results {
			count[r]++
		}
		assert.Equal(t, map[webhook.ClaimResult]int{webhook.Claimed: 1, webhook.Busy: n - 1}, count)
	}},
}

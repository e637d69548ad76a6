package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"
)

// storeTimeout bounds Done and Release, which run after the callback on a
// context of their own: the request's may already be cancelled, and the
// claim must still be settled.
const storeTimeout = 10 * time.Second

// serveClaimed processes ev through the handler's store: claim, call, then
// done or release.
func (h *handler) serveClaimed(w http.ResponseWriter, r *http.Request, ev Event) {
	c := NewClaim(ev, newOwner(), h.now().Add(h.timeout+LeaseMargin))
	res, err := h.store.Claim(r.Context(), c)
	// ifs, not a switch: mutation testing cannot see case expressions as
	// covered (Go's coverage blocks leave them out).
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("webhook: claiming %s: %w", c.Key, err))
		return
	}
	if res == Duplicate || res == Stale {
		w.WriteHeader(http.StatusOK)
		return
	}
	if res == Busy {
		h.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("%w: %s", ErrBusy, c.Key))
		return
	}
	if res != Claimed {
		h.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("webhook: store answered %v for %s", res, c.Key))
		return
	}
	settled := false
	defer func() {
		// fn panicked: give the claim back before net/http recovers, so
		// the redelivery need not wait for the lease.
		if !settled {
			h.settle(r, c, h.store.Release)
		}
	}()
	err = h.call(r, ev)
	settled = true
	if err != nil {
		if rerr := h.settle(r, c, h.store.Release); rerr != nil {
			err = fmt.Errorf("%w (and releasing the claim: %v)", err, rerr)
		}
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	if err := h.settle(r, c, h.store.Done); err != nil {
		h.fail(w, r, http.StatusInternalServerError, fmt.Errorf("webhook: recording %s as done: %w", c.Key, err))
		return
	}
	w.WriteHeader(http.StatusOK)
}

// settle calls Done or Release with a context that outlives the request's.
func (h *handler) settle(r *http.Request, c Claim, op func(context.Context, Claim) error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), storeTimeout)
	defer cancel()
	return op(ctx, c)
}

// newOwner returns a random claim owner; crypto/rand never fails on the
// platforms Go supports.
func newOwner() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

package webhook

import (
	"context"
	"sync"
	"time"
)

// MemoryStore is a [Store] for a single process: it deduplicates and orders
// events for one receiver, not across replicas (use webhook/sqlstore for a
// fleet). It remembers every processed event key for the life of the
// process. The zero value is not usable; call [NewMemoryStore].
type MemoryStore struct {
	mu      sync.Mutex
	now     func() time.Time
	events  map[string]*lease // by Claim.Key
	objects map[objectKey]*objectState
}

type objectKey struct{ entity, id string }

// lease is who holds an event or object, and until when; done marks an
// event processed.
type lease struct {
	owner string
	until time.Time
	done  bool
}

// heldBy reports whether a live claim other than owner holds l.
func (l *lease) heldBy(owner string, now time.Time) bool {
	return l.owner != "" && l.owner != owner && now.Before(l.until)
}

type objectState struct {
	lease
	state string
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{now: time.Now, events: map[string]*lease{}, objects: map[objectKey]*objectState{}}
}

// Claim implements [Store].
func (m *MemoryStore) Claim(_ context.Context, c Claim) (ClaimResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	ev := m.events[c.Key]
	if ev == nil {
		ev = &lease{}
		m.events[c.Key] = ev
	}
	if ev.done {
		return Duplicate, nil
	}
	if ev.heldBy(c.Owner, now) {
		return Busy, nil
	}
	var obj *objectState
	if c.ObjectID != "" {
		k := objectKey{c.EntityType, c.ObjectID}
		if obj = m.objects[k]; obj == nil {
			obj = &objectState{}
			m.objects[k] = obj
		}
		if obj.heldBy(c.Owner, now) {
			return Busy, nil
		}
		if c.State != "" && !ShouldApply(c.EntityType, obj.state, c.State) {
			return Stale, nil
		}
		obj.owner, obj.until = c.Owner, c.LeaseUntil
	}
	ev.owner, ev.until = c.Owner, c.LeaseUntil
	return Claimed, nil
}

// Done implements [Store].
func (m *MemoryStore) Done(_ context.Context, c Claim) error {
	return m.end(c, true)
}

// Release implements [Store].
func (m *MemoryStore) Release(_ context.Context, c Claim) error {
	return m.end(c, false)
}

func (m *MemoryStore) end(c Claim, done bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	ev := m.events[c.Key]
	if ev == nil || ev.done || ev.owner != c.Owner {
		return ErrLeaseLost
	}
	var obj *objectState
	if c.ObjectID != "" {
		if obj = m.objects[objectKey{c.EntityType, c.ObjectID}]; obj == nil || obj.owner != c.Owner {
			return ErrLeaseLost
		}
		obj.lease = lease{}
		if done && c.State != "" {
			obj.state = c.State
		}
	}
	*ev = lease{done: done}
	return nil
}

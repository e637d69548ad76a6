package webhook

import (
	"context"
	"errors"
	"time"
)

// Store records, across every replica that shares it, which events have
// been processed and the last state applied to each object, so that a
// fleet of receivers processes each event once and never moves an object
// backwards. Pass one to [Handler] with [WithStore]; [NewMemoryStore] is one
// for a single process, and package webhook/sqlstore keeps it in the
// service's own database.
//
// The protocol: [Handler] claims an event before calling its callback, then
// marks the claim done when the callback succeeded or releases it when the
// callback failed (so Glomo's redelivery processes it again). A claim holds
// both the event and its object for a lease: a replica that crashes holding
// one loses it when the lease runs out, and the next delivery takes it
// over. Holding the object too means two events for one object are never
// processed at the same time, so a late non-terminal event cannot be
// applied while a terminal one is in flight.
//
// Implementations must be safe for concurrent use, decide each claim
// atomically, and act in Done and Release only on a claim whose Owner still
// holds it (otherwise return [ErrLeaseLost]).
type Store interface {
	// Claim decides, in this order, what to do with the event c
	// describes: [Duplicate] when it was processed; [Busy] when a claim of
	// another Owner whose lease has not run out holds the event or its
	// object; [Stale] when c.State is set and [ShouldApply] refuses it
	// over the object's stored state; else [Claimed], and c now holds the event and its
	// object until c.LeaseUntil.
	Claim(ctx context.Context, c Claim) (ClaimResult, error)
	// Done records the event as processed and c.State as the object's
	// state, and ends the claim.
	Done(ctx context.Context, c Claim) error
	// Release ends the claim without recording anything, so a later
	// delivery of the event can claim it again.
	Release(ctx context.Context, c Claim) error
}

// Claim describes one attempt to process one event. [Handler] fills it in
// from the event with [NewClaim] and a fresh Owner.
type Claim struct {
	// Key identifies the event: [DedupeKey] of it.
	Key string
	// EntityType and ObjectID identify the object the event is about;
	// ObjectID is "" for an event about no identifiable object (the
	// dashboard's test delivery), which is then only deduplicated.
	EntityType string
	ObjectID   string
	// State is the state the event moves the object to ([Event.State]),
	// compared with the stored one by [ShouldApply]; "" for an event that
	// moves no state (funds_available, utr.updated), which is never stale
	// and leaves the stored state as it is.
	State string
	// Owner identifies the claimant; it must be unique per attempt.
	Owner string
	// LeaseUntil is when the claim lapses if neither Done nor Release
	// ended it.
	LeaseUntil time.Time
}

// ClaimResult is the answer to [Store.Claim].
type ClaimResult int

const (
	// Claimed means the caller now holds the event and must process it and
	// then call Done or Release.
	Claimed ClaimResult = iota + 1
	// Duplicate means the event was processed before: acknowledge it and
	// do nothing.
	Duplicate
	// Stale means the event would move its object backwards (see
	// [ShouldApply]): acknowledge it and do nothing.
	Stale
	// Busy means another claim holds the event or its object: answer with
	// an error so that Glomo redelivers it later.
	Busy
)

// String names the result for logs.
func (r ClaimResult) String() string {
	switch r {
	case Claimed:
		return "claimed"
	case Duplicate:
		return "duplicate"
	case Stale:
		return "stale"
	case Busy:
		return "busy"
	}
	return "ClaimResult(invalid)"
}

var (
	// ErrLeaseLost is returned by [Store.Done] and [Store.Release] when the
	// claim no longer holds the event: its lease ran out and another claim
	// took it over (or it was ended already).
	ErrLeaseLost = errors.New("webhook: claim lease lost")
	// ErrBusy is what [Handler] reports to the error log when it answers
	// 503 because another claim holds the event or its object.
	ErrBusy = errors.New("webhook: event or object is being processed elsewhere")
)

// NewClaim describes ev for a [Store]: its [DedupeKey], its object and the
// state it carries, with owner and a lease ending at leaseUntil.
func NewClaim(ev Event, owner string, leaseUntil time.Time) Claim {
	return Claim{
		Key:        DedupeKey(ev),
		EntityType: ev.EntityType,
		ObjectID:   ev.ID(),
		State:      ev.State(),
		Owner:      owner,
		LeaseUntil: leaseUntil,
	}
}

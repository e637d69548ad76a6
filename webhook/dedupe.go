package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/gowebpki/jcs"
)

// DedupeKey returns a key that is equal for two deliveries of the same event,
// so a receiver can drop repeats (Glomo retries until it sees a 200, and
// sends no event id).
//
// Following Glomo's guidance it is entity_type|data.id|event_type|data.status,
// or entity_type|data.payment_id|event_type|data.timestamp for balance
// events. For merchant events, whose object has merchant_id instead of id,
// merchant_id is used. Most payloads carry no data.status: then the version
// part is the state the event type names ([Event.State]), and for events
// that name no state (utr.updated, funds_available, updated...) it is
// data.updated_at, so two different updates of one object never share a
// key while a repeated delivery still does. Two events that differ only in
// other data fields (a refund's utr.updated sent twice with different UTRs
// but the same status) share a key; that is Glomo's definition, not an
// accident.
//
// When data carries no identifying field at all (the dashboard's test
// delivery, or an unknown shape) the id part is "sha256:" and the hash of the
// canonical data, so distinct events are never merged. Values are taken
// verbatim: a numeric timestamp appears as its JSON text.
func DedupeKey(e Event) string {
	f := topLevel(e.Data)
	var id, version string
	if e.EntityType == EntityBalance {
		id, version = f.get("payment_id"), f.get("timestamp")
	} else {
		id, version = f.get("id"), e.state(f)
		if id == "" {
			id = f.get("merchant_id")
		}
		if version == "" {
			version = f.get("updated_at")
		}
	}
	if id == "" {
		id = "sha256:" + dataHash(e.Data)
	}
	return strings.Join([]string{e.EntityType, id, e.EventType, version}, "|")
}

// ID returns the id of the object in Data (data.id, or data.merchant_id for
// merchant events, or data.payment_id for balance events), or "" when there is
// none or Data is not a JSON object. It never fails, so it is safe in logs.
func (e Event) ID() string {
	f := topLevel(e.Data)
	// ifs, not a switch: mutation testing cannot see case expressions as
	// covered (Go's coverage blocks leave them out).
	if e.EntityType == EntityBalance {
		return f.get("payment_id")
	}
	if id := f.get("id"); id != "" {
		return id
	}
	return f.get("merchant_id")
}

// Status returns data.status, or "" when there is none. It reads only that
// field, so it works even when the rest of Data does not fit the api type.
// Most payloads have no data.status; [Event.State] falls back on the event
// type.
func (e Event) Status() string {
	return topLevel(e.Data).get("status")
}

// State returns the status the event reports: data.status when data has
// one, else the event type when it names a status of the entity (a payout's
// "success", an order's "paid"), else "" (funds_available, utr.updated,
// updated, compliance events and unknown types move no status). Most
// webhook payloads carry no data.status, so this, not [Event.Status], is
// what to store and to pass to [ShouldApply].
func (e Event) State() string {
	return e.state(topLevel(e.Data))
}

func (e Event) state(f fields) string {
	if s := f.get("status"); s != "" {
		return s
	}
	if IsKnown(e.EntityType, e.EventType) && !notAState[e.EventType] {
		return e.EventType
	}
	return ""
}

// notAState lists the known event types that report something other than a
// status change.
var notAState = map[string]bool{
	EventPaymentFundsAvailable:            true,
	EventPaymentComplianceActionRequired:  true,
	EventPaymentComplianceUnderReview:     true,
	EventPaymentComplianceApproved:        true,
	EventPaymentComplianceRejected:        true,
	EventPaymentCreditedToBeneficiary:     true,
	EventRefundUTRUpdated:                 true,
	EventSubscriptionUpdated:              true,
	EventSubscriptionPaymentMethodUpdated: true,
	EventBalanceFundedBalanceCredited:     true,
	EventWebhookTest:                      true,
}

// ShouldApply reports whether this event may update a stored object whose
// status is currentStatus: [ShouldApply] with the event's [Event.State]. An
// event that names no state (a UTR update, funds available) never moves the
// status, so its other fields may always be applied.
func (e Event) ShouldApply(currentStatus string) bool {
	s := e.State()
	if s == "" {
		return true
	}
	return ShouldApply(e.EntityType, currentStatus, s)
}

type fields map[string]json.RawMessage

func topLevel(data []byte) fields {
	var f fields
	if json.Unmarshal(data, &f) != nil {
		return nil
	}
	return f
}

// get returns a string field's value, the JSON text of any other scalar, and
// "" for null, objects, arrays and absent fields.
func (f fields) get(name string) string {
	raw, ok := f[name]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	t := strings.TrimSpace(string(raw))
	if t == "null" || strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		return ""
	}
	return t
}

// dataHash hashes the canonical form when there is one, so that re-encoded
// copies of the same data (key order, spacing) get the same key.
func dataHash(data []byte) string {
	b := data
	if c, err := jcs.Transform(data); err == nil {
		b = c
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// terminal lists, per entity type, the statuses an object never leaves.
// Entity types without an entry (virtual_account, balance, unknown types)
// have no status Glomo documents as final.
var terminal = map[string][]string{
	EntityPayment:          {"success", "failed"},
	EntityPaymentLink:      {"paid", "expired", "cancelled", "failed"},
	EntityOrders:           {"paid", "expired", "cancelled", "failed"},
	EntityRefund:           {"success", "failed", "cancelled"},
	EntityPayout:           {"success", "failed", "cancelled"},
	EntitySettlement:       {"success", "failed", "cancelled"},
	EntityBeneficiary:      {"active", "rejected"},
	EntityInternalTransfer: {"success", "failed"},
	EntitySubscription:     {"completed", "cancelled", "expired", "failed"},
	EntityKYCJourney:       {"completed", "failed", "rejected", "expired"},
	EntityMerchant:         {"offboarded"},
}

// IsTerminal reports whether status is final for objects of entityType, i.e.
// no later, legitimate event moves the object out of it.
//
// The lists follow Glomo's lifecycles: for payouts and settlements success,
// failed and cancelled; for payments success and failed (later payment events
// such as funds_available keep status success); for payment links and orders
// paid, expired, cancelled, failed; for refunds success, failed, cancelled;
// for beneficiaries active and rejected; for subscriptions completed,
// cancelled, expired, failed (halted and paused can resume); for KYC journeys
// completed, failed, rejected, expired; for merchants offboarded. Virtual
// accounts, balance and unknown entity types have no terminal status.
func IsTerminal(entityType, status string) bool {
	for _, s := range terminal[entityType] {
		if s == status {
			return true
		}
	}
	return false
}

// ShouldApply reports whether an event carrying incomingStatus may update a
// stored object whose status is currentStatus. Deliveries arrive out of
// order, so a late "in_progress" can follow "success"; applying it would
// regress the object.
//
// The rule: anything may replace a non-terminal status (including an unknown
// or empty one), and a terminal status is only replaced by another terminal
// status. The latter lets a correction through should Glomo ever move an
// object from one final status to another; to order two terminal statuses,
// compare data.updated_at. An incoming status equal
// to the current one is applied, so repeated events stay idempotent.
func ShouldApply(entityType, currentStatus, incomingStatus string) bool {
	if !IsTerminal(entityType, currentStatus) {
		return true
	}
	return IsTerminal(entityType, incomingStatus)
}

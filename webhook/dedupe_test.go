package webhook_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/glomo-go/glomo-go/webhook"
)

func ev(entity, event, data string) webhook.Event {
	return webhook.Event{EntityType: entity, EventType: event, Data: json.RawMessage(data)}
}

func TestDedupeKey(t *testing.T) {
	tests := []struct {
		name string
		e    webhook.Event
		want string
	}{
		{"payout", ev("payout", "success", `{"id":"payout_1","status":"success","amount":1}`), "payout|payout_1|success|success"},
		{"refund utr", ev("refund", "utr.updated", `{"id":"refund_1","status":"success","utr":"U1"}`), "refund|refund_1|utr.updated|success"},
		{"no status", ev("payment", "funds_available", `{"id":"payt_1"}`), "payment|payt_1|funds_available|"},
		{"no status, state event", ev("payment", "failed", `{"id":"payt_1","error_message":"x"}`), "payment|payt_1|failed|failed"},
		{"balance", ev("balance", "balance.funded_balance.credited", `{"payment_id":"payt_1","timestamp":"2026-01-01T00:00:00Z","id":"ignored","status":"ignored"}`),
			"balance|payt_1|balance.funded_balance.credited|2026-01-01T00:00:00Z"},
		{"balance numeric timestamp", ev("balance", "balance.funded_balance.credited", `{"payment_id":"payt_1","timestamp":1767225600}`),
			"balance|payt_1|balance.funded_balance.credited|1767225600"},
		{"merchant", ev("merchant", "success", `{"merchant_id":"merch_1","status":"success"}`), "merchant|merch_1|success|success"},
		{"unknown entity", ev("teleport", "beamed", `{"id":"t_1","status":"done"}`), "teleport|t_1|beamed|done"},
		{"object status ignored", ev("payout", "success", `{"id":"payout_1","status":{"x":1}}`), "payout|payout_1|success|success"},
		{"numeric id", ev("payout", "success", `{"id":42,"status":null}`), "payout|42|success|success"},
		// Most payloads carry no status: the event type is the state.
		{"state from event type", ev("payout", "in_progress", `{"id":"payout_1","amount":29900}`), "payout|payout_1|in_progress|in_progress"},
		{"non-state event, updated_at", ev("subscription", "updated", `{"id":"sub_1","updated_at":"2026-01-02T00:00:00Z"}`),
			"subscription|sub_1|updated|2026-01-02T00:00:00Z"},
		{"unknown event without status", ev("payout", "teleported", `{"id":"payout_1"}`), "payout|payout_1|teleported|"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, webhook.DedupeKey(tt.e))
		})
	}
}

func TestDedupeKeyWithoutID(t *testing.T) {
	a := webhook.DedupeKey(ev("webhook_test", "test", `{"message":"hi","n":1}`))
	b := webhook.DedupeKey(ev("webhook_test", "test", `{ "n" : 1, "message" : "hi" }`))
	c := webhook.DedupeKey(ev("webhook_test", "test", `{"message":"hi","n":2}`))
	assert.True(t, strings.HasPrefix(a, "webhook_test|sha256:"), a)
	assert.Equal(t, a, b, "re-encoded copies of the same data share a key")
	assert.NotEqual(t, a, c, "different data is never merged")
	// Data that is not JSON at all still gets a stable key.
	d := webhook.DedupeKey(ev("x", "y", `not json`))
	assert.Equal(t, d, webhook.DedupeKey(ev("x", "y", `not json`)))
	assert.True(t, strings.HasPrefix(webhook.DedupeKey(webhook.Event{EntityType: "x", EventType: "y"}), "x|sha256:"))
}

func TestIDAndStatus(t *testing.T) {
	assert.Equal(t, "payout_1", ev("payout", "success", `{"id":"payout_1","status":"success"}`).ID())
	assert.Equal(t, "success", ev("payout", "success", `{"id":"payout_1","status":"success"}`).Status())
	assert.Equal(t, "merch_1", ev("merchant", "success", `{"merchant_id":"merch_1"}`).ID())
	assert.Equal(t, "payt_1", ev("balance", "balance.funded_balance.credited", `{"payment_id":"payt_1","id":"x"}`).ID())
	assert.Empty(t, ev("payout", "success", `[1]`).ID())
	assert.Empty(t, ev("payout", "success", `[1]`).Status())
	assert.Empty(t, webhook.Event{}.Status())
}

func TestIsTerminal(t *testing.T) {
	terminal := map[string][]string{
		"payout":            {"success", "failed", "cancelled"},
		"settlement":        {"success", "failed", "cancelled"},
		"payment":           {"success", "failed"},
		"payment_link":      {"paid", "expired", "cancelled", "failed"},
		"orders":            {"paid", "expired", "cancelled", "failed"},
		"refund":            {"success", "failed", "cancelled"},
		"beneficiary":       {"active", "rejected"},
		"internal_transfer": {"success", "failed"},
		"subscription":      {"completed", "cancelled", "expired", "failed"},
		"kyc_journey":       {"completed", "failed", "rejected", "expired"},
		"merchant":          {"offboarded"},
	}
	nonTerminal := map[string][]string{
		"payout":          {"pending_approval", "queued", "in_progress", "action_required", ""},
		"payment":         {"in_progress", "action_required", "under_review"},
		"payment_link":    {"active", "action_required", "under_review", "partially_paid"},
		"refund":          {"in_progress", "action_required", "under_review"},
		"beneficiary":     {"pending"},
		"subscription":    {"active", "authorized", "paused", "halted", "created"},
		"kyc_journey":     {"initiated", "in_progress", "action_required", "under_review"},
		"merchant":        {"pending", "action_required", "success", "failed"},
		"virtual_account": {"active", "inactive", "disabled"},
		"unknown":         {"success", "failed"},
	}
	for e, ss := range terminal {
		for _, s := range ss {
			assert.True(t, webhook.IsTerminal(e, s), "%s %s", e, s)
		}
	}
	for e, ss := range nonTerminal {
		for _, s := range ss {
			assert.False(t, webhook.IsTerminal(e, s), "%s %s", e, s)
		}
	}
}

func TestShouldApply(t *testing.T) {
	tests := []struct {
		entity, current, incoming string
		want                      bool
	}{
		{"payout", "", "pending_approval", true},
		{"payout", "queued", "in_progress", true},
		{"payout", "in_progress", "queued", true}, // non-terminal order is not guarded
		{"payout", "in_progress", "success", true},
		{"payout", "success", "in_progress", false}, // the late delivery
		{"payout", "success", "queued", false},
		{"payout", "failed", "action_required", false},
		{"payout", "success", "success", true}, // redelivery stays idempotent
		{"payout", "success", "failed", true},  // terminal to terminal
		{"payout", "cancelled", "", false},
		{"payout", "success", "brand_new_status", false},
		{"payout", "brand_new_status", "queued", true},
		{"orders", "paid", "action_required", false},
		{"payment_link", "expired", "active", false},
		{"beneficiary", "rejected", "pending", false},
		{"beneficiary", "pending", "active", true},
		{"subscription", "halted", "active", true},
		{"subscription", "completed", "active", false},
		{"virtual_account", "disabled", "active", true},
		{"unknown", "success", "in_progress", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, webhook.ShouldApply(tt.entity, tt.current, tt.incoming), "%s %s -> %s", tt.entity, tt.current, tt.incoming)
	}
}

// TestState: without data.status the event type is the state, but only
// when it names one; data.status wins when present.
func TestState(t *testing.T) {
	assert.Equal(t, "success", ev("payout", "success", `{"id":"payout_1"}`).State())
	assert.Equal(t, "paid", ev("orders", "paid", `{"id":"order_1"}`).State())
	assert.Equal(t, "queued", ev("payout", "success", `{"status":"queued"}`).State(), "data.status wins")
	assert.Empty(t, ev("payment", "funds_available", `{"id":"payt_1"}`).State())
	assert.Empty(t, ev("refund", "utr.updated", `{"id":"refund_1"}`).State())
	assert.Empty(t, ev("subscription", "payment_method.updated", `{}`).State())
	assert.Empty(t, ev("payout", "teleported", `{}`).State(), "unknown types name no state")
	assert.Empty(t, ev("teleport", "success", `{}`).State(), "unknown entities neither")
}

// TestEventShouldApply: the late in_progress without data.status must not
// overwrite success; an event that moves no status always applies.
func TestEventShouldApply(t *testing.T) {
	late := ev("payout", "in_progress", `{"id":"payout_1","amount":29900}`)
	assert.False(t, late.ShouldApply("success"))
	assert.True(t, late.ShouldApply("queued"))
	assert.True(t, ev("payout", "success", `{"id":"payout_1"}`).ShouldApply("in_progress"))
	assert.True(t, ev("refund", "utr.updated", `{"id":"refund_1","utr":"U1"}`).ShouldApply("success"))
	assert.False(t, ev("payout", "success", `{"status":"in_progress"}`).ShouldApply("success"), "data.status still decides")
}

package mock

// The hand-written rules of the mock: initial statuses, request_id
// idempotency, legal status transitions, and the table of operations with
// hand-written behaviour (creates.go, sandbox.go, ledger_rules.go,
// quotes.go). Everything else is derived from openapi.yaml.

// initialStatus is the status a create starts an object in (set only where
// the response schema allows it).
var initialStatus = map[string]string{
	"payouts":             "in_progress", // queued with WithPayoutQueueing
	"withdrawals":         "in_progress",
	"balance_conversions": "success",
	"refunds":             "in_progress",
	"orders":              "active",
	"payin":               "active",
	"customer":            "active",
	"subscriptions":       "created",
	"settlements":         "in_progress",
	"beneficiaries":       "active",
	"payment":             "in_progress",
	"virtual-accounts":    "active",
}

// idempotency lists the resources whose creates are protected by the body's
// request_id, with the answer to a repeat. A repeat creates nothing.
var idempotency = map[string]*apiError{
	"payouts": {status: 409, err: "Conflict", message: "Record already exists"},
	"orders":  {status: 400, err: "Bad Request", message: "Order already exists for this request_id"},
	"payment": {status: 400, err: "Bad Request", message: "Payment already exists for this request_id"},
	"refunds": {status: 400, err: "Bad Request", message: "Refund already exists for this request_id"},
}

// verbTarget is the status an item action moves the item to.
var verbTarget = map[string]string{
	"cancel": "cancelled",
	"pause":  "paused",
	"resume": "active",
}

// Payouts and settlements: the sandbox may finish a queued payout directly
// (its mock endpoint only sets success, failed or action_required); cancel
// works only before the payout is paid (the mock has no separate "at the
// rail" state, so in_progress may still be cancelled).
// verbFrom narrows a verb to the statuses it applies to, beyond the
// resource's transitions (resume only undoes a pause or a halt).
var verbFrom = map[string][]string{
	"resume": {"paused", "halted"},
}

var payoutLike = map[string][]string{
	"pending_approval": {"queued", "in_progress", "success", "failed", "action_required", "cancelled"},
	"queued":           {"in_progress", "success", "failed", "action_required", "cancelled"},
	"in_progress":      {"success", "failed", "action_required", "cancelled"},
	"action_required":  {"in_progress", "success", "failed", "cancelled"},
}

// transitions lists, per resource, the statuses each status may move to.
// A status absent from the map is terminal.
var transitions = map[string]map[string][]string{
	"payouts":     payoutLike,
	"settlements": payoutLike,
	"payin": {
		"active":          {"paid", "partially_paid", "cancelled", "expired", "under_review", "action_required", "failed"},
		"partially_paid":  {"paid", "cancelled", "expired"},
		"under_review":    {"active", "cancelled", "failed"},
		"action_required": {"under_review", "active", "cancelled", "failed"},
	},
	"orders": {
		"active":          {"paid", "cancelled", "expired", "under_review", "action_required", "failed"},
		"under_review":    {"active", "paid", "failed"},
		"action_required": {"under_review", "active", "failed", "cancelled"},
	},
	"refunds": {
		"in_progress":     {"success", "failed", "action_required", "under_review"},
		"under_review":    {"success", "failed"},
		"action_required": {"under_review", "success", "failed"},
	},
	"payment": {
		"in_progress":     {"success", "failed", "action_required", "under_review"},
		"under_review":    {"success", "failed"},
		"action_required": {"under_review", "success", "failed"},
	},
	"subscriptions": {
		"created":    {"active", "authorized", "paused", "cancelled", "failed"},
		"authorized": {"active", "paused", "cancelled"},
		"active":     {"paused", "cancelled", "halted", "completed", "expired"},
		"paused":     {"active", "cancelled"},
		"halted":     {"active", "cancelled"},
	},
	"beneficiaries": {
		"pending": {"active", "rejected"},
	},
}

// allowed reports whether resource may move from status from to to.
func allowed(resource, from, to string) bool {
	t, ok := transitions[resource]
	if !ok {
		return from != to
	}
	for _, s := range t[from] {
		if s == to {
			return true
		}
	}
	return false
}

// entityType is the webhook entity_type of a resource.
var entityType = map[string]string{
	"payouts":          "payout",
	"payin":            "payment_link",
	"orders":           "orders",
	"payment":          "payment",
	"refunds":          "refund",
	"beneficiaries":    "beneficiary",
	"settlements":      "settlement",
	"subscriptions":    "subscription",
	"virtual-accounts": "virtual_account",
}

type ruleFunc func(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError)

// ruleCreates lists the resources hand-written rules create objects in,
// by the operation that does it (so they are not seeded with examples).
var ruleCreates = map[string]string{
	"createMockPayment": "payment",
	"createPayment":     "payment",
}

// rules are the operations with hand-written behaviour, by operationId.
var rules map[string]ruleFunc

func init() {
	rules = map[string]ruleFunc{
		"createPayout":                    createPayout,
		"createRefund":                    createRefund,
		"createCustomer":                  createCustomer,
		"mockUpdatePayoutStatus":          mockUpdatePayoutStatus,
		"mockUpdateRefund":                mockUpdateRefund,
		"mockReviewPaymentLink":           mockReviewPaymentLink,
		"createMockPayment":               createMockPayment,
		"mockUpdatePaymentFundsAvailable": mockFundsAvailable,
		"mockReviewBeneficiaryV2":         mockReviewBeneficiary,
		"triggerMockSettlement":           triggerMockSettlement,
		"createPayment":                   createPayment,
		"rotateApiKey":                    rotateAPIKey,
		"createVirtualAccount":            createVirtualAccount,
		"closeVirtualAccount":             closeVirtualAccount,
		"getBalance":                      getBalance,
		"createWithdrawal":                createWithdrawal,
		"createSettlement":                createSettlement,
		"createBalanceConversion":         createBalanceConversion,
		"createInternalTransfer":          createInternalTransfer,
		"createQuote":                     createQuote,
		"createOrder":                     createPayinWithQuote,
		"createPayin":                     createPayinWithQuote,
	}
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// transition moves resource/id to status to when legal, answers op's
// response for the object and emits the webhook.
func (h *handler) transition(op *opInfo, resource, id, to, event string, wrap func(obj any) any) (*reply, *apiError) {
	var out, snap map[string]any
	var aerr *apiError
	found, _ := h.store.update(resource, id, func(obj map[string]any) error {
		from := str(obj, "status")
		if !allowed(resource, from, to) {
			aerr = errorf(400, "State change not allowed")
			return aerr
		}
		if aerr = h.moveMoney(resource, id, obj, from, to); aerr != nil {
			return aerr
		}
		obj["status"] = to
		obj["updated_at"] = h.timestamp()
		// obj is this call's own copy: the store keeps only its JSON.
		snap, out = obj, obj
		return nil
	})
	if !found {
		return nil, notFound(resource)
	}
	if aerr != nil {
		return nil, aerr
	}
	if event == "" {
		event = to
	}
	h.emit(resource, event, snap)
	if op == nil {
		return nil, nil
	}
	return h.answer(op, out, wrap), nil
}

// answer renders obj with op's response schema (optionally wrapped).
func (h *handler) answer(op *opInfo, obj map[string]any, wrap func(obj any) any) *reply {
	if wrap != nil {
		return &reply{status: op.status, body: wrap(obj)}
	}
	return &reply{status: op.status, body: render(op.schema, obj)}
}

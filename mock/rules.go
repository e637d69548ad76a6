package mock

import (
	"strings"
	"time"
)

// The hand-written rules of the mock: initial statuses, request_id
// idempotency, legal status transitions and the sandbox mock endpoints.
// Everything else is derived from openapi.yaml.

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

func createPayout(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	if bid := str(body, "beneficiary_id"); bid != "" {
		b, ok := h.store.getCopy("beneficiaries", bid)
		if !ok {
			return nil, errorf(400, "Beneficiary not found")
		}
		if st := str(b, "status"); st != "" && st != "active" {
			return nil, errorf(400, "Beneficiary is not active")
		}
	}
	pr, rail, aerr := h.payoutPrice(body)
	if aerr != nil {
		return nil, aerr
	}
	quote := &quoteUse{h: h, id: str(body, "quote_id")}
	queued := h.cfg.queueing
	rep, aerr := h.createWith(op, params, body, creation{
		init: func(obj map[string]any) {
			if _, ok := body["payment_rail"]; !ok && pr != nil && rail != nil {
				setIfFits(op, obj, "payment_rail", rail)
			}
			if pr != nil {
				obj["source_currency"], obj["destination_currency"] = pr.srcCur, pr.dstCur
				obj["source_amount"], obj["destination_amount"] = pr.src, pr.dst
				obj["fees"] = map[string]any{"txn_fee": amountOf(pr.txn, pr.srcCur), "fx_fee": amountOf(pr.fx, pr.srcCur)}
				obj["mid_market_rate"] = map[string]any{"currency": pr.dstCur, "rate": pr.rate}
			}
			if queued {
				obj["status"] = "queued"
			}
		},
		admit: func(id string, _ map[string]any) *apiError {
			if pr == nil {
				return nil
			}
			if aerr := quote.use(); aerr != nil {
				return aerr
			}
			if queued {
				return nil
			}
			if aerr := h.ledger.hold(id, pr.srcCur, pr.src); aerr != nil {
				quote.undo()
				return aerr
			}
			return nil
		},
		undo: func(id string) {
			h.ledger.settle(id, true)
			quote.undo()
		},
	})
	if aerr == nil && queued {
		h.releaseQueued()
	}
	return rep, aerr
}

func createRefund(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	pid := str(body, "payment_id")
	p, ok := h.store.getCopy("payment", pid)
	if !ok {
		return nil, errorf(400, "Payment not found")
	}
	return h.create(op, params, body, func(obj map[string]any) {
		for _, k := range []string{"currency", "customer_id"} {
			if _, sent := body[k]; !sent && p[k] != nil {
				setIfFits(op, obj, k, p[k])
			}
		}
		if _, sent := body["amount"]; !sent && p["amount"] != nil {
			setIfFits(op, obj, "amount", p["amount"])
		}
	})
}

func createCustomer(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	email, country := str(body, "email"), str(body, "country")
	if email != "" {
		if _, n := h.store.page("customer", query{filters: map[string]string{"email": email, "country": country}}); n > 0 {
			return nil, errorf(400, "Customer already exists with this email and country")
		}
	}
	return h.create(op, params, body, nil)
}

func mockUpdatePayoutStatus(h *handler, op *opInfo, _ map[string]string, body map[string]any) (*reply, *apiError) {
	return h.transition(op, "payouts", str(body, "id"), str(body, "status"), "", nil)
}

func mockUpdateRefund(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	to := str(body, "status")
	if to != "success" && to != "failed" {
		return nil, errorf(400, "status must be success or failed")
	}
	return h.transition(op, "refunds", params[op.idParam], to, "", nil)
}

func mockReviewPaymentLink(h *handler, op *opInfo, params map[string]string, _ map[string]any) (*reply, *apiError) {
	obj, ok := h.store.getCopy("payin", params[op.idParam])
	if !ok {
		return nil, notFound("payin")
	}
	if str(obj, "status") != "under_review" {
		return nil, errorf(400, "State change not allowed")
	}
	return h.transition(op, "payin", params[op.idParam], "active", "", nil)
}

func mockReviewBeneficiary(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	to := "active"
	switch str(body, "review_action") {
	case "approve":
	case "reject":
		to = "rejected"
	default:
		return nil, errorf(400, "review_action must be approve or reject")
	}
	return h.transition(op, "beneficiaries", params[op.idParam], to, "", nil)
}

func mockFundsAvailable(h *handler, op *opInfo, params map[string]string, _ map[string]any) (*reply, *apiError) {
	var snap map[string]any
	found, _ := h.store.update("payment", params[op.idParam], func(obj map[string]any) error {
		obj["funds_available"] = true
		obj["updated_at"] = h.timestamp()
		snap = obj
		return nil
	})
	if !found {
		return nil, notFound("payment")
	}
	h.emit("payment", "funds_available", snap)
	wrap := func(obj any) any {
		out, _ := build(op.schema, 0).(map[string]any)
		if out == nil {
			out = map[string]any{}
		}
		if d, ok := properties(op.schema)["data"]; ok {
			out["data"] = render(d, snap)
		}
		out["message"] = "Payment funds available status updated successfully"
		return out
	}
	return h.answer(op, snap, wrap), nil
}

// createMockPayment pays an active payment link or order (payin_id), or
// makes an unmatched bank-transfer payment (action_required). Amount 6623
// or remitter Sanctioned_Entity is a screening hit: the payment stays
// in_progress with compliance under_review and the link goes under_review.
func createMockPayment(h *handler, op *opInfo, _ map[string]string, body map[string]any) (*reply, *apiError) {
	payin := str(body, "payin_id")
	amount, _ := body["amount"].(float64)
	hit := amount == 6623 || str(body, "remitter_name") == "Sanctioned_Entity"
	status, compliance := "success", "approved"
	if hit {
		status, compliance = "in_progress", "under_review"
	}
	parentRes := ""
	if payin != "" {
		for _, res := range []string{"payin", "orders"} {
			if p := h.model.prefix[res]; p != "" && strings.HasPrefix(payin, p) {
				parentRes = res
			}
		}
		if parentRes == "" {
			return nil, errorf(400, "payin_id must be a payment link or order id")
		}
		parent, ok := h.store.getCopy(parentRes, payin)
		if !ok {
			return nil, notFound(parentRes)
		}
		if st := str(parent, "status"); st != "active" && st != "partially_paid" {
			return nil, errorf(400, "%s is not active", entityName(parentRes))
		}
	} else {
		if str(body, "payment_method") == "" {
			return nil, errorf(400, "payment_method is required when payin_id is not sent")
		}
		status, compliance = "action_required", "action_required"
	}
	pop := &opInfo{id: op.id, kind: kindCreate, resource: "payment", status: op.status, schema: op.schema}
	rep, aerr := h.create(pop, nil, body, func(obj map[string]any) {
		setIfFits(pop, obj, "status", status)
		setIfFits(pop, obj, "compliance_status", compliance)
		if payin != "" {
			setIfFits(pop, obj, "payin_id", payin)
		}
		for _, k := range []string{"amount", "currency"} {
			setIfFits(pop, obj, k, body[k])
			setIfFits(pop, obj, "payment_"+k, body[k])
			setIfFits(pop, obj, "requested_"+k, body[k])
		}
	})
	if aerr != nil {
		return nil, aerr
	}
	if status == "success" {
		amount, _ := body["amount"].(float64)
		h.ledger.credit(str(body, "currency"), int64(amount))
		h.releaseQueued()
	}
	if id := replyID(rep); id != "" {
		if obj, ok := h.store.getCopy("payment", id); ok {
			h.emit("payment", status, obj)
		}
	}
	if parentRes != "" {
		to := "paid"
		if hit {
			to = "under_review"
		}
		var snap map[string]any
		h.store.update(parentRes, payin, func(obj map[string]any) error {
			if allowed(parentRes, str(obj, "status"), to) {
				obj["status"] = to
				obj["updated_at"] = h.timestamp()
				snap = obj
			}
			return nil
		})
		if snap != nil {
			h.emit(parentRes, to, snap)
		}
	}
	return rep, nil
}

// triggerMockSettlement settles every settlement that is not final.
func triggerMockSettlement(h *handler, op *opInfo, _ map[string]string, _ map[string]any) (*reply, *apiError) {
	n := 0
	recs, _ := h.store.page("settlements", query{limit: -1})
	for _, r := range recs {
		var snap map[string]any
		h.store.update("settlements", r.id, func(obj map[string]any) error {
			if st := str(obj, "status"); !allowed("settlements", st, "success") && !allowed("settlements", st, "in_progress") {
				return errUnchanged
			}
			obj["status"] = "success"
			obj["updated_at"] = h.timestamp()
			snap = obj
			return nil
		})
		if snap != nil {
			n++
			h.emit("settlements", "success", snap)
		}
	}
	rep := h.static(op, nil)
	if m, ok := rep.body.(map[string]any); ok && op.schema != nil && op.schema.Value != nil {
		cand := clone(m).(map[string]any)
		cand["settled"] = n
		if op.schema.Value.VisitJSON(cand) == nil {
			rep.body = cand
		}
	}
	return rep, nil
}

// createPayment is the S2S card payment: it needs an active order, stores
// a payment (in_progress, awaiting 3-D Secure) and answers payment_id,
// status and a redirect next step. request_id protects it like the API.
func createPayment(h *handler, op *opInfo, _ map[string]string, body map[string]any) (*reply, *apiError) {
	oid := str(body, "order_id")
	order, ok := h.store.getCopy("orders", oid)
	if !ok {
		return nil, errorf(400, "Order not found")
	}
	if str(order, "status") != "active" {
		return nil, errorf(400, "Order is not active")
	}
	pop := &opInfo{id: op.id, kind: kindCreate, resource: "payment", status: op.status, hasReqID: true}
	if get := h.model.ops["getPaymentById"]; get != nil {
		pop.schema = get.schema
	}
	rep, aerr := h.create(pop, nil, map[string]any{"request_id": body["request_id"]}, func(obj map[string]any) {
		for _, k := range []string{"amount", "currency", "customer_id"} {
			if order[k] != nil {
				obj[k] = order[k]
			}
		}
		obj["order_id"] = oid
		obj["payin_id"] = oid
		obj["payment_method"] = str(body, "method")
	})
	if aerr != nil {
		return nil, aerr
	}
	id := replyID(rep)
	if obj, ok := h.store.getCopy("payment", id); ok {
		h.emit("payment", "in_progress", obj)
	}
	out := map[string]any{
		"payment_id": id,
		"status":     "in_progress",
		"next_steps": []any{map[string]any{"action": "redirect", "payload": map[string]any{"url": "https://checkout.glomopay.com/3ds/" + id}}},
	}
	return &reply{status: op.status, body: render(op.schema, out)}, nil
}

// rotateAPIKey issues a new secret key; the key used for the call keeps
// working for expire_after_in_seconds (0: stops at once).
func rotateAPIKey(h *handler, op *opInfo, _ map[string]string, body map[string]any) (*reply, *apiError) {
	secs, _ := body["expire_after_in_seconds"].(float64)
	now := h.now()
	newKey := newID("sk_test_mock_")
	expires := now.Add(time.Duration(secs) * time.Second)
	h.keyMu.Lock()
	for k, exp := range h.keys {
		if exp.IsZero() || exp.After(expires) {
			h.keys[k] = expires
		}
	}
	h.keys[newKey] = time.Time{}
	h.keyMu.Unlock()
	out := map[string]any{"secret_key": newKey, "previous_key_expires_at": expires.Format(time.RFC3339)}
	return &reply{status: op.status, body: render(op.schema, out)}, nil
}

// findVirtualAccount returns the active account for a payment type and
// currency (one per pair).
func (h *handler) findVirtualAccount(paymentType, currency string) string {
	recs, _ := h.store.page("virtual-accounts", query{limit: -1, filters: map[string]string{"payment_type": paymentType, "currency": currency, "status": "active"}})
	if len(recs) == 0 {
		return ""
	}
	return recs[0].id
}

// createVirtualAccount opens one account per payment type and currency; a
// second active one is a 409.
func createVirtualAccount(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	pt, cur := str(body, "payment_type"), str(body, "currency")
	if h.findVirtualAccount(pt, cur) != "" {
		return nil, errorf(409, "Virtual account already exists for this currency and payment type")
	}
	if op.kind != kindCreate {
		return h.static(op, body), nil
	}
	return h.create(op, params, body, func(obj map[string]any) {
		obj["payment_type"] = pt
		obj["currency"] = cur
	})
}

// closeVirtualAccount closes the active account of ?payment_type&currency.
func closeVirtualAccount(h *handler, op *opInfo, params map[string]string, _ map[string]any) (*reply, *apiError) {
	id := h.findVirtualAccount(params["payment_type"], params["currency"])
	if id == "" {
		return nil, errorf(404, "Virtual account not found")
	}
	var snap map[string]any
	h.store.update("virtual-accounts", id, func(obj map[string]any) error {
		obj["status"] = "inactive"
		obj["updated_at"] = h.timestamp()
		snap = obj
		return nil
	})
	h.emit("virtual-accounts", "inactive", snap)
	return &reply{status: op.status, body: render(op.schema, snap)}, nil
}

package mock

import "strings"

// The sandbox's mock endpoints: they move objects along their lifecycles
// (payout and refund status, review, mock payments, funds available,
// settlements), as Glomo's sandbox does for testing.

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

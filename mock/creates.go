package mock

import "time"

// The creates whose answer or effect the spec alone cannot give: payouts
// (beneficiary, pricing or quote, balance), refunds, customers, S2S card
// payments, key rotation and virtual accounts.

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

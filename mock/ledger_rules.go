package mock

import (
	"encoding/json"
	"errors"
)

// The rules that move money: every create that spends or receives money
// goes through the ledger, so GET /balances always adds up.

// MerchantID is the mock account's own merchant id: an internal transfer
// from it debits the balance, one to it credits the balance.
const MerchantID = "merch_mock00000001"

// errUnchanged makes store.update keep an object as it was.
var errUnchanged = errors.New("mock: unchanged")

func intOf(m map[string]any, k string) (int64, bool) {
	f, ok := m[k].(float64)
	return int64(f), ok
}

// priceOf prices a transfer from a request that sends a source or a
// destination amount (or both: the destination amount then stays as sent).
func priceOf(body map[string]any, srcKey, dstKey, srcCurKey, dstCurKey string) (price, *apiError) {
	srcCur, dstCur := str(body, srcCurKey), str(body, dstCurKey)
	src, hasSrc := intOf(body, srcKey)
	dst, hasDst := intOf(body, dstKey)
	var p price
	var err error
	switch {
	case hasSrc:
		p, err = priceFromSource(src, srcCur, dstCur)
		if hasDst {
			p.dst = dst
		}
	case hasDst:
		p, err = priceFromDestination(dst, srcCur, dstCur)
	default:
		return p, errorf(400, "%s or %s is required", srcKey, dstKey)
	}
	if err != nil {
		return p, errorf(400, "%s", err.Error())
	}
	return p, nil
}

// moveMoney applies a status change of resource/id to the ledger. It runs
// inside the store update that makes the change, so a refusal leaves the
// object as it was. Payouts hold their source amount from the moment they
// leave queued (or from their create, without queueing), spend it on
// success and give it back on failed or cancelled.
func (h *handler) moveMoney(resource, id string, obj map[string]any, from, to string) *apiError {
	if resource != "payouts" {
		return nil
	}
	switch to {
	case "failed", "cancelled":
		h.ledger.settle(id, true)
	case "queued", "pending_approval":
	default: // in_progress, action_required, success: the money must be held
		if from == "queued" || from == "pending_approval" {
			src, ok := intOf(obj, "source_amount")
			if cur := str(obj, "source_currency"); ok && cur != "" && !h.ledger.holds(id) {
				if err := h.ledger.hold(id, cur, src); err != nil {
					return err
				}
			}
		}
		if to == "success" {
			h.ledger.settle(id, false)
		}
	}
	return nil
}

// releaseQueued moves queued payouts, oldest first, to in_progress while
// the balance covers them (payout queueing).
func (h *handler) releaseQueued() {
	if !h.cfg.queueing {
		return
	}
	h.releaseMu.Lock()
	defer h.releaseMu.Unlock()
	recs, _ := h.store.page("payouts", query{limit: -1, filters: map[string]string{"status": "queued"}})
	for i := len(recs) - 1; i >= 0; i-- {
		_, _ = h.transition(nil, "payouts", recs[i].id, "in_progress", "", nil)
	}
}

// replyID is the id of the object a create answered.
func replyID(rep *reply) string {
	switch b := rep.body.(type) {
	case map[string]any:
		return str(b, "id")
	case json.RawMessage:
		var m struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(b, &m)
		return m.ID
	}
	return ""
}

func getBalance(h *handler, op *opInfo, _ map[string]string, _ map[string]any) (*reply, *apiError) {
	return &reply{status: op.status, body: render(op.schema, h.ledger.balances())}, nil
}

// debitOnCreate is the creation of a withdrawal or settlement: it debits
// amount of balance_currency, or refuses like a short payout.
func debitOnCreate(h *handler, body map[string]any) creation {
	cur := str(body, "balance_currency")
	amount, _ := intOf(body, "amount")
	return creation{
		admit: func(string, map[string]any) *apiError { return h.ledger.debit(cur, amount) },
		undo:  func(string) { h.ledger.credit(cur, amount) },
	}
}

func createWithdrawal(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	cr := debitOnCreate(h, body)
	cur := str(body, "balance_currency")
	amount, _ := intOf(body, "amount")
	cr.init = func(obj map[string]any) {
		if obj["currency"] == nil {
			obj["currency"] = cur
		}
		obj["balance_used"] = []any{amountOf(amount, cur)}
		obj["txn_fees"] = []any{amountOf(0, cur)}
		obj["fx_fees"] = []any{amountOf(0, cur)}
		obj["mid_market_rate"] = []any{map[string]any{"currency": cur, "rate": 1.0}}
	}
	return h.createWith(op, params, body, cr)
}

func createSettlement(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	cr := debitOnCreate(h, body)
	cur := str(body, "balance_currency")
	cr.init = func(obj map[string]any) {
		if obj["currency"] == nil {
			obj["currency"] = cur
		}
		obj["fees"] = map[string]any{"txn_fee": amountOf(0, cur), "fx_fee": amountOf(0, cur)}
	}
	return h.createWith(op, params, body, cr)
}

func createBalanceConversion(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	p, aerr := priceOf(body, "source_amount", "target_amount", "source_currency", "target_currency")
	if aerr != nil {
		return nil, aerr
	}
	return h.createWith(op, params, body, creation{
		init: func(obj map[string]any) {
			obj["from"] = amountOf(p.src, p.srcCur)
			obj["to"] = amountOf(p.dst, p.dstCur)
			obj["fees"] = amountOf(p.txn+p.fx, p.srcCur)
			obj["mid_market_rate"] = map[string]any{"currency": p.dstCur, "rate": p.rate}
		},
		admit: func(string, map[string]any) *apiError {
			if err := h.ledger.debit(p.srcCur, p.src); err != nil {
				return err
			}
			h.ledger.credit(p.dstCur, p.dst)
			return nil
		},
	})
}

func createInternalTransfer(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	from, to, cur := str(body, "from_merchant_id"), str(body, "to_merchant_id"), str(body, "currency")
	amount, _ := intOf(body, "amount")
	if from == to {
		return nil, errorf(400, "from_merchant_id and to_merchant_id must differ")
	}
	return h.createWith(op, params, body, creation{
		init: func(obj map[string]any) {
			obj["transfer_amount"], obj["transfer_currency"] = amount, cur
			obj["owner_merchant_id"] = MerchantID
		},
		admit: func(string, map[string]any) *apiError {
			if from == MerchantID {
				if err := h.ledger.debit(cur, amount); err != nil {
					return err
				}
			}
			if to == MerchantID {
				h.ledger.credit(cur, amount)
			}
			return nil
		},
	})
}

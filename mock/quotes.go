package mock

import (
	"errors"
	"time"
)

// QuoteTTL is how long a quote can be used: Glomo's quotes guide gives 30
// minutes.
const QuoteTTL = 30 * time.Minute

// quotesKey is the store key of createQuote's objects (POST /v1/quotes).
const quotesKey = "quotes"

// inrLocalRails are the rails of an INR local_transfer, one quote each (the
// quotes guide). Other local transfers get one quote whose rail the guide
// does not name, answered as null.
var inrLocalRails = []any{"upi", "imps", "neft", "rtgs"}

// createQuote prices what was asked as a payout of the same amounts is
// priced (Rate, TxnFee, FXFeeBPS; every rail alike, as the guide gives no
// per-rail fees) and keeps each quote, so that a payout (resource payout)
// or an order or payment link (resource payin) can use it once before it
// expires. Quotes are single use and expire after QuoteTTL.
func createQuote(h *handler, op *opInfo, _ map[string]string, body map[string]any) (*reply, *apiError) {
	_, hasSrc := body["source_amount"]
	if _, hasDst := body["destination_amount"]; hasSrc && hasDst {
		return nil, errorf(400, "send source_amount or destination_amount, not both")
	}
	p, aerr := priceOf(body, "source_amount", "destination_amount", "source_currency", "destination_currency")
	if aerr != nil {
		return nil, aerr
	}
	method, _ := body["method"].(map[string]any)
	pm, subtype := str(method, "payment_method"), str(method, "subtype")
	rails := []any{"swift"}
	if subtype == "local_transfer" {
		rails = []any{nil}
		if p.dstCur == "INR" {
			rails = inrLocalRails
		}
	}
	now := h.now()
	quotes := make([]any, 0, len(rails))
	for _, rail := range rails {
		q := map[string]any{
			"id":                   newID("quote_"),
			"resource":             str(body, "resource"),
			"expires_at":           formatTime(now.Add(QuoteTTL)),
			"method":               map[string]any{"payment_method": orNil(pm), "subtype": orNil(subtype), "payment_rail": rail},
			"source_currency":      p.srcCur,
			"destination_currency": p.dstCur,
			"fx_rate":              p.rate,
			"source_amount":        p.src,
			"destination_amount":   p.dst,
			"fees":                 map[string]any{"txn_fee": amountOf(p.txn, p.srcCur), "fx_fee": amountOf(p.fx, p.srcCur)},
		}
		stored := clone(q).(map[string]any)
		stored["used"] = false
		h.store.put(quotesKey, q["id"].(string), "", stored, now)
		quotes = append(quotes, q)
	}
	return &reply{status: op.status, body: render(op.schema, map[string]any{"quotes": quotes})}, nil
}

// createPayinWithQuote is createOrder and createPayin (a payment link).
// With quote_id the object takes its amount and currency from the quote —
// its source side, what the customer pays, as CreateQuoteRequest describes
// payins — and uses the quote up; an unknown, expired, used or payout quote
// is refused like a payout's. Without quote_id it is the generic create.
func createPayinWithQuote(h *handler, op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	qid := str(body, "quote_id")
	if qid == "" {
		return h.create(op, params, body, nil)
	}
	var q *quote
	// A repeated request_id (orders) is answered as a repeat first, as for
	// payouts.
	if !h.store.hasRequestID(op.resource, str(body, "request_id")) {
		found, aerr := h.quoteFor(qid, "payin")
		if aerr != nil {
			return nil, aerr
		}
		q = &found
	}
	use := &quoteUse{h: h, id: qid}
	return h.createWith(op, params, body, creation{
		init: func(obj map[string]any) {
			if q != nil {
				setIfFits(op, obj, "amount", q.src)
				setIfFits(op, obj, "currency", q.srcCur)
			}
		},
		admit: func(string, map[string]any) *apiError {
			if q == nil {
				return nil
			}
			return use.use()
		},
		undo: func(string) { use.undo() },
	})
}

// quote is what a payout takes from the quote it names.
type quote struct {
	price
	rail any // the quote's payment_rail (nil when it names none)
}

// quoteFor checks that quote id exists, is for resource, has not expired
// and has not been used, and returns its price. It does not use it (see
// useQuote). The error wording is the mock's: the guide gives none.
func (h *handler) quoteFor(id, resource string) (quote, *apiError) {
	q, ok := h.store.getCopy(quotesKey, id)
	switch {
	case !ok:
		return quote{}, errorf(400, "Quote not found")
	case str(q, "resource") != resource:
		return quote{}, errorf(400, "Quote is for a %s, not a %s", str(q, "resource"), resource)
	case q["used"] == true:
		return quote{}, errorf(400, "Quote has already been used")
	}
	if exp, err := time.Parse(time.RFC3339Nano, str(q, "expires_at")); err != nil || !h.now().Before(exp) {
		return quote{}, errorf(400, "Quote has expired")
	}
	src, _ := intOf(q, "source_amount")
	dst, _ := intOf(q, "destination_amount")
	fees, _ := q["fees"].(map[string]any)
	txnFee, _ := fees["txn_fee"].(map[string]any)
	fxFee, _ := fees["fx_fee"].(map[string]any)
	txn, _ := intOf(txnFee, "amount")
	fx, _ := intOf(fxFee, "amount")
	rate, _ := q["fx_rate"].(float64)
	method, _ := q["method"].(map[string]any)
	return quote{
		price: price{src: src, dst: dst, txn: txn, fx: fx, srcCur: str(q, "source_currency"), dstCur: str(q, "destination_currency"), rate: rate},
		rail:  method["payment_rail"],
	}, nil
}

// payoutPrice prices a payout from its amounts or, with quote_id, from its
// quote, and names its rail. pr is nil for a quote payout that repeats a
// request_id: the create answers that repeat (409) whatever its quote,
// which the first create used, has become since.
func (h *handler) payoutPrice(body map[string]any) (pr *price, rail any, aerr *apiError) {
	qid := str(body, "quote_id")
	if qid == "" {
		p, aerr := priceOf(body, "source_amount", "destination_amount", "source_currency", "destination_currency")
		if aerr != nil {
			return nil, nil, aerr
		}
		return &p, "swift", nil
	}
	for _, k := range []string{"source_amount", "destination_amount", "source_currency", "destination_currency", "payment_rail"} {
		if _, ok := body[k]; ok {
			return nil, nil, errorf(400, "%s must not be sent with quote_id", k)
		}
	}
	if h.store.hasRequestID("payouts", str(body, "request_id")) {
		return nil, nil, nil
	}
	q, aerr := h.quoteFor(qid, "payout")
	if aerr != nil {
		return nil, nil, aerr
	}
	return &q.price, q.rail, nil
}

// quoteUse is one create's use of its quote (none when id is empty).
type quoteUse struct {
	h    *handler
	id   string
	used bool
}

// use marks the quote used; it fails when another create used it first.
func (u *quoteUse) use() *apiError {
	if u.id == "" {
		return nil
	}
	if aerr := u.h.useQuote(u.id); aerr != nil {
		return aerr
	}
	u.used = true
	return nil
}

// undo gives the quote back when the create that used it was refused.
func (u *quoteUse) undo() {
	if u.used {
		u.h.releaseQuote(u.id)
		u.used = false
	}
}

// errQuoteUsed is useQuote's refusal, turned into the API's answer.
var errQuoteUsed = errors.New("used")

// useQuote marks quote id used, or refuses when another create used it
// first (the check and the mark happen under the store's lock).
func (h *handler) useQuote(id string) *apiError {
	_, err := h.store.update(quotesKey, id, func(q map[string]any) error {
		if q["used"] == true {
			return errQuoteUsed
		}
		q["used"] = true
		return nil
	})
	if err != nil {
		return errorf(400, "Quote has already been used")
	}
	return nil
}

// releaseQuote makes quote id usable again after the create that used it
// was refused.
func (h *handler) releaseQuote(id string) {
	_, _ = h.store.update(quotesKey, id, func(q map[string]any) error {
		q["used"] = false
		return nil
	})
}

// orNil is s, or nil when s is empty (a null in the answer).
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

package mock_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/mock"
)

// quotes asks POST /v1/quotes and returns the quotes of a 2xx answer.
func quotes(t *testing.T, c *client, body map[string]any) []map[string]any {
	t.Helper()
	st, m := c.do("POST", "/v1/quotes", body)
	require.Contains(t, []int{200, 201}, st, "%v", m)
	var out []map[string]any
	for _, q := range m["quotes"].([]any) {
		out = append(out, q.(map[string]any))
	}
	return out
}

func usdINRQuote(amount int) map[string]any {
	return map[string]any{"resource": "payout", "source_currency": "USD", "destination_currency": "INR",
		"source_amount": amount, "method": map[string]any{"payment_method": "bank_transfer", "subtype": "swift_transfer"}}
}

func quotePayout(bene, quoteID, reqID string) map[string]any {
	return map[string]any{"purpose_code": "S0017", "beneficiary_id": bene, "quote_id": quoteID, "request_id": reqID}
}

// TestQuoteIsPricedLikeAPayoutAndExpires: a quote locks what a payout of
// the same amounts would cost (rate, fees, amounts), has a fresh quote_ id
// and expires QuoteTTL after it was made.
func TestQuoteIsPricedLikeAPayoutAndExpires(t *testing.T) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	c := newClient(t, mock.WithClock(func() time.Time { return now }))
	qs := quotes(t, c, usdINRQuote(10000))
	require.Len(t, qs, 1, "a SWIFT quote is one quote")
	q := qs[0]
	assert.True(t, strings.HasPrefix(q["id"].(string), "quote_"), q["id"])
	assert.NotEqual(t, "quote_3m4n5o6p7q", q["id"], "not the documentation's example")
	assert.Equal(t, "payout", q["resource"])
	assert.Equal(t, "USD", q["source_currency"])
	assert.Equal(t, "INR", q["destination_currency"])
	assert.Equal(t, 10000.0, q["source_amount"])
	assert.Equal(t, mock.Rate("USD", "INR"), q["fx_rate"])
	fees := q["fees"].(map[string]any)
	txn := fees["txn_fee"].(map[string]any)["amount"].(float64)
	fx := fees["fx_fee"].(map[string]any)["amount"].(float64)
	assert.Equal(t, float64(mock.TxnFee), txn)
	assert.Equal(t, 10000.0*mock.FXFeeBPS/10000, fx)
	assert.InDelta(t, (10000-txn-fx)*mock.Rate("USD", "INR"), q["destination_amount"], 1)
	assert.Equal(t, map[string]any{"payment_method": "bank_transfer", "subtype": "swift_transfer", "payment_rail": "swift"}, q["method"])
	exp, err := time.Parse(time.RFC3339Nano, q["expires_at"].(string))
	require.NoError(t, err)
	assert.Equal(t, now.Add(mock.QuoteTTL), exp)

	bene := beneficiary(t, c)
	now = now.Add(mock.QuoteTTL)
	st, m := c.do("POST", "/v1/payouts", quotePayout(bene, q["id"].(string), "late"))
	wantErr(t, st, m, 400, "Quote has expired")
	assert.Equal(t, 0, c.srv.Count("payouts"))
}

// TestINRLocalTransferQuotesOnePerRail: the guide's one quote per rail.
func TestINRLocalTransferQuotesOnePerRail(t *testing.T) {
	c := newClient(t)
	body := usdINRQuote(50000)
	body["method"] = map[string]any{"payment_method": "bank_transfer", "subtype": "local_transfer"}
	var rails []any
	ids := map[any]bool{}
	for _, q := range quotes(t, c, body) {
		rails = append(rails, q["method"].(map[string]any)["payment_rail"])
		ids[q["id"]] = true
	}
	assert.Equal(t, []any{"upi", "imps", "neft", "rtgs"}, rails)
	assert.Len(t, ids, 4, "each rail its own quote")

	// Both amounts are refused (the guide: send one of them).
	both := usdINRQuote(50000)
	both["destination_amount"] = 100
	st, m := c.do("POST", "/v1/quotes", both)
	wantErr(t, st, m, 400, "not both")
}

// TestQuotePayoutTakesTheQuoteOnce: a payout with quote_id gets the quote's
// currencies, amounts, fees and rail, debits the balance like any payout,
// and uses the quote up; unknown and payin quotes are refused, a refused
// payout leaves its quote usable, and a repeat of the request_id is
// answered as a repeat (409), never as "already used".
func TestQuotePayoutTakesTheQuoteOnce(t *testing.T) {
	c := newClient(t, mock.WithBalance("USD", 20000))
	bene := beneficiary(t, c)
	q := quotes(t, c, usdINRQuote(12000))[0]
	qid := q["id"].(string)

	st, p := c.do("POST", "/v1/payouts", quotePayout(bene, qid, "with-quote"))
	require.Equal(t, 201, st, "%v", p)
	for _, k := range []string{"source_currency", "destination_currency", "source_amount", "destination_amount"} {
		assert.Equal(t, q[k], p[k], k)
	}
	assert.Equal(t, qid, p["quote_id"])
	assert.Equal(t, "swift", p["payment_rail"])
	assert.Equal(t, q["fees"].(map[string]any)["txn_fee"], p["fees"].(map[string]any)["txn_fee"])
	assert.Equal(t, 8000.0, available(t, c, "USD"), "the quote's source amount is held")

	st, m := c.do("POST", "/v1/payouts", quotePayout(bene, qid, "again"))
	wantErr(t, st, m, 400, "Quote has already been used")
	st, _ = c.do("POST", "/v1/payouts", quotePayout(bene, qid, "with-quote"))
	assert.Equal(t, 409, st, "a repeated request_id is a repeat, whatever its quote became")
	assert.Equal(t, 1, c.srv.Count("payouts"))
	assert.Equal(t, 8000.0, available(t, c, "USD"))

	st, m = c.do("POST", "/v1/payouts", quotePayout(bene, "quote_unknown", "unknown"))
	wantErr(t, st, m, 400, "Quote not found")
	payin := usdINRQuote(1000)
	payin["resource"] = "payin"
	st, m = c.do("POST", "/v1/payouts", quotePayout(bene, quotes(t, c, payin)[0]["id"].(string), "payin"))
	wantErr(t, st, m, 400, "Quote is for a payin, not a payout")

	// Beyond the balance: refused, nothing held, and the quote stays usable.
	big := quotes(t, c, usdINRQuote(9000))[0]["id"].(string)
	st, m = c.do("POST", "/v1/payouts", quotePayout(bene, big, "too-big"))
	wantErr(t, st, m, 400, "Additional amount required")
	assert.Equal(t, 8000.0, available(t, c, "USD"))
	st, _ = c.do("PATCH", "/v1/payouts/mock", map[string]any{"id": p["id"], "status": "failed"})
	require.Equal(t, 200, st)
	st, p = c.do("POST", "/v1/payouts", quotePayout(bene, big, "now-fits"))
	require.Equal(t, 201, st, "%v", p)
	assert.Equal(t, 11000.0, available(t, c, "USD"))
}

// TestQuoteIsUsedOnceUnderConcurrency: payouts racing for one quote, each
// with its own request_id: exactly one is made.
func TestQuoteIsUsedOnceUnderConcurrency(t *testing.T) {
	c := newClient(t)
	bene := beneficiary(t, c)
	qid := quotes(t, c, usdINRQuote(5000))[0]["id"].(string)
	var wg sync.WaitGroup
	statuses := make([]int, 16)
	for i := range statuses {
		wg.Go(func() {
			statuses[i], _ = c.do("POST", "/v1/payouts", quotePayout(bene, qid, "race-"+string(rune('a'+i))))
		})
	}
	wg.Wait()
	made := 0
	for _, st := range statuses {
		if st == 201 {
			made++
		} else {
			assert.Equal(t, 400, st)
		}
	}
	assert.Equal(t, 1, made)
	assert.Equal(t, 1, c.srv.Count("payouts"))
}

// TestQueuedQuotePayoutHoldsTheQuotesAmount: with payout queueing the
// hold happens when the payout leaves queued; a quote payout carries the
// quote's currency and amount, so it is held like any other.
func TestQueuedQuotePayoutHoldsTheQuotesAmount(t *testing.T) {
	c := newClient(t, mock.WithBalance("USD", 10000), mock.WithPayoutQueueing())
	bene := beneficiary(t, c)
	qid := quotes(t, c, usdINRQuote(4000))[0]["id"].(string)
	st, p := c.do("POST", "/v1/payouts", quotePayout(bene, qid, "queued-quote"))
	require.Equal(t, 201, st, "%v", p)
	assert.Equal(t, 6000.0, available(t, c, "USD"))
}

// TestPayinQuoteGivesTheOrderItsAmount: an order or a payment link made
// with a payin quote collects the quote's source amount in its source
// currency (what the customer pays), and uses the quote up; a payout quote
// is refused, and a repeated order request_id is still answered as a
// repeat.
func TestPayinQuoteGivesTheOrderItsAmount(t *testing.T) {
	c := newClient(t)
	cb, _ := mock.RequestBody("createCustomer")
	st, cust := c.do("POST", "/v1/customer", cb)
	require.Equal(t, 201, st, "%v", cust)
	customer := cust["id"].(string)
	payin := usdINRQuote(25000)
	payin["resource"] = "payin"

	qid := quotes(t, c, payin)[0]["id"].(string)
	order := map[string]any{"quote_id": qid, "customer_id": customer, "request_id": "order-1"}
	st, o := c.do("POST", "/v1/orders", order)
	require.Equal(t, 201, st, "%v", o)
	assert.Equal(t, 25000.0, o["amount"])
	assert.Equal(t, "USD", o["currency"])
	st, m := c.do("POST", "/v1/orders", map[string]any{"quote_id": qid, "customer_id": customer, "request_id": "order-2"})
	wantErr(t, st, m, 400, "Quote has already been used")
	st, m = c.do("POST", "/v1/orders", order)
	wantErr(t, st, m, 400, "already exists for this request_id")

	link := map[string]any{"quote_id": quotes(t, c, payin)[0]["id"], "customer_id": customer, "purpose_code": "P0103"}
	st, l := c.do("POST", "/v1/payin", link)
	require.Equal(t, 201, st, "%v", l)
	assert.Equal(t, 25000.0, l["amount"])
	assert.Equal(t, "USD", l["currency"])

	st, m = c.do("POST", "/v1/orders", map[string]any{"quote_id": quotes(t, c, usdINRQuote(1000))[0]["id"], "customer_id": customer})
	wantErr(t, st, m, 400, "Quote is for a payout, not a payin")
	st, m = c.do("POST", "/v1/payin", map[string]any{"quote_id": "quote_unknown", "customer_id": customer, "purpose_code": "P0103"})
	wantErr(t, st, m, 400, "Quote not found")
}

package mock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/mock"
)

func available(t *testing.T, c *client, cur string) float64 {
	t.Helper()
	st, b := c.do("GET", "/v1/balances", nil)
	require.Equal(t, 200, st)
	for _, e := range b["available"].([]any) {
		if m := e.(map[string]any); m["currency"] == cur {
			return m["amount"].(float64)
		}
	}
	return 0
}

func usdPayout(bene, reqID string, amount int) map[string]any {
	return map[string]any{"purpose_code": "S0017", "beneficiary_id": bene, "source_currency": "USD",
		"destination_currency": "USD", "source_amount": amount, "request_id": reqID}
}

// TestPayoutBeyondBalanceIsRefused is issue 14's balance test: a payout
// larger than the balance answers the documented refusal (400, code
// INSUFFICIENT_BALANCE, the shortfall in the message) and creates nothing;
// one the balance covers debits it, and failing it gives the money back.
func TestPayoutBeyondBalanceIsRefused(t *testing.T) {
	c := newClient(t, mock.WithBalance("USD", 10000))
	bene := beneficiary(t, c)
	require.Equal(t, 10000.0, available(t, c, "USD"))

	st, m := c.do("POST", "/v1/payouts", usdPayout(bene, "too-big", 29900))
	wantErr(t, st, m, 400, "Additional amount required: 19900.")
	assert.Equal(t, "INSUFFICIENT_BALANCE", m["code"])
	assert.Equal(t, 0, c.srv.Count("payouts"))
	assert.Equal(t, 10000.0, available(t, c, "USD"))
	_, l := c.do("GET", "/v1/payouts?request_id=too-big", nil)
	assert.Empty(t, l["data"])

	st, p := c.do("POST", "/v1/payouts", usdPayout(bene, "fits", 2500))
	require.Equal(t, 201, st, "%v", p)
	assert.Equal(t, "in_progress", p["status"])
	assert.Equal(t, 7500.0, available(t, c, "USD"))
	// A repeat of the request_id is refused and debits nothing.
	st, _ = c.do("POST", "/v1/payouts", usdPayout(bene, "fits", 2500))
	require.Equal(t, 409, st)
	assert.Equal(t, 7500.0, available(t, c, "USD"))
	// USD→USD: what arrives is what was debited minus the fees, in USD.
	fees := p["fees"].(map[string]any)
	txn := fees["txn_fee"].(map[string]any)
	assert.Equal(t, "USD", txn["currency"])
	assert.Equal(t, 2500-txn["amount"].(float64)-fees["fx_fee"].(map[string]any)["amount"].(float64), p["destination_amount"])
	assert.Nil(t, p["quote_id"])
	assert.Nil(t, p["error_code"])

	st, _ = c.do("PATCH", "/v1/payouts/mock", map[string]any{"id": p["id"], "status": "failed"})
	require.Equal(t, 200, st)
	assert.Equal(t, 10000.0, available(t, c, "USD"), "a failed payout gives its money back")
}

// TestPayoutQueueing is the other documented behaviour, as an option:
// every payout is accepted queued; one the balance cannot cover waits
// (nothing debited) until a payment credits enough, then is released.
func TestPayoutQueueing(t *testing.T) {
	c := newClient(t, mock.WithBalance("USD", 10000), mock.WithPayoutQueueing())
	bene := beneficiary(t, c)
	st, p := c.do("POST", "/v1/payouts", usdPayout(bene, "q-1", 29900))
	require.Equal(t, 201, st, "%v", p)
	assert.Equal(t, "queued", p["status"])
	assert.Equal(t, 10000.0, available(t, c, "USD"))
	_, got := c.do("GET", "/v1/payouts/"+p["id"].(string), nil)
	assert.Equal(t, "queued", got["status"])

	// A payment of 201.00 makes 301.00: enough, so the payout leaves the queue.
	st, link := c.do("POST", "/v1/payin", payinBody(t))
	require.Equal(t, 201, st, "%v", link)
	st, pay := c.do("POST", "/v1/payment/mock", map[string]any{"amount": 20100, "currency": "USD", "payin_id": link["id"]})
	require.Equal(t, 201, st, "%v", pay)
	assert.Equal(t, "success", pay["status"])
	_, got = c.do("GET", "/v1/payouts/"+p["id"].(string), nil)
	assert.Equal(t, "in_progress", got["status"])
	assert.Equal(t, 200.0, available(t, c, "USD"))

	// One the balance covers is accepted queued too, and released at once.
	st, p2 := c.do("POST", "/v1/payouts", usdPayout(bene, "q-2", 200))
	require.Equal(t, 201, st)
	assert.Equal(t, "queued", p2["status"])
	_, got = c.do("GET", "/v1/payouts/"+p2["id"].(string), nil)
	assert.Equal(t, "in_progress", got["status"])
	assert.Equal(t, 0.0, available(t, c, "USD"))
}

func payinBody(t *testing.T) map[string]any {
	t.Helper()
	b, err := mock.RequestBody("createPayin")
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	m["currency"] = "USD"
	return m
}

// TestMoneyMovesAddUp: withdrawals and settlements debit, conversions
// debit one currency and credit the other, internal transfers debit the
// account when it sends and credit it when it receives, and a debit the
// balance cannot cover is refused like a payout.
func TestMoneyMovesAddUp(t *testing.T) {
	c := newClient(t, mock.WithBalance("USD", 100000), mock.WithBalance("EUR", 0), mock.WithBalance("AED", 50000))
	acct, _ := c.srv.Objects("withdrawal_accounts")[0]["id"].(string)
	st, w := c.do("POST", "/v1/withdrawals", map[string]any{"amount": 1000, "balance_currency": "USD", "withdrawal_account_id": acct})
	require.Equal(t, 201, st, "%v", w)
	assert.Equal(t, 99000.0, available(t, c, "USD"))
	st, m := c.do("POST", "/v1/withdrawals", map[string]any{"amount": 1000000, "balance_currency": "USD", "withdrawal_account_id": acct})
	wantErr(t, st, m, 400, "insufficient balance")
	assert.Equal(t, "INSUFFICIENT_BALANCE", m["code"])

	st, conv := c.do("POST", "/v1/balance_conversions", map[string]any{"source_currency": "USD", "target_currency": "EUR", "source_amount": 10000})
	require.Equal(t, 201, st, "%v", conv)
	to := conv["to"].(map[string]any)
	assert.Equal(t, "EUR", to["currency"])
	assert.Equal(t, 89000.0, available(t, c, "USD"))
	assert.Equal(t, to["amount"], available(t, c, "EUR"))
	assert.Positive(t, to["amount"])

	st, it := c.do("POST", "/v1/internal-transfer", map[string]any{"amount": 20000, "currency": "AED", "reference": "ref-1",
		"from_merchant_id": mock.MerchantID, "to_merchant_id": "merch_child0000001"})
	require.Equal(t, 201, st, "%v", it)
	assert.Equal(t, 20000.0, it["transfer_amount"])
	assert.Equal(t, 30000.0, available(t, c, "AED"))
	st, _ = c.do("POST", "/v1/internal-transfer", map[string]any{"amount": 5000, "currency": "AED", "reference": "ref-2",
		"from_merchant_id": "merch_child0000001", "to_merchant_id": mock.MerchantID})
	require.Equal(t, 201, st)
	assert.Equal(t, 35000.0, available(t, c, "AED"))
	assert.Equal(t, map[string]int64{"USD": 89000, "EUR": int64(to["amount"].(float64)), "AED": 35000}, c.srv.Balances())
}

// TestResetAndNames: one documented name per resource in Count, Objects
// and the admin state endpoint, and POST /__mock/reset forgets objects,
// balances, events and faults.
func TestResetAndNames(t *testing.T) {
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer recv.Close()
	c := newClient(t, mock.WithBalance("USD", 5000), mock.WithWebhook(recv.URL, "whsec"))
	names, err := mock.Resources()
	require.NoError(t, err)
	for _, n := range []string{"payouts", "customers", "payments", "payment_links", "beneficiaries", "refunds", "orders", "withdrawals", "balance_conversions", "internal_transfers", "virtual_accounts"} {
		assert.Contains(t, names, n)
	}
	bene := beneficiary(t, c)
	b, _ := mock.RequestBody("createCustomer")
	st, _ := c.do("POST", "/v1/customer", b)
	require.Equal(t, 201, st)
	st, p := c.do("POST", "/v1/payouts", usdPayout(bene, "r-1", 1000))
	require.Equal(t, 201, st)
	c.do("PATCH", "/v1/payouts/mock", map[string]any{"id": p["id"], "status": "success"})
	assert.Equal(t, 1, c.srv.Count("customers"))
	assert.Equal(t, 1, c.srv.Count("payouts"))
	root := strings.TrimSuffix(c.srv.URL, "/api")
	st, _, raw := c.raw("GET", root+"/__mock/state/customers", nil)
	require.Equal(t, 200, st)
	var state map[string]any
	require.NoError(t, json.Unmarshal(raw, &state))
	assert.Equal(t, 1.0, state["count"])
	st, _, raw = c.raw("GET", root+"/__mock/state", nil)
	require.Equal(t, 200, st)
	assert.Contains(t, string(raw), `"customers":1`)
	assert.Equal(t, 1, c.srv.Count("customer"), "the API path form is still accepted")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, c.srv.WaitForDeliveries(ctx))
	evs := c.srv.Events()
	require.NotEmpty(t, evs)
	for _, e := range evs {
		assert.True(t, e.Done())
		assert.Equal(t, mock.DeliveryDelivered, e.Delivery)
		assert.Equal(t, 200, e.Status)
	}
	c.srv.AddFault(mock.Fault{Operation: "getBalance", Kind: mock.FaultStatus, Status: 503, Times: -1})
	st, _, _ = c.raw("POST", root+"/__mock/reset", nil)
	require.Equal(t, 200, st)
	assert.Equal(t, 0, c.srv.Count("payouts"))
	assert.Equal(t, 0, c.srv.Count("customers"))
	assert.Empty(t, c.srv.Events())
	assert.Equal(t, 5000.0, available(t, c, "USD"), "balances back to the start, fault gone")
	assert.Equal(t, 1, c.srv.Calls("getBalance"))
}

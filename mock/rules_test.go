package mock_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glomo-go/glomo-go/mock"
)

type client struct {
	t   testing.TB
	srv *mock.Server
	key string
}

// newClient starts a mock whose account holds plenty of USD (tests of the
// balance pass their own WithBalance, which comes later and wins).
func newClient(t testing.TB, opts ...mock.Option) *client {
	srv := mock.NewServer(t, append([]mock.Option{mock.WithBalance("USD", 1<<50)}, opts...)...)
	return &client{t: t, srv: srv, key: srv.Key}
}

// do sends a request to the API path p (e.g. /v1/payouts) and decodes a
// JSON answer.
func (c *client) do(method, p string, body any) (int, map[string]any) {
	c.t.Helper()
	st, _, b := c.raw(method, c.srv.URL+p, body)
	var m map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			c.t.Fatalf("%s %s: %d, body not JSON: %q", method, p, st, b)
		}
	}
	return st, m
}

func (c *client) raw(method, u string, body any) (int, http.Header, []byte) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, u, rd)
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func wantErr(t *testing.T, st int, m map[string]any, status int, msgPart string) {
	t.Helper()
	if st != status {
		t.Fatalf("status %d, want %d (%v)", st, status, m)
	}
	if _, ok := m["error"].(string); !ok {
		t.Fatalf("no error field in %v", m)
	}
	if msg, _ := m["message"].(string); !strings.Contains(msg, msgPart) {
		t.Fatalf("message %q does not contain %q", msg, msgPart)
	}
}

func beneficiary(t *testing.T, c *client) string {
	t.Helper()
	b, _ := mock.RequestBody("createBeneficiary")
	st, m := c.do("POST", "/v1/beneficiaries", b)
	if st != 201 {
		t.Fatalf("create beneficiary: %d %v", st, m)
	}
	return m["id"].(string)
}

func payoutBody(bene, reqID string) map[string]any {
	m := map[string]any{"purpose_code": "S0802", "beneficiary_id": bene, "source_currency": "USD", "destination_currency": "INR", "source_amount": 100000}
	if reqID != "" {
		m["request_id"] = reqID
	}
	return m
}

func TestHealthAndAuth(t *testing.T) {
	c := newClient(t)
	st, h, b := c.raw("GET", strings.TrimSuffix(c.srv.URL, "/api")+"/", nil)
	if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") || len(b) == 0 {
		t.Fatalf("health: %d %q", st, b)
	}
	if st, _ := c.do("GET", "/v1/balances", nil); st != 200 {
		t.Fatalf("balances with key: %d", st)
	}
	for _, key := range []string{"", "sk_test_wrong", "test_publishable", "live_publishable"} {
		c.key = key
		st, m := c.do("GET", "/v1/balances", nil)
		wantErr(t, st, m, 401, "")
	}
}

func TestRoutingErrors(t *testing.T) {
	c := newClient(t)
	st, m := c.do("GET", "/v1/teleport", nil)
	wantErr(t, st, m, 404, "not found")
	st, m = c.do("GET", "/v1/payouts/bene_123", nil)
	wantErr(t, st, m, 400, "Id must start with 'payout_'")
	st, m = c.do("GET", "/v1/payouts/payout_doesnotexist", nil)
	wantErr(t, st, m, 404, "Payout not found")
	st, m = c.do("GET", "/v1/payment/payt_nope", nil)
	wantErr(t, st, m, 404, "not found")
}

func TestRequestValidationNamesField(t *testing.T) {
	c := newClient(t)
	st, m := c.do("POST", "/v1/refunds", map[string]any{"reason": "Requested By Customer"})
	wantErr(t, st, m, 400, "payment_id")
	st, m = c.do("POST", "/v1/refunds", map[string]any{"payment_id": "payt_x", "reason": "Because"})
	wantErr(t, st, m, 400, "reason")
	st, m = c.do("GET", "/v1/payouts?per_page=abc", nil)
	wantErr(t, st, m, 400, "per_page")
	st, m = c.do("POST", "/v1/refunds", map[string]any{"payment_id": 5, "reason": "Duplicate"})
	wantErr(t, st, m, 400, "payment_id: ")
	st, m = c.do("GET", "/v1/payouts?status=teleported", nil)
	wantErr(t, st, m, 400, "status: ")
	st, m = c.do("POST", "/v1/payouts", []byte("null"))
	wantErr(t, st, m, 400, "body")
}

func TestBodyLimit(t *testing.T) {
	c := newClient(t)
	big := []byte(`{"reason":"` + strings.Repeat("x", mock.MaxBodyBytes) + `"}`)
	st, m := c.do("POST", "/v1/refunds", big)
	wantErr(t, st, m, 413, "larger")
}

func TestPayoutLifecycleIdempotencyAndWebhooks(t *testing.T) {
	var mu sync.Mutex
	var got []struct {
		body []byte
		sig  string
	}
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, struct {
			body []byte
			sig  string
		}{b, r.Header.Get("X-Glomopay-Signature")})
		mu.Unlock()
	}))
	defer recv.Close()
	c := newClient(t, mock.WithWebhook(recv.URL, "whsec_test"))
	bene := beneficiary(t, c)

	st, p := c.do("POST", "/v1/payouts", payoutBody(bene, "req-1"))
	if st != 201 || p["status"] != "in_progress" || !strings.HasPrefix(p["id"].(string), "payout_") || p["created_at"] == nil {
		t.Fatalf("create payout: %d %v", st, p)
	}
	if p["payment_rail"] != "swift" {
		t.Errorf("payment_rail %v, want swift when omitted", p["payment_rail"])
	}
	st, m := c.do("POST", "/v1/payouts", payoutBody(bene, "req-1"))
	if st != 409 || m["error"] != "Conflict" || m["message"] != "Record already exists" {
		t.Fatalf("duplicate request_id: %d %v", st, m)
	}
	if n := c.srv.Count("payouts"); n != 1 {
		t.Fatalf("duplicate created something: %d payouts", n)
	}
	st, l := c.do("GET", "/v1/payouts?request_id=req-1", nil)
	if st != 200 || len(l["data"].([]any)) != 1 {
		t.Fatalf("request_id filter: %d %v", st, l)
	}

	id := p["id"].(string)
	st, m = c.do("PATCH", "/v1/payouts/mock", map[string]any{"id": id, "status": "success"})
	if st != 200 || m["status"] != "success" {
		t.Fatalf("mock status: %d %v", st, m)
	}
	st, m = c.do("PATCH", "/v1/payouts/mock", map[string]any{"id": id, "status": "failed"})
	wantErr(t, st, m, 400, "State change not allowed")
	st, m = c.do("PATCH", "/v1/payouts/"+id+"/cancel", nil)
	wantErr(t, st, m, 400, "State change not allowed")
	st, m = c.do("PATCH", "/v1/payouts/mock", map[string]any{"id": "payout_nope", "status": "success"})
	wantErr(t, st, m, 404, "not found")

	c.srv.Close() // waits for webhook deliveries
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("%d webhooks, want 1", len(got))
	}
	mac := hmac.New(sha256.New, []byte("whsec_test"))
	mac.Write(got[0].body)
	if want := hex.EncodeToString(mac.Sum(nil)); got[0].sig != want {
		t.Fatalf("signature %q, want %q", got[0].sig, want)
	}
	var ev map[string]any
	json.Unmarshal(got[0].body, &ev)
	if ev["entity_type"] != "payout" || ev["event_type"] != "success" || ev["data"].(map[string]any)["id"] != id {
		t.Fatalf("event %v", ev)
	}
	if evs := c.srv.Events(); len(evs) != 1 || evs[0].Status != 200 {
		t.Fatalf("Events: %+v", evs)
	}
}

func TestBeneficiaryReviewBlocksPayout(t *testing.T) {
	c := newClient(t, mock.WithBeneficiaryReview())
	bene := beneficiary(t, c)
	st, m := c.do("POST", "/v1/payouts", payoutBody(bene, ""))
	wantErr(t, st, m, 400, "not active")
	if c.srv.Count("payouts") != 0 {
		t.Fatal("a refused payout was stored")
	}
	st, m = c.do("PATCH", "/v2/beneficiaries/"+bene+"/mock-review", map[string]any{"review_action": "approve"})
	if st != 200 {
		t.Fatalf("review: %d %v", st, m)
	}
	if st, m = c.do("POST", "/v1/payouts", payoutBody(bene, "")); st != 201 {
		t.Fatalf("payout after approval: %d %v", st, m)
	}
	st, m = c.do("POST", "/v1/payouts", payoutBody("bene_unknown", ""))
	wantErr(t, st, m, 400, "Beneficiary not found")
}

func TestPaymentLinkAndRefundLifecycle(t *testing.T) {
	c := newClient(t)
	body, _ := mock.RequestBody("createPayin")
	var pl map[string]any
	json.Unmarshal(body, &pl)
	delete(pl, "quote_id")
	st, link := c.do("POST", "/v1/payin", body)
	if st != 201 || link["status"] != "active" {
		t.Fatalf("create link: %d %v", st, link)
	}
	lid := link["id"].(string)
	st, m := c.do("PATCH", "/v1/payin/"+lid+"/mock_mark_reviewed", nil)
	wantErr(t, st, m, 400, "State change not allowed")
	// Screening hit: link goes under_review, then review makes it active.
	st, pay := c.do("POST", "/v1/payment/mock", map[string]any{"amount": 6623, "currency": "USD", "payin_id": lid})
	if st != 201 || pay["compliance_status"] != "under_review" {
		t.Fatalf("screening-hit payment: %d %v", st, pay)
	}
	if st, m = c.do("PATCH", "/v1/payin/"+lid+"/mock_mark_reviewed", nil); st != 200 {
		t.Fatalf("review: %d %v", st, m)
	}
	st, pay = c.do("POST", "/v1/payment/mock", map[string]any{"amount": 10000, "currency": "USD", "payin_id": lid})
	if st != 201 || pay["status"] != "success" {
		t.Fatalf("payment: %d %v", st, pay)
	}
	if st, m = c.do("GET", "/v1/payin/"+lid, nil); m["status"] != "paid" {
		t.Fatalf("link after payment: %d %v", st, m["status"])
	}
	st, m = c.do("POST", "/v1/payment/mock", map[string]any{"amount": 10000, "currency": "USD", "payin_id": lid})
	wantErr(t, st, m, 400, "not active")

	pid := pay["id"].(string)
	if st, m = c.do("PATCH", "/v1/payment/"+pid+"/mock-funds-available", nil); st != 200 {
		t.Fatalf("funds available: %d %v", st, m)
	}
	refund := map[string]any{"payment_id": pid, "reason": "Requested By Customer", "request_id": "rf-1"}
	st, r := c.do("POST", "/v1/refunds", refund)
	if st != 201 || r["status"] != "in_progress" {
		t.Fatalf("refund: %d %v", st, r)
	}
	st, m = c.do("POST", "/v1/refunds", refund)
	wantErr(t, st, m, 400, "already exists for this request_id")
	rid := r["id"].(string)
	if st, m = c.do("PATCH", "/v1/refunds/"+rid+"/mock_update_status", map[string]any{"status": "success"}); st != 200 || m["status"] != "success" {
		t.Fatalf("refund success: %d %v", st, m)
	}
	st, m = c.do("PATCH", "/v1/refunds/"+rid+"/mock_update_status", map[string]any{"status": "failed"})
	wantErr(t, st, m, 400, "State change not allowed")
	st, m = c.do("POST", "/v1/refunds", map[string]any{"payment_id": "payt_nope", "reason": "Duplicate"})
	wantErr(t, st, m, 400, "Payment not found")
	var types []string
	for _, e := range c.srv.Events() {
		types = append(types, e.EntityType+"."+e.EventType)
	}
	want := "payment.in_progress payment_link.under_review payment_link.active payment.success payment_link.paid payment.funds_available refund.success"
	if strings.Join(types, " ") != want {
		t.Fatalf("events %q\nwant   %q", strings.Join(types, " "), want)
	}
}

func TestOrderIdempotency(t *testing.T) {
	c := newClient(t)
	b, _ := mock.RequestBody("createOrder")
	var body map[string]any
	json.Unmarshal(b, &body)
	body["request_id"] = "ord-1"
	if st, m := c.do("POST", "/v1/orders", body); st != 201 {
		t.Fatalf("order: %d %v", st, m)
	}
	st, m := c.do("POST", "/v1/orders", body)
	wantErr(t, st, m, 400, "already exists for this request_id")
	if c.srv.Count("orders") != 1 {
		t.Fatal("duplicate order stored")
	}
}

func TestListPaging(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Minute)
		return now
	}
	c := newClient(t, mock.WithClock(clock))
	b, _ := mock.RequestBody("createCustomer")
	var ids []string
	for i := range 25 {
		var body map[string]any
		json.Unmarshal(b, &body)
		body["email"] = fmt.Sprintf("c%d@example.com", i)
		st, m := c.do("POST", "/v1/customer", body)
		if st != 201 {
			t.Fatalf("customer %d: %d %v", i, st, m)
		}
		ids = append(ids, m["id"].(string))
	}
	st, l := c.do("GET", "/v1/customer?per_page=10&page=3", nil)
	meta := l["page_meta"].(map[string]any)
	if st != 200 || len(l["data"].([]any)) != 5 || meta["current"] != 3.0 || meta["previous"] != 2.0 || meta["next"] != nil || meta["pages"] != 3.0 || meta["count"] != 25.0 {
		t.Fatalf("page 3: %d %v", st, meta)
	}
	_, l = c.do("GET", "/v1/customer", nil)
	first := l["data"].([]any)[0].(map[string]any)
	if first["id"] != ids[24] || l["page_meta"].(map[string]any)["per_page"] != 20.0 {
		t.Fatalf("not newest first / default per_page: %v %v", first["id"], l["page_meta"])
	}
	_, l = c.do("GET", "/v1/customer?per_page=500", nil)
	if l["page_meta"].(map[string]any)["per_page"] != 100.0 {
		t.Fatalf("per_page not clamped: %v", l["page_meta"])
	}
	// Customer i was created at 2026-01-01T00:(i+1):00Z.
	_, l = c.do("GET", "/v1/customer?after=2026-01-01T00:20:00Z&before=2026-01-01T00:23:00Z", nil)
	if n := len(l["data"].([]any)); n != 2 {
		t.Fatalf("before/after: %d items, want 2", n)
	}
	st, m := c.do("POST", "/v1/customer", b)
	if st != 201 {
		t.Fatalf("customer with the example email: %d %v", st, m)
	}
	st, m = c.do("POST", "/v1/customer", b)
	wantErr(t, st, m, 400, "already exists")
}

func TestEviction(t *testing.T) {
	c := newClient(t, mock.WithMaxObjects(3))
	first := beneficiary(t, c)
	for range 4 {
		beneficiary(t, c)
	}
	if n := c.srv.Count("beneficiaries"); n != 3 {
		t.Fatalf("%d stored, want 3", n)
	}
	st, m := c.do("GET", "/v1/beneficiaries/"+first, nil)
	wantErr(t, st, m, 404, "not found")
}

func TestSeededReadOnlyResources(t *testing.T) {
	c := newClient(t)
	st, l := c.do("GET", "/v1/withdrawal_accounts", nil)
	if st != 200 || len(l["data"].([]any)) == 0 {
		t.Fatalf("withdrawal accounts: %d %v", st, l)
	}
}

// TestParallelClients runs 100 clients at once (run with -race).
func TestParallelClients(t *testing.T) {
	c := newClient(t)
	bene := beneficiary(t, c)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(payoutBody(bene, fmt.Sprintf("par-%d", i%50)))
			req, _ := http.NewRequest("POST", c.srv.URL+"/v1/payouts", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+c.key)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 201 && resp.StatusCode != 409 {
				errs <- fmt.Errorf("status %d", resp.StatusCode)
			}
			lr, _ := http.NewRequest("GET", c.srv.URL+"/v1/payouts?per_page=5", nil)
			lr.Header.Set("Authorization", "Bearer "+c.key)
			if resp, err := http.DefaultClient.Do(lr); err == nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := c.srv.Count("payouts"); n != 50 {
		t.Fatalf("%d payouts, want 50 (50 distinct request_ids)", n)
	}
}

func TestCardPayment(t *testing.T) {
	c := newClient(t)
	b, _ := mock.RequestBody("createOrder")
	var order map[string]any
	json.Unmarshal(b, &order)
	order["request_id"] = "o-1"
	st, o := c.do("POST", "/v1/orders", order)
	if st != 201 {
		t.Fatalf("order: %d %v", st, o)
	}
	pb, _ := mock.RequestBody("createPayment")
	var pay map[string]any
	json.Unmarshal(pb, &pay)
	pay["order_id"] = o["id"]
	pay["request_id"] = "card-1"
	st, p := c.do("POST", "/v1/payment", pay)
	if st/100 != 2 || !strings.HasPrefix(fmt.Sprint(p["payment_id"]), "payt_") || p["status"] != "in_progress" {
		t.Fatalf("card payment: %d %v", st, p)
	}
	st, m := c.do("POST", "/v1/payment", pay)
	wantErr(t, st, m, 400, "Payment already exists for this request_id")
	if n := c.srv.Count("payments"); n != 1 {
		t.Fatalf("%d payments", n)
	}
	if st, g := c.do("GET", "/v1/payment/"+p["payment_id"].(string), nil); st != 200 || g["status"] != "in_progress" {
		t.Fatalf("get card payment: %d %v", st, g)
	}
}

func TestNestedCollection(t *testing.T) {
	c := newClient(t)
	b, _ := mock.RequestBody("createCustomer")
	st, cust := c.do("POST", "/v1/customer", b)
	if st != 201 {
		t.Fatalf("customer: %d %v", st, cust)
	}
	cid := cust["id"].(string)
	ab, _ := mock.RequestBody("createLrsCustomerBankAccount")
	if st, m := c.do("POST", "/v1/customer/"+cid+"/bank_account", ab); st != 201 {
		t.Fatalf("bank account: %d %v", st, m)
	}
	st, _, body := c.raw("GET", c.srv.URL+"/v1/customer/"+cid+"/bank_account", nil)
	var list []map[string]any
	if err := json.Unmarshal(body, &list); st != 200 || err != nil || len(list) != 1 {
		t.Fatalf("bank accounts: %d %s", st, body)
	}
	st, m := c.do("POST", "/v1/customer/cust_nope/bank_account", ab)
	wantErr(t, st, m, 404, "Customer not found")
}

func TestListFilters(t *testing.T) {
	c := newClient(t)
	bene := beneficiary(t, c)
	var ids []string
	for i := range 3 {
		st, p := c.do("POST", "/v1/payouts", payoutBody(bene, fmt.Sprintf("f-%d", i)))
		if st != 201 {
			t.Fatalf("payout: %d %v", st, p)
		}
		ids = append(ids, p["id"].(string))
	}
	c.do("PATCH", "/v1/payouts/mock", map[string]any{"id": ids[1], "status": "success"})
	count := func(q string) int {
		t.Helper()
		st, l := c.do("GET", "/v1/payouts?"+q, nil)
		if st != 200 {
			t.Fatalf("%s: %d %v", q, st, l)
		}
		return len(l["data"].([]any))
	}
	if n := count("status=in_progress"); n != 2 {
		t.Errorf("status=in_progress: %d", n)
	}
	if n := count("status=success&beneficiary_id=" + bene); n != 1 {
		t.Errorf("status=success&beneficiary_id: %d", n)
	}
	if n := count("beneficiary_id=bene_other"); n != 0 {
		t.Errorf("beneficiary_id=bene_other: %d", n)
	}
	if n := count("request_id=f-2"); n != 1 {
		t.Errorf("request_id: %d", n)
	}
}

func TestRotateAPIKey(t *testing.T) {
	c := newClient(t)
	st, m := c.do("POST", "/v1/api-keys/rotate", map[string]any{"expire_after_in_seconds": 0})
	newKey, _ := m["secret_key"].(string)
	if st != 200 || !strings.HasPrefix(newKey, "sk_test_") {
		t.Fatalf("rotate: %d %v", st, m)
	}
	st, m = c.do("GET", "/v1/balances", nil)
	wantErr(t, st, m, 401, "")
	c.key = newKey
	if st, _ := c.do("GET", "/v1/balances", nil); st != 200 {
		t.Fatalf("new key: %d", st)
	}
	// A rotation with a grace period keeps the current key working.
	if st, m = c.do("POST", "/v1/api-keys/rotate", map[string]any{"expire_after_in_seconds": 3600}); st != 200 {
		t.Fatalf("rotate: %d %v", st, m)
	}
	if st, _ := c.do("GET", "/v1/balances", nil); st != 200 {
		t.Fatalf("old key within grace: %d", st)
	}
}

func TestVirtualAccounts(t *testing.T) {
	c := newClient(t)
	body := map[string]any{"payment_type": "local", "currency": "AED"}
	st, va := c.do("POST", "/v1/virtual-accounts", body)
	if st != 201 || va["status"] != "active" || va["account_id"] == nil {
		t.Fatalf("create: %d %v", st, va)
	}
	st, m := c.do("POST", "/v1/virtual-accounts", body)
	wantErr(t, st, m, 409, "already exists")
	st, l := c.do("GET", "/v1/virtual-accounts", nil)
	if st != 200 || len(l["data"].([]any)) != 1 {
		t.Fatalf("list: %d %v", st, l)
	}
	if st, m = c.do("DELETE", "/v1/virtual-accounts?payment_type=local&currency=AED", nil); st != 200 || m["status"] != "inactive" {
		t.Fatalf("close: %d %v", st, m)
	}
	st, m = c.do("DELETE", "/v1/virtual-accounts?payment_type=local&currency=AED", nil)
	wantErr(t, st, m, 404, "not found")
	if st, _ = c.do("POST", "/v1/virtual-accounts", body); st != 201 {
		t.Fatalf("reopen: %d", st)
	}
}

func TestActionKeepsSentFields(t *testing.T) {
	c := newClient(t)
	b, _ := mock.RequestBody("createSubscription")
	var body map[string]any
	json.Unmarshal(b, &body)
	cb, _ := mock.RequestBody("createCustomer")
	_, cust := c.do("POST", "/v1/customer", cb)
	body["customer_id"] = cust["id"]
	st, sub := c.do("POST", "/v1/subscriptions", body)
	if st != 201 || sub["status"] != "created" {
		t.Fatalf("subscription: %d %v", st, sub)
	}
	id := sub["id"].(string)
	nb, _ := mock.RequestBody("updateNextPaymentDate")
	var next map[string]any
	json.Unmarshal(nb, &next)
	st, got := c.do("PATCH", "/v1/subscriptions/"+id+"/next-payment-date", next)
	if st != 200 {
		t.Fatalf("next payment date: %d %v", st, got)
	}
	for k, v := range next {
		if _, declared := got[k]; declared && fmt.Sprint(got[k]) != fmt.Sprint(v) {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if st, m := c.do("PATCH", "/v1/subscriptions/"+id+"/resume", nil); st != 400 {
		t.Fatalf("resume a created subscription: %d %v", st, m)
	}
	if st, m := c.do("PATCH", "/v1/subscriptions/"+id+"/pause", nil); st != 200 || m["status"] != "paused" {
		t.Fatalf("pause: %d %v", st, m)
	}
	if st, m := c.do("PATCH", "/v1/subscriptions/"+id+"/resume", nil); st != 200 || m["status"] != "active" {
		t.Fatalf("resume: %d %v", st, m)
	}
	if st, m := c.do("PATCH", "/v1/subscriptions/"+id+"/cancel", nil); st != 200 || m["status"] != "cancelled" {
		t.Fatalf("cancel: %d %v", st, m)
	}
	st, m := c.do("PATCH", "/v1/subscriptions/"+id+"/cancel", nil)
	wantErr(t, st, m, 400, "State change not allowed")
}

package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/glomo-go/glomo-go/mock"
)

func TestFaultStatusRetryAfterAndCounts(t *testing.T) {
	c := newClient(t, mock.WithFaults(mock.Fault{Operation: "getBalance", Kind: mock.FaultStatus, Status: 429, RetryAfter: "2", After: 1, Times: 2}))
	want := []int{200, 429, 429, 200}
	for i, w := range want {
		st, h, _ := c.raw("GET", c.srv.URL+"/v1/balances", nil)
		if st != w {
			t.Fatalf("call %d: %d, want %d", i, st, w)
		}
		if w == 429 && h.Get("Retry-After") != "2" {
			t.Fatalf("Retry-After %q", h.Get("Retry-After"))
		}
	}
	if n := c.srv.Calls("getBalance"); n != 4 {
		t.Fatalf("Calls %d", n)
	}
	// A fault for another operation does not fire.
	c.srv.AddFault(mock.Fault{Operation: "getPayouts", Kind: mock.FaultStatus, Status: 503})
	if st, _, _ := c.raw("GET", c.srv.URL+"/v1/balances", nil); st != 200 {
		t.Fatalf("unrelated fault fired: %d", st)
	}
	for _, s := range []int{500, 502, 503, 504} {
		c.srv.AddFault(mock.Fault{Kind: mock.FaultStatus, Status: s})
		st, m := c.do("GET", "/v1/balances", nil)
		wantErr(t, st, m, s, "")
	}
}

func TestFaultTransportKinds(t *testing.T) {
	c := newClient(t)
	bene := beneficiary(t, c)

	c.srv.AddFault(mock.Fault{Operation: "createPayout", Kind: mock.FaultReset})
	if _, err := post(c, "/v1/payouts", payoutBody(bene, "r1")); err == nil {
		t.Fatal("reset: want a transport error")
	}
	if n := c.srv.Count("payouts"); n != 0 {
		t.Fatalf("reset created %d payouts", n)
	}

	c.srv.AddFault(mock.Fault{Operation: "createPayout", Kind: mock.FaultCommitThenDrop})
	if _, err := post(c, "/v1/payouts", payoutBody(bene, "r2")); err == nil {
		t.Fatal("commit-then-drop: want a transport error")
	}
	if n := c.srv.Count("payouts"); n != 1 {
		t.Fatalf("commit-then-drop stored %d payouts, want 1", n)
	}
	// The retry with the same request_id meets the committed payout.
	if st, m := c.do("POST", "/v1/payouts", payoutBody(bene, "r2")); st != 409 {
		t.Fatalf("retry after drop: %d %v", st, m)
	}

	c.srv.AddFault(mock.Fault{Operation: "getBalance", Kind: mock.FaultTruncated})
	st, h, b := c.raw("GET", c.srv.URL+"/v1/balances", nil)
	if st != 200 || json.Valid(b) || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("truncated: %d %q", st, b)
	}

	c.srv.AddFault(mock.Fault{Operation: "getBalance", Kind: mock.FaultWrongContentType})
	st, h, b = c.raw("GET", c.srv.URL+"/v1/balances", nil)
	if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(string(b), "<html>") {
		t.Fatalf("wrong content type: %d %q", st, h.Get("Content-Type"))
	}

	c.srv.AddFault(mock.Fault{Operation: "getBalance", Kind: mock.FaultOversized})
	st, _, b = c.raw("GET", c.srv.URL+"/v1/balances", nil)
	if st != 200 || len(b) != mock.OversizeBytes || !json.Valid(b) {
		t.Fatalf("oversized: %d, %d bytes", st, len(b))
	}

	c.srv.AddFault(mock.Fault{Operation: "getBalance", Kind: mock.FaultDelay, Delay: 150 * time.Millisecond})
	start := time.Now()
	if st, _, _ := c.raw("GET", c.srv.URL+"/v1/balances", nil); st != 200 || time.Since(start) < 150*time.Millisecond {
		t.Fatalf("delay: %d after %v", st, time.Since(start))
	}
}

// TestAnswerFaultsApplyToErrorAnswers: a fault that acts on the answer
// (commit-then-drop, truncated, wrong content type) acts on an error answer
// too, instead of being used up unapplied, so a dropped 409 can be
// scripted and "drop every attempt" really drops every attempt.
func TestAnswerFaultsApplyToErrorAnswers(t *testing.T) {
	c := newClient(t)
	bene := beneficiary(t, c)
	st, m := c.do("POST", "/v1/payouts", payoutBody(bene, "once"))
	if st != 201 {
		t.Fatalf("create: %d %v", st, m)
	}

	// The repeat's 409 is dropped: the caller hears nothing, and nothing
	// more is created.
	c.srv.AddFault(mock.Fault{Operation: "createPayout", Kind: mock.FaultCommitThenDrop})
	if _, err := post(c, "/v1/payouts", payoutBody(bene, "once")); err == nil {
		t.Fatal("a dropped 409: want a transport error")
	}
	if n := c.srv.Count("payouts"); n != 1 {
		t.Fatalf("%d payouts, want 1", n)
	}

	// A 404 answer, truncated.
	c.srv.AddFault(mock.Fault{Operation: "getPayoutById", Kind: mock.FaultTruncated})
	st, h, b := c.raw("GET", c.srv.URL+"/v1/payouts/payout_0123456789abcdef", nil)
	if st != 404 || json.Valid(b) || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("truncated 404: %d %q", st, b)
	}

	// A 400 validation answer, as HTML.
	c.srv.AddFault(mock.Fault{Operation: "createPayout", Kind: mock.FaultWrongContentType})
	st, h, b = c.raw("POST", c.srv.URL+"/v1/payouts", map[string]any{"beneficiary_id": bene})
	if st != 400 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(string(b), "<html>") {
		t.Fatalf("HTML 400: %d %q %q", st, h.Get("Content-Type"), b)
	}

	// Every fault is spent on the call it applied to: the next answers are
	// the API's own.
	if st, _ := c.do("POST", "/v1/payouts", payoutBody(bene, "once")); st != 409 {
		t.Fatalf("after the faults: %d, want 409", st)
	}
}

func post(c *client, p string, body any) (*http.Response, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", c.srv.URL+p, strings.NewReader(string(b)))
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", "application/json")
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func TestAdminEndpoints(t *testing.T) {
	c := newClient(t)
	admin := strings.TrimSuffix(c.srv.URL, "/api") + "/__mock"
	st, _, b := c.raw("POST", admin+"/faults", []byte(`{"operation":"getBalance","kind":"status","status":503,"retry_after":"1"}`))
	if st != 200 {
		t.Fatalf("add fault: %d %s", st, b)
	}
	if st, _, _ := c.raw("GET", c.srv.URL+"/v1/balances", nil); st != 503 {
		t.Fatalf("admin fault did not fire: %d", st)
	}
	st, _, b = c.raw("POST", admin+"/faults", []byte(`[{"kind":"delay","delay":"10ms"},{"kind":"bogus"}]`))
	if st != 400 {
		t.Fatalf("bad fault accepted: %d %s", st, b)
	}
	if st, _, _ := c.raw("DELETE", admin+"/faults", nil); st != 200 {
		t.Fatal("clear faults")
	}
	beneficiary(t, c)
	st, _, b = c.raw("GET", admin+"/state/beneficiaries", nil)
	var state struct{ Count int }
	json.Unmarshal(b, &state)
	if st != 200 || state.Count != 1 {
		t.Fatalf("state: %d %s", st, b)
	}
	if st, _, _ := c.raw("POST", admin+"/webhook", []byte(`{"url":"http://127.0.0.1:1/hook","secret":"s"}`)); st != 200 {
		t.Fatal("set webhook")
	}
	c.key = ""
	if st, _, _ := c.raw("GET", admin+"/faults", nil); st != 401 {
		t.Fatalf("admin without key: %d", st)
	}
}

func TestParseFault(t *testing.T) {
	f, err := mock.ParseFault("op=createPayout,kind=status,status=503,retry_after=2,after=1,times=-1")
	if err != nil || f.Operation != "createPayout" || f.Status != 503 || f.RetryAfter != "2" || f.After != 1 || f.Times != -1 {
		t.Fatalf("%+v %v", f, err)
	}
	if f, err := mock.ParseFault("kind=delay,delay=1.5s"); err != nil || f.Delay != 1500*time.Millisecond {
		t.Fatalf("%+v %v", f, err)
	}
	for _, bad := range []string{"kind=status,status=200", "kind=teleport", "op", "kind=delay,delay=soon"} {
		if _, err := mock.ParseFault(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

package drift_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/drift"
	"github.com/glomo-go/glomo-go/internal/specmodel"
)

const payoutJSON = `{"id":"payout_DdWp_HUbOnlg","status":"queued","source_amount":100000,"source_currency":"USD",` +
	`"destination_currency":"INR","beneficiary_id":"bene_a1b2c3d4e5","purpose_code":"S0802","created_at":"2026-01-01T00:00:00Z",` +
	`"fees":{"fx_fee":{"currency":"USD","amount":200},"txn_fee":{"currency":"USD","amount":100}},"request_id":"req-1","payment_rail":"neft"}`

func jsonHeader() http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return h
}

func TestDefaultIsShared(t *testing.T) {
	a, err := drift.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := drift.Default()
	if a != b {
		t.Fatal("Default returned two validators")
	}
}

func TestCheck(t *testing.T) {
	v, err := drift.Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, method, path string
		status             int
		body               string
		wantOp             string // "" with wantOK false: unknown operation
		wantOK             bool
	}{
		{"payout ok", "GET", "/api/v1/payouts/payout_x", 200, payoutJSON, "getPayoutById", true},
		{"payout without base path", "GET", "/v1/payouts/payout_x", 200, payoutJSON, "getPayoutById", true},
		{"payout behind a proxy prefix", "GET", "/proxy/glomo/api/v1/payouts/payout_x", 200, payoutJSON, "getPayoutById", true},
		{"create payout 201", "POST", "/api/v1/payouts", 201, payoutJSON, "createPayout", true},
		{"mock route beats id route", "PATCH", "/api/v1/payouts/mock", 200, payoutJSON, "mockUpdatePayoutStatus", true},
		{"v2 path", "GET", "/api/v2/beneficiaries/bene_1", 404, `{"error":"Not Found","message":"Beneficiary not found"}`, "getBeneficiaryByIdV2", true},
		{"flat error", "GET", "/api/v1/payouts/payout_x", 404, `{"error":"Not Found","message":"Payout not found"}`, "getPayoutById", true},
		{"bad status enum", "GET", "/api/v1/payouts/payout_x", 200, `{"id":"payout_1","status":"teleported"}`, "getPayoutById", false},
		{"amount as string", "GET", "/api/v1/payouts/payout_x", 200, `{"id":"payout_1","source_amount":"100"}`, "getPayoutById", false},
		{"not json", "GET", "/api/v1/payouts/payout_x", 200, `{"id":`, "getPayoutById", false},
		{"unknown op", "GET", "/api/v1/teleport", 200, `{}`, "", false},
		{"5xx via default", "GET", "/api/v1/balances", 503, `{"error":"Service Unavailable"}`, "getBalance", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := v.Check(c.method, c.path, c.status, jsonHeader(), []byte(c.body))
			if c.wantOK {
				if f != nil {
					t.Fatalf("unexpected finding: %v", f)
				}
				if got := v.OperationID(c.method, c.path); got != c.wantOp {
					t.Fatalf("operation %q, want %q", got, c.wantOp)
				}
				return
			}
			if f == nil {
				t.Fatal("want a finding, got none")
			}
			if f.OperationID != c.wantOp || f.Status != c.status || f.Err == nil {
				t.Fatalf("finding %+v", f)
			}
			if c.wantOp == "" && !errors.Is(f, drift.ErrUnknownOperation) {
				t.Fatalf("want ErrUnknownOperation, got %v", f.Err)
			}
		})
	}
}

func TestWrongContentType(t *testing.T) {
	v, _ := drift.Default()
	h := http.Header{}
	h.Set("Content-Type", "text/html")
	if f := v.Check("GET", "/api/v1/balances", 200, h, []byte("<html>")); f == nil {
		t.Fatal("want a finding for text/html")
	}
}

func TestNewRejectsGarbage(t *testing.T) {
	if _, err := drift.New([]byte("::: not yaml")); err == nil {
		t.Fatal("want an error")
	}
	if _, err := drift.New([]byte("openapi: 3.1.0\n")); err == nil {
		t.Fatal("want an error for a description without paths")
	}
}

func TestConcurrentCheck(t *testing.T) {
	v, _ := drift.Default()
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 50 {
				if f := v.Check("GET", "/api/v1/payouts/payout_x", 200, jsonHeader(), []byte(payoutJSON)); f != nil {
					t.Error(f)
					return
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
}

// BenchmarkCheck measures Check alone on a typical payout response.
func BenchmarkCheck(b *testing.B) {
	v, err := drift.Default()
	if err != nil {
		b.Fatal(err)
	}
	h, body := jsonHeader(), []byte(payoutJSON)
	v.Check("GET", "/api/v1/payouts/payout_x", 200, h, body) // compile once outside the loop
	b.ReportAllocs()
	for b.Loop() {
		if f := v.Check("GET", "/api/v1/payouts/payout_x", 200, h, body); f != nil {
			b.Fatal(f)
		}
	}
}

// BenchmarkCall compares one SDK call (the generated client's
// GetPayoutByIdWithResponse against a loopback server, body decoded into the
// typed result) with and without the drift check; the ratio drift/plain is
// the detector's overhead (target <= 1.5).
func BenchmarkCall(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, payoutJSON)
	}))
	defer srv.Close()
	v, _ := drift.Default()
	client, err := api.NewClientWithResponses(srv.URL+"/api", api.WithHTTPClient(srv.Client()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	call := func(b *testing.B, check bool) {
		res, err := client.GetPayoutByIdWithResponse(ctx, "payout_x")
		if err != nil || res.JSON200 == nil {
			b.Fatal(err)
		}
		if check {
			r := res.HTTPResponse
			if f := v.Check(r.Request.Method, r.Request.URL.Path, r.StatusCode, r.Header, res.Body); f != nil {
				b.Fatal(f)
			}
		}
	}
	call(b, true)
	b.Run("plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			call(b, false)
		}
	})
	b.Run("drift", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			call(b, true)
		}
	})
}

// BenchmarkCallRatio alternates the same SDK call without and with the
// drift check, so machine load hits both equally, and reports the mean cost
// of each and their ratio (target <= 1.5).
func BenchmarkCallRatio(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, payoutJSON)
	}))
	defer srv.Close()
	v, _ := drift.Default()
	client, err := api.NewClientWithResponses(srv.URL+"/api", api.WithHTTPClient(srv.Client()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var plain, checked time.Duration
	n := 0
	for b.Loop() {
		t0 := time.Now()
		res, err := client.GetPayoutByIdWithResponse(ctx, "payout_x")
		if err != nil || res.JSON200 == nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		res, err = client.GetPayoutByIdWithResponse(ctx, "payout_x")
		if err != nil || res.JSON200 == nil {
			b.Fatal(err)
		}
		r := res.HTTPResponse
		if f := v.Check(r.Request.Method, r.Request.URL.Path, r.StatusCode, r.Header, res.Body); f != nil {
			b.Fatal(f)
		}
		t2 := time.Now()
		plain += t1.Sub(t0)
		checked += t2.Sub(t1)
		n++
	}
	b.ReportMetric(float64(plain.Nanoseconds())/float64(n), "ns-plain/call")
	b.ReportMetric(float64(checked.Nanoseconds())/float64(n), "ns-drift/call")
	b.ReportMetric(float64(checked)/float64(plain), "ratio")
}

// BenchmarkKinValidateResponse is the reference Check replaces:
// openapi3filter.ValidateResponse on the same payout answer (it rebuilds a
// JSON Schema compiler per call for a 3.1 document).
func BenchmarkKinValidateResponse(b *testing.B) {
	doc, err := openapi3.NewLoader().LoadFromData(specmodel.OpenAPI)
	if err != nil {
		b.Fatal(err)
	}
	doc.Servers = nil
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		b.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "/v1/payouts/payout_x", nil)
	route, params, err := router.FindRoute(req)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(payoutJSON)
	b.ReportAllocs()
	for b.Loop() {
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 200, Header: jsonHeader(),
		}
		in.SetBodyBytes(body)
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

// Keywords openapi.yaml does not use today (patternProperties here) are
// checked like any other: there is one JSON Schema validator, not a subset
// of one in front of a fallback.
func TestGeneralFallback(t *testing.T) {
	spec := []byte(`openapi: 3.1.0
info: {title: t, version: "1"}
servers: [{url: "https://example.com/base"}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties: {id: {type: string}}
                patternProperties: {"^x_": {type: integer}}
`)
	v, err := drift.New(spec)
	if err != nil {
		t.Fatal(err)
	}
	h := jsonHeader()
	if f := v.Check("GET", "/base/things/1", 200, h, []byte(`{"id":"a","x_n":1}`)); f != nil {
		t.Fatalf("valid body flagged: %v", f)
	}
	if f := v.Check("GET", "/base/things/1", 200, h, []byte(`{"id":"a","x_n":"one"}`)); f == nil || f.OperationID != "getThing" {
		t.Fatalf("patternProperties violation not found: %v", f)
	}
	if f := v.Check("GET", "/base/things/1", 500, h, []byte(`{}`)); f == nil {
		t.Fatal("undocumented status not reported")
	}
}

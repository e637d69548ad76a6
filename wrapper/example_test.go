package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/wrapper"
)

// fakeGlomo stands in for api.glomopay.com in the examples.
func fakeGlomo() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/api/v1/payouts":
			var body map[string]any
			_ = json.NewDecoder(r.Body).Decode(&body)
			_, hasID := body["request_id"].(string)
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(map[string]any{
				"id": "payout_1", "status": "queued", "beneficiary_id": body["beneficiary_id"],
				"destination_amount": body["destination_amount"], "idempotent": hasID,
			})
		case r.Method == http.MethodGet && r.URL.Path == "/api/v1/beneficiaries":
			if r.URL.Query().Get("page") == "2" {
				_, _ = io.WriteString(w, `{"data":[{"id":"bene_1","holder_name":"Asha"}],"page_meta":{"current":2,"next":null}}`)
				return
			}
			_, _ = io.WriteString(w, `{"data":[{"id":"bene_3","holder_name":"Chen"},{"id":"bene_2","holder_name":"Bola"}],"page_meta":{"current":1,"next":2}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":"Not Found","message":"Payout not found"}`)
		}
	}))
}

// Build a client once and share it. The key comes from WithAPIKey or the
// GLOMO_API_KEY environment variable, and never shows up when printed.
func ExampleNew() {
	c, err := wrapper.New(
		wrapper.WithAPIKey("sk_example_secret"),
		wrapper.WithBaseURL("https://api.glomopay.com/api/v1"), // the documented form is accepted
		wrapper.WithMaxRetries(3),
	)
	if err != nil {
		panic(err)
	}
	fmt.Println(c)

	_, err = wrapper.New(wrapper.WithAPIKey("test_publishable"))
	var ce *wrapper.ConfigError
	fmt.Println(errors.As(err, &ce), ce.Field)
	// Output:
	// wrapper.Client{BaseURL: "https://api.glomopay.com/api", APIKey: [REDACTED], MaxRetries: 3}
	// true APIKey
}

// A create is one typed line. Payouts are idempotent: the client sets a
// request_id (or uses yours, see WithRequestID) and reuses it on retries.
func ExampleClient_CreatePayout() {
	srv := fakeGlomo()
	defer srv.Close()
	c, err := wrapper.New(wrapper.WithAPIKey("sk_example_secret"), wrapper.WithBaseURL(srv.URL+"/api"), wrapper.WithHTTPClient(srv.Client()))
	if err != nil {
		panic(err)
	}

	bene, amount := "bene_1", int64(29900) // minor units: 299.00
	var body api.CreatePayoutJSONBody
	if err := body.FromCreatePayoutWithoutQuoteRequest(api.CreatePayoutWithoutQuoteRequest{BeneficiaryId: &bene, DestinationAmount: &amount}); err != nil {
		panic(err)
	}
	var requestID string
	p, err := c.CreatePayout(context.Background(), api.CreatePayoutJSONRequestBody(body), wrapper.WithRequestIDCapture(&requestID))
	if err != nil {
		panic(err)
	}
	fmt.Println(*p.Id, *p.Status, *p.DestinationAmount, len(requestID))
	// Output:
	// payout_1 queued 29900 36
}

// Iterators walk every page: per_page 100, before pinned against page drift,
// one page in memory, and breaking out stops the requests.
func ExampleClient_GetBeneficiariesIter() {
	srv := fakeGlomo()
	defer srv.Close()
	c, err := wrapper.New(wrapper.WithAPIKey("sk_example_secret"), wrapper.WithBaseURL(srv.URL+"/api"), wrapper.WithHTTPClient(srv.Client()))
	if err != nil {
		panic(err)
	}
	for b, err := range c.GetBeneficiariesIter(context.Background(), nil) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(*b.Id, *b.HolderName)
	}
	// Output:
	// bene_3 Chen
	// bene_2 Bola
	// bene_1 Asha
}

// Every non-2xx answer is an *APIError; sentinels and helpers classify it.
func ExampleAPIError() {
	srv := fakeGlomo()
	defer srv.Close()
	c, err := wrapper.New(wrapper.WithAPIKey("sk_example_secret"), wrapper.WithBaseURL(srv.URL+"/api"), wrapper.WithHTTPClient(srv.Client()))
	if err != nil {
		panic(err)
	}
	_, err = c.GetPayoutById(context.Background(), "payout_missing")
	var apiErr *wrapper.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Err, "-", apiErr.Message)
	}
	fmt.Println(wrapper.IsNotFound(err), errors.Is(err, wrapper.ErrNotFound), wrapper.IsRateLimited(err))
	// Output:
	// 404 Not Found - Payout not found
	// true true false
}

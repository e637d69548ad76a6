package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/wrapper"
)

// startMock starts the in-process mock Glomo and a client pointed at it. In
// a test, mock.NewServer(t) does the same and closes the server with the
// test; Examples have no *testing.T, so they use mock.Start.
func startMock(opts ...mock.Option) (*mock.Server, *wrapper.Client) {
	srv, err := mock.Start(opts...)
	if err != nil {
		panic(err)
	}
	c, err := wrapper.New(wrapper.WithAPIKey(srv.Key), wrapper.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	return srv, c
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

// A payout is idempotent: the client sets a request_id (or uses yours, see
// WithRequestID) and reuses it on retries, so one call is one payout.
func ExampleClient_CreatePayout() {
	srv, c := startMock()
	defer srv.Close()
	ctx := context.Background()
	beneID := "bene_acme" // an active beneficiary, seeded into the mock
	if err := srv.Put("beneficiaries", map[string]any{"id": beneID, "status": "active"}); err != nil {
		panic(err)
	}

	var requestID string
	p, err := c.CreatePayout(ctx, api.CreatePayoutWithoutQuoteRequest{
		BeneficiaryId: beneID, SourceCurrency: api.USD, SourceAmount: 29900, // minor units: $299.00
		DestinationCurrency: api.USD, PurposeCode: "S0017",
	}, wrapper.WithRequestIDCapture(&requestID))
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(p.Id, "payout_"), p.Status, p.SourceAmount, len(requestID), srv.Count("payouts"))
	// Output:
	// true in_progress 29900 36 1
}

// Iterators walk every page: per_page 100, before pinned against page drift,
// one page in memory, and breaking out stops the requests.
func ExampleClient_GetPayoutsIter() {
	srv, c := startMock()
	defer srv.Close()
	for i, status := range []string{"queued", "success", "failed"} {
		_ = srv.Put("payouts", map[string]any{"id": fmt.Sprintf("payout_%d", i+1), "status": status, "source_amount": 100 * (i + 1)})
	}
	for p, err := range c.GetPayoutsIter(context.Background(), nil) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(p.Id, p.Status, p.SourceAmount)
	}
	// Output:
	// payout_3 failed 300
	// payout_2 success 200
	// payout_1 queued 100
}

// Every non-2xx answer is an *APIError; sentinels and helpers classify it.
func ExampleAPIError() {
	srv, c := startMock()
	defer srv.Close()
	_, err := c.GetPayoutById(context.Background(), "payout_missing")
	var apiErr *wrapper.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Err, "-", apiErr.Message)
	}
	fmt.Println(wrapper.IsNotFound(err), errors.Is(err, wrapper.ErrNotFound), wrapper.IsRateLimited(err))
	// Output:
	// 404 Not Found - Payout not found
	// true true false
}

package mock_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/wrapper"
)

// In a test, mock.NewServer(t) starts the mock and closes it when the test
// ends; Start does the same outside tests, as here so the example runs.
//
//	func TestPayouts(t *testing.T) {
//		srv := mock.NewServer(t)
//		client, _ := api.NewClientWithResponses(srv.URL, api.WithRequestEditorFn(bearer(srv.Key)))
//		...
//	}
func ExampleNewServer() {
	srv, err := mock.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	client, _ := api.NewClientWithResponses(srv.URL, api.WithRequestEditorFn(
		func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+srv.Key)
			return nil
		}))
	res, err := client.GetBalanceWithResponse(context.Background())
	if err != nil {
		panic(err)
	}
	fmt.Println(res.StatusCode(), res.JSON200 != nil)
	// Output: 200 true
}

// Faults script the API's failures for one operation, here a 503 then the
// normal answer.
func ExampleServer_AddFault() {
	srv, _ := mock.Start()
	defer srv.Close()
	srv.AddFault(mock.Fault{Operation: "getBalance", Kind: mock.FaultStatus, Status: 503, RetryAfter: "1"})

	for range 2 {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/balances", nil)
		req.Header.Set("Authorization", "Bearer "+srv.Key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Output:
	// 503 1
	// 200
}

// State can be read back to check what a service under test did.
func ExampleServer_Count() {
	srv, _ := mock.Start()
	defer srv.Close()
	fmt.Println(srv.Count("payouts"))
	// Output: 0
}

// The typed client works against the mock unchanged: give it the mock's
// URL and key.
func ExampleNewServer_wrapper() {
	srv, err := mock.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	client, err := wrapper.New(wrapper.WithBaseURL(srv.URL), wrapper.WithAPIKey(srv.Key))
	if err != nil {
		panic(err)
	}
	if _, err := client.GetBalance(context.Background()); err != nil {
		panic(err)
	}
	_, err = client.GetPayoutById(context.Background(), "payout_doesnotexist")
	fmt.Println(err != nil)
	// Output: true
}

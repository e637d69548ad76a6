package glomo_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/api"
)

// recorded is one request as the server saw it.
type recorded struct {
	Method, Path, RawQuery string
	Query                  map[string][]string
	Body                   []byte
	ContentType            string
}

// recorder is an httptest server that answers every request with a canned
// JSON body and remembers what arrived, so tests can check the generated
// client's wire format.
func recorder(t *testing.T, status int, answer string) (*httptest.Server, func() []recorded) {
	var (
		mu   sync.Mutex
		seen []recorded
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.URL.Query(), body, r.Header.Get("Content-Type")})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []recorded {
		mu.Lock()
		defer mu.Unlock()
		return append([]recorded(nil), seen...)
	}
}

// The generated client hangs every path from the /api root: /v1 resources
// and /v2 resources are both reachable from one base URL.
func TestGeneratedClientOnTheWire(t *testing.T) {
	ctx := context.Background()

	t.Run("GET with query parameters", func(t *testing.T) {
		srv, seen := recorder(t, 200, `{"data":[{"id":"payout_1","source_amount":29900}],"page_meta":{"current":1,"previous":null,"next":null,"per_page":100,"pages":1,"count":1}}`)
		c, err := api.NewClientWithResponses(srv.URL + "/api")
		require.NoError(t, err)
		status := api.GetPayoutsParamsStatus("success")
		res, err := c.GetPayoutsWithResponse(ctx, &api.GetPayoutsParams{
			BeneficiaryId: api.Ptr("bene_5JU9yv0lGSUP"),
			Status:        &status,
			Before:        api.Ptr("2025-02-18T12:03:44Z"),
			PerPage:       api.Ptr[int64](100),
			Page:          api.Ptr[int64](2),
		})
		require.NoError(t, err)
		got := seen()
		require.Len(t, got, 1)
		assert.Equal(t, "GET", got[0].Method)
		assert.Equal(t, "/api/v1/payouts", got[0].Path)
		assert.Equal(t, map[string][]string{
			"beneficiary_id": {"bene_5JU9yv0lGSUP"},
			"status":         {"success"},
			"before":         {"2025-02-18T12:03:44Z"},
			"per_page":       {"100"},
			"page":           {"2"},
		}, got[0].Query)
		require.NotNil(t, res.JSON200)
		require.Len(t, res.JSON200.Data, 1)
		assert.Equal(t, int64(29900), (res.JSON200.Data)[0].SourceAmount, "amounts decode as exact int64")
		assert.Zero(t, res.JSON200.PageMeta.Next, "null next: the last page")
	})

	t.Run("POST with a JSON body", func(t *testing.T) {
		srv, seen := recorder(t, 201, `{"id":"payout_DdWpHUbOnlg","status":"in_progress","amount":9007199254740993,"currency":"USD"}`)
		c, err := api.NewClientWithResponses(srv.URL + "/api")
		require.NoError(t, err)
		res, err := c.CreateWithdrawalWithResponse(ctx, api.CreateWithdrawalJSONRequestBody{
			Amount:              9007199254740993, // 2^53+1: a float64 would round it
			BalanceCurrency:     "USD",
			WithdrawalAccountId: "accwith_5JU9yv0lGSUP",
		})
		require.NoError(t, err)
		got := seen()
		require.Len(t, got, 1)
		assert.Equal(t, "POST", got[0].Method)
		assert.Equal(t, "/api/v1/withdrawals", got[0].Path)
		assert.Equal(t, "application/json", got[0].ContentType)
		assert.JSONEq(t, `{"amount":9007199254740993,"balance_currency":"USD","withdrawal_account_id":"accwith_5JU9yv0lGSUP"}`, string(got[0].Body))
		require.NotNil(t, res.JSON201)
		assert.Equal(t, int64(9007199254740993), res.JSON201.Amount)
	})

	// A oneOf body must reach the wire as the branch it holds (GG-20): the
	// raw client takes the sealed interface, and the branch value marshals
	// as itself; unset optional fields are not sent (omitzero).
	t.Run("POST with a oneOf body", func(t *testing.T) {
		srv, seen := recorder(t, 201, `{"id":"payout_1","status":"queued"}`)
		c, err := api.NewClientWithResponses(srv.URL + "/api")
		require.NoError(t, err)
		_, err = c.CreatePayoutWithResponse(ctx, api.CreatePayoutWithoutQuoteRequest{
			BeneficiaryId:       "bene_5JU9yv0lGSUP",
			SourceCurrency:      api.USD,
			SourceAmount:        29900,
			DestinationCurrency: api.USD,
			PurposeCode:         "S0017",
			RequestId:           "req-1",
		})
		require.NoError(t, err)
		got := seen()
		require.Len(t, got, 1)
		assert.JSONEq(t, `{"beneficiary_id":"bene_5JU9yv0lGSUP","source_currency":"USD","source_amount":29900,"destination_currency":"USD","purpose_code":"S0017","request_id":"req-1"}`, string(got[0].Body))
	})

	t.Run("path parameter", func(t *testing.T) {
		srv, seen := recorder(t, 200, `{"id":"payout_DdWpHUbOnlg","status":"success"}`)
		c, err := api.NewClientWithResponses(srv.URL + "/api")
		require.NoError(t, err)
		res, err := c.GetPayoutByIdWithResponse(ctx, "payout_DdWpHUbOnlg")
		require.NoError(t, err)
		got := seen()
		require.Len(t, got, 1)
		assert.Equal(t, "GET", got[0].Method)
		assert.Equal(t, "/api/v1/payouts/payout_DdWpHUbOnlg", got[0].Path)
		require.NotNil(t, res.JSON200)
		assert.Equal(t, "payout_DdWpHUbOnlg", res.JSON200.Id)
	})

	// Glomo serves beneficiaries v2 at /api/v2/..., not under /api/v1.
	t.Run("v2 resource URL", func(t *testing.T) {
		srv, seen := recorder(t, 200, `{"id":"bene_698c0615XZocZ"}`)
		c, err := api.NewClientWithResponses(srv.URL + "/api")
		require.NoError(t, err)
		_, err = c.GetBeneficiaryByIdV2WithResponse(ctx, "bene_698c0615XZocZ")
		require.NoError(t, err)
		got := seen()
		require.Len(t, got, 1)
		assert.Equal(t, "/api/v2/beneficiaries/bene_698c0615XZocZ", got[0].Path)
	})

	t.Run("an error body decodes into the shared Error schema", func(t *testing.T) {
		srv, _ := recorder(t, 404, `{"error":"Not Found","message":"Payout not found"}`)
		c, err := api.NewClientWithResponses(srv.URL + "/api")
		require.NoError(t, err)
		res, err := c.GetPayoutByIdWithResponse(ctx, "payout_missing")
		require.NoError(t, err)
		require.NotNil(t, res.JSON404)
		b, _ := json.Marshal(res.JSON404)
		assert.JSONEq(t, `{"error":"Not Found","message":"Payout not found"}`, string(b))
	})
}

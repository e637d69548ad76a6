package drift_test

import (
	"testing"

	"github.com/glomo-go/glomo-go/drift"
)

// FuzzCheck: Check never panics, whatever the method, path, status and body.
func FuzzCheck(f *testing.F) {
	f.Add("GET", "/api/v1/payouts/payout_x", 200, []byte(payoutJSON))
	f.Add("POST", "/api/v1/orders", 201, []byte(`{"id":null,"amount":1.5}`))
	f.Add("GET", "/api/v2/beneficiaries", 200, []byte(`{"data":[{"id":1}],"page_meta":{}}`))
	f.Add("PATCH", "/api/v1/payouts/mock", 404, []byte(`[]`))
	v, err := drift.Default()
	if err != nil {
		f.Fatal(err)
	}
	h := jsonHeader()
	f.Fuzz(func(t *testing.T, method, path string, status int, body []byte) {
		_ = v.Check(method, path, status, h, body)
	})
}

package mock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/glomo-go/glomo-go/mock"
)

// FuzzRequests sends arbitrary methods, paths and bodies: the mock must
// never fail with a 5xx or a body that is not its JSON error shape.
func FuzzRequests(f *testing.F) {
	f.Add("POST", "/api/v1/payouts", []byte(`{"purpose_code":"S0802","beneficiary_id":"bene_x"}`))
	f.Add("GET", "/api/v1/payouts?page=-1&per_page=0", []byte(nil))
	f.Add("PATCH", "/api/v1/payouts/mock", []byte(`{"id":"payout_x","status":"success"}`))
	f.Add("GET", "/api/v1/customer/cust_%00", []byte(nil))
	f.Add("POST", "/api/v1/refunds", []byte(`{"payment_id":["x"],"reason":null}`))
	f.Add("DELETE", "/api/v1/virtual-accounts?payment_type=local&currency=", []byte(nil))
	f.Add("POST", "/api/v1/payment/mock", []byte(`{"amount":1e308,"currency":"USD"}`))
	h, key, err := mock.NewHandler()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, path string, body []byte) {
		if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "/__mock/") {
			return
		}
		req, err := http.NewRequest(method, "http://mock"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
		}
		if path == "/" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			return
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s %s: %d, body not JSON: %q", method, path, res.StatusCode, b)
		}
		if res.StatusCode >= 400 {
			m, _ := v.(map[string]any)
			if _, ok := m["error"].(string); !ok {
				t.Fatalf("%s %s: %d, not the error shape: %s", method, path, res.StatusCode, b)
			}
		}
	})
}

package mock_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/glomo-go/glomo-go/internal/contract"
	"github.com/glomo-go/glomo-go/mock"
)

// TestEveryOperationConforms calls every operation of openapi.yaml against
// the mock and validates each answer with openapi3filter.ValidateResponse.
func TestEveryOperationConforms(t *testing.T) {
	spec, err := contract.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	srv := mock.NewServer(t, mock.WithBeneficiaryReview())
	r := contract.NewRunner(spec, contract.HTTPCaller(srv.URL, srv.Key, http.DefaultClient))
	ctx := context.Background()
	for _, op := range spec.Ops {
		t.Run(op.ID, func(t *testing.T) {
			res, req, err := r.Do(ctx, op, !op.ReadOnly)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status/100 != 2 {
				t.Errorf("status %d: %s (request %s)", res.Status, res.Body, req.Body)
			}
			if err := spec.Validate(ctx, res); err != nil {
				t.Errorf("response does not conform: %v\nbody: %s", err, res.Body)
			}
		})
	}
}

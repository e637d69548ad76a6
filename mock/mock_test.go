package mock_test

import (
	"context"
	"net/http"
	"strings"
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

// TestErrorAnswersConform checks the mock's error answers against the spec
// for every operation: 401 without a key, and for operations with a
// prefixed id in the path, 400 for a wrong prefix and 404 for an unknown id.
func TestErrorAnswersConform(t *testing.T) {
	spec, err := contract.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	srv := mock.NewServer(t)
	r := contract.NewRunner(spec, contract.HTTPCaller(srv.URL, srv.Key, http.DefaultClient))
	r.NoCreate = true
	anon := contract.HTTPCaller(srv.URL, "", http.DefaultClient)
	ctx := context.Background()
	for _, op := range spec.Ops {
		t.Run(op.ID, func(t *testing.T) {
			req, err := r.Build(ctx, op, false)
			if err != nil {
				// ids that only a create would give: use made-up ones.
				req = &contract.Request{Op: op, PathParams: map[string]string{}}
				for _, p := range pathParams(op.Path) {
					req.PathParams[p] = "x_1"
				}
				if op.HasBody {
					req.Body, _ = mock.RequestBody(op.ID)
				}
			}
			check := func(what string, want int, req *contract.Request, call contract.Caller) {
				res, err := call(ctx, req)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if res.Status != want {
					t.Errorf("%s: status %d, want %d: %s", what, res.Status, want, res.Body)
				}
				if err := spec.Validate(ctx, res); err != nil {
					t.Errorf("%s: %d answer does not conform: %v", what, res.Status, err)
				}
			}
			check("no key", 401, req, anon)
			for name, prefix := range spec.PathPrefixes(op) {
				bad := *req
				bad.PathParams = map[string]string{}
				for k, v := range req.PathParams {
					bad.PathParams[k] = v
				}
				bad.PathParams[name] = "zz_wrongprefix"
				check("wrong prefix", 400, &bad, r.Call)
				bad.PathParams[name] = prefix + "doesnotexist"
				check("unknown id", 404, &bad, r.Call)
			}
		})
	}
}

func pathParams(p string) []string {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, "{") {
			out = append(out, strings.Trim(seg, "{}"))
		}
	}
	return out
}

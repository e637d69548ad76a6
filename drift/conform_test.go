package drift

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/glomo-go/glomo-go/internal/contract"
	"github.com/glomo-go/glomo-go/internal/specmodel"
	"github.com/glomo-go/glomo-go/mock"
)

// TestAgreesWithKinOpenAPI checks Check against kin-openapi's
// openapi3filter.ValidateResponse (through contract.Spec.Validate), which
// finds the route, the documented response and the media type its own way:
// on every operation's mock answer (which must conform) and on mutations
// of it (each top-level and nested field given a wrong type, or removed),
// both must give the same verdict. One difference is by design: drift
// treats "format" as an annotation, as JSON Schema 2020-12 does by default
// (a malformed timestamp is the client decoder's to refuse), and
// kin-openapi asserts some formats. A body only kin-openapi refuses is
// accepted as that difference when a Validator asserting formats refuses
// it too: the two Validators differ in nothing else.
func TestAgreesWithKinOpenAPI(t *testing.T) {
	v, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	withFormats, err := newValidator(specmodel.OpenAPI, true)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := contract.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	srv := mock.NewServer(t, mock.WithBeneficiaryReview())
	r := contract.NewRunner(spec, contract.HTTPCaller(srv.URL, srv.Key, http.DefaultClient))
	ctx := context.Background()
	checked, flagged, formats := 0, 0, 0
	for _, op := range spec.Ops {
		res, _, err := r.Do(ctx, op, !op.ReadOnly)
		if err != nil {
			t.Fatalf("%s: %v", op.ID, err)
		}
		method, path := res.Request.Method, res.Request.URL.Path
		if v.find(method, path) == nil {
			t.Fatalf("%s: no operation for %s %s", op.ID, method, path)
		}
		if f := v.Check(method, path, res.Status, res.Header, res.Body); f != nil {
			t.Errorf("%s: mock answer flagged: %v", op.ID, f)
		}
		if !strings.Contains(res.Header.Get("Content-Type"), "json") {
			continue
		}
		for _, body := range spread(mutations(res.Body), maxMutations) {
			checked++
			ours := v.Check(method, path, res.Status, res.Header, body) == nil
			m := *res
			m.Body = body
			kinErr := spec.Validate(ctx, &m)
			if !ours {
				flagged++
			}
			if ours && kinErr != nil && withFormats.Check(method, path, res.Status, res.Header, body) != nil {
				formats++
				continue
			}
			if ours != (kinErr == nil) {
				t.Errorf("%s: drift says conforms=%v, kin-openapi says %v, for %s", op.ID, ours, kinErr, body)
			}
		}
	}
	t.Logf("%d bodies cross-checked: %d flagged by both, %d by kin-openapi on a format", checked, flagged, formats)
	if flagged == 0 {
		t.Fatal("no mutation was flagged: the cross-check checked nothing")
	}
}

// maxMutations bounds the bodies cross-checked per operation:
// openapi3filter builds a JSON Schema validator per call for an OpenAPI
// 3.1 document (milliseconds each), and every mutation of every operation
// would make this the slowest test of the module under -race.
const maxMutations = 30

// spread keeps at most n of bodies, evenly spaced, always the first (the
// unmutated answer).
func spread(bodies [][]byte, n int) [][]byte {
	if len(bodies) <= n {
		return bodies
	}
	out := make([][]byte, 0, n)
	for i := range n {
		out = append(out, bodies[i*len(bodies)/n])
	}
	return out
}

// mutations returns body and copies with one top-level (and one nested)
// field replaced by a value of another type, or removed.
func mutations(body []byte) [][]byte {
	out := [][]byte{body}
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return out
	}
	wrong := func(v any) []any {
		switch v.(type) {
		case string:
			return []any{12345.0, true, "teleported"}
		case float64:
			return []any{"12", 1.5, -1.0}
		case bool:
			return []any{"yes"}
		case nil:
			return []any{map[string]any{}, "x"}
		case []any:
			return []any{"x", []any{"x", 1.0}}
		case map[string]any:
			return []any{"x", []any{}}
		}
		return nil
	}
	for k, v := range m {
		for _, w := range wrong(v) {
			cp := clone(m)
			cp[k] = w
			b, _ := json.Marshal(cp)
			out = append(out, b)
		}
		if sub, ok := v.(map[string]any); ok {
			for sk, sv := range sub {
				for _, w := range wrong(sv) {
					cp := clone(m)
					cp[k].(map[string]any)[sk] = w
					b, _ := json.Marshal(cp)
					out = append(out, b)
				}
			}
		}
		if arr, ok := v.([]any); ok && len(arr) > 0 {
			if item, ok := arr[0].(map[string]any); ok {
				for ik, iv := range item {
					for _, w := range wrong(iv) {
						cp := clone(m)
						cp[k].([]any)[0].(map[string]any)[ik] = w
						b, _ := json.Marshal(cp)
						out = append(out, b)
					}
				}
			}
		}
		cp := clone(m)
		delete(cp, k)
		b, _ := json.Marshal(cp)
		out = append(out, b)
	}
	return out
}

func clone(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	json.Unmarshal(b, &out)
	return out
}

package drift

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/glomo-go/glomo-go/internal/contract"
	"github.com/glomo-go/glomo-go/mock"
)

// TestFastAgreesWithGeneral checks that the fast validator gives the same
// verdict as the general JSON Schema validator on every operation's mock
// answer and on mutations of it (each top-level field given a wrong type).
func TestFastAgreesWithGeneral(t *testing.T) {
	v, err := Default()
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
	var general []string
	checked := 0
	for _, op := range spec.Ops {
		res, _, err := r.Do(ctx, op, !op.ReadOnly)
		if err != nil {
			t.Fatalf("%s: %v", op.ID, err)
		}
		method, path := res.Request.Method, res.Request.URL.Path
		o := v.find(method, path)
		if o == nil {
			t.Fatalf("%s: no operation for %s %s", op.ID, method, path)
		}
		if f := v.Check(method, path, res.Status, res.Header, res.Body); f != nil {
			t.Errorf("%s: mock answer flagged: %v", op.ID, f)
		}
		resp := o.responses[http.StatusText(0)]
		for code, rr := range o.responses {
			if code == itoa(res.Status) {
				resp = rr
			}
		}
		if resp == nil {
			continue
		}
		c := resp.media["application/json"]
		if c == nil {
			continue
		}
		if c.fast == nil {
			general = append(general, op.ID)
			continue
		}
		for _, body := range mutations(res.Body) {
			checked++
			var inst any
			json.Unmarshal(body, &inst)
			fastOK := c.fast.validate(inst, nil) == nil
			genOK := v.checkGeneral(c, op.ID, res.Status, body) == nil
			if fastOK != genOK {
				t.Errorf("%s: fast says %v, general says %v, for %s", op.ID, fastOK, genOK, body)
			}
		}
	}
	t.Logf("%d bodies cross-checked; operations on the general validator: %s", checked, strings.Join(general, ", "))
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

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

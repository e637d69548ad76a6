package mock_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/internal/contract"
	"github.com/glomo-go/glomo-go/internal/specmodel"
	"github.com/glomo-go/glomo-go/mock"
)

// moved lists where a create's answer shows a sent field under another
// name (path in the request → path in the answer, dot-separated); "*."
// lifts every field of a sent object to the top level.
var moved = map[string]map[string]string{
	"createBalanceConversion": {"source_currency": "from.currency", "source_amount": "from.amount", "target_currency": "to.currency", "target_amount": "to.amount"},
	"createInternalTransfer":  {"amount": "transfer_amount", "currency": "transfer_currency"},
	"createMockPayment":       {"amount": "payment_amount", "currency": "payment_currency"},
	"createSettlement":        {"balance_currency": "currency"},
	"createWithdrawal":        {"balance_currency": "balance_used.0.currency"},
	"createBeneficiaryV2":     {"beneficiary.*": "*"},
}

// collectionOf is where the objects of a create that is not on its
// collection's path are read back.
var collectionOf = map[string]string{"createMockPayment": "/v1/payment"}

// leaves flattens a JSON value into path → scalar (arrays by index).
func leaves(prefix string, v any, out map[string]any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			leaves(join(prefix, k), e, out)
		}
	case []any:
		for i, e := range t {
			leaves(join(prefix, fmt.Sprint(i)), e, out)
		}
	default:
		out[prefix] = t
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func at(v any, path string) (any, bool) {
	for _, k := range strings.Split(path, ".") {
		switch t := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = t[k]; !ok {
				return nil, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscan(k, &i); err != nil || i >= len(t) {
				return nil, false
			}
			v = t[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func setAt(v any, path string, val any) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		v, _ = at(v, k)
	}
	last := keys[len(keys)-1]
	switch t := v.(type) {
	case map[string]any:
		t[last] = val
	case []any:
		var i int
		fmt.Sscan(last, &i)
		t[i] = val
	}
}

// distinct is a value of v's type that no example uses.
func distinct(v any, n int) any {
	switch t := v.(type) {
	case string:
		return fmt.Sprintf("Zq%d%s", n, t)
	case float64:
		return t + float64(7+n)
	case bool:
		return !t
	}
	return v
}

// answerPath is where the answer shows the request's leaf path.
func answerPath(op, path string) string {
	for from, to := range moved[op] {
		if p, ok := strings.CutSuffix(from, ".*"); ok {
			if rest, ok := strings.CutPrefix(path, p+"."); ok {
				return rest
			}
			continue
		}
		if path == from || strings.HasPrefix(path, from+".") {
			return to + strings.TrimPrefix(path, from)
		}
	}
	return path
}

// TestCreatesAnswerWhatWasSent creates one object with every create
// operation, with distinctive values wherever the mock accepts them, and
// checks that every sent field the answer has a place for comes back
// unchanged in the create answer, from GET by id and in the list.
func TestCreatesAnswerWhatWasSent(t *testing.T) {
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	kinds, err := mock.Operations()
	require.NoError(t, err)
	model, err := specmodel.Default()
	require.NoError(t, err)
	srv := mock.NewServer(t)
	r := contract.NewRunner(spec, contract.HTTPCaller(srv.URL, srv.Key, http.DefaultClient))
	ctx := context.Background()
	checked := 0
	for _, op := range spec.Ops {
		if kinds[op.ID] != "create" {
			continue
		}
		t.Run(op.ID, func(t *testing.T) {
			req, err := r.Build(ctx, op, true)
			require.NoError(t, err)
			// The operation's preconditions (a fresh quote for a quote
			// payout), as the contract tests run them.
			if setup := r.Setups[op.ID]; setup != nil {
				require.NoError(t, setup(ctx, r, req))
			}
			var body map[string]any
			if json.Unmarshal(req.Body, &body) == nil && body != nil {
				// Make each leaf distinctive where the request schema allows
				// it; ids stay as built, since they must name what exists.
				sch := model.Op(op.ID).RequestSchema
				sent := map[string]any{}
				leaves("", body, sent)
				paths := make([]string, 0, len(sent))
				for p := range sent {
					paths = append(paths, p)
				}
				sort.Strings(paths)
				for i, p := range paths {
					name := p[strings.LastIndex(p, ".")+1:]
					// Ids must name what exists and currencies what the
					// account holds: they stay as built.
					if name == "id" || strings.HasSuffix(name, "_id") || strings.Contains(p, "_ids") || strings.Contains(name, "currency") {
						continue
					}
					old := sent[p]
					setAt(body, p, distinct(old, i))
					if sch == nil || sch.Value.VisitJSON(roundTrip(body)) != nil {
						setAt(body, p, old)
					}
				}
				req.Body, _ = json.Marshal(body)
			}
			res, err := r.Call(ctx, req)
			require.NoError(t, err)
			require.Equal(t, 2, res.Status/100, "%s", res.Body)
			var created map[string]any
			require.NoError(t, json.Unmarshal(res.Body, &created))
			id, _ := created["id"].(string)
			if id == "" {
				id, _ = created["account_id"].(string)
			}
			require.NotEmpty(t, id, "%s", res.Body)

			answers := map[string]map[string]any{"create": created}
			coll := op.Path
			if c, ok := collectionOf[op.ID]; ok {
				coll = c
			}
			if get := itemOp(spec, "GET", coll); get != nil {
				q := &contract.Request{Op: get, PathParams: map[string]string{"id": id}}
				for _, name := range pathParams(get.Path) {
					q.PathParams[name] = req.PathParams[name]
				}
				q.PathParams[pathParams(get.Path)[len(pathParams(get.Path))-1]] = id
				gres, err := r.Call(ctx, q)
				require.NoError(t, err)
				require.Equal(t, 200, gres.Status, "%s", gres.Body)
				var m map[string]any
				require.NoError(t, json.Unmarshal(gres.Body, &m))
				answers["get"] = m
			}
			if list := collectionOp(spec, "GET", coll); list != nil {
				q := &contract.Request{Op: list, PathParams: req.PathParams, Query: map[string][]string{"per_page": {"100"}}}
				lres, err := r.Call(ctx, q)
				require.NoError(t, err)
				require.Equal(t, 200, lres.Status, "%s", lres.Body)
				var page struct{ Data []map[string]any }
				if json.Unmarshal(lres.Body, &page) != nil { // a bare array
					require.NoError(t, json.Unmarshal(lres.Body, &page.Data))
				}
				for _, it := range page.Data {
					if it["id"] == id || it["account_id"] == id {
						answers["list"] = it
					}
				}
				assert.Contains(t, answers, "list", "the list shows %s", id)
			}
			now := map[string]any{}
			leaves("", body, now)
			for p, v := range now {
				where := answerPath(op.ID, p)
				top := strings.Split(where, ".")[0]
				if got, ok := at(created, where); !ok || !fits(v, got) {
					// No place of that shape for it in the answer's schema (a
					// string sent where the answer has an object, or no
					// such property).
					t.Logf("not answered: %s", p)
					continue
				}
				for name, a := range answers {
					if _, has := a[top]; !has {
						continue // this operation's schema does not show it
					}
					got, ok := at(a, where)
					if m, isObj := got.(map[string]any); isObj && m["id"] != nil {
						got = m["id"] // a sent id answered as the object it names
					}
					if assert.True(t, ok, "%s: %s (sent as %s) missing", name, where, p) {
						assert.Equal(t, v, got, "%s: %s (sent as %s)", name, where, p)
					}
				}
				checked++
			}
		})
	}
	assert.Greater(t, checked, 100, "fields checked")
}

// fits reports whether an answer's value got can hold the sent scalar v:
// a scalar, or an object naming it by id.
func fits(v, got any) bool {
	switch g := got.(type) {
	case map[string]any:
		return g["id"] != nil
	case []any:
		return false
	}
	return true
}

// roundTrip gives v the types encoding/json decodes into.
func roundTrip(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// itemOp is the operation at path + "/{…}" with method.
func itemOp(spec *contract.Spec, method, path string) *contract.Op {
	for _, o := range spec.Ops {
		if o.Method == method && strings.HasPrefix(o.Path, path+"/{") && strings.Count(o.Path, "/") == strings.Count(path, "/")+1 {
			return o
		}
	}
	return nil
}

// collectionOp is the operation at path with method.
func collectionOp(spec *contract.Spec, method, path string) *contract.Op {
	for _, o := range spec.Ops {
		if o.Method == method && o.Path == path {
			return o
		}
	}
	return nil
}

package main

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// canon renders a value as JSON for comparison; a description-only edit
// still counts for schemas, as before, since descriptions become Go comments.
func canon(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (c *Changes) detail(key string, lines []string) {
	if len(lines) > 0 {
		c.Details[key] = lines
	}
}

// setDiff names the keys only one side has and the shared keys whose
// rendering differs, as "added `k`", "removed `k`", "changed `k`".
func setDiff(what string, oldM, newM map[string]string) []string {
	var added, removed, changed []string
	for k, n := range newM {
		o, ok := oldM[k]
		switch {
		case !ok:
			added = append(added, k)
		case o != n:
			changed = append(changed, k)
		}
	}
	for k := range oldM {
		if _, ok := newM[k]; !ok {
			removed = append(removed, k)
		}
	}
	var out []string
	for _, g := range []struct {
		verb string
		keys []string
	}{{"removed", removed}, {"added", added}, {"changed", changed}} {
		if len(g.keys) == 0 {
			continue
		}
		sort.Strings(g.keys)
		out = append(out, g.verb+" "+what+" `"+strings.Join(g.keys, "`, `")+"`")
	}
	return out
}

// schemaDetails compares the top-level shape of a schema: its properties,
// which of them are required, and its type. Deeper differences show as a
// changed property.
func schemaDetails(o, n *openapi3.Schema) []string {
	if o == nil || n == nil {
		return nil
	}
	props := func(s *openapi3.Schema) map[string]string {
		m := map[string]string{}
		for k, p := range s.Properties {
			m[k] = canon(p)
		}
		return m
	}
	out := setDiff("property", props(o), props(n))
	req := func(s *openapi3.Schema) map[string]string {
		m := map[string]string{}
		for _, k := range s.Required {
			m[k] = ""
		}
		return m
	}
	for _, line := range setDiff("required", req(o), req(n)) {
		// "removed required `x`" reads better as "no longer required `x`".
		line = strings.Replace(line, "removed required", "no longer required", 1)
		out = append(out, strings.Replace(line, "added required", "now required", 1))
	}
	if typ(o) != typ(n) {
		out = append(out, "type "+typ(o)+" → "+typ(n))
	}
	for _, f := range []struct {
		name string
		o, n openapi3.SchemaRefs
	}{{"oneOf", o.OneOf, n.OneOf}, {"anyOf", o.AnyOf, n.AnyOf}, {"allOf", o.AllOf, n.AllOf}} {
		if canon(f.o) != canon(f.n) {
			out = append(out, "changed "+f.name)
		}
	}
	if len(out) == 0 {
		out = append(out, "changed constraints, examples or descriptions")
	}
	return out
}

// typ renders a schema's type as "object" or "object|null" ("any" when unset).
func typ(s *openapi3.Schema) string {
	if s.Type == nil || len(s.Type.Slice()) == 0 {
		return "any"
	}
	return strings.Join(s.Type.Slice(), "|")
}

// opDetails compares an operation's parameters (by location and name),
// request body and responses (by status).
func opDetails(o, n opEntry) []string {
	params := func(op *openapi3.Operation) map[string]string {
		m := map[string]string{}
		for _, p := range op.Parameters {
			if p.Value != nil {
				m[p.Value.In+" "+p.Value.Name] = canon(p)
			}
		}
		return m
	}
	out := setDiff("parameter", params(o.op), params(n.op))
	if canon(o.op.RequestBody) != canon(n.op.RequestBody) {
		out = append(out, "changed request body")
	}
	responses := func(op *openapi3.Operation) map[string]string {
		m := map[string]string{}
		if op.Responses != nil {
			for k, r := range op.Responses.Map() {
				m[k] = canon(r)
			}
		}
		return m
	}
	out = append(out, setDiff("response", responses(o.op), responses(n.op))...)
	if o.label != n.label {
		out = append(out, "moved from "+o.label)
	}
	if len(out) == 0 {
		out = append(out, "changed security, tags or extensions")
	}
	return out
}

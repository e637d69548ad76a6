package mock

import (
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/glomo-go/glomo-go/internal/specmodel"
)

// compose builds the object a create stores from its request, shaped by
// the response schema s:
//
//   - a property the request sent (and whose value fits) comes back as sent;
//   - a sent object that s has no place for lends its fields to the top
//     level, so {"beneficiary": {"name": …}} answers "name";
//   - every other property is blank: null where the schema allows it, an
//     object of blanks, an empty array, else the schema's own example.
//
// Server-set fields (id, status, timestamps, computed amounts) are filled
// in afterwards by the create and its rule, so an example never stands
// where the request or the mock's state can say what the value is.
func compose(s *openapi3.SchemaRef, sent map[string]any) map[string]any {
	props := properties(s)
	lent := map[string]any{}
	for k, v := range sent {
		if _, ok := props[k]; ok {
			continue
		}
		if m, ok := v.(map[string]any); ok {
			for kk, vv := range m {
				if _, taken := sent[kk]; !taken {
					lent[kk] = vv
				}
			}
		}
	}
	out := make(map[string]any, len(props))
	for name, p := range props {
		if p.Value == nil || p.Value.WriteOnly {
			continue
		}
		v, ok := sent[name]
		if !ok {
			v, ok = lent[name]
		}
		if ok {
			if c := clone(v); p.Value.VisitJSON(c) == nil {
				out[name] = c
				continue
			}
			if c := idsAsObjects(p, v); c != nil && p.Value.VisitJSON(c) == nil {
				out[name] = c
				continue
			}
		}
		out[name] = blank(p, 0)
	}
	return out
}

// blank is the value of a property nothing determines.
func blank(p *openapi3.SchemaRef, depth int) any {
	v := p.Value
	switch {
	case v.Type.Includes("null") || v.Nullable:
		return nil
	case v.Type.Includes("array"):
		return []any{}
	case (v.Type.Includes("object") || v.Type == nil) && len(v.Properties) > 0 && depth < 6:
		out := map[string]any{}
		for name, sp := range v.Properties {
			if sp.Value != nil && !sp.Value.WriteOnly {
				out[name] = blank(sp, depth+1)
			}
		}
		return out
	}
	return build(p, 0)
}

// idsAsObjects answers a sent list of ids (["doc_1"]) in the shape of a
// schema whose items are objects with an id ([{"id": "doc_1"}]); nil when
// that does not apply.
func idsAsObjects(p *openapi3.SchemaRef, v any) any {
	list, ok := v.([]any)
	if !ok || p.Value.Items == nil || !specmodel.HasProperty(p.Value.Items, "id") {
		return nil
	}
	out := make([]any, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil
		}
		out = append(out, map[string]any{"id": s})
	}
	return out
}

package mock

import (
	"encoding/json"
	"maps"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/glomo-go/glomo-go/internal/specmodel"
)

// build makes a value for schema s from the spec alone: the schema's own
// example when it has one, else a value assembled from its properties,
// branches, enums and formats. Every value it returns is meant to validate
// against s.
func build(s *openapi3.SchemaRef, depth int) any {
	if s == nil || s.Value == nil {
		return map[string]any{}
	}
	v := s.Value
	if v.Example != nil {
		return clone(v.Example)
	}
	if len(v.Examples) > 0 && v.Examples[0] != nil {
		return clone(v.Examples[0])
	}
	if depth > 8 {
		if v.Type.Includes("null") {
			return nil
		}
		if v.Type.Includes("array") {
			return []any{}
		}
		return map[string]any{}
	}
	if v.Const != nil {
		return clone(v.Const)
	}
	if len(v.AllOf) > 0 {
		out := map[string]any{}
		for _, b := range v.AllOf {
			if m, ok := build(b, depth+1).(map[string]any); ok {
				maps.Copy(out, m)
			}
		}
		for name, p := range v.Properties {
			if _, ok := out[name]; !ok && !p.Value.WriteOnly {
				out[name] = build(p, depth+1)
			}
		}
		return out
	}
	for _, group := range [][]*openapi3.SchemaRef{v.OneOf, v.AnyOf} {
		if len(group) == 0 {
			continue
		}
		for _, b := range group {
			cand := build(b, depth+1)
			if m, ok := cand.(map[string]any); ok && len(v.Properties) > 0 {
				for name, p := range v.Properties {
					if _, ok := m[name]; !ok {
						m[name] = build(p, depth+1)
					}
				}
			}
			if v.VisitJSON(jsonRoundTrip(cand)) == nil {
				return cand
			}
		}
		return build(group[0], depth+1)
	}
	for _, e := range v.Enum {
		if e != nil {
			return clone(e)
		}
	}
	t := v.Type
	switch {
	case t == nil && len(v.Properties) > 0, t.Includes("object"):
		out := map[string]any{}
		for name, p := range v.Properties {
			if p.Value != nil && p.Value.WriteOnly {
				continue
			}
			out[name] = build(p, depth+1)
		}
		return out
	case t.Includes("array"):
		if v.Items == nil {
			return []any{}
		}
		n := max(1, int(v.MinItems))
		out := make([]any, 0, n)
		for range n {
			out = append(out, build(v.Items, depth+1))
		}
		return out
	case t.Includes("string"):
		switch v.Format {
		case "date-time":
			return "2026-01-01T00:00:00Z"
		case "date":
			return "2026-01-01"
		case "email":
			return "user@example.com"
		case "uri", "url":
			return "https://example.com"
		case "uuid":
			return "00000000-0000-4000-8000-000000000000"
		case "iso-4217":
			return "USD"
		}
		s := "string"
		if v.MinLength > uint64(len(s)) {
			s = strings.Repeat("x", int(v.MinLength))
		}
		if v.MaxLength != nil && uint64(len(s)) > *v.MaxLength {
			s = s[:*v.MaxLength]
		}
		return s
	case t.Includes("integer"), t.Includes("number"):
		n := 1.0
		if v.Min != nil && *v.Min > n {
			n = *v.Min
		}
		if v.Max != nil && *v.Max < n {
			n = *v.Max
		}
		return n
	case t.Includes("boolean"):
		return false
	case t.Includes("null"):
		return nil
	}
	return map[string]any{}
}

// render answers with schema s for a stored object: build(s), then every
// field of obj that s declares and whose value fits the declared property.
func render(s *openapi3.SchemaRef, obj map[string]any) any {
	if open(s) && obj != nil {
		// An undocumented, open body: answer the object itself.
		if c := clone(obj); s.Value.VisitJSON(c) == nil {
			return c
		}
	}
	base := build(s, 0)
	m, ok := base.(map[string]any)
	if !ok || obj == nil {
		return base
	}
	props := properties(s)
	for k, val := range obj {
		p, ok := props[k]
		if !ok || p.Value == nil {
			continue
		}
		if val == nil {
			if nullAllowed(s, k) {
				m[k] = nil
			} else {
				delete(m, k) // unset: better absent than an example
			}
			continue
		}
		if p.Value.VisitJSON(jsonRoundTrip(val)) == nil {
			m[k] = clone(val)
		}
	}
	if s != nil && s.Value != nil && (len(s.Value.OneOf) > 0 || len(s.Value.AnyOf) > 0) {
		if s.Value.VisitJSON(jsonRoundTrip(m)) != nil {
			return base
		}
	}
	return m
}

// nullAllowed reports whether every declaration of property name in s
// (through allOf, oneOf and anyOf) accepts null.
func nullAllowed(s *openapi3.SchemaRef, name string) bool {
	for n, p := range specmodel.Properties(s) {
		if n == name && p.Value != nil && p.Value.VisitJSON(nil) != nil {
			return false
		}
	}
	return true
}

// properties collects the declared properties of s, through allOf, oneOf
// and anyOf; where a name is declared more than once, the declaration that
// takes precedence (see specmodel.Properties).
func properties(s *openapi3.SchemaRef) map[string]*openapi3.SchemaRef {
	out := map[string]*openapi3.SchemaRef{}
	for name, p := range specmodel.Properties(s) {
		if _, ok := out[name]; !ok {
			out[name] = p
		}
	}
	return out
}

// mediaExample returns the first example of a media type object, if any.
func mediaExample(mt *openapi3.MediaType) (any, bool) {
	if mt == nil {
		return nil, false
	}
	if mt.Example != nil {
		return clone(mt.Example), true
	}
	keys := make([]string, 0, len(mt.Examples))
	for k := range mt.Examples {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if ex := mt.Examples[k]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return clone(ex.Value.Value), true
		}
	}
	return nil, false
}

// clone deep-copies a JSON-like value, normalising numbers to float64 the
// way encoding/json decodes them.
func clone(v any) any {
	return jsonRoundTrip(v)
}

func jsonRoundTrip(v any) any {
	switch t := v.(type) {
	case nil, string, bool, float64:
		return t
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = jsonRoundTrip(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = jsonRoundTrip(e)
		}
		return out
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

// open reports whether s is an object schema that declares nothing about
// its properties and allows any (an undocumented body kept open).
func open(s *openapi3.SchemaRef) bool {
	if s == nil || s.Value == nil {
		return false
	}
	v := s.Value
	if len(v.Properties) > 0 || len(v.AllOf)+len(v.OneOf)+len(v.AnyOf) > 0 || v.Example != nil {
		return false
	}
	if v.AdditionalProperties.Has != nil && !*v.AdditionalProperties.Has {
		return false
	}
	return v.Type == nil || v.Type.Is("object")
}

package mock

import (
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// extraIndexes are fields the hand-written rules look objects up by, beyond
// the lists' equality filters.
var extraIndexes = map[string][]string{
	"customer":         {"email", "country"},
	"virtual-accounts": {"payment_type", "currency", "status"},
	"payouts":          {"status"},
}

// listShapes derives, per list operation, its equality filters (query
// parameters named like a property of the items, dates excepted: ranges
// such as start_date are not equality filters) and the envelope of its
// answer without data and page_meta.
func listShapes(m *specModel) (map[string]map[string]bool, map[string]map[string]any) {
	filters := map[string]map[string]bool{}
	envelopes := map[string]map[string]any{}
	for _, id := range m.order {
		o := m.ops[id]
		if o.kind != kindList {
			continue
		}
		f := map[string]bool{}
		props := properties(o.itemSch)
		for _, p := range o.op.Parameters {
			if p.Value == nil || p.Value.In != openapi3.ParameterInQuery || pagingParams[p.Value.Name] || p.Value.Name == "request_id" {
				continue
			}
			sp, ok := props[p.Value.Name]
			if ok && sp.Value != nil && sp.Value.Format != "date" && sp.Value.Format != "date-time" {
				f[p.Value.Name] = true
			}
		}
		filters[id] = f
		env, _ := build(o.schema, 0).(map[string]any)
		delete(env, "data")
		delete(env, "page_meta")
		envelopes[id] = env
	}
	return filters, envelopes
}

// indexedFields is, per resource, every field a list filters on or a rule
// looks up by.
func indexedFields(m *specModel, filters map[string]map[string]bool) map[string][]string {
	set := map[string]map[string]bool{}
	add := func(res, f string) {
		if set[res] == nil {
			set[res] = map[string]bool{}
		}
		set[res][f] = true
	}
	for id, f := range filters {
		for name := range f {
			add(m.ops[id].resource, name)
		}
	}
	for res, fs := range extraIndexes {
		for _, f := range fs {
			add(res, f)
		}
	}
	out := map[string][]string{}
	for res, fs := range set {
		out[res] = slices.Sorted(maps.Keys(fs))
	}
	return out
}

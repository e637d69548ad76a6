package specsync

import (
	"slices"

	yaml "go.yaml.in/yaml/v3"
)

// Fixes that state what the docs document and the files leave as free
// text: enums, list bounds, timestamp formats.

// settlementStatuses are the states API-FACTS lists for payout and
// settlement events.
var settlementStatuses = []string{"pending_approval", "queued", "in_progress", "action_required", "success", "failed", "cancelled"}

// documentedEnums adds enums the docs give and the files omit: settlement
// status, the mock refund status, merchant category and sub-category in
// answers (the create body's lists, shared), and `authorized` on the subscriptions
// filter (docs-inventory #29: the subscription status enum has it).
func documentedEnums(doc *yaml.Node) []string {
	var out []string
	schemas := at(doc, "components", "schemas")
	addEnum := func(s *yaml.Node, loc string, values []string) {
		if s == nil {
			return
		}
		enum := get(s, "enum")
		if enum == nil {
			enum = seq()
			set(s, "enum", enum)
		}
		have := scalars(enum)
		for _, v := range values {
			if !slices.Contains(have, v) {
				enum.Content = append(enum.Content, str(v))
				out = append(out, loc+" += "+v)
			}
		}
		if hasType(s, "null") {
			addNull(s)
		}
	}
	addEnum(at(schemas, "Settlement", "properties", "status"), "Settlement.status", settlementStatuses)
	out = append(out, sharedMerchantEnums(schemas)...)
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		switch id := get(op, "operationId"); {
		case id == nil:
		case id.Value == "mockUpdateRefund":
			addEnum(at(op, "requestBody", "content", "application/json", "schema", "properties", "status"), "mockUpdateRefund status", []string{"success", "failed"})
		case id.Value == "getSubscriptions":
			for _, p := range contentOf(get(op, "parameters")) {
				if n := get(p, "name"); n != nil && n.Value == "status" {
					addEnum(get(p, "schema"), "getSubscriptions status filter", []string{"authorized"})
				}
			}
		}
	})
	return out
}

// sharedMerchantEnums moves the create body's category and sub_category
// enums into schemas of their own and points the Merchant answer at them
// too, so both sides share one Go type and its constants (two inline copies
// would give every constant a prefixed name). The schemas are named after
// the Go types the inline enums had, so no existing name changes.
func sharedMerchantEnums(schemas *yaml.Node) []string {
	var out []string
	for _, f := range []struct{ prop, name string }{{"category", "CreateMerchantRequestCategory"}, {"sub_category", "CreateMerchantRequestSubCategory"}} {
		src := at(schemas, "CreateMerchantRequest", "properties", f.prop)
		if get(src, "enum") == nil || get(schemas, f.name) != nil {
			continue
		}
		shared := mapping("type", "string", "enum", clone(get(src, "enum")))
		shared.Content[3].Content = slices.DeleteFunc(shared.Content[3].Content, func(v *yaml.Node) bool { return v.Tag == "!!null" })
		set(schemas, f.name, shared)
		out = append(out, "added schema "+f.name)
		props := at(schemas, "CreateMerchantRequest", "properties")
		set(props, f.prop, ref("#/components/schemas/"+f.name))
		if mp := at(schemas, "Merchant", "properties"); get(mp, f.prop) != nil {
			set(mp, f.prop, ref("#/components/schemas/"+f.name))
			out = append(out, "Merchant."+f.prop+" -> "+f.name)
		}
		out = append(out, "CreateMerchantRequest."+f.prop+" -> "+f.name)
	}
	return out
}

// listParameters bounds per_page below by 1 and records its clamp at 100
// (API-FACTS "Pagination": larger values are clamped, not refused) and gives before/after their date-time format (Go
// type still string), on the
// shared parameters and on any operation that declares them inline.
func listParameters(doc *yaml.Node) []string {
	var out []string
	fix := func(p *yaml.Node, loc string) {
		n, s := get(p, "name"), get(p, "schema")
		if n == nil || s == nil || get(p, "in") == nil || get(p, "in").Value != "query" {
			return
		}
		switch n.Value {
		case "per_page":
			if get(s, "minimum") == nil {
				set(s, "minimum", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1"})
				out = append(out, loc+" per_page minimum 1")
			}
			// No maximum: Glomo clamps a larger per_page to 100 rather
			// than refusing it, so a validator must accept it.
			if get(s, "x-glomo-clamped-maximum") == nil {
				set(s, "x-glomo-clamped-maximum", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "100"})
				out = append(out, loc+" per_page clamped at 100")
			}
		case "before", "after":
			if hasType(s, "string") && get(s, "format") == nil {
				set(s, "format", str("date-time"))
				// The Go type stays string: the pager pins `before` to
				// the first page's timestamp exactly as Glomo wrote it.
				set(s, "x-go-type", str("string"))
				out = append(out, loc+" "+n.Value+" date-time")
			}
		}
	}
	params := at(doc, "components", "parameters")
	for _, name := range keys(params) {
		fix(get(params, name), "#/components/parameters/"+name)
	}
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		for _, p := range contentOf(get(op, "parameters")) {
			fix(p, method+" "+path)
		}
	})
	return out
}

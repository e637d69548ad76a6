package specsync

import (
	"fmt"
	"regexp"
	"slices"

	yaml "go.yaml.in/yaml/v3"
)

// Fixes to the values a field takes: amounts are integer minor units
// (GG-04), an enum that lists null accepts null (GG-05), enum values the
// API sends but the files omit (GG-06), and examples kept inside their
// enum (GG-11).

// amountName matches the properties that hold money in minor units, plus the
// other integer-only counts the files write as `number` (basis points and
// reminder days).
var amountName = regexp.MustCompile(`^(amount|.*_amount|bps|reminder_frequency)$`)

func integerAmounts(doc *yaml.Node) []string {
	var out []string
	toInt := func(s *yaml.Node, loc string) {
		if !hasType(s, "number") {
			return
		}
		t := get(s, "type")
		if t.Kind == yaml.ScalarNode {
			t.Value = "integer"
		} else {
			for _, x := range t.Content {
				if x.Value == "number" {
					x.Value = "integer"
				}
			}
		}
		set(s, "format", str("int64"))
		out = append(out, loc)
	}
	if a := at(doc, "components", "schemas", "Amount"); a != nil {
		toInt(a, "#/components/schemas/Amount")
	}
	eachSchemaRoot(doc, func(root *yaml.Node, loc string) {
		walkSchemas(root, loc, func(s *yaml.Node, loc string) {
			props := get(s, "properties")
			for i := 0; i+1 < len(contentOf(props)); i += 2 {
				if amountName.MatchString(props.Content[i].Value) {
					toInt(props.Content[i+1], loc+"/properties/"+props.Content[i].Value)
				}
			}
		})
	})
	return out
}

func nullableEnums(doc *yaml.Node) []string {
	var out []string
	eachSchemaRoot(doc, func(root *yaml.Node, loc string) {
		walkSchemas(root, loc, func(s *yaml.Node, loc string) {
			enum := get(s, "enum")
			if enum == nil {
				return
			}
			for _, v := range enum.Content {
				if v.Tag == "!!null" && addNull(s) {
					out = append(out, loc)
				}
			}
		})
	})
	return out
}

// addNull makes a schema accept null, the 3.1 way: "null" joins the type
// array and, for an enum, the value list (JSON Schema checks enum after
// type). The generator never sees enum nulls: codegen.overlay.yaml strips
// them, since oapi-codegen cannot name a null constant.
func addNull(s *yaml.Node) bool {
	t := get(s, "type")
	if t == nil {
		return false
	}
	changed := false
	if !hasType(s, "null") {
		if t.Kind == yaml.ScalarNode {
			set(s, "type", seq(str(t.Value), str("null")))
		} else {
			t.Content = append(t.Content, str("null"))
		}
		changed = true
	}
	if enum := get(s, "enum"); enum != nil && !slices.ContainsFunc(enum.Content, func(v *yaml.Node) bool { return v.Tag == "!!null" }) {
		enum.Content = append(enum.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"})
		changed = true
	}
	return changed
}

// enumExtras lists enum values seen on the wire or in Glomo's guides that
// the published files leave out. Decoding never depends on these (generated
// enums are plain strings), but the mock and the spec tests validate against
// them.
var enumExtras = []struct {
	schema, prop string
	values       []string
}{
	{"Payout", "status", []string{"pending_approval", "queued", "in_progress", "action_required", "success", "failed", "cancelled"}},
	{"PaymentLink", "status", []string{"active", "paid", "failed", "action_required", "cancelled", "partially_paid", "under_review", "expired"}},
	{"PaymentLinkResponse", "status", []string{"active", "paid", "failed", "action_required", "cancelled", "partially_paid", "under_review", "expired"}},
}

func enumAdditions(doc *yaml.Node) []string {
	var out []string
	schemas := at(doc, "components", "schemas")
	for _, e := range enumExtras {
		walkSchemas(get(schemas, e.schema), e.schema, func(s *yaml.Node, loc string) {
			enum := at(s, "properties", e.prop, "enum")
			if enum == nil {
				return
			}
			have := scalars(enum)
			for _, v := range e.values {
				if !slices.Contains(have, v) {
					enum.Content = append(enum.Content, str(v))
					out = append(out, fmt.Sprintf("%s/%s += %s", loc, e.prop, v))
				}
			}
		})
	}
	// The list filter for payouts takes the same statuses.
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		if get(op, "operationId") == nil || get(op, "operationId").Value != "getPayouts" {
			return
		}
		for _, p := range contentOf(get(op, "parameters")) {
			if v := get(p, "name"); v != nil && v.Value == "status" {
				enum := at(p, "schema", "enum")
				have := scalars(enum)
				for _, v := range enumExtras[0].values {
					if enum != nil && !slices.Contains(have, v) {
						enum.Content = append(enum.Content, str(v))
						out = append(out, "getPayouts status filter += "+v)
					}
				}
			}
		}
	})
	return out
}

func examplesInsideEnums(doc *yaml.Node) []string {
	var out []string
	eachSchemaRoot(doc, func(root *yaml.Node, loc string) {
		walkSchemas(root, loc, func(s *yaml.Node, loc string) {
			enum, ex := get(s, "enum"), get(s, "example")
			if enum == nil || ex == nil || ex.Kind != yaml.ScalarNode || len(enum.Content) == 0 {
				return
			}
			if slices.Contains(scalars(enum), ex.Value) || ex.Tag == "!!null" {
				return
			}
			out = append(out, fmt.Sprintf("%s: example %q -> %q", loc, ex.Value, enum.Content[0].Value))
			set(s, "example", clone(enum.Content[0]))
		})
	})
	return out
}

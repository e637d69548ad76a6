package specsync

import (
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Fixes to resource IDs: shared ID path parameters with their prefixes as
// patterns (GG-09), stale prefixes in examples (GG-10), and prefixed IDs
// that are not UUIDs (GG-16).

// idPrefixes maps a resource path segment to the prefix its IDs carry
// (API-FACTS "ID prefixes"). Resources whose prefix is known only from
// examples are left without a pattern.
var idPrefixes = []struct{ segment, param, prefix, example string }{
	{"beneficiaries", "BeneficiaryIdParam", "bene_", "bene_5JU9yv0lGSUP"},
	{"customer", "CustomerIdParam", "cust_", "cust_5JU9yv0lGSUP"},
	{"orders", "OrderIdParam", "order_", "order_5JU9yv0lGSUP"},
	{"payin", "PaymentLinkIdParam", "plink_", "plink_5JU9yv0lGSUP"},
	{"payment", "PaymentIdParam", "payt_", "payt_5JU9yv0lGSUP"},
	{"refunds", "RefundIdParam", "refund_", "refund_5JU9yv0lGSUP"},
	{"payouts", "PayoutIdParam", "payout_", "payout_5JU9yv0lGSUP"},
	{"subscriptions", "SubscriptionIdParam", "sub_", "sub_5JU9yv0lGSUP"},
	{"settlements", "SettlementIdParam", "setl_", "setl_5JU9yv0lGSUP"},
	{"document", "DocumentIdParam", "doc_", "doc_5JU9yv0lGSUP"},
	{"rfis", "RfiIdParam", "rfi_", "rfi_5JU9yv0lGSUP"},
	{"quotes", "QuoteIdParam", "quote_", "quote_5JU9yv0lGSUP"},
	// Prefixes seen only in examples: shared parameter, no pattern.
	{"prices", "PriceIdParam", "", "price_E602dMzgjpDC"},
	{"withdrawal_accounts", "WithdrawalAccountIdParam", "", "accwith_5JU9yv0lGSUP"},
}

func idParamFor(path string) (param, prefix, example string) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(segs) < 3 || segs[2] != "{id}" {
		return "", "", ""
	}
	for _, p := range idPrefixes {
		if segs[1] == p.segment {
			return p.param, p.prefix, p.example
		}
	}
	return "", "", ""
}

func idPathParameters(doc *yaml.Node) []string {
	var out []string
	params := ensureMap(ensureMap(doc, "components"), "parameters")
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		name, prefix, example := idParamFor(path)
		if name == "" {
			return
		}
		if get(params, name) == nil {
			schema := mapping("type", "string")
			if prefix != "" {
				set(schema, "pattern", str("^"+prefix))
			}
			set(params, name, mapping(
				"name", "id",
				"in", "path",
				"required", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"},
				"schema", schema,
				"example", example,
			))
			out = append(out, "added parameter "+name)
		}
		ps := get(op, "parameters")
		for i, p := range contentOf(ps) {
			if get(p, "in") != nil && get(p, "in").Value == "path" && get(p, "name").Value == "id" {
				ps.Content[i] = ref("#/components/parameters/" + name)
				out = append(out, method+" "+path+" id -> "+name)
			}
		}
	})
	return out
}

var staleExample = regexp.MustCompile(`^(pout|refu|payin|ben)_([A-Za-z0-9_]+)$`)
var staleTo = map[string]string{"pout": "payout", "refu": "refund", "payin": "plink", "ben": "bene"}

func staleIDExamples(doc *yaml.Node) []string {
	var out []string
	var walk func(n *yaml.Node, inExample bool)
	walk = func(n *yaml.Node, inExample bool) {
		if n.Kind == yaml.ScalarNode && inExample && n.Tag == "!!str" {
			if m := staleExample.FindStringSubmatch(n.Value); m != nil {
				nv := staleTo[m[1]] + "_" + m[2]
				out = append(out, n.Value+" -> "+nv)
				n.Value = nv
			}
			return
		}
		for i, c := range n.Content {
			ex := inExample
			if n.Kind == yaml.MappingNode {
				if i%2 == 0 {
					continue // a key names an example, it is not one
				}
				k := n.Content[i-1].Value
				ex = ex || k == "example" || k == "examples"
			}
			walk(c, ex)
		}
	}
	walk(doc, false)
	return out
}

var uuidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// prefixedIDsAreNotUUIDs drops `format: uuid` from strings whose own example
// is a prefixed ID (payout_..., accwith_...): Glomo's IDs are not UUIDs.
func prefixedIDsAreNotUUIDs(doc *yaml.Node) []string {
	var out []string
	eachSchemaRoot(doc, func(root *yaml.Node, loc string) {
		walkSchemas(root, loc, func(s *yaml.Node, loc string) {
			f := get(s, "format")
			if f == nil || f.Value != "uuid" {
				return
			}
			if ex := get(s, "example"); ex != nil && uuidShape.MatchString(ex.Value) {
				return
			}
			del(s, "format")
			out = append(out, loc)
		})
	})
	return out
}

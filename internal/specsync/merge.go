package specsync

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// A merge replaces an older file's operation or component with the newer
// file's. Whatever the older one stated and the newer one does not (a
// property, an enum value, a $ref, a response) is a loss; every loss must be
// covered by a Decision, or the merge fails. The newer file is often a
// subset, so silence there is not evidence that a fact went away.

// Decision says what to do with the facts an older file states under Where
// when the newer file's version of that item no longer does.
type Decision struct {
	// Where is a location as MergeLosses reports it; it covers every loss at
	// or below it.
	Where string
	// Keep restores the older file's node at Where; otherwise the loss stands.
	Keep bool
	// Why is the evidence, repeated in docs/spec-changes.md.
	Why string
}

// Decisions returns the recorded merge decisions, in the order they apply.
func Decisions() []Decision { return mergeDecisions }

// mergeDecisions covers what merging Glomo's 1.0.0 file with its 2026 subset
// loses. Each Where appears in docs/spec-changes.md (a test checks it).
var mergeDecisions = []Decision{
	{"components/schemas/Payment/properties/error_message", true, "API-FACTS: failed payment webhooks carry error_message"},
	{"components/schemas/Payment/properties/transaction_reference_number", true, "docs-inventory #15: the payment object carries a transaction reference"},
	{"components/schemas/Payment/properties/metadata", true, "1.0.0 only; responses stay tolerant (API-FACTS)"},
	{"components/schemas/Payment/properties/payment_date", true, "1.0.0 only; responses stay tolerant (API-FACTS)"},
	{"components/schemas/Payment/properties/ordered_amount", true, "1.0.0 only; an amount the API may still send"},
	{"components/schemas/Payment/properties/ordered_currency", true, "1.0.0 only; pairs with ordered_amount"},
	{"components/schemas/Payment/properties/auto_debit", true, "the 2026 file spells it `auto_debit?` (a typo GG-21 removes)"},
	{"components/schemas/Payment/properties/txn_fee", true, "API-FACTS: payment webhooks carry txn_fee/fx_fee at the top level"},
	{"components/schemas/Payment/properties/fx_fee", true, "API-FACTS: payment webhooks carry txn_fee/fx_fee at the top level"},
	{"components/schemas/Payment/properties/payment_method/properties/id", true, "1.0.0 example carries a payment-method id"},
	{"components/schemas/Payment/properties/payment_method/properties/type/enum:swift_transfer", true, "docs-inventory #15 names swift_transfer as a payment method"},
	{"components/schemas/Payment/properties/payment_method/properties/details/oneOf/title=Swift Transfer Details", false, "2026 renames the branch Bank Transfer Details, with the same fields and more"},
	{"components/schemas/Payout/properties/fees/properties/fx", true, "1.0.0 fee names; kept beside the 2026 fx_fee/txn_fee (responses stay tolerant)"},
	{"components/schemas/Payout/properties/fees/properties/transaction", true, "1.0.0 fee names; kept beside the 2026 fx_fee/txn_fee"},
	{"components/schemas/Refund/properties/txn_fee", true, "docs-inventory #22: the refund response example has txn_fee/fx_fee at the top level"},
	{"components/schemas/Refund/properties/fx_fee", true, "docs-inventory #22: the refund response example has txn_fee/fx_fee at the top level"},
	{"components/schemas/Refund/properties/status/enum:pending", true, "docs-inventory #22 lists pending; our getRefunds filter takes it"},
	{"components/schemas/PaymentLink/properties/status/enum:partially_paid", true, "docs-inventory #18 lists partially_paid"},
	{"components/schemas/PaymentLinkResponse/allOf/1/properties/status/enum:partially_paid", true, "docs-inventory #18 lists partially_paid"},
	{"op/cancelPayout/responses/200", true, "the 2026 answer is the synthetic cycle probe GG-01 removes; 1.0.0 answers the Payout"},
	{"op/createPayout/requestBody", false, "2026 replaces the single body with oneOf with/without quote_id; CreatePayoutRequest stays as a schema"},
	{"op/createOrder/requestBody", false, "2026 adds the quote variant as a oneOf; Orders is still its first branch"},
	{"op/createPayin/requestBody", false, "2026 adds the quote variant as a oneOf; PaymentLink is still its first branch"},
	{"op/createRefund/requestBody/content/application/json/schema/properties/reason/enum:Fradulent", false, "misspelt reason the newer file no longer lists; API-FACTS: other phrases get 400"},
	{"op/createDocument/responses/201", false, "2026 answers the new Document schema; DocumentResponse stays as a schema"},
	{"op/createSubscription/responses/201", false, "2026 answers CreateSubscriptionResponse"},
}

// MergeError lists losses no decision accounts for.
type MergeError struct{ Unaccounted []string }

func (e *MergeError) Error() string {
	return fmt.Sprintf("merging the vendor files would drop %d fact(s) no merge decision accounts for "+
		"(add a Decision in internal/specsync/merge.go and a row in docs/spec-changes.md):\n  %s",
		len(e.Unaccounted), strings.Join(e.Unaccounted, "\n  "))
}

// Merge folds Glomo's files (oldest first) into one document: an operation or
// component present in a newer file replaces the older one's, then the
// decisions settle what that replacement lost. It fails on a loss no
// decision covers. The report says what each decision did.
func Merge(vendor []*yaml.Node, decisions []Decision) (*yaml.Node, []string, error) {
	if len(vendor) == 0 {
		return nil, nil, fmt.Errorf("no vendor document")
	}
	doc := clone(vendor[0])
	var report, unaccounted []string
	for _, v := range vendor[1:] {
		old := clone(doc)
		MergeVendor(doc, v)
		for _, loss := range MergeLosses(old, doc) {
			d, ok := decide(decisions, loss)
			switch {
			case !ok:
				unaccounted = append(unaccounted, loss)
			case d.Keep:
				if err := restore(old, doc, d.Where); err != nil {
					return nil, nil, err
				}
				report = append(report, "kept from the older file: "+loss)
			default:
				report = append(report, "dropped: "+loss+" ("+d.Why+")")
			}
		}
	}
	if len(unaccounted) > 0 {
		return nil, nil, &MergeError{Unaccounted: unaccounted}
	}
	return doc, report, nil
}

func decide(ds []Decision, loss string) (Decision, bool) {
	for _, d := range ds {
		if loss == d.Where || strings.HasPrefix(loss, d.Where+"/") {
			return d, true
		}
	}
	return Decision{}, false
}

// MergeLosses lists the facts old states about its operations and
// components that merged no longer does, as sorted locations:
// "components/schemas/<name>/properties/<p>", ".../enum:<value>",
// ".../$ref:<target>", "op/<operationId>/responses/<code>". Items merged
// lacks entirely are not losses (a merge never removes an item).
func MergeLosses(old, merged *yaml.Node) []string {
	var out []string
	cmp := func(root string, o, m *yaml.Node) {
		if o == nil || m == nil {
			return
		}
		have := map[string]bool{}
		facts(m, root, have)
		lost := map[string]bool{}
		facts(o, root, lost)
		for f := range lost {
			if !have[f] {
				out = append(out, f)
			}
		}
	}
	for _, kind := range keys(get(old, "components")) {
		for _, name := range keys(at(old, "components", kind)) {
			cmp("components/"+kind+"/"+name, at(old, "components", kind, name), at(merged, "components", kind, name))
		}
	}
	mops := operationsByID(merged)
	for id, op := range operationsByID(old) {
		cmp("op/"+id, op, mops[id])
	}
	sort.Strings(out)
	return out
}

// facts records the structure a node states: property names, response
// codes, content types, $ref targets and enum values, keyed by location.
// Prose, examples and extensions are not facts.
func facts(n *yaml.Node, loc string, out map[string]bool) {
	switch n.Kind {
	case yaml.SequenceNode:
		for i, c := range n.Content {
			facts(c, loc+"/"+seqKey(c, i), out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			switch {
			case k == "enum":
				for _, e := range v.Content {
					out[loc+"/enum:"+e.Value] = true
				}
			case k == "$ref":
				out[loc+"/$ref:"+v.Value] = true
			case proseKeys[k] || dataKeys[k] || strings.HasPrefix(k, "x-"):
			default:
				if holdsNames(loc) {
					out[loc+"/"+k] = true
				}
				facts(v, loc+"/"+k, out)
			}
		}
	}
}

// holdsNames reports whether the keys of the mapping at loc are names (of
// properties, responses, media types) rather than schema keywords.
func holdsNames(loc string) bool {
	last := loc[strings.LastIndex(loc, "/")+1:]
	return last == "properties" || last == "responses" || last == "content"
}

// seqKey names a sequence item stably, so that reordering a list (the
// parameters, the branches of a oneOf) is not a loss: by parameter name, by
// $ref target, by title, else by position.
func seqKey(item *yaml.Node, i int) string {
	if n := get(item, "name"); n != nil && n.Kind == yaml.ScalarNode {
		return "name=" + n.Value
	}
	if r := get(item, "$ref"); r != nil {
		return "ref=" + strings.TrimPrefix(r.Value, "#/components/")
	}
	if t := get(item, "title"); t != nil {
		return "title=" + t.Value
	}
	return strconv.Itoa(i)
}

func operationsByID(doc *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		if id := get(op, "operationId"); id != nil {
			out[id.Value] = op
		}
	})
	return out
}

// restore copies old's node at where into merged: a property or response
// is set, an enum value appended.
func restore(old, merged *yaml.Node, where string) error {
	segs := splitLoc(where)
	last := segs[len(segs)-1]
	if v, ok := strings.CutPrefix(last, "enum:"); ok {
		enum := nodeAt(merged, append(segs[:len(segs)-1], "enum"))
		if enum == nil {
			return fmt.Errorf("merge decision %s: no enum there in the merged file", where)
		}
		for _, e := range enum.Content {
			if e.Value == v {
				return nil
			}
		}
		src := nodeAt(old, append(segs[:len(segs)-1:len(segs)-1], "enum"))
		for _, e := range contentOf(src) {
			if e.Value == v {
				enum.Content = append(enum.Content, clone(e))
			}
		}
		return nil
	}
	src, parent := nodeAt(old, segs), nodeAt(merged, segs[:len(segs)-1])
	if src == nil || parent == nil || parent.Kind != yaml.MappingNode {
		return fmt.Errorf("merge decision %s: nothing to restore, or no place for it in the merged file", where)
	}
	set(parent, last, clone(src))
	return nil
}

// splitLoc splits a location; "application/json" and other media types
// are one segment after "content".
func splitLoc(loc string) []string {
	raw := strings.Split(loc, "/")
	var segs []string
	for i := 0; i < len(raw); i++ {
		if len(segs) > 0 && segs[len(segs)-1] == "content" && i+1 < len(raw) {
			segs = append(segs, raw[i]+"/"+raw[i+1])
			i++
			continue
		}
		segs = append(segs, raw[i])
	}
	return segs
}

// nodeAt resolves a location from splitLoc in doc.
func nodeAt(doc *yaml.Node, segs []string) *yaml.Node {
	if len(segs) < 2 {
		return nil
	}
	var n *yaml.Node
	if segs[0] == "op" {
		n = operationsByID(doc)[segs[1]]
	} else {
		n = at(doc, segs[0], segs[1])
	}
	for _, s := range segs[2:] {
		if n == nil {
			return nil
		}
		if n.Kind == yaml.SequenceNode {
			var hit *yaml.Node
			for i, c := range n.Content {
				if seqKey(c, i) == s {
					hit = c
				}
			}
			n = hit
			continue
		}
		n = get(n, s)
	}
	return n
}

package specsync

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Load parses a JSON or YAML document into its root mapping node.
func Load(path string) (*yaml.Node, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Parse parses a JSON or YAML document into its root mapping node.
func Parse(b []byte) (*yaml.Node, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(b, &n); err != nil {
		return nil, err
	}
	if n.Kind != yaml.DocumentNode || len(n.Content) != 1 || n.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not an OpenAPI document")
	}
	return n.Content[0], nil
}

// MergeVendor folds newer into base: an operation, path-level parameters,
// a component of any kind present in newer replaces base's (the newer file
// describes today's API); everything else in base stays.
func MergeVendor(base, newer *yaml.Node) {
	bp, np := ensureMap(base, "paths"), get(newer, "paths")
	for _, p := range keys(np) {
		item := get(np, p)
		bi := get(bp, p)
		if bi == nil {
			set(bp, p, clone(item))
			continue
		}
		for _, k := range keys(item) {
			set(bi, k, clone(get(item, k)))
		}
	}
	bc, nc := ensureMap(base, "components"), get(newer, "components")
	for _, kind := range keys(nc) {
		dst := ensureMap(bc, kind)
		src := get(nc, kind)
		for _, name := range keys(src) {
			set(dst, name, clone(get(src, name)))
		}
	}
}

// proseKeys are the keys whose values are human text. Vendor text never
// enters openapi.yaml: we write our own.
var proseKeys = map[string]bool{"description": true, "summary": true}

// dataKeys hold example payloads: data, kept as they are, never walked for
// prose (an example object may well have a "description" field).
var dataKeys = map[string]bool{"example": true, "examples": true, "default": true, "enum": true, "const": true}

// stripProse removes every description and summary outside examples.
func stripProse(n *yaml.Node) {
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			stripProse(c)
		}
		return
	}
	if n.Kind != yaml.MappingNode {
		return
	}
	kept := n.Content[:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if proseKeys[k.Value] && v.Kind == yaml.ScalarNode {
			continue
		}
		kept = append(kept, k, v)
		if !dataKeys[k.Value] && !strings.HasPrefix(k.Value, "x-") {
			stripProse(v)
		}
	}
	n.Content = kept
}

// carryProse copies our description/summary values from cur into next
// wherever both documents have the same node.
func carryProse(next, cur *yaml.Node) {
	if next == nil || cur == nil || next.Kind != cur.Kind {
		return
	}
	switch next.Kind {
	case yaml.SequenceNode:
		// Sequences of parameters are matched by name, others by index.
		for i, c := range next.Content {
			if m := matchInSeq(cur, c, i); m != nil {
				carryProse(c, m)
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(cur.Content); i += 2 {
			k, v := cur.Content[i].Value, cur.Content[i+1]
			if proseKeys[k] && v.Kind == yaml.ScalarNode {
				insertLike(next, cur, i, clone(v))
				continue
			}
			if dataKeys[k] {
				continue
			}
			carryProse(get(next, k), v)
		}
	}
}

// insertLike stores cur's i-th key/value in next at the position it has in
// cur (before the first later key both share), so carried prose keeps its
// place and a round trip leaves the file unchanged.
func insertLike(next, cur *yaml.Node, i int, v *yaml.Node) {
	k := cur.Content[i].Value
	if get(next, k) != nil {
		set(next, k, v)
		return
	}
	for j := i + 2; j+1 < len(cur.Content); j += 2 {
		after := cur.Content[j].Value
		for x := 0; x+1 < len(next.Content); x += 2 {
			if next.Content[x].Value == after {
				rest := append([]*yaml.Node{str(k), v}, next.Content[x:]...)
				next.Content = append(next.Content[:x], rest...)
				return
			}
		}
	}
	set(next, k, v)
}

func matchInSeq(cur, item *yaml.Node, i int) *yaml.Node {
	if name := get(item, "name"); name != nil {
		for _, c := range cur.Content {
			if n := get(c, "name"); n != nil && n.Value == name.Value {
				return c
			}
		}
		return nil
	}
	if r := get(item, "$ref"); r != nil {
		return nil
	}
	if i < len(cur.Content) {
		return cur.Content[i]
	}
	return nil
}

// SourceKey marks what openapi.yaml adds beyond Glomo's files: operations
// and components known from the docs, kept across `make update-spec`.
const SourceKey = "x-glomo-source"

// carryAdditions copies our docs-sourced operations and components into
// next when the vendor files don't have them.
func carryAdditions(next, cur *yaml.Node) []string {
	var out []string
	np, cp := ensureMap(next, "paths"), get(cur, "paths")
	for _, p := range keys(cp) {
		for _, m := range keys(get(cp, p)) {
			op := at(cp, p, m)
			if !isMethod(m) || get(op, SourceKey) == nil {
				continue
			}
			item := ensureMap(np, p)
			if get(item, m) == nil {
				set(item, m, clone(op))
				out = append(out, "kept docs-only "+strings.ToUpper(m)+" "+p)
			}
		}
	}
	nc, cc := ensureMap(next, "components"), get(cur, "components")
	for _, kind := range keys(cc) {
		for _, name := range keys(get(cc, kind)) {
			c := at(cc, kind, name)
			if get(c, SourceKey) == nil {
				continue
			}
			dst := ensureMap(nc, kind)
			if get(dst, name) == nil {
				set(dst, name, clone(c))
				out = append(out, "kept "+kind+"/"+name)
			}
		}
	}
	// Top-level sections the vendor files lack are ours entirely: the
	// prose-only ones and the webhooks (known from the docs).
	for _, k := range []string{"info", "tags", "webhooks"} {
		if v := get(cur, k); v != nil {
			set(next, k, clone(v))
		}
	}
	return out
}

// defaultResponseText fills the required response description where we have
// not written one yet.
func defaultResponseText(doc *yaml.Node) {
	text := map[string]string{"200": "Success.", "201": "Created.", "202": "Accepted for asynchronous processing.", "204": "No content."}
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		rs := get(op, "responses")
		for _, code := range keys(rs) {
			r := get(rs, code)
			if get(r, "$ref") != nil || get(r, "description") != nil {
				continue
			}
			t, ok := text[code]
			if !ok {
				t = "Status " + code + "."
			}
			set(r, "description", str(t))
		}
	})
	rs := at(doc, "components", "responses")
	for _, name := range keys(rs) {
		if get(get(rs, name), "description") == nil {
			set(get(rs, name), "description", str(name+"."))
		}
	}
}

// MergeOnly merges Glomo's files (oldest first) with the recorded merge
// decisions and nothing else: no fixes, no prose handling. It is the
// baseline the fixes are measured against.
func MergeOnly(vendor []*yaml.Node) (*yaml.Node, error) {
	doc, _, err := Merge(vendor, mergeDecisions)
	return doc, err
}

// Result is what Build produced.
type Result struct {
	Doc     *yaml.Node
	Changes []string // fixes applied and additions kept, one line each
	// Removed lists what the current openapi.yaml states and the vendor
	// files no longer do (operations, properties, enum values, responses):
	// breaking for users, so the caller reports it.
	Removed []string
}

// Build makes the next openapi.yaml from Glomo's files (oldest first) and
// the current openapi.yaml (nil for a first run).
func Build(vendor []*yaml.Node, current *yaml.Node) (Result, error) {
	if len(vendor) == 0 {
		return Result{}, fmt.Errorf("no vendor document")
	}
	doc, changes, err := Merge(vendor, mergeDecisions)
	if err != nil {
		return Result{}, err
	}
	changes = append(changes, Apply(doc)...)
	summaries := operationSummaries(doc)
	stripProse(doc)
	var removed []string
	if current != nil {
		changes = append(changes, carryAdditions(doc, current)...)
		changes = append(changes, carryReferenced(doc, current)...)
		carryProse(doc, current)
		removed = vendorRemovals(current, doc)
	}
	changes = append(changes, keepVendorSummaries(doc, summaries)...)
	defaultResponseText(doc)
	set(doc, "openapi", str("3.1.0"))
	normalizeStyle(doc)
	return Result{Doc: doc, Changes: changes, Removed: removed}, nil
}

// normalizeStyle drops the JSON flow and quoting styles so the output reads
// as YAML; the encoder quotes any string that would otherwise change type.
func normalizeStyle(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode {
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			n.Style = 0
		}
		if strings.Contains(n.Value, "\n") && n.Tag == "!!str" {
			n.Style = yaml.LiteralStyle
		}
	} else {
		n.Style = 0
	}
	for _, c := range n.Content {
		normalizeStyle(c)
	}
}

// Encode renders the document as YAML with two-space indents.
func Encode(doc *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// carryReferenced copies from cur every component that next refers to but
// lacks (our docs-only operations use vendor components too, such as
// PaymentIdParam or LrsCustomerBankAccount; with one vendor file, or after
// the vendor drops an operation, the vendor side may no longer define them).
func carryReferenced(next, cur *yaml.Node) []string {
	var out []string
	for {
		missing := unresolvedRefs(next)
		added := 0
		for _, r := range missing {
			segs := strings.Split(strings.TrimPrefix(r, "#/"), "/")
			if len(segs) != 3 || segs[0] != "components" {
				continue
			}
			src := at(cur, segs...)
			if src == nil {
				continue
			}
			set(ensureMap(ensureMap(next, "components"), segs[1]), segs[2], clone(src))
			out = append(out, "kept "+segs[1]+"/"+segs[2]+" (our additions refer to it)")
			added++
		}
		if added == 0 {
			return out
		}
	}
}

// unresolvedRefs lists the local $refs of doc that point at nothing.
func unresolvedRefs(doc *yaml.Node) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			if r := get(n, "$ref"); r != nil && strings.HasPrefix(r.Value, "#/") && !seen[r.Value] {
				seen[r.Value] = true
				if at(doc, strings.Split(strings.TrimPrefix(r.Value, "#/"), "/")...) == nil {
					out = append(out, r.Value)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
	sort.Strings(out)
	return out
}

// operationSummaries records each operation's vendor summary before the
// prose is stripped.
func operationSummaries(doc *yaml.Node) map[string]string {
	out := map[string]string{}
	for id, op := range operationsByID(doc) {
		if s := get(op, "summary"); s != nil && s.Value != "" {
			out[id] = s.Value
		}
	}
	return out
}

// keepVendorSummaries gives an operation we have no summary for (one the
// vendor just added) the vendor's own, so it is complete from its first
// import; ours replaces it once written.
func keepVendorSummaries(doc *yaml.Node, summaries map[string]string) []string {
	var out []string
	for id, op := range operationsByID(doc) {
		if get(op, "summary") != nil || summaries[id] == "" {
			continue
		}
		insertBefore(op, "summary", str(summaries[id]))
		out = append(out, "new operation "+id+" keeps the vendor summary")
	}
	sort.Strings(out)
	return out
}

// vendorRemovals lists the operations and facts cur states that next no
// longer does: the vendor removed them (our own additions are carried, so
// they never show here).
func vendorRemovals(cur, next *yaml.Node) []string {
	var out []string
	nops := operationsByID(next)
	for id := range operationsByID(cur) {
		if nops[id] == nil {
			out = append(out, "op/"+id)
		}
	}
	out = append(out, MergeLosses(cur, next)...)
	sort.Strings(out)
	return out
}

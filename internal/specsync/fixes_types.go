package specsync

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Fixes that give every body and field a Go type (issue 12): typo'd
// property names, untyped overrides, open objects named once, and request
// schemas kept apart from the tolerant response schemas.

// typoProperties drops a trailing "?" from property names (the 2026 file's
// Payment `auto_debit?`): no API sends such a key. When the clean name is
// already there (kept from 1.0.0) the typo'd copy goes.
func typoProperties(doc *yaml.Node) []string {
	var out []string
	eachSchemaRoot(doc, func(root *yaml.Node, loc string) {
		walkSchemas(root, loc, func(s *yaml.Node, loc string) {
			props := get(s, "properties")
			for i := 0; i+1 < len(contentOf(props)); i += 2 {
				name := props.Content[i].Value
				clean, ok := strings.CutSuffix(name, "?")
				if !ok {
					continue
				}
				if get(props, clean) != nil {
					del(props, name)
					i -= 2
					out = append(out, loc+"/"+name+" removed (duplicate of "+clean+")")
					continue
				}
				props.Content[i].Value = clean
				out = append(out, loc+"/"+name+" -> "+clean)
			}
		})
	})
	return out
}

// typingKeys are the keywords that give a schema its Go type.
var typingKeys = []string{"type", "format", "items", "enum", "$ref", "properties", "additionalProperties"}

func typed(s *yaml.Node) bool {
	for _, k := range typingKeys {
		if get(s, k) != nil {
			return true
		}
	}
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		if get(s, k) != nil {
			return true
		}
	}
	return false
}

// typedOverrides gives a type to schemas that only restate an example or a
// description. Such a schema is `interface{}` in Go. An enum without a type
// takes the type of its values; an allOf branch that overrides a property of
// a $ref'd sibling takes that property's typing keywords (cancel and pause
// subscription answers, PaymentLinkResponse expires_at).
func typedOverrides(doc *yaml.Node) []string {
	var out []string
	schemas := at(doc, "components", "schemas")
	eachSchemaRoot(doc, func(root *yaml.Node, loc string) {
		walkSchemas(root, loc, func(s *yaml.Node, loc string) {
			if enum := get(s, "enum"); enum != nil && get(s, "type") == nil && len(enum.Content) > 0 {
				t := "string"
				switch enum.Content[0].Tag {
				case "!!int":
					t = "integer"
				case "!!bool":
					t = "boolean"
				}
				set(s, "type", str(t))
				out = append(out, loc+": type "+t+" from its enum")
			}
			branches := get(s, "allOf")
			var base *yaml.Node
			for _, b := range contentOf(branches) {
				if r := get(b, "$ref"); r != nil {
					base = get(schemas, strings.TrimPrefix(r.Value, "#/components/schemas/"))
				}
			}
			if base == nil {
				return
			}
			for _, b := range contentOf(branches) {
				props := get(b, "properties")
				for _, name := range keys(props) {
					p, from := get(props, name), at(base, "properties", name)
					if typed(p) || from == nil {
						continue
					}
					for _, k := range typingKeys {
						if v := get(from, k); v != nil {
							insertBefore(p, k, clone(v))
						}
					}
					out = append(out, loc+"/"+name+": typed as in the base schema")
				}
			}
		})
	})
	return out
}

// insertBefore puts key first in m (typing keywords read best before the
// example and prose they qualify).
func insertBefore(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append([]*yaml.Node{str(key), v}, m.Content...)
}

// openObjects names the open objects: a property `metadata` or `notes`
// declared inline as a bare object (any keys, no properties) refers to the
// shared Metadata or Notes schema instead, so Go has one named type for each
// rather than an anonymous map of interface{}.
func openObjects(doc *yaml.Node) []string {
	var out []string
	schemas := ensureMap(ensureMap(doc, "components"), "schemas")
	targets := map[string]string{"metadata": "Metadata", "notes": "Notes"}
	eachSchemaRoot(doc, func(root *yaml.Node, loc string) {
		walkSchemas(root, loc, func(s *yaml.Node, loc string) {
			props := get(s, "properties")
			for i := 0; i+1 < len(contentOf(props)); i += 2 {
				name, p := props.Content[i].Value, props.Content[i+1]
				target, ok := targets[name]
				if !ok || !hasType(p, "object") || get(p, "properties") != nil || get(p, "$ref") != nil {
					continue
				}
				if ap := get(p, "additionalProperties"); ap != nil && ap.Kind == yaml.MappingNode && target != "Notes" {
					continue
				}
				if get(schemas, target) == nil {
					set(schemas, target, openObjectSchema(target))
					out = append(out, "added schema "+target)
				}
				props.Content[i+1] = ref("#/components/schemas/" + target)
				out = append(out, loc+"/"+name+" -> "+target)
			}
		})
	})
	return out
}

func openObjectSchema(name string) *yaml.Node {
	yes := func() *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"} }
	if name == "Notes" {
		return mapping("type", seq(str("object"), str("null")), "additionalProperties", mapping("type", "string"))
	}
	return mapping(openKey, yes(), "type", seq(str("object"), str("null")), "additionalProperties", yes())
}

// openKey marks a schema as deliberately open (any keys, any values): the
// only kind of schema whose Go type may hold interface{}.
const openKey = "x-glomo-open"

// requestSuffix names the request copy of a schema answers also use.
const requestSuffix = "Request"

// splitRequests gives request bodies their own copy of every schema that
// answers also use (Customer -> CustomerRequest). It runs before the
// response fixes (GG-12, GG-13), so the copy keeps the vendor's strictness:
// its required list, non-null types, additionalProperties. Read-only
// properties (id, status, created_at) are left out of the copy, and a
// `required` list written beside a $ref (which generators ignore) moves into
// the schema it qualifies. mergeIdenticalRequests undoes the copies that end
// up identical to their original.
func splitRequests(doc *yaml.Node) []string {
	var out []string
	schemas := at(doc, "components", "schemas")
	answers := responseSchemas(doc)
	var rewrite func(n *yaml.Node)
	rewrite = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.MappingNode {
			if r := get(n, "$ref"); r != nil && strings.HasPrefix(r.Value, "#/components/schemas/") {
				name := strings.TrimPrefix(r.Value, "#/components/schemas/")
				target := name
				if answers[name] {
					target = name + requestSuffix
					if get(schemas, target) == nil {
						c := clone(get(schemas, name))
						dropReadOnly(c)
						set(schemas, target, c)
						out = append(out, "added schema "+target+" (request copy of "+name+")")
						rewrite(c)
					}
					r.Value = "#/components/schemas/" + target
					out = append(out, "ref "+name+" -> "+target)
				}
				if req := get(n, "required"); req != nil {
					s := get(schemas, target)
					have := ensureSeq(s, "required")
					for _, v := range req.Content {
						if !slices.Contains(scalars(have), v.Value) {
							have.Content = append(have.Content, str(v.Value))
						}
					}
					del(n, "required")
					out = append(out, target+".required += "+strings.Join(scalars(req), ","))
				}
			}
		}
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && (i%2 == 0 || dataKeys[n.Content[i-1].Value]) {
				continue
			}
			rewrite(c)
		}
	}
	eachOperation(doc, func(path, method string, op *yaml.Node) { rewrite(get(op, "requestBody")) })
	return out
}

func ensureSeq(m *yaml.Node, key string) *yaml.Node {
	if v := get(m, key); v != nil {
		return v
	}
	v := seq()
	set(m, key, v)
	return v
}

// dropReadOnly removes read-only properties (and their required entries)
// from a request copy, at any depth.
func dropReadOnly(s *yaml.Node) {
	walkSchemas(s, "", func(s *yaml.Node, _ string) {
		props := get(s, "properties")
		for _, name := range keys(props) {
			if ro := at(props, name, "readOnly"); ro != nil && ro.Value == "true" {
				del(props, name)
				if req := get(s, "required"); req != nil {
					req.Content = slices.DeleteFunc(req.Content, func(v *yaml.Node) bool { return v.Value == name })
				}
			}
		}
	})
}

// mergeIdenticalRequests removes request copies that, after every other
// fix, say exactly what their original says (with its read-only properties
// left out): such a split would only add a Go type.
func mergeIdenticalRequests(doc *yaml.Node) []string {
	var out []string
	schemas := at(doc, "components", "schemas")
	for _, name := range keys(schemas) {
		orig, ok := strings.CutSuffix(name, requestSuffix)
		if !ok || get(schemas, orig) == nil {
			continue
		}
		want := clone(get(schemas, orig))
		dropReadOnly(want)
		if !sameNode(want, get(schemas, name)) {
			continue
		}
		del(schemas, name)
		retarget(doc, "#/components/schemas/"+name, "#/components/schemas/"+orig)
		out = append(out, name+" is "+orig+" again")
	}
	return out
}

func sameNode(a, b *yaml.Node) bool {
	ea, err1 := Encode(a)
	eb, err2 := Encode(b)
	return err1 == nil && err2 == nil && string(ea) == string(eb)
}

func retarget(n *yaml.Node, from, to string) {
	if n.Kind == yaml.MappingNode {
		if r := get(n, "$ref"); r != nil && r.Value == from {
			r.Value = to
		}
	}
	for _, c := range n.Content {
		retarget(c, from, to)
	}
}

// requestSchemas returns the component schemas reachable from request
// bodies only.
func requestSchemas(doc *yaml.Node) map[string]bool {
	return reachableSchemas(doc, responseSchemas(doc), func(visit func(*yaml.Node)) {
		eachOperation(doc, func(path, method string, op *yaml.Node) { visit(get(op, "requestBody")) })
	})
}

// mustNotBeNull matches the required request properties that may never be
// null: amounts, currencies and names. Other required properties keep a
// null the vendor wrote on purpose (an RFI document's rfi_doc_id is null
// when the document answers no RFI).
var mustNotBeNull = regexp.MustCompile(`^(amount|.*_amount|currency|.*_currency|name|.*_name)$`)

// requiredRefuseNull takes null out of the types of required request
// amounts, currencies and names: a create body may not send `amount: null`. It also keeps
// request emails plain strings in Go.
func requiredRefuseNull(doc *yaml.Node) []string {
	var out []string
	fix := func(s *yaml.Node, loc string) {
		for _, name := range scalars(get(s, "required")) {
			p := at(s, "properties", name)
			t := get(p, "type")
			if t == nil || t.Kind != yaml.SequenceNode || !hasType(p, "null") || !mustNotBeNull.MatchString(name) {
				continue
			}
			t.Content = slices.DeleteFunc(t.Content, func(v *yaml.Node) bool { return v.Value == "null" })
			if len(t.Content) == 1 {
				set(p, "type", str(t.Content[0].Value))
			}
			if enum := get(p, "enum"); enum != nil {
				enum.Content = slices.DeleteFunc(enum.Content, func(v *yaml.Node) bool { return v.Tag == "!!null" })
			}
			out = append(out, loc+"/"+name)
		}
	}
	// A required email in Go would be a types.Email value whose zero value
	// cannot even be marshalled; request emails stay plain strings (the
	// format still documents them, and Glomo validates).
	plainEmail := func(s *yaml.Node, loc string) {
		props := get(s, "properties")
		for _, name := range keys(props) {
			p := get(props, name)
			if f := get(p, "format"); f != nil && f.Value == "email" && get(p, "x-go-type") == nil {
				set(p, "x-go-type", str("string"))
				out = append(out, loc+"/"+name+": Go string")
			}
		}
	}
	names := []string{}
	for n := range requestSchemas(doc) {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		walkSchemas(at(doc, "components", "schemas", n), n, fix)
		walkSchemas(at(doc, "components", "schemas", n), n, plainEmail)
	}
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		walkSchemas(at(op, "requestBody", "content", "application/json", "schema"), fmt.Sprintf("%s %s body", method, path), fix)
		walkSchemas(at(op, "requestBody", "content", "application/json", "schema"), fmt.Sprintf("%s %s body", method, path), plainEmail)
	})
	return out
}

// restating are the keywords an allOf branch may carry and still only
// restate its base's property (an example for the docs, nothing typed).
var restating = map[string]bool{"type": true, "format": true, "description": true, "example": true, "examples": true}

// plainAllOf replaces `allOf: [{$ref: X}, {properties: ...}]` by `$ref: X`
// when the other branch only restates X's own properties with new examples
// (cancelPayout's status "cancelled", the paused subscription's
// next_payment_date null). Generators turn such an allOf into an anonymous
// struct; the answer is X.
func plainAllOf(doc *yaml.Node) []string {
	var out []string
	schemas := at(doc, "components", "schemas")
	eachSchemaRoot(doc, func(root *yaml.Node, loc string) {
		walkSchemas(root, loc, func(s *yaml.Node, loc string) {
			branches := get(s, "allOf")
			if len(contentOf(branches)) != 2 {
				return
			}
			r := get(branches.Content[0], "$ref")
			if r == nil || !strings.HasPrefix(r.Value, "#/components/schemas/") {
				return
			}
			base := get(schemas, strings.TrimPrefix(r.Value, "#/components/schemas/"))
			other := branches.Content[1]
			for _, k := range keys(other) {
				if k != "type" && k != "properties" && !proseKeys[k] {
					return
				}
			}
			props := get(other, "properties")
			for _, name := range keys(props) {
				from := at(base, "properties", name)
				if from == nil {
					return
				}
				p := get(props, name)
				for _, k := range keys(p) {
					if !restating[k] {
						return
					}
				}
				if t := get(p, "type"); t != nil && !slices.Contains(typeNames(from), t.Value) {
					return
				}
			}
			s.Content = []*yaml.Node{str("$ref"), str(r.Value)}
			out = append(out, loc+" -> "+r.Value)
		})
	})
	return out
}

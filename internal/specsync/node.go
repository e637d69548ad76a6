// Package specsync turns Glomo's published OpenAPI files into glomo-go's
// openapi.yaml: it merges the vendor files (newer wins), applies the named
// fixes listed in docs/spec-changes.md, drops the vendor's prose and carries
// over our own descriptions and docs-only operations from the current file.
//
// It works on yaml.Node trees rather than decoded maps so that key order and
// string quoting survive the round trip (a value like "021000089" must stay
// a string).
package specsync

import (
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// get returns the value stored under key in mapping node m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// at follows a chain of mapping keys from m.
func at(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		m = get(m, k)
		if m == nil {
			return nil
		}
	}
	return m
}

// set stores v under key, replacing an existing value in place (keeping its
// position) or appending it.
func set(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, str(key), v)
}

// del removes key from m and reports whether it was there.
func del(m *yaml.Node, key string) bool {
	if m == nil || m.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return true
		}
	}
	return false
}

// ensureMap returns the mapping under key, creating it when absent.
func ensureMap(m *yaml.Node, key string) *yaml.Node {
	if v := get(m, key); v != nil {
		return v
	}
	v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	set(m, key, v)
	return v
}

// keys lists the keys of a mapping node in order.
func keys(m *yaml.Node) []string {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]string, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, m.Content[i].Value)
	}
	return out
}

func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(kv); i += 2 {
		var v *yaml.Node
		switch x := kv[i+1].(type) {
		case *yaml.Node:
			v = x
		case string:
			v = str(x)
		default:
			panic(fmt.Sprintf("mapping: unsupported value %T", x))
		}
		m.Content = append(m.Content, str(kv[i].(string)), v)
	}
	return m
}

// ref builds {$ref: target}.
func ref(target string) *yaml.Node { return mapping("$ref", target) }

// clone deep-copies a node.
func clone(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = clone(x)
	}
	return &c
}

// scalars returns the string values of a sequence node.
func scalars(s *yaml.Node) []string {
	if s == nil {
		return nil
	}
	out := make([]string, 0, len(s.Content))
	for _, x := range s.Content {
		out = append(out, x.Value)
	}
	return out
}

// typeNames returns the JSON Schema type(s) of a schema node ("string",
// or ["string","null"]).
func typeNames(schema *yaml.Node) []string {
	t := get(schema, "type")
	if t == nil {
		return nil
	}
	if t.Kind == yaml.ScalarNode {
		return []string{t.Value}
	}
	return scalars(t)
}

func hasType(schema *yaml.Node, name string) bool {
	for _, t := range typeNames(schema) {
		if t == name {
			return true
		}
	}
	return false
}

// walkSchemas calls fn for every schema object reachable below n, with a
// slash-joined location for messages. It recognises the keywords that hold
// schemas, so examples and vendor extensions are never mistaken for schemas.
func walkSchemas(n *yaml.Node, loc string, fn func(s *yaml.Node, loc string)) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	fn(n, loc)
	for _, k := range []string{"items", "not", "additionalProperties"} {
		if c := get(n, k); c != nil && c.Kind == yaml.MappingNode {
			walkSchemas(c, loc+"/"+k, fn)
		}
	}
	for _, k := range []string{"allOf", "oneOf", "anyOf", "prefixItems"} {
		if c := get(n, k); c != nil {
			for i, x := range c.Content {
				walkSchemas(x, fmt.Sprintf("%s/%s/%d", loc, k, i), fn)
			}
		}
	}
	if props := get(n, "properties"); props != nil {
		for i := 0; i+1 < len(props.Content); i += 2 {
			walkSchemas(props.Content[i+1], loc+"/properties/"+props.Content[i].Value, fn)
		}
	}
}

// eachOperation calls fn for every operation in the document.
func eachOperation(doc *yaml.Node, fn func(path, method string, op *yaml.Node)) {
	paths := get(doc, "paths")
	for _, p := range keys(paths) {
		item := get(paths, p)
		for _, m := range keys(item) {
			if isMethod(m) {
				fn(p, m, get(item, m))
			}
		}
	}
}

func isMethod(m string) bool {
	switch strings.ToLower(m) {
	case "get", "put", "post", "delete", "patch", "head", "options", "trace":
		return true
	}
	return false
}

// eachSchemaRoot calls fn on every top-level schema in the document: the
// component schemas and every schema inline in parameters, request bodies
// and responses.
func eachSchemaRoot(doc *yaml.Node, fn func(s *yaml.Node, loc string)) {
	schemas := at(doc, "components", "schemas")
	for _, name := range keys(schemas) {
		fn(get(schemas, name), "#/components/schemas/"+name)
	}
	params := at(doc, "components", "parameters")
	for _, name := range keys(params) {
		if s := get(get(params, name), "schema"); s != nil {
			fn(s, "#/components/parameters/"+name+"/schema")
		}
	}
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		loc := method + " " + path
		for i, p := range contentOf(get(op, "parameters")) {
			if s := get(p, "schema"); s != nil {
				fn(s, fmt.Sprintf("%s/parameters/%d", loc, i))
			}
		}
		for _, mt := range keys(at(op, "requestBody", "content")) {
			if s := at(op, "requestBody", "content", mt, "schema"); s != nil {
				fn(s, loc+"/requestBody")
			}
		}
		for _, code := range keys(get(op, "responses")) {
			for _, mt := range keys(at(op, "responses", code, "content")) {
				if s := at(op, "responses", code, "content", mt, "schema"); s != nil {
					fn(s, loc+"/responses/"+code)
				}
			}
		}
	})
}

func contentOf(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	return n.Content
}

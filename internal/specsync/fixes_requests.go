package specsync

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Fixes to what requests send: the customer pincode required only for some
// countries (GG-15), the request_id filter on lists (GG-19), and union
// request bodies that keep their JSON methods in Go (GG-20).

func optionalPincode(doc *yaml.Node) []string {
	var out []string
	drop := func(s *yaml.Node, loc string) {
		req := get(s, "required")
		if req == nil {
			return
		}
		for i, v := range req.Content {
			if v.Value == "pincode" {
				req.Content = append(req.Content[:i], req.Content[i+1:]...)
				out = append(out, loc)
				return
			}
		}
	}
	walkSchemas(at(doc, "components", "schemas", "Customer"), "Customer", drop)
	walkSchemas(at(doc, "components", "schemas", "Customer"+requestSuffix), "Customer"+requestSuffix, drop)
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		if id := get(op, "operationId"); id != nil && id.Value == "createCustomer" {
			for _, mt := range keys(at(op, "requestBody", "content")) {
				walkSchemas(at(op, "requestBody", "content", mt, "schema"), "createCustomer body", drop)
			}
		}
	})
	return out
}

// requestIDFilters adds the `request_id` query filter to the list operation
// of every resource whose create body carries `request_id` (API-FACTS:
// list endpoints accept ?request_id= to find what a create made; a
// production connector uses it on payments and refunds).
func requestIDFilters(doc *yaml.Node) []string {
	var out []string
	paths := get(doc, "paths")
	for _, p := range keys(paths) {
		post := at(paths, p, "post")
		list := at(paths, p, "get")
		if post == nil || list == nil || !bodyHasRequestID(doc, post) {
			continue
		}
		params := get(list, "parameters")
		if params == nil {
			params = seq()
			set(list, "parameters", params)
		}
		has := false
		for _, prm := range params.Content {
			if n := get(prm, "name"); n != nil && n.Value == "request_id" {
				has = true
			}
		}
		if has {
			continue
		}
		params.Content = append(params.Content, mapping(
			"in", "query",
			"name", "request_id",
			"schema", mapping("type", "string"),
			"example", "unique_request_id_123",
		))
		out = append(out, "GET "+p+" ?request_id")
	}
	return out
}

// bodyHasRequestID reports whether an operation's JSON body (any branch of
// a oneOf/allOf, following component refs) has a request_id property.
func bodyHasRequestID(doc *yaml.Node, op *yaml.Node) bool {
	found := false
	seen := map[string]bool{}
	var visit func(s *yaml.Node)
	visit = func(s *yaml.Node) {
		if s == nil || found {
			return
		}
		if r := get(s, "$ref"); r != nil && strings.HasPrefix(r.Value, "#/components/schemas/") && !seen[r.Value] {
			seen[r.Value] = true
			visit(at(doc, "components", "schemas", strings.TrimPrefix(r.Value, "#/components/schemas/")))
		}
		if at(s, "properties", "request_id") != nil {
			found = true
			return
		}
		for _, k := range []string{"allOf", "oneOf", "anyOf"} {
			for _, x := range contentOf(get(s, k)) {
				visit(x)
			}
		}
	}
	for _, mt := range keys(at(op, "requestBody", "content")) {
		visit(at(op, "requestBody", "content", mt, "schema"))
	}
	return found
}

// namedUnionBodies names each inline oneOf/anyOf request body with
// x-go-type-name <Op>Body (a named component-like type). Without
// it the generator declares `type <Op>JSONRequestBody <Op>JSONBody`, a new
// defined type that drops the union's MarshalJSON, so the raw client sends
// `{}`; with it the request body becomes an alias that keeps the methods.
// No Go name changes.
func namedUnionBodies(doc *yaml.Node) []string {
	var out []string
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		id := get(op, "operationId")
		if id == nil || id.Value == "" {
			return
		}
		s := at(op, "requestBody", "content", "application/json", "schema")
		if s == nil || get(s, "$ref") != nil || (get(s, "oneOf") == nil && get(s, "anyOf") == nil) {
			return
		}
		name := strings.ToUpper(id.Value[:1]) + id.Value[1:] + "Body"
		if x := get(s, "x-go-type-name"); x != nil && x.Value == name {
			return
		}
		set(s, "x-go-type-name", str(name))
		out = append(out, id.Value+" body -> "+name)
	})
	return out
}

package specsync

import (
	"fmt"

	yaml "go.yaml.in/yaml/v3"
)

// Fixes to error answers: one open Error body with no pinned strings
// (GG-07), and the shared error responses every operation declares (GG-08).

// errorSchema is the flat body every error answer carries.
func errorSchema() *yaml.Node {
	nullable := func() *yaml.Node { return seq(str("string"), str("null")) }
	return mapping(
		"type", "object",
		"properties", mapping(
			"error", mapping("type", nullable()),
			"message", mapping("type", nullable()),
			"code", mapping("type", nullable()),
		),
	)
}

func openErrorBodies(doc *yaml.Node) []string {
	var out []string
	schemas := ensureMap(ensureMap(doc, "components"), "schemas")
	if get(schemas, "Error") == nil {
		set(schemas, "Error", errorSchema())
		out = append(out, "added schema Error")
	}
	unpin := func(s *yaml.Node, loc string) {
		for _, f := range []string{"error", "message", "code"} {
			p := at(s, "properties", f)
			if p == nil {
				continue
			}
			if del(p, "enum") {
				out = append(out, loc+"/"+f+": enum removed")
			}
			if del(p, "const") {
				out = append(out, loc+"/"+f+": const removed")
			}
		}
	}
	unpin(get(schemas, "EntityNotFound"), "EntityNotFound")
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		for _, code := range keys(get(op, "responses")) {
			if code[0] != '4' && code[0] != '5' {
				continue
			}
			for _, mt := range keys(at(op, "responses", code, "content")) {
				unpin(at(op, "responses", code, "content", mt, "schema"), method+" "+path+" "+code)
			}
		}
	})
	return out
}

// sharedErrors are the error answers every operation declares, by status.
var sharedErrors = []struct{ code, name string }{
	{"400", "BadRequest"},
	{"401", "Unauthorized"},
	{"403", "Forbidden"},
	{"404", "NotFound"},
	{"409", "Conflict"},
	{"422", "UnprocessableEntity"},
	{"429", "TooManyRequests"},
	{"default", "ServerError"},
}

func declareErrorResponses(doc *yaml.Node) []string {
	var out []string
	responses := ensureMap(ensureMap(doc, "components"), "responses")
	for _, e := range sharedErrors {
		if get(responses, e.name) == nil {
			set(responses, e.name, mapping(
				"description", "Error "+e.code,
				"content", mapping("application/json", mapping("schema", ref("#/components/schemas/Error"))),
			))
			out = append(out, "added response "+e.name)
		}
	}
	eachOperation(doc, func(path, method string, op *yaml.Node) {
		rs := ensureMap(op, "responses")
		for _, e := range sharedErrors {
			if e.code == "409" && method == "get" {
				continue // a read never conflicts
			}
			if e.code == "422" && get(rs, "422") == nil {
				continue // only where the files say a business outcome can fail
			}
			cur := get(rs, e.code)
			if cur != nil && !placeholderError(cur) {
				continue
			}
			if cur != nil && get(cur, "$ref") != nil {
				continue
			}
			set(rs, e.code, ref("#/components/responses/"+e.name))
			out = append(out, fmt.Sprintf("%s %s %s -> %s", method, path, e.code, e.name))
		}
	})
	return out
}

// placeholderError reports whether a vendor error response says nothing
// beyond the generic shape (a bare object, or error/message strings only).
func placeholderError(resp *yaml.Node) bool {
	if get(resp, "$ref") != nil {
		return true
	}
	content := get(resp, "content")
	if content == nil {
		return true
	}
	for _, mt := range keys(content) {
		s := at(content, mt, "schema")
		if s == nil {
			continue
		}
		if r := get(s, "$ref"); r != nil {
			return r.Value == "#/components/schemas/EntityNotFound" || r.Value == "#/components/schemas/Error"
		}
		for _, p := range keys(get(s, "properties")) {
			if p != "error" && p != "message" && p != "code" {
				return false
			}
		}
	}
	return true
}

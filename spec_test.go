package glomo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	glomo "github.com/glomo-go/glomo-go"
)

// minOperations is the floor issue 3 sets: Glomo's 68 published operations
// plus the ones known only from its docs.
const minOperations = 80

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(glomo.OpenAPI)
	require.NoError(t, err, "openapi.yaml must load")
	return doc
}

type operation struct {
	method, path string
	op           *openapi3.Operation
	item         *openapi3.PathItem
}

func operations(doc *openapi3.T) []operation {
	var out []operation
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			out = append(out, operation{method, path, op, item})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].path+out[i].method < out[j].path+out[j].method
	})
	return out
}

func TestSpecValidates(t *testing.T) {
	doc := loadSpec(t)
	require.NoError(t, doc.Validate(context.Background()))
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	require.Len(t, doc.Servers, 1)
	assert.Equal(t, "https://api.glomopay.com/api", doc.Servers[0].URL)
}

func TestEveryOperationIsComplete(t *testing.T) {
	doc := loadSpec(t)
	ops := operations(doc)
	assert.GreaterOrEqual(t, len(ops), minOperations, "operation count")
	seen := map[string]string{}
	for _, o := range ops {
		name := o.method + " " + o.path
		t.Run(name, func(t *testing.T) {
			op := o.op
			require.NotEmpty(t, op.OperationID, "operationId")
			if prev, dup := seen[op.OperationID]; dup {
				t.Errorf("operationId %s also on %s", op.OperationID, prev)
			}
			seen[op.OperationID] = name
			assert.Len(t, op.Tags, 1, "exactly one tag")
			assert.NotEmpty(t, op.Summary, "summary")
			require.NotNil(t, op.Security, "security")
			require.NotEmpty(t, *op.Security, "security")
			_, jwt := (*op.Security)[0]["JWT"]
			assert.True(t, jwt, "secured by the JWT bearer scheme")
			assert.True(t, strings.HasPrefix(o.path, "/v1/") || strings.HasPrefix(o.path, "/v2/"), "versioned path")

			var ok2xx bool
			for code, resp := range op.Responses.Map() {
				if code[0] != '2' {
					continue
				}
				mt := resp.Value.Content.Get("application/json")
				if mt != nil && mt.Schema != nil {
					ok2xx = true
				}
			}
			assert.True(t, ok2xx, "a 2xx response with a JSON schema")
			for _, code := range []string{"400", "401", "403", "404", "429", "default"} {
				resp := op.Responses.Value(code)
				if !assert.NotNil(t, resp, "declares %s", code) {
					continue
				}
				mt := resp.Value.Content.Get("application/json")
				if assert.NotNil(t, mt, "%s has a JSON body", code) {
					assert.NotNil(t, mt.Schema, "%s has a schema", code)
				}
			}

			// Every {param} in the path is declared, and nothing else is.
			declared := map[string]bool{}
			for _, p := range append(o.item.Parameters, op.Parameters...) {
				if p.Value.In == "path" {
					declared[p.Value.Name] = true
				}
			}
			for _, m := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(o.path, -1) {
				assert.True(t, declared[m[1]], "path parameter %s declared", m[1])
				delete(declared, m[1])
			}
			assert.Empty(t, declared, "path parameters not in the path")
		})
	}
}

// TestIDParametersCarryPrefixes checks that ID path parameters are shared
// components with the prefix as a pattern, so the mock and clients agree on
// what an ID looks like.
func TestIDParametersCarryPrefixes(t *testing.T) {
	doc := loadSpec(t)
	for _, o := range operations(doc) {
		for _, p := range o.op.Parameters {
			if p.Value.In != "path" || p.Value.Name != "id" {
				continue
			}
			if p.Ref == "" {
				t.Errorf("%s %s: id is inline, want a #/components/parameters ref", o.method, o.path)
				continue
			}
			pat := p.Value.Schema.Value.Pattern
			if pat == "" {
				continue // prefix not on record (see docs/spec-changes.md)
			}
			ex, _ := p.Value.Example.(string)
			assert.Regexp(t, pat, ex, "%s example matches its pattern", p.Ref)
		}
	}
}

// TestNoFloatAmounts keeps money exact: every property that holds an amount
// is an integer.
func TestNoFloatAmounts(t *testing.T) {
	doc := loadSpec(t)
	amount := regexp.MustCompile(`^(amount|.*_amount)$`)
	visitSchemas(doc, func(loc string, s *openapi3.Schema) {
		for name, p := range s.Properties {
			if amount.MatchString(name) && p.Value != nil && p.Value.Type.Includes("number") {
				t.Errorf("%s.%s is a number; amounts are integer minor units", loc, name)
			}
		}
	})
}

// TestResponsesStayOpen: the server may add fields at any time.
func TestResponsesStayOpen(t *testing.T) {
	doc := loadSpec(t)
	for _, o := range operations(doc) {
		for code, resp := range o.op.Responses.Map() {
			for _, mt := range resp.Value.Content {
				walkSchema(mt.Schema, map[*openapi3.Schema]bool{}, func(s *openapi3.Schema) {
					if ap := s.AdditionalProperties.Has; ap != nil && !*ap {
						t.Errorf("%s %s %s: additionalProperties false in a response", o.method, o.path, code)
					}
				})
			}
		}
	}
}

// TestErrorStringsAreOpen: Glomo's error texts vary by endpoint; pinning
// them would turn every new wording into a validation failure.
func TestErrorStringsAreOpen(t *testing.T) {
	doc := loadSpec(t)
	for _, o := range operations(doc) {
		for code, resp := range o.op.Responses.Map() {
			if code[0] != '4' && code[0] != '5' && code != "default" {
				continue
			}
			for _, mt := range resp.Value.Content {
				if mt.Schema == nil || mt.Schema.Value == nil {
					continue
				}
				for _, f := range []string{"error", "message"} {
					if p := mt.Schema.Value.Properties[f]; p != nil {
						assert.Empty(t, p.Value.Enum, "%s %s %s: enum on %s", o.method, o.path, code, f)
						assert.Nil(t, p.Value.Const, "%s %s %s: const on %s", o.method, o.path, code, f)
					}
				}
			}
		}
	}
}

func walkSchema(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool, fn func(*openapi3.Schema)) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	s := ref.Value
	seen[s] = true
	fn(s)
	for _, p := range s.Properties {
		walkSchema(p, seen, fn)
	}
	walkSchema(s.Items, seen, fn)
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, x := range group {
			walkSchema(x, seen, fn)
		}
	}
	walkSchema(s.AdditionalProperties.Schema, seen, fn)
}

// visitSchemas calls fn on every schema object reachable from the document.
func visitSchemas(doc *openapi3.T, fn func(loc string, s *openapi3.Schema)) {
	seen := map[*openapi3.Schema]bool{}
	visit := func(loc string, r *openapi3.SchemaRef) {
		walkSchema(r, seen, func(s *openapi3.Schema) { fn(loc, s) })
	}
	for name, s := range doc.Components.Schemas {
		visit(name, s)
	}
	for _, o := range operations(doc) {
		loc := o.method + " " + o.path
		for _, p := range o.op.Parameters {
			visit(loc, p.Value.Schema)
		}
		if o.op.RequestBody != nil {
			for _, mt := range o.op.RequestBody.Value.Content {
				visit(loc, mt.Schema)
			}
		}
		for _, r := range o.op.Responses.Map() {
			for _, mt := range r.Value.Content {
				visit(loc, mt.Schema)
			}
		}
	}
}

// exampleCheck is one example value and the schema it must satisfy.
type exampleCheck struct {
	loc    string
	value  any
	schema *openapi3.Schema
	req    bool
}

// collectExamples finds every example and examples value in the document.
func collectExamples(doc *openapi3.T) []exampleCheck {
	var out []exampleCheck
	visitSchemas(doc, func(loc string, s *openapi3.Schema) {
		if s.Example != nil {
			out = append(out, exampleCheck{loc: loc + " (schema example)", value: s.Example, schema: s})
		}
		for i, ex := range s.Examples {
			out = append(out, exampleCheck{loc: fmt.Sprintf("%s (schema examples[%d])", loc, i), value: ex, schema: s})
		}
	})
	media := func(loc string, mt *openapi3.MediaType, req bool) {
		if mt.Schema == nil || mt.Schema.Value == nil {
			return
		}
		if mt.Example != nil {
			out = append(out, exampleCheck{loc + " example", mt.Example, mt.Schema.Value, req})
		}
		for name, ex := range mt.Examples {
			if ex.Value != nil && ex.Value.Value != nil {
				out = append(out, exampleCheck{loc + " examples/" + name, ex.Value.Value, mt.Schema.Value, req})
			}
		}
	}
	for _, o := range operations(doc) {
		loc := o.method + " " + o.path
		for _, p := range o.op.Parameters {
			if p.Value.Example != nil && p.Value.Schema != nil {
				out = append(out, exampleCheck{loc + " parameter " + p.Value.Name, p.Value.Example, p.Value.Schema.Value, true})
			}
		}
		if o.op.RequestBody != nil {
			for ct, mt := range o.op.RequestBody.Value.Content {
				media(loc+" request "+ct, mt, true)
			}
		}
		for code, r := range o.op.Responses.Map() {
			for ct, mt := range r.Value.Content {
				media(loc+" response "+code+" "+ct, mt, false)
			}
		}
	}
	return out
}

func validateExample(e exampleCheck) error {
	opts := []openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020(), openapi3.MultiErrors()}
	if e.req {
		opts = append(opts, openapi3.VisitAsRequest())
	} else {
		opts = append(opts, openapi3.VisitAsResponse())
	}
	return e.schema.VisitJSON(e.value, opts...)
}

// TestEveryExampleValidates is the check the vendor file fails (an order
// example with a status outside its enum).
func TestEveryExampleValidates(t *testing.T) {
	doc := loadSpec(t)
	examples := collectExamples(doc)
	require.Greater(t, len(examples), 100, "the spec carries examples")
	for _, e := range examples {
		assert.NoError(t, validateExample(e), e.loc)
	}
}

// TestExampleCheckCatchesBadExample proves the example check can fail.
func TestExampleCheckCatchesBadExample(t *testing.T) {
	doc := loadSpec(t)
	s := doc.Components.Schemas["Payout"].Value
	status := s.Properties["status"].Value
	bad := exampleCheck{loc: "Payout.status", value: "not-a-status", schema: status}
	assert.Error(t, validateExample(bad))
	money := exampleCheck{loc: "Payout", value: map[string]any{"source_amount": 10.5}, schema: s}
	assert.Error(t, validateExample(money), "a fractional amount must not validate")
}

// TestDocsPayloadsValidate checks real request and response bodies from
// Glomo's docs (testdata/payloads/<operationId>.<request|response>[.n].json)
// against the operation's schemas.
func TestDocsPayloadsValidate(t *testing.T) {
	doc := loadSpec(t)
	byID := map[string]operation{}
	for _, o := range operations(doc) {
		byID[o.op.OperationID] = o
	}
	files, err := filepath.Glob("testdata/payloads/*.json")
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skip("no payloads yet")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			parts := strings.Split(filepath.Base(f), ".")
			require.GreaterOrEqual(t, len(parts), 3, "name: <operationId>.<request|response>[.n].json")
			o, ok := byID[parts[0]]
			require.True(t, ok, "unknown operationId %s", parts[0])
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			var v any
			require.NoError(t, json.Unmarshal(raw, &v))
			var schema *openapi3.Schema
			switch parts[1] {
			case "request":
				require.NotNil(t, o.op.RequestBody, "operation takes no body")
				schema = o.op.RequestBody.Value.Content.Get("application/json").Schema.Value
			case "response":
				for code, r := range o.op.Responses.Map() {
					if code[0] == '2' {
						schema = r.Value.Content.Get("application/json").Schema.Value
					}
				}
			default:
				t.Fatalf("kind %q: want request or response", parts[1])
			}
			require.NotNil(t, schema)
			assert.NoError(t, validateExample(exampleCheck{f, v, schema, parts[1] == "request"}))
		})
	}
}

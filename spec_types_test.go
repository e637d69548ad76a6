package glomo_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openKey marks a schema that is deliberately an open object (notes,
// metadata, undocumented bodies): the only place api/ may say interface{}.
const openKey = "x-glomo-open"

// TestOnlyNamedOpenObjectsAreUntyped is issue 12's bar: every interface{}
// in api/glomo.gen.go belongs to the declaration or methods of a schema the
// spec names as deliberately open; no operation answers an anonymous map.
func TestOnlyNamedOpenObjectsAreUntyped(t *testing.T) {
	doc := loadSpec(t)
	open := map[string]bool{}
	for name, s := range doc.Components.Schemas {
		if v, ok := s.Value.Extensions[openKey]; ok && v == true {
			open[name] = true
		}
	}
	var untyped []string
	for _, file := range []string{"api/glomo.gen.go", "api/webhooks.gen.go"} {
		untyped = append(untyped, untypedOutside(t, file, open)...)
	}
	sort.Strings(untyped)
	assert.Empty(t, untyped, "interface{} outside the schemas marked %s", openKey)
	assert.NotEmpty(t, open, "the open objects are named in the spec")
}

// untypedOutside lists the interface{} in a generated file that belong to
// no type in open.
func untypedOutside(t *testing.T, file string, open map[string]bool) []string {
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	require.NoError(t, err)
	var untyped []string
	for _, d := range f.Decls {
		owner := ""
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.TYPE && len(d.Specs) == 1 {
				owner = d.Specs[0].(*ast.TypeSpec).Name.Name
			}
		case *ast.FuncDecl:
			if d.Recv != nil && len(d.Recv.List) == 1 {
				owner = strings.TrimPrefix(string(src[d.Recv.List[0].Type.Pos()-1:d.Recv.List[0].Type.End()-1]), "*")
			}
		}
		if open[owner] {
			continue
		}
		ast.Inspect(d, func(n ast.Node) bool {
			if it, ok := n.(*ast.InterfaceType); ok && len(it.Methods.List) == 0 {
				untyped = append(untyped, fset.Position(it.Pos()).String()+" in "+owner)
			}
			return true
		})
	}
	return untyped
}

// TestCancelPayoutAnswersAPayout: GG-01 removed the 2026 file's probe and
// the 1.0.0 answer (a Payout) is kept by a merge decision.
func TestCancelPayoutAnswersAPayout(t *testing.T) {
	doc := loadSpec(t)
	op := doc.Paths.Value("/v1/payouts/{id}/cancel").Patch
	require.NotNil(t, op)
	s := op.Responses.Value("200").Value.Content.Get("application/json").Schema
	assert.Equal(t, "#/components/schemas/Payout", s.Ref)
}

// requestSchemaRefs returns the component schemas request bodies reach,
// and the ones responses reach.
func requestSchemaRefs(doc *openapi3.T) (req, resp map[string]bool) {
	req, resp = map[string]bool{}, map[string]bool{}
	var visit func(r *openapi3.SchemaRef, into map[string]bool)
	visit = func(r *openapi3.SchemaRef, into map[string]bool) {
		if r == nil || r.Value == nil {
			return
		}
		if name, ok := strings.CutPrefix(r.Ref, "#/components/schemas/"); ok {
			if into[name] {
				return
			}
			into[name] = true
		}
		s := r.Value
		for _, p := range s.Properties {
			visit(p, into)
		}
		visit(s.Items, into)
		for _, l := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, x := range l {
				visit(x, into)
			}
		}
		if s.AdditionalProperties.Schema != nil {
			visit(s.AdditionalProperties.Schema, into)
		}
	}
	for _, o := range operations(doc) {
		if o.op.RequestBody != nil {
			if mt := o.op.RequestBody.Value.Content.Get("application/json"); mt != nil {
				visit(mt.Schema, req)
			}
		}
		for _, r := range o.op.Responses.Map() {
			if r.Value == nil {
				continue
			}
			for _, mt := range r.Value.Content {
				visit(mt.Schema, resp)
			}
		}
	}
	return req, resp
}

// TestRequestsApartFromResponses: a schema that both a body and an answer
// use must not relax the body (GG-24). Bodies refuse null in required
// amounts, currencies and names, and have no read-only properties; the only schemas both sides
// share are ones identical on both.
func TestRequestsApartFromResponses(t *testing.T) {
	doc := loadSpec(t)
	req, resp := requestSchemaRefs(doc)
	for name := range req {
		s := doc.Components.Schemas[name].Value
		for _, r := range s.Required {
			if !regexp.MustCompile(`^(amount|.*_amount|currency|.*_currency|name|.*_name)$`).MatchString(r) {
				continue
			}
			p := s.Properties[r]
			if p == nil || p.Value == nil || p.Value.Type == nil {
				continue
			}
			assert.False(t, p.Value.Type.Includes("null"), "%s.%s is required in a body and accepts null", name, r)
		}
		if resp[name] {
			for p, v := range s.Properties {
				assert.False(t, v.Value.ReadOnly, "%s.%s: a read-only property in a schema bodies use", name, p)
			}
		}
	}
	for _, name := range []string{"CustomerRequest", "OrdersRequest", "PaymentLinkRequest", "BeneficiaryRequest"} {
		s := doc.Components.Schemas[name]
		if assert.NotNil(t, s, name) {
			assert.NotEmpty(t, s.Value.Required, "%s keeps its required list", name)
			assert.Nil(t, s.Value.Properties["id"], "%s has no id", name)
		}
	}
}

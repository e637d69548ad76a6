// Command genglue writes api/glue.gen.go: the small amount of Go that
// oapi-codegen cannot generate and the typed surface needs.
//
//   - Ptr[T], for the few optional values that stay pointers (query
//     parameters, a bool whose default is true).
//   - For every oneOf request body, a sealed interface named by the
//     overlay's x-go-type on the body schema (CreatePayoutBody...), with an
//     unexported marker method each branch type implements. The raw client
//     and the wrapper take that interface, so a branch is passed in one
//     expression — c.CreatePayout(ctx, api.CreatePayoutWithoutQuoteRequest{…})
//     — checked by the compiler, with no union to fill and no error to
//     ignore. encoding/json marshals the branch value the interface holds.
//   - For a body whose every branch carries request_id, RequestID and
//     WithRequestID on each branch: the wrapper reads the caller's id and
//     sets its own on a copy of the typed value, then marshals once.
//
// It reads the description with the overlay applied exactly as oapi-codegen
// does (the configuration's overlay path), and api/glomo.gen.go (go/ast) for
// the branch types' fields. A branch written inline in the description must
// name, with x-go-type, a component of the overlay that is a copy of it;
// genglue fails when the copy differs from the inline schema, so the Go type
// cannot drift from the wire description.
//
//	go run ./internal/cmd/genglue -spec openapi.yaml -config oapi-codegen.yaml -api api/glomo.gen.go -out api/glue.gen.go
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strings"
	"text/template"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"

	"github.com/glomo-go/glomo-go/internal/gentools"
)

func main() {
	spec := flag.String("spec", "openapi.yaml", "OpenAPI description")
	config := flag.String("config", "oapi-codegen.yaml", "oapi-codegen configuration of api/ (names the overlay)")
	apiPath := flag.String("api", "api/glomo.gen.go", "what oapi-codegen generated")
	out := flag.String("out", "api/glue.gen.go", "file to write")
	table := flag.String("branches", "internal/oneof/branches.gen.go", "the branch table to write for the repository's tests")
	flag.Parse()
	glue, branches, err := generate(*spec, *config, *apiPath)
	if err == nil {
		err = os.WriteFile(*out, glue, 0o644)
	}
	if err == nil {
		err = os.WriteFile(*table, branches, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genglue:", err)
		os.Exit(1)
	}
}

// union is one oneOf request body as the template needs it.
type union struct {
	Name       string   // the interface: CreatePayoutBody
	Op         string   // the operation's Go name: CreatePayout
	Marker     string   // the unexported marker method: isCreatePayoutBody
	Branches   []string // branch Go types, in the description's order
	Idempotent bool     // every branch has a RequestId string field
}

// generate returns api/glue.gen.go and internal/oneof/branches.gen.go.
func generate(spec, config, apiPath string) (glue, branches []byte, err error) {
	doc, _, err := gentools.Load(spec, config, true)
	if err != nil {
		return nil, nil, err
	}
	orig, err := util.LoadSwaggerWithOverlay(spec, util.LoadSwaggerWithOverlayOpts{AllowRemoteRefsFrom: []string{}})
	if err != nil {
		return nil, nil, err
	}
	structs, err := apiStructs(apiPath)
	if err != nil {
		return nil, nil, err
	}
	unions, err := unionsOf(doc, orig, structs)
	if err != nil {
		return nil, nil, err
	}
	if glue, err = render(glueTemplate, unions); err != nil {
		return nil, nil, err
	}
	branches, err = render(branchesTemplate, unions)
	return glue, branches, err
}

func render(t *template.Template, unions []union) ([]byte, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, unions); err != nil {
		return nil, err
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format %s: %w\n%s", t.Name(), err, b.Bytes())
	}
	return src, nil
}

// unionsOf finds the oneOf request bodies the overlay turned into
// interfaces (x-go-type on the body schema), sorted by name. orig is the
// description without the overlay, for the inline branches.
func unionsOf(doc, orig *openapi3.T, structs map[string]*ast.StructType) ([]union, error) {
	var out []union
	owner := map[string]string{} // branch type -> the union it implements
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			s := jsonBodySchema(op)
			if s == nil || len(s.OneOf) == 0 {
				continue
			}
			name, _ := s.Extensions["x-go-type"].(string)
			if name == "" {
				continue // left to oapi-codegen's union struct
			}
			where := fmt.Sprintf("%s %s (%s)", method, path, op.OperationID)
			u := union{Name: name, Op: goName(op.OperationID), Marker: "is" + name, Idempotent: true}
			var inline []*openapi3.SchemaRef
			if o := orig.Paths.Value(path); o != nil && o.GetOperation(method) != nil {
				if os := jsonBodySchema(o.GetOperation(method)); os != nil {
					inline = os.OneOf
				}
			}
			if len(inline) != len(s.OneOf) {
				return nil, fmt.Errorf("%s: the overlay changed the number of branches (%d, the description has %d)", where, len(s.OneOf), len(inline))
			}
			for i, br := range s.OneOf {
				t, err := branchType(doc, br, inline[i])
				if err != nil {
					return nil, fmt.Errorf("%s: oneOf[%d]: %w", where, i, err)
				}
				if prev, ok := owner[t]; ok {
					return nil, fmt.Errorf("%s: %s is already a branch of %s (one marker method per type)", where, t, prev)
				}
				owner[t] = name
				st, ok := structs[t]
				if !ok {
					return nil, fmt.Errorf("%s: api/ has no struct %s: regenerate api/", where, t)
				}
				u.Branches = append(u.Branches, t)
				u.Idempotent = u.Idempotent && gentools.StringField(st, "RequestId")
			}
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func jsonBodySchema(op *openapi3.Operation) *openapi3.Schema {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// branchType is the Go type of one oneOf branch, a component's. When the
// description writes the branch inline (orig), the overlay's component must
// be a copy of it.
func branchType(doc *openapi3.T, br, orig *openapi3.SchemaRef) (string, error) {
	const prefix = "#/components/schemas/"
	if !strings.HasPrefix(br.Ref, prefix) {
		return "", fmt.Errorf("an inline branch needs the overlay to $ref a component that copies it")
	}
	name := strings.TrimPrefix(br.Ref, prefix)
	if orig.Ref == "" {
		comp := doc.Components.Schemas[name]
		if comp == nil || comp.Value == nil {
			return "", fmt.Errorf("the overlay adds no component %s", name)
		}
		if a, b := wire(orig.Value), wire(comp.Value); !bytes.Equal(a, b) {
			return "", fmt.Errorf("component %s differs from the inline branch it copies:\n inline:    %s\n component: %s", name, a, b)
		}
	}
	return codegen.SchemaNameToTypeName(name), nil
}

// wire is a schema's JSON without x- extensions at any depth (generator
// hints, not part of what the schema accepts).
func wire(s *openapi3.Schema) []byte {
	b, err := json.Marshal(s)
	if err != nil {
		return []byte(err.Error())
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return []byte(err.Error())
	}
	b, err = json.Marshal(stripExtensions(v))
	if err != nil {
		return []byte(err.Error())
	}
	return b
}

func stripExtensions(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if strings.HasPrefix(k, "x-") {
				delete(v, k)
				continue
			}
			v[k] = stripExtensions(x)
		}
	case []any:
		for i, x := range v {
			v[i] = stripExtensions(x)
		}
	}
	return v
}

// apiStructs maps every struct type api/glomo.gen.go declares.
func apiStructs(path string) (map[string]*ast.StructType, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	out := map[string]*ast.StructType{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range g.Specs {
			if ts, ok := s.(*ast.TypeSpec); ok {
				if st, ok := ts.Type.(*ast.StructType); ok {
					out[ts.Name.Name] = st
				}
			}
		}
	}
	return out, nil
}

// goName is oapi-codegen's Go name of an operationId (createPayout ->
// CreatePayout), for doc comments.
func goName(id string) string {
	if id == "" {
		return id
	}
	return strings.ToUpper(id[:1]) + id[1:]
}

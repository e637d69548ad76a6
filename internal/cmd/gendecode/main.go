// Command gendecode writes api/decode.gen.go: a JSON decoder per model type
// of package api, generated from the types oapi-codegen wrote (read with
// go/types), built from the primitives of internal/jsondec.
//
// It loads package api with the build tag glomo_gendecode, under which the
// previous api/decode.gen.go is left out, so a stale file never stops the
// generator from running. A type it cannot decode field by field falls
// back to encoding/json for that field or type; a construct it does not
// know fails the run (nothing is skipped silently).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"go/types"
	"log"
	"os"
	"reflect"
	"sort"
	"strings"
	"text/template"

	"golang.org/x/tools/go/packages"

	"github.com/glomo-go/glomo-go/internal/jsondec"
)

const apiPath = "github.com/glomo-go/glomo-go/api"

func main() {
	out := flag.String("out", "api/decode.gen.go", "file to write")
	typesOut := flag.String("types-out", "api/decode_gen_test.go", "test file listing the decoded types (for api's differential test)")
	flag.Parse()
	cfg := &packages.Config{Mode: packages.NeedTypes | packages.NeedName, BuildFlags: []string{"-tags=glomo_gendecode"}}
	pkgs, err := packages.Load(cfg, apiPath)
	if err != nil {
		log.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		log.Fatal("gendecode: package api does not type-check")
	}
	g := newGen(pkgs[0].Types)
	src, err := g.file()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
	var list bytes.Buffer
	if err := typesTmpl.Execute(&list, g.decoders); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*typesOut, list.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// gen collects the decoders of one package.
type gen struct {
	pkg      *types.Package
	imports  map[string]string // path -> name used in the file
	decoders []decoder
}

// decoder is one named struct type's decoder.
type decoder struct {
	Type   string
	Fields []field
}

// field is one JSON member: its name and the statement expression that
// decodes it into the Go field.
type field struct {
	JSON, Call string
}

func newGen(pkg *types.Package) *gen {
	return &gen{pkg: pkg, imports: map[string]string{
		"github.com/go-faster/jx":                       "jx",
		"github.com/glomo-go/glomo-go/internal/jsondec": "jsondec",
	}}
}

// file renders every decoder.
func (g *gen) file() ([]byte, error) {
	scope := g.pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || !tn.Exported() {
			continue
		}
		named := tn.Type().(*types.Named)
		st, ok := named.Underlying().(*types.Struct)
		if !ok || hasUnmarshalJSON(named) || !isModel(st) {
			continue
		}
		fields, err := g.fields(st)
		if err != nil {
			return nil, fmt.Errorf("gendecode: %s: %w", name, err)
		}
		g.decoders = append(g.decoders, decoder{Type: name, Fields: fields})
	}
	var body bytes.Buffer
	if err := fileTmpl.Execute(&body, map[string]any{"Decoders": g.decoders}); err != nil {
		return nil, err
	}
	// Only the packages the decoders name: a type looked at but decoded
	// another way (json.Number) leaves its package unused.
	var imports []string
	for path, name := range g.imports {
		if bytes.Contains(body.Bytes(), []byte(name+".")) {
			imports = append(imports, name+" "+strconvQuote(path))
		}
	}
	sort.Strings(imports)
	var buf bytes.Buffer
	if err := fileTmpl.Execute(&buf, map[string]any{"Imports": imports, "Decoders": g.decoders}); err != nil {
		return nil, err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("gendecode: format: %w\n%s", err, buf.Bytes())
	}
	// A second pass: gofmt breaks a one-line literal holding a multi-line
	// type only on its second run, and fmt-check runs gofmt on this file.
	return format.Source(src)
}

// isModel: a struct whose every exported field says how it is named in
// JSON, as oapi-codegen's model types do. Anything else (the ...Result
// response holders, the client) keeps encoding/json's defaults.
func isModel(st *types.Struct) bool {
	n := 0
	for i := range st.NumFields() {
		f := st.Field(i)
		if !f.Exported() {
			continue
		}
		if f.Embedded() {
			return false
		}
		if _, ok := reflect.StructTag(st.Tag(i)).Lookup("json"); !ok {
			return false
		}
		n++
	}
	return n > 0
}

// fields lists the JSON members of st with their decoders.
func (g *gen) fields(st *types.Struct) ([]field, error) {
	var out []field
	if st.NumFields() > jsondec.MaxFields {
		return nil, fmt.Errorf("%d fields, more than jsondec.MaxFields", st.NumFields())
	}
	for i := range st.NumFields() {
		f := st.Field(i)
		if !f.Exported() {
			continue
		}
		tag, _ := reflect.StructTag(st.Tag(i)).Lookup("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" && opts == "" {
			continue
		}
		if strings.Contains(","+opts+",", ",string,") {
			return nil, fmt.Errorf("field %s: the ,string option is not supported", f.Name())
		}
		if name == "" {
			name = f.Name()
		}
		call, err := g.callFor(f.Type(), "&v."+f.Name())
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name(), err)
		}
		out = append(out, field{JSON: strconvQuote(name), Call: call})
	}
	return out, nil
}

// callFor returns an expression that decodes a value of type t into
// target (an expression of type *t) and yields the error.
func (g *gen) callFor(t types.Type, target string) (string, error) {
	var kind string
	var elem types.Type
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		kind, elem = "Ptr", u.Elem()
	case *types.Slice:
		kind, elem = "Slice", u.Elem()
	case *types.Map:
		kind, elem = "Map", u.Elem()
	}
	if fn, err := g.funcFor(t); kind == "" || !strings.HasPrefix(fn, "func(") {
		return fn + "(d, " + target + ")", err
	}
	inner, err := g.funcFor(elem)
	return fmt.Sprintf("jsondec.%s(d, %s, %s)", kind, target, inner), err
}

// funcFor returns an expression of type jsondec.Func[t].
func (g *gen) funcFor(t types.Type) (string, error) {
	ts := g.typeString(t)
	if named, ok := t.(*types.Named); ok {
		if obj := named.Obj(); obj.Pkg() != nil && obj.Pkg().Path() == "time" && obj.Name() == "Time" {
			return "jsondec.Time", nil
		}
		if hasUnmarshalJSON(named) {
			return "jsondec.Unmarshaler[" + ts + "]", nil
		}
		obj := named.Obj()
		if obj.Pkg() != nil && obj.Pkg().Path() == "encoding/json" && obj.Name() == "Number" {
			return "jsondec.Number", nil
		}
		if obj.Pkg() == g.pkg {
			if st, ok := named.Underlying().(*types.Struct); ok {
				if isModel(st) {
					return "decode" + obj.Name(), nil
				}
				return "jsondec.Std[" + ts + "]", nil
			}
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Kind() == types.String:
			return "jsondec.Str[" + ts + "]", nil
		case u.Kind() == types.Bool:
			return "jsondec.Bool[" + ts + "]", nil
		case u.Info()&types.IsInteger != 0 && u.Info()&types.IsUnsigned == 0:
			return "jsondec.Int[" + ts + "]", nil
		case u.Info()&types.IsFloat != 0:
			return "jsondec.Float[" + ts + "]", nil
		}
	case *types.Pointer:
		return g.wrap(ts, "Ptr", u.Elem())
	case *types.Slice:
		if b, ok := u.Elem().(*types.Basic); ok && b.Kind() == types.Byte {
			return "jsondec.Std[" + ts + "]", nil // base64, as encoding/json
		}
		return g.wrap(ts, "Slice", u.Elem())
	case *types.Map:
		if b, ok := u.Key().Underlying().(*types.Basic); ok && b.Kind() == types.String {
			return g.wrap(ts, "Map", u.Elem())
		}
		return "jsondec.Std[" + ts + "]", nil
	case *types.Struct:
		if !isModel(u) {
			return "jsondec.Std[" + ts + "]", nil
		}
		fields, err := g.fields(u)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		if err := objTmpl.Execute(&b, map[string]any{"Type": ts, "Fields": fields}); err != nil {
			return "", err
		}
		return b.String(), nil
	case *types.Interface:
		return "jsondec.Std[" + ts + "]", nil
	}
	return "", fmt.Errorf("no decoder for type %s", ts)
}

// wrap returns a literal that decodes a pointer, slice or map of elem.
func (g *gen) wrap(ts, kind string, elem types.Type) (string, error) {
	inner, err := g.funcFor(elem)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("func(d *jx.Decoder, p *%s) error {\nreturn jsondec.%s(d, p, %s)\n}", ts, kind, inner), nil
}

// typeString writes t as the generated file names it.
func (g *gen) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == g.pkg {
			return ""
		}
		name, ok := g.imports[p.Path()]
		if !ok {
			name = p.Name()
			if p.Path() == "github.com/oapi-codegen/runtime/types" {
				name = "openapi_types"
			}
			g.imports[p.Path()] = name
		}
		return name
	})
}

// hasUnmarshalJSON: *T has its own UnmarshalJSON (oapi-codegen's unions
// and additionalProperties types, time.Time, dates).
func hasUnmarshalJSON(named *types.Named) bool {
	ms := types.NewMethodSet(types.NewPointer(named))
	return ms.Lookup(named.Obj().Pkg(), "UnmarshalJSON") != nil
}

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }

// bodyTmpl is the body of one struct's decoder: a switch over the member
// names (unknown members are skipped by jsondec.Object). objTmpl wraps it
// in a literal, for anonymous structs; fileTmpl in a named function.
var bodyTmpl = template.Must(template.New("body").Parse(
	`return jsondec.Object(d, v, func(d *jx.Decoder, k []byte) (int, error) {
		switch string(k) {
		{{- range $i, $f := .Fields}}
		case {{$f.JSON}}:
			return {{$i}}, {{$f.Call}}
		{{- end}}
		}
		return -1, nil
	})`))

var objTmpl = template.Must(template.Must(bodyTmpl.Clone()).New("obj").Parse(
	`func(d *jx.Decoder, v *{{.Type}}) error {
	{{template "body" .}}
}`))

var fileTmpl = template.Must(template.Must(bodyTmpl.Clone()).New("file").Parse(`// Code generated by internal/cmd/gendecode; DO NOT EDIT.

//go:build !glomo_gendecode

package api

import (
{{- range .Imports}}
	{{.}}
{{- end}}
)

{{range .Decoders}}
// UnmarshalJSON decodes {{.Type}} with a decoder generated for it
// (internal/jsondec): encoding/json's results, without reflection.
func (v *{{.Type}}) UnmarshalJSON(b []byte) error { return jsondec.Unmarshal(b, v, decode{{.Type}}) }

func decode{{.Type}}(d *jx.Decoder, v *{{.Type}}) error {
	{{template "body" .}}
}
{{end}}
`))

var typesTmpl = template.Must(template.New("types").Parse(`// Code generated by internal/cmd/gendecode; DO NOT EDIT.

package api

// decodedTypes lists every type with a generated decoder, for
// TestGeneratedDecodersMatchEncodingJSON.
var decodedTypes = []any{
{{- range .}}
	(*{{.Type}})(nil),
{{- end}}
}
`))

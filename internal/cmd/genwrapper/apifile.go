package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/glomo-go/glomo-go/internal/gentools"
	"github.com/glomo-go/glomo-go/internal/specmodel"
)

// apiFile is what genwrapper knows about api/glomo.gen.go.
type apiFile struct {
	types    map[string]ast.Expr      // top-level type declarations
	defined  map[string]bool          // `type A B` declarations (not aliases)
	imports  map[string]string        // local name -> import path
	builders map[string]*ast.FuncDecl // New...Request[WithBody]
	methods  map[string]bool          // ClientWithResponses methods ending in WithResponse
}

// loadAPI reads api/glomo.gen.go and the files generated beside it
// (glue.gen.go declares the oneOf bodies' interfaces the builders take).
func loadAPI(path string) (*apiFile, error) {
	g := &apiFile{types: map[string]ast.Expr{}, defined: map[string]bool{}, imports: map[string]string{}, builders: map[string]*ast.FuncDecl{}, methods: map[string]bool{}}
	siblings, err := filepath.Glob(filepath.Join(filepath.Dir(path), "*.gen.go"))
	if err != nil {
		return nil, err
	}
	paths := []string{path}
	for _, p := range siblings {
		if p != path {
			paths = append(paths, p)
		}
	}
	for _, p := range paths {
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
		g.add(f, p == path)
	}
	return g, nil
}

// add records f's declarations; the imports of the main file only (the
// others' are of no type genwrapper prints).
func (g *apiFile) add(f *ast.File, main bool) {
	for _, imp := range f.Imports {
		if !main {
			break
		}
		p, _ := strconv.Unquote(imp.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		g.imports[name] = p
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok {
					g.types[ts.Name.Name] = ts.Type
					g.defined[ts.Name.Name] = !ts.Assign.IsValid()
				}
			}
		case *ast.FuncDecl:
			switch {
			case d.Recv == nil && strings.HasPrefix(d.Name.Name, "New") && (strings.HasSuffix(d.Name.Name, "Request") || strings.HasSuffix(d.Name.Name, "RequestWithBody")):
				g.builders[d.Name.Name] = d
			case d.Recv != nil && strings.HasSuffix(d.Name.Name, "WithResponse"):
				g.methods[d.Name.Name] = true
			}
		}
	}
}

// orphans lists the ...WithResponse methods of api/ no operation of the
// description accounts for.
func (g *apiFile) orphans(m *specmodel.Model) []string {
	known := map[string]bool{}
	for _, o := range m.Ops {
		known[goName(o.ID)+"WithResponse"] = true
		known[goName(o.ID)+"WithBodyWithResponse"] = true
	}
	var out []string
	for n := range g.methods {
		if !known[n] {
			out = append(out, strings.TrimSuffix(strings.TrimSuffix(n, "WithResponse"), "WithBody"))
		}
	}
	sort.Strings(out)
	return out
}

var (
	jsonField = regexp.MustCompile(`^JSON(2\d\d)$`)
	hoisted   = regexp.MustCompile(`^[A-Z]\w*[1-5]\d\dJSONResponseBody$`)
)

// operation joins one operation of the spec model with its generated Go.
func (g *apiFile) operation(so *specmodel.Operation, used map[string]bool) (*opData, error) {
	name := goName(so.ID)
	op := &opData{
		Name: name, ID: so.ID, Method: so.Method, Path: so.Path, Summary: so.Summary,
		Var: "op" + name, Idempotent: so.Idempotent, Success: so.JSONSuccess,
	}
	if so.Lookup != nil {
		op.Lookup = "op" + goName(so.Lookup.ID)
	}
	typed, raw := g.builders["New"+name+"Request"], g.builders["New"+name+"RequestWithBody"]
	if typed == nil && raw == nil {
		return nil, fmt.Errorf("api/ has no New%sRequest: regenerate api/", name)
	}
	if err := g.signature(op, typed, raw, used); err != nil {
		return nil, err
	}
	if err := g.result(op, so, used); err != nil {
		return nil, err
	}
	if so.List {
		it, err := g.iterator(op)
		if err != nil {
			return nil, err
		}
		op.Iter = it
	}
	return op, nil
}

// signature fills the typed method's arguments and the builder call.
// A JSON body is encoded by the executor (request.jsonBody) and handed to
// New...RequestWithBody, so the bytes sent are the bytes kept for retries.
func (g *apiFile) signature(op *opData, typed, raw *ast.FuncDecl, used map[string]bool) error {
	decl := typed
	if decl == nil {
		decl = raw
	}
	params := decl.Type.Params.List
	var builderArgs []string
	builderArgs = append(builderArgs, "c.cfg.server")
	for _, fl := range params[1:] { // drop server
		for _, n := range fl.Names {
			a := arg{Name: n.Name, Type: g.exprString(fl.Type, used)}
			switch {
			case typed != nil && n.Name == "body":
				body, err := g.jsonBody(op, fl.Type)
				if err != nil {
					return err
				}
				op.Body = body
				builderArgs = append(builderArgs, `"application/json"`, "reader")
			case typed == nil && n.Name == "body":
				op.Body = &bodyData{Raw: true, Var: "body"}
				builderArgs = append(builderArgs, "body")
			default:
				builderArgs = append(builderArgs, n.Name)
			}
			op.Args = append(op.Args, a)
		}
	}
	op.Builder = "api." + decl.Name.Name
	if op.Body != nil && !op.Body.Raw {
		if raw == nil {
			return fmt.Errorf("api/ has no New%sRequestWithBody", op.Name)
		}
		op.Builder = "api." + raw.Name.Name
	}
	op.BuilderArgs = strings.Join(builderArgs, ", ")
	if op.Idempotent && (op.Body == nil || op.Body.RequestID == "") {
		return errors.New("idempotent (request_id in the body) but its Go body type has no request_id to set")
	}
	return nil
}

// jsonBody decides how to encode a typed JSON body and set its request_id.
func (g *apiFile) jsonBody(op *opData, expr ast.Expr) (*bodyData, error) {
	b := &bodyData{Var: "body"}
	id, ok := expr.(*ast.Ident)
	if !ok {
		return b, nil
	}
	// `type XJSONRequestBody XJSONBody` (not an alias) drops XJSONBody's
	// methods: a oneOf body would then marshal as {}. Convert back first.
	if under, ok := g.types[id.Name].(*ast.Ident); ok && g.isDefined(id.Name) {
		if _, isAPI := g.types[under.Name]; isAPI {
			b.Var, b.Conv = "b", "api."+under.Name
		}
	}
	if it := g.interfaceOf(id.Name); it != nil {
		b.Sealed = true
		if op.Idempotent && hasMethod(it, "WithRequestID") {
			b.RequestID = "union"
		}
		return b, nil
	}
	if st := g.structOf(id.Name); op.Idempotent && st != nil && gentools.StringField(st, "RequestId") {
		b.RequestID = "field"
	}
	return b, nil
}

// interfaceOf follows type names and aliases to an interface type (a oneOf
// body's sealed interface, api/glue.gen.go).
func (g *apiFile) interfaceOf(name string) *ast.InterfaceType {
	it, _ := g.underlying(name).(*ast.InterfaceType)
	return it
}

func hasMethod(it *ast.InterfaceType, name string) bool {
	for _, m := range it.Methods.List {
		for _, n := range m.Names {
			if n.Name == name {
				return true
			}
		}
	}
	return false
}

func (g *apiFile) isDefined(name string) bool { return g.defined[name] }

// structOf follows type names and aliases to a struct type.
func (g *apiFile) structOf(name string) *ast.StructType {
	st, _ := g.underlying(name).(*ast.StructType)
	return st
}

// underlying follows type names and aliases of api/ to the type expression
// they end in (nil for a name api/ does not declare).
func (g *apiFile) underlying(name string) ast.Expr {
	for range 16 {
		t := g.types[name]
		id, ok := t.(*ast.Ident)
		if !ok {
			return t
		}
		name = id.Name
	}
	return nil
}

// result finds T of execute[T]: the one type of every 2xx JSON body.
func (g *apiFile) result(op *opData, so *specmodel.Operation, used map[string]bool) error {
	st, ok := g.types[op.Name+"Result"].(*ast.StructType)
	if !ok {
		return fmt.Errorf("api/ has no struct %sResult", op.Name)
	}
	var statuses []int
	var typ ast.Expr
	var typStr string
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			m := jsonField.FindStringSubmatch(n.Name)
			if m == nil {
				continue
			}
			code, _ := strconv.Atoi(m[1])
			statuses = append(statuses, code)
			s := g.exprString(f.Type, used)
			if typ != nil && s != typStr {
				return fmt.Errorf("2xx bodies of different types (%s, %s): the wrapper returns one type", typStr, s)
			}
			typ, typStr = f.Type, s
		}
	}
	sort.Ints(statuses)
	if fmt.Sprint(statuses) != fmt.Sprint(so.JSONSuccess) {
		return fmt.Errorf("api/ decodes 2xx %v, the description declares %v: regenerate api/", statuses, so.JSONSuccess)
	}
	star, ok := typ.(*ast.StarExpr)
	if !ok {
		return fmt.Errorf("no 2xx JSON body to return")
	}
	// An inline response schema: oapi-codegen names it <Op><status>JSONResponseBody
	// (generate-types-for-anonymous-schemas); the wrapper keeps its own
	// names for it, <Op>Page for a list and <Op>Response otherwise.
	if id, ok := star.X.(*ast.Ident); ok && hoisted.MatchString(id.Name) && strings.HasPrefix(id.Name, op.Name) {
		suffix := "Response"
		if so.List {
			suffix = "Page"
		}
		op.Result = op.Name + suffix
		op.Alias = g.exprString(id, used)
		op.page = g.structOf(id.Name)
		return nil
	}
	op.Result = g.exprString(star.X, used)
	return nil
}

// iterator describes <Op>Iter for a list operation whose Params struct has
// PerPage and Page (Before when the operation can be pinned).
func (g *apiFile) iterator(op *opData) (*iterData, error) {
	it := &iterData{}
	var callArgs []string
	for _, a := range op.Args {
		if strings.HasPrefix(a.Type, "*api.") && strings.HasSuffix(a.Type, "Params") {
			it.Params, it.ParamsArg = strings.TrimPrefix(a.Type, "*"), a.Name
			callArgs = append(callArgs, "p")
			continue
		}
		callArgs = append(callArgs, a.Name)
	}
	it.CallArgs = strings.Join(append(callArgs, "opts..."), ", ")
	if it.Params == "" {
		return nil, errors.New("list operation without a Params struct: no iterator can be generated")
	}
	ps := g.structOf(strings.TrimPrefix(it.Params, "api."))
	fieldType := map[string]string{}
	for _, f := range ps.Fields.List {
		if star, ok := f.Type.(*ast.StarExpr); ok {
			for _, n := range f.Names {
				fieldType[n.Name] = g.exprString(star.X, nil)
			}
		}
	}
	it.Before, it.PerPage, it.Page = fieldType["Before"], fieldType["PerPage"], fieldType["Page"]
	if it.PerPage == "" || it.Page == "" {
		return nil, errors.New("list Params without PerPage and Page: no iterator can be generated")
	}
	page := op.page
	if page == nil {
		return nil, errors.New("list page is not a struct")
	}
	for _, f := range page.Fields.List {
		if len(f.Names) != 1 {
			continue
		}
		switch f.Names[0].Name {
		case "Data":
			if a, ok := f.Type.(*ast.ArrayType); ok {
				it.Item = g.exprString(a.Elt, nil)
				it.IDAccess = g.idAccess(a.Elt)
			}
		case "PageMeta":
			switch g.exprString(f.Type, nil) {
			case "*api.PageMeta":
			case "api.PageMeta":
				it.MetaAddr = true
			default:
				return nil, errors.New("list page_meta is not an api.PageMeta")
			}
		}
	}
	if it.Item == "" {
		return nil, errors.New("list page has no Data []T")
	}
	return it, nil
}

// idAccess says how to read an item's id: "value" (Id string) or "" (no
// string id: items are not de-duplicated).
func (g *apiFile) idAccess(item ast.Expr) string {
	id, ok := item.(*ast.Ident)
	if !ok {
		return ""
	}
	st := g.structOf(id.Name)
	if st == nil {
		return ""
	}
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			if n.Name != "Id" {
				continue
			}
			if t, ok := f.Type.(*ast.Ident); ok && t.Name == "string" {
				return "value"
			}
		}
	}
	return ""
}

// exprString prints a type expression of api/ as the wrapper names it:
// api's own types qualified with "api.", other packages recorded in used.
func (g *apiFile) exprString(e ast.Expr, used map[string]bool) string {
	switch e := e.(type) {
	case *ast.Ident:
		if _, ok := g.types[e.Name]; ok {
			return "api." + e.Name
		}
		return e.Name
	case *ast.StarExpr:
		return "*" + g.exprString(e.X, used)
	case *ast.SelectorExpr:
		pkg := e.X.(*ast.Ident).Name
		if used != nil {
			used[pkg] = true
		}
		return pkg + "." + e.Sel.Name
	case *ast.ArrayType:
		return "[]" + g.exprString(e.Elt, used)
	case *ast.MapType:
		return "map[" + g.exprString(e.Key, used) + "]" + g.exprString(e.Value, used)
	case *ast.InterfaceType:
		return "interface{}"
	case *ast.StructType:
		var b strings.Builder
		b.WriteString("struct {\n")
		for _, f := range e.Fields.List {
			names := make([]string, len(f.Names))
			for i, n := range f.Names {
				names[i] = n.Name
			}
			b.WriteString(strings.Join(names, ", ") + " " + g.exprString(f.Type, used))
			if f.Tag != nil {
				b.WriteString(" " + f.Tag.Value)
			}
			b.WriteString("\n")
		}
		b.WriteString("}")
		return b.String()
	}
	return fmt.Sprintf("/* unsupported %T */", e)
}

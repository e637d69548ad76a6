// Command genwrapper writes wrapper/operations.gen.go: for every operation of
// openapi.yaml a static descriptor (operationId, method, path template,
// idempotent or not, success statuses, the duplicate-lookup operation) and
// one typed method on *wrapper.Client that builds its request with the
// generated api.New...Request function and hands it to the wrapper's one
// executor; for every list operation also an iterator with a typed id
// accessor.
//
// It reads two inputs and hand-lists nothing:
//   - openapi.yaml, through the spec model (internal/specmodel): the
//     operations, their method, path, summary, idempotency, success statuses,
//     list shape and lookup operation;
//   - api/glomo.gen.go (go/ast), for the exact Go names oapi-codegen chose:
//     the New...Request builders and their arguments, the Result type and its
//     JSON2xx fields, the Params struct, the body type.
//
// It fails, naming the operation, when one cannot be generated: a missing
// builder, 2xx bodies of different types, an idempotent body without a
// request_id it can set. The output is written with text/template
// (template.go). Run it through `go generate ./wrapper/` (see wrapper/gen.go).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/glomo-go/glomo-go/internal/specmodel"
)

func main() {
	specPath := flag.String("spec", "../openapi.yaml", "OpenAPI description")
	apiPath := flag.String("api", "../api/glomo.gen.go", "oapi-codegen output")
	out := flag.String("out", "operations.gen.go", "file to write")
	pkg := flag.String("pkg", "wrapper", "package of the output")
	flag.Parse()

	src, err := Generate(*specPath, *apiPath, *pkg, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genwrapper:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genwrapper:", err)
		os.Exit(1)
	}
}

// Generate returns the formatted source of operations.gen.go. Operations
// that api/ has and the description lacks are reported to warn (they have
// no descriptor); an operation of the description that cannot be generated
// is an error.
func Generate(specPath, apiPath, pkg string, warn io.Writer) ([]byte, error) {
	data, err := os.ReadFile(specPath)
	if err != nil {
		return nil, err
	}
	m, err := specmodel.Load(data)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", specPath, err)
	}
	g, err := loadAPI(apiPath)
	if err != nil {
		return nil, err
	}
	file := fileData{Package: pkg}
	used := map[string]bool{}
	for _, so := range m.Ops {
		op, err := g.operation(so, used)
		if err != nil {
			return nil, fmt.Errorf("%s (%s %s): %w", so.ID, so.Method, so.Path, err)
		}
		file.Ops = append(file.Ops, op)
	}
	for _, name := range g.orphans(m) {
		fmt.Fprintf(warn, "genwrapper: %s is in api/ but not in the description; skipped\n", name)
	}
	std := map[string]bool{`"context"`: true}
	for _, op := range file.Ops {
		if op.Iter != nil {
			std[`"iter"`] = true
		}
	}
	for name := range used {
		path, ok := g.imports[name]
		switch {
		case !ok:
		case strings.Contains(path, "."): // a module path, not the standard library
			file.Imports = append(file.Imports, importLine(name, path))
		default:
			std[importLine(name, path)] = true
		}
	}
	for line := range std {
		file.Std = append(file.Std, line)
	}
	sort.Strings(file.Std)
	sort.Strings(file.Imports)
	var b bytes.Buffer
	if err := fileTemplate.Execute(&b, file); err != nil {
		return nil, err
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format: %w\n%s", err, b.Bytes())
	}
	return out, nil
}

func importLine(name, path string) string {
	if name == path[strings.LastIndex(path, "/")+1:] {
		return strconv.Quote(path)
	}
	return name + " " + strconv.Quote(path)
}

// fileData is what fileTemplate renders.
type fileData struct {
	Package string
	Std     []string // standard-library imports
	Imports []string // third-party packages the printed types name
	Ops     []*opData
}

// opData is one operation as the templates need it.
type opData struct {
	Name, ID, Method, Path, Summary string
	Var                             string // the descriptor: opCreatePayout
	Idempotent                      bool
	Success                         []int
	Lookup                          string // the lookup's descriptor, or ""
	Args                            []arg  // the typed method's arguments after ctx
	Builder                         string // api.New...Request[WithBody]
	BuilderArgs                     string
	Body                            *bodyData
	Result                          string // T of execute[T]
	Alias                           string // set when T is an inline struct: its declaration
	Iter                            *iterData
	page                            *ast.StructType // an inline page struct, for the iterator
}

type arg struct{ Name, Type string }

// bodyData says how a typed method encodes its request body.
type bodyData struct {
	Raw bool // contentType + io.Reader, passed through as is
	// Var is the variable holding the typed body: "body", or "b" after a
	// conversion Conv (a defined type that lost its MarshalJSON).
	Var, Conv string
	// Sealed: a oneOf body's interface (api/glue.gen.go); nil is refused.
	Sealed bool
	// RequestID is "field" (a RequestId string field), "union" (a sealed
	// interface whose branches carry request_id: RequestID/WithRequestID) or
	// "" (not idempotent).
	RequestID string
}

// iterData is a list operation's iterator.
type iterData struct {
	Item, Params, Before, PerPage, Page string
	ParamsArg                           string // the Params argument's name
	MetaAddr                            bool   // PageMeta is a value: pass its address
	IDAccess                            string // "value" or "" (no id field)
	CallArgs                            string // arguments of the page method inside the iterator
}

func goName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
			up = true
		case up:
			b.WriteString(strings.ToUpper(string(r)))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	if len(s) > 1 && strings.ToUpper(s[:2]) == s[:2] { // keep acronyms (LRS, API)
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// Package specmodel is glomo-go's one model of openapi.yaml: the operations
// (id, method, path, parameters, request and response schemas) and the facts
// every consumer derives from them the same way — list detection, property
// walks, id prefixes, the duplicate-lookup operation of an idempotent create,
// and path matching.
//
// genwrapper uses it at generation time; the mock, drift and the contract
// tests at run time. The wrapper never imports it: the facts it needs are
// generated into wrapper/operations.gen.go.
package specmodel

import (
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Model is a parsed description with its operations.
type Model struct {
	// Doc is the parsed description. Treat it as read-only: it is shared by
	// every user of Default.
	Doc *openapi3.T
	// BasePath is the path of the first server URL ("/api"), "" without one.
	BasePath string
	// Ops holds every operation, sorted by path, then method.
	Ops  []*Operation
	byID map[string]*Operation
	// byShape indexes Ops by method and segment count for Match.
	byShape map[shape][]*Operation

	routerOnce sync.Once
	router     routers.Router
	routerErr  error
}

// Operation is one operation of the description with its derived facts.
type Operation struct {
	ID      string // operationId, or "METHOD path" when the spec has none
	Method  string // upper case
	Path    string // path template, e.g. /v1/payouts/{id}
	Summary string // first line, without a final period
	// Segments is Path split at "/"; parameters keep their braces.
	Segments []string
	Op       *openapi3.Operation

	// RequestSchema is the JSON request body's schema (nil without one).
	RequestSchema *openapi3.SchemaRef
	// Idempotent: the JSON request body declares request_id.
	Idempotent bool

	// Success is the lowest documented 2xx status (200 when none is).
	Success int
	// SuccessSchema and SuccessMedia are Success's JSON body, if it has one.
	SuccessSchema *openapi3.SchemaRef
	SuccessMedia  *openapi3.MediaType
	// JSONSuccess lists the 2xx statuses that have a JSON body, ascending.
	JSONSuccess []int
	// List: the lowest 2xx JSON body is a page {data: [...], page_meta}.
	List bool
	// ListItems is a page's item schema (nil when not List).
	ListItems *openapi3.SchemaRef

	// Prefixes maps a path parameter to the id prefix its pattern
	// declares ("^payout_..." → "payout_").
	Prefixes map[string]string
	// Lookup is the GET list operation that finds what this create made by
	// ?request_id= (nil when not Idempotent or when the spec has none).
	Lookup *Operation
}

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the model of the embedded OpenAPI, parsed once per process.
func Default() (*Model, error) {
	defaultOnce.Do(func() { defaultModel, defaultErr = Load(OpenAPI) })
	return defaultModel, defaultErr
}

// Load parses a description (YAML or JSON).
func Load(data []byte) (*Model, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("specmodel: parse description: %w", err)
	}
	return FromDoc(doc), nil
}

// FromDoc builds the model of a parsed description.
func FromDoc(doc *openapi3.T) *Model {
	m := &Model{Doc: doc}
	if len(doc.Servers) > 0 {
		if u, err := url.Parse(doc.Servers[0].URL); err == nil {
			m.BasePath = strings.TrimRight(u.Path, "/")
		}
	}
	if doc.Paths != nil {
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				m.Ops = append(m.Ops, newOperation(path, method, op))
			}
		}
	}
	m.index()
	for _, o := range m.Ops {
		if o.Idempotent {
			o.Lookup = m.lookupFor(o)
		}
	}
	return m
}

// ForPaths is a Model that knows only its operations' ID, Method and Path:
// enough for Match, Find and Op, for a caller that reads the rest of the
// description its own way (drift). It sorts ops.
func ForPaths(ops []*Operation) *Model {
	m := &Model{Ops: ops}
	m.index()
	return m
}

// index sorts Ops (by path, then method) and indexes them by id and shape.
func (m *Model) index() {
	sort.Slice(m.Ops, func(i, j int) bool {
		if m.Ops[i].Path != m.Ops[j].Path {
			return m.Ops[i].Path < m.Ops[j].Path
		}
		return m.Ops[i].Method < m.Ops[j].Method
	})
	m.byID, m.byShape = map[string]*Operation{}, map[shape][]*Operation{}
	for _, o := range m.Ops {
		if o.Segments == nil {
			o.Segments = SplitPath(o.Path)
		}
		m.byID[o.ID] = o
		k := shape{o.Method, len(o.Segments)}
		m.byShape[k] = append(m.byShape[k], o)
	}
}

func newOperation(path, method string, op *openapi3.Operation) *Operation {
	o := &Operation{
		ID:       op.OperationID,
		Method:   strings.ToUpper(method),
		Path:     path,
		Summary:  oneLine(op.Summary),
		Segments: SplitPath(path),
		Op:       op,
		Prefixes: map[string]string{},
	}
	if o.ID == "" {
		o.ID = o.Method + " " + path
	}
	for _, p := range op.Parameters {
		if p.Value == nil || p.Value.In != openapi3.ParameterInPath || p.Value.Schema == nil || p.Value.Schema.Value == nil {
			continue
		}
		if pr := IDPrefix(p.Value.Schema.Value.Pattern); pr != "" {
			o.Prefixes[p.Value.Name] = pr
		}
	}
	if rb := op.RequestBody; rb != nil && rb.Value != nil {
		if mt := rb.Value.Content.Get("application/json"); mt != nil {
			o.RequestSchema = mt.Schema
			o.Idempotent = HasProperty(mt.Schema, "request_id")
		}
	}
	o.success(op)
	return o
}

// success fills the 2xx facts.
func (o *Operation) success(op *openapi3.Operation) {
	if op.Responses == nil {
		o.Success = http.StatusOK
		return
	}
	lowestJSON := 0
	for code, r := range op.Responses.Map() {
		st, err := strconv.Atoi(code)
		if err != nil || st < 200 || st > 299 {
			continue
		}
		var mt *openapi3.MediaType
		if r.Value != nil {
			mt = r.Value.Content.Get("application/json")
		}
		if o.Success == 0 || st < o.Success {
			o.Success, o.SuccessMedia, o.SuccessSchema = st, mt, nil
			if mt != nil {
				o.SuccessSchema = mt.Schema
			}
		}
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			continue
		}
		o.JSONSuccess = append(o.JSONSuccess, st)
		if lowestJSON == 0 || st < lowestJSON {
			lowestJSON = st
			o.ListItems = ListItems(mt.Schema)
			o.List = o.ListItems != nil
		}
	}
	sort.Ints(o.JSONSuccess)
	if o.Success == 0 {
		o.Success = http.StatusOK
	}
}

// Op returns the operation with operationId id, or nil.
func (m *Model) Op(id string) *Operation { return m.byID[id] }

// Find returns the operation with this method and path template, or nil.
func (m *Model) Find(method, path string) *Operation {
	for _, o := range m.byShape[shape{method, len(SplitPath(path))}] {
		if o.Path == path {
			return o
		}
	}
	return nil
}

// shape is a method and a number of path segments.
type shape struct {
	method string
	n      int
}

// Match finds the operation for a concrete request path relative to the
// base path ("/v1/payouts/payout_1"). Literal segments beat parameters, so
// /v1/payouts/mock wins over /v1/payouts/{id}; a parameter never matches an
// empty segment. It allocates nothing: drift runs it on every response.
func (m *Model) Match(method, path string) *Operation {
	path = strings.Trim(path, "/")
	var best *Operation
	bestScore := -1
	for _, o := range m.byShape[shape{method, strings.Count(path, "/") + 1}] {
		if score, ok := o.match(path); ok && score > bestScore {
			best, bestScore = o, score
		}
	}
	return best
}

// match reports whether a trimmed path fits o's template, and how many of
// its literal segments it matched.
func (o *Operation) match(path string) (score int, ok bool) {
	for _, s := range o.Segments {
		var part string
		part, path, _ = strings.Cut(path, "/")
		switch {
		case strings.HasPrefix(s, "{"):
			if part == "" {
				return 0, false
			}
		case s == part:
			score++
		default:
			return 0, false
		}
	}
	return score, true
}

// lookupFor picks the list operation that fetches an object created by o
// through ?request_id=: a list operation declaring that query parameter at
// the same path or the closest enclosing one, else the list operation of the
// same path (Glomo's list endpoints accept request_id even where the
// description does not say so).
func (m *Model) lookupFor(o *Operation) *Operation {
	same := m.Find(http.MethodGet, o.Path)
	if same != nil && same.List && same.HasQueryParam("request_id") {
		return same
	}
	for p := o.Path; strings.Count(p, "/") > 1; {
		p = p[:strings.LastIndex(p, "/")]
		if l := m.Find(http.MethodGet, p); l != nil && l.List && l.HasQueryParam("request_id") {
			return l
		}
	}
	if same != nil && same.List {
		return same
	}
	return nil
}

// HasQueryParam reports whether the operation declares a query parameter.
func (o *Operation) HasQueryParam(name string) bool {
	for _, p := range o.Op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery && p.Value.Name == name {
			return true
		}
	}
	return false
}

// HasProperty reports whether a schema declares a property, directly or
// through allOf/oneOf/anyOf (the quote / no-quote variants of a create).
func HasProperty(s *openapi3.SchemaRef, name string) bool {
	for n := range Properties(s) {
		if n == name {
			return true
		}
	}
	return false
}

// Properties yields every declaration of every property of s: its own
// properties, then those of its allOf, oneOf and anyOf branches in order,
// depth first — so a name declared in several places comes first from the
// declaration that takes precedence (the outermost, then the earliest
// branch). A schema met twice on one branch is not walked again, so
// recursive schemas end without an arbitrary depth limit.
func Properties(s *openapi3.SchemaRef) iter.Seq2[string, *openapi3.SchemaRef] {
	return func(yield func(string, *openapi3.SchemaRef) bool) {
		walkProperties(s, map[*openapi3.Schema]bool{}, yield)
	}
}

// walkProperties is Properties' walk; false: yield asked to stop.
func walkProperties(s *openapi3.SchemaRef, seen map[*openapi3.Schema]bool, yield func(string, *openapi3.SchemaRef) bool) bool {
	if s == nil || s.Value == nil || seen[s.Value] {
		return true
	}
	for name, p := range s.Value.Properties {
		if !yield(name, p) {
			return false
		}
	}
	seen[s.Value] = true
	defer delete(seen, s.Value)
	for _, group := range []openapi3.SchemaRefs{s.Value.AllOf, s.Value.OneOf, s.Value.AnyOf} {
		for _, sub := range group {
			if !walkProperties(sub, seen, yield) {
				return false
			}
		}
	}
	return true
}

// ListItems returns the item schema when s describes a page
// {data: [...], page_meta}, else nil.
func ListItems(s *openapi3.SchemaRef) *openapi3.SchemaRef {
	if s == nil || s.Value == nil {
		return nil
	}
	d, ok := s.Value.Properties["data"]
	if !ok || d.Value == nil || !d.Value.Type.Includes(openapi3.TypeArray) || d.Value.Items == nil {
		return nil
	}
	if _, ok := s.Value.Properties["page_meta"]; !ok {
		return nil
	}
	return d.Value.Items
}

var prefixRE = regexp.MustCompile(`^\^([A-Za-z0-9]+_)`)

// IDPrefix returns the literal prefix an id pattern starts with
// ("^payout_[A-Za-z0-9]+$" → "payout_"), or "".
func IDPrefix(pattern string) string {
	if m := prefixRE.FindStringSubmatch(pattern); m != nil {
		return m[1]
	}
	return ""
}

// SplitPath cuts a path into its segments, ignoring leading and trailing
// slashes.
func SplitPath(p string) []string {
	return strings.Split(strings.Trim(p, "/"), "/")
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(strings.TrimSpace(s), ".")
}

// Router returns a kin-openapi router over the model's paths without the
// server prefix (callers strip BasePath themselves), built once per model.
func (m *Model) Router() (routers.Router, error) {
	m.routerOnce.Do(func() {
		doc := *m.Doc // shallow: the paths are shared, the servers are not
		doc.Servers = nil
		m.router, m.routerErr = legacy.NewRouter(&doc, openapi3.DisableExamplesValidation())
	})
	return m.router, m.routerErr
}

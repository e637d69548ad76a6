// Package contract drives every operation of openapi.yaml against a Glomo
// API (the mock, or the real sandbox) and checks each response against the
// spec. The tests of this package call through the SDK; the mock's own tests
// reuse the Runner with a raw HTTP caller.
//
// Inputs come from the spec: request bodies from its examples
// (mock.RequestBody), required query parameters from their examples, and
// path ids from objects the Runner creates first through the operation that
// creates that resource (found structurally: POST on the collection of
// …/{id}, or the POST whose response id carries the prefix). Only the few
// lifecycle preconditions the spec cannot express live in Setups.
package contract

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/glomo-go/glomo-go/internal/specmodel"
	"github.com/glomo-go/glomo-go/mock"
)

// Op is one operation of the spec.
type Op struct {
	ID       string
	Method   string
	Path     string // spec path, e.g. /v1/payouts/{id}
	ReadOnly bool   // GET
	HasBody  bool
	op       *openapi3.Operation
}

// Spec is the parsed openapi.yaml with what the Runner derives from it.
type Spec struct {
	Doc      *openapi3.T
	Ops      []*Op // sorted by ID
	byID     map[string]*Op
	router   routers.Router
	basePath string
	prefixes map[string]string // path parameter name@path → prefix
	producer map[string]*Op    // id prefix → the operation that creates it
	idField  map[string]string // "path:" producer key → path parameter name
	fallback map[string]string // "path:" producer key → the parameter's example
}

// findID returns the id in a create's answer: id, data.id, or the field
// named like the path parameter (e.g. merchant_id) at the top or in data.
func findID(obj map[string]any, field string) string {
	for _, m := range []map[string]any{obj, asMap(obj["data"])} {
		if m == nil {
			continue
		}
		if id, ok := m["id"].(string); ok && id != "" {
			return id
		}
		if field != "" {
			if id, ok := m[field].(string); ok && id != "" {
				return id
			}
		}
	}
	return ""
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// LoadSpec returns the Spec of the shared spec model (internal/specmodel),
// built once per process.
func LoadSpec() (*Spec, error) {
	specOnce.Do(func() {
		m, err := specmodel.Default()
		if err != nil {
			specErr = err
			return
		}
		specV, specErr = loadSpec(m)
	})
	return specV, specErr
}

var (
	specOnce sync.Once
	specV    *Spec
	specErr  error
)

func loadSpec(m *specmodel.Model) (*Spec, error) {
	s := &Spec{Doc: m.Doc, basePath: m.BasePath, byID: map[string]*Op{}, prefixes: map[string]string{}, producer: map[string]*Op{}, idField: map[string]string{}, fallback: map[string]string{}}
	var err error
	if s.router, err = m.Router(); err != nil {
		return nil, err
	}
	for _, so := range m.Ops {
		o := &Op{ID: so.ID, Method: so.Method, Path: so.Path, ReadOnly: so.Method == http.MethodGet, op: so.Op}
		o.HasBody = so.Op.RequestBody != nil && so.Op.RequestBody.Value != nil && len(so.Op.RequestBody.Value.Content) > 0
		s.Ops = append(s.Ops, o)
		s.byID[o.ID] = o
	}
	sort.Slice(s.Ops, func(i, j int) bool { return s.Ops[i].ID < s.Ops[j].ID })
	// Producers: the POST on the collection of an item path …/{id} whose
	// parameter has a prefix pattern, when that POST answers an id; else any
	// POST whose success body's id example carries the prefix.
	for _, o := range s.Ops {
		for _, p := range o.op.Parameters {
			if p.Value == nil || p.Value.In != "path" || p.Value.Schema == nil || p.Value.Schema.Value == nil {
				continue
			}
			prefix := specmodel.IDPrefix(p.Value.Schema.Value.Pattern)
			if prefix == "" {
				continue
			}
			s.prefixes[p.Value.Name+"@"+o.Path] = prefix
			coll, ok := strings.CutSuffix(o.Path, "/{"+p.Value.Name+"}")
			if !ok || s.producer[prefix] != nil {
				continue
			}
			for _, c := range s.Ops {
				if c.Path == coll && c.Method == http.MethodPost && strings.HasPrefix(exampleID(c), prefix) {
					s.producer[prefix] = c
				}
			}
		}
	}
	// Item paths without a prefix pattern: the POST on their collection.
	for _, o := range s.Ops {
		for _, p := range o.op.Parameters {
			if p.Value == nil || p.Value.In != "path" || s.prefixes[p.Value.Name+"@"+o.Path] != "" {
				continue
			}
			coll, ok := strings.CutSuffix(o.Path, "/{"+p.Value.Name+"}")
			if !ok {
				continue
			}
			for _, c := range s.Ops {
				if c.Path == coll && c.Method == http.MethodPost {
					s.prefixes[p.Value.Name+"@"+o.Path] = "path:" + coll
					s.producer["path:"+coll] = c
					s.idField["path:"+coll] = p.Value.Name
					s.fallback["path:"+coll] = paramExample(p.Value)
				}
			}
		}
	}
	for _, o := range s.Ops {
		if o.Method != http.MethodPost || strings.Contains(o.Path, "{") {
			continue
		}
		id := exampleID(o)
		if i := strings.Index(id, "_"); i > 0 {
			if p := id[:i+1]; s.producer[p] == nil {
				s.producer[p] = o
			}
		}
	}
	return s, nil
}

// exampleID is the example id of an operation's success response body.
func exampleID(o *Op) string {
	for code, r := range o.op.Responses.Map() {
		if !strings.HasPrefix(code, "2") || r.Value == nil {
			continue
		}
		mt := r.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			continue
		}
		if ex, ok := mt.Example.(map[string]any); ok {
			if id, ok := ex["id"].(string); ok {
				return id
			}
		}
		if p := mt.Schema.Value.Properties["id"]; p != nil && p.Value != nil {
			if id, ok := p.Value.Example.(string); ok {
				return id
			}
		}
		for _, br := range mt.Schema.Value.AllOf {
			if br.Value != nil && br.Value.Properties["id"] != nil && br.Value.Properties["id"].Value != nil {
				if id, ok := br.Value.Properties["id"].Value.Example.(string); ok {
					return id
				}
			}
		}
	}
	return ""
}

// Op returns the operation with operationId id.
func (s *Spec) Op(id string) *Op { return s.byID[id] }

// Request is one call the Runner asks its Caller to make.
type Request struct {
	Op         *Op
	PathParams map[string]string
	Query      url.Values
	Body       []byte // nil without a body
	// ContentType of Body; empty means application/json.
	ContentType string
}

// URLPath is the request path under the spec's base path, parameters
// filled in, e.g. /api/v1/payouts/payout_x.
func (r *Request) URLPath(basePath string) string {
	p := r.Op.Path
	for k, v := range r.PathParams {
		p = strings.ReplaceAll(p, "{"+k+"}", url.PathEscape(v))
	}
	return basePath + p
}

// Response is what a Caller got back.
type Response struct {
	Status  int
	Header  http.Header
	Body    []byte
	Request *http.Request
	// Raw is true when the call bypassed the SDK (no generated method).
	Raw bool
	// Via says which client made the call ("wrapper", "sdk", "raw"), when
	// the Caller knows.
	Via string
}

// Caller makes one call.
type Caller func(ctx context.Context, req *Request) (*Response, error)

// Setup prepares the inputs of an operation whose success depends on a
// lifecycle state the spec cannot express; it may call other operations
// through r and returns the request to make (nil: the default one).
type Setup func(ctx context.Context, r *Runner, req *Request) error

// Runner calls operations through a Caller, creating the objects their
// inputs refer to first.
type Runner struct {
	Spec   *Spec
	Call   Caller
	Setups map[string]Setup
	// ReuseIDs maps an id prefix to an existing object to use instead of
	// creating one (live runs fill it from list responses).
	ReuseIDs map[string]string
	// NoCreate forbids creating objects (read-only live runs).
	NoCreate bool

	mu        sync.Mutex
	shared    map[string]string
	depth     int
	producing map[string]bool
}

// NewRunner returns a Runner with the default Setups.
func NewRunner(s *Spec, call Caller) *Runner {
	return &Runner{Spec: s, Call: call, Setups: DefaultSetups(), ReuseIDs: map[string]string{}, shared: map[string]string{}}
}

// Build returns the default request for op: body from the spec's examples
// with every id that has a known prefix replaced by a real object, required
// query parameters from their examples, path parameters from real objects.
// fresh asks for new objects for the path (for operations that change them).
func (r *Runner) Build(ctx context.Context, op *Op, fresh bool) (*Request, error) {
	req := &Request{Op: op, PathParams: map[string]string{}, Query: url.Values{}}
	for _, p := range op.op.Parameters {
		pv := p.Value
		if pv == nil {
			continue
		}
		switch pv.In {
		case "path":
			prefix := r.Spec.prefixes[pv.Name+"@"+op.Path]
			v := ""
			if prefix != "" && (r.Spec.producer[prefix] != nil || r.ReuseIDs[prefix] != "") {
				id, err := r.ID(ctx, prefix, fresh)
				if err != nil {
					return nil, fmt.Errorf("%s: path %s: %w", op.ID, pv.Name, err)
				}
				v = id
			} else {
				v = paramExample(pv)
			}
			req.PathParams[pv.Name] = v
		case "query":
			if pv.Required {
				req.Query.Set(pv.Name, paramExample(pv))
			}
		}
	}
	if op.HasBody && op.op.RequestBody.Value.Content.Get("application/json") == nil {
		if mt := op.op.RequestBody.Value.Content.Get("multipart/form-data"); mt != nil {
			req.Body, req.ContentType = multipartBody(mt)
		}
		return req, nil
	}
	if op.HasBody {
		b, err := mock.RequestBody(op.ID)
		if err != nil {
			return nil, err
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, err
		}
		uniqueEmails(v)
		v, err = r.substitute(ctx, v, "")
		if err != nil {
			return nil, fmt.Errorf("%s: body: %w", op.ID, err)
		}
		if m, ok := v.(map[string]any); ok {
			if _, ok := m["request_id"]; ok {
				m["request_id"] = uniqueID("req")
			}

		}
		req.Body, _ = json.Marshal(v)
	}
	return req, nil
}

func paramExample(p *openapi3.Parameter) string {
	if p.Example != nil {
		return fmt.Sprint(p.Example)
	}
	for _, ex := range p.Examples {
		if ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return fmt.Sprint(ex.Value.Value)
		}
	}
	if p.Schema != nil && p.Schema.Value != nil {
		s := p.Schema.Value
		if s.Example != nil {
			return fmt.Sprint(s.Example)
		}
		for _, e := range s.Enum {
			if e != nil {
				return fmt.Sprint(e)
			}
		}
		if s.Default != nil {
			return fmt.Sprint(s.Default)
		}
		if s.Type.Includes("integer") || s.Type.Includes("number") {
			return "1"
		}
	}
	return "x"
}

// substitute replaces string ids with a known prefix by real objects.
func (r *Runner) substitute(ctx context.Context, v any, key string) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			nv, err := r.substitute(ctx, e, k)
			if err != nil {
				return nil, err
			}
			t[k] = nv
		}
	case []any:
		for i, e := range t {
			nv, err := r.substitute(ctx, e, key)
			if err != nil {
				return nil, err
			}
			t[i] = nv
		}
	case string:
		if key != "id" && !strings.HasSuffix(key, "_id") && key != "documents" && !strings.HasSuffix(key, "_ids") {
			return t, nil
		}
		if i := strings.Index(t, "_"); i > 0 {
			if p := t[:i+1]; r.Spec.producer[p] != nil && !r.producing[p] {
				return r.ID(ctx, p, false)
			}
		}
	}
	return v, nil
}

func uniqueID(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

// ID returns the id of an object with prefix, creating one through its
// producer (a new one when fresh, else a shared one).
func (r *Runner) ID(ctx context.Context, prefix string, fresh bool) (string, error) {
	if id := r.ReuseIDs[prefix]; id != "" {
		return id, nil
	}
	r.mu.Lock()
	id := r.shared[prefix]
	r.mu.Unlock()
	if id != "" && !fresh {
		return id, nil
	}
	if r.NoCreate {
		return "", fmt.Errorf("no %s object to use and creating is off", prefix)
	}
	prod := r.Spec.producer[prefix]
	if prod == nil {
		return "", fmt.Errorf("no operation creates %s objects", prefix)
	}
	if r.depth > 6 {
		return "", errors.New("dependency chain too deep")
	}
	r.depth++
	if r.producing == nil {
		r.producing = map[string]bool{}
	}
	r.producing[prefix] = true
	defer func() { r.depth--; delete(r.producing, prefix) }()
	res, _, err := r.Do(ctx, prod, false)
	if err != nil {
		return "", err
	}
	if res.Status < 200 || res.Status > 299 {
		return "", fmt.Errorf("creating %s via %s: status %d: %s", prefix, prod.ID, res.Status, res.Body)
	}
	var obj map[string]any
	if err := json.Unmarshal(res.Body, &obj); err != nil {
		return "", fmt.Errorf("creating %s via %s: %w", prefix, prod.ID, err)
	}
	id = findID(obj, r.Spec.idField[prefix])
	if id == "" && strings.HasPrefix(prefix, "path:") {
		id = r.Spec.fallback[prefix]
	}
	if !strings.HasPrefix(prefix, "path:") && !strings.HasPrefix(id, prefix) || id == "" {
		return "", fmt.Errorf("creating %s via %s: answer has id %q", prefix, prod.ID, id)
	}
	r.mu.Lock()
	if r.shared[prefix] == "" || !fresh {
		r.shared[prefix] = id
	}
	r.mu.Unlock()
	return id, nil
}

// Do builds op's request (running its Setup, if any) and calls it.
func (r *Runner) Do(ctx context.Context, op *Op, fresh bool) (*Response, *Request, error) {
	req, err := r.Build(ctx, op, fresh)
	if err != nil {
		return nil, nil, err
	}
	if s := r.Setups[op.ID]; s != nil {
		if err := s(ctx, r, req); err != nil {
			return nil, req, fmt.Errorf("%s setup: %w", op.ID, err)
		}
	}
	res, err := r.Call(ctx, req)
	return res, req, err
}

// Validate checks a response against the spec with kin-openapi's
// openapi3filter.ValidateResponse (status, headers and body).
func (s *Spec) Validate(ctx context.Context, res *Response) error {
	if res.Request == nil {
		return errors.New("response has no request")
	}
	rq := res.Request.Clone(ctx)
	p := rq.URL.Path
	if rest, ok := strings.CutPrefix(p, s.basePath); ok {
		p = rest
	}
	rq.URL.Path, rq.URL.RawPath = p, ""
	route, params, err := s.router.FindRoute(rq)
	if err != nil {
		return fmt.Errorf("route %s %s: %w", rq.Method, p, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: rq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true},
		},
		Status: res.Status,
		Header: res.Header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	in.SetBodyBytes(res.Body)
	return openapi3filter.ValidateResponse(ctx, in)
}

// OperationIDs lists the spec's operationIds, sorted.
func (s *Spec) OperationIDs() []string {
	out := make([]string, 0, len(s.Ops))
	for _, o := range s.Ops {
		out = append(out, o.ID)
	}
	return out
}

// HTTPCaller calls operations with plain HTTP (no SDK) at baseURL (the
// spec's server URL, e.g. http://127.0.0.1:port/api) with a bearer key.
func HTTPCaller(baseURL, key string, client *http.Client) Caller {
	base, _ := url.Parse(baseURL)
	return func(ctx context.Context, req *Request) (*Response, error) {
		u := *base
		u.Path = strings.TrimRight(base.Path, "/") + req.URLPath("")
		u.RawQuery = req.Query.Encode()
		var body io.Reader
		if req.Body != nil {
			body = bytes.NewReader(req.Body)
		}
		hr, err := http.NewRequestWithContext(ctx, req.Op.Method, u.String(), body)
		if err != nil {
			return nil, err
		}
		if req.Body != nil {
			ct := req.ContentType
			if ct == "" {
				ct = "application/json"
			}
			hr.Header.Set("Content-Type", ct)
		}
		hr.Header.Set("Authorization", "Bearer "+key)
		resp, err := client.Do(hr)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, err
		}
		return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b, Request: hr, Raw: true}, nil
	}
}

// multipartBody builds a multipart/form-data body from a schema: a small
// PDF-looking file for binary fields, examples for the others.
func multipartBody(mt *openapi3.MediaType) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if mt.Schema != nil && mt.Schema.Value != nil {
		names := make([]string, 0, len(mt.Schema.Value.Properties))
		for n := range mt.Schema.Value.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			p := mt.Schema.Value.Properties[n].Value
			if p == nil {
				continue
			}
			if p.Format == "binary" || p.ContentMediaType != "" {
				fw, _ := w.CreateFormFile(n, "invoice.pdf")
				fw.Write([]byte("%PDF-1.4\n%contract test\n"))
				continue
			}
			v := "contract"
			if p.Example != nil {
				v = fmt.Sprint(p.Example)
			} else if len(p.Enum) > 0 && p.Enum[0] != nil {
				v = fmt.Sprint(p.Enum[0])
			}
			w.WriteField(n, v)
		}
	}
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// PathPrefixes returns op's path parameters that carry an id prefix
// pattern, with the prefix.
func (s *Spec) PathPrefixes(op *Op) map[string]string {
	out := map[string]string{}
	for _, p := range op.op.Parameters {
		if p.Value == nil || p.Value.In != "path" {
			continue
		}
		if pr := s.prefixes[p.Value.Name+"@"+op.Path]; pr != "" && !strings.HasPrefix(pr, "path:") {
			out[p.Value.Name] = pr
		}
	}
	return out
}

// uniqueEmails gives every "email" field a fresh, well-formed address:
// customers are unique by email, and some spec examples carry placeholders
// that are not addresses.
func uniqueEmails(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if _, ok := e.(string); ok && k == "email" {
				t[k] = uniqueID("contract") + "@example.com"
				continue
			}
			uniqueEmails(e)
		}
	case []any:
		for _, e := range t {
			uniqueEmails(e)
		}
	}
}

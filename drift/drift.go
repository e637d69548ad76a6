// Package drift checks live Glomo API responses against the OpenAPI
// description embedded in glomo-go and reports the ones that do not match.
//
// It is the engine behind the SDK's opt-in drift detector: the client hands
// every response it receives to (*Validator).Check and reports the returned
// *Finding (a log line or a callback) without failing the call.
//
// One validator: every response schema is checked by
// santhosh-tekuri/jsonschema (JSON Schema 2020-12, the dialect of OpenAPI
// 3.1), never by a second implementation of JSON Schema of our own.
//
// Cost: the description is parsed once per Validator (once per process for
// Default), operations are matched with a precomputed path table, and each
// response schema is compiled once, on first use, and then reused. A Check
// costs a JSON decode of the body plus one walk of the compiled schema; it
// never rebuilds a schema compiler per call the way kin-openapi's
// openapi3filter.ValidateResponse does for 3.1 documents. That is still
// several times the cost of the call itself on a large list page, so the
// Detector the client uses samples: see Sampling.
package drift

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	yaml "go.yaml.in/yaml/v3"

	"github.com/glomo-go/glomo-go/internal/specmodel"
)

// Finding describes one response that does not conform to the description.
//
// OperationID is empty when no operation of the description matches the
// request's method and path. Status is the HTTP status of the response. Err
// says what did not match (an unknown operation, an undocumented status, a
// content type or a body that fails the response schema).
type Finding struct {
	OperationID string
	Status      int
	Err         error
}

// Error formats the finding as one line, so a Finding can be logged or
// returned as an error.
func (f *Finding) Error() string {
	op := f.OperationID
	if op == "" {
		op = "(unknown operation)"
	}
	return fmt.Sprintf("drift: %s %d: %v", op, f.Status, f.Err)
}

// Unwrap returns the underlying validation error.
func (f *Finding) Unwrap() error { return f.Err }

// ErrUnknownOperation is wrapped by the Err of a Finding whose request
// matches no operation of the description.
var ErrUnknownOperation = errors.New("no operation in the description matches the request")

// Validator checks responses against one OpenAPI description. It is safe for
// concurrent use.
type Validator struct {
	root     map[string]any
	basePath string
	ops      []*operation
	// paths matches request paths (specmodel's one path matcher); byPath
	// maps its operations to ops.
	paths  *specmodel.Model
	byPath map[*specmodel.Operation]*operation

	compMu   sync.Mutex // guards compiler
	compiler *jsonschema.Compiler
}

type operation struct {
	index  int // in Validator.ops, for a Detector's counters
	id     string
	method string
	// responses by status key ("200", "4XX", "default"): media type → entry
	responses map[string]*response
}

type response struct {
	hasContent bool
	media      map[string]*compiled // normalised media type → lazily compiled schema
	headers    []string             // required header names
}

type compiled struct {
	ptr  string // JSON pointer of the schema inside the description
	once sync.Once
	sch  *jsonschema.Schema
	err  error
}

const docURL = "file:///glomo/openapi.json"

var (
	defaultOnce sync.Once
	defaultV    *Validator
	defaultErr  error
)

// Default returns the Validator for the description embedded in glomo-go
// (the copy of openapi.yaml in internal/specmodel). The description is parsed once per process; later calls
// return the same Validator.
func Default() (*Validator, error) {
	defaultOnce.Do(func() { defaultV, defaultErr = New(specmodel.OpenAPI) })
	return defaultV, defaultErr
}

// New parses an OpenAPI 3.1 description (YAML or JSON) and returns a
// Validator for it. Response schemas are compiled lazily, once each.
func New(spec []byte) (*Validator, error) { return newValidator(spec, false) }

// newValidator is New; assertFormats makes "format" an assertion (the
// tests compare with kin-openapi, which asserts formats).
func newValidator(spec []byte, assertFormats bool) (*Validator, error) {
	var raw any
	if err := yaml.Unmarshal(spec, &raw); err != nil {
		return nil, fmt.Errorf("drift: parse description: %w", err)
	}
	js, err := json.Marshal(normalize(raw))
	if err != nil {
		return nil, fmt.Errorf("drift: convert description: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return nil, fmt.Errorf("drift: convert description: %w", err)
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return nil, errors.New("drift: description is not an object")
	}
	v := &Validator{root: root, compiler: jsonschema.NewCompiler()}
	v.compiler.DefaultDraft(jsonschema.Draft2020)
	if assertFormats {
		v.compiler.AssertFormat()
	}
	if err := v.compiler.AddResource(docURL, doc); err != nil {
		return nil, fmt.Errorf("drift: %w", err)
	}
	if servers, ok := root["servers"].([]any); ok && len(servers) > 0 {
		if s, ok := servers[0].(map[string]any); ok {
			if u, err := url.Parse(fmt.Sprint(s["url"])); err == nil {
				v.basePath = strings.TrimRight(u.Path, "/")
			}
		}
	}
	paths, _ := root["paths"].(map[string]any)
	if len(paths) == 0 {
		return nil, errors.New("drift: description has no paths")
	}
	var templates []*specmodel.Operation
	v.byPath = map[*specmodel.Operation]*operation{}
	for p, item := range paths {
		methods, _ := item.(map[string]any)
		for m, o := range methods {
			op, ok := o.(map[string]any)
			if !ok || !isMethod(m) {
				continue
			}
			dop := newOperation(root, p, m, op)
			sop := &specmodel.Operation{ID: dop.id, Method: dop.method, Path: p}
			templates = append(templates, sop)
			v.byPath[sop] = dop
		}
	}
	v.paths = specmodel.ForPaths(templates)
	for i, sop := range v.paths.Ops { // sorted: the same counter index in every process
		v.byPath[sop].index = i
		v.ops = append(v.ops, v.byPath[sop])
	}
	return v, nil
}

func isMethod(m string) bool {
	switch m {
	case "get", "put", "post", "delete", "options", "head", "patch", "trace":
		return true
	}
	return false
}

func newOperation(root map[string]any, p, method string, op map[string]any) *operation {
	o := &operation{method: strings.ToUpper(method), responses: map[string]*response{}}
	o.id, _ = op["operationId"].(string)
	if o.id == "" {
		o.id = o.method + " " + p
	}
	resps, _ := op["responses"].(map[string]any)
	base := "/paths/" + escape(p) + "/" + method + "/responses/"
	for code, r := range resps {
		ptr := base + escape(code)
		rm, _ := r.(map[string]any)
		if ref, ok := rm["$ref"].(string); ok && strings.HasPrefix(ref, "#/") {
			ptr = ref[1:]
			rm, _ = lookup(root, ptr).(map[string]any)
		}
		resp := &response{media: map[string]*compiled{}}
		if content, ok := rm["content"].(map[string]any); ok && len(content) > 0 {
			resp.hasContent = true
			for mt, mv := range content {
				mm, _ := mv.(map[string]any)
				if _, ok := mm["schema"]; !ok {
					resp.media[normMedia(mt)] = nil
					continue
				}
				resp.media[normMedia(mt)] = &compiled{ptr: ptr + "/content/" + escape(mt) + "/schema"}
			}
		}
		if hs, ok := rm["headers"].(map[string]any); ok {
			for name, h := range hs {
				hm, _ := h.(map[string]any)
				if req, _ := hm["required"].(bool); req {
					resp.headers = append(resp.headers, name)
				}
			}
		}
		o.responses[strings.ToUpper(code)] = resp
	}
	return o
}

func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func lookup(root any, ptr string) any {
	cur := root
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[tok]
	}
	return cur
}

func normMedia(mt string) string {
	if m, _, err := mime.ParseMediaType(mt); err == nil {
		return m
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// normalize turns YAML maps with non-string keys into map[string]any so the
// document can be re-encoded as JSON.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalize(e)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[fmt.Sprint(k)] = normalize(e)
		}
		return m
	case []any:
		for i, e := range t {
			t[i] = normalize(e)
		}
		return t
	}
	return v
}

// OperationID returns the operationId of the operation that serves method
// and path (a request URL path such as /api/v1/payouts/payout_x, with or
// without the description's server base path), or "" when none does.
func (v *Validator) OperationID(method, path string) string {
	if op := v.find(method, path); op != nil {
		return op.id
	}
	return ""
}

func (v *Validator) find(method, path string) *operation {
	if v.basePath != "" {
		if rest, ok := strings.CutPrefix(path, v.basePath); ok && (rest == "" || rest[0] == '/') {
			path = rest
		}
	}
	path = strings.Trim(path, "/")
	method = strings.ToUpper(method)
	// A client may sit behind a longer base path (a proxy, a staging
	// host): drop up to four leading segments until an operation matches.
	for range 5 {
		if op := v.paths.Match(method, path); op != nil {
			return v.byPath[op]
		}
		_, rest, ok := strings.Cut(path, "/")
		if !ok {
			break
		}
		path = rest
	}
	return nil
}

// Check validates one response: the operation is found from method and path
// (the request URL path, e.g. /api/v1/payouts/payout_x), the documented
// response from status (exact code, then 4XX-style range, then default), and
// the body is checked against that response's schema for the media type in
// header's Content-Type. It returns nil when the response conforms, and a
// Finding otherwise — including when no operation matches (ErrUnknownOperation)
// or the status is not documented. Check never modifies body.
func (v *Validator) Check(method, path string, status int, header http.Header, body []byte) *Finding {
	op := v.find(method, path)
	if op == nil {
		return &Finding{Status: status, Err: fmt.Errorf("%w: %s %s", ErrUnknownOperation, strings.ToUpper(method), path)}
	}
	return v.check(op, status, header, body)
}

// check is Check once the operation is known.
func (v *Validator) check(op *operation, status int, header http.Header, body []byte) *Finding {
	code := strconv.Itoa(status)
	resp := op.responses[code]
	if resp == nil && len(code) == 3 {
		resp = op.responses[code[:1]+"XX"]
	}
	if resp == nil {
		resp = op.responses["DEFAULT"]
	}
	if resp == nil {
		return &Finding{OperationID: op.id, Status: status, Err: fmt.Errorf("status %d is not documented", status)}
	}
	for _, h := range resp.headers {
		if header.Get(h) == "" {
			return &Finding{OperationID: op.id, Status: status, Err: fmt.Errorf("required header %s is missing", h)}
		}
	}
	if !resp.hasContent {
		return nil
	}
	ct := header.Get("Content-Type")
	mt := normMedia(ct)
	c, ok := resp.media[mt]
	if !ok {
		if len(bytes.TrimSpace(body)) == 0 && status == http.StatusNoContent {
			return nil
		}
		return &Finding{OperationID: op.id, Status: status, Err: fmt.Errorf("content type %q is not documented", ct)}
	}
	if c == nil {
		return nil
	}
	sch, err := v.schema(c)
	if err != nil {
		return &Finding{OperationID: op.id, Status: status, Err: fmt.Errorf("compile response schema: %w", err)}
	}
	if !strings.Contains(mt, "json") {
		return nil
	}
	// UnmarshalJSON keeps numbers exact (json.Number): an int64 amount
	// beyond 2^53 is judged as sent, not as a rounded float.
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return &Finding{OperationID: op.id, Status: status, Err: fmt.Errorf("body is not JSON: %w", err)}
	}
	if err := sch.Validate(inst); err != nil {
		return &Finding{OperationID: op.id, Status: status, Err: err}
	}
	return nil
}

// schema returns c compiled, compiling it on first use. The compiler is
// not safe for concurrent use, hence the lock; a compiled schema is.
func (v *Validator) schema(c *compiled) (*jsonschema.Schema, error) {
	c.once.Do(func() {
		v.compMu.Lock()
		defer v.compMu.Unlock()
		c.sch, c.err = v.compiler.Compile(docURL + "#" + c.ptr)
	})
	return c.sch, c.err
}

package mock

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/glomo-go/glomo-go/internal/specmodel"
)

// opKind is what the generic engine does with an operation.
type opKind int

const (
	kindStatic opKind = iota // answered from the spec's schema/examples, request fields overlaid
	kindCreate               // POST on a collection: store a new object
	kindList                 // GET on a collection: page through stored objects
	kindGet                  // GET on an item
	kindUpdate               // PATCH/PUT on an item: overlay the request body
	kindDelete               // DELETE on an item
	kindAction               // verb under an item (…/{id}/cancel): needs the item
)

func (k opKind) String() string {
	return [...]string{"static", "create", "list", "get", "update", "delete", "action"}[k]
}

// opInfo is what the mock derived from the spec for one operation.
type opInfo struct {
	id       string
	method   string
	path     string // spec path, e.g. /v1/payouts/{id}/cancel
	kind     opKind
	resource string // store key: the path without version, params as {} (e.g. "payouts")
	parent   string // for nested collections: the resource that owns the path parameter
	action   string // last static segment of an action
	idParam  string // name of the last path parameter
	prefixes map[string]string
	status   int // success status
	schema   *openapi3.SchemaRef
	media    *openapi3.MediaType
	itemSch  *openapi3.SchemaRef // list item schema
	hasReqID bool
	bare     bool // list answered as a bare JSON array, without paging
	op       *openapi3.Operation
}

type specModel struct {
	doc       *openapi3.T
	router    routers.Router
	basePath  string
	ops       map[string]*opInfo // by operationId
	prefix    map[string]string  // resource → id prefix
	creatable map[string]bool
	idField   map[string]string // resource → id property when not "id"
	// itemSchema is the schema a resource's objects are read with (its get,
	// else its list items).
	itemSchema map[string]*openapi3.SchemaRef
	order      []string // operationIds sorted
}

var (
	modelOnce sync.Once
	modelV    *specModel
	modelErr  error
)

// loadModel builds the mock's view of the shared spec model
// (internal/specmodel) once per process.
func loadModel() (*specModel, error) {
	modelOnce.Do(func() {
		sm, err := specmodel.Default()
		if err != nil {
			modelErr = fmt.Errorf("mock: load openapi.yaml: %w", err)
			return
		}
		modelV, modelErr = newModel(sm)
	})
	return modelV, modelErr
}

func newModel(sm *specmodel.Model) (*specModel, error) {
	m := &specModel{doc: sm.Doc, basePath: sm.BasePath, ops: map[string]*opInfo{}, prefix: map[string]string{}, creatable: map[string]bool{}}
	var err error
	// The router matches bare paths; the mock strips basePath itself.
	if m.router, err = sm.Router(); err != nil {
		return nil, fmt.Errorf("mock: router: %w", err)
	}
	for _, so := range sm.Ops {
		info := classify(so)
		m.ops[info.id] = info
		m.order = append(m.order, info.id)
	}
	sort.Strings(m.order)
	// A POST on a listed collection whose items are keyed by "<noun>_id"
	// rather than "id" (virtual accounts: account_id) creates too.
	m.idField = map[string]string{}
	for _, o := range m.ops {
		if o.kind != kindStatic || o.method != "POST" || o.parent != "" {
			continue
		}
		for _, l := range m.ops {
			if l.kind != kindList || l.resource != o.resource || l.bare {
				continue
			}
			if f := nounID(o.resource); f != "" && specmodel.HasProperty(l.itemSch, f) && specmodel.HasProperty(o.schema, f) {
				o.kind = kindCreate
				m.idField[o.resource] = f
			}
		}
	}
	m.itemSchema = map[string]*openapi3.SchemaRef{}
	for _, id := range m.order {
		switch o := m.ops[id]; o.kind {
		case kindGet:
			m.itemSchema[o.resource] = o.schema
		case kindList:
			if m.itemSchema[o.resource] == nil {
				m.itemSchema[o.resource] = o.itemSch
			}
		}
	}
	// Resource prefixes: from the item path parameter's pattern first, then
	// from the example id of what a create answers.
	for _, o := range m.ops {
		if (o.kind == kindGet || o.kind == kindUpdate || o.kind == kindDelete) && o.prefixes[o.idParam] != "" {
			m.prefix[o.resource] = o.prefixes[o.idParam]
		}
		if o.kind == kindCreate {
			m.creatable[o.resource] = true
		}
		if r, ok := ruleCreates[o.id]; ok {
			m.creatable[r] = true
		}
	}
	for _, o := range m.ops {
		if o.kind == kindCreate && m.prefix[o.resource] == "" {
			if ex, ok := build(o.schema, 0).(map[string]any); ok {
				if id, ok := ex[m.idKey(o.resource)].(string); ok {
					if i := strings.Index(id, "_"); i > 0 {
						m.prefix[o.resource] = id[:i+1]
					} else if l := strings.IndexFunc(id, func(r rune) bool { return r < 'A' || r > 'Z' }); l > 0 {
						m.prefix[o.resource] = id[:l] // e.g. VA1001 → VA
					}
				}
			}
		}
		if o.kind == kindCreate && m.prefix[o.resource] == "" {
			m.prefix[o.resource] = strings.ReplaceAll(strings.Trim(o.resource, "/{}"), "/", "_") + "_"
		}
	}
	return m, nil
}

func classify(so *specmodel.Operation) *opInfo {
	path, method := so.Path, so.Method
	o := &opInfo{id: so.ID, method: method, path: path, op: so.Op, prefixes: so.Prefixes}
	o.status, o.schema, o.media = so.Success, so.SuccessSchema, so.SuccessMedia
	o.hasReqID = so.Idempotent
	segs := specmodel.SplitPath(path)
	if len(segs) > 0 && regexp.MustCompile(`^v[0-9]+$`).MatchString(segs[0]) {
		segs = segs[1:]
	}
	norm := make([]string, len(segs))
	lastParam := -1
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			norm[i] = "{}"
			lastParam = i
			o.idParam = strings.Trim(s, "{}")
		} else {
			norm[i] = s
		}
	}
	last := len(segs) - 1
	switch {
	case last >= 0 && lastParam == last:
		o.resource = strings.Join(norm[:last], "/")
		switch method {
		case "GET":
			o.kind = kindGet
		case "PATCH", "PUT":
			o.kind = kindUpdate
		case "DELETE":
			o.kind = kindDelete
		default:
			o.kind = kindAction
		}
	default:
		o.resource = strings.Join(norm, "/")
		if lastParam >= 0 {
			o.parent = strings.Join(norm[:lastParam], "/")
		}
		switch {
		case method == "GET" && specmodel.ListItems(o.schema) != nil:
			o.kind = kindList
			o.itemSch = specmodel.ListItems(o.schema)
		case method == "GET" && lastParam >= 0 && o.schema != nil && o.schema.Value != nil &&
			o.schema.Value.Type.Is("array") && o.schema.Value.Items != nil:
			o.kind = kindList // a bare array of the item's children
			o.itemSch = o.schema.Value.Items
			o.bare = true
		case method == "POST" && o.status >= 200 && o.status < 300 && specmodel.HasProperty(o.schema, "id"):
			o.kind = kindCreate
		case lastParam >= 0:
			o.kind = kindAction
			o.action = segs[last]
			o.resource = o.parent
			o.parent = ""
		default:
			o.kind = kindStatic
		}
	}
	return o
}

// Operations returns the operationIds of the description the mock serves,
// sorted, with the kind of handling each gets ("create", "list", "get",
// "update", "delete", "action" or "static" — answered from the spec's
// examples with request fields overlaid).
func Operations() (map[string]string, error) {
	m, err := loadModel()
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(m.ops))
	for id, o := range m.ops {
		out[id] = o.kind.String()
	}
	return out, nil
}

// RequestBody returns a JSON request body for operationID built from
// openapi.yaml: the first (by name) example of its JSON request body, else
// the schema's example, else a value built from the schema. It returns nil
// when the operation takes no body. Tests use it to call every operation
// without a hand-written payload.
func RequestBody(operationID string) ([]byte, error) {
	m, err := loadModel()
	if err != nil {
		return nil, err
	}
	o := m.ops[operationID]
	if o == nil {
		return nil, fmt.Errorf("mock: unknown operation %q", operationID)
	}
	rb := o.op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil, nil
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil {
		return nil, nil
	}
	if ex, ok := mediaExample(mt); ok {
		ex = pruneReadOnly(mt.Schema, ex, 0)
		if mt.Schema == nil || mt.Schema.Value == nil || mt.Schema.Value.VisitJSON(ex) == nil {
			return json.Marshal(ex)
		}
	}
	return json.Marshal(pruneReadOnly(mt.Schema, build(mt.Schema, 0), 0))
}

// pruneReadOnly removes the properties a request must not send (readOnly)
// from v, following s.
func pruneReadOnly(s *openapi3.SchemaRef, v any, depth int) any {
	if s == nil || s.Value == nil || depth > 8 {
		return v
	}
	switch t := v.(type) {
	case map[string]any:
		props := properties(s)
		for k, e := range t {
			p, ok := props[k]
			if !ok || p.Value == nil {
				continue
			}
			if p.Value.ReadOnly {
				delete(t, k)
				continue
			}
			t[k] = pruneReadOnly(p, e, depth+1)
		}
	case []any:
		if s.Value.Items != nil {
			for i, e := range t {
				t[i] = pruneReadOnly(s.Value.Items, e, depth+1)
			}
		}
	}
	return v
}

// idKey is the property that holds a resource's id.
func (m *specModel) idKey(resource string) string {
	if f := m.idField[resource]; f != "" {
		return f
	}
	return "id"
}

// nounID is "<noun>_id" for a resource path's last word, singular:
// "virtual-accounts" → "account_id".
func nounID(resource string) string {
	if i := strings.LastIndexAny(resource, "/"); i >= 0 {
		resource = resource[i+1:]
	}
	if i := strings.LastIndexAny(resource, "-_"); i >= 0 {
		resource = resource[i+1:]
	}
	resource = strings.TrimSuffix(resource, "s")
	if resource == "" {
		return ""
	}
	return resource + "_id"
}

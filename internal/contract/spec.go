package contract

import (
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/glomo-go/glomo-go/internal/specmodel"
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

// OperationIDs lists the spec's operationIds, sorted.
func (s *Spec) OperationIDs() []string {
	out := make([]string, 0, len(s.Ops))
	for _, o := range s.Ops {
		out = append(out, o.ID)
	}
	return out
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

package wrapper

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	glomo "github.com/glomo-go/glomo-go"
)

// opInfo is what the transport needs to know about one operation of the
// spec. Everything in it is derived from glomo.OpenAPI; nothing is listed
// by hand.
type opInfo struct {
	id       string
	method   string
	template string
	segments []string

	// idempotent: the JSON request body declares a request_id property.
	idempotent bool
	// list: the 2xx JSON body is a page ({data: [...], page_meta}).
	list bool
	// successStatus is the lowest 2xx status with a JSON body (201 for
	// creates), used to synthesise the answer of a resolved duplicate.
	successStatus int
	// lookup is the GET list operation that finds an object of this create
	// by ?request_id= (nil when the spec has none).
	lookup *opInfo
}

// specIndex resolves requests to operations.
type specIndex struct {
	ops []*opInfo
	// byShape holds the operations by method and segment count, in the
	// order of ops, so that match compares only candidates.
	byShape map[shape][]*opInfo
}

// shape is a method and a number of path segments.
type shape struct {
	method string
	n      int
}

var (
	specOnce sync.Once
	specIdx  *specIndex
	specErr  error
)

// loadSpec parses the embedded description once, on first use.
func loadSpec() (*specIndex, error) {
	specOnce.Do(func() {
		specIdx, specErr = buildIndex(glomo.OpenAPI)
	})
	return specIdx, specErr
}

func buildIndex(data []byte) (*specIndex, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("glomo: parse embedded openapi.yaml: %w", err)
	}
	idx := &specIndex{}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			info := &opInfo{
				id:       op.OperationID,
				method:   strings.ToUpper(method),
				template: path,
				segments: splitPath(path),
			}
			info.idempotent = bodyHasProperty(op, "request_id")
			info.successStatus, info.list = successShape(op)
			idx.ops = append(idx.ops, info)
		}
	}
	sort.Slice(idx.ops, func(i, j int) bool {
		a, b := idx.ops[i], idx.ops[j]
		if a.template != b.template {
			return a.template < b.template
		}
		return a.method < b.method
	})
	idx.byShape = map[shape][]*opInfo{}
	for _, op := range idx.ops {
		if op.idempotent {
			op.lookup = idx.lookupFor(op, doc)
		}
		k := shape{op.method, len(op.segments)}
		idx.byShape[k] = append(idx.byShape[k], op)
	}
	return idx, nil
}

// lookupFor picks the list operation that fetches an object created by op
// through ?request_id=: a list operation declaring that query parameter at
// the same path or the closest enclosing one, else the list operation of
// the same path (Glomo's list endpoints accept request_id even where the
// description does not say so).
func (idx *specIndex) lookupFor(op *opInfo, doc *openapi3.T) *opInfo {
	same := idx.find(http.MethodGet, op.template)
	if same != nil && same.list && hasQueryParam(doc.Paths.Value(op.template).Get, "request_id") {
		return same
	}
	for p := op.template; strings.Count(p, "/") > 1; {
		p = p[:strings.LastIndex(p, "/")]
		l := idx.find(http.MethodGet, p)
		if l != nil && l.list && hasQueryParam(doc.Paths.Value(p).Get, "request_id") {
			return l
		}
	}
	if same != nil && same.list {
		return same
	}
	return nil
}

func (idx *specIndex) find(method, template string) *opInfo {
	for _, op := range idx.ops {
		if op.method == method && op.template == template {
			return op
		}
	}
	return nil
}

// match finds the operation for a request path relative to the base URL
// ("/v1/payouts/payout_1"). Literal segments beat parameters. It compares
// the path's segments in place (as splitPath would cut them) against the
// operations of the same method and segment count.
func (idx *specIndex) match(method, path string) *opInfo {
	p := strings.Trim(path, "/")
	n := strings.Count(p, "/") + 1
	cands := idx.ops
	if idx.byShape != nil {
		cands = idx.byShape[shape{method, n}]
	}
	var best *opInfo
	bestScore := -1
	for _, op := range cands {
		if op.method != method || len(op.segments) != n {
			continue
		}
		score, rest, ok := 0, p, true
		for _, s := range op.segments {
			seg, after, _ := strings.Cut(rest, "/")
			rest = after
			switch {
			case strings.HasPrefix(s, "{"):
			case s == seg:
				score++
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok && score > bestScore {
			best, bestScore = op, score
		}
	}
	return best
}

func splitPath(p string) []string {
	return strings.Split(strings.Trim(p, "/"), "/")
}

func hasQueryParam(op *openapi3.Operation, name string) bool {
	if op == nil {
		return false
	}
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery && p.Value.Name == name {
			return true
		}
	}
	return false
}

func bodyHasProperty(op *openapi3.Operation, name string) bool {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return false
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil {
		return false
	}
	return schemaHasProperty(mt.Schema, name, 0)
}

// schemaHasProperty looks through allOf/oneOf/anyOf (quote / no-quote
// variants of a create) for a property.
func schemaHasProperty(ref *openapi3.SchemaRef, name string, depth int) bool {
	if ref == nil || ref.Value == nil || depth > 8 {
		return false
	}
	s := ref.Value
	if _, ok := s.Properties[name]; ok {
		return true
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, sub := range group {
			if schemaHasProperty(sub, name, depth+1) {
				return true
			}
		}
	}
	return false
}

// successShape returns the lowest 2xx status with a JSON body and whether
// that body is a page: a data array next to page_meta.
func successShape(op *openapi3.Operation) (int, bool) {
	if op.Responses == nil {
		return 0, false
	}
	best := 0
	list := false
	for code, rr := range op.Responses.Map() {
		st, err := strconv.Atoi(code)
		if err != nil || st < 200 || st > 299 || rr.Value == nil {
			continue
		}
		mt := rr.Value.Content.Get("application/json")
		if mt == nil {
			continue
		}
		if best == 0 || st < best {
			best = st
			list = isPageSchema(mt.Schema)
		}
	}
	return best, list
}

// isPageSchema reports whether a schema is {data: array, page_meta: ...}.
func isPageSchema(ref *openapi3.SchemaRef) bool {
	if ref == nil || ref.Value == nil {
		return false
	}
	s := ref.Value
	data, ok := s.Properties["data"]
	if !ok || data.Value == nil || !data.Value.Type.Includes(openapi3.TypeArray) {
		return false
	}
	_, ok = s.Properties["page_meta"]
	return ok
}

package wrapper

import (
	"fmt"
	"strings"
	"sync"

	"github.com/glomo-go/glomo-go/internal/specmodel"
)

// opInfo is what the transport needs to know about one operation of the
// spec. Everything in it is derived from the spec model; nothing is listed
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

// loadSpec builds the index from the shared spec model once, on first use.
func loadSpec() (*specIndex, error) {
	specOnce.Do(func() {
		m, err := specmodel.Default()
		if err != nil {
			specErr = fmt.Errorf("glomo: parse embedded openapi.yaml: %w", err)
			return
		}
		specIdx = buildIndex(m)
	})
	return specIdx, specErr
}

func buildIndex(m *specmodel.Model) *specIndex {
	idx := &specIndex{byShape: map[shape][]*opInfo{}}
	byOp := map[*specmodel.Operation]*opInfo{}
	for _, o := range m.Ops {
		info := &opInfo{id: o.ID, method: o.Method, template: o.Path, segments: o.Segments, idempotent: o.Idempotent, list: o.List}
		if len(o.JSONSuccess) > 0 {
			info.successStatus = o.JSONSuccess[0]
		}
		byOp[o] = info
		idx.ops = append(idx.ops, info)
		k := shape{info.method, len(info.segments)}
		idx.byShape[k] = append(idx.byShape[k], info)
	}
	for o, info := range byOp {
		if o.Lookup != nil {
			info.lookup = byOp[o.Lookup]
		}
	}
	return idx
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

package wrapper

import (
	"context"
	"iter"
	"reflect"
	"sync"
	"time"

	"github.com/glomo-go/glomo-go/api"
)

// DefaultPerPage is the page size iterators ask for when params leave
// per_page unset (Glomo's maximum).
const DefaultPerPage = 100

// pageFields reaches the paging parameters of one generated Params struct.
// setBefore is nil when the operation has no before parameter.
type pageFields[P any] struct {
	hasBefore  func(*P) bool
	setBefore  func(*P, string)
	hasPerPage func(*P) bool
	setPerPage func(*P, int64)
	setPage    func(*P, int64)
	getPage    func(*P) int64
}

// paginate is the one pager behind every ...Iter method.
//
//   - per_page defaults to DefaultPerPage;
//   - unless the caller set before, it is pinned to the time of the first
//     request (rounded up to the second), so objects created while paging
//     cannot push items across page boundaries (Glomo's page-drift remedy);
//   - ids already yielded by the previous page are skipped, so an item that
//     still shifts (an insert the pin cannot exclude) is never yielded twice;
//   - it stops when page_meta.next is null, on an empty page, after yielding
//     an error, or as soon as the consumer stops ranging (no extra request);
//   - it holds one page in memory;
//   - ranging the returned sequence again starts over from the caller's params.
func paginate[P any, T any](ctx context.Context, c *Client, params *P, f pageFields[P],
	fetch func(context.Context, *P) ([]T, *api.PageMeta, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var p P
		if params != nil {
			p = *params // a fresh copy per range: the caller's params are never modified
		}
		if !f.hasPerPage(&p) {
			f.setPerPage(&p, DefaultPerPage)
		}
		if f.setBefore != nil && !f.hasBefore(&p) {
			pin := c.cfg.now().UTC().Truncate(time.Second).Add(time.Second)
			f.setBefore(&p, pin.Format(time.RFC3339))
		}
		page := f.getPage(&p)
		if page < 1 {
			page = 1
		}
		var prev map[string]struct{}
		for {
			f.setPage(&p, page)
			items, meta, err := fetch(ctx, &p)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			cur := make(map[string]struct{}, len(items))
			for _, it := range items {
				if id := itemID(it); id != "" {
					if _, dup := prev[id]; dup {
						continue
					}
					if _, dup := cur[id]; dup {
						continue
					}
					cur[id] = struct{}{}
				}
				if !yield(it, nil) {
					return
				}
			}
			if len(items) == 0 || meta == nil || meta.Next == nil || *meta.Next <= page {
				return
			}
			page, prev = *meta.Next, cur
		}
	}
}

// idField caches, per item type, the index of an Id field of type string
// or *string (-1 when there is none).
var idField sync.Map // reflect.Type -> int

func itemID(v any) string {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return ""
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return ""
	}
	t := rv.Type()
	idx, ok := idField.Load(t)
	if !ok {
		i := -1
		if sf, found := t.FieldByName("Id"); found && len(sf.Index) == 1 {
			ft := sf.Type
			if ft.Kind() == reflect.String || (ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.String) {
				i = sf.Index[0]
			}
		}
		idField.Store(t, i)
		idx = i
	}
	i := idx.(int)
	if i < 0 {
		return ""
	}
	fv := rv.Field(i)
	if fv.Kind() == reflect.Pointer {
		if fv.IsNil() {
			return ""
		}
		fv = fv.Elem()
	}
	return fv.String()
}

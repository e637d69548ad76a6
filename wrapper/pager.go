package wrapper

import (
	"context"
	"errors"
	"iter"
	"time"

	"github.com/glomo-go/glomo-go/api"
)

// DefaultPerPage is the page size iterators ask for when params leave
// per_page unset (Glomo's maximum).
const DefaultPerPage = 100

// MaxIterPages bounds a walk whose server announced no page count: an
// iterator that reaches it yields ErrTooManyPages instead of looping on a
// server that keeps saying there is a next page.
const MaxIterPages = 10_000

// dedupeWindow is how many of the latest pages' ids an iterator remembers.
const dedupeWindow = 3

// ErrTooManyPages is yielded by an iterator that reached MaxIterPages.
var ErrTooManyPages = errors.New("glomo: iteration stopped after MaxIterPages pages")

// maxIterPages is MaxIterPages; tests lower it.
var maxIterPages = MaxIterPages

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
//   - an id is never yielded twice: ids are remembered for the latest
//     dedupeWindow pages (a duplicate from further back would mean a server
//     re-serving old pages, which the bounds below stop), so the heap stays
//     O(page) however long the walk;
//   - it stops when page_meta.next is null or does not advance, on an empty
//     page, after the page count the first page announced when the window is
//     pinned (it cannot grow), on a pinned page holding no id it has not
//     yielded (the server is looping), after yielding an error, or as soon as the
//     consumer stops ranging (no extra request); MaxIterPages bounds a walk
//     without a page count;
//   - ranging the returned sequence again starts over from the caller's params.
func paginate[P any, T any](ctx context.Context, c *Client, params *P, f pageFields[P], idOf func(*T) string,
	fetch func(context.Context, *P) ([]T, *api.PageMeta, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var p P
		if params != nil {
			p = *params // a fresh copy per range: the caller's params are never modified
		}
		if !f.hasPerPage(&p) {
			f.setPerPage(&p, DefaultPerPage)
		}
		pinned := f.setBefore != nil && f.hasBefore(&p)
		if f.setBefore != nil && !pinned {
			pin := c.cfg.now().UTC().Truncate(time.Second).Add(time.Second)
			f.setBefore(&p, pin.Format(time.RFC3339))
			pinned = true
		}
		page := max(f.getPage(&p), 1)
		last := int64(0) // the last page to fetch, once known
		var seen window
		for fetched := 1; ; fetched++ {
			f.setPage(&p, page)
			items, meta, err := fetch(ctx, &p)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			seen.next()
			fresh := 0
			for i := range items {
				if id := idOf(&items[i]); id != "" && !seen.add(id) {
					continue
				}
				fresh++
				if !yield(items[i], nil) {
					return
				}
			}
			if pinned && last == 0 && meta != nil {
				last = meta.Pages // 0 when the answer does not say
			}
			// if, not switch: mutation testing cannot see case expressions
			// as covered (Go's coverage blocks leave them out).
			if len(items) == 0 || meta == nil || meta.Next <= page { // next is null (0) on the last page
				return
			}
			if last > 0 && meta.Next > last {
				return // the pinned window has no more pages than it first announced
			}
			if pinned && fresh == 0 {
				return // a pinned window re-serving what it already gave: a loop
			}
			if fetched >= maxIterPages {
				var zero T
				yield(zero, ErrTooManyPages)
				return
			}
			page = meta.Next
		}
	}
}

// window remembers the ids of the latest dedupeWindow pages.
type window struct {
	pages [dedupeWindow]map[string]struct{}
	cur   int
}

// next starts a page, forgetting the oldest one.
func (w *window) next() {
	w.cur = (w.cur + 1) % dedupeWindow
	if m := w.pages[w.cur]; m != nil {
		clear(m)
	} else {
		w.pages[w.cur] = map[string]struct{}{}
	}
}

// add records id on the current page; false when the window holds it. A
// repeat moves the id to the current page, so an item a server keeps
// re-serving stays remembered as long as it keeps coming back.
func (w *window) add(id string) bool {
	for i, m := range w.pages {
		if _, dup := m[id]; dup {
			if i != w.cur {
				delete(m, id)
				w.pages[w.cur][id] = struct{}{}
			}
			return false
		}
	}
	w.pages[w.cur][id] = struct{}{}
	return true
}

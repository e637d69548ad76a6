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

// paginate is the one pager behind every ...Iter method. Its rules, and why
// each is there, are the package documentation's "Pagination".
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

// window remembers the ids of the latest dedupeWindow pages, each with the
// page it was last seen on.
type window struct {
	seen map[string]int
	page int
}

// next starts a page, forgetting the ids the latest dedupeWindow-1 pages
// did not bring.
func (w *window) next() {
	if w.seen == nil {
		w.seen = map[string]int{}
	}
	w.page++
	for id, at := range w.seen {
		if at <= w.page-dedupeWindow {
			delete(w.seen, id)
		}
	}
}

// add records id on the current page; false when the window holds it. A
// repeat moves the id to the current page, so an item a server keeps
// re-serving stays remembered as long as it keeps coming back.
func (w *window) add(id string) bool {
	_, dup := w.seen[id]
	w.seen[id] = w.page
	return !dup
}

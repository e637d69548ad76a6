package wrapper

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/api"
)

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// store is a stateful list endpoint: newest first, page/per_page offsets,
// before/after on created_at, like Glomo's.
type store struct {
	mu      sync.Mutex
	items   []item
	onPage  func(page int) // runs after a page is served
	befores []string
}

type item struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
}

func newStore(n int) *store {
	s := &store{}
	for i := range n {
		s.items = append(s.items, item{ID: fmt.Sprintf("bene_%03d", i), CreatedAt: t0.Add(-24*time.Hour + time.Duration(i)*time.Minute)})
	}
	return s
}

func (s *store) insert(id string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, item{ID: id, CreatedAt: at})
}

func (s *store) handle(_ int, r *http.Request, _ []byte) reply {
	s.mu.Lock()
	q := r.URL.Query()
	s.befores = append(s.befores, q.Get("before"))
	var view []item
	for _, it := range s.items {
		if b := q.Get("before"); b != "" {
			bt, err := time.Parse(time.RFC3339, b)
			if err != nil {
				s.mu.Unlock()
				return reply{status: 400, body: `{"error":"bad before"}`}
			}
			if !it.CreatedAt.Before(bt) {
				continue
			}
		}
		view = append(view, it)
	}
	sort.Slice(view, func(i, j int) bool { return view[i].CreatedAt.After(view[j].CreatedAt) })
	page, _ := strconv.Atoi(q.Get("page"))
	per, _ := strconv.Atoi(q.Get("per_page"))
	if page < 1 {
		page = 1
	}
	if per < 1 {
		per = 20
	}
	lo := min((page-1)*per, len(view))
	hi := min(lo+per, len(view))
	pages := (len(view) + per - 1) / per
	var next any
	if page < pages {
		next = page + 1
	}
	body, _ := json.Marshal(map[string]any{
		"data":      view[lo:hi],
		"page_meta": map[string]any{"current": page, "next": next, "per_page": per, "pages": pages, "count": len(view)},
	})
	hook := s.onPage
	s.mu.Unlock()
	if hook != nil {
		hook(page)
	}
	return reply{body: string(body)}
}

func collect(t *testing.T, seq func(func(api.Beneficiary, error) bool)) []string {
	t.Helper()
	var ids []string
	for b, err := range seq {
		require.NoError(t, err)
		ids = append(ids, b.Id)
	}
	return ids
}

func expected(n int) []string {
	var ids []string
	for i := n - 1; i >= 0; i-- {
		ids = append(ids, fmt.Sprintf("bene_%03d", i))
	}
	return ids
}

func TestIteratorAcrossPagesWithInsertMidWalk(t *testing.T) {
	s := newStore(25)
	s.onPage = func(page int) {
		if page == 1 { // two beneficiaries are created while the caller pages
			s.insert("bene_new1", t0.Add(2*time.Second))
			s.insert("bene_new2", t0.Add(3*time.Second))
		}
	}
	f := newFake(t, s.handle)
	h := newHarness(t, f, withHooks(nil, nil, func() time.Time { return t0.Add(300 * time.Millisecond) }))
	per := api.PerPageParam(10)
	ids := collect(t, h.c.GetBeneficiariesIter(t.Context(), &api.GetBeneficiariesParams{PerPage: &per}))
	assert.Equal(t, expected(25), ids, "no duplicate, no gap")
	reqs := f.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.Contains(t, r.Query, "page="+strconv.Itoa(i+1))
		assert.Contains(t, r.Query, "per_page=10")
	}
	for _, b := range s.befores {
		assert.Equal(t, "2026-11-24T12:00:01Z", b, "before pinned to the first request's time, rounded up")
	}
}

func TestIteratorDedupesWhenTheCallerSetBefore(t *testing.T) {
	s := newStore(25)
	s.onPage = func(page int) {
		if page == 1 {
			s.insert("bene_new", t0.Add(time.Second)) // inside the caller's window: pages shift by one
		}
	}
	f := newFake(t, s.handle)
	h := newHarness(t, f)
	before := api.BeforeParam(t0.Add(time.Hour).Format(time.RFC3339))
	params := &api.GetBeneficiariesParams{Before: &before}
	ids := collect(t, h.c.GetBeneficiariesIter(t.Context(), params))
	// per_page defaults to 100, so a single page: drive the shift with 10.
	assert.Equal(t, expected(25), ids)

	s2 := newStore(25)
	s2.onPage = func(page int) {
		if page == 1 {
			s2.insert("bene_new", t0.Add(time.Second))
		}
	}
	f2 := newFake(t, s2.handle)
	h2 := newHarness(t, f2)
	per := api.PerPageParam(10)
	ids = collect(t, h2.c.GetBeneficiariesIter(t.Context(), &api.GetBeneficiariesParams{Before: &before, PerPage: &per}))
	assert.Equal(t, expected(25), ids, "the shifted item is not yielded twice")
	assert.Equal(t, string(before), s2.befores[0], "the caller's before is kept")
	assert.Nil(t, params.PerPage, "the caller's params are not modified")
	assert.Nil(t, params.Page)
}

func TestIteratorDefaultsAndEarlyBreak(t *testing.T) {
	s := newStore(250)
	f := newFake(t, s.handle)
	h := newHarness(t, f)
	seq := h.c.GetBeneficiariesIter(t.Context(), nil)
	n := 0
	for b, err := range seq {
		require.NoError(t, err)
		require.NotNil(t, b.Id)
		n++
		if n == 100 { // the last item of page 1
			break
		}
	}
	reqs := f.requests()
	require.Len(t, reqs, 1, "breaking never fetches another page")
	assert.Contains(t, reqs[0].Query, "per_page=100")

	// Ranging the same sequence again starts over.
	all := 0
	for _, err := range seq {
		require.NoError(t, err)
		all++
	}
	assert.Equal(t, 250, all)
	reqs = f.requests()
	require.Len(t, reqs, 4)
	assert.Contains(t, reqs[1].Query, "page=1")
}

func TestIteratorStartsAtTheCallersPage(t *testing.T) {
	s := newStore(30)
	f := newFake(t, s.handle)
	h := newHarness(t, f)
	per, page := api.PerPageParam(10), api.PageParam(2)
	ids := collect(t, h.c.GetBeneficiariesIter(t.Context(), &api.GetBeneficiariesParams{PerPage: &per, Page: &page}))
	assert.Equal(t, expected(30)[10:], ids)
}

func TestIteratorStopsAfterAnError(t *testing.T) {
	f := newFake(t, script(
		reply{body: `{"data":[{"id":"bene_1"}],"page_meta":{"next":2}}`},
		reply{status: 404, body: `{"error":"Not Found"}`},
	))
	h := newHarness(t, f)
	ids, errs := iterIDs(t, h)
	assert.Equal(t, []string{"bene_1"}, ids)
	require.Len(t, errs, 1)
	assert.True(t, IsNotFound(errs[0]))
	assert.Len(t, f.requests(), 2)
}

func TestIteratorGuards(t *testing.T) {
	cases := map[string]string{
		"next not after current": `{"data":[{"id":"a"}],"page_meta":{"current":1,"next":1}}`,
		"empty page":             `{"data":[],"page_meta":{"next":2}}`,
		"no page_meta":           `{"data":[{"id":"a"}]}`,
		"duplicate in one page":  `{"data":[{"id":"a"},{"id":"a"},{}],"page_meta":{"next":null}}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, script(reply{body: body}))
			h := newHarness(t, f)
			n := 0
			for _, err := range h.c.GetBeneficiariesIter(t.Context(), nil) {
				require.NoError(t, err)
				n++
			}
			assert.LessOrEqual(t, n, 2)
			assert.Len(t, f.requests(), 1)
		})
	}
}

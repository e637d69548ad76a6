package wrapper

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageOf renders a page with the given ids and page_meta fields.
func pageOf(meta string, ids ...string) string {
	data := ""
	for i, id := range ids {
		if i > 0 {
			data += ","
		}
		data += fmt.Sprintf(`{"id":%q}`, id)
	}
	return `{"data":[` + data + `],"page_meta":{` + meta + `}}`
}

func iterIDs(t *testing.T, h *harness) ([]string, []error) {
	t.Helper()
	var ids []string
	var errs []error
	for b, err := range h.c.GetBeneficiariesIter(t.Context(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, b.Id)
	}
	return ids, errs
}

// TestIteratorNeverYieldsAnIDTwice (issue 11 item 11): a server repeating
// one item on every page with an ever-growing next gets it yielded once and
// the walk stops, instead of 201 yields in 401 requests.
func TestIteratorNeverYieldsAnIDTwice(t *testing.T) {
	f := newFake(t, func(n int, r *http.Request, _ []byte) reply {
		page := r.URL.Query().Get("page")
		return reply{body: pageOf(`"next":`+fmt.Sprint(n+2)+`,"current":`+page, "payout_same")}
	})
	h := newHarness(t, f)
	ids, errs := iterIDs(t, h)
	assert.Empty(t, errs)
	assert.Equal(t, []string{"payout_same"}, ids)
	assert.LessOrEqual(t, len(f.requests()), 2, "a page with nothing new ends a pinned walk")

	// Repeats from two pages back are still caught.
	f = newFake(t, script(
		reply{body: pageOf(`"next":2`, "a", "b")},
		reply{body: pageOf(`"next":3`, "c", "a")},
		reply{body: pageOf(`"next":4`, "d", "b")},
		reply{body: pageOf(`"next":null`, "e", "c", "a")},
	))
	h = newHarness(t, f)
	ids, errs = iterIDs(t, h)
	assert.Empty(t, errs)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, ids)
}

// TestIteratorDuplicateInOnePageIsSkippedNotTheEnd: the duplicate is in the
// middle of the page, so skipping it must not end the page.
func TestIteratorDuplicateInOnePageIsSkippedNotTheEnd(t *testing.T) {
	f := newFake(t, script(reply{body: pageOf(`"next":null`, "a", "a", "b", "c")}))
	h := newHarness(t, f)
	ids, errs := iterIDs(t, h)
	assert.Empty(t, errs)
	assert.Equal(t, []string{"a", "b", "c"}, ids)
}

// TestIteratorStopsAtTheAnnouncedPageCount: a pinned window cannot grow, so
// a next beyond the first page's page count ends the walk.
func TestIteratorStopsAtTheAnnouncedPageCount(t *testing.T) {
	f := newFake(t, func(n int, _ *http.Request, _ []byte) reply {
		return reply{body: pageOf(`"pages":2,"next":`+fmt.Sprint(n+2), fmt.Sprintf("x%d", n))}
	})
	h := newHarness(t, f)
	ids, errs := iterIDs(t, h)
	assert.Empty(t, errs)
	assert.Equal(t, []string{"x0", "x1"}, ids)
	assert.Len(t, f.requests(), 2)
}

// TestIteratorPageBoundWithoutAPageCount: a server that always has a next
// page and never says how many is stopped at maxIterPages with an error.
func TestIteratorPageBoundWithoutAPageCount(t *testing.T) {
	old := maxIterPages
	maxIterPages = 5
	defer func() { maxIterPages = old }()
	f := newFake(t, func(n int, _ *http.Request, _ []byte) reply {
		return reply{body: pageOf(`"next":`+fmt.Sprint(n+2), fmt.Sprintf("x%d", n))}
	})
	h := newHarness(t, f)
	ids, errs := iterIDs(t, h)
	assert.Len(t, ids, 5)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrTooManyPages)
	assert.Len(t, f.requests(), 5)
}

// TestIteratorMemoryStaysOPage: the ids a walk remembers are bounded by
// the window, however many pages it goes through.
func TestIteratorMemoryStaysOPage(t *testing.T) {
	const per = 50
	var w window
	for page := range 200 {
		w.next()
		for i := range per {
			require.True(t, w.add(fmt.Sprintf("id_%d_%d", page, i)))
		}
		require.LessOrEqual(t, len(w.seen), dedupeWindow*per, "page %d", page)
	}
	assert.False(t, w.add("id_199_0"), "the current page is remembered")
	assert.False(t, w.add(fmt.Sprintf("id_%d_7", 200-dedupeWindow)), "so is the oldest page of the window")
	assert.True(t, w.add(fmt.Sprintf("id_%d_7", 199-dedupeWindow)), "a page older than the window is forgotten")
}

// TestIteratorWithoutBeforeIsNotPinned: a list with no before parameter
// (GET /v2/beneficiaries) cannot pin its window, so it may grow while the
// walk goes on: neither the first page's page count nor a page holding
// nothing new ends it; next and the page bound do.
func TestIteratorWithoutBeforeIsNotPinned(t *testing.T) {
	f := newFake(t, script(
		reply{body: pageOf(`"pages":1,"next":2`, "a", "b")},
		reply{body: pageOf(`"pages":2,"next":3`, "a")},
		reply{body: pageOf(`"pages":3,"next":null`, "c")},
	))
	h := newHarness(t, f)
	var ids []string
	for b, err := range h.c.ListBeneficiariesV2Iter(t.Context(), nil) {
		require.NoError(t, err)
		ids = append(ids, b.Id)
	}
	assert.Equal(t, []string{"a", "b", "c"}, ids)
	reqs := f.requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		q, err := url.ParseQuery(r.Query)
		require.NoError(t, err)
		assert.False(t, q.Has("before"), "nothing to pin: %s", r.Query)
	}
}

// TestIteratorEmptyPageEndsAnUnpinnedWalk: an empty page ends the walk even
// when it names a next page and nothing else would stop it (no before to
// pin, so a page with nothing new does not end it).
func TestIteratorEmptyPageEndsAnUnpinnedWalk(t *testing.T) {
	f := newFake(t, script(
		reply{body: pageOf(`"next":2`)},
		reply{body: pageOf(`"next":null`, "a")},
	))
	h := newHarness(t, f)
	for _, err := range h.c.ListBeneficiariesV2Iter(t.Context(), nil) {
		require.NoError(t, err)
		t.Fatal("an empty page yields nothing and ends the walk")
	}
	assert.Len(t, f.requests(), 1)
}

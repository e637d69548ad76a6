package mock

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// record is one stored object. Its JSON (raw) is written once and never
// changed: an update stores a new slice, so a reader that took raw under
// the lock can render it after releasing the lock.
type record struct {
	id      string
	seq     uint64
	created time.Time
	parent  string
	reqID   string   // request_id the object was created with
	fields  []string // values of the collection's indexed fields, by index
	raw     []byte   // the object's JSON
	direct  bool     // raw is also the object as its resource's item schema shows it
}

// collection holds one resource's records in creation order, with the
// indexes the API's queries need: by id, by request_id, by parent and by
// each equality filter's value. Every index slice is in creation order, so
// before/after are binary searches and a page is a sub-slice.
type collection struct {
	byID     map[string]*record
	byReq    map[string]*record
	order    []*record // oldest first
	byParent map[string][]*record
	fields   []string               // indexed field names
	index    []map[string][]*record // per field: value → records, oldest first
}

// store holds the mock's objects per resource, bounded per resource.
type store struct {
	mu     sync.Mutex
	max    int
	seq    uint64
	last   time.Time // created time of the newest object
	cols   map[string]*collection
	fields map[string][]string // resource → fields to index
	// view renders an object as its resource's item schema shows it and
	// reports whether that equals the object (see record.direct).
	view func(resource string, obj map[string]any) bool
}

func newStore(max int, fields map[string][]string, view func(string, map[string]any) bool) *store {
	return &store{max: max, cols: map[string]*collection{}, fields: fields, view: view}
}

// TimeLayout is how the mock writes timestamps: RFC 3339 in UTC with
// microseconds, so a created_at read from an answer is exactly the value
// before and after compare against.
const TimeLayout = "2006-01-02T15:04:05.000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// stampLocked returns the creation time of a new object: now at the
// timestamp's precision, or just after the newest object's when the clock
// has not moved on. Creation times are therefore unique and increase in
// insertion order, so a list filtered by before is a fixed prefix of what
// is stored, whatever is created after the bound.
func (s *store) stampLocked(now time.Time) time.Time {
	t := now.UTC().Truncate(time.Microsecond)
	if !t.After(s.last) {
		t = s.last.Add(time.Microsecond)
	}
	s.last = t
	return t
}

func (s *store) col(resource string) *collection {
	c := s.cols[resource]
	if c == nil {
		f := s.fields[resource]
		c = &collection{byID: map[string]*record{}, byReq: map[string]*record{}, byParent: map[string][]*record{},
			fields: f, index: make([]map[string][]*record, len(f))}
		for i := range c.index {
			c.index[i] = map[string][]*record{}
		}
		s.cols[resource] = c
	}
	return c
}

// encode fills r's raw JSON, direct flag and indexed values from obj.
func (s *store) encode(resource string, c *collection, r *record, obj map[string]any) {
	r.raw, _ = json.Marshal(obj)
	r.direct = s.view != nil && s.view(resource, obj)
	r.fields = make([]string, len(c.fields))
	for i, f := range c.fields {
		if v, ok := obj[f]; ok && v != nil {
			r.fields[i] = strings.ToLower(fmt.Sprint(v))
		}
	}
}

func decode(raw []byte) map[string]any {
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// bySeq finds r in list (sorted by seq).
func bySeq(list []*record, r *record) (int, bool) {
	i := sort.Search(len(list), func(i int) bool { return list[i].seq >= r.seq })
	return i, i < len(list) && list[i] == r
}

func insertSorted(list []*record, r *record) []*record {
	i, _ := bySeq(list, r)
	return slices.Insert(list, i, r)
}

func removeSorted(list []*record, r *record) []*record {
	if i, ok := bySeq(list, r); ok {
		return slices.Delete(list, i, i+1)
	}
	return list
}

func (c *collection) indexLocked(r *record) {
	if r.parent != "" {
		c.byParent[r.parent] = insertSorted(c.byParent[r.parent], r)
	}
	for i, v := range r.fields {
		if v != "" {
			c.index[i][v] = insertSorted(c.index[i][v], r)
		}
	}
}

func (c *collection) unindexLocked(r *record) {
	drop := func(m map[string][]*record, k string) {
		if l := removeSorted(m[k], r); len(l) > 0 {
			m[k] = l
		} else {
			delete(m, k)
		}
	}
	if r.parent != "" {
		drop(c.byParent, r.parent)
	}
	for i, v := range r.fields {
		if v != "" {
			drop(c.index[i], v)
		}
	}
	if r.reqID != "" && c.byReq[r.reqID] == r {
		delete(c.byReq, r.reqID)
	}
	delete(c.byID, r.id)
}

// put stores obj under id (replacing the object with that id, if any);
// the caller must not keep obj.
func (s *store) put(resource, id, parent string, obj map[string]any, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.col(resource)
	if old, ok := c.byID[id]; ok {
		s.replaceLocked(resource, c, old, obj)
		return
	}
	s.insertLocked(resource, c, id, parent, "", obj, now)
}

func (s *store) insertLocked(resource string, c *collection, id, parent, reqID string, obj map[string]any, now time.Time) *record {
	s.seq++
	r := &record{id: id, seq: s.seq, created: s.stampLocked(now), parent: parent, reqID: reqID}
	obj["created_at"] = formatTime(r.created)
	obj["updated_at"] = obj["created_at"]
	s.encode(resource, c, r, obj)
	c.byID[id] = r
	if reqID != "" {
		c.byReq[reqID] = r
	}
	c.order = append(c.order, r)
	c.indexLocked(r)
	for len(c.order) > s.max {
		c.unindexLocked(c.order[0])
		c.order[0] = nil
		c.order = c.order[1:]
	}
	return r
}

// replaceLocked gives r a new state; its place in every index follows.
func (s *store) replaceLocked(resource string, c *collection, r *record, obj map[string]any) {
	c.unindexLocked(r)
	nr := *r // readers may hold r: build a new record
	s.encode(resource, c, &nr, obj)
	c.byID[nr.id] = &nr
	if nr.reqID != "" {
		c.byReq[nr.reqID] = &nr
	}
	if i, ok := bySeq(c.order, r); ok {
		c.order[i] = &nr
	}
	c.indexLocked(&nr)
}

// insertUnique stores obj unless an object of resource was already created
// with request_id reqID (when reqID is not empty); it returns the stored
// record, or nil for a repeat. It sets obj's created_at and updated_at
// under the lock (see stampLocked).
func (s *store) insertUnique(resource, id, parent string, obj map[string]any, now time.Time, reqID string) *record {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.col(resource)
	if reqID != "" && c.byReq[reqID] != nil {
		return nil
	}
	return s.insertLocked(resource, c, id, parent, reqID, obj, now)
}

// hasRequestID reports whether an object of resource was created with
// request_id reqID (never for an empty reqID).
func (s *store) hasRequestID(resource, reqID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cols[resource]
	return reqID != "" && c != nil && c.byReq[reqID] != nil
}

func (s *store) count(resource string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cols[resource]; c != nil {
		return len(c.byID)
	}
	return 0
}

// all returns every object of resource, newest first (admin and tests).
func (s *store) all(resource string) []map[string]any {
	s.mu.Lock()
	c := s.cols[resource]
	var raws [][]byte
	if c != nil {
		raws = make([][]byte, 0, len(c.order))
		for i := len(c.order) - 1; i >= 0; i-- {
			raws = append(raws, c.order[i].raw)
		}
	}
	s.mu.Unlock()
	out := make([]map[string]any, 0, len(raws))
	for _, raw := range raws {
		out = append(out, decode(raw))
	}
	return out
}

// getCopy returns a private copy of one object.
func (s *store) getCopy(resource, id string) (map[string]any, bool) {
	r, ok := s.getRecord(resource, id)
	if !ok {
		return nil, false
	}
	return decode(r.raw), true
}

// getRecord returns the stored record itself (read-only).
func (s *store) getRecord(resource, id string) (*record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cols[resource]; c != nil {
		if r, ok := c.byID[id]; ok {
			return r, true
		}
	}
	return nil, false
}

// update runs fn under the lock on a private copy of the stored object and,
// when fn returns nil, stores that copy as the object's new state. A
// record handed out earlier is never changed, so a reader rendering it
// after the lock is released cannot race a writer. It reports whether the
// object exists.
func (s *store) update(resource, id string, fn func(obj map[string]any) error) (found bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cols[resource]
	if c == nil {
		return false, nil
	}
	r, ok := c.byID[id]
	if !ok {
		return false, nil
	}
	obj := decode(r.raw)
	if err := fn(obj); err != nil {
		return true, err
	}
	s.replaceLocked(resource, c, r, obj)
	return true, nil
}

func (s *store) remove(resource, id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cols[resource]
	if c == nil {
		return nil, false
	}
	r, ok := c.byID[id]
	if !ok {
		return nil, false
	}
	c.unindexLocked(r)
	c.order = removeSorted(c.order, r)
	return decode(r.raw), true
}

// reset forgets every object.
func (s *store) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cols = map[string]*collection{}
}

// query is one list request: equality filters on indexed fields, a parent,
// created_at bounds (exclusive) and a window of the newest-first result.
type query struct {
	parent        string
	filters       map[string]string // indexed field → value; "request_id" looks up by request_id
	before, after time.Time
	offset, limit int // limit < 0: everything from offset
}

// page answers q: the records of the window, newest first, and how many
// match in all. With at most one filter it costs O(log n + page); with
// more, the smallest index is scanned for the others.
func (s *store) page(resource string, q query) ([]*record, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cols[resource]
	if c == nil {
		return nil, 0
	}
	list := c.order
	var rest []func(*record) bool
	narrow := func(l []*record) {
		if len(l) < len(list) {
			list = l
		}
	}
	first := true
	use := func(l []*record, keep func(*record) bool) {
		if first {
			list, first = l, false
		} else {
			narrow(l)
		}
		rest = append(rest, keep)
	}
	if q.parent != "" {
		use(c.byParent[q.parent], func(r *record) bool { return r.parent == q.parent })
	}
	for name, want := range q.filters {
		if name == "request_id" {
			var l []*record
			if r := c.byReq[want]; r != nil {
				l = []*record{r}
			}
			use(l, func(r *record) bool { return r.reqID == want })
			continue
		}
		i := slices.Index(c.fields, name)
		if i < 0 {
			return nil, 0 // not a field of these objects: nothing matches
		}
		want = strings.ToLower(want)
		use(c.index[i][want], func(r *record) bool { return r.fields[i] == want })
	}
	lo, hi := 0, len(list)
	if !q.after.IsZero() {
		lo = sort.Search(len(list), func(i int) bool { return list[i].created.After(q.after) })
	}
	if !q.before.IsZero() {
		hi = sort.Search(len(list), func(i int) bool { return !list[i].created.Before(q.before) })
	}
	if hi < lo {
		hi = lo
	}
	window := list[lo:hi]
	if len(rest) > 1 {
		// Several filters: keep what passes all of them (a scan of the
		// smallest index's window).
		var kept []*record
		for _, r := range window {
			ok := true
			for _, keep := range rest {
				ok = ok && keep(r)
			}
			if ok {
				kept = append(kept, r)
			}
		}
		window = kept
	}
	n := len(window)
	end := n - q.offset // newest first: item k is window[n-1-k]
	if end <= 0 {
		return nil, n
	}
	start := 0
	if q.limit >= 0 {
		start = max(end-q.limit, 0)
	}
	out := make([]*record, 0, end-start)
	for i := end - 1; i >= start; i-- {
		out = append(out, window[i])
	}
	return out, n
}

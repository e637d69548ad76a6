package mock

import (
	"sync"
	"time"
)

type record struct {
	id      string
	seq     uint64
	created time.Time
	parent  string
	reqID   string // request_id the object was created with
	obj     map[string]any
}

type collection struct {
	byID  map[string]*record
	order []*record // oldest first
}

// store holds the mock's objects per resource, bounded per resource.
type store struct {
	mu   sync.Mutex
	max  int
	seq  uint64
	last time.Time // created time of the newest object
	cols map[string]*collection
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

func newStore(max int) *store { return &store{max: max, cols: map[string]*collection{}} }

func (s *store) col(resource string) *collection {
	c := s.cols[resource]
	if c == nil {
		c = &collection{byID: map[string]*record{}}
		s.cols[resource] = c
	}
	return c
}

// put stores obj under id; the caller must not keep obj.
func (s *store) put(resource, id, parent string, obj map[string]any, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putLocked(resource, id, parent, obj, now)
}

func (s *store) putLocked(resource, id, parent string, obj map[string]any, now time.Time) *record {
	c := s.col(resource)
	if old, ok := c.byID[id]; ok {
		old.obj = obj
		return old
	}
	s.seq++
	r := &record{id: id, seq: s.seq, created: now, parent: parent, obj: obj}
	c.byID[id] = r
	c.order = append(c.order, r)
	for len(c.order) > s.max {
		delete(c.byID, c.order[0].id)
		c.order[0] = nil
		c.order = c.order[1:]
	}
	return r
}

func (s *store) count(resource string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cols[resource]; c != nil {
		return len(c.byID)
	}
	return 0
}

func (s *store) all(resource string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cols[resource]
	if c == nil {
		return nil
	}
	out := make([]map[string]any, 0, len(c.order))
	for i := len(c.order) - 1; i >= 0; i-- {
		out = append(out, clone(c.order[i].obj).(map[string]any))
	}
	return out
}

func (s *store) getCopy(resource, id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cols[resource]; c != nil {
		if r, ok := c.byID[id]; ok {
			return clone(r.obj).(map[string]any), true
		}
	}
	return nil, false
}

// update runs fn under the lock on a private copy of the stored object and,
// when fn returns nil, stores that copy in its place. Stored objects are
// never changed after they are stored, so a map the store handed out (to
// render an answer or an event after the lock is released) cannot be
// written while it is read. It reports whether the object exists.
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
	cp := clone(r.obj).(map[string]any)
	if err := fn(cp); err != nil {
		return true, err
	}
	r.obj = cp
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
	delete(c.byID, id)
	for i, o := range c.order {
		if o == r {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
	return r.obj, true
}

// snapshot returns copies of the records of resource, newest first, that
// keep passes.
func (s *store) snapshot(resource string, keep func(r *record) bool) []*record {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cols[resource]
	if c == nil {
		return nil
	}
	var out []*record
	for i := len(c.order) - 1; i >= 0; i-- {
		r := c.order[i]
		if keep(r) {
			cp := *r // stored objects are immutable: no deep copy
			out = append(out, &cp)
		}
	}
	return out
}

// insertUnique stores obj unless an object of resource was already created
// with request_id reqID (when reqID is not empty); it reports whether it
// stored. It sets obj's created_at and updated_at under the lock (see
// stampLocked).
func (s *store) insertUnique(resource, id, parent string, obj map[string]any, now time.Time, reqID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if reqID != "" {
		if c := s.cols[resource]; c != nil {
			for _, r := range c.order {
				if r.reqID == reqID {
					return false
				}
			}
		}
	}
	created := s.stampLocked(now)
	obj["created_at"] = formatTime(created)
	obj["updated_at"] = obj["created_at"]
	s.putLocked(resource, id, parent, obj, created).reqID = reqID
	return true
}

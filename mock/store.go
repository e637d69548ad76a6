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
	cols map[string]*collection
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

// update runs fn on the stored object under the lock; fn may change obj in
// place. It reports whether the object exists.
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
	return true, fn(r.obj)
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
			cp := *r
			cp.obj = clone(r.obj).(map[string]any)
			out = append(out, &cp)
		}
	}
	return out
}

// insertUnique stores obj unless an object of resource was already created
// with request_id reqID (when reqID is not empty); it reports whether it
// stored.
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
	s.putLocked(resource, id, parent, obj, now).reqID = reqID
	return true
}

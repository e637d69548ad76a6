// Package contract drives every operation of openapi.yaml against a Glomo
// API (the mock, or the real sandbox) and checks each response against the
// spec. The tests of this package call through the SDK; the mock's own tests
// reuse the Runner with a raw HTTP caller.
//
// Inputs come from the spec: request bodies from its examples
// (mock.RequestBody), required query parameters from their examples, and
// path ids from objects the Runner creates first through the operation that
// creates that resource (found structurally: POST on the collection of
// …/{id}, or the POST whose response id carries the prefix). Only the few
// lifecycle preconditions the spec cannot express live in Setups.
package contract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Setup prepares the inputs of an operation whose success depends on a
// lifecycle state the spec cannot express; it may call other operations
// through r and returns the request to make (nil: the default one).
type Setup func(ctx context.Context, r *Runner, req *Request) error

// Runner calls operations through a Caller, creating the objects their
// inputs refer to first.
type Runner struct {
	Spec   *Spec
	Call   Caller
	Setups map[string]Setup
	// ReuseIDs maps an id prefix to an existing object to use instead of
	// creating one (live runs fill it from list responses).
	ReuseIDs map[string]string
	// NoCreate forbids creating objects (read-only live runs).
	NoCreate bool

	mu        sync.Mutex
	shared    map[string]string
	depth     int
	producing map[string]bool
}

// NewRunner returns a Runner with the default Setups.
func NewRunner(s *Spec, call Caller) *Runner {
	return &Runner{Spec: s, Call: call, Setups: DefaultSetups(), ReuseIDs: map[string]string{}, shared: map[string]string{}}
}

// ID returns the id of an object with prefix, creating one through its
// producer (a new one when fresh, else a shared one).
func (r *Runner) ID(ctx context.Context, prefix string, fresh bool) (string, error) {
	if id := r.ReuseIDs[prefix]; id != "" {
		return id, nil
	}
	r.mu.Lock()
	id := r.shared[prefix]
	r.mu.Unlock()
	if id != "" && !fresh {
		return id, nil
	}
	if r.NoCreate {
		return "", fmt.Errorf("no %s object to use and creating is off", prefix)
	}
	prod := r.Spec.producer[prefix]
	if prod == nil {
		return "", fmt.Errorf("no operation creates %s objects", prefix)
	}
	if r.depth > 6 {
		return "", errors.New("dependency chain too deep")
	}
	r.depth++
	if r.producing == nil {
		r.producing = map[string]bool{}
	}
	r.producing[prefix] = true
	defer func() { r.depth--; delete(r.producing, prefix) }()
	res, _, err := r.Do(ctx, prod, false)
	if err != nil {
		return "", err
	}
	if res.Status < 200 || res.Status > 299 {
		return "", fmt.Errorf("creating %s via %s: status %d: %s", prefix, prod.ID, res.Status, res.Body)
	}
	var obj map[string]any
	if err := json.Unmarshal(res.Body, &obj); err != nil {
		return "", fmt.Errorf("creating %s via %s: %w", prefix, prod.ID, err)
	}
	id = findID(obj, r.Spec.idField[prefix])
	if id == "" && strings.HasPrefix(prefix, "path:") {
		id = r.Spec.fallback[prefix]
	}
	if !strings.HasPrefix(prefix, "path:") && !strings.HasPrefix(id, prefix) || id == "" {
		return "", fmt.Errorf("creating %s via %s: answer has id %q", prefix, prod.ID, id)
	}
	r.mu.Lock()
	if r.shared[prefix] == "" || !fresh {
		r.shared[prefix] = id
	}
	r.mu.Unlock()
	return id, nil
}

// Do builds op's request (running its Setup, if any) and calls it.
func (r *Runner) Do(ctx context.Context, op *Op, fresh bool) (*Response, *Request, error) {
	req, err := r.Build(ctx, op, fresh)
	if err != nil {
		return nil, nil, err
	}
	if s := r.Setups[op.ID]; s != nil {
		if err := s(ctx, r, req); err != nil {
			return nil, req, fmt.Errorf("%s setup: %w", op.ID, err)
		}
	}
	res, err := r.Call(ctx, req)
	return res, req, err
}

// findID returns the id in a create's answer: id, data.id, or the field
// named like the path parameter (e.g. merchant_id) at the top or in data.
func findID(obj map[string]any, field string) string {
	for _, m := range []map[string]any{obj, asMap(obj["data"])} {
		if m == nil {
			continue
		}
		if id, ok := m["id"].(string); ok && id != "" {
			return id
		}
		if field != "" {
			if id, ok := m[field].(string); ok && id != "" {
				return id
			}
		}
	}
	return ""
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

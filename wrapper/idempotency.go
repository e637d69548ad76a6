package wrapper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"
)

// chooseRequestID picks the request_id of an idempotent create: the one
// WithRequestID names, else the one the body carries, else a fresh UUID. An
// id the caller named either way is explicit: a first attempt that hears
// "already exists" is a repeat of that create and resolves to the original.
// The generated method sets the id on its own copy of the typed body (a
// field, or a oneOf branch's WithRequestID), which is then marshalled once
// by jsonBody: the caller's value is never modified.
func (r *request) chooseRequestID(cur string) string {
	switch {
	case r.opts.requestID != "":
		r.requestID, r.explicitID = r.opts.requestID, true
	case cur != "":
		r.requestID, r.explicitID = cur, true
	default:
		r.requestID = uuid.NewString()
	}
	return r.requestID
}

// jsonBody encodes a JSON request body as the generated New...Request
// functions do (json.Marshal) and keeps the bytes for every attempt.
func (r *request) jsonBody(v any) (io.Reader, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("glomo: %s %s: encode request body: %w", r.op.method, r.op.path, err)
	}
	if string(b) == "null" {
		if _, isUnion := v.(json.Marshaler); isUnion {
			return nil, ErrEmptyBody // a oneOf body with no branch set: Glomo would answer 400
		}
		b = []byte("{}") // an open body (a nil map) with nothing in it
	}
	r.body = b
	return bytes.NewReader(b), nil
}

// resolveDuplicate fetches the object an earlier attempt of this create
// already made (GET <list>?request_id=) and returns it as the create's
// answer. ok is false when nothing is found; the caller then gets the
// duplicate error.
func (r *request) resolveDuplicate(dupErr *APIError) (res result, ok bool) {
	lookup := r.op.lookup
	if lookup == nil || len(r.op.success) == 0 {
		return result{}, false
	}
	// The lookup path is the create's path or an ancestor of it, so its
	// parameters are the leading segments of the actual path.
	base := r.c.cfg.basePath
	segs := strings.Split(strings.Trim(strings.TrimPrefix(r.path, base), "/"), "/")
	n := strings.Count(strings.Trim(lookup.path, "/"), "/") + 1
	if n > len(segs) {
		return result{}, false
	}
	u, err := url.Parse(r.c.cfg.server)
	if err != nil {
		return result{}, false
	}
	u.Path = base + "/" + strings.Join(segs[:n], "/")
	u.RawQuery = url.Values{"request_id": {r.requestID}}.Encode()
	get, err := http.NewRequestWithContext(r.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return result{}, false
	}
	lr := &request{c: r.c, op: lookup, ctx: r.ctx, opts: r.opts}
	lr.opts.captureID = nil
	page, err := lr.do(get)
	log := r.c.cfg.logger
	if err != nil {
		log.LogAttrs(r.ctx, slog.LevelDebug, "glomo duplicate lookup failed",
			slog.String("path", u.Path), slog.String("request_id", r.requestID), slog.String("error", r.c.cfg.creds.key.redact(err.Error())))
		return result{}, false
	}
	item := findByRequestID(page.body, r.requestID)
	if item == nil {
		return result{}, false
	}
	log.LogAttrs(r.ctx, slog.LevelDebug, "glomo duplicate resolved",
		slog.String("method", r.op.method), slog.String("path", r.path),
		slog.String("request_id", r.requestID), slog.Int("duplicate_status", dupErr.StatusCode))
	return result{status: r.op.success[0], header: http.Header{"Content-Type": {"application/json"}}, body: item}, true
}

// findByRequestID picks, from a list answer, the item carrying request_id
// (or the only item when items do not echo it).
func findByRequestID(page []byte, id string) []byte {
	var p struct {
		Data []json.RawMessage `json:"data"`
	}
	if json.Unmarshal(page, &p) != nil || len(p.Data) == 0 {
		return nil
	}
	type echo struct {
		RequestID *string `json:"request_id"`
	}
	for _, it := range p.Data {
		var f echo
		if json.Unmarshal(it, &f) != nil {
			continue
		}
		if f.RequestID != nil && *f.RequestID == id || f.RequestID == nil && len(p.Data) == 1 {
			return it
		}
	}
	return nil
}

// isDuplicate recognises Glomo's answer to a repeated request_id: 409
// "Record already exists" (payouts), 400 "... already exists for this
// request_id" (orders, payments, refunds).
func isDuplicate(status int, e *APIError) bool {
	return (status == http.StatusConflict || status == http.StatusBadRequest) &&
		strings.Contains(e.text(), "already exists")
}

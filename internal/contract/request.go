package contract

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/glomo-go/glomo-go/mock"
)

// Request is one call the Runner asks its Caller to make.
type Request struct {
	Op         *Op
	PathParams map[string]string
	Query      url.Values
	Body       []byte // nil without a body
	// ContentType of Body; empty means application/json.
	ContentType string
}

// URLPath is the request path under the spec's base path, parameters
// filled in, e.g. /api/v1/payouts/payout_x.
func (r *Request) URLPath(basePath string) string {
	p := r.Op.Path
	for k, v := range r.PathParams {
		p = strings.ReplaceAll(p, "{"+k+"}", url.PathEscape(v))
	}
	return basePath + p
}

// Build returns the default request for op: body from the spec's examples
// with every id that has a known prefix replaced by a real object, required
// query parameters from their examples, path parameters from real objects.
// fresh asks for new objects for the path (for operations that change them).
func (r *Runner) Build(ctx context.Context, op *Op, fresh bool) (*Request, error) {
	req := &Request{Op: op, PathParams: map[string]string{}, Query: url.Values{}}
	for _, p := range op.op.Parameters {
		pv := p.Value
		if pv == nil {
			continue
		}
		switch pv.In {
		case "path":
			prefix := r.Spec.prefixes[pv.Name+"@"+op.Path]
			v := ""
			if prefix != "" && (r.Spec.producer[prefix] != nil || r.ReuseIDs[prefix] != "") {
				id, err := r.ID(ctx, prefix, fresh)
				if err != nil {
					return nil, fmt.Errorf("%s: path %s: %w", op.ID, pv.Name, err)
				}
				v = id
			} else {
				v = paramExample(pv)
			}
			req.PathParams[pv.Name] = v
		case "query":
			if pv.Required {
				req.Query.Set(pv.Name, paramExample(pv))
			}
		}
	}
	if op.HasBody && op.op.RequestBody.Value.Content.Get("application/json") == nil {
		if mt := op.op.RequestBody.Value.Content.Get("multipart/form-data"); mt != nil {
			req.Body, req.ContentType = multipartBody(mt)
		}
		return req, nil
	}
	if op.HasBody {
		b, err := mock.RequestBody(op.ID)
		if err != nil {
			return nil, err
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, err
		}
		uniqueEmails(v)
		v, err = r.substitute(ctx, v, "")
		if err != nil {
			return nil, fmt.Errorf("%s: body: %w", op.ID, err)
		}
		if m, ok := v.(map[string]any); ok {
			if _, ok := m["request_id"]; ok {
				m["request_id"] = uniqueID("req")
			}

		}
		req.Body, _ = json.Marshal(v)
	}
	return req, nil
}

func paramExample(p *openapi3.Parameter) string {
	if p.Example != nil {
		return fmt.Sprint(p.Example)
	}
	for _, ex := range p.Examples {
		if ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return fmt.Sprint(ex.Value.Value)
		}
	}
	if p.Schema != nil && p.Schema.Value != nil {
		s := p.Schema.Value
		if s.Example != nil {
			return fmt.Sprint(s.Example)
		}
		for _, e := range s.Enum {
			if e != nil {
				return fmt.Sprint(e)
			}
		}
		if s.Default != nil {
			return fmt.Sprint(s.Default)
		}
		if s.Type.Includes("integer") || s.Type.Includes("number") {
			return "1"
		}
	}
	return "x"
}

// substitute replaces string ids with a known prefix by real objects.
func (r *Runner) substitute(ctx context.Context, v any, key string) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			nv, err := r.substitute(ctx, e, k)
			if err != nil {
				return nil, err
			}
			t[k] = nv
		}
	case []any:
		for i, e := range t {
			nv, err := r.substitute(ctx, e, key)
			if err != nil {
				return nil, err
			}
			t[i] = nv
		}
	case string:
		if key != "id" && !strings.HasSuffix(key, "_id") && key != "documents" && !strings.HasSuffix(key, "_ids") {
			return t, nil
		}
		if i := strings.Index(t, "_"); i > 0 {
			if p := t[:i+1]; r.Spec.producer[p] != nil && !r.producing[p] {
				return r.ID(ctx, p, false)
			}
		}
	}
	return v, nil
}

func uniqueID(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

// multipartBody builds a multipart/form-data body from a schema: a small
// PDF-looking file for binary fields, examples for the others.
func multipartBody(mt *openapi3.MediaType) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if mt.Schema != nil && mt.Schema.Value != nil {
		names := make([]string, 0, len(mt.Schema.Value.Properties))
		for n := range mt.Schema.Value.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			p := mt.Schema.Value.Properties[n].Value
			if p == nil {
				continue
			}
			if p.Format == "binary" || p.ContentMediaType != "" {
				fw, _ := w.CreateFormFile(n, "invoice.pdf")
				fw.Write([]byte("%PDF-1.4\n%contract test\n"))
				continue
			}
			v := "contract"
			if p.Example != nil {
				v = fmt.Sprint(p.Example)
			} else if len(p.Enum) > 0 && p.Enum[0] != nil {
				v = fmt.Sprint(p.Enum[0])
			}
			w.WriteField(n, v)
		}
	}
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// uniqueEmails gives every "email" field a fresh, well-formed address:
// customers are unique by email, and some spec examples carry placeholders
// that are not addresses.
func uniqueEmails(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if _, ok := e.(string); ok && k == "email" {
				t[k] = uniqueID("contract") + "@example.com"
				continue
			}
			uniqueEmails(e)
		}
	case []any:
		for _, e := range t {
			uniqueEmails(e)
		}
	}
}

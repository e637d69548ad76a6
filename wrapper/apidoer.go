package wrapper

import (
	"bytes"
	"io"
	"net/http"
)

// apiDoer is the api.HttpRequestDoer behind API(): the generated client's
// requests get the client's auth and User-Agent and its retry loop (reads
// and 429s are retried, other writes are sent once), and non-2xx answers
// become *APIError errors. There is no descriptor, so no request_id and no
// duplicate resolution: those belong to the typed methods.
type apiDoer struct{ c *Client }

// Do implements api.HttpRequestDoer.
func (d apiDoer) Do(req *http.Request) (*http.Response, error) {
	op := &operation{method: req.Method, path: req.URL.Path}
	r := &request{c: d.c, op: op, ctx: req.Context(), method: req.Method, maxRetries: d.c.cfg.call.maxRetries}
	res, err := r.run(req, true, nil)
	if err != nil {
		return nil, err
	}
	// The real answer, its body re-served from the bytes the loop read
	// (bounded by the size limit).
	resp := res.resp
	resp.Request = req // the caller's request, which never carries the key
	resp.Body = io.NopCloser(bytes.NewReader(res.body))
	resp.ContentLength = int64(len(res.body))
	return resp, nil
}

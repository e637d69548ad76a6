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

// Do implements api.HttpRequestDoer. The call starts as a typed method's
// does (begin: the client's timeout and retry count), without options.
func (d apiDoer) Do(req *http.Request) (*http.Response, error) {
	r, err := d.c.begin(req.Context(), &operation{method: req.Method, path: req.URL.Path}, nil)
	if err != nil {
		return nil, err
	}
	defer r.end()
	// A copy with its own headers: the key goes on it, never on the
	// generated client's request, which the response points back to.
	sent := req.WithContext(r.ctx)
	sent.Header = req.Header.Clone()
	res, err := r.run(sent, nil)
	if err != nil {
		return nil, err
	}
	// The real answer, its body re-served from the bytes the loop read
	// (bounded by the size limit).
	resp := res.resp
	resp.Request = req
	resp.Body = io.NopCloser(bytes.NewReader(res.body))
	resp.ContentLength = int64(len(res.body))
	return resp, nil
}

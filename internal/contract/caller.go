package contract

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Response is what a Caller got back.
type Response struct {
	Status  int
	Header  http.Header
	Body    []byte
	Request *http.Request
	// Raw is true when the call bypassed the SDK (no generated method).
	Raw bool
	// Via says which client made the call ("wrapper", "sdk", "raw"), when
	// the Caller knows.
	Via string
}

// Caller makes one call.
type Caller func(ctx context.Context, req *Request) (*Response, error)

// HTTPCaller calls operations with plain HTTP (no SDK) at baseURL (the
// spec's server URL, e.g. http://127.0.0.1:port/api) with a bearer key.
func HTTPCaller(baseURL, key string, client *http.Client) Caller {
	base, _ := url.Parse(baseURL)
	return func(ctx context.Context, req *Request) (*Response, error) {
		u := *base
		u.Path = strings.TrimRight(base.Path, "/") + req.URLPath("")
		u.RawQuery = req.Query.Encode()
		var body io.Reader
		if req.Body != nil {
			body = bytes.NewReader(req.Body)
		}
		hr, err := http.NewRequestWithContext(ctx, req.Op.Method, u.String(), body)
		if err != nil {
			return nil, err
		}
		if req.Body != nil {
			ct := req.ContentType
			if ct == "" {
				ct = "application/json"
			}
			hr.Header.Set("Content-Type", ct)
		}
		hr.Header.Set("Authorization", "Bearer "+key)
		resp, err := client.Do(hr)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, err
		}
		return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b, Request: hr, Raw: true}, nil
	}
}

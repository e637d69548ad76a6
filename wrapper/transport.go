package wrapper

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// transport is the client's one choke point: the api.HttpRequestDoer every
// generated call goes through. Per request it adds auth and User-Agent, sets
// request_id on idempotent creates, retries, resolves duplicate answers to
// our own retries, maps non-2xx answers to *APIError, bounds response size,
// logs each attempt and feeds the drift detector.
type transport struct {
	cfg *config
}

// ResolvedDuplicateHeader is set on the answer the client synthesises when
// a retried create met Glomo's "already exists" reply and the existing
// object was fetched instead.
const ResolvedDuplicateHeader = "X-Glomo-Go-Resolved-Duplicate"

// request is one logical call inside the transport.
type request struct {
	orig      *http.Request
	ctx       context.Context
	st        *callState
	op        *opInfo
	rel       string // path relative to the base URL, for matching and drift
	path      string // URL path, for errors and logs
	body      []byte
	requestID string
	// canRetry: reads, and writes whose body carries a request_id.
	canRetry bool
	// explicitID: the caller named the request_id (WithRequestID), so even
	// a first attempt that hears "already exists" is the same logical create.
	explicitID bool
	maxRetries int
}

// Do implements api.HttpRequestDoer.
func (t *transport) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	r := &request{orig: req, ctx: ctx, st: callFrom(ctx), path: req.URL.Path}
	r.rel = req.URL.Path
	if bp := t.cfg.basePath; bp != "" {
		if rest, ok := strings.CutPrefix(r.rel, bp); ok && (rest == "" || rest[0] == '/') {
			r.rel = rest
		}
	}
	if idx, err := loadSpec(); err == nil {
		r.op = idx.match(req.Method, r.rel)
	}
	marshalled := false // r.body is json.Marshal's output
	if req.Body != nil && req.Body != http.NoBody {
		if st := r.st; st != nil && st.reqBody != nil && req.ContentLength == int64(len(st.reqBody)) {
			// A typed method encoded this body (callState.marshalBody).
			r.body, marshalled = st.reqBody, true
			_ = req.Body.Close()
		} else {
			b, err := readRequestBody(req)
			_ = req.Body.Close()
			if err != nil {
				return nil, fmt.Errorf("glomo: %s %s: read request body: %w", req.Method, r.path, err)
			}
			r.body = b
		}
	}
	override := ""
	r.maxRetries = t.cfg.retry.MaxRetries
	if r.st != nil {
		override = r.st.opts.requestID
		if r.st.opts.maxRetries != nil {
			r.maxRetries = *r.st.opts.maxRetries
		}
	}
	if isJSON(req.Header.Get("Content-Type")) && len(r.body) > 0 {
		inject := r.op != nil && r.op.idempotent
		set := withRequestID
		if marshalled {
			set = setRequestID // valid JSON: no need to check
		}
		body, id, err := set(r.body, inject, override)
		if err != nil {
			return nil, fmt.Errorf("glomo: %s %s: set request_id: %w", req.Method, r.path, err)
		}
		r.body, r.requestID = body, id
	}
	r.st.setRequestID(r.requestID)
	r.canRetry = isSafeMethod(req.Method) || r.requestID != ""
	r.explicitID = override != "" && r.requestID == override
	return t.run(r)
}

// readRequestBody reads the body the generated client built, into one
// buffer when its length is known; like io.ReadAll otherwise.
func readRequestBody(req *http.Request) ([]byte, error) {
	n := req.ContentLength
	if n <= 0 || n > 64<<20 {
		return io.ReadAll(req.Body)
	}
	b := make([]byte, n+1) // one more byte to see the end
	m, err := io.ReadFull(req.Body, b)
	switch err {
	case io.EOF, io.ErrUnexpectedEOF: // the whole body (maybe shorter than announced)
		return b[:m], nil
	case nil: // longer than announced: read the rest
		rest, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		return append(b, rest...), nil
	}
	return nil, err
}

// run is the attempt loop.
func (t *transport) run(r *request) (*http.Response, error) {
	method := r.orig.Method
	for attempt := 0; ; attempt++ {
		res := t.attempt(r, attempt)
		if res.err == nil && res.status >= 200 && res.status < 300 {
			return t.success(r, res), nil
		}
		var apiErr *APIError
		if res.err == nil {
			apiErr = newAPIError(res.status, method, r.path, r.requestID, res.body)
			apiErr.Retryable = retryableStatus(res.status, apiErr)
			if (attempt > 0 || r.explicitID) && r.op != nil && r.op.idempotent && r.requestID != "" && isDuplicate(res.status, apiErr) {
				if resp := t.resolveDuplicate(r, apiErr); resp != nil {
					return resp, nil
				}
			}
		}

		reason, retry := "", false
		switch {
		case res.err != nil && r.ctx.Err() != nil:
			// The caller's context ended; nothing to retry.
		case res.err != nil:
			var tooLarge *ResponseTooLargeError
			if errors.As(res.err, &tooLarge) {
				return nil, res.err
			}
			if !r.canRetry && res.sent {
				return nil, &OutcomeUnknownError{Method: method, Path: r.path, Err: t.wrap(r, res.err)}
			}
			retry, reason = retryableTransport(res.err), "transport error"
		case !apiErr.Retryable:
			return nil, apiErr
		case !r.canRetry && res.status == http.StatusTooManyRequests:
			// A 429 was refused, not acted on: resending cannot duplicate.
			retry, reason = true, "status 429"
		case !r.canRetry:
			if res.status >= 500 {
				return nil, &OutcomeUnknownError{Method: method, Path: r.path, Err: apiErr}
			}
			return nil, apiErr
		default:
			retry, reason = true, "status "+strconv.Itoa(res.status)
		}

		final := error(apiErr)
		if res.err != nil {
			final = t.wrap(r, res.err)
			if !r.canRetry && res.sent {
				final = &OutcomeUnknownError{Method: method, Path: r.path, Err: final}
			}
		}
		if !retry || attempt >= r.maxRetries {
			return nil, t.lostCreate(r, final)
		}

		delay, fromHeader := time.Duration(0), false
		if res.err == nil {
			delay, fromHeader = t.cfg.retry.retryAfter(res.header, t.cfg.now())
		}
		if !fromHeader {
			delay = t.cfg.retry.backoff(attempt+1, t.cfg.jitter)
		}
		t.cfg.logger.LogAttrs(r.ctx, slog.LevelDebug, "glomo retry",
			slog.String("method", method), slog.String("path", r.path),
			slog.Int("attempt", attempt+1), slog.String("reason", reason),
			slog.Duration("delay", delay), slog.Bool("retry_after", fromHeader))
		if err := t.cfg.sleep(r.ctx, delay); err != nil {
			return nil, t.lostCreate(r, fmt.Errorf("glomo: %s %s: %w while waiting to retry after: %w", method, r.path, err, final))
		}
	}
}

// attemptResult is what one attempt produced.
type attemptResult struct {
	status int
	header http.Header
	body   []byte
	err    error
	// sent: the request may have reached the server.
	sent bool
}

func (t *transport) attempt(r *request, attempt int) attemptResult {
	// "Was it sent?" only changes the outcome of a request that cannot be
	// retried, so only those carry the client trace.
	var trace *sentTrace
	var req *http.Request
	switch {
	case !r.canRetry:
		trace = &sentTrace{}
		req = r.orig.Clone(httptrace.WithClientTrace(r.ctx, &httptrace.ClientTrace{
			GetConn:      trace.getConn,
			WroteHeaders: trace.wroteHeaders,
		}))
	case attempt == 0:
		// The first attempt sends a shallow copy with headers of its own
		// (the caller's request, which the response points to, never gets
		// the key); retries send full clones.
		req = new(http.Request)
		*req = *r.orig
		req.Header = make(http.Header, len(r.orig.Header)+3)
		for k, vs := range r.orig.Header {
			req.Header[k] = vs
		}
	default:
		req = r.orig.Clone(r.ctx)
	}
	if r.body != nil {
		// io.NopCloser over a *bytes.Reader, not a type of ours: net/http
		// recognises it as in memory and writes headers and body together
		// (for other readers it flushes the headers in a write of their own).
		body := r.body
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req.ContentLength = int64(len(body))
	}
	cfg := t.cfg
	auth, ua, accept := cfg.authHeader, cfg.uaHeader, cfg.acceptHeader
	if auth == nil { // a config not built by New
		auth, ua, accept = []string{"Bearer " + string(cfg.key)}, []string{cfg.userAgent}, []string{"application/json"}
	}
	req.Header["Authorization"] = auth
	req.Header["User-Agent"] = ua
	if a := req.Header["Accept"]; len(a) == 0 || a[0] == "" {
		req.Header["Accept"] = accept
	}

	logOn := cfg.logger.Enabled(r.ctx, slog.LevelDebug)
	var start time.Time
	if logOn {
		start = time.Now()
	}
	resp, err := cfg.doer.Do(req)
	var res attemptResult
	if err != nil {
		res.err = err
		// With a doer that honours httptrace (net/http), WroteHeaders says
		// exactly whether anything left; otherwise only a dial failure is
		// known not to have been sent.
		if trace != nil && trace.traced.Load() {
			res.sent = trace.wrote.Load()
		} else {
			res.sent = !isDialError(err)
		}
	} else {
		res.sent = true
		res.status, res.header = resp.StatusCode, resp.Header
		res.body, res.err = t.readBody(r, resp)
		if res.err == nil && cfg.driftCheck != nil {
			t.checkDrift(r, resp.StatusCode, resp.Header, res.body)
		}
	}
	if logOn {
		t.logAttempt(r, attempt, start, res)
	}
	return res
}

// sentTrace records, through httptrace, whether a request got a connection
// and whether its headers were written.
type sentTrace struct {
	traced, wrote atomic.Bool
}

func (s *sentTrace) getConn(string) { s.traced.Store(true) }
func (s *sentTrace) wroteHeaders()  { s.wrote.Store(true) }

// bytesBody is a response body over bytes already in memory.
type bytesBody struct {
	bytes.Reader
}

// Close implements io.Closer.
func (*bytesBody) Close() error { return nil }

// logAttempt writes the debug line of one attempt.
func (t *transport) logAttempt(r *request, attempt int, start time.Time, res attemptResult) {
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs,
		slog.String("method", r.orig.Method), slog.String("path", r.path),
		slog.Int("attempt", attempt+1), slog.Duration("duration", time.Since(start)),
	)
	if r.op != nil {
		attrs = append(attrs, slog.String("operation", r.op.id))
	}
	if res.status != 0 {
		attrs = append(attrs, slog.Int("status", res.status))
	}
	if r.requestID != "" {
		attrs = append(attrs, slog.String("request_id", r.requestID))
	}
	if res.err != nil {
		attrs = append(attrs, slog.String("error", res.err.Error()))
	}
	if t.cfg.logBodies {
		attrs = append(attrs, slog.String("request_body", string(r.body)), slog.String("response_body", string(res.body)))
	}
	t.cfg.logger.LogAttrs(r.ctx, slog.LevelDebug, "glomo request", attrs...)
}

// readBody reads at most the size limit; a larger body is refused. The
// buffer is sized from Content-Length when the server sent one.
func (t *transport) readBody(r *request, resp *http.Response) ([]byte, error) {
	defer func() { _ = resp.Body.Close() }()
	limit := t.cfg.maxBody
	if resp.ContentLength > limit {
		return nil, t.tooLarge(r, resp.StatusCode)
	}
	size := int64(512)
	if cl := resp.ContentLength; cl >= 0 {
		size = cl + 1 // room for the read that reports EOF
	}
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		room := b[len(b):cap(b)]
		if left := limit + 1 - int64(len(b)); int64(len(room)) > left {
			room = room[:left]
		}
		n, err := resp.Body.Read(room)
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			return nil, t.tooLarge(r, resp.StatusCode)
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (t *transport) tooLarge(r *request, status int) error {
	return &ResponseTooLargeError{Method: r.orig.Method, Path: r.path, StatusCode: status, Limit: t.cfg.maxBody, RequestID: r.requestID}
}

// lostCreate types the end of a retried create: when a write that carries a
// request_id stops on a transport error, a cancelled wait or a 5xx, an
// earlier attempt may have been acted on. The caller gets an
// *OutcomeUnknownError holding the request_id, to repeat the create with
// WithRequestID (which then returns the original) or look it up.
func (t *transport) lostCreate(r *request, err error) error {
	if isSafeMethod(r.orig.Method) || r.requestID == "" {
		return err
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode < 500 {
		return err
	}
	var unknown *OutcomeUnknownError
	if errors.As(err, &unknown) {
		return err
	}
	return &OutcomeUnknownError{Method: r.orig.Method, Path: r.path, RequestID: r.requestID, Err: err}
}

func (t *transport) checkDrift(r *request, status int, h http.Header, body []byte) {
	defer func() { _ = recover() }() // the detector must never fail a call
	if f := t.cfg.driftCheck.Check(r.orig.Method, r.rel, status, h, body); f != nil {
		t.cfg.drift(*f)
	}
}

// success hands a 2xx answer to the generated parser (or, for the typed
// methods, to decodeOK, which reads the recorded body instead).
func (t *transport) success(r *request, res attemptResult) *http.Response {
	r.st.recordSuccess(r.orig.Method, r.path, res.status, res.header.Get("Content-Type"), res.body)
	sr := &syntheticResponse{} // the response and its body in one allocation
	sr.body.Reset(res.body)
	sr.resp = http.Response{
		Status:        statusLine(res.status),
		StatusCode:    res.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        res.header,
		Body:          &sr.body,
		ContentLength: int64(len(res.body)),
		Request:       r.orig,
	}
	return &sr.resp
}

// syntheticResponse is an answer re-served from bytes already read.
type syntheticResponse struct {
	resp http.Response
	body bytesBody
}

// statusLine is http.Response.Status for a status code.
func statusLine(code int) string {
	switch code {
	case http.StatusOK:
		return "200 OK"
	case http.StatusCreated:
		return "201 Created"
	case http.StatusAccepted:
		return "202 Accepted"
	case http.StatusNoContent:
		return "204 No Content"
	}
	return strconv.Itoa(code) + " " + http.StatusText(code)
}

// resolveDuplicate fetches the object an earlier attempt of this create
// already made (GET <list>?request_id=) and answers as the create would
// have. It returns nil when nothing is found; the caller then gets the
// original error.
func (t *transport) resolveDuplicate(r *request, dupErr *APIError) *http.Response {
	lookup := r.op.lookup
	if lookup == nil || r.op.successStatus == 0 {
		return nil
	}
	// The lookup path is the create's path or an ancestor of it, so its
	// parameters are the leading segments of the actual path.
	segs := splitPath(r.rel)
	if len(lookup.segments) > len(segs) {
		return nil
	}
	u := *r.orig.URL
	u.Path = t.cfg.basePath + "/" + strings.Join(segs[:len(lookup.segments)], "/")
	u.RawPath = ""
	u.RawQuery = url.Values{"request_id": {r.requestID}}.Encode()
	get, err := http.NewRequestWithContext(r.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil
	}
	for k, vs := range r.orig.Header {
		if k != "Content-Type" && k != "Content-Length" {
			get.Header[k] = vs
		}
	}
	lr := &request{
		orig: get, ctx: r.ctx, op: lookup, rel: "/" + strings.Join(segs[:len(lookup.segments)], "/"),
		path: u.Path, canRetry: true, maxRetries: r.maxRetries,
	}
	resp, err := t.run(lr)
	if err != nil {
		t.cfg.logger.LogAttrs(r.ctx, slog.LevelDebug, "glomo duplicate lookup failed",
			slog.String("path", u.Path), slog.String("request_id", r.requestID), slog.String("error", err.Error()))
		return nil
	}
	page, _ := io.ReadAll(resp.Body)
	item := findByRequestID(page, r.requestID)
	if item == nil {
		return nil
	}
	t.cfg.logger.LogAttrs(r.ctx, slog.LevelDebug, "glomo duplicate resolved",
		slog.String("method", r.orig.Method), slog.String("path", r.path),
		slog.String("request_id", r.requestID), slog.Int("duplicate_status", dupErr.StatusCode))
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(ResolvedDuplicateHeader, "true")
	return t.success(r, attemptResult{status: r.op.successStatus, header: h, body: item})
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
	for _, it := range p.Data {
		var f struct {
			RequestID *string `json:"request_id"`
		}
		if json.Unmarshal(it, &f) != nil {
			continue
		}
		if f.RequestID != nil && *f.RequestID == id {
			return it
		}
	}
	if len(p.Data) == 1 {
		var f struct {
			RequestID *string `json:"request_id"`
		}
		if json.Unmarshal(p.Data[0], &f) == nil && f.RequestID == nil {
			return p.Data[0]
		}
	}
	return nil
}

// wrap gives a transport error the call's method and path; errors.Is still
// sees context.DeadlineExceeded and friends through it.
func (t *transport) wrap(r *request, err error) error {
	return fmt.Errorf("glomo: %s %s: %w", r.orig.Method, r.path, err)
}

// withRequestID returns body with request_id set: override when given,
// else the body's own value, else (inject) a new UUID. It reports the
// request_id the body carries. Bodies that are not JSON objects pass as they
// are.
//
// The body is not decoded: a scan of its top-level members finds
// request_id (nested objects and arrays are skipped whole, keys are compared
// after unescaping), and a new value is spliced in (or inserted as the
// first member). Only an object that repeats request_id at the top level
// goes through withRequestIDMap.
func withRequestID(body []byte, inject bool, override string) ([]byte, string, error) {
	if !json.Valid(body) {
		return body, "", nil
	}
	return setRequestID(body, inject, override)
}

// setRequestID is withRequestID for a body known to be valid JSON.
func setRequestID(body []byte, inject bool, override string) ([]byte, string, error) {
	open, vs, ve, count := scanTopLevel(body, "request_id")
	if open < 0 { // not an object (or null)
		return body, "", nil
	}
	if count > 1 {
		return withRequestIDMap(body, inject, override)
	}
	var cur string
	if count == 1 {
		cur = jsonStringValue(body[vs:ve])
	}
	want := cur
	if inject {
		switch {
		case override != "":
			want = override
		case cur == "":
			want = uuid.NewString()
		}
	}
	if want == cur {
		return body, cur, nil
	}
	v, err := appendJSONString(nil, want)
	if err != nil {
		return nil, "", err
	}
	var out []byte
	if count == 1 {
		out = make([]byte, 0, len(body)-(ve-vs)+len(v))
		out = append(out, body[:vs]...)
		out = append(out, v...)
		out = append(out, body[ve:]...)
	} else {
		const key = `"request_id":`
		out = make([]byte, 0, len(body)+len(key)+len(v)+1)
		out = append(out, body[:open+1]...)
		out = append(out, key...)
		out = append(out, v...)
		if rest := skipSpace(body, open+1); body[rest] != '}' {
			out = append(out, ',')
		}
		out = append(out, body[open+1:]...)
	}
	return out, want, nil
}

// withRequestIDMap is withRequestID through a decoded map: the object is
// re-encoded with one request_id (used when the body repeats the key).
func withRequestIDMap(body []byte, inject bool, override string) ([]byte, string, error) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || m == nil {
		return body, "", nil
	}
	var cur string
	if raw, ok := m["request_id"]; ok {
		_ = json.Unmarshal(raw, &cur)
	}
	want := cur
	if inject {
		switch {
		case override != "":
			want = override
		case cur == "":
			want = uuid.NewString()
		}
	}
	if want == cur {
		return body, cur, nil
	}
	v, err := json.Marshal(want)
	if err != nil {
		return nil, "", err
	}
	m["request_id"] = v
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, "", err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), want, nil
}

// scanTopLevel looks through the members of the JSON object in data, which
// must be valid JSON, for the key name. It returns the offset of the
// object's '{' (-1 when data is not an object), the offsets of the value of
// the last member named name, and how many members have that name.
func scanTopLevel(data []byte, name string) (open, vs, ve, count int) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return -1, 0, 0, 0
	}
	open = i
	i = skipSpace(data, i+1)
	for i < len(data) && data[i] == '"' {
		ks := i
		i = skipString(data, i)
		key := data[ks:i]
		i = skipSpace(data, i)
		i = skipSpace(data, i+1) // ':'
		s := i
		i = skipValue(data, i)
		if keyEquals(key, name) {
			vs, ve = s, i
			count++
		}
		i = skipSpace(data, i)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return open, vs, ve, count
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the offset after the string starting at data[i] ('"').
func skipString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the offset after the value starting at data[i].
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = skipString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// keyEquals compares a quoted JSON key with name after unescaping it.
func keyEquals(quoted []byte, name string) bool {
	if bytes.IndexByte(quoted, '\\') < 0 {
		return len(quoted) == len(name)+2 && string(quoted[1:len(quoted)-1]) == name
	}
	var k string
	return json.Unmarshal(quoted, &k) == nil && k == name
}

// jsonStringValue is what json.Unmarshal(raw, &s) leaves in an empty s.
func jsonStringValue(raw []byte) string {
	if len(raw) >= 2 && raw[0] == '"' && plainASCII(raw[1:len(raw)-1]) {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

// plainASCII: printable ASCII without '"' and '\\', the bytes a JSON
// string holds as they are.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// appendJSONString appends s as a JSON string, as json.Marshal writes it.
func appendJSONString(dst []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			v, err := json.Marshal(s)
			return append(dst, v...), err
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"'), nil
}

func isJSON(ct string) bool {
	return strings.Contains(strings.ToLower(ct), "json")
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// retryableStatus: 429, 500/502/503/504, and the 409 "being processed" lock.
func retryableStatus(status int, e *APIError) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	case http.StatusConflict:
		return strings.Contains(e.text(), "being processed")
	}
	return false
}

// isDuplicate recognises Glomo's answer to a repeated request_id: 409
// "Record already exists" (payouts), 400 "... already exists for this
// request_id" (orders, payments, refunds).
func isDuplicate(status int, e *APIError) bool {
	return (status == http.StatusConflict || status == http.StatusBadRequest) &&
		strings.Contains(e.text(), "already exists")
}

// retryableTransport: connection errors and timeouts are; certificate
// errors are not.
func retryableTransport(err error) bool {
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return false
	}
	var ue *url.Error
	if errors.As(err, &ue) && (ue.Op == "parse") {
		return false
	}
	return true
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

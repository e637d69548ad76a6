package wrapper

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"
)

// attempt sends the request once and reads the answer, bounded by the
// size limit; it never decides what the outcome means (classify does).
func (r *request) attempt(orig *http.Request, attempt int) result {
	req := orig
	if attempt > 0 {
		// A fresh shallow copy per retry: a transport may still hold the
		// previous attempt's request (and its body) after a timeout.
		cp := *orig
		req = &cp
	}
	// "Was it sent?" only changes the outcome of a request that cannot be
	// retried, so only those carry the client trace.
	var trace *sentTrace
	if !r.canRetry {
		trace = &sentTrace{}
		req = req.WithContext(httptrace.WithClientTrace(r.ctx, &httptrace.ClientTrace{
			GetConn: trace.getConn, WroteHeaders: trace.wroteHeaders,
		}))
	}
	if r.body != nil {
		// io.NopCloser over a *bytes.Reader: net/http recognises it as in
		// memory and writes headers and body together.
		body := r.body
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req.ContentLength = int64(len(body))
	}
	cfg := r.c.cfg
	logOn := cfg.logger.Enabled(r.ctx, slog.LevelDebug)
	var start time.Time
	if logOn {
		start = time.Now()
	}
	resp, err := cfg.doer.Do(req)
	var res result
	switch {
	case err != nil:
		res.err = err
		// With a doer that honours httptrace (net/http), WroteHeaders says
		// exactly whether anything left; otherwise only a dial failure or
		// a request net/http refused to write is known not to be sent.
		var op *net.OpError
		if trace != nil && trace.traced.Load() {
			res.sent = trace.wrote.Load()
		} else {
			res.sent = !(errors.As(err, &op) && op.Op == "dial") && !notSendable(err)
		}
	default:
		res.sent, res.resp = true, resp
		res.status, res.header = resp.StatusCode, resp.Header
		res.body, res.err = r.readBody(resp)
		if res.err == nil {
			res.err = r.checkRedirect(req, resp)
		}
		if res.err == nil && cfg.validator != nil {
			r.validate(res)
		}
	}
	if logOn {
		r.logAttempt(attempt, start, res)
	}
	return res
}

// checkRedirect refuses a 3xx answer (the client's *http.Client never
// follows one) and an answer to a request the client did not send (a
// redirect a custom doer followed).
func (r *request) checkRedirect(sent *http.Request, resp *http.Response) error {
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return &RedirectError{Method: r.op.method, Path: r.path, StatusCode: resp.StatusCode, Location: resp.Header.Get("Location")}
	}
	if got := resp.Request; got != nil && got != sent && got.URL != nil &&
		(got.URL.Host != sent.URL.Host || got.URL.Path != sent.URL.Path || got.URL.Scheme != sent.URL.Scheme) {
		return &RedirectError{Method: r.op.method, Path: r.path, StatusCode: resp.StatusCode, Location: got.URL.Redacted(), Followed: true}
	}
	return nil
}

// validate hands the answer to the ResponseValidator; a panic in it never
// fails the call.
func (r *request) validate(res result) {
	defer func() { _ = recover() }()
	r.c.cfg.validator.ValidateResponse(r.op.id, r.op.method, strings.TrimPrefix(r.path, r.c.cfg.basePath), res.status, res.header, res.body)
}

// sentTrace records, through httptrace, whether a request got a connection
// and whether its headers were written.
type sentTrace struct {
	traced, wrote atomic.Bool
}

func (s *sentTrace) getConn(string) { s.traced.Store(true) }
func (s *sentTrace) wroteHeaders()  { s.wrote.Store(true) }

// logAttempt writes the debug line of one attempt. Bodies (WithBodyLogging)
// and error text go through the one redaction.
func (r *request) logAttempt(attempt int, start time.Time, res result) {
	cfg := r.c.cfg
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs,
		slog.String("method", r.op.method), slog.String("path", r.path),
		slog.Int("attempt", attempt+1), slog.Duration("duration", time.Since(start)),
	)
	if r.op.id != "" {
		attrs = append(attrs, slog.String("operation", r.op.id))
	}
	if res.status != 0 {
		attrs = append(attrs, slog.Int("status", res.status))
	}
	if r.requestID != "" {
		attrs = append(attrs, slog.String("request_id", r.requestID))
	}
	if res.err != nil {
		attrs = append(attrs, slog.String("error", cfg.creds.key.redact(res.err.Error())))
	}
	if cfg.logBodies {
		attrs = append(attrs, slog.String("request_body", cfg.creds.key.redact(string(r.body))),
			slog.String("response_body", cfg.creds.key.redact(string(res.body))))
	}
	cfg.logger.LogAttrs(r.ctx, slog.LevelDebug, "glomo request", attrs...)
}

// readBody reads at most the size limit; a larger body is refused. The
// buffer is sized from Content-Length when the server sent one.
func (r *request) readBody(resp *http.Response) ([]byte, error) {
	defer func() { _ = resp.Body.Close() }()
	limit := r.c.cfg.maxBody
	if resp.ContentLength > limit {
		return nil, r.tooLarge(resp.StatusCode)
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
			return nil, r.tooLarge(resp.StatusCode)
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (r *request) tooLarge(status int) error {
	return &ResponseTooLargeError{Method: r.op.method, Path: r.path, StatusCode: status, Limit: r.c.cfg.maxBody, RequestID: r.requestID}
}

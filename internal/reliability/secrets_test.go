package reliability

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glomo-go/glomo-go/drift"
	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/wrapper"
)

// secretMarker is the API key of the secrets test; it must never be printed.
const secretMarker = "sk_test_MARKER_5f2c9d"

// markerCore also catches a key printed cut or re-encoded around its prefix.
const markerCore = "MARKER_5f2c9d"

// secretsAudit collects everything the client prints.
type secretsAudit struct {
	mu      sync.Mutex
	texts   []string // error strings, formatted values, panic values, bodies
	errs    int      // errors examined
	panics  int      // panics recovered
	sent    int      // requests seen carrying the marker in Authorization
	jsonLog logSink
	textLog logSink
}

func (a *secretsAudit) add(s string) {
	a.mu.Lock()
	a.texts = append(a.texts, s)
	a.mu.Unlock()
}

// addErr records every way of printing err and each error it wraps.
func (a *secretsAudit) addErr(err error) {
	if err == nil {
		return
	}
	a.mu.Lock()
	a.errs++
	a.mu.Unlock()
	for e := err; e != nil; e = errors.Unwrap(e) {
		a.add(e.Error())
		a.add(fmt.Sprintf("%v|%+v|%#v|%s|%q", e, e, e, e, e))
		var ae *wrapper.APIError
		if errors.As(e, &ae) {
			a.add(string(ae.Body))
		}
		var de *wrapper.DecodeError
		if errors.As(e, &de) {
			a.add(string(de.Body))
		}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			a.addErr(e)
		}
	}
}

// protect runs fn (the path named name), recording its error, or its panic
// value instead of crashing.
func (a *secretsAudit) protect(name string, fn func() error) {
	defer func() {
		if p := recover(); p != nil {
			a.mu.Lock()
			a.panics++
			a.mu.Unlock()
			a.add(fmt.Sprintf("%v|%+v|%#v", p, p, p))
		}
	}()
	err := fn()
	a.addErr(err)
	if err != nil {
		a.add(name + ": " + err.Error())
	}
}

// handler fans one record out to the JSON and the text log.
type fanout []slog.Handler

func (f fanout) Enabled(context.Context, slog.Level) bool { return true }
func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		_ = h.Handle(ctx, r.Clone())
	}
	return nil
}
func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}
func (f fanout) WithGroup(g string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(g)
	}
	return out
}

func (a *secretsAudit) logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	return slog.New(fanout{slog.NewJSONHandler(&a.jsonLog, opts), slog.NewTextHandler(&a.textLog, opts)})
}

// sentinel checks that requests do carry the marker (the test would prove
// nothing if the key were never used).
func (a *secretsAudit) sentinel(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("Authorization") == "Bearer "+secretMarker {
			a.mu.Lock()
			a.sent++
			a.mu.Unlock()
		}
		return next.RoundTrip(r)
	})
}

// secretClient is a client with the marker key, debug logging with bodies,
// the drift detector, over the audit's sentinel transport.
func (a *secretsAudit) client(t *testing.T, srv *mock.Server, rt http.RoundTripper, attempt time.Duration) *wrapper.Client {
	t.Helper()
	det, err := drift.NewDetector(func(f drift.Finding) {
		a.add(fmt.Sprintf("%v|%+v|%#v", f, f, f))
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := wrapper.New(wrapper.WithAPIKey(secretMarker), wrapper.WithBaseURL(srv.URL),
		wrapper.WithRetryPolicy(fastPolicy(2)), wrapper.WithLogger(a.logger()), wrapper.WithBodyLogging(),
		wrapper.WithResponseValidator(det),
		wrapper.WithHTTPClient(&http.Client{Transport: a.sentinel(rt), Timeout: attempt}))
	if err != nil {
		t.Fatal(err)
	}
	a.add(fmt.Sprintf("%v|%+v|%#v|%s|%q", c, c, c, c, c))
	a.add(c.String())
	a.logger().Debug("client", "client", c, "api", c.API())
	return c
}

// TestSecretsNeverPrinted drives every error path with the marker key and
// counts the marker in logs, errors, formatted values and panics.
func TestSecretsNeverPrinted(t *testing.T) {
	a := &secretsAudit{}
	ctx := context.Background()

	// Every fault of the matrix on the three calls.
	for _, f := range matrixFaults {
		for _, op := range matrixOps {
			srv := startMock(t, mock.WithKey(secretMarker))
			tr, _ := newTransport(t, 2)
			inj := &injector{next: tr}
			c := a.client(t, srv, inj, f.attemptTimeout)
			bene := ""
			if op.opID == "createPayout" {
				bene = createBeneficiary(t, c)
			}
			if f.faults != nil {
				for _, fl := range f.faults(op.opID) {
					srv.AddFault(fl)
				}
			}
			if f.inject != nil {
				inj.add(f.inject(op))
			}
			a.protect(f.name+"/"+op.opID, func() error {
				if f.callTimeout > 0 {
					_, err := callWithTimeout(ctx, t, c, op, bene, f.callTimeout)
					return err
				}
				_, err := op.call(ctx, t, c, bene)
				return err
			})
		}
	}

	// 4xx answers, the duplicate path, cancellation, a failing doer.
	srv := startMock(t, mock.WithKey(secretMarker))
	tr, _ := newTransport(t, 2)
	c := a.client(t, srv, tr, 0)
	bene := createBeneficiary(t, c)
	other := startMock(t) // accepts a different key: every call is a 401
	wrong := a.client(t, other, tr, 0)
	a.protect("401", func() error { _, err := wrong.GetBalance(ctx); return err })
	a.protect("404", func() error { _, err := c.GetPayoutById(ctx, "payout_doesnotexist"); return err })
	a.protect("400 id prefix", func() error { _, err := c.GetPayoutById(ctx, "nope"); return err })
	a.protect("400 validation", func() error { _, err := c.CreatePayout(ctx, payoutBody(t, "bene_missing", "")); return err })
	a.protect("409 repeated request_id", func() error {
		if _, err := c.CreatePayout(ctx, payoutBody(t, bene, "secret-dup")); err != nil {
			return err
		}
		_, err := c.CreatePayout(ctx, payoutBody(t, bene, "secret-dup"))
		return err
	})
	a.protect("iterator error", func() error {
		srv.AddFault(mock.Fault{Operation: "getPayouts", Kind: mock.FaultStatus, Status: 500, Times: 3})
		for _, err := range c.GetPayoutsIter(ctx, nil) {
			if err != nil {
				return err
			}
		}
		return nil
	})
	a.protect("canceled", func() error {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := c.GetBalance(cctx)
		return err
	})
	a.protect("nil context", func() error {
		//lint:ignore SA1012 the nil context path is part of the audit
		_, err := c.GetBalance(nil) //nolint:staticcheck
		return err
	})
	failing, err := wrapper.New(wrapper.WithAPIKey(secretMarker), wrapper.WithBaseURL(srv.URL),
		wrapper.WithLogger(a.logger()), wrapper.WithBodyLogging(), wrapper.WithRetryPolicy(fastPolicy(1)),
		wrapper.WithHTTPDoer(doerFunc(func(r *http.Request) (*http.Response, error) {
			return nil, fmt.Errorf("doer failed for %s %s", r.Method, r.URL)
		})))
	if err != nil {
		t.Fatal(err)
	}
	a.protect("doer error", func() error { _, err := failing.GetBalance(ctx); return err })
	a.protect("doer error, non-idempotent", func() error { _, err := failing.CreatePayin(ctx, payinBody(t)); return err })
	a.protect("too large for a small limit", func() error {
		small, err := wrapper.New(wrapper.WithAPIKey(secretMarker), wrapper.WithBaseURL(srv.URL),
			wrapper.WithMaxResponseBytes(8), wrapper.WithLogger(a.logger()), wrapper.WithBodyLogging(),
			wrapper.WithHTTPClient(&http.Client{Transport: a.sentinel(tr)}))
		if err != nil {
			return err
		}
		_, err = small.GetBalance(ctx)
		return err
	})

	// Construction errors: the key itself is bad, or something else is.
	t.Setenv(wrapper.EnvAPIKey, "")
	for name, opts := range map[string][]wrapper.Option{
		"publishable key":     {wrapper.WithAPIKey("test_" + secretMarker)},
		"live publishable":    {wrapper.WithAPIKey("live_" + secretMarker)},
		"key with whitespace": {wrapper.WithAPIKey(secretMarker + " x")},
		"key with newline":    {wrapper.WithAPIKey(secretMarker + "\n")},
		"plain http host":     {wrapper.WithAPIKey(secretMarker), wrapper.WithBaseURL("http://api.example.com/api")},
		"credentials in URL":  {wrapper.WithAPIKey(secretMarker), wrapper.WithBaseURL("https://u:" + secretMarker + "@api.example.com/api")},
		"query in URL":        {wrapper.WithAPIKey(secretMarker), wrapper.WithBaseURL("https://api.example.com/api?key=" + secretMarker)},
		"bad URL":             {wrapper.WithAPIKey(secretMarker), wrapper.WithBaseURL("://" + secretMarker)},
		"nil HTTP client":     {wrapper.WithAPIKey(secretMarker), wrapper.WithHTTPClient(nil)},
		"nil doer":            {wrapper.WithAPIKey(secretMarker), wrapper.WithHTTPDoer(nil)},
		"negative retries":    {wrapper.WithAPIKey(secretMarker), wrapper.WithMaxRetries(-1)},
		"bad user agent":      {wrapper.WithAPIKey(secretMarker), wrapper.WithUserAgent("x\r\nAuthorization: " + secretMarker)},
		"zero response limit": {wrapper.WithAPIKey(secretMarker), wrapper.WithMaxResponseBytes(0)},
	} {
		a.protect("new: "+name, func() error {
			c, err := wrapper.New(opts...)
			if err == nil {
				return fmt.Errorf("%s: New accepted it (%v)", name, c)
			}
			return err
		})
	}
	t.Setenv(wrapper.EnvAPIKey, "live_"+secretMarker)
	a.protect("new: publishable key from env", func() error { _, err := wrapper.New(); return err })

	srv.Close()
	other.Close()

	// Count.
	a.mu.Lock()
	defer a.mu.Unlock()
	texts := strings.Join(a.texts, "\n")
	logs := a.jsonLog.String() + a.textLog.String()
	inTexts := strings.Count(texts, markerCore)
	inLogs := strings.Count(logs, markerCore)
	if a.sent == 0 {
		t.Fatal("no request carried the marker key: the audit proves nothing")
	}
	if !strings.Contains(logs, "glomo request") || !strings.Contains(logs, "request_body") {
		t.Fatal("no debug request lines with bodies were logged")
	}
	if inTexts != 0 {
		for _, s := range a.texts {
			if strings.Contains(s, markerCore) {
				t.Errorf("marker printed: %.300s", s)
			}
		}
	}
	if inLogs != 0 {
		for _, line := range strings.Split(logs, "\n") {
			if strings.Contains(line, markerCore) {
				t.Errorf("marker logged: %.300s", line)
			}
		}
	}
	logLines := strings.Count(logs, "\n")
	t.Logf("%d requests carried the marker; examined %d errors (each with Error, %%v, %%+v, %%#v, %%s, %%q and its wrapped chain), %d printed values, %d panics, %d log lines (JSON + text, debug, bodies on): marker found %d times",
		a.sent, a.errs, len(a.texts), a.panics, logLines, inTexts+inLogs)
	if t.Failed() {
		return
	}
	var b strings.Builder
	b.WriteString("Command: `GLOMO_WRITE_DOCS=1 go test -race ./internal/reliability -run TestSecretsNeverPrinted -v`\n\n")
	b.WriteString("| Figure | Value |\n|---|---|\n")
	fmt.Fprintf(&b, "| marker key | `%s` (searched for `%s`) |\n", secretMarker, markerCore)
	fmt.Fprintf(&b, "| error paths driven | %d fault × call cells, 401, 404, 400 (id prefix, validation), 409, iterator error, canceled and nil context, failing doer (GET and non-idempotent POST), response limit, %d construction errors |\n", len(matrixFaults)*len(matrixOps), 14)
	fmt.Fprintf(&b, "| requests that carried the marker in `Authorization` | %d |\n", a.sent)
	fmt.Fprintf(&b, "| errors examined (`Error()`, `%%v`, `%%+v`, `%%#v`, `%%s`, `%%q`, each error of the chain, `APIError.Body`, `DecodeError.Body`) | %d |\n", a.errs)
	b.WriteString("| client printed (`%v`, `%+v`, `%#v`, `%s`, `%q`, `String()`, `slog`) | every client built |\n")
	fmt.Fprintf(&b, "| log lines (slog debug, JSON and text handlers, `WithBodyLogging`) | %d |\n", logLines)
	fmt.Fprintf(&b, "| panics | %d |\n", a.panics)
	fmt.Fprintf(&b, "| **marker occurrences** | **%d** |\n", inTexts+inLogs)
	docSection(t, "secrets", b.String(), false)
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

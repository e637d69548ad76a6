package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/wrapper"
)

// fastPolicy is the default policy (2 retries) with delays shrunk so the
// tests do not sleep: backoff up to 5ms, any Retry-After cut to 20ms. The
// retry logic itself (which failures are retried, how often) is unchanged.
func fastPolicy(maxRetries int) wrapper.RetryPolicy {
	p := wrapper.DefaultRetryPolicy()
	p.MaxRetries = maxRetries
	p.BaseDelay, p.MaxDelay, p.MaxRetryAfter = time.Millisecond, 5*time.Millisecond, 20*time.Millisecond
	return p
}

// dialCounter counts the TCP connections an http.Transport opens.
type dialCounter struct {
	d net.Dialer
	n atomic.Int64
}

func (dc *dialCounter) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	dc.n.Add(1)
	return dc.d.DialContext(ctx, network, addr)
}

// newTransport is a loopback http.Transport whose dials are counted.
// idle is MaxIdleConnsPerHost.
func newTransport(t testing.TB, idle int) (*http.Transport, *dialCounter) {
	dc := &dialCounter{d: net.Dialer{Timeout: 5 * time.Second}}
	tr := &http.Transport{
		DialContext:         dc.DialContext,
		MaxIdleConns:        idle,
		MaxIdleConnsPerHost: idle,
		IdleConnTimeout:     30 * time.Second,
		ForceAttemptHTTP2:   false,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr, dc
}

// logSink collects slog output (JSON lines) from any number of goroutines.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *logSink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// records returns the decoded log lines whose msg is msg.
func (s *logSink) records(msg string) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(s.String(), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

func (s *logSink) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(s, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// startMock starts a mock Glomo that is closed when t ends. It uses
// mock.Start rather than mock.NewServer so tests can close it early (before
// a goroutine-leak check).
func startMock(t testing.TB, opts ...mock.Option) *mock.Server {
	t.Helper()
	srv, err := mock.Start(opts...)
	if err != nil {
		t.Fatalf("mock: %v", err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// newClient builds a wrapper.Client for srv going through rt (nil: a fresh
// counted transport). attemptTimeout (0: none) is the http.Client.Timeout of
// the first attempt only: the faults that use it slow the first answer, and
// a retry bounded by it could time out on a loaded machine too, changing the
// outcome the matrix asserts.
func newClient(t testing.TB, srv *mock.Server, rt http.RoundTripper, attemptTimeout time.Duration, opts ...wrapper.Option) *wrapper.Client {
	t.Helper()
	if rt == nil {
		rt, _ = newTransport(t, 16)
	}
	var doer api.HttpRequestDoer = &http.Client{Transport: rt}
	if attemptTimeout > 0 {
		doer = &firstAttemptTimeout{short: &http.Client{Transport: rt, Timeout: attemptTimeout}, plain: &http.Client{Transport: rt}}
	}
	base := []wrapper.Option{
		wrapper.WithAPIKey(srv.Key),
		wrapper.WithBaseURL(srv.URL),
		wrapper.WithRetryPolicy(fastPolicy(2)),
		wrapper.WithHTTPDoer(doer),
	}
	c, err := wrapper.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("wrapper.New: %v", err)
	}
	return c
}

// beneficiaryJSON is a v2 payout beneficiary the mock accepts (active at once).
const beneficiaryJSON = `{
  "category": "payout",
  "beneficiary": {"name": "ACME Corporation", "type": "business", "email": "finance@acme.example",
    "address": {"address_line1": "123 Business Park", "city": "New York", "state": "NY", "country_code": "USA", "postal_code": "10001"}},
  "bank_account": {"account_number": "1234567890", "currency": "USD", "bic_primary": "CITIUS33",
    "address": {"address_line1": "388 Greenwich St", "city": "New York", "state": "NY", "country_code": "USA"}}
}`

// createBeneficiary makes the active beneficiary a payout needs.
func createBeneficiary(t testing.TB, c *wrapper.Client) string {
	t.Helper()
	var req api.CreateBeneficiaryV2JSONRequestBody
	if err := json.Unmarshal([]byte(beneficiaryJSON), &req); err != nil {
		t.Fatal(err)
	}
	b, err := c.CreateBeneficiaryV2(context.Background(), req)
	if err != nil {
		t.Fatalf("create beneficiary: %v", err)
	}
	if b.Id == "" {
		t.Fatal("create beneficiary: no id")
	}
	return b.Id
}

// payoutBody is a USD swift payout of $299.00 to bene. An empty requestID
// leaves request_id to the client (it sets a UUID).
func payoutBody(t testing.TB, bene, requestID string) api.CreatePayoutBody {
	t.Helper()
	return api.CreatePayoutWithoutQuoteRequest{
		BeneficiaryId:       bene,
		SourceCurrency:      api.USD,
		SourceAmount:        29900,
		DestinationCurrency: api.USD,
		PurposeCode:         "S0017",
		PaymentRail:         api.CreatePayoutWithoutQuoteRequestPaymentRailSwift,
		RequestId:           requestID,
	}
}

// payinBody is the description's example payment link (POST /v1/payin: no
// request_id, no duplicate protection), decoded into its oneOf branch.
func payinBody(t testing.TB) api.CreatePayinBody {
	t.Helper()
	raw, err := mock.RequestBody("createPayin")
	if err != nil {
		t.Fatal(err)
	}
	var body api.PaymentLinkRequest
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	return body
}

// injector is an http.RoundTripper that rewrites the answer of chosen
// requests after the server has handled them: what the mock's fault kinds
// cannot produce (syntactically invalid JSON with a JSON content type, an
// oversized body without Content-Length).
type injector struct {
	next http.RoundTripper

	mu    sync.Mutex
	rules []*injectRule
}

// injectRule replaces the body of the first Times answers to Method Path.
type injectRule struct {
	Method, Path string // Path is matched as a suffix of the URL path
	Times        int
	Body         func() (io.ReadCloser, int64) // body and ContentLength (-1: unknown)
}

func (in *injector) add(r *injectRule) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules = append(in.rules, r)
}

func (in *injector) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := in.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	in.mu.Lock()
	var hit *injectRule
	for _, r := range in.rules {
		if r.Times > 0 && r.Method == req.Method && strings.HasSuffix(req.URL.Path, r.Path) {
			r.Times--
			hit = r
			break
		}
	}
	in.mu.Unlock()
	if hit == nil {
		return resp, nil
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	body, n := hit.Body()
	resp.Body, resp.ContentLength = body, n
	if n >= 0 {
		resp.Header.Set("Content-Length", strconv.FormatInt(n, 10))
	} else {
		resp.Header.Del("Content-Length")
	}
	return resp, nil
}

// bytesBody is a fixed body with its length.
func bytesBody(b []byte) func() (io.ReadCloser, int64) {
	return func() (io.ReadCloser, int64) { return io.NopCloser(bytes.NewReader(b)), int64(len(b)) }
}

// streamBody is n bytes of valid JSON ({"padding":"xxx…"}) sent without a
// Content-Length.
func streamBody(n int) func() (io.ReadCloser, int64) {
	return func() (io.ReadCloser, int64) {
		head, tail := `{"padding":"`, `"}`
		pad := n - len(head) - len(tail)
		r := io.MultiReader(strings.NewReader(head), io.LimitReader(repeatReader('x'), int64(pad)), strings.NewReader(tail))
		return io.NopCloser(r), -1
	}
}

type repeatReader byte

func (c repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

// fakeDoer answers every request with a fixed status, content type and
// body, without a network; the fuzzers use it.
type fakeDoer struct {
	status int
	ctype  string
	body   []byte
}

func (f *fakeDoer) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	h := http.Header{}
	if f.ctype != "" {
		h.Set("Content-Type", f.ctype)
	}
	return &http.Response{
		Status:        http.StatusText(f.status),
		StatusCode:    f.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(f.body)),
		ContentLength: int64(len(f.body)),
		Request:       req,
	}, nil
}

// firstAttemptTimeout sends the first request through short (an http.Client
// with a Timeout, so the error is net/http's own) and the rest through plain.
type firstAttemptTimeout struct {
	calls        atomic.Int32
	short, plain *http.Client
}

func (d *firstAttemptTimeout) Do(r *http.Request) (*http.Response, error) {
	if d.calls.Add(1) == 1 {
		return d.short.Do(r)
	}
	return d.plain.Do(r)
}

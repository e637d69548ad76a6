package wrapper

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/glomo-go/glomo-go/api"
)

// DefaultBaseURL is Glomo's API root; operation paths (/v1/..., /v2/...)
// are appended to it.
const DefaultBaseURL = "https://api.glomopay.com/api"

// EnvAPIKey is the environment variable New reads when WithAPIKey is not given.
const EnvAPIKey = "GLOMO_API_KEY"

// DefaultMaxResponseBytes is the largest body the client reads (10 MiB).
const DefaultMaxResponseBytes = 10 << 20

// DefaultAttemptTimeout bounds each attempt when New builds the
// *http.Client itself; a timed-out attempt is retried like a connection
// error. Bound a whole call with WithTimeout or the context.
const DefaultAttemptTimeout = 60 * time.Second

// redacted replaces the API key wherever it could be printed.
const redacted = "[REDACTED]"

// secret holds the API key. Every way of printing it prints [REDACTED].
type secret string

// String implements fmt.Stringer.
func (secret) String() string { return redacted }

// GoString implements fmt.GoStringer.
func (secret) GoString() string { return redacted }

// LogValue implements slog.LogValuer.
func (secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// Format implements fmt.Formatter, so %s, %v, %+v, %#v, %q and %x all redact.
func (secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalText keeps the key out of JSON and text encodings.
func (secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Client calls the Glomo API. It is safe for concurrent use; build it once
// with New and share it.
//
// Every operation of the description is a method named after its
// operationId (CreatePayout, GetPayoutById, GetPayouts...); every list
// operation also has an ...Iter method. API returns the generated client for
// anything else.
type Client struct {
	cfg *config
	api *api.ClientWithResponses
}

// config is the resolved construction options, read-only after New.
type config struct {
	key       secret
	baseURL   string
	basePath  string
	doer      api.HttpRequestDoer
	retry     RetryPolicy
	logger    *slog.Logger
	logBodies bool
	userAgent string
	maxBody   int64

	// Header values computed once in New and shared (read-only) by every
	// request: "Bearer <key>", the User-Agent and the default Accept.
	authHeader   []string
	uaHeader     []string
	acceptHeader []string
	drift        func(DriftFinding)
	driftCheck   driftChecker

	// Test seams: the clock, the backoff sleep and the jitter source.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(max time.Duration) time.Duration
}

// Option configures New.
type Option interface {
	applyClient(*config) error
}

// optionFunc adapts a function to Option.
type optionFunc func(*config) error

func (f optionFunc) applyClient(c *config) error { return f(c) }

// ClientAndRequestOption is an option accepted both by New (as the client's
// default) and by a single call.
type ClientAndRequestOption interface {
	Option
	RequestOption
}

// WithAPIKey sets the secret API key. Without it New reads GLOMO_API_KEY.
func WithAPIKey(key string) Option {
	return optionFunc(func(c *config) error { c.key = secret(key); return nil })
}

// WithBaseURL sets the API root, e.g. a sandbox or mock host. Both
// ".../api" and the documented ".../api/v1" are accepted. It must be https
// unless the host is loopback.
func WithBaseURL(u string) Option {
	return optionFunc(func(c *config) error { c.baseURL = u; return nil })
}

// WithHTTPClient sets the *http.Client requests go through (add
// OpenTelemetry or proxy transports there). Its Timeout bounds each attempt.
func WithHTTPClient(hc *http.Client) Option {
	return optionFunc(func(c *config) error {
		if hc == nil {
			return &ConfigError{Field: "HTTPClient", Reason: "nil"}
		}
		c.doer = hc
		return nil
	})
}

// WithHTTPDoer sets anything with Do(*http.Request) as the transport.
func WithHTTPDoer(d api.HttpRequestDoer) Option {
	return optionFunc(func(c *config) error {
		if d == nil {
			return &ConfigError{Field: "HTTPDoer", Reason: "nil"}
		}
		c.doer = d
		return nil
	})
}

// WithRetryPolicy replaces the whole retry policy.
func WithRetryPolicy(p RetryPolicy) Option {
	return optionFunc(func(c *config) error {
		if p.MaxRetries < 0 {
			return &ConfigError{Field: "RetryPolicy.MaxRetries", Reason: "negative"}
		}
		c.retry = p.withDefaults()
		return nil
	})
}

// WithMaxRetries sets how many times a failed call is retried (default 2;
// 0 disables retries). It is also a RequestOption for one call.
func WithMaxRetries(n int) ClientAndRequestOption {
	return maxRetries(n)
}

// maxRetries is both an Option and a RequestOption.
type maxRetries int

func (n maxRetries) applyClient(c *config) error {
	if n < 0 {
		return &ConfigError{Field: "MaxRetries", Reason: "negative"}
	}
	c.retry.MaxRetries = int(n)
	return nil
}

func (n maxRetries) applyRequest(o *callOptions) {
	v := int(n)
	if v < 0 {
		v = 0
	}
	o.maxRetries = &v
}

// WithLogger sets the *slog.Logger for one debug line per attempt (method,
// path, status, attempt, duration, retry reason). The key is never logged.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) error {
		if l != nil {
			c.logger = l
		}
		return nil
	})
}

// WithBodyLogging adds request and response bodies to the debug log lines.
// Off by default: bodies carry personal data and, for POST /payment, card data.
func WithBodyLogging() Option {
	return optionFunc(func(c *config) error { c.logBodies = true; return nil })
}

// WithUserAgent puts a product token of yours before glomo-go's User-Agent.
func WithUserAgent(ua string) Option {
	return optionFunc(func(c *config) error {
		if strings.ContainsAny(ua, "\r\n") {
			return &ConfigError{Field: "UserAgent", Reason: "contains a line break"}
		}
		c.userAgent = strings.TrimSpace(ua)
		return nil
	})
}

// WithMaxResponseBytes changes the response size limit (default 10 MiB).
func WithMaxResponseBytes(n int64) Option {
	return optionFunc(func(c *config) error {
		if n <= 0 {
			return &ConfigError{Field: "MaxResponseBytes", Reason: "must be positive"}
		}
		c.maxBody = n
		return nil
	})
}

// New builds a Client. It refuses, with a *ConfigError naming the field, an
// empty key, a publishable key (test_…/live_…: those are for browser SDKs and
// get 401 on server calls) and a base URL that is not https (loopback hosts
// excepted, for mocks).
func New(opts ...Option) (*Client, error) {
	cfg := &config{
		baseURL: DefaultBaseURL,
		retry:   DefaultRetryPolicy(),
		logger:  slog.New(slog.DiscardHandler),
		maxBody: DefaultMaxResponseBytes,
		now:     time.Now,
		sleep:   sleepCtx,
		jitter:  randomJitter,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o.applyClient(cfg); err != nil {
			return nil, err
		}
	}
	if cfg.key == "" {
		cfg.key = secret(strings.TrimSpace(os.Getenv(EnvAPIKey)))
	}
	if err := validateKey(string(cfg.key)); err != nil {
		return nil, err
	}
	base, basePath, err := normalizeBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	cfg.baseURL, cfg.basePath = base, basePath
	if cfg.doer == nil {
		cfg.doer = &http.Client{Timeout: DefaultAttemptTimeout, Transport: defaultTransport()}
	}
	ua := "glomo-go/" + Version + " go/" + runtime.Version()
	if cfg.userAgent != "" {
		ua = cfg.userAgent + " " + ua
	}
	cfg.userAgent = ua
	cfg.authHeader = []string{"Bearer " + string(cfg.key)}
	cfg.uaHeader = []string{ua}
	cfg.acceptHeader = []string{"application/json"}
	if cfg.drift != nil && cfg.driftCheck == nil {
		chk, err := defaultDriftChecker()
		if err != nil {
			return nil, &ConfigError{Field: "DriftDetector", Reason: err.Error()}
		}
		cfg.driftCheck = chk
	}
	if _, err := loadSpec(); err != nil {
		return nil, err
	}
	raw, err := api.NewClientWithResponses(cfg.baseURL, api.WithHTTPClient(&transport{cfg: cfg}))
	if err != nil {
		return nil, &ConfigError{Field: "BaseURL", Reason: err.Error()}
	}
	return &Client{cfg: cfg, api: raw}, nil
}

// API returns the generated client, configured with this Client's auth,
// retries, idempotency and error mapping, for anything the typed methods do
// not cover. Its non-2xx answers arrive as *APIError errors.
func (c *Client) API() *api.ClientWithResponses { return c.api }

// BaseURL returns the API root requests go to.
func (c *Client) BaseURL() string { return c.cfg.baseURL }

// String describes the client without its key.
func (c *Client) String() string {
	return fmt.Sprintf("wrapper.Client{BaseURL: %q, APIKey: %s, MaxRetries: %d}", c.cfg.baseURL, redacted, c.cfg.retry.MaxRetries)
}

// GoString is String, so %#v redacts too.
func (c *Client) GoString() string { return c.String() }

// Format makes every verb (%v, %+v, %#v, %s) print String.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue keeps the key out of slog output.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

func validateKey(k string) error {
	switch {
	case strings.TrimSpace(k) == "":
		return &ConfigError{Field: "APIKey", Reason: "empty (pass WithAPIKey or set " + EnvAPIKey + ")"}
	case strings.HasPrefix(k, "test_") || strings.HasPrefix(k, "live_"):
		return &ConfigError{Field: "APIKey", Reason: "this is a publishable key (test_…/live_…), which Glomo rejects on server calls; use the secret key"}
	case strings.ContainsAny(k, " \t\r\n"):
		return &ConfigError{Field: "APIKey", Reason: "contains whitespace"}
	}
	return nil
}

// normalizeBaseURL checks the scheme and trims a trailing "/" and "/v1"
// (Glomo documents .../api/v1; operation paths already start with /v1).
func normalizeBaseURL(raw string) (base, path string, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "", "", &ConfigError{Field: "BaseURL", Reason: "not an absolute URL"}
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", "", &ConfigError{Field: "BaseURL", Reason: "must not carry credentials, a query or a fragment"}
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", "", &ConfigError{Field: "BaseURL", Reason: "must be https (plain http is allowed only for loopback hosts)"}
		}
	default:
		return "", "", &ConfigError{Field: "BaseURL", Reason: "scheme must be https"}
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, "/v1")
	u.Path = p
	u.RawPath = ""
	return u.String(), p, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Format keeps the key out of any print of the configuration.
func (cfg config) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "wrapper.config{BaseURL: %q, APIKey: %s}", cfg.baseURL, redacted)
}

// DumpRequest is httputil.DumpRequestOut with the Authorization header
// redacted: use it, not the raw dump, when a custom doer or transport logs
// the requests this client sends.
func DumpRequest(req *http.Request, body bool) ([]byte, error) {
	r := req.Clone(req.Context())
	if r.Header.Get("Authorization") != "" {
		r.Header.Set("Authorization", "Bearer "+redacted)
	}
	if body && req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = b
	} else {
		body = false
	}
	return httputil.DumpRequestOut(r, body)
}

// defaultTransport is net/http's default transport with room for idle
// connections: its 2 per host would make a client shared by many goroutines
// dial for most calls (2,034 connections for 5,000 calls from 100 goroutines
// in internal/reliability, against 110 with this).
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 200
	t.MaxIdleConnsPerHost = 100
	return t
}

package wrapper

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
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
	// creds holds the key behind a pointer: a config printed raw (an
	// unexported field of a struct the caller prints) shows an address,
	// never the key.
	creds     *credentials
	baseURL   string
	server    string // baseURL + "/", as api.New...Request wants it
	basePath  string // baseURL's path ("/api"), which operation paths follow
	doer      api.HttpRequestDoer
	retry     RetryPolicy
	logger    *slog.Logger
	logBodies bool
	userAgent string
	maxBody   int64
	validator ResponseValidator
	// call holds what the options that also fit a call (WithMaxRetries,
	// WithTimeout, WithHeader, WithMiddleware, WithRateLimiter) set when
	// given to New: every call's defaults. Its hooks are never nil.
	call callOptions

	// Header values computed once in New and shared (read-only) by every
	// request: "Bearer <key>", the User-Agent and the default Accept.
	uaHeader, acceptHeader []string

	// Test seams: the clock, the backoff sleep and the jitter source.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(max time.Duration) time.Duration
}

// credentials are the key and the Authorization value built from it.
type credentials struct {
	key  secret
	auth []string // "Bearer <key>", shared read-only by every request
}

// New builds a Client. It refuses, with a *ConfigError naming the field, an
// empty key, a publishable key (test_…/live_…: those are for browser SDKs and
// get 401 on server calls), a key with whitespace or control characters, and
// a base URL that is not https (loopback hosts excepted, for mocks).
func New(opts ...Option) (*Client, error) {
	cfg := &config{
		creds:   &credentials{},
		baseURL: DefaultBaseURL,
		retry:   DefaultRetryPolicy(),
		logger:  slog.New(slog.DiscardHandler),
		maxBody: DefaultMaxResponseBytes,
		now:     time.Now,
		sleep:   sleepCtx,
		jitter:  randomJitter,
	}
	cfg.call = callOptions{maxRetries: cfg.retry.MaxRetries, hooks: &callHooks{}}
	if err := (&settings{cfg: cfg, call: &cfg.call}).apply(opts); err != nil {
		return nil, err
	}
	if cfg.creds.key == "" {
		cfg.creds.key = secret(strings.TrimSpace(os.Getenv(EnvAPIKey)))
	}
	if err := validateKey(string(cfg.creds.key)); err != nil {
		return nil, err
	}
	base, basePath, err := normalizeBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	cfg.baseURL, cfg.server, cfg.basePath = base, base+"/", basePath
	if cfg.doer == nil {
		cfg.doer = &http.Client{Timeout: DefaultAttemptTimeout, Transport: defaultTransport(), CheckRedirect: refuseRedirect}
	}
	ua := "glomo-go/" + Version + " go/" + runtime.Version()
	if cfg.userAgent != "" {
		ua = cfg.userAgent + " " + ua
	}
	cfg.creds.auth = []string{"Bearer " + string(cfg.creds.key)}
	cfg.uaHeader = []string{ua}
	cfg.acceptHeader = []string{"application/json"}
	c := &Client{cfg: cfg}
	c.api, err = api.NewClientWithResponses(cfg.server, api.WithHTTPClient(apiDoer{c}))
	if err != nil {
		return nil, &ConfigError{Field: "BaseURL", Reason: err.Error()}
	}
	return c, nil
}

// API returns the generated client for anything the typed methods do not
// cover. Its requests get the client's auth and User-Agent, reads are
// retried like the typed methods' reads, writes are sent once (a 429 is
// retried: nothing was done), and non-2xx answers arrive as *APIError
// errors. It sets no request_id and resolves no duplicates: use the typed
// methods for creates.
func (c *Client) API() *api.ClientWithResponses { return c.api }

// BaseURL returns the API root requests go to.
func (c *Client) BaseURL() string { return c.cfg.baseURL }

// String describes the client without its key. It has a value receiver, so
// a Client printed by value (or inside a struct) is redacted too.
func (c Client) String() string {
	if c.cfg == nil {
		return "wrapper.Client{}"
	}
	return fmt.Sprintf("wrapper.Client{BaseURL: %q, APIKey: %s, MaxRetries: %d}", c.cfg.baseURL, redacted, c.cfg.call.maxRetries)
}

// Format makes every verb (%v, %+v, %#v, %s, %q, %x, %t...) print String;
// fmt consults it before GoString, so %#v needs nothing more.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue keeps the key out of slog output.
func (c Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

func validateKey(k string) error {
	switch {
	case strings.TrimSpace(k) == "":
		return &ConfigError{Field: "APIKey", Reason: "empty (pass WithAPIKey or set " + EnvAPIKey + ")"}
	case strings.HasPrefix(k, "test_") || strings.HasPrefix(k, "live_"):
		return &ConfigError{Field: "APIKey", Reason: "this is a publishable key (test_…/live_…), which Glomo rejects on server calls; use the secret key"}
	case strings.ContainsAny(k, " \t\r\n"):
		return &ConfigError{Field: "APIKey", Reason: "contains whitespace"}
	case !validHeaderValue(k):
		return &ConfigError{Field: "APIKey", Reason: "contains a control character"}
	}
	return nil
}

// normalizeBaseURL checks the scheme and trims a trailing "/" and "/v1"
// (Glomo documents .../api/v1; operation paths already start with /v1).
func normalizeBaseURL(raw string) (base, path string, err error) {
	u, perr := url.Parse(strings.TrimSpace(raw))
	if perr != nil || u.Host == "" {
		return "", "", &ConfigError{Field: "BaseURL", Reason: "not an absolute URL"}
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", "", &ConfigError{Field: "BaseURL", Reason: "must not carry credentials, a query or a fragment"}
	}
	// "…/api?" parses with an empty query: drop the "?" so the path stays
	// the path (otherwise the operation path would land after it).
	u.ForceQuery = false
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

// isLoopback accepts "localhost" and loopback IP literals only. Names under
// .localhost (evil.localhost) are not trusted: whether they resolve to
// loopback is up to the resolver, and plain http to anything else would
// send the key in clear.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// refuseRedirect is the CheckRedirect of every *http.Client the client
// uses: redirects are never followed, so the key never goes anywhere but
// the base URL and a write is never replayed elsewhere. The 3xx answer is
// returned to the executor, which reports it as a *RedirectError.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

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

// Format keeps the key out of any print of the configuration: a bad verb
// (%s of the creds pointer) makes fmt print the pointed-to struct, key
// included, so the pointer alone is not enough.
func (cfg config) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "wrapper.config{BaseURL: %q, APIKey: %s}", cfg.baseURL, redacted)
}

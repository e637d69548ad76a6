package wrapper

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/internal/quote"
)

// Option configures the client (passed to New) or one call (passed last to
// any method). Most options fit both places: given to New they set the
// client's default, given to a call they override it for that call. The
// few that only make sense in one place say so and are refused elsewhere
// with a *ConfigError naming the option — never silently ignored.
type Option func(*settings) error

// settings is what an Option writes to. In New, cfg is the client's
// configuration and call its defaults for every call (config.call); in a
// call, call is that call's options and cfg is nil. An option that fits
// both places writes to call either way.
type settings struct {
	cfg  *config
	call *callOptions
}

// apply runs the options in order; nil options are skipped.
func (s *settings) apply(opts []Option) error {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(s); err != nil {
			return err
		}
	}
	return nil
}

// callOptions are the settings a call may override: the client's defaults
// (config.call) or one call's.
type callOptions struct {
	requestID  string
	headers    http.Header
	timeout    time.Duration
	maxRetries int
	captureID  *string
	// hooks: never nil in the client's defaults; a call's is made by the
	// first hook option it is given and joined to the client's in begin.
	// Calls without hooks share the client's and allocate nothing for them.
	hooks *callHooks
}

// callHooks are the hooks (middleware.go): the client's, or a call's
// joined to them.
type callHooks struct {
	middleware []Middleware // the first is outermost; the client's come first
	limiter    Limiter      // a call's replaces the client's
	into       *Response    // a call's only
}

// callHooks returns the call's hooks, made on first use.
func (o *callOptions) callHooks() *callHooks {
	if o.hooks == nil {
		o.hooks = &callHooks{}
	}
	return o.hooks
}

// clientOption is an Option only New takes; given to a call it is refused.
func clientOption(field string, set func(*config) error) Option {
	return func(s *settings) error {
		if s.cfg == nil {
			return &ConfigError{Field: field, Reason: "is a client option: pass it to New, not to a call"}
		}
		return set(s.cfg)
	}
}

// callOption is an Option only a call takes; given to New it is refused.
func callOption(field string, set func(*callOptions) error) Option {
	return func(s *settings) error {
		if s.cfg != nil {
			return &ConfigError{Field: field, Reason: "is a per-call option: pass it to a method, not to New"}
		}
		return set(s.call)
	}
}

// WithAPIKey sets the secret API key. Without it New reads GLOMO_API_KEY.
// Client option.
func WithAPIKey(key string) Option {
	return clientOption("APIKey", func(c *config) error {
		c.creds.key = secret(key)
		return nil
	})
}

// WithBaseURL sets the API root, e.g. a sandbox or mock host. Both
// ".../api" and the documented ".../api/v1" are accepted. It must be https
// unless the host is a loopback address or "localhost". Client option.
func WithBaseURL(u string) Option {
	return clientOption("BaseURL", func(c *config) error {
		c.baseURL = u
		return nil
	})
}

// WithHTTPClient sets the *http.Client requests go through (add
// OpenTelemetry or proxy transports there). Its Timeout bounds each attempt.
// The client is copied and the copy never follows redirects (see the package
// documentation, Redirects); hc itself is not modified. Client option.
func WithHTTPClient(hc *http.Client) Option {
	return clientOption("HTTPClient", func(c *config) error {
		if hc == nil {
			return &ConfigError{Field: "HTTPClient", Reason: "nil"}
		}
		cp := *hc
		cp.CheckRedirect = refuseRedirect
		c.doer = &cp
		return nil
	})
}

// WithHTTPDoer sets anything with Do(*http.Request) as the transport. The
// doer owns redirects; a response to a request other than the one the
// client sent (a redirect the doer followed) is refused with a
// *RedirectError, never decoded as the call's result. Client option.
func WithHTTPDoer(d api.HttpRequestDoer) Option {
	return clientOption("HTTPDoer", func(c *config) error {
		if d == nil {
			return &ConfigError{Field: "HTTPDoer", Reason: "nil"}
		}
		c.doer = d
		return nil
	})
}

// WithRetryPolicy replaces the whole retry policy; zero delays take the
// defaults. Client option.
func WithRetryPolicy(p RetryPolicy) Option {
	return clientOption("RetryPolicy", func(c *config) error {
		if p.MaxRetries < 0 {
			return &ConfigError{Field: "RetryPolicy.MaxRetries", Reason: "negative"}
		}
		c.retry = p.withDefaults()
		c.call.maxRetries = p.MaxRetries
		return nil
	})
}

// WithMaxRetries sets how many times a failed call is retried (default 2;
// 0 disables retries). Client and call option; negative is refused in both.
func WithMaxRetries(n int) Option {
	return func(s *settings) error {
		if n < 0 {
			return &ConfigError{Field: "MaxRetries", Reason: "negative"}
		}
		s.call.maxRetries = n
		return nil
	}
}

// WithTimeout bounds a whole call, retries and backoff included. Given to
// New it is the default for every call. Client and call option.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return &ConfigError{Field: "Timeout", Reason: "negative"}
		}
		if d > 0 || s.cfg != nil { // 0 on a call keeps the client's
			s.call.timeout = d
		}
		return nil
	}
}

// WithHeader adds a header to requests (to every request when given to New).
// Authorization and User-Agent are the client's and cannot be replaced. A
// name or value net/http would refuse (a line break, a control character)
// is refused here with a *ConfigError, before anything is sent. Client and
// call option.
func WithHeader(key, value string) Option {
	return func(s *settings) error {
		if !validHeaderName(key) {
			return &ConfigError{Field: "Header", Reason: "invalid header name " + quote.Short(key)}
		}
		if !validHeaderValue(value) {
			return &ConfigError{Field: "Header " + key, Reason: "value contains a control character"}
		}
		if s.call.headers == nil {
			s.call.headers = http.Header{}
		}
		s.call.headers.Add(key, value)
		return nil
	}
}

// WithRequestID sets the request_id of an idempotent create (orders,
// payments, refunds, payouts), replacing any the body carries. When neither
// sets one, the client sets a fresh UUID. Pass the RequestID of an earlier
// failed call (APIError.RequestID, OutcomeUnknownError.RequestID) to repeat
// that same logical create: Glomo will not create a second object and the
// client returns the original. Leading and trailing ASCII spaces and tabs
// are trimmed; an id that is empty after that is refused. On operations
// whose body has no request_id the option is ignored. Call option.
func WithRequestID(id string) Option {
	return callOption("RequestID", func(o *callOptions) error {
		t := strings.Trim(id, " \t")
		if t == "" {
			return &ConfigError{Field: "RequestID", Reason: "empty"}
		}
		o.requestID = t
		return nil
	})
}

// WithRequestIDCapture stores the request_id the call used (the caller's or
// the generated one) in *dst, whatever the outcome. Call option.
func WithRequestIDCapture(dst *string) Option {
	return callOption("RequestIDCapture", func(o *callOptions) error {
		o.captureID = dst
		return nil
	})
}

// WithLogger sets the *slog.Logger for one debug line per attempt (method,
// path, operation, status, attempt, duration, retry reason). The key is
// never logged. Client option.
func WithLogger(l *slog.Logger) Option {
	return clientOption("Logger", func(c *config) error {
		if l != nil {
			c.logger = l
		}
		return nil
	})
}

// WithBodyLogging adds request and response bodies to the debug log lines,
// with secrets redacted (the key, secret_key and anything shaped like a
// key or token). Off by default: bodies carry personal data and, for
// POST /payment, card data. Client option.
func WithBodyLogging() Option {
	return clientOption("BodyLogging", func(c *config) error {
		c.logBodies = true
		return nil
	})
}

// WithUserAgent puts a product token of yours before glomo-go's User-Agent.
// Client option.
func WithUserAgent(ua string) Option {
	return clientOption("UserAgent", func(c *config) error {
		if !validHeaderValue(ua) {
			return &ConfigError{Field: "UserAgent", Reason: "contains a line break or control character"}
		}
		c.userAgent = strings.TrimSpace(ua)
		return nil
	})
}

// WithMaxResponseBytes changes the response size limit (default 10 MiB).
// Client option.
func WithMaxResponseBytes(n int64) Option {
	return clientOption("MaxResponseBytes", func(c *config) error {
		if n <= 0 {
			return &ConfigError{Field: "MaxResponseBytes", Reason: "must be positive"}
		}
		c.maxBody = n
		return nil
	})
}

// WithResponseValidator hands every response the client reads to v (package
// drift provides one that checks responses against openapi.yaml). It never
// fails or alters a call; v runs on the calling goroutine, so keep it cheap,
// and a panic in it is recovered. Client option.
func WithResponseValidator(v ResponseValidator) Option {
	return clientOption("ResponseValidator", func(c *config) error {
		c.validator = v
		return nil
	})
}

// ResponseValidator checks responses; the wrapper declares it so that
// validation is opt-in: a program that does not use package drift never
// links it, nor the OpenAPI description. body must not be retained.
type ResponseValidator interface {
	ValidateResponse(operationID, method, path string, status int, header http.Header, body []byte)
}

// validHeaderName: an RFC 9110 token.
func validHeaderName(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(c rune) bool {
		return c <= ' ' || c >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, c)
	})
}

// validHeaderValue: no control characters other than horizontal tab.
func validHeaderValue(s string) bool {
	return !strings.ContainsFunc(s, func(c rune) bool { return c < ' ' && c != '\t' || c == 0x7f })
}

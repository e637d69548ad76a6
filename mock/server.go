package mock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// DefaultKey is the secret key a Server accepts unless WithKey says
// otherwise.
const DefaultKey = "sk_test_mock_0000000000000000"

// MaxBodyBytes is the largest request body the mock reads (1 MiB); a larger
// one is answered 413.
const MaxBodyBytes = 1 << 20

// MaxBodyDepth is how deeply a request body may nest objects and arrays;
// a deeper one is answered 400 before it is validated (Glomo's bodies nest
// a few levels, and validating thousands of levels is slow).
const MaxBodyDepth = 64

// DefaultMaxObjects is how many objects the mock keeps per resource before
// evicting the oldest.
const DefaultMaxObjects = 10000

// Server is a running mock of the Glomo API on loopback.
type Server struct {
	// URL is the base URL to give the SDK: http://127.0.0.1:port/api.
	URL string
	// Key is the secret key the server accepts (Authorization: Bearer Key).
	Key string

	h        *handler
	hs       *http.Server
	ln       net.Listener
	done     chan struct{}
	closeOne sync.Once
}

// Option configures a Server.
type Option func(*config)

type config struct {
	key        string
	addr       string
	maxObjects int
	logger     *slog.Logger
	hookURL    string
	hookSecret string
	review     bool
	faults     []Fault
	now        func() time.Time
	balances   map[string]int64 // nil: DefaultCurrencies × DefaultBalance
	queueing   bool
}

// WithKey sets the secret key the server accepts (default DefaultKey).
func WithKey(key string) Option { return func(c *config) { c.key = key } }

// WithAddr sets the listen address (default 127.0.0.1:0, a free port).
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithMaxObjects caps the stored objects per resource (default
// DefaultMaxObjects); the oldest are evicted first.
func WithMaxObjects(n int) Option { return func(c *config) { c.maxObjects = n } }

// WithLogger logs one line per request (method, path, operation, status,
// duration) to l.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithWebhook makes every lifecycle transition POST a webhook to url, signed
// with secret in the X-Glomopay-Signature header.
func WithWebhook(url, secret string) Option {
	return func(c *config) { c.hookURL, c.hookSecret = url, secret }
}

// WithBeneficiaryReview makes new beneficiaries start "pending" (review)
// instead of "active"; the v2 mock-review endpoint then approves or rejects
// them, and payouts to a pending beneficiary are refused.
func WithBeneficiaryReview() Option { return func(c *config) { c.review = true } }

// WithFaults installs fault injections from the start (see Fault).
func WithFaults(f ...Fault) Option { return func(c *config) { c.faults = append(c.faults, f...) } }

// WithClock replaces time.Now for created_at, updated_at and before/after
// filters.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// NewServer starts a mock on a free loopback port and closes it when t ends.
// It fails t if the server cannot start.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("mock: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a mock server for use outside tests; call Close when done.
func Start(opts ...Option) (*Server, error) {
	h, cfg, err := newHandler(opts...)
	if err != nil {
		return nil, err
	}
	addr := cfg.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mock: listen: %w", err)
	}
	s := &Server{
		URL:  "http://" + ln.Addr().String() + h.model.basePath,
		Key:  cfg.key,
		h:    h,
		ln:   ln,
		hs:   &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		_ = s.hs.Serve(ln)
	}()
	return s, nil
}

// Addr returns the address the server listens on (host:port).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Handler returns the server's http.Handler, to mount the mock elsewhere.
func (s *Server) Handler() http.Handler { return s.h }

// Close stops the server, closing open connections, and waits for pending
// webhook deliveries.
func (s *Server) Close() {
	s.closeOne.Do(func() {
		_ = s.hs.Close()
		<-s.done
		s.h.stopHooks()
	})
}

// Shutdown stops the server gracefully, waiting for in-flight requests until
// ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.hs.Shutdown(ctx)
	s.closeOne.Do(func() {
		<-s.done
		s.h.stopHooks()
	})
	return err
}

// Count returns how many objects of resource the server holds. resource is
// a documented resource name (see Resources): "payouts", "customers",
// "payments", "payment_links", "beneficiaries", "refunds", "orders", …
func (s *Server) Count(resource string) int { return s.h.store.count(s.h.key(resource)) }

// Objects returns copies of the stored objects of resource, newest first.
func (s *Server) Objects(resource string) []map[string]any { return s.h.store.all(s.h.key(resource)) }

// Object returns a copy of one stored object.
func (s *Server) Object(resource, id string) (map[string]any, bool) {
	return s.h.store.getCopy(s.h.key(resource), id)
}

// Put stores obj (which must carry a string "id") in resource, replacing an
// object with the same id; use it to seed state for a test. The mock sets
// created_at and updated_at of a new object, as a create does.
func (s *Server) Put(resource string, obj map[string]any) error {
	id, _ := obj["id"].(string)
	if id == "" {
		return errors.New("mock: Put: object has no string id")
	}
	key := s.h.key(resource)
	if key == "" {
		return fmt.Errorf("mock: Put: unknown resource %q (see Resources)", resource)
	}
	s.h.store.put(key, id, "", clone(obj).(map[string]any), s.h.now())
	return nil
}

// Balances returns the available balance per currency, in minor units.
func (s *Server) Balances() map[string]int64 { return s.h.ledger.availableCopy() }

// Reset puts the server back to how it started: no objects but the seeded
// examples, the starting balances, no events, no faults and no call counts.
// Keys and the webhook URL are kept. POST /__mock/reset does the same.
func (s *Server) Reset() { s.h.reset() }

// SetWebhook sets (or, with an empty url, clears) where transition webhooks
// go and the secret they are signed with.
func (s *Server) SetWebhook(url, secret string) { s.h.setWebhook(url, secret) }

// Events returns the webhooks the server has emitted so far, oldest first,
// up to the last 1,000. Deliveries run in the background: an event's
// Delivery says whether its delivery is over (see WaitForDeliveries).
func (s *Server) Events() []Event { return s.h.events() }

// WaitForDeliveries waits until no webhook delivery is under way (or ctx
// ends), so that Events shows every delivery's outcome.
func (s *Server) WaitForDeliveries(ctx context.Context) error { return s.h.waitDeliveries(ctx) }

// AddFault installs a fault injection (see Fault).
func (s *Server) AddFault(f Fault) { s.h.faults.add(f) }

// ClearFaults removes every fault injection.
func (s *Server) ClearFaults() { s.h.faults.clear() }

// Calls returns how many requests have been routed to operationID.
func (s *Server) Calls(operationID string) int { return s.h.faults.calls(operationID) }

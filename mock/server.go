package mock

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
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

// handler serves the mock API.
type handler struct {
	cfg    config
	model  *specModel
	store  *store
	ledger *ledger
	// releaseMu lets one goroutine at a time release queued payouts.
	releaseMu sync.Mutex
	// filters are, per list operation, the query parameters that are
	// equality filters; envelopes the rest of each list answer.
	filters   map[string]map[string]bool
	envelopes map[string]map[string]any
	names     map[string]string // documented resource name → store key
	faults
	hookMu     sync.Mutex
	hookURL    string
	hookSecret string
	closed     bool // no more webhook deliveries
	hooks      sync.WaitGroup
	evMu       sync.Mutex
	evs        []Event
	evN        uint64 // events emitted
	keyMu      sync.Mutex
	keys       map[string]time.Time // accepted secret keys → expiry (zero: none)
	client     *http.Client
}

func newHandler(opts ...Option) (*handler, config, error) {
	cfg := config{key: DefaultKey, maxObjects: DefaultMaxObjects, now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxObjects <= 0 {
		cfg.maxObjects = DefaultMaxObjects
	}
	m, err := loadModel()
	if err != nil {
		return nil, cfg, err
	}
	h := &handler{
		cfg: cfg, model: m, ledger: newLedger(cfg.balances),
		hookURL: cfg.hookURL, hookSecret: cfg.hookSecret,
		client: &http.Client{Timeout: 5 * time.Second},
		keys:   map[string]time.Time{cfg.key: {}},
	}
	h.filters, h.envelopes = listShapes(m)
	h.names = m.resourceKeys()
	h.store = newStore(cfg.maxObjects, indexedFields(m, h.filters), h.isView)
	for _, f := range cfg.faults {
		h.faults.add(f)
	}
	h.seed()
	return h, cfg, nil
}

// NewHandler returns the mock as an http.Handler without listening, and the
// key it accepts; mount it under any address. Requests reach the API under
// the spec's base path (/api).
func NewHandler(opts ...Option) (http.Handler, string, error) {
	h, cfg, err := newHandler(opts...)
	if err != nil {
		return nil, "", err
	}
	return h, cfg.key, nil
}

func (h *handler) now() time.Time { return h.cfg.now().UTC() }

func (h *handler) reset() {
	h.store.reset()
	h.ledger.reset(h.cfg.balances)
	h.evMu.Lock()
	h.evs = nil
	h.evMu.Unlock()
	h.faults.reset()
	h.seed()
}

// timestamp is now as the mock writes it in objects (see TimeLayout).
func (h *handler) timestamp() string { return formatTime(h.now()) }

// seed puts one example object into every resource the API can read but
// the mock cannot create (withdrawal accounts, LRS banks, …), so its get and
// list operations have something to return.
func (h *handler) seed() {
	for _, id := range h.model.order {
		o := h.model.ops[id]
		if h.model.creatable[o.resource] || h.store.count(o.resource) > 0 {
			continue
		}
		var obj map[string]any
		var oid string
		switch o.kind {
		case kindGet:
			obj, _ = build(o.schema, 0).(map[string]any)
			for _, p := range o.op.Parameters {
				if p.Value != nil && p.Value.In == "path" && p.Value.Name == o.idParam {
					switch {
					case p.Value.Example != nil:
						oid = fmt.Sprint(p.Value.Example)
					case p.Value.Schema != nil && p.Value.Schema.Value != nil && p.Value.Schema.Value.Example != nil:
						oid = fmt.Sprint(p.Value.Schema.Value.Example)
					}
				}
			}
		case kindList:
			if o.parent != "" {
				continue
			}
			obj, _ = build(o.itemSch, 0).(map[string]any)
		default:
			continue
		}
		if obj == nil {
			continue
		}
		if oid == "" {
			oid, _ = obj["id"].(string)
		}
		if oid == "" {
			oid = strings.ReplaceAll(o.resource, "/", "_") + "_seed"
		}
		if _, ok := obj["id"]; ok {
			obj["id"] = oid
		}
		h.store.put(o.resource, oid, "", obj, h.now())
	}
}

// apiError is an answer in the API's flat error shape.
type apiError struct {
	status  int
	err     string
	message string
	code    string
}

func (e *apiError) Error() string { return e.message }

func errorf(status int, msg string, args ...any) *apiError {
	return &apiError{status: status, err: http.StatusText(status), message: fmt.Sprintf(msg, args...)}
}

// reply is what a rule or the generic engine answers.
type reply struct {
	status int
	body   any
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: 200}
	opID := h.serve(sw, r)
	if h.cfg.logger != nil {
		h.cfg.logger.Info("request", "method", r.Method, "path", r.URL.Path, "op", opID, "status", sw.status, "dur", time.Since(start).Round(time.Microsecond).String())
	}
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request) string {
	path := r.URL.Path
	if path == "/" || path == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "glomo-mock ok\n")
		return ""
	}
	if strings.HasPrefix(path, adminPrefix) {
		h.admin(w, r)
		return "admin"
	}
	rest, ok := strings.CutPrefix(path, h.model.basePath)
	if !ok || (rest != "" && rest[0] != '/') {
		writeError(w, errorf(404, "Route not found"))
		return ""
	}
	rr := r.Clone(r.Context())
	rr.URL.Path, rr.URL.RawPath = rest, ""
	route, params, err := h.model.router.FindRoute(rr)
	if err != nil { // unknown path or method: the API answers 404 for both
		writeError(w, errorf(404, "Route not found"))
		return ""
	}
	op := h.model.ops[route.Operation.OperationID]
	if op == nil {
		writeError(w, errorf(404, "Route not found"))
		return ""
	}
	if e := h.auth(r); e != nil {
		writeError(w, e)
		return op.id
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, errorf(413, "Request body is larger than %d bytes", MaxBodyBytes))
		} else {
			writeError(w, errorf(400, "Could not read the request body"))
		}
		return op.id
	}
	f := h.faults.take(op.id)
	if f != nil && f.Kind == FaultDelay {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return op.id
		}
		f = nil
	}
	if f != nil && f.before(w) {
		return op.id
	}
	// ID prefixes in the path, before schema validation so the message is the API's.
	for name, prefix := range op.prefixes {
		if v := params[name]; !strings.HasPrefix(v, prefix) {
			writeError(w, errorf(400, "Id must start with '%s'", prefix))
			return op.id
		}
	}
	if tooDeep(body, MaxBodyDepth) {
		writeError(w, errorf(400, "body: nested deeper than %d levels", MaxBodyDepth))
		return op.id
	}
	rr.Body = io.NopCloser(bytes.NewReader(body))
	jsonBody := jsonMedia(op, r)
	in := &openapi3filter.RequestValidationInput{
		Request: rr, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: jsonBody != nil},
	}
	err = openapi3filter.ValidateRequest(r.Context(), in)
	if err == nil && jsonBody != nil {
		err = validateJSONBody(op.op.RequestBody.Value, jsonBody, body)
	}
	if err != nil {
		writeError(w, errorf(400, "%s", describe(err)))
		return op.id
	}
	var reqBody map[string]any
	if len(bytes.TrimSpace(body)) > 0 {
		var v any
		if json.Unmarshal(body, &v) == nil {
			reqBody, _ = v.(map[string]any)
		}
	}
	rep, aerr := h.dispatch(op, params, r.URL.Query(), reqBody)
	if aerr != nil {
		writeError(w, aerr)
		return op.id
	}
	out, err := json.Marshal(rep.body)
	if err != nil {
		writeError(w, errorf(500, "encode: %v", err))
		return op.id
	}
	if f != nil {
		f.after(w, rep.status, out)
		return op.id
	}
	writeJSON(w, rep.status, out)
	return op.id
}

func (h *handler) auth(r *http.Request) *apiError {
	a := r.Header.Get("Authorization")
	key, ok := strings.CutPrefix(a, "Bearer ")
	key = strings.TrimSpace(key)
	switch {
	case !ok || key == "":
		return errorf(401, "Missing API key")
	case strings.HasPrefix(key, "test_") || strings.HasPrefix(key, "live_"):
		return errorf(401, "Publishable keys cannot be used for server-side requests")
	}
	h.keyMu.Lock()
	exp, ok := h.keys[key]
	h.keyMu.Unlock()
	if !ok || (!exp.IsZero() && !h.now().Before(exp)) {
		return errorf(401, "Invalid API key")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

func writeError(w http.ResponseWriter, e *apiError) {
	m := map[string]any{"error": e.err, "message": e.message}
	if e.code != "" {
		m["code"] = e.code
	}
	b, _ := json.Marshal(m)
	writeJSON(w, e.status, b)
}

// describe turns a request validation error into one line that names the
// offending field: "<field>: <reason>", the field being a query or path
// parameter name, or a dotted path into the body.
func describe(err error) string {
	if me, ok := err.(openapi3.MultiError); ok && len(me) > 0 {
		return describe(me[0])
	}
	field, msg := "", err.Error()
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		switch {
		case re.Parameter != nil:
			field = re.Parameter.Name
		case re.RequestBody != nil:
			field = "body"
		}
		switch {
		case re.Err != nil:
			msg = re.Err.Error()
		case re.Reason != "":
			msg = re.Reason
		}
	}
	ptr := ""
	var se *openapi3.SchemaError
	if errors.As(err, &se) && len(se.JSONPointer()) > 0 && se.Reason != "" {
		ptr, msg = strings.Join(se.JSONPointer(), "."), se.Reason
	}
	lines := strings.Split(msg, "\n")
	msg = lines[0]
	if strings.Contains(msg, "validation failed with") {
		for _, l := range lines[1:] {
			if ptrRE.MatchString(l) {
				msg = strings.TrimLeft(strings.TrimSpace(l), "- ")
				break
			}
		}
	}
	for strings.Contains(msg, "doesn't match schema due to: ") {
		_, msg, _ = strings.Cut(msg, "doesn't match schema due to: ")
	}
	for {
		loc := ptrRE.FindStringSubmatchIndex(msg)
		if loc == nil {
			break
		}
		if p := strings.Trim(msg[loc[2]:loc[3]], "/"); p != "" {
			ptr = strings.ReplaceAll(p, "/", ".")
		}
		msg = msg[loc[1]:]
	}
	if ptr != "" {
		if field == "" || field == "body" {
			field = ptr
		} else {
			field += "." + ptr
		}
	}
	if strings.Contains(msg, "Value is not nullable") && (field == "body" || field == "") {
		field, msg = "body", "must be a JSON object"
	}
	if m := missingRE.FindStringSubmatch(msg); m != nil && (field == "" || field == "body") {
		field = m[1] + m[2]
	}
	msg = strings.TrimSpace(msg)
	if field == "" || strings.HasPrefix(msg, field) {
		return msg
	}
	return field + ": " + msg
}

var missingRE = regexp.MustCompile(`missing property '([^']+)'|property "([^"]+)" is missing`)

var ptrRE = regexp.MustCompile(`(?i)(?:error )?at ["']([^"']*)["']:\s*`)

// jsonMedia is op's JSON request body media type when the request sends
// JSON (or no Content-Type), else nil.
func jsonMedia(op *opInfo, r *http.Request) *openapi3.MediaType {
	rb := op.op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "json") {
		return nil
	}
	if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
		return mt
	}
	return nil
}

// validateJSONBody checks a JSON request body against its schema with
// kin-openapi's own validator. openapi3filter validates an OpenAPI 3.1
// body by compiling the schema into a JSON Schema 2020-12 validator on
// every request, which cost most of a create's time; the errors here have
// the same shape (a RequestError around a SchemaError), so describe names
// the field the same way.
func validateJSONBody(rb *openapi3.RequestBody, mt *openapi3.MediaType, body []byte) error {
	fail := func(reason string, err error) error {
		return &openapi3filter.RequestError{RequestBody: rb, Reason: reason, Err: err}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if rb.Required {
			return fail("value is required but missing", nil)
		}
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fail("body is not valid JSON", nil)
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		if me, ok := err.(openapi3.MultiError); ok && len(me) > 0 {
			err = me[0]
		}
		return fail("doesn't match schema", err)
	}
	return nil
}

// tooDeep reports whether the JSON text b opens more than max objects or
// arrays inside one another. It only counts brackets outside strings; the
// validator judges everything else.
func tooDeep(b []byte, max int) bool {
	depth, inStr, esc := 0, false, false
	for _, c := range b {
		switch {
		case esc:
			esc = false
		case inStr:
			switch c {
			case '\\':
				esc = true
			case '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			if depth++; depth > max {
				return true
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return false
}

func newID(prefix string) string {
	var b [8]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

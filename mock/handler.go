package mock

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
)

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
	// From here every answer goes through the fault, errors included: a
	// commit-then-drop or a truncation applies to a 409 as to a 201.
	answer := func(status int, out []byte) string {
		if f != nil {
			f.after(w, status, out)
		} else {
			writeJSON(w, status, out)
		}
		return op.id
	}
	fail := func(e *apiError) string { return answer(e.status, errorBody(e)) }
	// ID prefixes in the path, before schema validation so the message is the API's.
	for name, prefix := range op.prefixes {
		if v := params[name]; !strings.HasPrefix(v, prefix) {
			return fail(errorf(400, "Id must start with '%s'", prefix))
		}
	}
	if tooDeep(body, MaxBodyDepth) {
		return fail(errorf(400, "body: nested deeper than %d levels", MaxBodyDepth))
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
		return fail(errorf(400, "%s", describe(err)))
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
		return fail(aerr)
	}
	out, err := json.Marshal(rep.body)
	if err != nil {
		return fail(errorf(500, "encode: %v", err))
	}
	return answer(rep.status, out)
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

func writeError(w http.ResponseWriter, e *apiError) { writeJSON(w, e.status, errorBody(e)) }

// errorBody is the API's error answer: {"error", "message"} and, where the
// API gives one, "code".
func errorBody(e *apiError) []byte {
	m := map[string]any{"error": e.err, "message": e.message}
	if e.code != "" {
		m["code"] = e.code
	}
	b, _ := json.Marshal(m)
	return b
}

func newID(prefix string) string {
	var b [8]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

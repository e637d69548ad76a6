package mock

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/glomo-go/glomo-go/internal/specmodel"
)

// paging parameters handled by every list.
var pagingParams = map[string]bool{"page": true, "per_page": true, "before": true, "after": true}

// dispatch runs the hand-written rule for op if there is one, else the
// generic engine for op's kind.
func (h *handler) dispatch(op *opInfo, params map[string]string, q url.Values, body map[string]any) (*reply, *apiError) {
	if rule := rules[op.id]; rule != nil {
		// Rules see query parameters beside the path's (path wins).
		all := make(map[string]string, len(params)+len(q))
		for k, vs := range q {
			if len(vs) > 0 {
				all[k] = vs[0]
			}
		}
		for k, v := range params {
			all[k] = v
		}
		return rule(h, op, all, body)
	}
	switch op.kind {
	case kindCreate:
		return h.create(op, params, body, nil)
	case kindList:
		return h.list(op, params, q)
	case kindGet:
		return h.get(op, params)
	case kindUpdate:
		return h.updateItem(op, params, body)
	case kindDelete:
		return h.deleteItem(op, params)
	case kindAction:
		return h.action(op, params, body)
	}
	return h.static(op, body), nil
}

// entityName is the singular, capitalised name of a resource for messages:
// "payouts" → "Payout", "payin" → "Payment link".
func entityName(resource string) string {
	if i := strings.LastIndex(resource, "/"); i >= 0 {
		resource = resource[i+1:]
	}
	switch resource {
	case "payin":
		return "Payment link"
	case "payment":
		return "Payment"
	case "customer":
		return "Customer"
	}
	resource = strings.TrimSuffix(resource, "s")
	if strings.HasSuffix(resource, "ie") {
		resource = strings.TrimSuffix(resource, "ie") + "y"
	}
	resource = strings.NewReplacer("_", " ", "-", " ").Replace(resource)
	if resource == "" {
		return "Entity"
	}
	return strings.ToUpper(resource[:1]) + resource[1:]
}

func notFound(resource string) *apiError {
	return errorf(404, "%s not found", entityName(resource))
}

// setIfFits sets obj[key] = val when the schema of op's response declares key
// and val fits it.
func setIfFits(op *opInfo, obj map[string]any, key string, val any) {
	props := properties(op.schema)
	if p, ok := props[key]; ok && p.Value != nil && p.Value.VisitJSON(jsonRoundTrip(val)) == nil {
		obj[key] = val
	}
}

// creation adjusts a create: init completes the object before it is
// stored; admit, run with the new id just before storing, may refuse the
// create (nothing is stored) and undo takes back what admit did when the
// store refuses a repeated request_id.
type creation struct {
	init  func(obj map[string]any)
	admit func(id string, obj map[string]any) *apiError
	undo  func(id string)
}

// create stores a new object for op built from the request (see compose),
// then the id, timestamps and initial status. init, when not nil, adjusts
// the object before it is stored.
func (h *handler) create(op *opInfo, params map[string]string, body map[string]any, init func(obj map[string]any)) (*reply, *apiError) {
	return h.createWith(op, params, body, creation{init: init})
}

func (h *handler) createWith(op *opInfo, params map[string]string, body map[string]any, cr creation) (*reply, *apiError) {
	parent := ""
	if op.parent != "" {
		parent = params[op.idParam]
		if _, ok := h.store.getRecord(op.parent, parent); !ok {
			return nil, notFound(op.parent)
		}
	}
	if op.schema == nil || op.schema.Value == nil || !specmodel.HasProperty(op.schema, h.model.idKey(op.resource)) {
		return &reply{status: op.status, body: render(op.schema, body)}, nil
	}
	obj := compose(op.schema, body)
	id := newID(h.model.prefix[op.resource])
	obj[h.model.idKey(op.resource)] = id
	// State is kept whether or not this operation's schema shows it; every
	// answer is rendered through the answering operation's schema.
	// created_at and updated_at are set by the store when it inserts.
	if st, ok := initialStatus[op.resource]; ok {
		if op.resource == "beneficiaries" && h.cfg.review {
			st = "pending"
		}
		obj["status"] = st
	}
	if cr.init != nil {
		cr.init(obj)
	}
	reqID, _ := body["request_id"].(string)
	if !op.hasReqID {
		reqID = ""
	}
	idem, protected := idempotency[op.resource]
	if !protected {
		reqID = ""
	}
	if cr.admit != nil {
		if err := cr.admit(id, obj); err != nil {
			return nil, err
		}
	}
	rec := h.store.insertUnique(op.resource, id, parent, obj, h.now(), reqID)
	if rec == nil {
		if cr.undo != nil {
			cr.undo(id)
		}
		return nil, idem
	}
	return &reply{status: op.status, body: h.view(op.schema, op.resource, rec)}, nil
}

func (h *handler) list(op *opInfo, params map[string]string, q url.Values) (*reply, *apiError) {
	parent := ""
	if op.parent != "" {
		parent = params[op.idParam]
		if _, ok := h.store.getRecord(op.parent, parent); !ok && h.model.creatable[op.parent] {
			return nil, notFound(op.parent)
		}
		if !h.model.creatable[op.resource] {
			parent = "" // nothing can be created under it: show the seeded examples
		}
	}
	perPage := 20
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, errorf(400, "per_page must be an integer")
		}
		if n >= 1 {
			perPage = min(n, 100)
		}
	}
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, errorf(400, "page must be an integer")
		}
		page = max(n, 1)
	}
	qq := query{parent: parent, filters: map[string]string{}, offset: (page - 1) * perPage, limit: perPage}
	if op.bare {
		qq.offset, qq.limit = 0, -1
	}
	for name, dst := range map[string]*time.Time{"before": &qq.before, "after": &qq.after} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return nil, errorf(400, "%s must be an ISO 8601 timestamp", name)
			}
			*dst = t
		}
	}
	// Equality filters: request_id, and query parameters named like a
	// property of the listed items (date ranges such as start_date are not
	// equality filters and are ignored).
	for name, vs := range q {
		if pagingParams[name] || len(vs) == 0 || vs[0] == "" {
			continue
		}
		if name == "request_id" || h.filters[op.id][name] {
			qq.filters[name] = vs[0]
		}
	}
	resource := op.resource
	if !h.model.creatable[resource] && parent == "" && h.store.count(resource) == 0 {
		h.seedList(op)
	}
	recs, count := h.store.page(resource, qq)
	data := make([]any, 0, len(recs))
	for _, r := range recs {
		data = append(data, h.view(op.itemSch, resource, r))
	}
	if op.bare {
		return &reply{status: op.status, body: data}, nil
	}
	pages := max((count+perPage-1)/perPage, 1)
	meta := map[string]any{"current": page, "per_page": perPage, "pages": pages, "count": count, "previous": nil, "next": nil}
	if page > 1 {
		meta["previous"] = page - 1
	}
	if page < pages {
		meta["next"] = page + 1
	}
	out := map[string]any{}
	for k, v := range h.envelopes[op.id] {
		out[k] = clone(v)
	}
	out["data"] = data
	out["page_meta"] = meta
	return &reply{status: op.status, body: out}, nil
}

// view answers a stored record through schema s: its JSON as stored when s
// is the schema the record was checked against, else rendered.
func (h *handler) view(s *openapi3.SchemaRef, resource string, r *record) any {
	if r.direct && sameSchema(s, h.model.itemSchema[resource]) {
		return json.RawMessage(r.raw)
	}
	return render(s, decode(r.raw))
}

func sameSchema(a, b *openapi3.SchemaRef) bool {
	return a != nil && b != nil && a.Value != nil && a.Value == b.Value
}

// isView reports whether obj is exactly what its resource's item schema
// shows of it, so its JSON can be answered without rendering.
func (h *handler) isView(resource string, obj map[string]any) bool {
	s := h.model.itemSchema[resource]
	if s == nil {
		return false
	}
	return reflect.DeepEqual(jsonRoundTrip(render(s, obj)), jsonRoundTrip(obj))
}

// seedList gives a read-only list its example item.
func (h *handler) seedList(op *opInfo) {
	obj, ok := build(op.itemSch, 0).(map[string]any)
	if !ok {
		return
	}
	id, _ := obj["id"].(string)
	if id == "" {
		id = strings.ReplaceAll(op.resource, "/", "_") + "_seed"
	}
	h.store.put(op.resource, id, "", obj, h.now())
}

func (h *handler) get(op *opInfo, params map[string]string) (*reply, *apiError) {
	r, ok := h.store.getRecord(op.resource, params[op.idParam])
	if !ok {
		return nil, notFound(op.resource)
	}
	return &reply{status: op.status, body: h.view(op.schema, op.resource, r)}, nil
}

func (h *handler) updateItem(op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	var out any
	found, _ := h.store.update(op.resource, params[op.idParam], func(obj map[string]any) error {
		props := properties(op.schema)
		for k, v := range body {
			if p, ok := props[k]; ok && p.Value != nil && !p.Value.ReadOnly && p.Value.VisitJSON(jsonRoundTrip(v)) == nil {
				obj[k] = clone(v)
			}
		}
		setIfFits(op, obj, "updated_at", h.timestamp())
		out = obj
		return nil
	})
	if !found {
		return nil, notFound(op.resource)
	}
	return &reply{status: op.status, body: render(op.schema, out.(map[string]any))}, nil
}

func (h *handler) deleteItem(op *opInfo, params map[string]string) (*reply, *apiError) {
	obj, ok := h.store.remove(op.resource, params[op.idParam])
	if !ok {
		return nil, notFound(op.resource)
	}
	return &reply{status: op.status, body: render(op.schema, obj)}, nil
}

// action runs a verb on an item (…/{id}/cancel, …/pause, …/update_rfi):
// the item must exist; a known verb moves its status through the legal
// transitions of transitionsFor, anything else answers the item as it is.
func (h *handler) action(op *opInfo, params map[string]string, body map[string]any) (*reply, *apiError) {
	id := params[op.idParam]
	target, hasTarget := verbTarget[op.action]
	var out any
	var aerr *apiError
	var event map[string]any
	found, _ := h.store.update(op.resource, id, func(obj map[string]any) error {
		if !hasTarget && len(body) > 0 && (op.method == "PATCH" || op.method == "PUT") {
			// e.g. …/next-payment-date, …/update_rfi: keep what was sent
			// where the answer's schema has a place for it.
			props := properties(op.schema)
			if len(props) == 0 {
				props = properties(h.model.itemSchema[op.resource])
			}
			for k, v := range body {
				if p, ok := props[k]; ok && p.Value != nil && p.Value.VisitJSON(jsonRoundTrip(v)) == nil {
					obj[k] = clone(v)
				}
			}
			obj["updated_at"] = h.timestamp()
		}
		if hasTarget {
			from, _ := obj["status"].(string)
			if vf, ok := verbFrom[op.action]; ok && !slices.Contains(vf, from) || !allowed(op.resource, from, target) {
				aerr = errorf(400, "State change not allowed")
				return aerr
			}
			if aerr = h.moveMoney(op.resource, id, obj, from, target); aerr != nil {
				return aerr
			}
			obj["status"] = target
			obj["updated_at"] = h.timestamp()
			event = obj
		}
		out = obj
		return nil
	})
	if !found {
		return nil, notFound(op.resource)
	}
	if aerr != nil {
		return nil, aerr
	}
	if event != nil {
		h.emit(op.resource, target, event)
	}
	return &reply{status: op.status, body: render(op.schema, out.(map[string]any))}, nil
}

// static answers from the spec: the response's media example or a value
// built from its schema, with request fields overlaid where they fit.
func (h *handler) static(op *opInfo, body map[string]any) *reply {
	if ex, ok := mediaExample(op.media); ok && op.schema != nil && op.schema.Value != nil && op.schema.Value.VisitJSON(ex) == nil {
		if m, ok := ex.(map[string]any); ok {
			for k, v := range body {
				if p, ok := properties(op.schema)[k]; ok && p.Value != nil && p.Value.VisitJSON(jsonRoundTrip(v)) == nil {
					m[k] = clone(v)
				}
			}
			if op.schema.Value.VisitJSON(m) == nil {
				return &reply{status: op.status, body: m}
			}
		}
		return &reply{status: op.status, body: ex}
	}
	if op.schema == nil {
		return &reply{status: op.status, body: map[string]any{}}
	}
	return &reply{status: op.status, body: render(op.schema, body)}
}

package mock

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// adminPrefix is where the mock's own control endpoints live, a path the
// Glomo API does not use. They need the same bearer key as the API:
//
//	GET    /__mock/faults           list pending faults
//	POST   /__mock/faults           add a Fault (JSON object or array)
//	DELETE /__mock/faults           remove every fault
//	POST   /__mock/webhook          {"url": "...", "secret": "..."}
//	GET    /__mock/state            {"resources": {name: count}, "balances": {currency: available}}
//	GET    /__mock/state/<resource> {"count": n, "data": [objects, newest first]} (names: see Resources)
//	GET    /__mock/events           the webhooks emitted so far, each with its
//	                                "delivery": none, pending, delivered or failed;
//	                                ?wait=true first waits (up to 10 s) for pending ones
//	POST   /__mock/reset            back to the start (see Server.Reset)
const adminPrefix = "/__mock/"

func (h *handler) admin(w http.ResponseWriter, r *http.Request) {
	if e := h.auth(r); e != nil {
		writeError(w, e)
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, adminPrefix)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		writeError(w, errorf(400, "Could not read the request body"))
		return
	}
	send := func(v any) {
		b, _ := json.Marshal(v)
		writeJSON(w, 200, b)
	}
	switch {
	case rest == "faults" && r.Method == http.MethodGet:
		send(h.faults.pending())
	case rest == "faults" && r.Method == http.MethodDelete:
		h.faults.clear()
		send(map[string]any{"ok": true})
	case rest == "faults" && r.Method == http.MethodPost:
		var list []Fault
		if t := strings.TrimSpace(string(body)); strings.HasPrefix(t, "[") {
			err = json.Unmarshal(body, &list)
		} else {
			var f Fault
			err = json.Unmarshal(body, &f)
			list = append(list, f)
		}
		if err != nil {
			writeError(w, errorf(400, "fault: %v", err))
			return
		}
		for _, f := range list {
			h.faults.add(f)
		}
		send(h.faults.pending())
	case rest == "webhook" && r.Method == http.MethodPost:
		var in struct{ URL, Secret string }
		if err := json.Unmarshal(body, &in); err != nil {
			writeError(w, errorf(400, "webhook: %v", err))
			return
		}
		h.setWebhook(in.URL, in.Secret)
		send(map[string]any{"ok": true})
	case rest == "state" && r.Method == http.MethodGet:
		counts := map[string]int{}
		for name, key := range h.names {
			if n := h.store.count(key); n > 0 {
				counts[name] = n
			}
		}
		send(map[string]any{"resources": counts, "balances": h.ledger.availableCopy()})
	case strings.HasPrefix(rest, "state/") && r.Method == http.MethodGet:
		key := h.key(strings.TrimPrefix(rest, "state/"))
		if key == "" {
			writeError(w, errorf(404, "Unknown resource (GET /__mock/state lists them)"))
			return
		}
		data := h.store.all(key)
		send(map[string]any{"count": len(data), "data": data})
	case rest == "reset" && r.Method == http.MethodPost:
		h.reset()
		send(map[string]any{"ok": true})
	case rest == "events" && r.Method == http.MethodGet:
		if r.URL.Query().Get("wait") == "true" {
			ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
			_ = h.waitDeliveries(ctx)
			cancel()
		}
		evs := h.events()
		out := make([]map[string]any, 0, len(evs))
		for _, e := range evs {
			out = append(out, map[string]any{"entity_type": e.EntityType, "event_type": e.EventType, "data": e.Data,
				"signature": e.Signature, "delivery": e.Delivery, "delivery_status": e.Status})
		}
		send(out)
	default:
		writeError(w, errorf(404, "Route not found"))
	}
}

package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/glomo-go/glomo-go/webhook"
)

// Event is one webhook the mock emitted for a lifecycle transition.
type Event struct {
	EntityType string         `json:"entity_type"`
	EventType  string         `json:"event_type"`
	Data       map[string]any `json:"data"`
	// Body is the exact JSON body sent (or that would have been sent).
	Body []byte `json:"-"`
	// Signature is the X-Glomopay-Signature header value.
	Signature string `json:"-"`
	// Status is the receiver's HTTP status; 0 when no webhook URL was set or
	// delivery failed.
	Status int `json:"-"`
}

const maxEvents = 1000

func (h *handler) setWebhook(url, secret string) {
	h.hookMu.Lock()
	defer h.hookMu.Unlock()
	h.hookURL, h.hookSecret = url, secret
}

func (h *handler) events() []Event {
	h.evMu.Lock()
	defer h.evMu.Unlock()
	out := make([]Event, len(h.evs))
	copy(out, h.evs)
	return out
}

// emit records the webhook for a transition of resource to eventType and,
// when a webhook URL is set, POSTs it signed (asynchronously).
func (h *handler) emit(resource, eventType string, data map[string]any) {
	et := entityType[resource]
	if et == "" {
		et = strings.TrimSuffix(resource, "s")
	}
	ev := Event{EntityType: et, EventType: eventType, Data: data}
	body, err := json.Marshal(ev)
	if err != nil {
		return
	}
	h.hookMu.Lock()
	url, secret := h.hookURL, h.hookSecret
	h.hookMu.Unlock()
	ev.Body = body
	ev.Signature = webhook.Sign(secret, body)
	h.evMu.Lock()
	h.evs = append(h.evs, ev)
	if len(h.evs) > maxEvents {
		h.evs = append([]Event(nil), h.evs[len(h.evs)-maxEvents:]...)
	}
	idx := len(h.evs) - 1
	h.evMu.Unlock()
	if url == "" {
		return
	}
	h.hookMu.Lock()
	if h.closed {
		h.hookMu.Unlock()
		return
	}
	h.hooks.Add(1)
	h.hookMu.Unlock()
	go func() {
		defer h.hooks.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Glomopay-Signature", ev.Signature)
		resp, err := h.client.Do(req)
		if err != nil {
			return
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		h.evMu.Lock()
		if idx < len(h.evs) && bytes.Equal(h.evs[idx].Body, body) {
			h.evs[idx].Status = resp.StatusCode
		}
		h.evMu.Unlock()
	}()
}

// stopHooks stops new deliveries and waits for the ones under way.
func (h *handler) stopHooks() {
	h.hookMu.Lock()
	h.closed = true
	h.hookMu.Unlock()
	h.hooks.Wait()
}

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
	// Status is the receiver's HTTP status; 0 until it answers, and when no
	// webhook URL was set or delivery failed.
	Status int `json:"-"`
	// Delivery says where the delivery stands. It is DeliveryPending while
	// the POST is under way: a receiver's handler can return before the
	// mock has read the answer, so wait with Server.WaitForDeliveries
	// before asserting on Status.
	Delivery Delivery `json:"-"`

	n uint64 // emission number
}

// Delivery is where the delivery of one webhook stands.
type Delivery string

// The delivery states. Every state but DeliveryPending is final.
const (
	DeliveryNone      Delivery = "none"      // no webhook URL was set: nothing was sent
	DeliveryPending   Delivery = "pending"   // being sent
	DeliveryDelivered Delivery = "delivered" // the receiver answered; Status is its status
	DeliveryFailed    Delivery = "failed"    // no answer: connection error or timeout
)

// Done reports whether the event's delivery is over (delivered, failed or
// never attempted).
func (e Event) Done() bool { return e.Delivery != DeliveryPending }

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
	ev.Delivery = DeliveryNone
	h.hookMu.Lock()
	send := url != "" && !h.closed
	if send {
		h.hooks.Add(1)
		ev.Delivery = DeliveryPending
	}
	h.hookMu.Unlock()
	h.evMu.Lock()
	h.evN++
	ev.n = h.evN
	h.evs = append(h.evs, ev)
	if len(h.evs) > maxEvents {
		h.evs = append([]Event(nil), h.evs[len(h.evs)-maxEvents:]...)
	}
	h.evMu.Unlock()
	if !send {
		return
	}
	go func() {
		defer h.hooks.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		status, state := 0, DeliveryFailed
		defer func() { h.delivered(ev.n, status, state) }()
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
		status, state = resp.StatusCode, DeliveryDelivered
	}()
}

// delivered records how the delivery of event n ended.
func (h *handler) delivered(n uint64, status int, state Delivery) {
	h.evMu.Lock()
	defer h.evMu.Unlock()
	if len(h.evs) == 0 || n < h.evs[0].n {
		return // trimmed or reset since
	}
	if i := int(n - h.evs[0].n); i < len(h.evs) && h.evs[i].n == n {
		h.evs[i].Status, h.evs[i].Delivery = status, state
	}
}

// pendingDeliveries counts the events still being delivered.
func (h *handler) pendingDeliveries() int {
	h.evMu.Lock()
	defer h.evMu.Unlock()
	n := 0
	for _, e := range h.evs {
		if e.Delivery == DeliveryPending {
			n++
		}
	}
	return n
}

// waitDeliveries waits until no delivery is pending or ctx ends.
func (h *handler) waitDeliveries(ctx context.Context) error {
	for h.pendingDeliveries() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// stopHooks stops new deliveries and waits for the ones under way.
func (h *handler) stopHooks() {
	h.hookMu.Lock()
	h.closed = true
	h.hookMu.Unlock()
	h.hooks.Wait()
}

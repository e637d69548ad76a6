package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"

	"github.com/glomo-go/glomo-go/webhook"
)

// A handler with a store processes each event once and never moves an
// object backwards: a redelivered event and a late in_progress after
// success are acknowledged (200) without calling the callback. Replicas
// behind a load balancer share a webhook/sqlstore Store instead of the
// in-memory one.
func ExampleWithStore() {
	h := webhook.Handler("whsec_example", func(_ context.Context, e webhook.Event) error {
		fmt.Println("applying", e.ID(), e.EventType)
		return nil
	}, webhook.WithStore(webhook.NewMemoryStore()))

	payout := func(status string) webhook.Event {
		return webhook.Event{EntityType: webhook.EntityPayout, EventType: status,
			Data: json.RawMessage(`{"id":"payout_1","status":"` + status + `"}`)}
	}
	for _, e := range []webhook.Event{payout("in_progress"), payout("success"), payout("success"), payout("in_progress")} {
		req, _ := webhook.NewSignedRequest("whsec_example", e)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		fmt.Println(e.EventType, "->", w.Code)
	}
	// Output:
	// applying payout_1 in_progress
	// in_progress -> 200
	// applying payout_1 success
	// success -> 200
	// success -> 200
	// in_progress -> 200
}

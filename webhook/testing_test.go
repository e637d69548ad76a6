package webhook_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/webhook"
)

func TestNewSignedRequest(t *testing.T) {
	e := webhook.Event{EntityType: webhook.EntityOrders, EventType: webhook.EventOrderPaid,
		Data: json.RawMessage(`{ "id": "order_1", "payment_methods": "bank_transfer", "note": "<b>" }`)}
	r, err := webhook.NewSignedRequest(secret, e)
	require.NoError(t, err)
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	body, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.Equal(t, `{"entity_type":"orders","event_type":"paid","data":{ "id": "order_1", "payment_methods": "bank_transfer", "note": "<b>" }}`,
		string(body), "data is sent byte for byte")
	require.NoError(t, webhook.Verify(secret, body, r.Header.Get(webhook.SignatureHeader)))

	// And a Handler accepts it, receiving the same event.
	r, err = webhook.NewSignedRequest(secret, e)
	require.NoError(t, err)
	rec := &recorder{}
	w := httptest.NewRecorder()
	webhook.Handler(secret, rec.fn).ServeHTTP(w, r)
	require.Equal(t, 200, w.Code)
	assert.Equal(t, e, rec.events[0])
}

func TestNewSignedPayload(t *testing.T) {
	body, sig, err := webhook.NewSignedPayload(secret, webhook.Event{EntityType: "webhook_test", EventType: "test"})
	require.NoError(t, err)
	assert.Equal(t, `{"entity_type":"webhook_test","event_type":"test","data":{}}`, string(body))
	assert.Equal(t, webhook.Sign(secret, body), sig)

	body, _, err = webhook.NewSignedPayload(secret, webhook.Event{EntityType: `we"ird`, EventType: "<x>", Data: json.RawMessage(`null`)})
	require.NoError(t, err)
	e, err := webhook.DecodeEvent(body)
	require.NoError(t, err)
	assert.Equal(t, `we"ird`, e.EntityType)
	assert.Equal(t, "<x>", e.EventType)

	_, _, err = webhook.NewSignedPayload(secret, webhook.Event{EntityType: "a", EventType: "b", Data: json.RawMessage(`{bad`)})
	require.ErrorIs(t, err, webhook.ErrMalformedEvent)
	_, err = webhook.NewSignedRequest(secret, webhook.Event{EntityType: "a", EventType: "b", Data: json.RawMessage(`{bad`)})
	require.ErrorIs(t, err, webhook.ErrMalformedEvent)
}

package webhook_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/webhook"
)

// lostKeys lists the object keys of sent (at any depth) that back lacks,
// ignoring null and zero values (false, 0, "": optional fields are values
// tagged omitzero, which re-encode a zero as absent): what a decode dropped.
func lostKeys(sent, back any, path string) []string {
	var out []string
	switch s := sent.(type) {
	case map[string]any:
		b, _ := back.(map[string]any)
		for k, v := range s {
			if v == nil || v == false || v == 0.0 || v == "" {
				continue
			}
			bv, ok := b[k]
			if !ok {
				out = append(out, path+k)
				continue
			}
			out = append(out, lostKeys(v, bv, path+k+".")...)
		}
	case []any:
		b, _ := back.([]any)
		for i, v := range s {
			if i >= len(b) {
				out = append(out, path+"[]")
				break
			}
			out = append(out, lostKeys(v, b[i], path+"[].")...)
		}
	}
	return out
}

// TestEveryDocumentedPayloadKeepsItsFields is issue 12's bar for webhooks:
// every delivery the docs and API-FACTS document (testdata/events) goes
// through the public API (DecodeEvent, DecodeData) into its named type with
// no error, and re-encoding that value gives back every key it carried.
func TestEveryDocumentedPayloadKeepsItsFields(t *testing.T) {
	files, err := filepath.Glob("testdata/events/*.json")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 14, "one delivery per documented entity type at least")
	seen := map[string]bool{}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			body, err := os.ReadFile(f)
			require.NoError(t, err)
			e, err := webhook.DecodeEvent(body)
			require.NoError(t, err)
			seen[e.EntityType] = true
			assert.True(t, webhook.IsKnown(e.EntityType, e.EventType), "a documented pair")
			v, err := e.DecodeData()
			require.NoError(t, err, "a documented payload decodes without a field error")
			_, raw := v.(json.RawMessage)
			require.False(t, raw, "documented entity types decode into a named type")

			back, err := json.Marshal(v)
			require.NoError(t, err)
			var sent, got any
			require.NoError(t, json.Unmarshal(e.Data, &sent))
			require.NoError(t, json.Unmarshal(back, &got))
			assert.Empty(t, lostKeys(sent, got, ""), "fields lost by %T", v)
			var env struct{ Data json.RawMessage }
			require.NoError(t, json.Unmarshal(body, &env))
			assert.Equal(t, env.Data, e.Data, "the raw data is kept as sent")
		})
	}
	for entity := range knownEntities() {
		assert.True(t, seen[entity], "no documented delivery for entity type %s", entity)
	}
}

func knownEntities() map[string]bool {
	out := map[string]bool{}
	for _, e := range []string{webhook.EntityPayment, webhook.EntityPaymentLink, webhook.EntityOrders, webhook.EntityRefund,
		webhook.EntityPayout, webhook.EntitySettlement, webhook.EntityBeneficiary, webhook.EntityInternalTransfer,
		webhook.EntitySubscription, webhook.EntityVirtualAccount, webhook.EntityBalance, webhook.EntityKYCJourney,
		webhook.EntityMerchant, webhook.EntityWebhookTest} {
		out[e] = true
	}
	return out
}

// TestSpecWebhooksMatchThePackage: openapi.yaml's webhooks section and this
// package agree on the entity types, their known event types and the named
// type each event's data decodes into.
func TestSpecWebhooksMatchThePackage(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../openapi.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, doc.Webhooks, "openapi.yaml has a webhooks section")
	entities := map[string]bool{}
	for name, item := range doc.Webhooks {
		require.NotNil(t, item.Post, name)
		ref := item.Post.RequestBody.Value.Content.Get("application/json").Schema
		event := ref.Value
		require.Contains(t, event.Properties, "entity_type", name)
		entity := event.Properties["entity_type"].Value.Enum[0].(string)
		assert.Equal(t, name, entity, "webhook key is the entity type")
		entities[entity] = true

		var types []string
		for _, v := range event.Properties["event_type"].Value.Extensions["x-glomo-event-types"].([]any) {
			types = append(types, v.(string))
		}
		want := webhook.KnownEventTypes(entity)
		sort.Strings(types)
		sort.Strings(want)
		assert.Equal(t, want, types, "event types of %s", entity)

		dataRef := event.Properties["data"].Ref
		schema := strings.TrimPrefix(dataRef, "#/components/schemas/")
		v, _ := webhook.Event{EntityType: entity, EventType: "x", Data: json.RawMessage(`{}`)}.DecodeData()
		assert.Equal(t, schema, reflect.TypeOf(v).Elem().Name(), "%s data decodes into the type of %s", entity, dataRef)
	}
	assert.Equal(t, knownEntities(), entities)
	assert.True(t, slices.Contains(webhook.KnownEventTypes(webhook.EntityPayout), webhook.EventPayoutQueued))
}

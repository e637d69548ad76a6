package webhook_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/webhook"
)

func TestDecodeEvent(t *testing.T) {
	tests := []struct {
		name, body string
		want       webhook.Event
		err        bool
	}{
		{"payout", `{"entity_type":"payout","event_type":"success","data":{"id":"payout_1"}}`,
			webhook.Event{EntityType: "payout", EventType: "success", Data: json.RawMessage(`{"id":"payout_1"}`)}, false},
		{"unknown types", `{"entity_type":"teleport","event_type":"beamed.up","data":[1,2]}`,
			webhook.Event{EntityType: "teleport", EventType: "beamed.up", Data: json.RawMessage(`[1,2]`)}, false},
		{"extra envelope fields", `{"entity_type":"refund","event_type":"utr.updated","data":{},"api_version":"2026-01"}`,
			webhook.Event{EntityType: "refund", EventType: "utr.updated", Data: json.RawMessage(`{}`)}, false},
		{"no data", `{"entity_type":"webhook_test","event_type":"test"}`,
			webhook.Event{EntityType: "webhook_test", EventType: "test"}, false},
		{"null data", `{"entity_type":"webhook_test","event_type":"test","data":null}`,
			webhook.Event{EntityType: "webhook_test", EventType: "test", Data: json.RawMessage(`null`)}, false},
		{"whitespace", " \n{ \"data\" : { \"id\" : 1 } , \"event_type\":\"x\",\"entity_type\":\"y\"}\n",
			webhook.Event{EntityType: "y", EventType: "x", Data: json.RawMessage(`{ "id" : 1 }`)}, false},

		{"empty body", ``, webhook.Event{}, true},
		{"not JSON", `entity_type=payout`, webhook.Event{}, true},
		{"array", `[{"entity_type":"payout","event_type":"success"}]`, webhook.Event{}, true},
		{"null", `null`, webhook.Event{}, true},
		{"string", `"payout"`, webhook.Event{}, true},
		{"empty object", `{}`, webhook.Event{}, true},
		{"missing event_type", `{"entity_type":"payout","data":{}}`, webhook.Event{}, true},
		{"missing entity_type", `{"event_type":"success","data":{}}`, webhook.Event{}, true},
		{"null entity_type", `{"entity_type":null,"event_type":"success"}`, webhook.Event{}, true},
		{"empty entity_type", `{"entity_type":"","event_type":"success"}`, webhook.Event{}, true},
		{"numeric entity_type", `{"entity_type":7,"event_type":"success"}`, webhook.Event{}, true},
		{"object event_type", `{"entity_type":"payout","event_type":{}}`, webhook.Event{}, true},
		{"trailing garbage", `{"entity_type":"payout","event_type":"success"} x`, webhook.Event{}, true},
		{"truncated", `{"entity_type":"payout","event_type":"succ`, webhook.Event{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := webhook.DecodeEvent([]byte(tt.body))
			if tt.err {
				require.ErrorIs(t, err, webhook.ErrMalformedEvent)
				assert.Equal(t, webhook.Event{}, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestDecodeEventNamesTheProblem: the error says which envelope field is
// wrong and how, so a log line shows what to fix (a null field is missing,
// not "empty").
func TestDecodeEventNamesTheProblem(t *testing.T) {
	for body, want := range map[string]string{
		`{"entity_type":"payout","data":{}}`:                "event_type is missing",
		`{"event_type":"success","data":{}}`:                "entity_type is missing",
		`{"entity_type":null,"event_type":"success"}`:       "entity_type is missing",
		`{"entity_type":"payout","event_type":null}`:        "event_type is missing",
		`{"entity_type":"","event_type":"success"}`:         "entity_type is empty",
		`{"entity_type":7,"event_type":"success"}`:          "entity_type is not a string",
		`{"entity_type":"payout","event_type":{}}`:          "event_type is not a string",
		`{"entity_type":"payout","event_type":"success"} x`: "invalid character",
	} {
		_, err := webhook.DecodeEvent([]byte(body))
		require.ErrorIs(t, err, webhook.ErrMalformedEvent, body)
		assert.Contains(t, err.Error(), want, body)
	}
}

func TestDecodeEventDoesNotAliasInput(t *testing.T) {
	body := []byte(`{"entity_type":"payout","event_type":"success","data":{"id":"payout_1"}}`)
	ev, err := webhook.DecodeEvent(body)
	require.NoError(t, err)
	for i := range body {
		body[i] = 'x'
	}
	assert.JSONEq(t, `{"id":"payout_1"}`, string(ev.Data))
}

func TestDecodeDataTypes(t *testing.T) {
	tests := []struct {
		entity string
		data   string
		want   any
	}{
		{webhook.EntityPayment, `{"id":"payt_1","status":"success","payment_amount":29900,"referral_fee":{"amount":10,"currency":"USD"}}`, &api.PaymentWebhookData{}},
		{webhook.EntityPaymentLink, `{"id":"plink_1","status":"paid"}`, &api.PaymentLinkResponse{}},
		{webhook.EntityOrders, `{"id":"order_1","status":"paid"}`, &api.OrdersWebhookData{}},
		{webhook.EntityRefund, `{"id":"refund_1","status":"success","utr":"UTR1"}`, &api.Refund{}},
		{webhook.EntityPayout, `{"id":"payout_1","status":"success","source_amount":295991,"source_currency":"KWD","amount":295991,"currency":"KWD","beneficiary":{"name":"A","country":"IND"}}`, &api.PayoutWebhookData{}},
		{webhook.EntitySettlement, `{"id":"setl_1","status":"success"}`, &api.Settlement{}},
		{webhook.EntityBeneficiary, `{"id":"bene_1","status":"active"}`, &api.BeneficiaryV2{}},
		{webhook.EntityInternalTransfer, `{"id":"it_1","transfer_amount":100}`, &api.InternalTransfer{}},
		{webhook.EntitySubscription, `{"id":"sub_1","status":"active"}`, &api.Subscription{}},
		{webhook.EntityVirtualAccount, `{"account_id":"va_1","status":"active"}`, &api.VirtualAccount{}},
		{webhook.EntityMerchant, `{"merchant_id":"merch_1","status":"success"}`, &api.Merchant{}},
		{webhook.EntityBalance, `{"payment_id":"payt_1","timestamp":"2026-01-01T00:00:00Z","extra":1}`, &api.BalanceWebhookData{}},
		{webhook.EntityKYCJourney, `{"id":"kyc_1","status":"completed","level":"full"}`, &api.KycJourneyWebhookData{}},
		{webhook.EntityWebhookTest, `{"message":"hello"}`, &api.WebhookTestData{}},
		{"something_new", `{"id":"new_1"}`, json.RawMessage{}},
	}
	for _, tt := range tests {
		t.Run(tt.entity, func(t *testing.T) {
			ev := webhook.Event{EntityType: tt.entity, EventType: "x", Data: json.RawMessage(tt.data)}
			got, err := ev.DecodeData()
			require.NoError(t, err)
			assert.IsType(t, tt.want, got)
			if raw, ok := got.(json.RawMessage); ok {
				assert.Equal(t, tt.data, string(raw))
				return
			}
			// The typed value holds the data: re-encoding it gives back
			// every field that was sent.
			re, err := json.Marshal(got)
			require.NoError(t, err)
			var sent, back map[string]any
			require.NoError(t, json.Unmarshal([]byte(tt.data), &sent))
			require.NoError(t, json.Unmarshal(re, &back))
			for k, v := range sent {
				assert.Equal(t, v, back[k], k)
			}
		})
	}
}

// The orders webhook sends payment_methods as a string and rfi_documents as
// an object, where the API has arrays. api.OrdersWebhookData takes either
// shape, so nothing is lost and nothing fails.
func TestDecodeDataOrdersWebhookShapes(t *testing.T) {
	data := `{"id":"order_1","status":"paid","amount":29900,"currency":"USD",` +
		`"payment_methods":"bank_transfer","rfi_documents":{"name":"invoice","rfi_doc_id":"rfi_1"},` +
		`"created_at":"2026-01-02T03:04:05Z","notes":{"k":"v"}}`
	ev := webhook.Event{EntityType: webhook.EntityOrders, EventType: webhook.EventOrderPaid, Data: json.RawMessage(data)}

	got, err := ev.DecodeData()
	require.NoError(t, err)
	order, ok := got.(*api.OrdersWebhookData)
	require.True(t, ok)
	assert.Equal(t, "order_1", order.Id)
	assert.Equal(t, api.OrdersWebhookDataStatus("paid"), order.Status)
	assert.Equal(t, int64(29900), order.Amount)
	assert.Equal(t, "v", (order.Notes)["k"])
	one, err := order.PaymentMethods.AsOrdersWebhookDataPaymentMethods1()
	require.NoError(t, err)
	assert.Equal(t, "bank_transfer", one)
	doc, err := order.RfiDocuments.AsWebhookRfiDocument()
	require.NoError(t, err)
	assert.Equal(t, "rfi_1", doc.RfiDocId)

	// The API's shape decodes too.
	ev.Data = json.RawMessage(`{"id":"order_2","payment_methods":["card"],"rfi_documents":[{"rfi_document_id":"rfidoc_1","required_document_type":"invoice"}]}`)
	got, err = ev.DecodeData()
	require.NoError(t, err)
	list, err := got.(*api.OrdersWebhookData).PaymentMethods.AsOrdersWebhookDataPaymentMethods0()
	require.NoError(t, err)
	assert.Equal(t, []string{"card"}, list)
}

// A field whose JSON fits no declared shape costs that field only: the
// event survives, the error names the field, the raw bytes stay.
func TestDecodeDataMistypedField(t *testing.T) {
	data := `{"id":"payout_1","status":"success","amount":"29900","currency":"USD","created_at":"2026-01-02T03:04:05Z"}`
	ev := webhook.Event{EntityType: webhook.EntityPayout, EventType: webhook.EventPayoutSuccess, Data: json.RawMessage(data)}
	got, err := ev.DecodeData()
	require.Error(t, err)
	p, ok := got.(*api.PayoutWebhookData)
	require.True(t, ok, "typed value returned even with a decode error")
	assert.Equal(t, "payout_1", p.Id)
	assert.Equal(t, api.USD, p.Currency)
	assert.False(t, p.CreatedAt.IsZero())
	assert.Zero(t, p.Amount)

	var de *webhook.DataError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, webhook.EntityPayout, de.EntityType)
	require.Len(t, de.Fields, 1)
	assert.Equal(t, "amount", de.Fields[0].Field)
	var te *json.UnmarshalTypeError
	assert.ErrorAs(t, err, &te, "the json error stays reachable")
	assert.Contains(t, err.Error(), "payout data did not fully decode")
	assert.Equal(t, data, string(ev.Data))
	assert.Equal(t, "success", ev.State())
}

// A bad timestamp stops encoding/json outright (time.Time's UnmarshalJSON
// fails); the tolerant path must still fill in the fields after it.
func TestDecodeDataBadTimestamp(t *testing.T) {
	ev := webhook.Event{EntityType: webhook.EntityPayout, EventType: "success",
		Data: json.RawMessage(`{"created_at":"yesterday","id":"payout_1","status":"success","source_amount":100}`)}
	p, err := webhook.DataAs[api.Payout](ev)
	var de *webhook.DataError
	require.ErrorAs(t, err, &de)
	require.Len(t, de.Fields, 1)
	assert.Equal(t, "created_at", de.Fields[0].Field)
	assert.Equal(t, "payout_1", p.Id)
	assert.Equal(t, int64(100), p.SourceAmount)
	assert.True(t, p.CreatedAt.IsZero())
}

func TestDecodeDataNotAnObject(t *testing.T) {
	for _, data := range []string{`[1,2]`, `"str"`, `12`, `true`} {
		ev := webhook.Event{EntityType: webhook.EntityPayout, EventType: "success", Data: json.RawMessage(data)}
		got, err := ev.DecodeData()
		var de *webhook.DataError
		require.ErrorAs(t, err, &de, data)
		assert.Empty(t, de.Fields)
		assert.Error(t, de.Err)
		assert.Contains(t, de.Error(), "payout data did not fully decode")
		assert.NotNil(t, got)
		assert.Len(t, de.Unwrap(), 1)
	}
}

func TestDecodeDataEmpty(t *testing.T) {
	for _, data := range []json.RawMessage{nil, json.RawMessage(`null`)} {
		ev := webhook.Event{EntityType: webhook.EntityPayout, EventType: "success", Data: data}
		got, err := ev.DecodeData()
		require.NoError(t, err)
		assert.Equal(t, &api.PayoutWebhookData{}, got)
	}
}

func TestDataAsCustomType(t *testing.T) {
	type balanceCredit struct {
		PaymentID string `json:"payment_id"`
		Amount    int64  `json:"amount"`
	}
	ev := webhook.Event{EntityType: webhook.EntityBalance, EventType: webhook.EventBalanceFundedBalanceCredited,
		Data: json.RawMessage(`{"payment_id":"payt_1","amount":"12","currency":"USD"}`)}
	got, err := webhook.DataAs[balanceCredit](ev)
	var de *webhook.DataError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "payt_1", got.PaymentID)
	assert.Equal(t, "amount", de.Fields[0].Field)
}

func TestDataErrorWithoutFieldsReportsOriginal(t *testing.T) {
	// A duplicate key whose first value is wrong fails the whole decode,
	// but the last value (the one kept) fits.
	ev := webhook.Event{EntityType: webhook.EntityPayout, EventType: "success",
		Data: json.RawMessage(`{"id":7,"id":"payout_1"}`)}
	got, err := webhook.DataAs[api.Payout](ev)
	var de *webhook.DataError
	require.ErrorAs(t, err, &de)
	assert.Empty(t, de.Fields)
	var te *json.UnmarshalTypeError
	assert.True(t, errors.As(err, &te))
	assert.Equal(t, "payout_1", got.Id)
}

func TestKnownEventTypes(t *testing.T) {
	entities := []string{
		webhook.EntityPayment, webhook.EntityPaymentLink, webhook.EntityOrders, webhook.EntityRefund,
		webhook.EntityPayout, webhook.EntitySettlement, webhook.EntityBeneficiary,
		webhook.EntityInternalTransfer, webhook.EntitySubscription, webhook.EntityVirtualAccount,
		webhook.EntityBalance, webhook.EntityKYCJourney, webhook.EntityMerchant, webhook.EntityWebhookTest,
	}
	for _, e := range entities {
		assert.NotEmpty(t, webhook.KnownEventTypes(e), e)
	}
	counts := map[string]int{
		webhook.EntityPayment: 11, webhook.EntityPaymentLink: 7, webhook.EntityOrders: 6, webhook.EntityRefund: 4,
		webhook.EntityPayout: 7, webhook.EntitySettlement: 7, webhook.EntityBeneficiary: 2,
		webhook.EntityInternalTransfer: 1, webhook.EntitySubscription: 12, webhook.EntityVirtualAccount: 3,
		webhook.EntityBalance: 1, webhook.EntityKYCJourney: 8, webhook.EntityMerchant: 5, webhook.EntityWebhookTest: 1,
	}
	for e, n := range counts {
		assert.Len(t, webhook.KnownEventTypes(e), n, e)
	}
	assert.Nil(t, webhook.KnownEventTypes("nope"))

	assert.True(t, webhook.IsKnown(webhook.EntityRefund, webhook.EventRefundUTRUpdated))
	assert.True(t, webhook.IsKnown(webhook.EntityBalance, "balance.funded_balance.credited"))
	assert.True(t, webhook.IsKnown(webhook.EntityWebhookTest, "test"))
	assert.False(t, webhook.IsKnown(webhook.EntityRefund, "paid"))
	assert.False(t, webhook.IsKnown("nope", "success"))

	// The returned slice is a copy.
	l := webhook.KnownEventTypes(webhook.EntityPayout)
	l[0] = "mutated"
	assert.NotEqual(t, "mutated", webhook.KnownEventTypes(webhook.EntityPayout)[0])
}

// TestDataErrorMessage pins the message's shape: the entity type, then the
// whole-data error or each failing field, the first after ": ", the others
// after "; ".
func TestDataErrorMessage(t *testing.T) {
	e1, e2 := errors.New("not a number"), errors.New("not a time")
	for _, tt := range []struct {
		err  *webhook.DataError
		want string
	}{
		{&webhook.DataError{EntityType: "payout"}, "webhook: payout data did not fully decode"},
		{&webhook.DataError{EntityType: "payout", Err: e1}, "webhook: payout data did not fully decode: not a number"},
		{&webhook.DataError{EntityType: "refund", Fields: []webhook.FieldError{{Field: "amount", Err: e1}, {Field: "created_at", Err: e2}}},
			"webhook: refund data did not fully decode: amount: not a number; created_at: not a time"},
	} {
		assert.Equal(t, tt.want, tt.err.Error())
	}
}

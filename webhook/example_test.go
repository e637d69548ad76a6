package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/webhook"
)

func ExampleVerify() {
	body := []byte(`{"entity_type":"payout","event_type":"success","data":{"id":"payout_1","status":"success"}}`)
	sig := webhook.Sign("whsec_example", body) // what Glomo sends in X-Glomopay-Signature

	fmt.Println(webhook.Verify("whsec_example", body, sig))
	fmt.Println(webhook.Verify("whsec_example", body, ""))
	fmt.Println(webhook.Verify("wrong_secret", body, sig))
	// Output:
	// <nil>
	// webhook: missing X-Glomopay-Signature header
	// webhook: signature does not match the body
}

func ExampleVerify_canonical() {
	// Glomo's newer docs sign the RFC 8785 canonical form (sorted keys, no
	// spaces); Verify accepts that when the raw bytes do not match.
	sent := []byte(`{ "event_type": "success", "entity_type": "payout", "data": {} }`)
	sig := webhook.Sign("whsec_example", []byte(`{"data":{},"entity_type":"payout","event_type":"success"}`))
	fmt.Println(webhook.Verify("whsec_example", sent, sig))
	// Output: <nil>
}

func ExampleHandler() {
	h := webhook.Handler("whsec_example", func(ctx context.Context, e webhook.Event) error {
		switch e.EntityType {
		case webhook.EntityPayout:
			data, err := e.DecodeData()
			p := data.(*api.PayoutWebhookData) // always this type for payout events
			if err != nil {
				// Some field did not fit; p holds the rest
				// and e.Data the raw JSON. Log it, don't drop the event.
				fmt.Println("partial decode:", err)
			}
			fmt.Println("payout", p.Id, "is now", p.Status)
		default:
			// Unknown or uninteresting types: acknowledge, or Glomo
			// retries them for days.
			fmt.Println("ignored", e.EntityType, e.EventType)
		}
		return nil
	})

	// In production: http.Handle("/webhooks/glomo", h). Here, a test delivery.
	for _, e := range []webhook.Event{
		{EntityType: webhook.EntityPayout, EventType: webhook.EventPayoutSuccess, Data: json.RawMessage(`{"id":"payout_1","status":"success"}`)},
		{EntityType: webhook.EntityWebhookTest, EventType: webhook.EventWebhookTest},
	} {
		req, _ := webhook.NewSignedRequest("whsec_example", e)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		fmt.Println(w.Code)
	}

	// A forged delivery never reaches the callback.
	req, _ := webhook.NewSignedRequest("not_the_secret", webhook.Event{EntityType: "payout", EventType: "success"})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println(w.Code)
	// Output:
	// payout payout_1 is now success
	// 200
	// ignored webhook_test test
	// 200
	// 401
}

func ExampleEvent_DecodeData() {
	// An orders webhook as really sent: payment_methods is a string here,
	// an array in the API; the webhook type takes either.
	e := webhook.Event{EntityType: webhook.EntityOrders, EventType: webhook.EventOrderPaid,
		Data: json.RawMessage(`{"id":"order_1","amount":29900,"payment_methods":"bank_transfer"}`)}
	data, err := e.DecodeData()
	o := data.(*api.OrdersWebhookData)
	methods, _ := o.PaymentMethods.AsOrdersWebhookDataPaymentMethods1()
	fmt.Println(o.Id, o.Amount, methods, err)
	fmt.Println(e.Status() == "", e.State()) // no data.status: the event type says it
	// Output:
	// order_1 29900 bank_transfer <nil>
	// true paid
}

func ExampleDataAs() {
	e := webhook.Event{EntityType: webhook.EntityRefund, EventType: webhook.EventRefundUTRUpdated,
		Data: json.RawMessage(`{"id":"refund_1","status":"success","utr":"UTR0001"}`)}
	r, err := webhook.DataAs[api.Refund](e)
	fmt.Println(r.Utr, err)
	// Output: UTR0001 <nil>
}

func ExampleDedupeKey() {
	e := webhook.Event{EntityType: "payout", EventType: "success", Data: json.RawMessage(`{"id":"payout_1","status":"success"}`)}
	fmt.Println(webhook.DedupeKey(e))
	b := webhook.Event{EntityType: "balance", EventType: "balance.funded_balance.credited",
		Data: json.RawMessage(`{"payment_id":"payt_1","timestamp":"2026-01-01T00:00:00Z"}`)}
	fmt.Println(webhook.DedupeKey(b))
	// Output:
	// payout|payout_1|success|success
	// balance|payt_1|balance.funded_balance.credited|2026-01-01T00:00:00Z
}

func ExampleShouldApply() {
	stored := "success"
	// A late in_progress delivery must not undo the success.
	fmt.Println(webhook.ShouldApply(webhook.EntityPayout, stored, "in_progress"))
	fmt.Println(webhook.ShouldApply(webhook.EntityPayout, "queued", "in_progress"))
	// Output:
	// false
	// true
}

func ExampleIsTerminal() {
	fmt.Println(webhook.IsTerminal(webhook.EntityPayout, "cancelled"), webhook.IsTerminal(webhook.EntityPayout, "queued"))
	// Output: true false
}

func ExampleSign() {
	fmt.Println(webhook.Sign("key", []byte(`{"a":1}`)))
	// Output: 88a67f24bbcdaed0e6c997404bb79a743baf44c6bab2f4c27328e3009d22e342
}

func ExampleNewSignedPayload() {
	body, sig, _ := webhook.NewSignedPayload("whsec_example", webhook.Event{EntityType: "webhook_test", EventType: "test"})
	fmt.Println(string(body))
	fmt.Println(webhook.Verify("whsec_example", body, sig))
	// Output:
	// {"entity_type":"webhook_test","event_type":"test","data":{}}
	// <nil>
}

func ExampleParse() {
	body := []byte(`{"entity_type":"beneficiary","event_type":"active","data":{"id":"bene_1","status":"active"}}`)
	e, err := webhook.Parse("whsec_example", body, webhook.Sign("whsec_example", body))
	fmt.Println(e.EntityType, e.EventType, e.ID(), e.Status(), err)
	// Output: beneficiary active bene_1 active <nil>
}

// Package mock is a stateful mock of the Glomo API for tests, built from
// glomo-go's openapi.yaml.
//
// Start one per test with NewServer (or Start outside tests) and point the
// SDK at its URL with its Key:
//
//	// in func(t *testing.T)
//	srv := mock.NewServer(t)
//	client, err := wrapper.New(wrapper.WithBaseURL(srv.URL), wrapper.WithAPIKey(srv.Key))
//
// # What comes from the spec
//
// Routes, request validation (openapi3filter; an invalid request is a 400
// in the API's flat {"error","message"} shape naming the field), the id
// prefix of every path parameter (from its pattern) and every response body:
// objects are built from the spec's schemas and examples, then the request's
// fields and the mock's state are overlaid where the schema allows them. A
// new operation in openapi.yaml works without code: POST on a collection
// creates, GET on it lists, GET/PATCH/DELETE on …/{id} read, update and
// delete, a verb under …/{id} acts on the item, anything else answers the
// spec's example.
//
// # The rules (hand-written)
//
//   - Auth: Authorization: Bearer <Key>; missing or wrong key → 401; a
//     publishable key (test_…, live_…) → 401.
//   - Unknown route → 404; wrong id prefix in a path → 400 "Id must start
//     with '<prefix>_'"; well-formed unknown id → 404 "<Entity> not found";
//     request bodies over 1 MiB → 413. GET / answers a short health text.
//   - Creates store the object with a prefixed id, created_at and the
//     API's initial status (payouts queued, refunds in_progress, orders and
//     payment links active, subscriptions created, settlements in_progress,
//     beneficiaries active — pending with WithBeneficiaryReview).
//   - Lists: {data, page_meta{current, previous, next, per_page, pages,
//     count}}, newest first; page, per_page (default 20, max 100, larger
//     clamped), before/after on created_at, and equality filters on any
//     other query parameter (request_id included).
//   - request_id: a repeat creates nothing and answers like the API —
//     payouts 409 "Record already exists"; orders, payments and refunds 400
//     "… already exists for this request_id".
//   - A payout needs an existing, active beneficiary (else 400); with
//     quote_id the amounts, currencies and rail must not be sent. A refund
//     needs an existing payment. Customers are unique by email + country.
//   - Lifecycles move only along legal transitions ("State change not
//     allowed" otherwise): PATCH /v1/payouts/mock {id, status}, PATCH
//     /v1/refunds/{id}/mock_update_status, PATCH /v1/payin/{id}/mock_mark_reviewed
//     (under_review → active), POST /v1/payment/mock (pays an active link or
//     order; amount 6623 or remitter Sanctioned_Entity is a screening hit),
//     PATCH /v1/payment/{id}/mock-funds-available, PATCH
//     /v2/beneficiaries/{id}/mock-review, POST /v1/settlements/mock-trigger,
//     and the cancel, pause and resume verbs.
//   - Every transition emits {entity_type, event_type, data}; with a webhook
//     URL (WithWebhook, SetWebhook) it is POSTed with X-Glomopay-Signature,
//     the lowercase hex HMAC-SHA256 of the raw body (webhook.Sign).
//   - At most DefaultMaxObjects objects per resource (oldest evicted).
//
// # Faults
//
// Fault scripts answers per operation and call count: 429 with Retry-After
// and other statuses, delays, connection resets, commit-then-drop,
// truncated JSON, wrong content type and oversized bodies. Set them with
// WithFaults or AddFault, or over HTTP at /__mock/faults (see cmd/glomo-mock).
package mock

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
// prefix of every path parameter (from its pattern) and the shape of every
// response body. A new operation in openapi.yaml works without code: POST on
// a collection creates, GET on it lists, GET/PATCH/DELETE on …/{id} read,
// update and delete, a verb under …/{id} acts on the item, anything else
// answers the spec's example with the request's fields overlaid.
//
// # Objects are built from the request
//
// A create answers, stores and later lists what was sent: every field the
// request sent comes back unchanged wherever the response schema has a
// place for it (a sent object the response has no property for lends its
// fields, so a v2 beneficiary's {"beneficiary": {"name": …}} answers
// "name"; a list of doc_ ids answers as documents {"id": …}). Server-set
// fields are computed: id, created_at and updated_at (RFC 3339, UTC, with
// microseconds: see TimeLayout), the initial status, and for money the
// fees, rates and amounts (a USD→USD payout's destination_amount is its
// source_amount minus the fees, in USD; see Rate, TxnFee, FXFeeBPS). A
// field nothing determines is null where the schema allows null (so no
// quote_id without a quote, no error_code unless a failure sets one), and
// only otherwise the schema's example.
//
// # Money
//
// The account starts with DefaultBalance in each of DefaultCurrencies, or
// what WithBalance sets. Payouts, withdrawals and settlements debit the
// balance of their source currency, conversions debit one currency and
// credit the other, internal transfers debit it when sent from MerchantID
// and credit it when sent to it, and payments that succeed credit it. A
// payout the balance cannot cover is refused as Glomo refuses it without
// payout queueing: 400, code INSUFFICIENT_BALANCE, "Account has
// insufficient balance to process this transaction. Additional amount
// required: N." — nothing is created. WithPayoutQueueing gives the other
// documented behaviour (every payout accepted queued, released when the
// balance covers it). A payout holds its money until it ends: failed or
// cancelled gives it back. GET /v1/balances and Server.Balances show it.
//
// POST /v1/quotes prices a payout or payin the way a payout of the same
// amounts is priced (Rate, TxnFee, FXFeeBPS), one quote per rail for an INR
// local_transfer (upi, imps, neft, rtgs; the same price on each, since the
// guide gives no per-rail fees) and one otherwise. A quote is single use
// and expires QuoteTTL after it is made. A payout with quote_id takes the
// quote's currencies, amounts, fees and rail and uses the quote up; an
// unknown, expired, used or payin quote is refused with 400 (the wording
// is the mock's: Glomo's guide gives none), and a payout refused for its
// balance leaves its quote usable. A repeat of a quote payout's request_id
// is answered as a repeat (409), before its quote is looked at. An order or
// a payment link with quote_id takes a payin quote the same way: its amount
// and currency are the quote's source side (what the customer pays).
//
// # The rules (hand-written)
//
//   - Auth: Authorization: Bearer <Key>; missing or wrong key → 401; a
//     publishable key (test_…, live_…) → 401.
//   - Unknown route → 404; wrong id prefix in a path → 400 "Id must start
//     with '<prefix>_'"; well-formed unknown id → 404 "<Entity> not found";
//     request bodies over 1 MiB → 413, nested deeper than MaxBodyDepth →
//     400 before validation. GET / answers a short health text.
//   - Initial statuses: payouts in_progress (queued with payout queueing),
//     refunds in_progress, orders and payment links active, subscriptions
//     created, settlements and withdrawals in_progress, conversions
//     success, beneficiaries active (pending with WithBeneficiaryReview).
//   - Lists: {data, page_meta{current, previous, next, per_page, pages,
//     count}}, newest first; page, per_page (default 20, max 100, larger
//     clamped), before/after on created_at (both exclusive, fractional
//     seconds accepted), and equality filters (case-insensitive) on the
//     query parameters named like a property of the items, plus
//     request_id. Every list is served from indexes: O(log n + page).
//   - request_id: a repeat creates nothing and answers like the API —
//     payouts 409 "Record already exists"; orders, payments and refunds 400
//     "… already exists for this request_id".
//   - A payout needs an existing, active beneficiary (else 400); with
//     quote_id the amounts, currencies and rail must not be sent, and the
//     quote must be usable (see Money). A refund
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
//     Deliveries run in the background: Event.Delivery says whether one is
//     over, and Server.WaitForDeliveries waits for all of them.
//   - At most DefaultMaxObjects objects per resource (oldest evicted).
//
// # State
//
// Count, Objects, Object, Put and GET /__mock/state/<name> name resources
// one way (see Resources): "payouts", "customers", "payment_links", ….
// Server.Reset and POST /__mock/reset put the server back to its start.
//
// # Faults
//
// Fault scripts answers per operation and call count: 429 with Retry-After
// and other statuses, delays, connection resets, commit-then-drop,
// truncated JSON, wrong content type and oversized bodies. Set them with
// WithFaults or AddFault, or over HTTP at /__mock/faults (see cmd/glomo-mock).
// Several faults on one operation apply in the order they were added, at
// most one per call (see Fault).
package mock

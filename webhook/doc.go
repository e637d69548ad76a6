// Package webhook verifies, decodes and dispatches the webhooks Glomo sends.
//
// A delivery is a POST whose JSON body is an envelope
// {"entity_type", "event_type", "data"}, where data is a snapshot of the
// object at the time of the event. Glomo signs it with the webhook secret in
// the [SignatureHeader] header. There is no event id, no timestamp header and
// no ordering guarantee, and Glomo treats anything but a 200 within 30 s as a
// failure and redelivers later, so a receiver must:
//
//   - verify the signature before trusting anything in the body, and decode
//     only the bytes that were signed ([Parse], or [VerifiedBody] and
//     [DecodeEvent]; [Verify] alone only says yes or no);
//   - deduplicate, because redeliveries repeat events ([DedupeKey]);
//   - never let a late, non-terminal status overwrite a terminal one
//     ([ShouldApply]);
//   - accept entity and event types it does not know, because Glomo adds them
//     without notice ([Event.DecodeData] returns raw JSON for those).
//
// [Handler] does the first and the last for you and hands each verified
// event to your callback. Deduplication and the status guard need storage:
// call the helpers from your callback, or give the handler a [Store] with
// [WithStore] and it does both, also across replicas.
//
// # Exactly once across a fleet
//
// Behind a load balancer, two replicas can receive the same delivery, and a
// late in_progress can reach one replica after another applied success. A
// [Store] shared by the replicas settles both: the handler claims each
// event (and its object) before calling the callback, marks it done after a
// nil return and releases it after an error, answering 500 so that Glomo
// redelivers. Claims are leased, so a replica that dies mid-event holds it
// only until the lease runs out. [NewMemoryStore] covers one process;
// package webhook/sqlstore keeps the store in PostgreSQL through the
// service's own *sql.DB.
//
// For tests, [NewSignedRequest] builds a delivery exactly as Glomo would
// send it.
package webhook

// Package webhook verifies, decodes and dispatches the webhooks Glomo sends.
//
// A delivery is a POST whose JSON body is an envelope
// {"entity_type", "event_type", "data"}, where data is a snapshot of the
// object at the time of the event. Glomo signs it with the webhook secret in
// the [SignatureHeader] header. There is no event id, no timestamp header and
// no ordering guarantee, and Glomo treats anything but a 200 within 30 s as a
// failure and redelivers later, so a receiver must:
//
//   - verify the signature before trusting anything in the body ([Verify]);
//   - deduplicate, because redeliveries repeat events ([DedupeKey]);
//   - never let a late, non-terminal status overwrite a terminal one
//     ([ShouldApply]);
//   - accept entity and event types it does not know, because Glomo adds them
//     without notice ([Event.DecodeData] returns raw JSON for those).
//
// [Handler] does the first and the last for you and hands each verified
// event to your callback. Deduplication and the status guard need your
// storage, so they are helpers to call from the callback. For tests,
// [NewSignedRequest] builds a delivery exactly as Glomo would send it.
package webhook

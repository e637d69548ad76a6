package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Event is the envelope of one webhook delivery.
//
// Data is kept as the raw JSON Glomo sent, never re-encoded, because webhook
// payloads do not always match the API's schemas (an orders webhook sends
// payment_methods as a string and rfi_documents as an object, where the API
// returns arrays). Decode it on demand with [Event.DecodeData] or [DataAs];
// a field that does not fit the typed value never loses the event.
type Event struct {
	// EntityType names the kind of object in Data, e.g. [EntityPayout].
	EntityType string `json:"entity_type"`
	// EventType names what happened to it, e.g. [EventPayoutSuccess].
	EventType string `json:"event_type"`
	// Data is the object as it was when the event happened.
	Data json.RawMessage `json:"data"`
}

// ErrMalformedEvent is wrapped by the error [DecodeEvent] returns when a
// (correctly signed) body is not an event envelope. Retrying such a delivery
// cannot succeed, which is why [Handler] answers it with 400.
var ErrMalformedEvent = errors.New("webhook: malformed event envelope")

// DecodeEvent decodes a webhook body into its envelope without verifying it;
// call [Verify] first, or use [Parse], which does both.
//
// The body must be a JSON object with string entity_type and event_type. Any
// entity and event type is accepted, known or not, and unknown envelope
// fields are ignored. A missing data is kept as nil. Data is not decoded
// here, so a payload that does not fit the api types never fails this step.
func DecodeEvent(body []byte) (Event, error) {
	var env struct {
		EntityType json.RawMessage `json:"entity_type"`
		EventType  json.RawMessage `json:"event_type"`
		Data       json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrMalformedEvent, err)
	}
	var e Event
	for _, f := range []struct {
		name string
		raw  json.RawMessage
		dst  *string
	}{{"entity_type", env.EntityType, &e.EntityType}, {"event_type", env.EventType, &e.EventType}} {
		if len(f.raw) == 0 || string(f.raw) == "null" {
			return Event{}, fmt.Errorf("%w: %s is missing", ErrMalformedEvent, f.name)
		}
		if err := json.Unmarshal(f.raw, f.dst); err != nil {
			return Event{}, fmt.Errorf("%w: %s is not a string", ErrMalformedEvent, f.name)
		}
		if *f.dst == "" {
			return Event{}, fmt.Errorf("%w: %s is empty", ErrMalformedEvent, f.name)
		}
	}
	// json.RawMessage copies on unmarshal, so Data does not alias body,
	// which the caller may reuse.
	e.Data = env.Data
	return e, nil
}

// Parse verifies body against signatureHeader with [VerifiedBody] and then
// decodes the bytes that were signed with [DecodeEvent], exactly as [Handler]
// does. It is the building block for receivers that do not use Handler
// (other routers, queues that store the raw delivery).
//
// When only the canonical form of body matched, the event is decoded from
// that canonical form, not from body: body may spell a signed number
// differently (29900.0 for 29900), and only the signed spelling is trusted.
func Parse(secret string, body []byte, signatureHeader string) (Event, error) {
	signed, err := VerifiedBody(secret, body, signatureHeader)
	if err != nil {
		return Event{}, err
	}
	return DecodeEvent(signed)
}

// DataError reports that some of an event's data did not fit the typed value
// it was decoded into. It is not fatal: the value returned with it holds
// every field that did fit, and Event.Data still holds the raw JSON.
type DataError struct {
	// EntityType is the event's entity type, naming the target type.
	EntityType string
	// Fields lists the top-level data fields that failed, sorted by name.
	// It is empty when data was not a JSON object at all.
	Fields []FieldError
	// Err is set instead of Fields when data as a whole could not be read.
	Err error
}

// FieldError is one data field that did not fit its typed field.
type FieldError struct {
	// Field is the JSON name of the top-level field in data.
	Field string
	// Err is the decoding error for that field.
	Err error
}

// Error lists the failing fields so a log line shows what to fix.
func (e *DataError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "webhook: %s data did not fully decode", e.EntityType)
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %v", f.Field, f.Err)
	}
	return b.String()
}

// Unwrap exposes the underlying decoding errors to errors.Is and errors.As.
func (e *DataError) Unwrap() []error {
	errs := make([]error, 0, len(e.Fields)+1)
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	for _, f := range e.Fields {
		errs = append(errs, f.Err)
	}
	return errs
}

// DataAs decodes the event's data into a new T with the same tolerance as
// [Event.DecodeData]: the returned pointer is never nil, and a non-nil error
// is a *[DataError] describing the fields that were left unset. Use it when
// you know the type you want, or for a type DecodeData does not map.
func DataAs[T any](e Event) (*T, error) {
	v := new(T)
	if err := decodeTolerant(e.Data, v); err != nil {
		err.EntityType = e.EntityType
		return v, err
	}
	return v, nil
}

// decodeTolerant decodes data into v. encoding/json stops at the first error
// from a field's UnmarshalJSON (time.Time, unions) and leaves the remaining
// fields empty, so on failure it decodes each top-level field on its own and
// keeps whatever fits. Each field is tried on a scratch value first, so one
// that does not fit leaves v untouched (nil, not a half-filled pointer).
func decodeTolerant[T any](data []byte, v *T) *DataError {
	if len(data) == 0 || string(data) == "null" {
		return nil
	}
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	*v = *new(T)
	// Not an object (data as a whole did not fit). fields is never nil
	// after a successful Unmarshal here: "null" fits every T and returned
	// above.
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return &DataError{Err: err}
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	de := &DataError{}
	for _, k := range keys {
		// Cannot fail: each value is JSON the decoder just read.
		one, _ := json.Marshal(map[string]json.RawMessage{k: fields[k]})
		if ferr := json.Unmarshal(one, new(T)); ferr != nil {
			de.Fields = append(de.Fields, FieldError{Field: k, Err: ferr})
			continue
		}
		_ = json.Unmarshal(one, v) // cannot fail: it just succeeded on a fresh T
	}
	if len(de.Fields) == 0 {
		// The whole failed but every part fitted (a duplicate key whose
		// first value was wrong): report the original error rather than
		// claim success.
		de.Err = err
	}
	return de
}

// KnownEventTypes returns the event types Glomo is known to send for
// entityType, or nil for an unknown entity type. It is meant for logging and
// metrics (spotting new types early), not for rejecting deliveries.
func KnownEventTypes(entityType string) []string {
	return slices.Clone(knownEvents[entityType])
}

// IsKnown reports whether the pair is one this package has a constant for.
// An unknown pair is still a valid delivery.
func IsKnown(entityType, eventType string) bool {
	return slices.Contains(knownEvents[entityType], eventType)
}

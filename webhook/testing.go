package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// NewSignedPayload encodes event as Glomo would send it and signs it with
// secret, returning the body and the value for the [SignatureHeader] header.
// Data is embedded verbatim, so tests can send exactly the JSON they need,
// including shapes the api types do not expect.
func NewSignedPayload(secret string, event Event) (body []byte, signature string, err error) {
	data := []byte(event.Data)
	if len(data) == 0 {
		data = []byte("{}")
	}
	if !json.Valid(data) {
		return nil, "", fmt.Errorf("%w: data is not valid JSON", ErrMalformedEvent)
	}
	// Built by hand rather than with json.Marshal, which would compact and
	// HTML-escape Data: the point is to send exactly the bytes given.
	et, _ := json.Marshal(event.EntityType)
	ev, _ := json.Marshal(event.EventType)
	var b bytes.Buffer
	b.WriteString(`{"entity_type":`)
	b.Write(et)
	b.WriteString(`,"event_type":`)
	b.Write(ev)
	b.WriteString(`,"data":`)
	b.Write(data)
	b.WriteString(`}`)
	body = b.Bytes()
	return body, Sign(secret, body), nil
}

// NewSignedRequest returns a POST request carrying event signed with secret,
// ready for a handler's ServeHTTP via httptest.NewRecorder. It lets users test
// their webhook endpoint end to end, signature check included, without
// knowing how Glomo signs. The URL is "/"; set another before sending it
// to a live server.
func NewSignedRequest(secret string, event Event) (*http.Request, error) {
	body, sig, err := NewSignedPayload(secret, event)
	if err != nil {
		return nil, err
	}
	r, err := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(SignatureHeader, sig)
	return r, nil
}

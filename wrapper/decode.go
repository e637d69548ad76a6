package wrapper

import (
	"encoding/json"
	"errors"
	"slices"
)

// errNullBody is the Err of a *DecodeError for a 2xx body of null, which
// json.Unmarshal would accept as a zero object and no error. (A repeated
// member name, which it would decode last-wins, is refused by the api
// types' generated decoders: jsondec.ErrDuplicateName.)
var errNullBody = errors.New("body is null")

// decode turns a 2xx answer into the method's result: a JSON body of one of
// the operation's success statuses, decoded into T. Anything else — another
// status, another content type, null, a repeated key, a body that does not
// fit T — is a *DecodeError keeping the raw body.
func decode[T any](r *request, res result) (*T, error) {
	if !slices.Contains(r.op.success, res.status) || !isJSON(res.header.Get("Content-Type")) {
		return nil, r.decodeError(res, nil)
	}
	if i := skipSpace(res.body, 0); i+4 <= len(res.body) && string(res.body[i:i+4]) == "null" {
		return nil, r.decodeError(res, errNullBody)
	}
	var out T
	if err := unmarshal(res.body, &out); err != nil {
		return nil, r.decodeError(res, err)
	}
	return &out, nil
}

// unmarshal calls a type's own UnmarshalJSON directly: the api types'
// generated decoders (api/decode.gen.go) read the body once, where
// json.Unmarshal would first scan it whole to validate it.
func unmarshal(body []byte, v any) error {
	if u, ok := v.(json.Unmarshaler); ok {
		return u.UnmarshalJSON(body)
	}
	return json.Unmarshal(body, v)
}

func (r *request) decodeError(res result, err error) *DecodeError {
	return &DecodeError{Method: r.method, Path: r.path, StatusCode: res.status, ContentType: res.header.Get("Content-Type"),
		Body: res.body, RequestID: r.requestID, Err: err}
}

// skipSpace and skipString serve the null check above and redact.go's
// scan of error bodies.
func skipSpace[S ~string | ~[]byte](data S, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the offset after the string starting at data[i] ('"'),
// at most len(data): a body cut inside an escape (an error body past
// maxErrorBody) ends there.
func skipString[S ~string | ~[]byte](data S, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return min(i, len(data))
}

package wrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
)

// jsonSpace is JSON's insignificant whitespace.
const jsonSpace = " \t\n\r"

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
	ct := strings.ToLower(res.header.Get("Content-Type"))
	if !slices.Contains(r.op.success, res.status) || !strings.Contains(ct, "json") {
		return nil, r.decodeError(res, nil)
	}
	if bytes.HasPrefix(bytes.TrimLeft(res.body, jsonSpace), []byte("null")) {
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
	return &DecodeError{Method: r.op.method, Path: r.path, StatusCode: res.status, ContentType: res.header.Get("Content-Type"),
		Body: res.body, RequestID: r.requestID, Err: err}
}

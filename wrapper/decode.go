package wrapper

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// errNullBody and errDuplicateKey are the Err of a *DecodeError for a 2xx
// body that json.Unmarshal would accept but that is not an answer: null
// (it would decode to a zero object and no error) and an object repeating a
// key (it would decode last-wins, silently).
var (
	errNullBody = errors.New("body is null")
)

// decode turns a 2xx answer into the method's result: a JSON body of one of
// the operation's success statuses, decoded into T. Anything else — another
// status, another content type, null, a repeated key, a body that does not
// fit T — is a *DecodeError keeping the raw body.
func decode[T any](r *request, res result) (*T, error) {
	if !slices.Contains(r.op.success, res.status) || !isJSON(res.header.Get("Content-Type")) {
		return nil, r.decodeError(res, nil)
	}
	var out T
	if err := unmarshal(res.body, &out); err != nil {
		return nil, r.decodeError(res, err)
	}
	if err := strictJSON(res.body); err != nil {
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

// strictJSON refuses, in a body already known to be valid JSON, a top-level
// null and any object that repeats a key (compared after unescaping). It
// scans the bytes once and allocates only for escaped keys.
func strictJSON(data []byte) error {
	i := skipSpace(data, 0)
	if i+4 <= len(data) && string(data[i:i+4]) == "null" {
		return errNullBody
	}
	var sc keyScanner
	_, err := sc.value(data, i)
	return err
}

// keyScanner walks valid JSON checking objects for repeated keys. keys is a
// stack of the keys of the open objects, reused across them.
type keyScanner struct {
	keys []keySpan
}

// keySpan is a quoted key's offsets; esc: it holds a backslash escape.
type keySpan struct {
	start, end int
	esc        bool
}

func (sc *keyScanner) value(data []byte, i int) (int, error) {
	i = skipSpace(data, i)
	if i >= len(data) {
		return i, nil
	}
	switch data[i] {
	case '{':
		return sc.object(data, i)
	case '[':
		i = skipSpace(data, i+1)
		for i < len(data) && data[i] != ']' {
			var err error
			if i, err = sc.value(data, i); err != nil {
				return i, err
			}
			i = skipSpace(data, i)
			if i < len(data) && data[i] == ',' {
				i = skipSpace(data, i+1)
			}
		}
		return i + 1, nil
	case '"':
		return skipString(data, i), nil
	}
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i, nil
		}
		i++
	}
	return i, nil
}

func (sc *keyScanner) object(data []byte, i int) (int, error) {
	base := len(sc.keys)
	defer func() { sc.keys = sc.keys[:base] }()
	i = skipSpace(data, i+1)
	for i < len(data) && data[i] == '"' {
		k := keySpan{start: i}
		i = skipString(data, i)
		k.end = i
		k.esc = slices.Contains(data[k.start:k.end], '\\')
		for _, p := range sc.keys[base:] {
			if sameKey(data, p, k) {
				return i, fmt.Errorf("key %s repeated in one object", quoteShort(string(data[k.start+1:k.end-1])))
			}
		}
		sc.keys = append(sc.keys, k)
		i = skipSpace(data, i)
		i = skipSpace(data, i+1) // ':'
		var err error
		if i, err = sc.value(data, i); err != nil {
			return i, err
		}
		i = skipSpace(data, i)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return i + 1, nil
}

// sameKey compares two quoted keys, after unescaping when either has an
// escape ("a" and "\u0061" are the same key).
func sameKey(data []byte, a, b keySpan) bool {
	x, y := data[a.start:a.end], data[b.start:b.end]
	if !a.esc && !b.esc {
		return string(x) == string(y)
	}
	var s, t string
	return json.Unmarshal(x, &s) == nil && json.Unmarshal(y, &t) == nil && s == t
}

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

// skipString returns the offset after the string starting at data[i] ('"').
func skipString[S ~string | ~[]byte](data S, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// Package oneof knows the branch types of api/'s oneOf request bodies, for
// the repository's tests and tools that build a request body by reflection:
// a body such as api.CreatePayoutBody is a sealed interface, so it has no
// zero value to send and JSON cannot be decoded into it directly. The table
// (branches.gen.go) is written by internal/cmd/genglue with api/glue.gen.go.
package oneof

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Zero returns a zero value of the first branch of the oneOf body interface
// t, and false when t is not one.
func Zero(t reflect.Type) (reflect.Value, bool) {
	bs := branches[t]
	if len(bs) == 0 {
		return reflect.Value{}, false
	}
	return reflect.ValueOf(bs[0]), true
}

// Decode decodes data into the first branch of t whose fields name every
// member of the object (the branch the body was written for), else into the
// first branch that decodes at all. The value returned is of type t. Members
// are matched against json tags, not with json.Decoder's
// DisallowUnknownFields, which the generated decoders (api/decode.gen.go)
// do not see.
func Decode(t reflect.Type, data []byte) (reflect.Value, error) {
	bs := branches[t]
	if len(bs) == 0 {
		return reflect.Value{}, fmt.Errorf("oneof: %s is not a oneOf request body of api/", t)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return reflect.Value{}, fmt.Errorf("oneof: %s: %w", t, err)
	}
	var loose reflect.Value
	for _, b := range bs {
		p := reflect.New(reflect.TypeOf(b))
		if json.Unmarshal(data, p.Interface()) != nil {
			continue
		}
		if fits(p.Elem().Type(), members) {
			return p.Elem().Convert(t), nil
		}
		if !loose.IsValid() {
			loose = p.Elem()
		}
	}
	if !loose.IsValid() {
		return reflect.Value{}, fmt.Errorf("oneof: no branch of %s decodes %.64q", t, data)
	}
	return loose.Convert(t), nil
}

// fits reports whether struct type st has a json field for every member.
func fits(st reflect.Type, members map[string]json.RawMessage) bool {
	known := map[string]bool{}
	for i := range st.NumField() {
		name, _, _ := strings.Cut(st.Field(i).Tag.Get("json"), ",")
		known[name] = true
	}
	for m := range members {
		if !known[m] {
			return false
		}
	}
	return true
}

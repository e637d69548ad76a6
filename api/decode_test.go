package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	openapi_types "github.com/oapi-codegen/runtime/types"
)

// The generated decoders (decode.gen.go, internal/jsondec) must give what encoding/json
// gives. The reference is encoding/json decoding into a "shadow" of each
// type: the same fields and tags, built with reflect.StructOf, so it has
// none of the generated methods. Values are random, cover every field of
// every model type reachable from the generated client, and are then
// perturbed the ways a real answer differs from a schema: nulls, unknown
// members, values of the wrong kind.

// isModel: t has a generated decoder.
func isModel(t reflect.Type) bool {
	_, ok := decoded[t]
	return ok
}

var decoded = func() map[reflect.Type]bool {
	m := map[reflect.Type]bool{}
	for _, v := range decodedTypes {
		m[reflect.TypeOf(v).Elem()] = true
	}
	return m
}()

// modelTypes: every type api/decode.gen.go has a decoder for.
func modelTypes(t *testing.T) []reflect.Type {
	out := make([]reflect.Type, 0, len(decodedTypes))
	for _, v := range decodedTypes {
		typ := reflect.TypeOf(v).Elem()
		require.Implements(t, (*json.Unmarshaler)(nil), v)
		out = append(out, typ)
	}
	return out
}

// shadow returns t with every model type replaced by a method-less copy.
func shadow(t reflect.Type, memo map[reflect.Type]reflect.Type) reflect.Type {
	if s, ok := memo[t]; ok {
		return s
	}
	var s reflect.Type
	switch {
	case t.Kind() == reflect.Pointer:
		s = reflect.PointerTo(shadow(t.Elem(), memo))
	case t.Kind() == reflect.Slice && t.Name() == "":
		s = reflect.SliceOf(shadow(t.Elem(), memo))
	case t.Kind() == reflect.Map && t.Name() == "":
		s = reflect.MapOf(t.Key(), shadow(t.Elem(), memo))
	case t.Kind() == reflect.Struct && (isModel(t) || t.Name() == ""):
		fields := make([]reflect.StructField, 0, t.NumField())
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			f.Type = shadow(f.Type, memo)
			f.Index, f.Offset = nil, 0
			fields = append(fields, f)
		}
		s = reflect.StructOf(fields)
	default:
		s = t
	}
	memo[t] = s
	return s
}

// filler makes random values; unions (their own UnmarshalJSON, not
// generated) stay zero or nil, as they are decoded by their own code.
type filler struct{ r *rand.Rand }

func (f filler) fill(v reflect.Value, depth int) {
	t := v.Type()
	switch t {
	case reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Unix(f.r.Int64N(4e9), f.r.Int64N(1e9)).UTC()))
		return
	case reflect.TypeFor[openapi_types.Email]():
		v.SetString("ops@example.com")
		return
	case reflect.TypeFor[json.Number]():
		v.SetString([]string{"0", "-1.5", "12345678901234567890", "1e-7", "3.14159"}[f.r.IntN(5)])
		return
	}
	if t.Kind() == reflect.Struct && !isModel(t) && t.Name() != "" {
		return // a union or a runtime type: decoded by its own UnmarshalJSON either way
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString([]string{"payout_1", "", "é\u2028\"\\/\n<tag>", "USD", strings.Repeat("x", 40)}[f.r.IntN(5)])
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt([]int64{0, 1, -29900, math.MaxInt32, 1 << 53}[f.r.IntN(5)] % (1 << (t.Bits() - 1)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(f.r.Float64() * 1000)
	case reflect.Bool:
		v.SetBool(f.r.IntN(2) == 1)
	case reflect.Pointer:
		if depth > 6 || f.r.IntN(6) == 0 {
			return
		}
		p := reflect.New(t.Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		if depth > 6 || f.r.IntN(6) == 0 {
			return
		}
		s := reflect.MakeSlice(t, f.r.IntN(3), 3)
		for i := range s.Len() {
			f.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		if depth > 6 || f.r.IntN(4) == 0 || t.Key().Kind() != reflect.String {
			return
		}
		m := reflect.MakeMap(t)
		for i := range f.r.IntN(3) {
			e := reflect.New(t.Elem()).Elem()
			f.fill(e, depth+1)
			m.SetMapIndex(reflect.ValueOf(fmt.Sprintf("k%d", i)).Convert(t.Key()), e)
		}
		v.Set(m)
	case reflect.Interface:
		if v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(map[string]any{"a": []any{1.5, "x", nil, true}}))
		}
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				f.fill(v.Field(i), depth+1)
			}
		}
	}
}

// perturb rewrites a JSON object the ways real answers differ: a member
// set to null, an unknown member added, a value of the wrong kind.
func perturb(r *rand.Rand, doc any, depth int) any {
	obj, ok := doc.(map[string]any)
	if !ok {
		if arr, ok := doc.([]any); ok {
			for i := range arr {
				arr[i] = perturb(r, arr[i], depth+1)
			}
		}
		return doc
	}
	for k, v := range obj {
		switch r.IntN(8) {
		case 0:
			obj[k] = nil
		case 1:
			obj[k] = map[string]any{"wrong": "kind"}
		default:
			obj[k] = perturb(r, v, depth+1)
		}
	}
	obj["zz_unknown"] = map[string]any{"nested": []any{1, "two", nil, map[string]any{"k": false}}}
	return obj
}

func decodeBoth(t *testing.T, typ reflect.Type, memo map[reflect.Type]reflect.Type, b []byte) (gotJSON, wantJSON string, gotErr, wantErr error) {
	got := reflect.New(typ)
	gotErr = json.Unmarshal(b, got.Interface())
	want := reflect.New(shadow(typ, memo))
	wantErr = json.Unmarshal(b, want.Interface())
	if gotErr != nil || wantErr != nil {
		return "", "", gotErr, wantErr
	}
	g, err := json.Marshal(got.Interface())
	require.NoError(t, err)
	w, err := json.Marshal(want.Interface())
	require.NoError(t, err)
	return string(g), string(w), nil, nil
}

func TestGeneratedDecodersMatchEncodingJSON(t *testing.T) {
	types := modelTypes(t)
	require.Greater(t, len(types), 100)
	memo := map[reflect.Type]reflect.Type{}
	r := rand.New(rand.NewPCG(1, 2))
	cases, perturbed, refused := 0, 0, 0
	for _, typ := range types {
		for range 12 {
			v := reflect.New(typ)
			filler{r}.fill(v.Elem(), 0)
			b, err := json.Marshal(v.Interface())
			require.NoError(t, err, typ.Name())
			g, w, gerr, werr := decodeBoth(t, typ, memo, b)
			require.NoError(t, gerr, "%s: %s", typ.Name(), b)
			require.NoError(t, werr, "%s: %s", typ.Name(), b)
			require.Equal(t, w, g, "%s: %s", typ.Name(), b)
			cases++

			var doc any
			require.NoError(t, json.Unmarshal(b, &doc))
			pb, err := json.Marshal(perturb(r, doc, 0))
			require.NoError(t, err)
			g, w, gerr, werr = decodeBoth(t, typ, memo, pb)
			if werr != nil {
				var te *json.UnmarshalTypeError
				assert.Error(t, gerr, "%s: encoding/json refused %s (%v); the generated decoder must too", typ.Name(), pb, werr)
				if gerr != nil && errors.As(werr, &te) {
					assert.True(t, errors.As(gerr, &te), "%s: a wrong kind is a *json.UnmarshalTypeError: %v", typ.Name(), gerr)
				}
				refused++
				continue
			}
			require.NoError(t, gerr, "%s: %s", typ.Name(), pb)
			require.Equal(t, w, g, "%s: %s", typ.Name(), pb)
			perturbed++
		}
	}
	t.Logf("%d model types: %d random values and %d perturbed ones decoded alike, %d perturbed ones refused by both", len(types), cases, perturbed, refused)
	assert.Positive(t, refused)
	assert.Positive(t, perturbed)
}

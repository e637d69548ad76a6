package jsondec_test

import (
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/go-faster/jx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/internal/jsondec"
)

// The primitives against encoding/json on the edges a schema does not
// show: ranges, fractions, quoted numbers, nulls, trailing bytes. Every
// type's decoder as a whole is compared in api (TestGeneratedDecodersMatchEncodingJSON).

type amount int32

var intInputs = []string{`0`, `-29900`, `2147483647`, `2147483648`, `9223372036854775807`, `9223372036854775808`,
	`-9223372036854775809`, `1.0`, `1e3`, `1E3`, `"12"`, `true`, `null`, `-0`, `012`, `-`, `1.`, `+1`, ` 12 `, `[1]`}

func TestIntMatchesEncodingJSON(t *testing.T) {
	checkInts[amount](t)
	checkInts[int64](t)
}

func checkInts[T int64 | amount](t *testing.T) {
	for _, in := range intInputs {
		var want, got T = 7, 7
		wantErr := json.Unmarshal([]byte(in), &want)
		gotErr := jsondec.Unmarshal([]byte(in), &got, jsondec.Int[T])
		assert.Equal(t, wantErr != nil, gotErr != nil, "%T %s: encoding/json %v, generated %v", got, in, wantErr, gotErr)
		if wantErr == nil {
			assert.Equal(t, want, got, in)
		}
		var te *json.UnmarshalTypeError
		if errors.As(wantErr, &te) {
			assert.ErrorAs(t, gotErr, &te, "%T %s", got, in)
		}
	}
}

func TestTimeMatchesEncodingJSON(t *testing.T) {
	for _, in := range []string{`"2026-12-06T03:04:05Z"`, `"2026-12-06T03:04:05.123456+05:30"`, `"2026-12-06"`,
		`"2026-12-06 03:04:05Z"`, `"2026-13-06T03:04:05Z"`, `null`, `12`, `""`} {
		want, got := time.Unix(7, 0), time.Unix(7, 0)
		wantErr := json.Unmarshal([]byte(in), &want)
		gotErr := jsondec.Unmarshal([]byte(in), &got, jsondec.Time)
		assert.Equal(t, wantErr != nil, gotErr != nil, "%s: encoding/json %v, generated %v", in, wantErr, gotErr)
		if wantErr == nil {
			assert.True(t, want.Equal(got), in)
		}
	}
	// One deliberate difference: time.Time's UnmarshalJSON reads the quoted
	// bytes without unescaping them, so it refuses a timestamp spelt with an
	// escape; the string's value is what counts here.
	var got time.Time
	require.NoError(t, jsondec.Unmarshal([]byte(`"2026-12-06T03:04:05\u005a"`), &got, jsondec.Time))
	assert.Equal(t, time.Date(2026, 12, 6, 3, 4, 5, 0, time.UTC), got)
}

func TestInt64KeepsEveryDigit(t *testing.T) {
	var got int64
	require.NoError(t, jsondec.Unmarshal([]byte(`9007199254740993`), &got, jsondec.Int[int64]))
	assert.Equal(t, int64(9007199254740993), got, "no float64 round trip")
}

func TestNumberKeepsTheText(t *testing.T) {
	for in, want := range map[string]json.Number{`82.123456789012345678`: "82.123456789012345678", `"1.5"`: "1.5", `null`: "keep"} {
		got := json.Number("keep")
		require.NoError(t, jsondec.Unmarshal([]byte(in), &got, jsondec.Number), in)
		assert.Equal(t, want, got, in)
	}
	var n json.Number
	assert.Error(t, jsondec.Unmarshal([]byte(`"abc"`), &n, jsondec.Number), "a quoted non-number is refused, as encoding/json does")
}

func TestNullLeavesValuesAndClearsReferences(t *testing.T) {
	s := "kept"
	require.NoError(t, jsondec.Unmarshal([]byte(`null`), &s, jsondec.Str[string]))
	assert.Equal(t, "kept", s)

	p := &s
	require.NoError(t, jsondec.Unmarshal([]byte(` null `), &p, func(d *jx.Decoder, p **string) error {
		return jsondec.Ptr(d, p, jsondec.Str[string])
	}))
	assert.Nil(t, p)

	list := []string{"a"}
	require.NoError(t, jsondec.Unmarshal([]byte(`null`), &list, func(d *jx.Decoder, p *[]string) error {
		return jsondec.Slice(d, p, jsondec.Str[string])
	}))
	assert.Nil(t, list)

	m := map[string]bool{"a": true}
	require.NoError(t, jsondec.Unmarshal([]byte(`null`), &m, func(d *jx.Decoder, p *map[string]bool) error {
		return jsondec.Map(d, p, jsondec.Bool[bool])
	}))
	assert.Nil(t, m)
}

func TestEmptyArrayIsNotNil(t *testing.T) {
	var list []int64
	require.NoError(t, jsondec.Unmarshal([]byte(`[]`), &list, func(d *jx.Decoder, p *[]int64) error {
		return jsondec.Slice(d, p, jsondec.Int[int64])
	}))
	assert.NotNil(t, list, "[] decodes to an empty slice, as encoding/json's does")
	assert.Empty(t, list)
}

func TestTrailingBytesAreRefused(t *testing.T) {
	var s string
	for _, in := range []string{`"a" "b"`, `"a"}`, `"a",`, `"a" x`} {
		assert.Error(t, jsondec.Unmarshal([]byte(in), &s, jsondec.Str[string]), in)
	}
	assert.NoError(t, jsondec.Unmarshal([]byte(" \"a\"\n\t "), &s, jsondec.Str[string]))
}

type point struct{ X, Y int64 }

func decodePoint(d *jx.Decoder, v *point) error {
	return jsondec.Object(d, v, func(d *jx.Decoder, k []byte) (int, error) {
		switch string(k) {
		case "x":
			return 0, jsondec.Int(d, &v.X)
		case "y":
			return 1, jsondec.Int(d, &v.Y)
		}
		return -1, nil
	})
}

func TestObjectSkipsUnknownAndRefusesWrongKinds(t *testing.T) {
	var p point
	require.NoError(t, jsondec.Unmarshal([]byte(`{"x":1,"extra":{"deep":[1,{"a":null}]},"y":2}`), &p, decodePoint))
	assert.Equal(t, point{1, 2}, p)

	for _, in := range []string{`[1,2]`, `"xy"`, `{"x":"1"}`, `{"x":1`, `{"x":}`} {
		assert.Error(t, jsondec.Unmarshal([]byte(in), &p, decodePoint), in)
	}
}

func TestStdAndUnmarshalerKeepEncodingJSONSemantics(t *testing.T) {
	var v any
	require.NoError(t, jsondec.Unmarshal([]byte(`{"a":[1,"b"]}`), &v, jsondec.Std[any]))
	assert.Equal(t, map[string]any{"a": []any{1.0, "b"}}, v)

	var raw json.RawMessage
	require.NoError(t, jsondec.Unmarshal([]byte(`{"k": [true]}`), &raw, jsondec.Unmarshaler[json.RawMessage]))
	assert.JSONEq(t, `{"k":[true]}`, string(raw))
}

// A repeated name is refused wherever it is: a struct's member, an
// unknown member or inside one, a map's key, an open object handed to
// encoding/json.
func TestRepeatedNamesAreRefusedWhereDecoded(t *testing.T) {
	var p point
	err := jsondec.Unmarshal([]byte(`{"x":1,"y":2,"x":3}`), &p, decodePoint)
	require.ErrorIs(t, err, jsondec.ErrDuplicateName)
	assert.Contains(t, err.Error(), `"x"`)
	for _, in := range []string{`{"x":1,"extra":{"a":1,"a":2},"y":2}`, `{"x":1,"extra":0,"extra":0}`, `{"e":[{"a":[{"b":1,"\u0062":2}]}]}`} {
		assert.ErrorIs(t, jsondec.Unmarshal([]byte(in), &p, decodePoint), jsondec.ErrDuplicateName, in)
	}
	require.NoError(t, jsondec.Unmarshal([]byte(`{"x":1,"extra":{"a":1,"b":[{"a":1},{"a":2}]},"y":2,"more":0}`), &p, decodePoint))
	assert.Equal(t, point{1, 2}, p)

	m := map[string]int64{}
	assert.ErrorIs(t, jsondec.Unmarshal([]byte(`{"a":1,"b":2,"a":1}`), &m, func(d *jx.Decoder, p *map[string]int64) error {
		return jsondec.Map(d, p, jsondec.Int[int64])
	}), jsondec.ErrDuplicateName)

	var open any
	assert.ErrorIs(t, jsondec.Unmarshal([]byte(`[{"k":{"a":1,"a":1}}]`), &open, jsondec.Std[any]), jsondec.ErrDuplicateName)
	require.NoError(t, jsondec.Unmarshal([]byte(`[{"k":{"a":1,"b":1}},{"k":2}]`), &open, jsondec.Std[any]))
}

// A decode keeps no reference to the body it read: the decoder pool must
// not hold a response (up to the client's 10 MiB limit) until the pool is
// cleared. One GC frees it (jx.PutDecoder would keep it as the pooled
// decoder's buffer through the pool's victim cache).
func TestBodyNotRetainedAfterDecode(t *testing.T) {
	body := []byte(`{"x":1,"y":2}` + strings.Repeat(" ", 1<<20))
	var p point
	require.NoError(t, jsondec.Unmarshal(body, &p, decodePoint))
	w := weak.Make(&body[0])
	body = nil
	runtime.GC()
	assert.Nil(t, w.Value(), "the body is still referenced after the decode")
}

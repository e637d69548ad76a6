// Package jsondec holds the primitives the generated decoders in
// api/decode.gen.go are built from (internal/cmd/gendecode writes them).
//
// Why generated decoders: encoding/json finds fields by reflection and was
// 75 % of a list call's CPU; decoding with github.com/go-faster/jx through
// code generated per type is what makes ogen's client fast, without a
// second copy of the types. The semantics are encoding/json's where a
// Glomo answer can tell them apart: unknown members are skipped, null
// leaves a value untouched and sets a pointer, slice or map to nil, an
// integer field refuses a fraction or exponent, and a type with its own
// UnmarshalJSON (unions, dates) gets the raw bytes. Two differences are
// deliberate: member names match exactly (Glomo's are snake_case), not
// case-insensitively; and a timestamp is read from the string's value, so
// one spelt with a JSON escape ("\u005a" for Z) is accepted where
// time.Time's own UnmarshalJSON refuses it.
package jsondec

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"github.com/go-faster/jx"
)

// Func decodes one JSON value into *T.
type Func[T any] func(d *jx.Decoder, p *T) error

// Unmarshal decodes b into v with f and refuses anything after the value
// but whitespace, as json.Unmarshal does.
func Unmarshal[T any](b []byte, v *T, f Func[T]) error {
	d := decoders.Get().(*jx.Decoder)
	d.ResetBytes(b)
	err := f(d, v)
	if err == nil && d.Skip() != io.EOF {
		err = errors.New("json: invalid character after top-level value")
	}
	d.ResetBytes(nil)
	decoders.Put(d)
	return err
}

// decoders is this package's own pool: jx.PutDecoder keeps the last input
// as the decoder's buffer (a whole response body, held until the pool is
// cleared), and emptying it first makes jx allocate a new one.
var decoders = sync.Pool{New: func() any { return new(jx.Decoder) }}

// Null consumes a null and reports whether there was one.
func Null(d *jx.Decoder) (bool, error) {
	if d.Next() != jx.Null {
		return false, nil
	}
	return true, d.Null()
}

// typeError is encoding/json's error for a JSON value of the wrong kind
// (encoding/json goes on with the other fields; these decoders stop at
// the first, and leave Field empty).
func typeError[T any](value string) error {
	return &json.UnmarshalTypeError{Value: value, Type: reflect.TypeFor[T]()}
}

// kindOf names the next value's kind as encoding/json's errors do.
func kindOf(d *jx.Decoder) string {
	switch d.Next() {
	case jx.String:
		return "string"
	case jx.Number:
		return "number"
	case jx.Bool:
		return "bool"
	case jx.Array:
		return "array"
	case jx.Object:
		return "object"
	}
	return "value"
}

// scalar decodes a value of kind into *p with read; null leaves *p as it
// was, any other kind is a *json.UnmarshalTypeError.
func scalar[T any](d *jx.Decoder, p *T, kind jx.Type, read func(*jx.Decoder) (T, error)) error {
	switch d.Next() {
	case kind:
		v, err := read(d)
		if err == nil {
			*p = v
		}
		return err
	case jx.Null:
		return d.Null()
	}
	return typeError[T](kindOf(d))
}

// Str decodes a string (or a named string type, such as an enum).
func Str[T ~string](d *jx.Decoder, p *T) error {
	return scalar(d, p, jx.String, func(d *jx.Decoder) (T, error) {
		s, err := d.Str()
		return T(s), err
	})
}

// Int decodes an integer; like encoding/json it refuses 1.0 and 1e3, and a
// value out of T's range.
func Int[T ~int | ~int8 | ~int16 | ~int32 | ~int64](d *jx.Decoder, p *T) error {
	return scalar(d, p, jx.Number, func(d *jx.Decoder) (T, error) {
		if unsafe.Sizeof(T(0)) == 8 {
			n, err := d.Int64()
			if err != nil {
				return 0, typeError[T]("number")
			}
			return T(n), nil
		}
		raw, err := d.Raw()
		if err != nil {
			return 0, err
		}
		n, err := strconv.ParseInt(string(raw), 10, int(unsafe.Sizeof(T(0)))*8)
		if err != nil {
			return 0, typeError[T]("number " + string(raw[:min(len(raw), 32)]))
		}
		return T(n), nil
	})
}

// Float decodes a number into a float type.
func Float[T ~float32 | ~float64](d *jx.Decoder, p *T) error {
	return scalar(d, p, jx.Number, func(d *jx.Decoder) (T, error) {
		raw, err := d.Raw()
		if err != nil {
			return 0, err
		}
		f, err := strconv.ParseFloat(string(raw), int(unsafe.Sizeof(T(0)))*8)
		if err != nil {
			return 0, typeError[T]("number " + string(raw[:min(len(raw), 32)]))
		}
		return T(f), nil
	})
}

// Bool decodes true or false.
func Bool[T ~bool](d *jx.Decoder, p *T) error {
	return scalar(d, p, jx.Bool, func(d *jx.Decoder) (T, error) {
		b, err := d.Bool()
		return T(b), err
	})
}

// Time decodes an RFC 3339 timestamp as time.Time's UnmarshalJSON does,
// from the string's bytes in place (no copy, no second scan of the value).
func Time(d *jx.Decoder, p *time.Time) error {
	return scalar(d, p, jx.String, func(d *jx.Decoder) (time.Time, error) {
		b, err := d.StrBytes()
		if err != nil {
			return time.Time{}, err
		}
		var t time.Time
		return t, t.UnmarshalText(b)
	})
}

// Number decodes a json.Number keeping the digits as sent; a quoted number
// is accepted as encoding/json accepts it.
func Number(d *jx.Decoder, p *json.Number) error {
	switch d.Next() {
	case jx.Number:
		raw, err := d.Raw()
		*p = json.Number(raw)
		return err
	case jx.Null:
		return d.Null()
	default:
		return Std(d, p)
	}
}

// Ptr decodes into a new *T, or sets nil on null.
func Ptr[T any](d *jx.Decoder, p **T, f Func[T]) error {
	if null, err := Null(d); null || err != nil {
		*p = nil
		return err
	}
	v := new(T)
	*p = v
	return f(d, v)
}

// Slice decodes an array (nil on null).
func Slice[S ~[]T, T any](d *jx.Decoder, p *S, f Func[T]) error {
	switch d.Next() {
	case jx.Null:
		*p = nil
		return d.Null()
	case jx.Array:
	default:
		return typeError[S](kindOf(d))
	}
	s := (*p)[:0]
	// Decode into the slice's own slot: a local T would escape through f
	// and cost an allocation per element.
	var zero T
	err := d.Arr(func(d *jx.Decoder) error {
		s = append(s, zero)
		return f(d, &s[len(s)-1])
	})
	if s == nil {
		s = S{}
	}
	*p = s
	return err
}

// Map decodes an object into a map with string keys (nil on null).
func Map[M ~map[string]T, T any](d *jx.Decoder, p *M, f Func[T]) error {
	switch d.Next() {
	case jx.Null:
		*p = nil
		return d.Null()
	case jx.Object:
	default:
		return typeError[M](kindOf(d))
	}
	if *p == nil {
		*p = M{}
	}
	m := *p
	n := len(m)
	v := new(T) // one per map, not per entry: a local would escape through f
	return d.ObjBytes(func(d *jx.Decoder, k []byte) error {
		var zero T
		*v = zero
		if err := f(d, v); err != nil {
			return err
		}
		m[string(k)] = *v
		if n++; len(m) != n {
			return fmt.Errorf("%w: %q", ErrDuplicateName, k)
		}
		return nil
	})
}

// ErrDuplicateName is the Err of a decode that met a member name twice in
// one object: encoding/json would keep the last value silently, and which
// one the sender meant cannot be known.
var ErrDuplicateName = errors.New("json: member name repeated in one object")

// MaxFields is how many members one struct decoder can tell apart for
// duplicate detection; gendecode refuses a larger struct.
const MaxFields = 128

// Object decodes an object member by member with field, which returns the
// member's index in the struct, or -1 for a name it does not know (the
// value is then skipped). A name met twice in one object, known or not, at
// any depth, is ErrDuplicateName: the check rides along the one pass (a
// bit per known member; a map only for an object that has unknown
// members). null leaves the value as it was.
func Object[T any](d *jx.Decoder, _ *T, field func(d *jx.Decoder, name []byte) (int, error)) error {
	switch d.Next() {
	case jx.Null:
		return d.Null()
	case jx.Object:
	default:
		return typeError[T](kindOf(d))
	}
	var seen [MaxFields / 64]uint64
	var unknown map[string]bool
	return d.ObjBytes(func(d *jx.Decoder, k []byte) error {
		i, err := field(d, k)
		switch {
		case err != nil:
			return err
		case i < 0:
			if unknown[string(k)] {
				return fmt.Errorf("%w: %q", ErrDuplicateName, k)
			}
			if unknown == nil {
				unknown = map[string]bool{}
			}
			unknown[string(k)] = true
			return noDuplicateNames(d)
		case seen[i/64]&(1<<(i%64)) != 0:
			return fmt.Errorf("%w: %q", ErrDuplicateName, k)
		}
		seen[i/64] |= 1 << (i % 64)
		return nil
	})
}

// Unmarshaler hands the raw value (null included, as encoding/json does)
// to T's own UnmarshalJSON.
func Unmarshaler[T any, PT interface {
	*T
	json.Unmarshaler
}](d *jx.Decoder, p *T) error {
	raw, err := d.Raw()
	if err != nil {
		return err
	}
	return PT(p).UnmarshalJSON(raw)
}

// Std decodes the raw value with encoding/json: the fallback for the few
// types the generator does not specialise (interface{} values, types with
// embedded fields).
func Std[T any](d *jx.Decoder, p *T) error {
	raw, err := d.Raw()
	if err != nil {
		return err
	}
	if err := noDuplicateNames(jx.DecodeBytes(raw)); err != nil {
		return err
	}
	return json.Unmarshal(raw, p)
}

// noDuplicateNames walks a value nobody decodes field by field (an unknown
// member, an open object encoding/json is about to decode into
// map[string]any) for a name repeated in one object.
func noDuplicateNames(d *jx.Decoder) error {
	switch d.Next() {
	case jx.Object:
		var names map[string]bool
		return d.ObjBytes(func(d *jx.Decoder, k []byte) error {
			if names[string(k)] {
				return fmt.Errorf("%w: %q", ErrDuplicateName, k)
			}
			if names == nil {
				names = map[string]bool{}
			}
			names[string(k)] = true
			return noDuplicateNames(d)
		})
	case jx.Array:
		return d.Arr(noDuplicateNames)
	}
	return d.Skip()
}

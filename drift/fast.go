package drift

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// fast is a small JSON Schema 2020-12 validator for the keywords
// openapi.yaml uses, compiled once per response schema. A schema that uses
// any other assertion keyword is not compiled here; Check then uses the
// general validator (santhosh-tekuri/jsonschema) for it instead. Formats are
// annotations, as in 2020-12 by default.

type jtype uint8

const (
	tNull jtype = 1 << iota
	tBool
	tInteger
	tNumber
	tString
	tArray
	tObject
)

type node struct {
	types       jtype // 0: any
	enum        []any
	hasConst    bool
	constV      any
	props       map[string]*node
	required    []string
	additional  *node
	noAdditonal bool
	items       *node
	minItems    int
	maxItems    int // -1: none
	minLen      int
	maxLen      int // -1: none
	minProps    int
	maxProps    int // -1: none
	pattern     *regexp.Regexp
	min, max    *float64
	exMin       *float64
	exMax       *float64
	multipleOf  float64
	allOf       []*node
	anyOf       []*node
	oneOf       []*node
	not         *node
	uniqueItems bool
	falseSchema bool
	ref         *node
}

var errUnsupported = errors.New("schema uses a keyword the fast validator does not implement")

// ignored keywords: annotations and containers that do not assert anything.
var ignored = map[string]bool{
	"description": true, "example": true, "examples": true, "readOnly": true, "writeOnly": true,
	"format": true, "title": true, "default": true, "deprecated": true, "discriminator": true,
	"xml": true, "externalDocs": true, "contentMediaType": true, "contentEncoding": true,
	"contentSchema": true, "$comment": true, "$schema": true, "$defs": true, "definitions": true,
	"$anchor": true,
}

type fastCompiler struct {
	root  map[string]any
	cache map[string]*node
}

func (fc *fastCompiler) compilePtr(ptr string) (*node, error) {
	if n, ok := fc.cache[ptr]; ok {
		return n, nil
	}
	n := &node{}
	fc.cache[ptr] = n // before compiling: recursive refs resolve to it
	v := lookup(fc.root, ptr)
	if v == nil {
		return nil, fmt.Errorf("%s: not found", ptr)
	}
	if err := fc.fill(n, v, ptr); err != nil {
		return nil, err
	}
	return n, nil
}

func (fc *fastCompiler) sub(v any, ptr string) (*node, error) {
	n := &node{}
	if err := fc.fill(n, v, ptr); err != nil {
		return nil, err
	}
	return n, nil
}

func num(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case interface{ Float64() (float64, error) }:
		f, err := t.Float64()
		return f, err == nil
	}
	return 0, false
}

func normJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = normJSON(e)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, e := range t {
			s[i] = normJSON(e)
		}
		return s
	}
	if f, ok := num(v); ok {
		return f
	}
	return v
}

func (fc *fastCompiler) fill(n *node, v any, ptr string) error {
	n.maxItems, n.maxLen, n.maxProps = -1, -1, -1
	switch t := v.(type) {
	case bool:
		n.falseSchema = !t
		return nil
	case map[string]any:
		for k, kv := range t {
			if ignored[k] || strings.HasPrefix(k, "x-") {
				continue
			}
			var err error
			switch k {
			case "$ref":
				ref, _ := kv.(string)
				if !strings.HasPrefix(ref, "#/") && ref != "#" {
					return errUnsupported
				}
				n.ref, err = fc.compilePtr(strings.TrimPrefix(ref, "#"))
			case "type":
				switch tt := kv.(type) {
				case string:
					n.types |= typeBit(tt)
				case []any:
					for _, e := range tt {
						s, _ := e.(string)
						n.types |= typeBit(s)
					}
				}
				if n.types&tNumber != 0 {
					n.types |= tInteger
				}
			case "enum":
				arr, _ := kv.([]any)
				n.enum = make([]any, len(arr))
				for i, e := range arr {
					n.enum[i] = normJSON(e)
				}
				if n.enum == nil {
					n.enum = []any{}
				}
			case "const":
				n.hasConst, n.constV = true, normJSON(kv)
			case "properties":
				props, _ := kv.(map[string]any)
				n.props = make(map[string]*node, len(props))
				for name, ps := range props {
					if n.props[name], err = fc.sub(ps, ptr+"/properties/"+escape(name)); err != nil {
						return err
					}
				}
			case "required":
				arr, _ := kv.([]any)
				for _, e := range arr {
					if s, ok := e.(string); ok {
						n.required = append(n.required, s)
					}
				}
			case "additionalProperties":
				if b, ok := kv.(bool); ok {
					n.noAdditonal = !b
				} else if n.additional, err = fc.sub(kv, ptr+"/additionalProperties"); err != nil {
					return err
				}
			case "items":
				if _, ok := kv.([]any); ok {
					return errUnsupported
				}
				n.items, err = fc.sub(kv, ptr+"/items")
			case "minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties":
				f, ok := num(kv)
				if !ok {
					return errUnsupported
				}
				i := int(f)
				switch k {
				case "minItems":
					n.minItems = i
				case "maxItems":
					n.maxItems = i
				case "minLength":
					n.minLen = i
				case "maxLength":
					n.maxLen = i
				case "minProperties":
					n.minProps = i
				case "maxProperties":
					n.maxProps = i
				}
			case "pattern":
				s, _ := kv.(string)
				if n.pattern, err = regexp.Compile(s); err != nil {
					return errUnsupported
				}
			case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
				f, ok := num(kv)
				if !ok {
					return errUnsupported
				}
				switch k {
				case "minimum":
					n.min = &f
				case "maximum":
					n.max = &f
				case "exclusiveMinimum":
					n.exMin = &f
				case "exclusiveMaximum":
					n.exMax = &f
				case "multipleOf":
					n.multipleOf = f
				}
			case "uniqueItems":
				n.uniqueItems, _ = kv.(bool)
			case "allOf", "anyOf", "oneOf":
				arr, _ := kv.([]any)
				list := make([]*node, len(arr))
				for i, e := range arr {
					if list[i], err = fc.sub(e, ptr+"/"+k+"/"+strconv.Itoa(i)); err != nil {
						return err
					}
				}
				switch k {
				case "allOf":
					n.allOf = list
				case "anyOf":
					n.anyOf = list
				default:
					n.oneOf = list
				}
			case "not":
				n.not, err = fc.sub(kv, ptr+"/not")
			default:
				return errUnsupported
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	return errUnsupported
}

func typeBit(s string) jtype {
	switch s {
	case "null":
		return tNull
	case "boolean":
		return tBool
	case "integer":
		return tInteger
	case "number":
		return tNumber
	case "string":
		return tString
	case "array":
		return tArray
	case "object":
		return tObject
	}
	return 0
}

func typeOf(v any) jtype {
	switch t := v.(type) {
	case nil:
		return tNull
	case bool:
		return tBool
	case float64:
		if t == math.Trunc(t) && !math.IsInf(t, 0) {
			return tInteger
		}
		return tNumber
	case string:
		return tString
	case []any:
		return tArray
	case map[string]any:
		return tObject
	}
	return 0
}

var typeNames = []string{"null", "boolean", "integer", "number", "string", "array", "object"}

func typeName(t jtype) string {
	for i, n := range typeNames {
		if t&(1<<i) != 0 {
			return n
		}
	}
	return "unknown"
}

type vErr struct {
	path   []string
	reason string
}

func (e *vErr) Error() string {
	return "at /" + strings.Join(e.path, "/") + ": " + e.reason
}

func fail(path []string, format string, args ...any) *vErr {
	return &vErr{path: append([]string(nil), path...), reason: fmt.Sprintf(format, args...)}
}

// validate checks v (decoded by encoding/json into any) against n.
func (n *node) validate(v any, path []string) *vErr {
	if n.falseSchema {
		return fail(path, "no value is allowed here")
	}
	if n.ref != nil {
		if err := n.ref.validate(v, path); err != nil {
			return err
		}
	}
	vt := typeOf(v)
	if n.types != 0 && n.types&vt == 0 {
		return fail(path, "got %s, want %s", typeName(vt), strings.Join(n.typeList(), " or "))
	}
	if n.enum != nil && !inEnum(n.enum, v) {
		return fail(path, "value %v is not one of the allowed values", short(v))
	}
	if n.hasConst && !reflect.DeepEqual(n.constV, v) {
		return fail(path, "value %v is not the constant", short(v))
	}
	switch t := v.(type) {
	case string:
		if n.minLen > 0 || n.maxLen >= 0 {
			l := len([]rune(t))
			if l < n.minLen {
				return fail(path, "string shorter than %d", n.minLen)
			}
			if n.maxLen >= 0 && l > n.maxLen {
				return fail(path, "string longer than %d", n.maxLen)
			}
		}
		if n.pattern != nil && !n.pattern.MatchString(t) {
			return fail(path, "string %q does not match %s", t, n.pattern)
		}
	case float64:
		switch {
		case n.min != nil && t < *n.min:
			return fail(path, "%v is less than %v", t, *n.min)
		case n.max != nil && t > *n.max:
			return fail(path, "%v is more than %v", t, *n.max)
		case n.exMin != nil && t <= *n.exMin:
			return fail(path, "%v is not more than %v", t, *n.exMin)
		case n.exMax != nil && t >= *n.exMax:
			return fail(path, "%v is not less than %v", t, *n.exMax)
		case n.multipleOf > 0 && math.Abs(math.Remainder(t, n.multipleOf)) > 1e-9:
			return fail(path, "%v is not a multiple of %v", t, n.multipleOf)
		}
	case []any:
		if len(t) < n.minItems || (n.maxItems >= 0 && len(t) > n.maxItems) {
			return fail(path, "%d items, outside [%d, %d]", len(t), n.minItems, n.maxItems)
		}
		if n.items != nil {
			for i, e := range t {
				if err := n.items.validate(e, append(path, strconv.Itoa(i))); err != nil {
					return err
				}
			}
		}
		if n.uniqueItems {
			for i := range t {
				for j := i + 1; j < len(t); j++ {
					if reflect.DeepEqual(t[i], t[j]) {
						return fail(path, "items %d and %d are equal", i, j)
					}
				}
			}
		}
	case map[string]any:
		if len(t) < n.minProps || (n.maxProps >= 0 && len(t) > n.maxProps) {
			return fail(path, "%d properties, outside [%d, %d]", len(t), n.minProps, n.maxProps)
		}
		for _, r := range n.required {
			if _, ok := t[r]; !ok {
				return fail(path, "missing required property %q", r)
			}
		}
		for k, e := range t {
			if p, ok := n.props[k]; ok {
				if err := p.validate(e, append(path, k)); err != nil {
					return err
				}
				continue
			}
			if n.noAdditonal {
				return fail(path, "property %q is not allowed", k)
			}
			if n.additional != nil {
				if err := n.additional.validate(e, append(path, k)); err != nil {
					return err
				}
			}
		}
	}
	for _, s := range n.allOf {
		if err := s.validate(v, path); err != nil {
			return err
		}
	}
	if n.anyOf != nil {
		var first *vErr
		ok := false
		for _, s := range n.anyOf {
			if err := s.validate(v, path); err == nil {
				ok = true
				break
			} else if first == nil {
				first = err
			}
		}
		if !ok {
			return fail(path, "matches none of anyOf (first: %v)", first)
		}
	}
	if n.oneOf != nil {
		matched := 0
		var first *vErr
		for _, s := range n.oneOf {
			if err := s.validate(v, path); err == nil {
				matched++
			} else if first == nil {
				first = err
			}
		}
		if matched == 0 {
			return fail(path, "matches none of oneOf (first: %v)", first)
		}
		if matched > 1 {
			return fail(path, "matches %d branches of oneOf, want exactly one", matched)
		}
	}
	if n.not != nil && n.not.validate(v, path) == nil {
		return fail(path, "matches a schema it must not match")
	}
	return nil
}

func (n *node) typeList() []string {
	var out []string
	for i, name := range typeNames {
		if n.types&(1<<i) != 0 && !(name == "integer" && n.types&tNumber != 0) {
			out = append(out, name)
		}
	}
	return out
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		switch ev := e.(type) {
		case string:
			if s, ok := v.(string); ok && s == ev {
				return true
			}
		case float64:
			if f, ok := v.(float64); ok && f == ev {
				return true
			}
		case nil:
			if v == nil {
				return true
			}
		case bool:
			if b, ok := v.(bool); ok && b == ev {
				return true
			}
		default:
			if reflect.DeepEqual(e, v) {
				return true
			}
		}
	}
	return false
}

func short(v any) string {
	s := fmt.Sprintf("%#v", v)
	if s2, ok := v.(string); ok {
		s = strconv.Quote(s2)
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

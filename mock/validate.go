package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// describe turns a request validation error into one line that names the
// offending field: "<field>: <reason>", the field being a query or path
// parameter name, or a dotted path into the body.
func describe(err error) string {
	if me, ok := err.(openapi3.MultiError); ok && len(me) > 0 {
		return describe(me[0])
	}
	field, msg := "", err.Error()
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		switch {
		case re.Parameter != nil:
			field = re.Parameter.Name
		case re.RequestBody != nil:
			field = "body"
		}
		switch {
		case re.Err != nil:
			msg = re.Err.Error()
		case re.Reason != "":
			msg = re.Reason
		}
	}
	ptr := ""
	var se *openapi3.SchemaError
	if errors.As(err, &se) && len(se.JSONPointer()) > 0 && se.Reason != "" {
		ptr, msg = strings.Join(se.JSONPointer(), "."), se.Reason
	}
	lines := strings.Split(msg, "\n")
	msg = lines[0]
	if strings.Contains(msg, "validation failed with") {
		for _, l := range lines[1:] {
			if ptrRE.MatchString(l) {
				msg = strings.TrimLeft(strings.TrimSpace(l), "- ")
				break
			}
		}
	}
	for strings.Contains(msg, "doesn't match schema due to: ") {
		_, msg, _ = strings.Cut(msg, "doesn't match schema due to: ")
	}
	for {
		loc := ptrRE.FindStringSubmatchIndex(msg)
		if loc == nil {
			break
		}
		if p := strings.Trim(msg[loc[2]:loc[3]], "/"); p != "" {
			ptr = strings.ReplaceAll(p, "/", ".")
		}
		msg = msg[loc[1]:]
	}
	if ptr != "" {
		if field == "" || field == "body" {
			field = ptr
		} else {
			field += "." + ptr
		}
	}
	if strings.Contains(msg, "Value is not nullable") && (field == "body" || field == "") {
		field, msg = "body", "must be a JSON object"
	}
	if m := missingRE.FindStringSubmatch(msg); m != nil && (field == "" || field == "body") {
		field = m[1] + m[2]
	}
	msg = strings.TrimSpace(msg)
	if field == "" || strings.HasPrefix(msg, field) {
		return msg
	}
	return field + ": " + msg
}

var missingRE = regexp.MustCompile(`missing property '([^']+)'|property "([^"]+)" is missing`)

var ptrRE = regexp.MustCompile(`(?i)(?:error )?at ["']([^"']*)["']:\s*`)

// jsonMedia is op's JSON request body media type when the request sends
// JSON (or no Content-Type), else nil.
func jsonMedia(op *opInfo, r *http.Request) *openapi3.MediaType {
	rb := op.op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "json") {
		return nil
	}
	if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
		return mt
	}
	return nil
}

// validateJSONBody checks a JSON request body against its schema with
// kin-openapi's own validator. openapi3filter validates an OpenAPI 3.1
// body by compiling the schema into a JSON Schema 2020-12 validator on
// every request, which cost most of a create's time; the errors here have
// the same shape (a RequestError around a SchemaError), so describe names
// the field the same way.
func validateJSONBody(rb *openapi3.RequestBody, mt *openapi3.MediaType, body []byte) error {
	fail := func(reason string, err error) error {
		return &openapi3filter.RequestError{RequestBody: rb, Reason: reason, Err: err}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if rb.Required {
			return fail("value is required but missing", nil)
		}
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fail("body is not valid JSON", nil)
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		if me, ok := err.(openapi3.MultiError); ok && len(me) > 0 {
			err = me[0]
		}
		return fail("doesn't match schema", err)
	}
	return nil
}

// tooDeep reports whether the JSON text b opens more than max objects or
// arrays inside one another. It only counts brackets outside strings; the
// validator judges everything else.
func tooDeep(b []byte, max int) bool {
	depth, inStr, esc := 0, false, false
	for _, c := range b {
		switch {
		case esc:
			esc = false
		case inStr:
			switch c {
			case '\\':
				esc = true
			case '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			if depth++; depth > max {
				return true
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return false
}

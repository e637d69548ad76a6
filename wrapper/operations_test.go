package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/internal/oneof"
	"github.com/glomo-go/glomo-go/internal/specmodel"
)

// notOperations are the hand-written methods of *Client.
var notOperations = map[string]bool{"API": true, "BaseURL": true, "String": true, "Format": true, "LogValue": true}

// callAll calls every generated operation method with zero arguments.
func callAll(t *testing.T, c *Client, each func(name string, out []reflect.Value)) int {
	t.Helper()
	v := reflect.ValueOf(c)
	n := 0
	for i := 0; i < v.NumMethod(); i++ {
		m := v.Type().Method(i)
		if notOperations[m.Name] || strings.HasSuffix(m.Name, "Iter") {
			continue
		}
		ft := m.Type
		args := []reflect.Value{reflect.ValueOf(t.Context())}
		for j := 2; j < ft.NumIn(); j++ { // receiver, ctx
			if ft.IsVariadic() && j == ft.NumIn()-1 {
				break
			}
			args = append(args, arg(t, ft.In(j)))
		}
		each(m.Name, v.Method(i).Call(args))
		n++
	}
	return n
}

func TestEveryOperationDecodesAndFails(t *testing.T) {
	m, err := specmodel.Default()
	require.NoError(t, err)
	var mode atomic.Value // "ok-object", "ok-array", "error", "text"
	mode.Store("ok-object")
	f := newFake(t, func(_ int, r *http.Request, _ []byte) reply {
		op := m.Match(r.Method, strings.TrimPrefix(r.URL.Path, "/api"))
		if op == nil {
			return reply{status: 599, body: `{"error":"no such operation"}`}
		}
		success := op.JSONSuccess[0]
		switch mode.Load() {
		case "error":
			return reply{status: 404, body: `{"error":"Not Found"}`}
		case "text":
			return reply{status: success, body: "ok", header: map[string]string{"Content-Type": "text/plain"}}
		case "ok-array":
			return reply{status: success, body: `[]`}
		}
		return reply{status: success, body: `{}`}
	})
	h := newHarness(t, f, WithMaxRetries(0))

	n := callAll(t, h.c, func(name string, out []reflect.Value) {
		err, _ := out[1].Interface().(error)
		var de *DecodeError
		if errors.As(err, &de) {
			mode.Store("ok-array")
			defer mode.Store("ok-object")
			out = callOne(t, h.c, name)
			err, _ = out[1].Interface().(error)
		}
		require.NoError(t, err, name)
		assert.False(t, out[0].IsNil(), name)
	})
	assert.Equal(t, len(m.Ops), n, "one method per operation of the description")

	mode.Store("error")
	callAll(t, h.c, func(name string, out []reflect.Value) {
		err, _ := out[1].Interface().(error)
		assert.True(t, IsNotFound(err), "%s: %v", name, err)
		assert.True(t, out[0].IsNil(), name)
	})

	mode.Store("text")
	callAll(t, h.c, func(name string, out []reflect.Value) {
		err, _ := out[1].Interface().(error)
		assert.ErrorIs(t, err, ErrDecode, name)
		assert.True(t, out[0].IsNil(), name)
	})
}

// arg is a placeholder argument: "x1" for path parameters, a branch value
// for a oneOf body (a nil one is refused before sending, ErrEmptyBody), zero
// otherwise.
func arg(t *testing.T, typ reflect.Type) reflect.Value {
	if typ.Kind() == reflect.String {
		return reflect.ValueOf("x1").Convert(typ)
	}
	if b, ok := oneof.Zero(typ); ok {
		return b
	}
	return reflect.Zero(typ)
}

func callOne(t *testing.T, c *Client, name string) []reflect.Value {
	m := reflect.ValueOf(c).MethodByName(name)
	ft := m.Type()
	args := []reflect.Value{reflect.ValueOf(t.Context())}
	for j := 1; j < ft.NumIn()-1; j++ {
		args = append(args, arg(t, ft.In(j)))
	}
	return m.Call(args)
}

func TestEveryListOperationIterates(t *testing.T) {
	m, err := specmodel.Default()
	require.NoError(t, err)
	var fail atomic.Bool
	f := newFake(t, func(_ int, r *http.Request, _ []byte) reply {
		if fail.Load() {
			return reply{status: 404, body: `{"error":"Not Found"}`}
		}
		q := r.URL.Query()
		if q.Get("per_page") != "100" || q.Get("page") != "1" {
			return reply{status: 400, body: fmt.Sprintf(`{"error":"bad paging %s"}`, r.URL.RawQuery)}
		}
		return reply{body: `{"data":[{},{}],"page_meta":{"current":1,"next":null}}`}
	})
	h := newHarness(t, f, WithMaxRetries(0))
	v := reflect.ValueOf(h.c)
	lists := 0
	for _, op := range m.Ops {
		if op.List {
			lists++
		}
	}
	iters := 0
	for i := 0; i < v.NumMethod(); i++ {
		name := v.Type().Method(i).Name
		if !strings.HasSuffix(name, "Iter") {
			continue
		}
		iters++
		for _, failing := range []bool{false, true} {
			fail.Store(failing)
			seq := callOne(t, h.c, name)[0]
			items, errs := 0, 0
			yield := reflect.MakeFunc(seq.Type().In(0), func(in []reflect.Value) []reflect.Value {
				if e, _ := in[1].Interface().(error); e != nil {
					errs++
				} else {
					items++
				}
				return []reflect.Value{reflect.ValueOf(true)}
			})
			seq.Call([]reflect.Value{yield})
			if failing {
				assert.Equal(t, 0, items, name)
				assert.Equal(t, 1, errs, name)
			} else {
				assert.Equal(t, 2, items, name)
				assert.Equal(t, 0, errs, name)
			}
		}
	}
	assert.Equal(t, lists, iters, "an iterator per list operation")
}

// TestMetaOperationComments checks that operations.gen.go carries a
// //meta:operation line for every operation of the description.
func TestMetaOperationComments(t *testing.T) {
	m, err := specmodel.Default()
	require.NoError(t, err)
	src, err := os.ReadFile("operations.gen.go")
	require.NoError(t, err)
	for _, op := range m.Ops {
		assert.Contains(t, string(src), "//meta:operation "+op.Method+" "+op.Path+"\n", op.ID)
	}
	_ = context.Background
}

// TestDescriptorsAreTheSpecModels: every generated descriptor states what
// the spec model derives, so nothing has to be parsed at run time.
func TestDescriptorsAreTheSpecModels(t *testing.T) {
	m, err := specmodel.Default()
	require.NoError(t, err)
	require.Len(t, operations, len(m.Ops))
	for i, so := range m.Ops {
		op := operations[i]
		assert.Equal(t, so.ID, op.id)
		assert.Equal(t, so.Method, op.method, so.ID)
		assert.Equal(t, so.Path, op.path, so.ID)
		assert.Equal(t, so.Idempotent, op.idempotent, so.ID)
		assert.Equal(t, so.JSONSuccess, op.success, so.ID)
		if so.Lookup == nil {
			assert.Nil(t, op.lookup, so.ID)
		} else {
			require.NotNil(t, op.lookup, so.ID)
			assert.Equal(t, so.Lookup.ID, op.lookup.id, so.ID)
		}
	}
}

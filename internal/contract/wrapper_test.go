package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glomo-go/glomo-go/drift"
	"github.com/glomo-go/glomo-go/internal/contract"
	"github.com/glomo-go/glomo-go/internal/oneof"
	"github.com/glomo-go/glomo-go/wrapper"
)

// recorder keeps the raw responses the wrapper received, so the contract
// test can validate exactly what came over the wire.
type recorder struct {
	mu   sync.Mutex
	next http.RoundTripper
	last []*contract.Response
}

func (rc *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := rc.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	rc.mu.Lock()
	rc.last = append(rc.last, &contract.Response{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: b, Request: req})
	rc.mu.Unlock()
	return resp, nil
}

func (rc *recorder) take() []*contract.Response {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := rc.last
	rc.last = nil
	return out
}

// wrapperCaller calls each operation through the typed wrapper.Client
// where it has a method for it (the body decoded into the method's typed
// body, query parameters into its params struct), with the drift detector
// on; anything else goes to fallback (the generated client).
func wrapperCaller(t testing.TB, baseURL, key string, fallback contract.Caller, findings *[]drift.Finding) contract.Caller {
	rec := &recorder{next: http.DefaultTransport}
	var fmu sync.Mutex
	det, err := drift.NewDetector(func(f drift.Finding) {
		fmu.Lock()
		*findings = append(*findings, f)
		fmu.Unlock()
	})
	if err != nil {
		t.Fatalf("drift.NewDetector: %v", err)
	}
	wc, err := wrapper.New(
		wrapper.WithAPIKey(key),
		wrapper.WithBaseURL(baseURL),
		wrapper.WithHTTPClient(&http.Client{Transport: rec, Timeout: 10 * time.Second}),
		wrapper.WithResponseValidator(det),
	)
	if err != nil {
		t.Fatalf("wrapper.New: %v", err)
	}
	return func(ctx context.Context, req *contract.Request) (*contract.Response, error) {
		m := reflect.ValueOf(wc).MethodByName(goName(req.Op.ID))
		if !m.IsValid() {
			return fallback(ctx, req)
		}
		args, ok := wrapperArgs(ctx, m.Type(), req)
		if !ok {
			return fallback(ctx, req)
		}
		rec.take()
		out := m.Call(args)
		callErr, _ := out[len(out)-1].Interface().(error)
		var got *contract.Response
		for _, r := range rec.take() {
			if r.Request.Method == req.Op.Method {
				got = r
			}
		}
		if got == nil {
			if callErr == nil {
				callErr = fmt.Errorf("%s: no response recorded", req.Op.ID)
			}
			return nil, callErr
		}
		got.Via = "wrapper"
		if callErr != nil && got.Status/100 == 2 {
			return got, fmt.Errorf("%s: wrapper failed on a %d answer: %w", req.Op.ID, got.Status, callErr)
		}
		return got, nil
	}
}

// wrapperArgs fills a typed wrapper method's arguments from req.
func wrapperArgs(ctx context.Context, mt reflect.Type, req *contract.Request) ([]reflect.Value, bool) {
	names := pathParamRE.FindAllStringSubmatch(req.Op.Path, -1)
	args := []reflect.Value{reflect.ValueOf(ctx)}
	pi, ctDone := 0, false
	for i := 1; i < mt.NumIn(); i++ {
		in := mt.In(i)
		switch {
		case mt.IsVariadic() && i == mt.NumIn()-1:
			// no per-call options
		case in.Kind() == reflect.String && pi < len(names):
			args = append(args, reflect.ValueOf(req.PathParams[names[pi][1]]).Convert(in))
			pi++
		case in.Kind() == reflect.String && !ctDone:
			ct := req.ContentType
			if ct == "" {
				ct = "application/json"
			}
			args = append(args, reflect.ValueOf(ct))
			ctDone = true
		case in == reflect.TypeFor[io.Reader]():
			args = append(args, reflect.ValueOf(io.Reader(bytes.NewReader(req.Body))))
		case in.Kind() == reflect.Pointer && in.Elem().Kind() == reflect.Struct && strings.HasSuffix(in.Elem().Name(), "Params"):
			p := reflect.New(in.Elem())
			if !fillParams(p.Elem(), req.Query) {
				return nil, false
			}
			args = append(args, p)
		default:
			if req.Body == nil {
				return nil, false
			}
			if in.Kind() == reflect.Interface {
				// A oneOf body: the branch the request was written for.
				b, err := oneof.Decode(in, req.Body)
				if err != nil {
					return nil, false
				}
				args = append(args, b)
				continue
			}
			v := reflect.New(in)
			if err := json.Unmarshal(req.Body, v.Interface()); err != nil {
				return nil, false
			}
			args = append(args, v.Elem())
		}
	}
	return args, true
}

// fillParams sets the fields of a generated params struct from query
// values, matching their form tags.
func fillParams(s reflect.Value, q map[string][]string) bool {
	for i := 0; i < s.NumField(); i++ {
		f := s.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("form"), ",")
		vals := q[name]
		if len(vals) == 0 {
			continue
		}
		fv := s.Field(i)
		t := f.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		val := reflect.New(t).Elem()
		switch t.Kind() {
		case reflect.String:
			val.SetString(vals[0])
		case reflect.Int, reflect.Int32, reflect.Int64:
			n, err := strconv.ParseInt(vals[0], 10, 64)
			if err != nil {
				return false
			}
			val.SetInt(n)
		default:
			return false
		}
		if f.Type.Kind() == reflect.Pointer {
			p := reflect.New(t)
			p.Elem().Set(val)
			fv.Set(p)
		} else {
			fv.Set(val)
		}
	}
	return true
}

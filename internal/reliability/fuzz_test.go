package reliability

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/glomo-go/glomo-go/internal/oneof"
	"github.com/glomo-go/glomo-go/wrapper"
)

// The response-decode fuzzers serve fuzzed bytes as the answer to a typed
// call (a fake api.HttpRequestDoer, no network) and check the client's
// contract: it never panics, and returns a value or a typed error, never
// both and never (nil, nil). FuzzDecodeAll reaches every typed method of
// *wrapper.Client (found by reflection, so new operations are covered
// without editing this file), including the ...Iter pagers; the named
// fuzzers concentrate on the money paths. Seeds: testdata/fuzz/<Fuzzer>/,
// built from the mock's real answers and Glomo's documented payloads
// (TestWriteFuzzCorpus).

// decodeMethod is one typed method of *wrapper.Client.
type decodeMethod struct {
	name string
	fn   reflect.Value // method value's func, receiver first
	typ  reflect.Type
	iter bool // returns iter.Seq2[T, error]
}

var (
	methodsOnce sync.Once
	methodList  []decodeMethod
	methodByNm  map[string]decodeMethod
)

var ctxType = reflect.TypeFor[context.Context]()

// decodeMethods lists, sorted by name, every method of *wrapper.Client
// that takes a context first and returns (T, error) or an iterator.
func decodeMethods() []decodeMethod {
	methodsOnce.Do(func() {
		ct := reflect.TypeFor[*wrapper.Client]()
		methodByNm = map[string]decodeMethod{}
		for i := range ct.NumMethod() {
			m := ct.Method(i)
			mt := m.Type
			if mt.NumIn() < 2 || mt.In(1) != ctxType {
				continue
			}
			dm := decodeMethod{name: m.Name, fn: m.Func, typ: mt}
			switch {
			case mt.NumOut() == 2 && mt.Out(1) == reflect.TypeFor[error]():
			case mt.NumOut() == 1 && strings.HasPrefix(mt.Out(0).String(), "iter.Seq2["):
				dm.iter = true
			default:
				continue
			}
			methodList = append(methodList, dm)
			methodByNm[m.Name] = dm
		}
		sort.Slice(methodList, func(i, j int) bool { return methodList[i].name < methodList[j].name })
	})
	return methodList
}

// args builds the arguments of m after the receiver and ctx: ids are
// "x_1", parameter structs nil, bodies their zero value, readers a short
// body. Request options are left out.
func (m decodeMethod) args(c *wrapper.Client) []reflect.Value {
	in := []reflect.Value{reflect.ValueOf(c), reflect.ValueOf(context.Background())}
	n := m.typ.NumIn()
	if m.typ.IsVariadic() {
		n--
	}
	for j := 2; j < n; j++ {
		pt := m.typ.In(j)
		switch {
		case pt.Kind() == reflect.String:
			in = append(in, reflect.ValueOf("x_1").Convert(pt))
		case pt == reflect.TypeFor[io.Reader]():
			in = append(in, reflect.ValueOf(strings.NewReader("x")))
		default:
			in = append(in, argValue(pt))
		}
	}
	return in
}

// argValue is the zero value of t, except for a oneOf request body, which
// gets a branch value: a nil body is refused before sending
// (wrapper.ErrEmptyBody), and these fuzzers are about decoding answers.
func argValue(t reflect.Type) reflect.Value {
	if b, ok := oneof.Zero(t); ok {
		return b
	}
	return reflect.Zero(t)
}

var fuzzStatuses = []int{200, 201, 202, 204, 400, 401, 404, 409, 422, 429, 500, 503}
var fuzzTypes = []string{"application/json", "application/json; charset=utf-8", "text/html; charset=utf-8", ""}

// decodeClient is a client whose every request is answered by d.
func decodeClient(t testing.TB, d *fakeDoer) *wrapper.Client {
	c, err := wrapper.New(wrapper.WithAPIKey("sk_test_fuzz"), wrapper.WithBaseURL("http://127.0.0.1:1/api"),
		wrapper.WithHTTPDoer(d), wrapper.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// typedError reports whether err is one of the client's error types.
func typedError(err error) bool {
	var (
		ae *wrapper.APIError
		de *wrapper.DecodeError
		tl *wrapper.ResponseTooLargeError
		ou *wrapper.OutcomeUnknownError
	)
	return errors.As(err, &ae) || errors.As(err, &de) || errors.As(err, &tl) || errors.As(err, &ou)
}

// checkDecode calls m with the answer (status, ctype, body) and checks the
// contract. It returns whether a value was decoded.
func checkDecode(t testing.TB, m decodeMethod, status int, ctype string, body []byte) bool {
	c := decodeClient(t, &fakeDoer{status: status, ctype: ctype, body: body})
	var out []reflect.Value
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("%s panicked on a %d %q answer %q: %v", m.name, status, ctype, body, p)
			}
		}()
		out = m.fn.Call(m.args(c))
	}()
	check := func(v reflect.Value, err error) bool {
		isNil := (v.Kind() == reflect.Pointer || v.Kind() == reflect.Map || v.Kind() == reflect.Slice) && v.IsNil()
		switch {
		case err == nil && isNil && !m.iter:
			t.Fatalf("%s returned (nil, nil) on a %d %q answer %q", m.name, status, ctype, body)
		case err != nil && !isNil && !m.iter:
			t.Fatalf("%s returned both a value and %v", m.name, err)
		case err != nil && !typedError(err):
			t.Fatalf("%s returned an error of no client type on a %d %q answer %q: %T %v", m.name, status, ctype, body, err, err)
		case err == nil && (status < 200 || status > 299):
			t.Fatalf("%s succeeded on a %d answer %q", m.name, status, body)
		case err != nil && status >= 200 && status <= 299 && !errors.Is(err, wrapper.ErrDecode):
			t.Fatalf("%s: a %d answer gave %v, want a *DecodeError", m.name, status, err)
		}
		return err == nil
	}
	if !m.iter {
		var err error
		if e := out[1].Interface(); e != nil {
			err = e.(error)
		}
		return check(out[0], err)
	}
	// Range the iterator, taking at most 5 items.
	seq := out[0]
	yields, ok := 0, false
	yield := reflect.MakeFunc(seq.Type().In(0), func(a []reflect.Value) []reflect.Value {
		yields++
		var err error
		if e := a[1].Interface(); e != nil {
			err = e.(error)
		}
		if check(a[0], err) {
			ok = true
		}
		return []reflect.Value{reflect.ValueOf(err == nil && yields < 5)}
	})
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("%s (ranging) panicked on a %d %q answer %q: %v", m.name, status, ctype, body, p)
			}
		}()
		seq.Call([]reflect.Value{yield})
	}()
	return ok
}

// FuzzDecodeAll: any typed method, any status, content type and body.
func FuzzDecodeAll(f *testing.F) {
	ms := decodeMethods()
	f.Add(uint16(0), uint8(0), uint8(0), []byte(`{}`))
	f.Fuzz(func(t *testing.T, op uint16, status, ctype uint8, body []byte) {
		m := ms[int(op)%len(ms)]
		checkDecode(t, m, fuzzStatuses[int(status)%len(fuzzStatuses)], fuzzTypes[int(ctype)%len(fuzzTypes)], body)
	})
}

// fuzzOne is a fuzzer of one method answered with status and a JSON type.
func fuzzOne(f *testing.F, name string, status int) {
	decodeMethods()
	m, ok := methodByNm[name]
	if !ok {
		f.Fatalf("no method %s on *wrapper.Client", name)
	}
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecode(t, m, status, "application/json; charset=utf-8", body)
	})
}

// FuzzGetBalance: GET /v1/balances → *api.AllBalances.
func FuzzGetBalance(f *testing.F) { fuzzOne(f, "GetBalance", 200) }

// FuzzGetPayoutById: GET /v1/payouts/{id} → *api.Payout.
func FuzzGetPayoutById(f *testing.F) { fuzzOne(f, "GetPayoutById", 200) }

// FuzzGetPayouts: GET /v1/payouts → *GetPayoutsPage.
func FuzzGetPayouts(f *testing.F) { fuzzOne(f, "GetPayouts", 200) }

// FuzzGetPayoutsIter: the pager over GET /v1/payouts.
func FuzzGetPayoutsIter(f *testing.F) { fuzzOne(f, "GetPayoutsIter", 200) }

// FuzzCreatePayout: POST /v1/payouts → 201 *api.Payout.
func FuzzCreatePayout(f *testing.F) { fuzzOne(f, "CreatePayout", 201) }

// FuzzGetPayments: GET /v1/payment → *GetPaymentsPage.
func FuzzGetPayments(f *testing.F) { fuzzOne(f, "GetPayments", 200) }

// TestDecodeMethodsFound guards the reflection: it must see the typed
// methods, iterators included.
func TestDecodeMethodsFound(t *testing.T) {
	ms := decodeMethods()
	iters := 0
	for _, m := range ms {
		if m.iter {
			iters++
		}
	}
	for _, name := range []string{"GetBalance", "GetPayoutById", "GetPayouts", "GetPayoutsIter", "CreatePayout", "CreatePayin", "GetPayments"} {
		if _, ok := methodByNm[name]; !ok {
			t.Errorf("method %s not found", name)
		}
	}
	if len(ms) < 80 || iters < 15 {
		t.Errorf("found %d methods (%d iterators); expected the whole generated surface", len(ms), iters)
	}
	t.Logf("%d typed methods, %d of them iterators", len(ms), iters)
}

// TestDecodeEveryMethodContract runs every method against a few fixed
// answers (empty object, null, list page, garbage, error statuses).
func TestDecodeEveryMethodContract(t *testing.T) {
	bodies := []string{`{}`, `null`, `[]`, `{"data":[{"id":"x_1"}],"page_meta":{"next":2}}`, `{"data":[null,{}]}`, `{"id":`, `<html>`, ``}
	for _, m := range decodeMethods() {
		for _, st := range []int{200, 201, 404, 503} {
			for _, b := range bodies {
				checkDecode(t, m, st, "application/json", []byte(b))
			}
		}
	}
}

// corpusEnv, when set, makes TestWriteFuzzCorpus rewrite testdata/fuzz.
const corpusEnv = "GLOMO_WRITE_CORPUS"

// recorder keeps the 2xx answers that pass through it, by request path.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	got  []recorded
}

type recorded struct {
	method, path string
	status       int
	body         []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	r.mu.Lock()
	r.got = append(r.got, recorded{req.Method, req.URL.Path, resp.StatusCode, b})
	r.mu.Unlock()
	return resp, nil
}

// TestWriteFuzzCorpus writes the seed corpus of the decode fuzzers from the
// mock's real answers (every list and get it can serve, a payout and a
// payment link created) and Glomo's documented response payloads
// (testdata/payloads/*.response.json), plus edge cases.
//
//	GLOMO_WRITE_CORPUS=1 go test ./internal/reliability -run TestWriteFuzzCorpus
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv(corpusEnv) == "" {
		t.Skip("set " + corpusEnv + "=1 to rewrite testdata/fuzz")
	}
	srv := startMock(t)
	tr, _ := newTransport(t, 4)
	rec := &recorder{next: tr}
	c := newClient(t, srv, rec, 0)
	ctx := context.Background()
	// byMethod: the 2xx answers each typed method received.
	byMethod := map[string][]recorded{}
	call := func(name string, fn func() error) {
		n := len(rec.got)
		if err := fn(); err != nil {
			t.Logf("%s: %v", name, err)
		}
		byMethod[name] = append(byMethod[name], rec.got[n:]...)
	}
	var bene, payoutID string
	call("CreateBeneficiaryV2", func() error { bene = createBeneficiary(t, c); return nil })
	call("CreatePayout", func() error {
		p, err := c.CreatePayout(ctx, payoutBody(t, bene, "corpus-1"))
		if err == nil {
			payoutID = p.Id
		}
		return err
	})
	call("CreatePayin", func() error { _, err := c.CreatePayin(ctx, payinBody(t)); return err })
	call("GetPayoutById", func() error { _, err := c.GetPayoutById(ctx, payoutID); return err })
	// Every list and get whose only parameters are optional (pointers).
	for _, m := range decodeMethods() {
		if m.iter || !(strings.HasPrefix(m.name, "Get") || strings.HasPrefix(m.name, "List")) {
			continue
		}
		args := m.args(c)
		simple := true
		for j := 2; j < len(args); j++ {
			if m.typ.In(j).Kind() != reflect.Pointer {
				simple = false
			}
		}
		if simple {
			call(m.name, func() error {
				if e := m.fn.Call(args)[1].Interface(); e != nil {
					return e.(error)
				}
				return nil
			})
		}
	}
	edge := [][]byte{[]byte(``), []byte(`null`), []byte(`[]`), []byte(`{"data":null,"page_meta":null}`),
		[]byte(`{"data":[null],"page_meta":{"next":2,"current":1}}`), []byte(`{"id":1,"status":{},"amount":"1"}`),
		[]byte(`{"available":[{"amount":1e400}]}`), []byte("\xff\xfe{}")}

	all := map[string]bool{}
	writeAll := func(op uint16, status, ctype uint8, body []byte) {
		s := fmt.Sprintf("go test fuzz v1\nuint16(%d)\nbyte(%q)\nbyte(%q)\n[]byte(%q)\n", op, status, ctype, body)
		all[s] = true
	}
	index := map[string]int{}
	for i, m := range decodeMethods() {
		index[m.name] = i
	}
	statusIdx := func(s int) uint8 {
		for i, v := range fuzzStatuses {
			if v == s {
				return uint8(i)
			}
		}
		return 0
	}
	named := map[string][][]byte{}
	for name, rs := range byMethod {
		for _, r := range rs {
			named[name] = append(named[name], r.body)
			if i, ok := index[name]; ok {
				writeAll(uint16(i), statusIdx(r.status), 0, r.body)
			}
		}
	}
	named["GetPayoutsIter"] = append([][]byte(nil), named["GetPayouts"]...)
	payloads, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "payloads", "*.response.json"))
	for _, p := range payloads {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		op := strings.TrimSuffix(filepath.Base(p), ".response.json")
		name := strings.ToUpper(op[:1]) + op[1:]
		if i, ok := index[name]; ok {
			writeAll(uint16(i), statusIdx(200), 0, b)
			writeAll(uint16(i), statusIdx(201), 1, b)
		}
	}
	fuzzers := []string{"GetBalance", "GetPayoutById", "GetPayouts", "GetPayoutsIter", "CreatePayout", "GetPayments"}
	for i, b := range edge {
		writeAll(uint16(i*7), uint8(i), uint8(i), b)
		for _, name := range fuzzers {
			named[name] = append(named[name], b)
		}
	}
	writeAll(uint16(index["CreatePayin"]), statusIdx(503), 0, []byte(`{"error":"Service Unavailable","message":"try later"}`))
	writeAll(uint16(index["GetPayouts"]), statusIdx(429), 0, []byte(`{"error":"Too Many Requests"}`))

	dir := filepath.Join("testdata", "fuzz")
	write := func(fuzzer string, seeds []string) {
		d := filepath.Join(dir, fuzzer)
		if err := os.RemoveAll(d); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		sort.Strings(seeds)
		for _, s := range seeds {
			sum := sha256.Sum256([]byte(s))
			if err := os.WriteFile(filepath.Join(d, "seed-"+hex.EncodeToString(sum[:8])), []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("%s: %d seeds", fuzzer, len(seeds))
	}
	var seeds []string
	for s := range all {
		seeds = append(seeds, s)
	}
	write("FuzzDecodeAll", seeds)
	for _, name := range fuzzers {
		bodies := named[name]
		set := map[string]bool{}
		for _, b := range bodies {
			set[fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)] = true
		}
		var ss []string
		for s := range set {
			ss = append(ss, s)
		}
		write("Fuzz"+name, ss)
	}
}

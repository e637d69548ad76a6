package wrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMatchIndexedEqualsScan checks the indexed match against a scan of
// every operation, for each template with its parameters filled in and for
// odd paths.
func TestMatchIndexedEqualsScan(t *testing.T) {
	idx, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	scan := &specIndex{ops: idx.ops}
	var paths []string
	for _, op := range idx.ops {
		segs := make([]string, len(op.segments))
		for i, s := range op.segments {
			if strings.HasPrefix(s, "{") {
				s = "x_1"
			}
			segs[i] = s
		}
		paths = append(paths, "/"+strings.Join(segs, "/"), "/"+strings.Join(segs, "/")+"/", strings.Join(segs, "/"))
	}
	paths = append(paths, "", "/", "//", "/v1//payouts", "/v1/payouts//", "/nope", "/v1/payouts/a/b/c/d/e")
	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}
	found := 0
	for _, p := range paths {
		for _, m := range methods {
			got, want := idx.match(m, p), scan.match(m, p)
			if got != want {
				t.Fatalf("match(%s %q) = %v, scan = %v", m, p, got, want)
			}
			if got != nil {
				found++
			}
		}
	}
	if found < len(idx.ops) {
		t.Fatalf("only %d matches for %d operations", found, len(idx.ops))
	}
}

// requestIDCases are bodies for the scan-based withRequestID and the
// map-based one to agree on.
var requestIDCases = []string{
	`{}`, ` { } `, `null`, `[1,2]`, `"s"`, `12`, `{`, `{"a":1,}`, ``,
	`{"a":"<&>","request_id":""}`,
	`{"request_id":"keep"}`,
	` {  "request_id" : "keep" , "b" : [1, {"request_id":"nested"}] } `,
	`{"b":{"request_id":"nested"},"c":[{"request_id":"x"}]}`,
	`{"request\u005fid":"escaped-key"}`,
	`{"request_id":"esc\"aped\\value\u00e9"}`,
	`{"request_id":"dup1","request_id":"dup2"}`,
	`{"request_id":1}`, `{"request_id":null}`, `{"request_id":true,"x":"}"}`,
	`{"x":"\"request_id\":\"fake\"","y":"{[\\"}`,
	`{"Request_ID":"case"}`,
	"{\n\t\"amount\": 12.5e3,\n\t\"tags\": [\"a\", \"b\"],\n\t\"meta\": {\"k\": {\"request_id\": \"deep\"}}\n}",
	`{"request_id":"héllo"}`, `{"a":"<b>","request_id":"<x>"}`,
}

// sameJSON reports whether a and b decode to equal values (duplicate keys
// resolved as encoding/json does).
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	ea, eb := json.Unmarshal(a, &va), json.Unmarshal(b, &vb)
	if (ea != nil) != (eb != nil) {
		return false
	}
	if ea != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(va, vb)
}

func checkRequestIDAgainstMap(t *testing.T, body string, inject bool, override string) {
	t.Helper()
	gotB, gotID, gotErr := withRequestID([]byte(body), inject, override)
	wantB, wantID, wantErr := withRequestIDMap([]byte(body), inject, override)
	if (gotErr != nil) != (wantErr != nil) {
		t.Fatalf("%q inject=%v override=%q: err %v, map %v", body, inject, override, gotErr, wantErr)
	}
	generated := inject && override == "" && len(gotID) == 36 && len(wantID) == 36 && gotID != wantID
	if generated {
		// Both drew a fresh UUID: compare with the scan's one put in.
		wantB = bytes.ReplaceAll(wantB, []byte(wantID), []byte(gotID))
		wantID = gotID
	}
	if gotID != wantID {
		t.Fatalf("%q inject=%v override=%q: id %q, map %q", body, inject, override, gotID, wantID)
	}
	if !sameJSON(t, gotB, wantB) {
		t.Fatalf("%q inject=%v override=%q: body %s, map %s", body, inject, override, gotB, wantB)
	}
	if string(wantB) == body && string(gotB) != body {
		t.Fatalf("%q: scan rewrote a body the map left alone: %s", body, gotB)
	}
}

func TestWithRequestIDScanMatchesMap(t *testing.T) {
	for _, body := range requestIDCases {
		for _, inject := range []bool{false, true} {
			for _, override := range []string{"", "keep", "over\"ride<&>é", "3f1c-xyz"} {
				checkRequestIDAgainstMap(t, body, inject, override)
			}
		}
	}
	// The inserted member leaves the rest of the body as it was.
	b, id, err := withRequestID([]byte(` {"amount": 1}`), true, "rid")
	require.NoError(t, err)
	assert.Equal(t, "rid", id)
	assert.Equal(t, ` {"request_id":"rid","amount": 1}`, string(b))
	b, _, err = withRequestID([]byte(`{ }`), true, "rid")
	require.NoError(t, err)
	assert.Equal(t, `{"request_id":"rid" }`, string(b))
	b, _, err = withRequestID([]byte(`{"request_id": "old", "b": {"request_id":"n"}}`), true, "new")
	require.NoError(t, err)
	assert.Equal(t, `{"request_id": "new", "b": {"request_id":"n"}}`, string(b))
}

func FuzzWithRequestID(f *testing.F) {
	for _, c := range requestIDCases {
		f.Add(c, true, "")
		f.Add(c, true, "over")
		f.Add(c, false, "")
	}
	f.Fuzz(func(t *testing.T, body string, inject bool, override string) {
		checkRequestIDAgainstMap(t, body, inject, override)
	})
}

func TestReadRequestBody(t *testing.T) {
	for _, tc := range []struct {
		body string
		cl   int64
	}{{"abc", 3}, {"abc", 2}, {"abc", 5}, {"", 0}, {"abc", -1}} {
		req, err := http.NewRequest(http.MethodPost, "http://x/", strings.NewReader(tc.body))
		require.NoError(t, err)
		req.ContentLength = tc.cl
		b, err := readRequestBody(req)
		require.NoError(t, err)
		assert.Equal(t, tc.body, string(b), "content length %d", tc.cl)
	}
	req, err := http.NewRequest(http.MethodPost, "http://x/", io.MultiReader(strings.NewReader("ab"), iotest.ErrReader(errors.New("boom"))))
	require.NoError(t, err)
	req.ContentLength = 5
	_, err = readRequestBody(req)
	require.Error(t, err)
}

// TestCallerRequestKeepsNoKey: the request the generated client built (the
// one HTTPResponse.Request points to) never gets the key or the client's
// headers, on the first attempt or on retries.
func TestCallerRequestKeepsNoKey(t *testing.T) {
	f := newFake(t, script(reply{status: 503, body: `{"error":"busy"}`}, reply{body: `{"available":[]}`}))
	h := newHarness(t, f)
	res, err := h.c.API().GetBalanceWithResponse(t.Context())
	require.NoError(t, err)
	require.Len(t, f.requests(), 2)
	for _, r := range f.requests() {
		assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
	}
	assert.Empty(t, res.HTTPResponse.Request.Header.Get("Authorization"))
	assert.Empty(t, res.HTTPResponse.Request.Header.Get("User-Agent"))
}

// TestBodyAtTheLimit: a body of exactly the limit is read, one byte more is
// refused, with and without Content-Length.
func TestBodyAtTheLimit(t *testing.T) {
	const limit = 1024
	body := func(n int) string {
		pre := `{"id":"payout_1`
		return pre + strings.Repeat("x", n-len(pre)-2) + `"}`
	}
	for _, chunked := range []bool{false, true} {
		hdr := map[string]string{}
		if chunked {
			hdr["Transfer-Encoding"] = "chunked"
		}
		f := newFake(t, script(reply{body: body(limit), header: hdr}))
		h := newHarness(t, f, WithMaxResponseBytes(limit))
		p, err := h.c.GetPayoutById(t.Context(), "payout_1")
		require.NoError(t, err, "chunked=%v", chunked)
		assert.Len(t, *p.Id, limit-len(`{"id":""}`))

		f = newFake(t, script(reply{body: body(limit + 1), header: hdr}))
		h = newHarness(t, f, WithMaxResponseBytes(limit))
		_, err = h.c.GetPayoutById(t.Context(), "payout_1")
		assert.ErrorIs(t, err, ErrResponseTooLarge, "chunked=%v", chunked)
	}
}

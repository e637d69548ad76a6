package wrapper

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/internal/jsondec"
)

// TestOneOfRequestIDOnTheTypedBranch: the request_id of a oneOf body is set
// on the wrapper's copy of the typed branch (WithRequestID), for either
// branch: the option wins over the body's own, which wins over a fresh UUID;
// every other member is sent as given and the caller's value is unchanged.
// A nil body is refused before anything is sent.
func TestOneOfRequestIDOnTheTypedBranch(t *testing.T) {
	f := newFake(t, script(reply{status: 201, body: payoutJSON}))
	h := newHarness(t, f)
	branches := func(id string) []api.CreatePayoutBody {
		return []api.CreatePayoutBody{
			payoutBody(id),
			api.CreatePayoutWithQuoteRequest{QuoteId: "quote_1", BeneficiaryId: "bene_1", PurposeCode: "P1006", RequestId: id},
		}
	}
	for _, own := range []string{"", "keep", "esc\"aped\\value\u00e9<&>"} {
		for _, override := range []string{"", "over\"ride<&>é"} {
			for _, body := range branches(own) {
				var opts []Option
				if override != "" {
					opts = append(opts, WithRequestID(override))
				}
				_, err := h.c.CreatePayout(t.Context(), body, opts...)
				require.NoError(t, err)
				reqs := f.requests()
				sent := bodyMap(t, reqs[len(reqs)-1].Body)
				switch {
				case override != "":
					assert.Equal(t, override, sent["request_id"])
				case own != "":
					assert.Equal(t, own, sent["request_id"])
				default:
					assert.Len(t, sent["request_id"], 36, "a fresh UUID")
				}
				assert.Equal(t, "bene_1", sent["beneficiary_id"])
				assert.Equal(t, "P1006", sent["purpose_code"])
				assert.Equal(t, own, body.RequestID(), "the caller's body is not modified")
			}
		}
	}
	n := len(f.requests())
	_, err := h.c.CreatePayout(t.Context(), nil)
	require.ErrorIs(t, err, ErrEmptyBody)
	assert.Len(t, f.requests(), n, "nothing sent")
}

// errRepeatedKey is strictOracle's verdict; its other errors are the
// tokenizer's own (a number it cannot hold, such as 1e700).
var errRepeatedKey = errors.New("repeated key")

// strictOracle finds repeated keys with encoding/json's tokenizer.
func strictOracle(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	if v == nil {
		return errNullBody
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	type frame struct {
		obj  bool
		keys map[string]bool
		key  bool // the next string token is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		isKey := top != nil && top.obj && top.key
		if top != nil && top.obj {
			top.key = !top.key
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{obj: true, keys: map[string]bool{}, key: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].obj {
					stack[len(stack)-1].key = true
				}
			}
		case string:
			if isKey {
				if top.keys[t] {
					return errRepeatedKey
				}
				top.keys[t] = true
			}
		}
	}
}

var strictCases = []string{
	`{}`, `null`, ` null `, `[]`, `[null]`, `{"a":null}`, `{"a":1,"a":2}`, `{"a":1,"b":{"a":2}}`,
	`{"a":{"b":1,"b":2}}`, `[{"a":1},{"a":1}]`, `{"a":"x","\u0061":"y"}`, `{"a\"b":1,"a\"b":2}`,
	`{"data":[{"id":"1","id":"2"}],"page_meta":{}}`, `"s"`, `12`, `{"x":"{\"a\":1,\"a\":2}"}`,
	`{"a":[1,2,{"c":[{"d":1,"d":1}]}]}`, `{"":1,"":2}`, `{"a":1,"b":2,"c":3,"a ":4}`, `{"a":1e700}`,
}

// TestDuplicateNamesAgainstOracle: the generated decoders find a repeated
// name in one object wherever the oracle does (known member or not, at any
// depth, after unescaping).
func TestDuplicateNamesAgainstOracle(t *testing.T) {
	for _, c := range strictCases {
		checkDuplicateNames(t, c)
	}
}

func checkDuplicateNames(t *testing.T, body string) {
	if !json.Valid([]byte(body)) || !strings.HasPrefix(strings.TrimSpace(body), "{") {
		return
	}
	var p api.Payout
	err := p.UnmarshalJSON([]byte(body))
	if err != nil && !errors.Is(err, jsondec.ErrDuplicateName) {
		return // a known member of the wrong kind stopped it first
	}
	oracle := strictOracle([]byte(body))
	if oracle != nil && !errors.Is(oracle, errRepeatedKey) {
		return // the tokenizer refused something else (1e700)
	}
	assert.Equal(t, oracle != nil, err != nil, "%s: decoder said %v", body, err)
}

func FuzzDuplicateNames(f *testing.F) {
	for _, c := range strictCases {
		f.Add(c)
	}
	f.Fuzz(checkDuplicateNames)
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
		assert.Len(t, p.Id, limit-len(`{"id":""}`))

		f = newFake(t, script(reply{body: body(limit + 1), header: hdr}))
		h = newHarness(t, f, WithMaxResponseBytes(limit))
		_, err = h.c.GetPayoutById(t.Context(), "payout_1")
		assert.ErrorIs(t, err, ErrResponseTooLarge, "chunked=%v", chunked)
	}
}

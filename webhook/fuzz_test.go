package webhook_test

import (
	"bytes"
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gowebpki/jcs"

	"github.com/glomo-go/glomo-go/webhook"
)

// FuzzVerify checks that Verify never panics, accepts what Sign produced,
// and accepts nothing else: an accepted header is always the signature of
// the raw body or of its canonical form. Errors are always one of the
// package's fixed sentinels, so they cannot carry the secret.
func FuzzVerify(f *testing.F) {
	f.Add(secret, []byte(payoutBody), webhook.Sign(secret, []byte(payoutBody)))
	f.Add(secret, []byte(unsortedBody), "")
	f.Add(secret, []byte(rfcInput), webhook.Sign(secret, []byte(rfcCanonical)))
	f.Add("", []byte(`{}`), webhook.Sign("", []byte(`{}`)))
	f.Add("k", []byte(`not json`), strings.Repeat("0", 64))
	f.Add("k", []byte(`{"a":1,"a":2}`), strings.Repeat("G", 64))
	f.Add("k", []byte(`[1e400]`), " "+strings.Repeat("f", 64)+" ")
	f.Fuzz(func(t *testing.T, secret string, body []byte, header string) {
		bodyCopy := bytes.Clone(body)
		err := webhook.Verify(secret, body, header)
		if !bytes.Equal(body, bodyCopy) {
			t.Fatal("Verify modified the body")
		}
		switch {
		case err == nil:
			got, derr := hex.DecodeString(strings.TrimSpace(header))
			if derr != nil || secret == "" {
				t.Fatalf("accepted header %q (secret empty: %v)", header, secret == "")
			}
			ok := hmac.Equal(got, mustHex(t, webhook.Sign(secret, body)))
			if c, cerr := jcs.Transform(body); !ok && cerr == nil {
				ok = hmac.Equal(got, mustHex(t, webhook.Sign(secret, c)))
			}
			signed, verr := webhook.VerifiedBody(secret, body, header)
			if verr != nil || !hmac.Equal(got, mustHex(t, webhook.Sign(secret, signed))) {
				t.Fatalf("VerifiedBody returned bytes the header does not sign (err %v)", verr)
			}
			if !ok {
				t.Fatalf("accepted a header that signs neither form of the body")
			}
		case errors.Is(err, webhook.ErrMissingSecret), errors.Is(err, webhook.ErrMissingSignature),
			errors.Is(err, webhook.ErrMalformedSignature), errors.Is(err, webhook.ErrInvalidSignature):
			if err != webhook.ErrMissingSecret && err != webhook.ErrMissingSignature &&
				err != webhook.ErrMalformedSignature && err != webhook.ErrInvalidSignature {
				t.Fatalf("error %v is not a bare sentinel", err)
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
		if secret != "" {
			sig := webhook.Sign(secret, body)
			if err := webhook.Verify(secret, body, sig); err != nil {
				t.Fatalf("rejected its own signature: %v", err)
			}
			if err := webhook.Verify(secret, body, strings.ToUpper(sig)); err != nil {
				t.Fatalf("rejected its own signature in uppercase: %v", err)
			}
			// The canonical form is tried only for a valid JSON object
			// of at most MaxCanonicalBytes.
			trimmed := bytes.TrimLeft(body, " \t\r\n")
			candidate := len(body) <= webhook.MaxCanonicalBytes && len(trimmed) > 0 && trimmed[0] == '{' && json.Valid(body)
			if c, cerr := jcs.Transform(body); cerr == nil && candidate {
				if err := webhook.Verify(secret, body, webhook.Sign(secret, c)); err != nil {
					t.Fatalf("rejected the signature of the canonical form: %v", err)
				}
			}
		}
	})
}

func mustHex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzDecodeEvent checks that no body makes the decoding path panic or lose
// an event: whatever DecodeEvent accepts can be decoded (typed or raw),
// keyed, re-signed and decoded again to the same envelope, and whatever it
// rejects is an ErrMalformedEvent.
func FuzzDecodeEvent(f *testing.F) {
	for _, s := range []string{
		payoutBody,
		unsortedBody,
		`{"entity_type":"orders","event_type":"paid","data":{"id":"order_1","payment_methods":"bank_transfer","rfi_documents":{"name":"x"}}}`,
		`{"entity_type":"payout","event_type":"success","data":{"created_at":"yesterday","id":"payout_1"}}`,
		`{"entity_type":"balance","event_type":"balance.funded_balance.credited","data":{"payment_id":"payt_1","timestamp":1767225600}}`,
		`{"entity_type":"merchant","event_type":"success","data":{"merchant_id":"merch_1","status":"success","created_at":1}}`,
		`{"entity_type":"subscription","event_type":"active","data":{"interval_count":"x","amount":{}}}`,
		`{"entity_type":"payment","event_type":"success","data":{"payment_method":{"details":[],"type":7}}}`,
		`{"entity_type":"refund","event_type":"utr.updated","data":{"documents":[{"id":1}],"id":"refund_1","id":null}}`,
		`{"entity_type":"webhook_test","event_type":"test"}`,
		`{"entity_type":"new","event_type":"x","data":[1,{"a":null}]}`,
		`{"entity_type":1,"event_type":"x"}`,
		`[]`,
		`null`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := webhook.DecodeEvent(body)
		if err != nil {
			if !errors.Is(err, webhook.ErrMalformedEvent) {
				t.Fatalf("error %v does not wrap ErrMalformedEvent", err)
			}
			return
		}
		if e.EntityType == "" || e.EventType == "" {
			t.Fatalf("accepted an envelope without types: %+v", e)
		}
		v, derr := e.DecodeData()
		if v == nil {
			t.Fatal("DecodeData returned nil")
		}
		if derr != nil {
			var de *webhook.DataError
			if !errors.As(derr, &de) {
				t.Fatalf("DecodeData error %T is not a *DataError", derr)
			}
			_ = de.Error()
		}
		if _, ok := v.(json.RawMessage); ok && derr != nil {
			t.Fatal("raw data came with an error")
		}
		key := webhook.DedupeKey(e)
		if !strings.HasPrefix(key, e.EntityType+"|") || key != webhook.DedupeKey(e) {
			t.Fatalf("key %q is unstable or not prefixed", key)
		}
		_, _, _ = e.ID(), e.Status(), webhook.ShouldApply(e.EntityType, e.Status(), "success")

		// Re-sign the event and decode it again: same envelope.
		b2, sig, err := webhook.NewSignedPayload("k", e)
		if err != nil {
			t.Fatalf("cannot re-encode accepted event: %v", err)
		}
		e2, err := webhook.Parse("k", b2, sig)
		if err != nil {
			t.Fatalf("re-encoded event rejected: %v", err)
		}
		want := e
		if len(want.Data) == 0 {
			want.Data = json.RawMessage("{}")
		}
		if e2.EntityType != want.EntityType || e2.EventType != want.EventType || !bytes.Equal(e2.Data, want.Data) {
			t.Fatalf("round trip changed the event: %+v -> %+v", want, e2)
		}
	})
}

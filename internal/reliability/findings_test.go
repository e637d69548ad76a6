package reliability

// Tests that show gaps found in wrapper/ while building the reliability
// suite. Each asserts the behaviour a caller needs. They once skipped while
// wrapper/ behaved otherwise ("known bug"); every gap is fixed now, so a
// test that sees one again fails.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/wrapper"
)

// TestFindingLostCreateAfterRetriesExhausted: a payout create whose answer
// is lost (commit-then-drop) and whose retries then fail at the transport
// (reset, reset) has made a payout, yet the caller got a bare transport
// error: not an *OutcomeUnknownError, no request_id in it. Repeating the
// create with that request_id (WithRequestID, as APIError.RequestID's doc
// suggests) got a 409 *APIError instead of the payout, because
// "already exists" was resolved only for attempt > 0. Both are fixed (the
// executor's lostCreate and the caller-named request_id).
func TestFindingLostCreateAfterRetriesExhausted(t *testing.T) {
	srv := startMock(t)
	c := newClient(t, srv, nil, 0)
	bene := createBeneficiary(t, c)
	srv.AddFault(mock.Fault{Operation: "createPayout", Kind: mock.FaultCommitThenDrop})
	srv.AddFault(mock.Fault{Operation: "createPayout", Kind: mock.FaultReset, Times: 2})

	var rid string
	_, err := c.CreatePayout(context.Background(), payoutBody(t, bene, ""), wrapper.WithRequestIDCapture(&rid))
	if err == nil {
		t.Fatal("want an error: every attempt failed")
	}
	if n := srv.Count("payouts"); n != 1 {
		t.Fatalf("the mock holds %d payouts, want 1 (the first attempt committed)", n)
	}
	if rid == "" {
		t.Fatal("WithRequestIDCapture captured no request_id")
	}
	var problems []string
	if !errors.Is(err, wrapper.ErrOutcomeUnknown) {
		problems = append(problems, "error after exhausted retries is not ErrOutcomeUnknown: "+err.Error())
	}
	if !strings.Contains(err.Error(), rid) {
		problems = append(problems, "error does not carry the request_id to retry with")
	}

	// The caller repeats the same logical create with the captured request_id.
	p, err := c.CreatePayout(context.Background(), payoutBody(t, bene, ""), wrapper.WithRequestID(rid))
	switch {
	case err != nil:
		problems = append(problems, "repeating the create WithRequestID(captured) fails: "+err.Error())
	case p == nil || p.Id == "":
		problems = append(problems, "repeating the create returned no payout")
	}
	if n := srv.Count("payouts"); n != 1 {
		t.Fatalf("the mock holds %d payouts after the repeat, want 1", n)
	}
	if len(problems) > 0 {
		t.Fatalf("lost create: %s", strings.Join(problems, "; "))
	}
}

// TestFindingEveryAttemptDropped: when every attempt of a payout is
// performed and its answer lost — the first's 201 and the repeats' 409s
// alike — the caller must hear that the outcome is unknown, with the
// request_id to settle it, never a success it did not see. The mock used to
// spend an answer fault on an error answer without applying it, so the
// second attempt's 409 got through and resolved to the payout, and this
// path was never exercised. Repeating the create with the request_id once
// the network is back returns the one payout.
func TestFindingEveryAttemptDropped(t *testing.T) {
	srv := startMock(t)
	c := newClient(t, srv, nil, 0)
	bene := createBeneficiary(t, c)
	srv.AddFault(mock.Fault{Operation: "createPayout", Kind: mock.FaultCommitThenDrop, Times: -1})

	_, err := c.CreatePayout(context.Background(), payoutBody(t, bene, ""))
	var ou *wrapper.OutcomeUnknownError
	if !errors.As(err, &ou) || ou.RequestID == "" {
		t.Fatalf("want an *OutcomeUnknownError naming the request_id, got %v", err)
	}
	if n := srv.Calls("createPayout"); n != 3 {
		t.Fatalf("%d attempts, want 3 (the first and two retries)", n)
	}
	if n := srv.Count("payouts"); n != 1 {
		t.Fatalf("the mock holds %d payouts, want 1", n)
	}

	srv.ClearFaults()
	p, err := c.CreatePayout(context.Background(), payoutBody(t, bene, ""), wrapper.WithRequestID(ou.RequestID))
	if err != nil || p == nil || p.Id == "" {
		t.Fatalf("repeating with the request_id: %v, %v", p, err)
	}
	if n := srv.Count("payouts"); n != 1 {
		t.Fatalf("the mock holds %d payouts after the repeat, want 1", n)
	}
}

// TestFindingNullUnionBody: the oneOf request bodies (payment links,
// payouts, ...) were unions. Before GG-20, api.CreatePayinJSONRequestBody was
// a defined type without the union's JSON methods, so json.Unmarshal into
// it silently produced an empty body that CreatePayin sent as `null`; later a
// zero-value union was still sent as `null` and cost a round trip and a 400.
// Since issue 13 a oneOf body is a sealed interface that a branch value
// implements: the first half sends the description's example decoded into
// its branch, the second half checks a nil body is refused before sending.
func TestFindingNullUnionBody(t *testing.T) {
	raw, err := mock.RequestBody("createPayin")
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	var mu sync.Mutex
	srv := startMock(t)
	tr, _ := newTransport(t, 2)
	rec := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost && r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			sent = append(sent, string(b))
			mu.Unlock()
			r.Body = io.NopCloser(strings.NewReader(string(b)))
		}
		return tr.RoundTrip(r)
	})
	c := newClient(t, srv, rec, 0)

	// Decoded with json.Unmarshal straight into the branch type.
	var body api.PaymentLinkRequest
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreatePayin(context.Background(), body); err != nil {
		t.Fatalf("CreatePayin with a body decoded by json.Unmarshal: %v (sent %q)", err, sent)
	}
	if n := srv.Count("payin"); n != 1 {
		t.Fatalf("the mock holds %d payment links, want 1", n)
	}

	// A nil body: refused before anything is sent.
	mu.Lock()
	sent = nil
	mu.Unlock()
	_, err = c.CreatePayin(context.Background(), nil)
	mu.Lock()
	defer mu.Unlock()
	if !errors.Is(err, wrapper.ErrEmptyBody) {
		t.Fatalf("a nil payment-link body: %v, want ErrEmptyBody", err)
	}
	if len(sent) > 0 {
		t.Fatalf("a nil body was sent: %q", sent)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

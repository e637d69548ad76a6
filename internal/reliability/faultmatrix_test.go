package reliability

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/wrapper"
)

// The three calls of the matrix: a read, an idempotent create (request_id)
// and a create without duplicate protection (payment link).
type matrixOp struct {
	title    string // column title
	opID     string // mock operationId
	method   string
	path     string // URL path suffix, for the injector
	resource string // mock resource the call creates ("" for reads)
	noun     string // what it creates, singular
	call     func(ctx context.Context, t *testing.T, c *wrapper.Client, bene string) (id string, err error)
}

var matrixOps = []matrixOp{
	{
		title: "GET `getBalance`", opID: "getBalance", method: http.MethodGet, path: "/v1/balances",
		call: func(ctx context.Context, _ *testing.T, c *wrapper.Client, _ string) (string, error) {
			b, err := c.GetBalance(ctx)
			if err == nil && b == nil {
				return "", errors.New("GetBalance returned (nil, nil)")
			}
			return "", err
		},
	},
	{
		title: "idempotent POST `createPayout` (request_id)", opID: "createPayout", method: http.MethodPost,
		path: "/v1/payouts", resource: "payouts", noun: "payout",
		call: func(ctx context.Context, t *testing.T, c *wrapper.Client, bene string) (string, error) {
			p, err := c.CreatePayout(ctx, payoutBody(t, bene, ""))
			if err != nil {
				return "", err
			}
			if p == nil || p.Id == "" {
				return "", errors.New("CreatePayout returned no payout and no error")
			}
			return p.Id, nil
		},
	},
	{
		title: "non-idempotent POST `createPayin` (payment link)", opID: "createPayin", method: http.MethodPost,
		path: "/v1/payin", resource: "payin", noun: "payin",
		call: func(ctx context.Context, t *testing.T, c *wrapper.Client, _ string) (string, error) {
			p, err := c.CreatePayin(ctx, payinBody(t))
			if err != nil {
				return "", err
			}
			if p == nil || p.Id == "" {
				return "", errors.New("CreatePayin returned no payment link and no error")
			}
			return p.Id, nil
		},
	},
}

// matrixFault is one row: how the fault is produced.
type matrixFault struct {
	name string
	// faults returns the mock faults for operation op.
	faults func(op string) []mock.Fault
	// inject returns a rule rewriting the answer client-side (nil: none).
	inject func(m matrixOp) *injectRule
	// attemptTimeout is http.Client.Timeout (bounds one attempt);
	// callTimeout is wrapper.WithTimeout (bounds the whole call).
	attemptTimeout, callTimeout time.Duration
}

// slowDelay is how long a slow answer takes; slowTimeout the timeout it
// exceeds. Only slowTimeout is ever waited for.
const (
	slowDelay   = 10 * time.Second
	slowTimeout = 500 * time.Millisecond
	overLimit   = wrapper.DefaultMaxResponseBytes + 1
)

func statusFault(status, times int, retryAfter func() string) func(string) []mock.Fault {
	return func(op string) []mock.Fault {
		ra := ""
		if retryAfter != nil {
			ra = retryAfter()
		}
		return []mock.Fault{{Operation: op, Kind: mock.FaultStatus, Status: status, RetryAfter: ra, Times: times}}
	}
}

func kindFault(k mock.FaultKind, times int) func(string) []mock.Fault {
	return func(op string) []mock.Fault {
		return []mock.Fault{{Operation: op, Kind: k, Times: times}}
	}
}

var matrixFaults = []matrixFault{
	{name: "429 + `Retry-After: 1` (seconds)", faults: statusFault(429, 1, func() string { return "1" })},
	{name: "429 + `Retry-After: <HTTP-date>`", faults: statusFault(429, 1, func() string {
		return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
	})},
	{name: "500", faults: statusFault(500, 1, nil)},
	{name: "502", faults: statusFault(502, 1, nil)},
	{name: "503", faults: statusFault(503, 1, nil)},
	{name: "504", faults: statusFault(504, 1, nil)},
	{name: "503 on every attempt (retries exhausted)", faults: statusFault(503, 3, nil)},
	{name: "connection reset before the response", faults: kindFault(mock.FaultReset, 1)},
	{name: "connection reset on every attempt", faults: kindFault(mock.FaultReset, 3)},
	{name: "commit-then-drop (acted on, connection closed, no answer)", faults: kindFault(mock.FaultCommitThenDrop, 1)},
	{name: "commit-then-drop, then reset on both retries", faults: func(op string) []mock.Fault {
		return []mock.Fault{{Operation: op, Kind: mock.FaultCommitThenDrop}, {Operation: op, Kind: mock.FaultReset, Times: 2}}
	}},
	{
		name: "slow answer past the call timeout (`wrapper.WithTimeout(500ms)`, answer after 10s)",
		faults: func(op string) []mock.Fault {
			return []mock.Fault{{Operation: op, Kind: mock.FaultDelay, Delay: slowDelay}}
		},
		callTimeout: slowTimeout,
	},
	{
		name: "slow answer past the attempt timeout (`http.Client.Timeout` 500ms, first answer after 10s)",
		faults: func(op string) []mock.Fault {
			return []mock.Fault{{Operation: op, Kind: mock.FaultDelay, Delay: slowDelay}}
		},
		attemptTimeout: slowTimeout,
	},
	{name: "truncated JSON (2xx body cut in half)", faults: kindFault(mock.FaultTruncated, 1)},
	{
		name: "invalid JSON (2xx, JSON content type, `{\"id\": tru}`)",
		inject: func(m matrixOp) *injectRule {
			return &injectRule{Method: m.method, Path: m.path, Times: 1, Body: bytesBody([]byte(`{"id": tru}`))}
		},
	},
	{name: "wrong content type (2xx `text/html`)", faults: kindFault(mock.FaultWrongContentType, 1)},
	{
		name: "body over 10 MiB, with Content-Length (10 MiB + 1 B, nothing done)",
		faults: func(op string) []mock.Fault {
			return []mock.Fault{{Operation: op, Kind: mock.FaultOversized, Size: overLimit}}
		},
	},
	{
		name: "body over 10 MiB, streamed without Content-Length (10 MiB + 1 B, after acting)",
		inject: func(m matrixOp) *injectRule {
			return &injectRule{Method: m.method, Path: m.path, Times: 1, Body: streamBody(overLimit)}
		},
	},
}

// outcome is what one cell produced.
type outcome struct {
	label      string // classification of the result
	typed      bool   // success or an error of a documented type
	attempts   int    // requests the mock received for the operation
	objects    int    // objects the operation created in the mock
	retryAfter bool   // a retry waited per Retry-After
	resolved   bool   // a duplicate answer was resolved with GET ?request_id
}

// want is the expected outcome of one cell.
type want struct {
	label    string
	attempts int
	objects  int
}

// classify names the result of a call by its type.
func classify(err error) (string, bool) {
	var (
		ou  *wrapper.OutcomeUnknownError
		ae  *wrapper.APIError
		de  *wrapper.DecodeError
		tl  *wrapper.ResponseTooLargeError
		ue  *url.Error
		ne  net.Error
		sep = " ← "
	)
	switch {
	case err == nil:
		return "success", true
	case errors.As(err, &ou):
		inner, _ := classify(ou.Err)
		return "`*OutcomeUnknownError`" + sep + inner, errors.Is(err, wrapper.ErrOutcomeUnknown)
	case errors.As(err, &ae):
		return fmt.Sprintf("`*APIError` %d", ae.StatusCode), true
	case errors.As(err, &de):
		return "`*DecodeError`", errors.Is(err, wrapper.ErrDecode)
	case errors.As(err, &tl):
		return "`*ResponseTooLargeError`", errors.Is(err, wrapper.ErrResponseTooLarge)
	case errors.Is(err, context.DeadlineExceeded):
		return "`context.DeadlineExceeded`", true
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout (`net.Error`)", true
	case errors.As(err, &ue):
		return "transport error (`*url.Error`)", false
	}
	return fmt.Sprintf("untyped %T", err), false
}

// Expected outcomes, per fault row, for getBalance, createPayout, createPayin.
var (
	okRetried = want{"success", 2, 1}
	decode    = want{"`*DecodeError`", 1, 1}
	tooLarge  = want{"`*ResponseTooLargeError`", 1, 0}
	ouTrans   = want{"`*OutcomeUnknownError` ← transport error (`*url.Error`)", 1, 0}
)

func ou5xx(s int) want {
	return want{fmt.Sprintf("`*OutcomeUnknownError` ← `*APIError` %d", s), 1, 0}
}

var matrixWant = map[string][3]want{
	// A 429 was refused, not acted on, so even a write without request_id is
	// retried (one payment link).
	matrixFaults[0].name: {okRetried, okRetried, okRetried},
	matrixFaults[1].name: {okRetried, okRetried, okRetried},
	matrixFaults[2].name: {okRetried, okRetried, ou5xx(500)},
	matrixFaults[3].name: {okRetried, okRetried, ou5xx(502)},
	matrixFaults[4].name: {okRetried, okRetried, ou5xx(503)},
	matrixFaults[5].name: {okRetried, okRetried, ou5xx(504)},
	// A create whose retries all end in 5xx, a reset or a timeout may have
	// been acted on: *OutcomeUnknownError carrying its request_id.
	matrixFaults[6].name:  {{"`*APIError` 503", 3, 0}, {"`*OutcomeUnknownError` ← `*APIError` 503", 3, 0}, ou5xx(503)},
	matrixFaults[7].name:  {okRetried, okRetried, ouTrans},
	matrixFaults[8].name:  {{"transport error (`*url.Error`)", 3, 0}, {ouTrans.label, 3, 0}, ouTrans},
	matrixFaults[9].name:  {okRetried, okRetried, {ouTrans.label, 1, 1}},
	matrixFaults[10].name: {{"transport error (`*url.Error`)", 3, 0}, {ouTrans.label, 3, 1}, {ouTrans.label, 1, 1}},
	matrixFaults[11].name: {{"`context.DeadlineExceeded`", 1, 0}, {"`*OutcomeUnknownError` ← `context.DeadlineExceeded`", 1, 0}, {"`*OutcomeUnknownError` ← `context.DeadlineExceeded`", 1, 0}},
	matrixFaults[12].name: {okRetried, okRetried, {"`*OutcomeUnknownError` ← `context.DeadlineExceeded`", 1, 0}},
	matrixFaults[13].name: {decode, decode, decode},
	matrixFaults[14].name: {decode, decode, decode},
	matrixFaults[15].name: {decode, decode, decode},
	matrixFaults[16].name: {tooLarge, tooLarge, tooLarge},
	matrixFaults[17].name: {tooLarge, {tooLarge.label, 1, 1}, {tooLarge.label, 1, 1}},
}

// runCell runs one call of op against a fresh mock with fault f.
func runCell(t *testing.T, op matrixOp, f matrixFault) outcome {
	srv := startMock(t)
	tr, _ := newTransport(t, 4)
	inj := &injector{next: tr}
	setup := newClient(t, srv, tr, 0)
	bene := ""
	if op.opID == "createPayout" {
		bene = createBeneficiary(t, setup)
	}
	var logs logSink
	c := newClient(t, srv, inj, f.attemptTimeout, wrapper.WithLogger(logs.logger()))
	if f.faults != nil {
		for _, fl := range f.faults(op.opID) {
			srv.AddFault(fl)
		}
	}
	if f.inject != nil {
		inj.add(f.inject(op))
	}
	before := 0
	if op.resource != "" {
		before = srv.Count(op.resource)
	}
	ctx := context.Background()
	call := op.call
	if f.callTimeout > 0 {
		call = func(ctx context.Context, t *testing.T, c *wrapper.Client, bene string) (string, error) {
			return callWithTimeout(ctx, t, c, op, bene, f.callTimeout)
		}
	}
	id, err := call(ctx, t, c, bene)
	label, typed := classify(err)
	o := outcome{label: label, typed: typed, attempts: srv.Calls(op.opID)}
	if op.resource != "" {
		o.objects = srv.Count(op.resource) - before
		if err == nil {
			objs := srv.Objects(op.resource)
			found := false
			for _, obj := range objs {
				if obj["id"] == id {
					found = true
				}
			}
			if !found {
				t.Errorf("%s returned id %q, which the mock does not hold", op.opID, id)
			}
		}
	}
	for _, r := range logs.records("glomo retry") {
		if r["retry_after"] == true {
			o.retryAfter = true
		}
	}
	o.resolved = len(logs.records("glomo duplicate resolved")) > 0
	if err != nil {
		t.Logf("%s: %v", op.opID, err)
	}
	return o
}

// callWithTimeout is op.call with wrapper.WithTimeout(d) on the call.
func callWithTimeout(ctx context.Context, t *testing.T, c *wrapper.Client, op matrixOp, bene string, d time.Duration) (string, error) {
	to := wrapper.WithTimeout(d)
	switch op.opID {
	case "getBalance":
		_, err := c.GetBalance(ctx, to)
		return "", err
	case "createPayout":
		p, err := c.CreatePayout(ctx, payoutBody(t, bene, ""), to)
		if err != nil {
			return "", err
		}
		return p.Id, nil
	case "createPayin":
		p, err := c.CreatePayin(ctx, payinBody(t), to)
		if err != nil {
			return "", err
		}
		return p.Id, nil
	}
	t.Fatalf("no timed call for %s", op.opID)
	return "", nil
}

func (o outcome) cell(op matrixOp) string {
	var parts []string
	if o.label == "success" {
		parts = append(parts, "**success**")
	} else {
		parts = append(parts, o.label)
	}
	if !o.typed {
		parts[0] = "⚠ " + parts[0]
	}
	att := "attempts"
	if o.attempts == 1 {
		att = "attempt"
	}
	parts = append(parts, fmt.Sprintf("%d %s", o.attempts, att))
	if op.resource != "" {
		n := op.noun + "s"
		if o.objects == 1 {
			n = op.noun
		}
		parts = append(parts, fmt.Sprintf("%d %s", o.objects, n))
	}
	if o.retryAfter {
		parts = append(parts, "waited per Retry-After")
	}
	if o.resolved {
		parts = append(parts, "409 resolved by `GET ?request_id`")
	}
	return strings.Join(parts, " · ")
}

// TestFaultMatrix runs every fault against the three calls, asserts each
// cell's outcome and keeps the table in docs/reliability.md current.
func TestFaultMatrix(t *testing.T) {
	var mu sync.Mutex
	got := map[[2]int]outcome{}
	t.Run("cells", func(t *testing.T) {
		for fi, f := range matrixFaults {
			exp, ok := matrixWant[f.name]
			if !ok {
				t.Fatalf("no expectation for %q", f.name)
			}
			for oi, op := range matrixOps {
				t.Run(fmt.Sprintf("%02d-%s", fi, op.opID), func(t *testing.T) {
					t.Parallel()
					o := runCell(t, op, f)
					mu.Lock()
					got[[2]int{fi, oi}] = o
					mu.Unlock()
					w := exp[oi]
					if op.resource == "" {
						w.objects = 0
					}
					if o.label != w.label || o.attempts != w.attempts || o.objects != w.objects {
						t.Errorf("%s × %s: got %s, %d attempts, %d objects; want %s, %d attempts, %d objects",
							f.name, op.opID, o.label, o.attempts, o.objects, w.label, w.attempts, w.objects)
					}
					if strings.HasPrefix(f.name, "429") && op.opID != "createPayin" && !o.retryAfter {
						t.Errorf("%s × %s: the retry did not wait per Retry-After", f.name, op.opID)
					}
					if f.name == matrixFaults[9].name && op.opID == "createPayout" && !o.resolved {
						t.Errorf("commit-then-drop × createPayout: no duplicate resolution logged")
					}
				})
			}
		}
	})
	if t.Failed() {
		return
	}
	var b strings.Builder
	b.WriteString("| Fault (injected once unless stated) |")
	for _, op := range matrixOps {
		b.WriteString(" " + op.title + " |")
	}
	b.WriteString("\n|---|---|---|---|\n")
	untyped := 0
	for fi, f := range matrixFaults {
		b.WriteString("| " + f.name + " |")
		for oi, op := range matrixOps {
			o := got[[2]int{fi, oi}]
			if !o.typed {
				untyped++
			}
			b.WriteString(" " + o.cell(op) + " |")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\n%d cells; %d end in success, %d in a typed error, %d in an error of no wrapper type (⚠).\n",
		len(got), countLabel(got, "success"), len(got)-countLabel(got, "success")-untyped, untyped)
	docSection(t, "fault-matrix", b.String(), true)
}

func countLabel(m map[[2]int]outcome, label string) int {
	n := 0
	for _, o := range m {
		if o.label == label {
			n++
		}
	}
	return n
}

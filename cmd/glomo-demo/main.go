// Command glomo-demo tells glomo-go's story end to end: balance, a new
// beneficiary, a payout that survives a 503 and a lost response without
// paying twice, the payout driven to success, its signed webhook verified,
// and the payouts listed with the iterator.
//
// With GLOMO_API_KEY unset it runs against the embedded mock Glomo server
// (no credentials, no network). With a test key it runs against Glomo's
// sandbox; a live key is refused unless -live is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/mock"
	"github.com/glomo-go/glomo-go/webhook"
	"github.com/glomo-go/glomo-go/wrapper"
)

func main() {
	live := flag.Bool("live", false, "allow a live key (moves real money)")
	timeout := flag.Duration("timeout", 45*time.Second, "give up after this long")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := run(ctx, os.Stdout, os.Getenv(wrapper.EnvAPIKey), *live); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
}

// env is where the demo runs: the embedded mock, or Glomo's sandbox.
type env struct {
	client   *wrapper.Client
	mock     *mock.Server // nil against the sandbox
	events   chan webhook.Event
	teardown func()
}

func run(ctx context.Context, out io.Writer, key string, live bool) error {
	p := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	e, err := setup(out, key, live)
	if err != nil {
		return err
	}
	defer e.teardown()
	c := e.client

	p("\n1. Balance")
	bal, err := c.GetBalance(ctx)
	if err != nil {
		return fmt.Errorf("balance: %w", err)
	}
	for _, b := range bal.Available {
		p("   available %s %d (minor units)", b.Currency, b.Amount)
	}
	usdBefore := available(bal, "USD")
	if usdBefore < 29900 {
		return fmt.Errorf("USD %d available does not cover the demo's payout of 29900: fund the account first", usdBefore)
	}

	p("\n2. Create a beneficiary")
	bene, err := createBeneficiary(ctx, c, e.mock != nil, p)
	if err != nil {
		return err
	}

	p("\n3. Pay out with a request_id while Glomo misbehaves")
	requestID := fmt.Sprintf("demo-payout-%d", time.Now().UnixNano())
	if e.mock != nil {
		// The first attempt gets a 503; the retry is committed by the server
		// but its answer is lost (connection dropped). The third attempt hears
		// "Record already exists" and the client fetches the original.
		e.mock.AddFault(mock.Fault{Operation: "createPayout", Kind: mock.FaultStatus, Status: 503})
		e.mock.AddFault(mock.Fault{Operation: "createPayout", Kind: mock.FaultCommitThenDrop})
		p("   mock: createPayout answers 503 once, then commits and drops the connection once")
	}
	payout, err := c.CreatePayout(ctx, api.CreatePayoutWithoutQuoteRequest{
		BeneficiaryId:       bene,
		SourceCurrency:      api.USD,
		SourceAmount:        29900, // $299.00
		DestinationCurrency: api.USD,
		PurposeCode:         "S0017",
		PaymentRail:         api.CreatePayoutWithoutQuoteRequestPaymentRailSwift,
		RequestId:           requestID,
	})
	if err != nil {
		return fmt.Errorf("payout: %w", err)
	}
	p("   payout %s status %s, request_id %s", payout.Id, payout.Status, requestID)
	same, err := collect(c.GetPayoutsIter(ctx, &api.GetPayoutsParams{RequestId: &requestID}))
	if err != nil {
		return fmt.Errorf("list by request_id: %w", err)
	}
	if len(same) != 1 {
		return fmt.Errorf("want exactly one payout for request_id %s, Glomo has %d", requestID, len(same))
	}
	if e.mock != nil && e.mock.Count("payouts") != 1 {
		return fmt.Errorf("the mock holds %d payouts, want 1", e.mock.Count("payouts"))
	}
	p("   exactly one payout carries request_id %s (three attempts, one payout)", requestID)

	p("\n4. Drive the payout to success (sandbox mock endpoint)")
	success := api.MockUpdatePayoutStatusRequestStatus("success")
	if _, err := c.MockUpdatePayoutStatus(ctx, api.MockUpdatePayoutStatusJSONRequestBody{Id: payout.Id, Status: success}); err != nil {
		return fmt.Errorf("mock payout status: %w", err)
	}
	done, err := c.GetPayoutById(ctx, payout.Id)
	if err != nil {
		return err
	}
	if string(done.Status) != "success" {
		return fmt.Errorf("payout %s is %s, want success", payout.Id, done.Status)
	}
	p("   %s -> %s", payout.Status, done.Status)
	bal, err = c.GetBalance(ctx)
	if err != nil {
		return fmt.Errorf("balance: %w", err)
	}
	usdAfter := available(bal, "USD")
	p("   available USD %d -> %d (the payout's %d debited once)", usdBefore, usdAfter, usdBefore-usdAfter)
	if e.mock != nil && usdBefore-usdAfter != 29900 {
		return fmt.Errorf("the mock debited %d, want 29900", usdBefore-usdAfter)
	}

	p("\n5. Receive the signed webhook")
	if e.events == nil {
		p("   (against the sandbox, webhooks go to the URL set in your dashboard; skipped)")
	} else {
		ev, err := awaitEvent(ctx, e.events, webhook.EntityPayout, "success")
		if err != nil {
			return err
		}
		po, derr := webhook.DataAs[api.Payout](ev)
		if derr != nil {
			return fmt.Errorf("webhook data: %w", derr)
		}
		p("   verified %s %s for %s (dedupe key %s)", ev.EntityType, ev.EventType, po.Id, webhook.DedupeKey(ev))
	}

	p("\n6. List payouts with the iterator")
	n := 0
	for po, err := range c.GetPayoutsIter(ctx, nil) {
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		n++
		if n <= 5 {
			p("   %s  %-12s %d %s", po.Id, po.Status, po.SourceAmount, po.SourceCurrency)
		}
	}
	p("   %d payout(s) in all", n)
	p("\nDone: one payout, paid once, confirmed by a verified webhook.")
	return nil
}

func setup(out io.Writer, key string, live bool) (*env, error) {
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == slog.LevelKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	policy := wrapper.DefaultRetryPolicy()
	policy.BaseDelay, policy.MaxDelay = 50*time.Millisecond, 500*time.Millisecond

	if key != "" {
		if looksLive(key) && !live {
			return nil, errors.New("GLOMO_API_KEY is a live key: this demo moves money; pass -live to allow it")
		}
		c, err := wrapper.New(wrapper.WithAPIKey(key), wrapper.WithLogger(logger), wrapper.WithRetryPolicy(policy))
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(out, "Running against Glomo (the key decides sandbox or live).")
		return &env{client: c, teardown: func() {}}, nil
	}

	// No key: the embedded mock, plus a local webhook receiver it posts to.
	const secret = "whsec_demo"
	events := make(chan webhook.Event, 64)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hooks := &http.Server{Handler: webhook.Handler(secret, func(_ context.Context, ev webhook.Event) error {
		select {
		case events <- ev:
		default:
		}
		return nil
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hooks.Serve(ln) }()

	srv, err := mock.Start(mock.WithWebhook("http://"+ln.Addr().String()+"/webhooks", secret))
	if err != nil {
		_ = hooks.Close()
		return nil, err
	}
	c, err := wrapper.New(wrapper.WithAPIKey(srv.Key), wrapper.WithBaseURL(srv.URL),
		wrapper.WithLogger(logger), wrapper.WithRetryPolicy(policy))
	if err != nil {
		srv.Close()
		_ = hooks.Close()
		return nil, err
	}
	fmt.Fprintf(out, "No GLOMO_API_KEY: running against the embedded mock Glomo at %s (webhooks to %s).\n", srv.URL, ln.Addr())
	return &env{client: c, mock: srv, events: events, teardown: func() {
		srv.Close()
		_ = hooks.Close()
	}}, nil
}

// createBeneficiary creates a v2 payout beneficiary and, when it starts
// pending review, approves it through the sandbox review endpoint.
func createBeneficiary(ctx context.Context, c *wrapper.Client, sandbox bool, p func(string, ...any)) (string, error) {
	b, err := c.CreateBeneficiaryV2(ctx, api.BeneficiaryV2CreateRequest{
		Category: api.BeneficiaryV2CreateRequestCategoryPayout,
		Beneficiary: api.BeneficiaryParty{
			Name: "ACME Corporation", Type: api.BeneficiaryV2CreateRequestBeneficiaryTypeBusiness, Email: "finance@acme.com",
			Address: api.Address{AddressLine1: "123 Business Park", City: "New York", State: "NY", CountryCode: "USA", PostalCode: "10001"},
		},
		BankAccount: api.BeneficiaryBankAccount{
			AccountNumber: "1234567890", Currency: api.USD, SwiftCode: "CITIUS33",
			Address: api.Address{AddressLine1: "388 Greenwich St", City: "New York", State: "NY", CountryCode: "USA"},
		},
	})
	if err != nil {
		return "", fmt.Errorf("beneficiary: %w", err)
	}
	p("   beneficiary %s status %s", b.Id, b.Status)
	if b.Status == api.BeneficiaryV2StatusPending && sandbox {
		review := api.MockReviewBeneficiaryV2JSONRequestBody{ReviewAction: api.Approve}
		if _, err := c.MockReviewBeneficiaryV2(ctx, b.Id, review); err != nil {
			return "", fmt.Errorf("approve beneficiary: %w", err)
		}
		p("   approved through the sandbox review endpoint")
	}
	return b.Id, nil
}

// available is the available amount of currency in bal (0 when absent).
func available(bal *api.AllBalances, currency string) int64 {
	for _, b := range bal.Available {
		if string(b.Currency) == currency {
			return b.Amount
		}
	}
	return 0
}

func awaitEvent(ctx context.Context, events <-chan webhook.Event, entity, status string) (webhook.Event, error) {
	for {
		select {
		case ev := <-events:
			if ev.EntityType == entity && ev.EventType == status {
				return ev, nil
			}
		case <-ctx.Done():
			return webhook.Event{}, fmt.Errorf("no %s %s webhook arrived: %w", entity, status, ctx.Err())
		}
	}
}

func collect[T any](seq func(func(T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// looksLive reports whether a key names the live environment. Glomo's docs
// don't publish the secret key format; keys seen carry "live" or "test" in
// their prefix (sk_live_..., live_...), so anything mentioning live counts.
func looksLive(key string) bool {
	prefix, _, _ := strings.Cut(key, "_")
	return prefix == "live" || strings.HasPrefix(key, "sk_live") || strings.Contains(key, "_live_")
}

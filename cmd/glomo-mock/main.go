// Command glomo-mock serves the glomo-go mock of the Glomo API (package
// mock) on a local address, for testing services in any language without a
// Glomo account or the internet.
//
//	glomo-mock -addr 127.0.0.1:8080 -key sk_test_mock
//
// Point the client at http://127.0.0.1:8080/api with the key. Each request
// is logged in one line. SIGINT or SIGTERM stops it cleanly.
//
// Faults can be set at start with -fault (repeatable), e.g.
//
//	-fault op=createPayout,kind=status,status=503,retry_after=2,times=2
//	-fault op=createPayout,kind=commit_then_drop
//	-fault kind=delay,delay=2s,times=-1
//
// or at run time over HTTP (same bearer key):
//
//	curl -H "Authorization: Bearer $KEY" -d '{"operation":"getBalance","kind":"status","status":429,"retry_after":"1"}' http://127.0.0.1:8080/__mock/faults
//	curl -H "Authorization: Bearer $KEY" -X DELETE http://127.0.0.1:8080/__mock/faults
//	curl -H "Authorization: Bearer $KEY" http://127.0.0.1:8080/__mock/state/payouts
//	curl -H "Authorization: Bearer $KEY" -X POST http://127.0.0.1:8080/__mock/reset
//	curl -H "Authorization: Bearer $KEY" -d '{"url":"http://127.0.0.1:9000/hooks","secret":"whsec"}' http://127.0.0.1:8080/__mock/webhook
//
// Fault kinds: status, delay, reset, commit_then_drop, truncated,
// wrong_content_type, oversized.
//
// Money: the account starts with 100,000,000,000 minor units in AED, EUR, GBP and
// USD unless -balance says otherwise (-balance USD=500000, repeatable). A
// payout the balance cannot cover is refused (400, code
// INSUFFICIENT_BALANCE) unless -payout-queueing accepts it queued.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/glomo-go/glomo-go/mock"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "glomo-mock:", err)
		os.Exit(1)
	}
}

// balanceFlags collects -balance CUR=amount.
type balanceFlags []mock.Option

func (b *balanceFlags) String() string { return fmt.Sprint(len(*b), " balances") }

func (b *balanceFlags) Set(s string) error {
	cur, amt, ok := strings.Cut(s, "=")
	n, err := strconv.ParseInt(amt, 10, 64)
	if !ok || err != nil || len(cur) != 3 || n < 0 {
		return fmt.Errorf("want CUR=amount in minor units (e.g. USD=1000000), got %q", s)
	}
	*b = append(*b, mock.WithBalance(strings.ToUpper(cur), n))
	return nil
}

type faultFlags []mock.Fault

func (f *faultFlags) String() string { return fmt.Sprint(len(*f), " faults") }

func (f *faultFlags) Set(s string) error {
	v, err := mock.ParseFault(s)
	if err != nil {
		return err
	}
	*f = append(*f, v)
	return nil
}

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, logw io.Writer) error {
	fs := flag.NewFlagSet("glomo-mock", flag.ContinueOnError)
	fs.SetOutput(logw)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	key := fs.String("key", envOr("GLOMO_MOCK_KEY", mock.DefaultKey), "secret key the mock accepts (env GLOMO_MOCK_KEY)")
	hookURL := fs.String("webhook-url", "", "POST transition webhooks to this URL")
	hookSecret := fs.String("webhook-secret", "", "secret the webhooks are signed with (X-Glomopay-Signature)")
	maxObjects := fs.Int("max-objects", mock.DefaultMaxObjects, "objects kept per resource (oldest evicted)")
	review := fs.Bool("beneficiary-review", false, "new beneficiaries start pending (approve with the v2 mock-review endpoint)")
	quiet := fs.Bool("quiet", false, "do not log requests")
	queueing := fs.Bool("payout-queueing", false, "accept every payout queued instead of refusing one the balance cannot cover (INSUFFICIENT_BALANCE)")
	var balances balanceFlags
	fs.Var(&balances, "balance", "starting available balance CUR=amount in minor units (repeatable; default 100000000000 in AED, EUR, GBP and USD)")
	var faults faultFlags
	fs.Var(&faults, "fault", "inject a fault: op=<operationId>,kind=<kind>[,status=,retry_after=,delay=,size=,after=,times=] (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if strings.HasPrefix(*key, "test_") || strings.HasPrefix(*key, "live_") {
		return errors.New("-key must be a secret key (sk_test_...), not a publishable one")
	}
	logger := slog.New(slog.NewTextHandler(logw, nil))
	opts := []mock.Option{mock.WithAddr(*addr), mock.WithKey(*key), mock.WithMaxObjects(*maxObjects), mock.WithFaults(faults...)}
	if !*quiet {
		opts = append(opts, mock.WithLogger(logger))
	}
	if *hookURL != "" {
		opts = append(opts, mock.WithWebhook(*hookURL, *hookSecret))
	}
	if *review {
		opts = append(opts, mock.WithBeneficiaryReview())
	}
	if *queueing {
		opts = append(opts, mock.WithPayoutQueueing())
	}
	opts = append(opts, balances...)
	srv, err := mock.Start(opts...)
	if err != nil {
		return err
	}
	logger.Info("listening", "url", srv.URL, "health", "http://"+srv.Addr()+"/")
	<-ctx.Done()
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

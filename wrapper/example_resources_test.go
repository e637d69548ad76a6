package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/webhook"
	"github.com/glomo-go/glomo-go/wrapper"
)

// One Example per resource family, each against the in-process mock. Request
// bodies are plain values: required fields first, optional ones left out
// when unset, nested objects named types, currencies api.USD and friends.

// A payout beneficiary with its bank account: the nested objects are named
// types (api.BeneficiaryParty, api.Address, api.BeneficiaryBankAccount).
func ExampleClient_CreateBeneficiaryV2() {
	srv, c := startMock()
	defer srv.Close()
	b, err := c.CreateBeneficiaryV2(context.Background(), api.BeneficiaryV2CreateRequest{
		Category: api.BeneficiaryV2CreateRequestCategoryPayout,
		Beneficiary: api.BeneficiaryParty{
			Name: "ACME Corporation", Type: api.BeneficiaryV2CreateRequestBeneficiaryTypeBusiness,
			Address: api.Address{AddressLine1: "123 Business Park", City: "New York", State: "NY", CountryCode: "USA"},
		},
		BankAccount: api.BeneficiaryBankAccount{AccountNumber: "1234567890", Currency: api.USD, SwiftCode: "CITIUS33"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(b.Id, "bene_"), b.Status, b.BankAccount.Currency, b.BankAccount.SwiftCode)
	// Output: true active USD CITIUS33
}

// A quote locks the rate and fees of a payout for 30 minutes; the payout then
// names it instead of amounts (the api.CreatePayoutWithQuoteRequest branch)
// and gets exactly the quoted amounts. A quote is used once.
func ExampleClient_CreateQuote() {
	srv, c := startMock()
	defer srv.Close()
	ctx := context.Background()
	if err := srv.Put("beneficiaries", map[string]any{"id": "bene_acme", "status": "active"}); err != nil {
		panic(err)
	}
	ql, err := c.CreateQuote(ctx, api.CreateQuoteRequest{
		Resource: api.CreateQuoteRequestResourcePayout, SourceCurrency: api.USD, DestinationCurrency: api.INR,
		SourceAmount: 10000, Method: api.QuoteMethod{PaymentMethod: "bank_transfer", Subtype: "swift_transfer"},
	})
	if err != nil {
		panic(err)
	}
	q := ql.Quotes[0]
	p, err := c.CreatePayout(ctx, api.CreatePayoutWithQuoteRequest{BeneficiaryId: "bene_acme", QuoteId: q.Id, PurposeCode: "S0017"})
	if err != nil {
		panic(err)
	}
	fmt.Println(p.QuoteId == q.Id, p.SourceAmount == q.SourceAmount, p.DestinationAmount == q.DestinationAmount, p.PaymentRail)
	_, err = c.CreatePayout(ctx, api.CreatePayoutWithQuoteRequest{BeneficiaryId: "bene_acme", QuoteId: q.Id, PurposeCode: "S0017"})
	fmt.Println(wrapper.IsNotFound(err), errors.Is(err, wrapper.ErrBadRequest))
	// Output:
	// true true true swift
	// false true
}

// A customer: required fields are values the compiler asks for.
func ExampleClient_CreateCustomer() {
	srv, c := startMock()
	defer srv.Close()
	cust, err := c.CreateCustomer(context.Background(), api.CustomerRequest{
		CustomerType: api.CustomerRequestCustomerTypeIndividual, Name: "Asha Rao", Email: "asha@example.com",
		Address: "12 MG Road", City: "Bengaluru", State: "KA", Country: "IND",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(cust.Id, "cust_"), cust.Name, cust.Email)
	// Output: true Asha Rao asha@example.com
}

// An order is a oneOf body (with or without a quote): pass the branch value
// itself. An order is idempotent, so request_id is set for you.
func ExampleClient_CreateOrder() {
	srv, c := startMock()
	defer srv.Close()
	var requestID string
	o, err := c.CreateOrder(context.Background(), api.OrdersRequest{
		CustomerId: "cust_1", Amount: 150000, Currency: api.USD, PurposeCode: "P0802",
	}, wrapper.WithRequestIDCapture(&requestID))
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(o.Id, "order_"), o.Status, o.Amount, o.Currency, o.RequestId == requestID)
	// Output: true active 150000 USD true
}

// A payment link is the other oneOf body family (CreatePayin). NotifyCustomer
// defaults to true, so it is one of the few pointers: api.Ptr(false).
func ExampleClient_CreatePayin() {
	srv, c := startMock()
	defer srv.Close()
	pl, err := c.CreatePayin(context.Background(), api.PaymentLinkRequest{
		CustomerId: "cust_1", Amount: 29900, Currency: api.USD, PurposeCode: "P0802",
		ExpiresAt: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), NotifyCustomer: api.Ptr(false),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(pl.Id, "plink_"), pl.Status, pl.Amount, *pl.NotifyCustomer)
	// Output: true active 29900 false
}

// A refund of part of a succeeded payment (seeded into the mock here).
func ExampleClient_CreateRefund() {
	srv, c := startMock()
	defer srv.Close()
	if err := srv.Put("payments", map[string]any{"id": "payt_1", "status": "success", "amount": 29900, "currency": "USD"}); err != nil {
		panic(err)
	}
	r, err := c.CreateRefund(context.Background(), api.CreateRefundJSONRequestBody{
		PaymentId: "payt_1", Amount: 10000, Reason: api.CreateRefundJSONBodyReasonRequestedByCustomer,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(r.Id, "refund_"), r.Status, r.Amount, r.Currency)
	// Output: true in_progress 10000 USD
}

// A virtual account receives local transfers in one currency.
func ExampleClient_CreateVirtualAccount() {
	srv, c := startMock()
	defer srv.Close()
	va, err := c.CreateVirtualAccount(context.Background(), api.CreateVirtualAccountJSONRequestBody{
		Currency: api.USD, PaymentType: api.CreateVirtualAccountJSONBodyPaymentTypeLocal,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(va.Currency, va.Status)
	// Output: USD active
}

// A settlement moves an available balance out; the mock debits its ledger.
func ExampleClient_CreateSettlement() {
	srv, c := startMock()
	defer srv.Close()
	s, err := c.CreateSettlement(context.Background(), api.CreateSettlementRequest{Amount: 50000, BalanceCurrency: api.USD})
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(s.Id, "setl_"), s.Status, s.Amount, s.Currency)
	// Output: true in_progress 50000 USD
}

// Converting between balances: the body is one of two branches (sell an
// amount, or buy one).
func ExampleClient_CreateBalanceConversion() {
	srv, c := startMock()
	defer srv.Close()
	conv, err := c.CreateBalanceConversion(context.Background(), api.BalanceConversionBySource{
		SourceCurrency: api.USD, TargetCurrency: api.EUR, SourceAmount: 10000,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(conv.From.Amount, conv.From.Currency, conv.To.Currency, conv.Status)
	// Output: 10000 USD EUR success
}

// Query parameters stay pointers (absent means Glomo's default): api.Ptr.
func ExampleClient_GetPayouts() {
	srv, c := startMock()
	defer srv.Close()
	for i := range 3 {
		_ = srv.Put("payouts", map[string]any{"id": fmt.Sprintf("payout_%d", i+1), "status": "success", "source_amount": 100})
	}
	page, err := c.GetPayouts(context.Background(), &api.GetPayoutsParams{
		Status: api.Ptr(api.GetPayoutsParamsStatusSuccess), PerPage: api.Ptr[api.PerPageParam](2),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(page.Data), page.PageMeta.Count, page.PageMeta.Next)
	// Output: 2 3 2
}

// Webhooks: the mock signs and delivers an event when a payout moves; the
// receiver verifies it with webhook.Handler and decodes the typed data.
func ExampleClient_MockUpdatePayoutStatus() {
	const secret = "whsec_example"
	got := make(chan string, 4)
	hook := httptest.NewServer(webhook.Handler(secret, func(_ context.Context, ev webhook.Event) error {
		if p, err := webhook.DataAs[api.Payout](ev); err == nil {
			got <- fmt.Sprint(ev.EntityType, " ", ev.EventType, " ", p.Id)
		}
		return nil
	}))
	defer hook.Close()
	srv, c := startMock()
	defer srv.Close()
	srv.SetWebhook(hook.URL, secret)
	if err := srv.Put("payouts", map[string]any{"id": "payout_7", "status": "in_progress"}); err != nil {
		panic(err)
	}
	ctx := context.Background()
	if _, err := c.MockUpdatePayoutStatus(ctx, api.MockUpdatePayoutStatusJSONRequestBody{
		Id: "payout_7", Status: api.MockUpdatePayoutStatusRequestStatusSuccess,
	}); err != nil {
		panic(err)
	}
	if err := srv.WaitForDeliveries(ctx); err != nil {
		panic(err)
	}
	fmt.Println(<-got)
	// Output: payout success payout_7
}

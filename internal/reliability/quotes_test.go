package reliability

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/mock"
)

// TestQuotePayoutSurvivesALostAnswer: a payout made with a single-use quote
// whose answer is lost is retried with the same request_id; the retry meets
// "already exists" (not "quote already used") and the client returns the one
// payout, with the quote's amounts, debited once.
func TestQuotePayoutSurvivesALostAnswer(t *testing.T) {
	srv := startMock(t, mock.WithBalance("USD", 50000))
	c := newClient(t, srv, nil, 0)
	bene := createBeneficiary(t, c)
	ctx := context.Background()
	ql, err := c.CreateQuote(ctx, api.CreateQuoteRequest{
		Resource: api.CreateQuoteRequestResourcePayout, SourceCurrency: api.USD, DestinationCurrency: api.INR, SourceAmount: 20000,
	})
	require.NoError(t, err)
	q := ql.Quotes[0]

	srv.AddFault(mock.Fault{Operation: "createPayout", Kind: mock.FaultCommitThenDrop})
	p, err := c.CreatePayout(ctx, api.CreatePayoutWithQuoteRequest{BeneficiaryId: bene, QuoteId: q.Id, PurposeCode: "S0017"})
	require.NoError(t, err)
	assert.Equal(t, q.SourceAmount, p.SourceAmount)
	assert.Equal(t, q.DestinationAmount, p.DestinationAmount)
	assert.Equal(t, 1, srv.Count("payouts"))
	assert.Equal(t, 2, srv.Calls("createPayout"), "the lost first attempt and the retry")
	assert.Equal(t, int64(30000), srv.Balances()["USD"], "debited once")
}

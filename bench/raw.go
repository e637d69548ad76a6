package bench

import (
	"context"
	"fmt"
	"net/http"

	"github.com/glomo-go/glomo-go/api"
)

// The raw peer: glomo-go's generated client (package api, oapi-codegen) used
// directly, with the key added by a request editor.

type rawClient struct {
	c *api.ClientWithResponses
}

func init() {
	register(PeerDef{Name: "raw", Order: 1, New: func(base string) (Peer, error) {
		auth := "Bearer " + APIKey
		c, err := api.NewClientWithResponses(base,
			api.WithHTTPClient(newHTTPClient()),
			api.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
				req.Header.Set("Authorization", auth)
				return nil
			}))
		if err != nil {
			return nil, err
		}
		return &rawClient{c: c}, nil
	}})
}

func (r *rawClient) GetBalance(ctx context.Context) error {
	res, err := r.c.GetBalanceWithResponse(ctx)
	if err != nil {
		return err
	}
	if res.JSON200 == nil || len(res.JSON200.Available) == 0 {
		return fmt.Errorf("raw: GetBalance: status %d", res.StatusCode())
	}
	return nil
}

func (r *rawClient) CreatePayout(ctx context.Context) error {
	res, err := r.c.CreatePayoutWithResponse(ctx, payoutBody())
	if err != nil {
		return err
	}
	if res.JSON201 == nil || res.JSON201.Id == "" {
		return fmt.Errorf("raw: CreatePayout: status %d", res.StatusCode())
	}
	return nil
}

// payoutBody is the benchmark's payout request: the oneOf branch value
// itself, which the raw client and the wrapper both take.
func payoutBody() api.CreatePayoutBody {
	return api.CreatePayoutWithoutQuoteRequest{
		PurposeCode:         reqPurposeCode,
		BeneficiaryId:       reqBeneficiaryID,
		SourceCurrency:      reqSourceCur,
		DestinationCurrency: reqDestCur,
		SourceAmount:        reqSourceAmount,
		PaymentRail:         reqPaymentRail,
		InvoiceNumber:       reqInvoiceNumber,
		RequestId:           reqRequestID,
		Documents:           []string{reqDocument},
	}
}

func (r *rawClient) page(ctx context.Context, page int64) (*api.GetPayoutsResult, error) {
	perPage := int64(PageSize)
	res, err := r.c.GetPayoutsWithResponse(ctx, &api.GetPayoutsParams{PerPage: &perPage, Page: &page})
	if err != nil {
		return nil, err
	}
	if res.JSON200 == nil {
		return nil, fmt.Errorf("raw: GetPayouts: status %d", res.StatusCode())
	}
	return res, nil
}

func (r *rawClient) ListPage(ctx context.Context) (int, error) {
	res, err := r.page(ctx, 1)
	if err != nil {
		return 0, err
	}
	return len(res.JSON200.Data), nil
}

func (r *rawClient) Walk(ctx context.Context) (int, error) {
	n := 0
	for p := int64(1); ; {
		res, err := r.page(ctx, p)
		if err != nil {
			return n, err
		}
		for _, po := range res.JSON200.Data {
			if po.Id != "" {
				n++
			}
		}
		next := res.JSON200.PageMeta.Next
		if next <= p { // null (0) on the last page
			return n, nil
		}
		p = next
	}
}

package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// The floor: what a careful engineer writes by hand with net/http and
// encoding/json, with structs holding only what the API sends.

type floorMoney struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"`
}

type floorBalances struct {
	Available []floorMoney `json:"available"`
	Pending   []floorMoney `json:"pending"`
}

type floorDocument struct {
	ID       string  `json:"id"`
	Type     string  `json:"type"`
	Status   string  `json:"status"`
	RFIDocID *string `json:"rfi_doc_id"`
}

type floorPayout struct {
	ID                  string          `json:"id"`
	Status              string          `json:"status"`
	DestinationAmount   int64           `json:"destination_amount"`
	DestinationCurrency string          `json:"destination_currency"`
	SourceAmount        int64           `json:"source_amount"`
	SourceCurrency      string          `json:"source_currency"`
	BeneficiaryID       string          `json:"beneficiary_id"`
	Documents           []floorDocument `json:"documents"`
	PurposeCode         string          `json:"purpose_code"`
	MidMarketRate       struct {
		Currency string      `json:"currency"`
		Rate     json.Number `json:"rate"`
	} `json:"mid_market_rate"`
	Fees struct {
		FxFee  floorMoney `json:"fx_fee"`
		TxnFee floorMoney `json:"txn_fee"`
	} `json:"fees"`
	CreatedAt                time.Time `json:"created_at"`
	UpdatedAt                time.Time `json:"updated_at"`
	UTR                      string    `json:"utr"`
	RequestID                string    `json:"request_id"`
	PaymentRail              string    `json:"payment_rail"`
	InvoiceNumber            string    `json:"invoice_number"`
	FeeCollectionMode        string    `json:"fee_collection_mode"`
	ErrorCode                *string   `json:"error_code"`
	ErrorDescription         *string   `json:"error_description"`
	CustomerErrorDescription *string   `json:"customer_error_description"`
	QuoteID                  *string   `json:"quote_id"`
	Taxes                    []struct {
		Name     string `json:"name"`
		Amount   int64  `json:"amount"`
		Bps      int64  `json:"bps"`
		Currency string `json:"currency"`
	} `json:"taxes"`
	Notes map[string]string `json:"notes"`
}

type floorPageMeta struct {
	Count   int64  `json:"count"`
	Current int64  `json:"current"`
	Next    *int64 `json:"next"`
	Pages   int64  `json:"pages"`
	PerPage int64  `json:"per_page"`
}

type floorPayoutPage struct {
	Data     []floorPayout `json:"data"`
	PageMeta floorPageMeta `json:"page_meta"`
}

type floorCreatePayout struct {
	PurposeCode         string   `json:"purpose_code"`
	BeneficiaryID       string   `json:"beneficiary_id"`
	SourceCurrency      string   `json:"source_currency"`
	DestinationCurrency string   `json:"destination_currency"`
	SourceAmount        int64    `json:"source_amount,omitempty"`
	PaymentRail         string   `json:"payment_rail,omitempty"`
	InvoiceNumber       string   `json:"invoice_number,omitempty"`
	RequestID           string   `json:"request_id,omitempty"`
	Documents           []string `json:"documents,omitempty"`
}

type floorClient struct {
	hc   *http.Client
	base string
	auth string
}

func init() {
	register(PeerDef{Name: "floor", Order: 0, New: func(base string) (Peer, error) {
		return &floorClient{hc: newHTTPClient(), base: base, auth: "Bearer " + APIKey}, nil
	}})
}

// do sends req and decodes a want-status JSON answer into v.
func (c *floorClient) do(req *http.Request, want int, v any) error {
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("floor: %s %s: status %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

func (c *floorClient) GetBalance(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/balances", nil)
	if err != nil {
		return err
	}
	var b floorBalances
	if err := c.do(req, http.StatusOK, &b); err != nil {
		return err
	}
	if len(b.Available) == 0 {
		return fmt.Errorf("floor: no balances")
	}
	return nil
}

func (c *floorClient) CreatePayout(ctx context.Context) error {
	body, err := json.Marshal(floorCreatePayout{
		PurposeCode:         reqPurposeCode,
		BeneficiaryID:       reqBeneficiaryID,
		SourceCurrency:      reqSourceCur,
		DestinationCurrency: reqDestCur,
		SourceAmount:        reqSourceAmount,
		PaymentRail:         reqPaymentRail,
		InvoiceNumber:       reqInvoiceNumber,
		RequestID:           reqRequestID,
		Documents:           []string{reqDocument},
	})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/v1/payouts", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	var p floorPayout
	if err := c.do(req, http.StatusCreated, &p); err != nil {
		return err
	}
	if p.ID == "" {
		return fmt.Errorf("floor: payout without id")
	}
	return nil
}

func (c *floorClient) page(ctx context.Context, page int) (*floorPayoutPage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		c.base+"/v1/payouts?per_page=100&page="+strconv.Itoa(page), nil)
	if err != nil {
		return nil, err
	}
	var pg floorPayoutPage
	if err := c.do(req, http.StatusOK, &pg); err != nil {
		return nil, err
	}
	return &pg, nil
}

func (c *floorClient) ListPage(ctx context.Context) (int, error) {
	pg, err := c.page(ctx, 1)
	if err != nil {
		return 0, err
	}
	return len(pg.Data), nil
}

func (c *floorClient) Walk(ctx context.Context) (int, error) {
	n := 0
	for p := 1; ; {
		pg, err := c.page(ctx, p)
		if err != nil {
			return n, err
		}
		for i := range pg.Data {
			if pg.Data[i].ID != "" {
				n++
			}
		}
		if pg.PageMeta.Next == nil {
			return n, nil
		}
		p = int(*pg.PageMeta.Next)
	}
}

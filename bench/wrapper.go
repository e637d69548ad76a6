package bench

import (
	"context"
	"fmt"

	"github.com/glomo-go/glomo-go/api"
	"github.com/glomo-go/glomo-go/wrapper"
)

// The wrapper peer: glomo-go's client as users get it (auth, the default
// retry policy, error mapping, request_id handling), no faults injected.

type wrapperClient struct {
	c *wrapper.Client
}

func init() {
	register(PeerDef{Name: "wrapper", Order: 2, New: func(base string) (Peer, error) {
		return NewWrapper(base)
	}})
}

// NewWrapper builds the wrapper peer; opts are added after the key, base
// URL and HTTP client (e.g. wrapper.WithDriftDetector).
func NewWrapper(base string, opts ...wrapper.Option) (Peer, error) {
	all := append([]wrapper.Option{
		wrapper.WithAPIKey(APIKey),
		wrapper.WithBaseURL(base),
		wrapper.WithHTTPClient(newHTTPClient()),
	}, opts...)
	c, err := wrapper.New(all...)
	if err != nil {
		return nil, err
	}
	return &wrapperClient{c: c}, nil
}

func (w *wrapperClient) GetBalance(ctx context.Context) error {
	b, err := w.c.GetBalance(ctx)
	if err != nil {
		return err
	}
	if len(b.Available) == 0 {
		return fmt.Errorf("wrapper: no balances")
	}
	return nil
}

func (w *wrapperClient) CreatePayout(ctx context.Context) error {
	p, err := w.c.CreatePayout(ctx, payoutBody())
	if err != nil {
		return err
	}
	if p.Id == "" {
		return fmt.Errorf("wrapper: payout without id")
	}
	return nil
}

func (w *wrapperClient) ListPage(ctx context.Context) (int, error) {
	perPage, page := int64(PageSize), int64(1)
	pg, err := w.c.GetPayouts(ctx, &api.GetPayoutsParams{PerPage: &perPage, Page: &page})
	if err != nil {
		return 0, err
	}
	return len(pg.Data), nil
}

func (w *wrapperClient) Walk(ctx context.Context) (int, error) {
	n := 0
	for p, err := range w.c.GetPayoutsIter(ctx, nil) {
		if err != nil {
			return n, err
		}
		if p.Id != "" {
			n++
		}
	}
	return n, nil
}

package contract

import (
	"context"
	"encoding/json"
	"fmt"
)

// DefaultSetups are the lifecycle preconditions of the operations whose
// success depends on an object's state: each prepares the object through
// other operations of the API (never through the mock's internals), so the
// same setups work against the real sandbox.
func DefaultSetups() map[string]Setup {
	return map[string]Setup{
		// A payout needs an active beneficiary: approve it when the API
		// reviews beneficiaries (a 400 "State change not allowed" means it
		// already is active).
		// A payout with quote_id needs a fresh quote for a payout (single
		// use, 30 minutes).
		"createPayout": func(ctx context.Context, r *Runner, req *Request) error {
			body, err := decode(req.Body)
			if err != nil {
				return err
			}
			if err := withFreshQuote(ctx, r, req, body, "payout"); err != nil {
				return err
			}
			if bid, _ := body["beneficiary_id"].(string); bid != "" {
				if op := r.Spec.Op("mockReviewBeneficiaryV2"); op != nil {
					_, err := r.Call(ctx, &Request{Op: op, PathParams: map[string]string{"id": bid}, Body: []byte(`{"review_action":"approve"}`)})
					return err
				}
			}
			return nil
		},
		// An order or a payment link with quote_id needs a fresh payin quote.
		"createOrder": func(ctx context.Context, r *Runner, req *Request) error {
			body, err := decode(req.Body)
			if err != nil {
				return err
			}
			return withFreshQuote(ctx, r, req, body, "payin")
		},
		"createPayin": func(ctx context.Context, r *Runner, req *Request) error {
			body, err := decode(req.Body)
			if err != nil {
				return err
			}
			return withFreshQuote(ctx, r, req, body, "payin")
		},
		// A quote asks for a source or a destination amount, not both.
		"createQuote": func(_ context.Context, _ *Runner, req *Request) error {
			body, err := decode(req.Body)
			if err != nil {
				return err
			}
			if _, both := body["source_amount"]; both {
				delete(body, "destination_amount")
				req.Body, _ = json.Marshal(body)
			}
			return nil
		},
		// A mock payment pays its link: give each one a fresh, active link.
		"createMockPayment": func(ctx context.Context, r *Runner, req *Request) error {
			body, err := decode(req.Body)
			if err != nil {
				return err
			}
			if _, ok := body["payin_id"]; !ok {
				return nil
			}
			id, err := r.ID(ctx, "plink_", true)
			if err != nil {
				return err
			}
			body["payin_id"] = id
			req.Body, _ = json.Marshal(body)
			return nil
		},
		// The sandbox completes a fresh (queued) payout.
		"mockUpdatePayoutStatus": func(ctx context.Context, r *Runner, req *Request) error {
			id, err := r.ID(ctx, "payout_", true)
			if err != nil {
				return err
			}
			req.Body, _ = json.Marshal(map[string]any{"id": id, "status": "success"})
			return nil
		},
		"mockUpdateRefund": func(ctx context.Context, r *Runner, req *Request) error {
			req.Body = []byte(`{"status":"success"}`)
			return nil
		},
		// Only an under_review link can be marked reviewed: a screening hit
		// (amount 6623) on a mock payment puts it there.
		"mockReviewPaymentLink": func(ctx context.Context, r *Runner, req *Request) error {
			op := r.Spec.Op("createMockPayment")
			if op == nil {
				return nil
			}
			body, _ := json.Marshal(map[string]any{"amount": 6623, "currency": "USD", "payin_id": req.PathParams["id"]})
			res, err := r.Call(ctx, &Request{Op: op, PathParams: map[string]string{}, Body: body})
			if err != nil {
				return err
			}
			if res.Status/100 != 2 {
				return fmt.Errorf("screening-hit payment: %d %s", res.Status, res.Body)
			}
			return nil
		},
		// Only a paused subscription resumes.
		"resumeSubscription": func(ctx context.Context, r *Runner, req *Request) error {
			op := r.Spec.Op("pauseSubscription")
			if op == nil {
				return nil
			}
			pr, err := r.Build(ctx, op, false)
			if err != nil {
				return err
			}
			pr.PathParams = req.PathParams
			res, err := r.Call(ctx, pr)
			if err != nil {
				return err
			}
			if res.Status/100 != 2 {
				return fmt.Errorf("pause: %d %s", res.Status, res.Body)
			}
			return nil
		},
		// Rotating keeps the current key working for an hour, so the
		// operations after it can still authenticate.
		"rotateApiKey": func(ctx context.Context, r *Runner, req *Request) error {
			req.Body = []byte(`{"expire_after_in_seconds":3600}`)
			return nil
		},
		// Closing needs an open account for the pair in the query.
		"closeVirtualAccount": func(ctx context.Context, r *Runner, req *Request) error {
			op := r.Spec.Op("createVirtualAccount")
			if op == nil {
				return nil
			}
			body, _ := json.Marshal(map[string]any{"payment_type": req.Query.Get("payment_type"), "currency": req.Query.Get("currency")})
			res, err := r.Call(ctx, &Request{Op: op, PathParams: map[string]string{}, Body: body})
			if err != nil {
				return err
			}
			if res.Status/100 != 2 && res.Status != 409 {
				return fmt.Errorf("open account: %d %s", res.Status, res.Body)
			}
			return nil
		},
		// A review needs a beneficiary that is still pending: a fresh one.
		"mockReviewBeneficiaryV2": func(ctx context.Context, r *Runner, req *Request) error {
			id, err := r.ID(ctx, "bene_", true)
			if err != nil {
				return err
			}
			req.PathParams["id"] = id
			req.Body = []byte(`{"review_action":"approve"}`)
			return nil
		},
	}
}

func decode(b []byte) (map[string]any, error) {
	if len(b) == 0 {
		return map[string]any{}, nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// withFreshQuote gives a body that names a quote_id a fresh quote for
// resource (payout or payin), made through createQuote.
func withFreshQuote(ctx context.Context, r *Runner, req *Request, body map[string]any, resource string) error {
	if _, ok := body["quote_id"]; !ok {
		return nil
	}
	id, err := freshQuote(ctx, r, resource)
	if err != nil {
		return err
	}
	body["quote_id"] = id
	req.Body, _ = json.Marshal(body)
	return nil
}

// freshQuote makes a USD→INR quote for resource through createQuote and
// returns its id.
func freshQuote(ctx context.Context, r *Runner, resource string) (string, error) {
	op := r.Spec.Op("createQuote")
	if op == nil {
		return "", fmt.Errorf("no createQuote operation for a quote_id")
	}
	res, err := r.Call(ctx, &Request{Op: op, PathParams: map[string]string{}, Body: []byte(
		`{"resource":"` + resource + `","source_currency":"USD","destination_currency":"INR","source_amount":10000}`)})
	if err != nil {
		return "", err
	}
	var ql struct {
		Quotes []struct {
			ID string `json:"id"`
		} `json:"quotes"`
	}
	if res.Status/100 != 2 || json.Unmarshal(res.Body, &ql) != nil || len(ql.Quotes) == 0 || ql.Quotes[0].ID == "" {
		return "", fmt.Errorf("createQuote: %d %s", res.Status, res.Body)
	}
	return ql.Quotes[0].ID, nil
}

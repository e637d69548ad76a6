package webhook

import (
	"slices"

	"github.com/glomo-go/glomo-go/api"
)

// dataTypes maps each entity type to a function decoding its data into the
// named type openapi.yaml's webhooks section gives it (<Entity>WebhookEvent
// .data). Keeping the decoders in one table lets a test check it against
// the spec.
var dataTypes = map[string]func(Event) (any, error){
	EntityPayment:          decodeAs[api.PaymentWebhookData],
	EntityPaymentLink:      decodeAs[api.PaymentLinkResponse],
	EntityOrders:           decodeAs[api.OrdersWebhookData],
	EntityRefund:           decodeAs[api.Refund],
	EntityPayout:           decodeAs[api.PayoutWebhookData],
	EntitySettlement:       decodeAs[api.Settlement],
	EntityBeneficiary:      decodeAs[api.BeneficiaryV2],
	EntityInternalTransfer: decodeAs[api.InternalTransfer],
	EntitySubscription:     decodeAs[api.Subscription],
	EntityVirtualAccount:   decodeAs[api.VirtualAccount],
	EntityBalance:          decodeAs[api.BalanceWebhookData],
	EntityKYCJourney:       decodeAs[api.KycJourneyWebhookData],
	EntityMerchant:         decodeAs[api.Merchant],
	EntityWebhookTest:      decodeAs[api.WebhookTestData],
}

func decodeAs[T any](e Event) (any, error) { return DataAs[T](e) }

// DecodeData decodes Data into the named api type openapi.yaml gives the
// event's data (its webhooks section) and returns a pointer to it:
//
//	payment            *api.PaymentWebhookData (a Payment plus referral_fee)
//	payment_link       *api.PaymentLinkResponse
//	orders             *api.OrdersWebhookData (payment_methods and rfi_documents in either shape)
//	refund             *api.Refund
//	payout             *api.PayoutWebhookData (a Payout plus amount, currency, beneficiary)
//	settlement         *api.Settlement
//	beneficiary        *api.BeneficiaryV2
//	internal_transfer  *api.InternalTransfer
//	subscription       *api.Subscription
//	virtual_account    *api.VirtualAccount
//	balance            *api.BalanceWebhookData (open: unknown fields kept)
//	kyc_journey        *api.KycJourneyWebhookData (open)
//	merchant           *api.Merchant
//	webhook_test       *api.WebhookTestData (open)
//	anything else      json.RawMessage (a copy of Data), nil error
//
// Every field Glomo documents for these payloads has a place in the typed
// value, and Data keeps the raw JSON either way. Decoding is tolerant: a
// field whose JSON does not fit its Go field is left at its zero value, the
// other fields are still filled in, and the error is a *[DataError] naming
// the failing fields. So on error, the returned value is still usable;
// check err only if you need the fields it names. If a beneficiary webhook
// arrives in the v1 shape (holder_name, account_number at the top level),
// decode it with DataAs[api.Beneficiary] instead.
func (e Event) DecodeData() (any, error) {
	if dec, ok := dataTypes[e.EntityType]; ok {
		return dec(e)
	}
	return slices.Clone(e.Data), nil
}

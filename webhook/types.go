// The entity and event types Glomo documents for its webhooks, as constants
// so that a typo in a comparison is a compile error rather than a silently
// unhandled event.

package webhook

// Entity types: the values of Event.EntityType that Glomo is known to send.
// Glomo adds types without notice, so treat these as the known subset, not
// an exhaustive list: unknown ones are delivered like any other.
const (
	// EntityPayment is a payment received into the merchant's account (card, bank transfer, payment link or order).
	EntityPayment = "payment"
	// EntityPaymentLink is a payment link (POST /payin).
	EntityPaymentLink = "payment_link"
	// EntityOrders is an order; note the plural, which is what Glomo sends.
	EntityOrders = "orders"
	// EntityRefund is a refund of a payment.
	EntityRefund = "refund"
	// EntityPayout is a payout to a beneficiary.
	EntityPayout = "payout"
	// EntitySettlement is a settlement of collected funds to the merchant's bank account.
	EntitySettlement = "settlement"
	// EntityBeneficiary is a payout beneficiary; its events report the outcome of Glomo's review.
	EntityBeneficiary = "beneficiary"
	// EntityInternalTransfer is a transfer between merchants of one platform.
	EntityInternalTransfer = "internal_transfer"
	// EntitySubscription is a recurring-payment subscription.
	EntitySubscription = "subscription"
	// EntityVirtualAccount is a virtual account for collecting bank transfers.
	EntityVirtualAccount = "virtual_account"
	// EntityBalance is a credit to the merchant's balance; Glomo identifies it by data.payment_id and data.timestamp rather than an id and status (see [DedupeKey]).
	EntityBalance = "balance"
	// EntityKYCJourney is a customer's KYC journey.
	EntityKYCJourney = "kyc_journey"
	// EntityMerchant is a sub-merchant of a platform; its id is in data.merchant_id.
	EntityMerchant = "merchant"
	// EntityWebhookTest is the test delivery sent from the dashboard, useful to check the endpoint and the secret.
	EntityWebhookTest = "webhook_test"
)

// Event types sent with entity type payment ([EntityPayment]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventPaymentInProgress means the payment started and awaits the rail.
	EventPaymentInProgress = "in_progress"
	// EventPaymentSuccess means the money arrived.
	EventPaymentSuccess = "success"
	// EventPaymentFailed means the payment did not go through; it will not move again.
	EventPaymentFailed = "failed"
	// EventPaymentActionRequired means Glomo needs something from the merchant (an RFI, or an unmatched bank transfer).
	EventPaymentActionRequired = "action_required"
	// EventPaymentUnderReview means Glomo is reviewing the payment.
	EventPaymentUnderReview = "under_review"
	// EventPaymentFundsAvailable means the money can now be paid out or withdrawn; status stays success.
	EventPaymentFundsAvailable = "funds_available"
	// EventPaymentComplianceActionRequired means compliance needs documents; see data.compliance_status.
	EventPaymentComplianceActionRequired = "compliance_action_required"
	// EventPaymentComplianceUnderReview means compliance is reviewing the payment.
	EventPaymentComplianceUnderReview = "compliance_under_review"
	// EventPaymentComplianceApproved means compliance cleared the payment.
	EventPaymentComplianceApproved = "compliance_approved"
	// EventPaymentComplianceRejected means compliance rejected the payment.
	EventPaymentComplianceRejected = "compliance_rejected"
	// EventPaymentCreditedToBeneficiary means the funds reached the final beneficiary (platform flows).
	EventPaymentCreditedToBeneficiary = "credited_to_beneficiary"
)

// Event types sent with entity type payment_link ([EntityPaymentLink]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventPaymentLinkActive means the link can be paid.
	EventPaymentLinkActive = "active"
	// EventPaymentLinkPaid means the link was paid in full.
	EventPaymentLinkPaid = "paid"
	// EventPaymentLinkExpired means the link passed its expiry unpaid.
	EventPaymentLinkExpired = "expired"
	// EventPaymentLinkCancelled means the merchant cancelled the link.
	EventPaymentLinkCancelled = "cancelled"
	// EventPaymentLinkFailed means the link failed.
	EventPaymentLinkFailed = "failed"
	// EventPaymentLinkActionRequired means Glomo needs something from the merchant.
	EventPaymentLinkActionRequired = "action_required"
	// EventPaymentLinkUnderReview means Glomo is reviewing the link before it can be paid.
	EventPaymentLinkUnderReview = "under_review"
)

// Event types sent with entity type orders ([EntityOrders]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventOrderPaid means the order was paid.
	EventOrderPaid = "paid"
	// EventOrderExpired means the order passed its expiry unpaid.
	EventOrderExpired = "expired"
	// EventOrderCancelled means the order was cancelled.
	EventOrderCancelled = "cancelled"
	// EventOrderFailed means the order failed.
	EventOrderFailed = "failed"
	// EventOrderActionRequired means Glomo needs something from the merchant.
	EventOrderActionRequired = "action_required"
	// EventOrderUnderReview means Glomo is reviewing the order.
	EventOrderUnderReview = "under_review"
)

// Event types sent with entity type refund ([EntityRefund]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventRefundSuccess means the refund reached the customer.
	EventRefundSuccess = "success"
	// EventRefundFailed means the refund failed.
	EventRefundFailed = "failed"
	// EventRefundActionRequired means Glomo needs something from the merchant.
	EventRefundActionRequired = "action_required"
	// EventRefundUTRUpdated means the bank reference (data.utr) became known; status does not change.
	EventRefundUTRUpdated = "utr.updated"
)

// Event types sent with entity type payout ([EntityPayout]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventPayoutPendingApproval means the payout waits for approval in the dashboard.
	EventPayoutPendingApproval = "pending_approval"
	// EventPayoutQueued means the payout is approved and waits for the rail.
	EventPayoutQueued = "queued"
	// EventPayoutInProgress means the payout was handed to the rail.
	EventPayoutInProgress = "in_progress"
	// EventPayoutActionRequired means Glomo needs documents or answers (an RFI).
	EventPayoutActionRequired = "action_required"
	// EventPayoutSuccess means the beneficiary's bank accepted the money.
	EventPayoutSuccess = "success"
	// EventPayoutFailed means the payout failed; see data.error_code.
	EventPayoutFailed = "failed"
	// EventPayoutCancelled means the payout was cancelled before it reached the rail.
	EventPayoutCancelled = "cancelled"
)

// Event types sent with entity type settlement ([EntitySettlement]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventSettlementPendingApproval means the settlement waits for approval.
	EventSettlementPendingApproval = "pending_approval"
	// EventSettlementQueued means the settlement waits for the rail.
	EventSettlementQueued = "queued"
	// EventSettlementInProgress means the settlement was handed to the rail.
	EventSettlementInProgress = "in_progress"
	// EventSettlementActionRequired means Glomo needs something from the merchant.
	EventSettlementActionRequired = "action_required"
	// EventSettlementSuccess means the money reached the merchant's bank.
	EventSettlementSuccess = "success"
	// EventSettlementFailed means the settlement failed.
	EventSettlementFailed = "failed"
	// EventSettlementCancelled means the settlement was cancelled.
	EventSettlementCancelled = "cancelled"
)

// Event types sent with entity type beneficiary ([EntityBeneficiary]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventBeneficiaryActive means the beneficiary passed review and can receive payouts.
	EventBeneficiaryActive = "active"
	// EventBeneficiaryRejected means the beneficiary failed review; payouts to it are refused.
	EventBeneficiaryRejected = "rejected"
)

// Event types sent with entity type internal_transfer ([EntityInternalTransfer]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventInternalTransferSuccess means the transfer completed.
	EventInternalTransferSuccess = "success"
)

// Event types sent with entity type subscription ([EntitySubscription]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventSubscriptionActive means the subscription is charging.
	EventSubscriptionActive = "active"
	// EventSubscriptionAuthorized means the customer authorised the mandate.
	EventSubscriptionAuthorized = "authorized"
	// EventSubscriptionPaused means charging is paused.
	EventSubscriptionPaused = "paused"
	// EventSubscriptionHalted means charging stopped after failed attempts.
	EventSubscriptionHalted = "halted"
	// EventSubscriptionCompleted means all billing cycles were charged.
	EventSubscriptionCompleted = "completed"
	// EventSubscriptionCancelled means the subscription was cancelled.
	EventSubscriptionCancelled = "cancelled"
	// EventSubscriptionExpired means the subscription expired before authorisation.
	EventSubscriptionExpired = "expired"
	// EventSubscriptionFailed means the subscription failed.
	EventSubscriptionFailed = "failed"
	// EventSubscriptionActionRequired means Glomo needs something from the merchant.
	EventSubscriptionActionRequired = "action_required"
	// EventSubscriptionUnderReview means Glomo is reviewing the subscription.
	EventSubscriptionUnderReview = "under_review"
	// EventSubscriptionUpdated means subscription details changed; status may be unchanged.
	EventSubscriptionUpdated = "updated"
	// EventSubscriptionPaymentMethodUpdated means the customer changed the payment method; status may be unchanged.
	EventSubscriptionPaymentMethodUpdated = "payment_method.updated"
)

// Event types sent with entity type virtual_account ([EntityVirtualAccount]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventVirtualAccountActive means the account can receive money (creation is asynchronous: this is the signal).
	EventVirtualAccountActive = "active"
	// EventVirtualAccountInactive means the account stopped receiving money.
	EventVirtualAccountInactive = "inactive"
	// EventVirtualAccountDisabled means the account was disabled.
	EventVirtualAccountDisabled = "disabled"
)

// Event types sent with entity type balance ([EntityBalance]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventBalanceFundedBalanceCredited means the funded balance was credited.
	EventBalanceFundedBalanceCredited = "balance.funded_balance.credited"
)

// Event types sent with entity type kyc_journey ([EntityKYCJourney]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventKYCJourneyInitiated means the journey was created.
	EventKYCJourneyInitiated = "initiated"
	// EventKYCJourneyInProgress means the customer is filling it in.
	EventKYCJourneyInProgress = "in_progress"
	// EventKYCJourneyActionRequired means the customer must provide more.
	EventKYCJourneyActionRequired = "action_required"
	// EventKYCJourneyUnderReview means Glomo is reviewing the journey.
	EventKYCJourneyUnderReview = "under_review"
	// EventKYCJourneyCompleted means KYC passed.
	EventKYCJourneyCompleted = "completed"
	// EventKYCJourneyFailed means the journey failed.
	EventKYCJourneyFailed = "failed"
	// EventKYCJourneyRejected means KYC was rejected.
	EventKYCJourneyRejected = "rejected"
	// EventKYCJourneyExpired means the journey expired before completion.
	EventKYCJourneyExpired = "expired"
)

// Event types sent with entity type merchant ([EntityMerchant]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventMerchantPending means onboarding is under way.
	EventMerchantPending = "pending"
	// EventMerchantActionRequired means the merchant must provide more.
	EventMerchantActionRequired = "action_required"
	// EventMerchantSuccess means the merchant was onboarded.
	EventMerchantSuccess = "success"
	// EventMerchantFailed means onboarding failed.
	EventMerchantFailed = "failed"
	// EventMerchantOffboarded means the merchant was offboarded.
	EventMerchantOffboarded = "offboarded"
)

// Event types sent with entity type webhook_test ([EntityWebhookTest]). Most mirror the
// status in data.status; the same string means different things under
// different entity types, hence one constant per pair.
const (
	// EventWebhookTest means the dashboard's test delivery.
	EventWebhookTest = "test"
)

// knownEvents maps each known entity type to its known event types.
var knownEvents = map[string][]string{
	EntityPayment:          {EventPaymentInProgress, EventPaymentSuccess, EventPaymentFailed, EventPaymentActionRequired, EventPaymentUnderReview, EventPaymentFundsAvailable, EventPaymentComplianceActionRequired, EventPaymentComplianceUnderReview, EventPaymentComplianceApproved, EventPaymentComplianceRejected, EventPaymentCreditedToBeneficiary},
	EntityPaymentLink:      {EventPaymentLinkActive, EventPaymentLinkPaid, EventPaymentLinkExpired, EventPaymentLinkCancelled, EventPaymentLinkFailed, EventPaymentLinkActionRequired, EventPaymentLinkUnderReview},
	EntityOrders:           {EventOrderPaid, EventOrderExpired, EventOrderCancelled, EventOrderFailed, EventOrderActionRequired, EventOrderUnderReview},
	EntityRefund:           {EventRefundSuccess, EventRefundFailed, EventRefundActionRequired, EventRefundUTRUpdated},
	EntityPayout:           {EventPayoutPendingApproval, EventPayoutQueued, EventPayoutInProgress, EventPayoutActionRequired, EventPayoutSuccess, EventPayoutFailed, EventPayoutCancelled},
	EntitySettlement:       {EventSettlementPendingApproval, EventSettlementQueued, EventSettlementInProgress, EventSettlementActionRequired, EventSettlementSuccess, EventSettlementFailed, EventSettlementCancelled},
	EntityBeneficiary:      {EventBeneficiaryActive, EventBeneficiaryRejected},
	EntityInternalTransfer: {EventInternalTransferSuccess},
	EntitySubscription:     {EventSubscriptionActive, EventSubscriptionAuthorized, EventSubscriptionPaused, EventSubscriptionHalted, EventSubscriptionCompleted, EventSubscriptionCancelled, EventSubscriptionExpired, EventSubscriptionFailed, EventSubscriptionActionRequired, EventSubscriptionUnderReview, EventSubscriptionUpdated, EventSubscriptionPaymentMethodUpdated},
	EntityVirtualAccount:   {EventVirtualAccountActive, EventVirtualAccountInactive, EventVirtualAccountDisabled},
	EntityBalance:          {EventBalanceFundedBalanceCredited},
	EntityKYCJourney:       {EventKYCJourneyInitiated, EventKYCJourneyInProgress, EventKYCJourneyActionRequired, EventKYCJourneyUnderReview, EventKYCJourneyCompleted, EventKYCJourneyFailed, EventKYCJourneyRejected, EventKYCJourneyExpired},
	EntityMerchant:         {EventMerchantPending, EventMerchantActionRequired, EventMerchantSuccess, EventMerchantFailed, EventMerchantOffboarded},
	EntityWebhookTest:      {EventWebhookTest},
}

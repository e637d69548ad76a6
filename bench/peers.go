package bench

import (
	"context"
	"net/http"
	"sort"
)

// Peer is one way of calling the API. Every method makes one call and
// checks what it got back, so no peer can skip decoding.
type Peer interface {
	// GetBalance calls GET /v1/balances.
	GetBalance(ctx context.Context) error
	// CreatePayout builds the benchmark's payout request and calls POST /v1/payouts.
	CreatePayout(ctx context.Context) error
	// ListPage calls GET /v1/payouts once and returns the number of payouts decoded.
	ListPage(ctx context.Context) (int, error)
}

// Walker is a Peer that can walk every page of a list.
type Walker interface {
	// Walk visits every payout of GET /v1/payouts, page by page, and returns
	// how many it saw. It must not keep pages it has visited.
	Walk(ctx context.Context) (int, error)
}

// PeerDef names a peer and builds it for a base URL (".../api").
type PeerDef struct {
	Name  string
	Order int
	New   func(baseURL string) (Peer, error)
}

var peers []PeerDef

func register(d PeerDef) {
	peers = append(peers, d)
	sort.Slice(peers, func(i, j int) bool { return peers[i].Order < peers[j].Order })
}

// Peers returns the registered peers in report order (floor, raw, wrapper, ogen).
func Peers() []PeerDef { return peers }

// newHTTPClient is the HTTP client every peer that accepts one is given: a
// fresh clone of the default transport, so no peer shares idle connections
// with another.
func newHTTPClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
}

// The payout request every peer sends (each builds and encodes it per call).
const (
	reqPurposeCode   = "S0017"
	reqBeneficiaryID = "bene_5JU9yv0lGSUP"
	reqSourceCur     = "USD"
	reqDestCur       = "INR"
	reqSourceAmount  = 1000
	reqPaymentRail   = "neft"
	reqInvoiceNumber = "INV-2026-001"
	reqRequestID     = "req-7f3a9c20"
	reqDocument      = "doc_11aa22bb33"
)

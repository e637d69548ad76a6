package bench

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
)

// APIKey is the key every peer sends as `Authorization: Bearer <key>`; the
// server answers 401 without it, so every peer pays for auth the same way.
const APIKey = "sk_test_bench_0123456789abcdef"

// PageSize is the number of items on every list page the server sends.
const PageSize = 100

// The canned bodies. Every peer receives exactly these bytes.
var (
	// BalanceJSON answers GET /api/v1/balances.
	BalanceJSON = []byte(`{"available":[{"currency":"USD","amount":1250000},{"currency":"EUR","amount":98000},{"currency":"GBP","amount":45000}],"pending":[{"currency":"USD","amount":30000}]}`)

	// PayoutJSON answers POST /api/v1/payouts (201).
	PayoutJSON = payout(nil, 1)

	// ListPageJSON answers GET /api/v1/payouts: one page of PageSize payouts.
	ListPageJSON = page(nil, 1, PageSize)

	badRequestJSON   = []byte(`{"error":{"code":"bad_request","message":"purpose_code is required"}}`)
	unauthorizedJSON = []byte(`{"error":{"code":"unauthorized","message":"invalid or missing API key"}}`)
)

// payoutHead and payoutTail surround the payout id: every payout the server
// sends is the same ~900-byte object with all fields set, differing by id.
const (
	payoutHead = `{"id":"payout_`
	payoutTail = `","status":"success","destination_amount":83250,"destination_currency":"INR","source_amount":1000,"source_currency":"USD","beneficiary_id":"bene_5JU9yv0lGSUP","documents":[{"id":"doc_nYUqLpuYQ0M8","type":"invoice","status":"approved","rfi_doc_id":null}],"purpose_code":"S0017","mid_market_rate":{"currency":"INR","rate":83.25},"fees":{"fx_fee":{"currency":"USD","amount":200},"txn_fee":{"currency":"USD","amount":100}},"created_at":"2026-06-01T12:00:00Z","updated_at":"2026-06-01T12:05:00Z","utr":"AXISN52024112000001234","request_id":"req-7f3a9c20","payment_rail":"neft","invoice_number":"INV-2026-001","fee_collection_mode":"merchant","error_code":null,"error_description":null,"customer_error_description":null,"quote_id":null,"taxes":[{"name":"GST","amount":877,"bps":18,"currency":"INR"}],"notes":{"internal_ref":"batch-42"}}`
)

// payout appends the payout with sequence number n to dst.
func payout(dst []byte, n int) []byte {
	dst = append(dst, payoutHead...)
	dst = fmt.Appendf(dst, "%012d", n)
	return append(dst, payoutTail...)
}

// page appends page p (from 1) of a list of total items to dst.
func page(dst []byte, p, total int) []byte {
	pages := (total + PageSize - 1) / PageSize
	dst = append(dst, `{"data":[`...)
	first := (p - 1) * PageSize
	for i := first; i < first+PageSize && i < total; i++ {
		if i > first {
			dst = append(dst, ',')
		}
		dst = payout(dst, i+1)
	}
	dst = append(dst, `],"page_meta":{"count":`...)
	dst = strconv.AppendInt(dst, int64(total), 10)
	dst = append(dst, `,"total":`...)
	dst = strconv.AppendInt(dst, int64(total), 10)
	dst = append(dst, `,"current":`...)
	dst = strconv.AppendInt(dst, int64(p), 10)
	dst = append(dst, `,"pages":`...)
	dst = strconv.AppendInt(dst, int64(pages), 10)
	dst = append(dst, `,"per_page":`...)
	dst = strconv.AppendInt(dst, PageSize, 10)
	dst = append(dst, `,"next":`...)
	if p < pages {
		dst = strconv.AppendInt(dst, int64(p+1), 10)
	} else {
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"previous":`...)
	if p > 1 {
		dst = strconv.AppendInt(dst, int64(p-1), 10)
	} else {
		dst = append(dst, "null"...)
	}
	return append(dst, "}}"...)
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 128<<10); return &b }}

// NewServer starts the loopback server shared by all peers. Its URL+"/api" is
// the base URL of the canned endpoints:
//
//	GET  /api/v1/balances   BalanceJSON
//	POST /api/v1/payouts    201 PayoutJSON (400 unless the body carries purpose_code)
//	GET  /api/v1/payouts    ListPageJSON (one page of 100)
//
// and URL+"/walk/{n}/api" is the base URL of a list of n payouts:
//
//	GET  /walk/{n}/api/v1/payouts?page=p   page p of 100, generated on the
//	                                       fly; page_meta.next is null on the last page.
func NewServer() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/balances", func(w http.ResponseWriter, r *http.Request) {
		write(w, r, http.StatusOK, BalanceJSON)
	})
	mux.HandleFunc("POST /api/v1/payouts", func(w http.ResponseWriter, r *http.Request) {
		// A body that lost its fields (e.g. a union encoded as {}) is a 400,
		// so a broken peer fails instead of looking fast.
		bp := bufPool.Get().(*[]byte)
		buf := bytes.NewBuffer((*bp)[:0])
		_, err := buf.ReadFrom(r.Body)
		ok := err == nil && bytes.Contains(buf.Bytes(), []byte(`"purpose_code":"S0017"`))
		*bp = buf.Bytes()
		bufPool.Put(bp)
		if !ok {
			write(w, r, http.StatusBadRequest, badRequestJSON)
			return
		}
		write(w, r, http.StatusCreated, PayoutJSON)
	})
	mux.HandleFunc("GET /api/v1/payouts", func(w http.ResponseWriter, r *http.Request) {
		write(w, r, http.StatusOK, ListPageJSON)
	})
	mux.HandleFunc("GET /walk/{n}/api/v1/payouts", func(w http.ResponseWriter, r *http.Request) {
		total, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || total < 1 {
			http.Error(w, "bad item count", http.StatusNotFound)
			return
		}
		p := 1
		if s := r.URL.Query().Get("page"); s != "" {
			if p, err = strconv.Atoi(s); err != nil || p < 1 {
				http.Error(w, "bad page", http.StatusBadRequest)
				return
			}
		}
		bp := bufPool.Get().(*[]byte)
		*bp = page((*bp)[:0], p, total)
		write(w, r, http.StatusOK, *bp)
		bufPool.Put(bp)
	})
	return httptest.NewServer(mux)
}

func write(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	if r.Header.Get("Authorization") != "Bearer "+APIKey {
		status, body = http.StatusUnauthorized, unauthorizedJSON
	}
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// WalkURL is the base URL of the list of n payouts on srv.
func WalkURL(srv *httptest.Server, n int) string {
	return srv.URL + "/walk/" + strconv.Itoa(n) + "/api"
}

// BaseURL is the base URL of the canned endpoints on srv.
func BaseURL(srv *httptest.Server) string { return srv.URL + "/api" }

package mock

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"

	"github.com/bojanz/currency"
)

// DefaultBalance is what every currency of DefaultCurrencies holds when a
// Server starts without WithBalance: 100,000,000,000 minor units (one
// billion in a two-decimal currency), so tests that do not care about
// money never run out of it.
const DefaultBalance = 100_000_000_000

// DefaultCurrencies are the currencies a Server starts with when no
// WithBalance option is given.
var DefaultCurrencies = []string{"AED", "EUR", "GBP", "USD"}

// WithBalance sets the available balance of currency (ISO 4217) to amount
// minor units at start. Once any WithBalance is given, only the currencies
// named by WithBalance options hold money.
func WithBalance(currency string, amount int64) Option {
	return func(c *config) {
		if c.balances == nil {
			c.balances = map[string]int64{}
		}
		c.balances[currency] = amount
	}
}

// WithPayoutQueueing turns on payout queueing, the account setting under
// which Glomo accepts every payout with status queued instead of refusing
// one the balance cannot cover (the default is the refusal: 400 with code
// INSUFFICIENT_BALANCE). A queued payout is released (debited and moved to
// in_progress) as soon as the balance covers it: right after its create
// when it already does, else when a credit arrives.
func WithPayoutQueueing() Option { return func(c *config) { c.queueing = true } }

// ledger is the account's money: available and pending amounts per
// currency, and what each payout holds until it is final.
type ledger struct {
	mu        sync.Mutex
	available map[string]int64
	pending   map[string]int64
	held      map[string]hold // payout id → what it took from available
}

type hold struct {
	currency string
	amount   int64
}

func newLedger(start map[string]int64) *ledger {
	l := &ledger{}
	l.reset(start)
	return l
}

// reset sets the starting balances and forgets every hold.
func (l *ledger) reset(start map[string]int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.available, l.pending, l.held = map[string]int64{}, map[string]int64{}, map[string]hold{}
	if start == nil {
		for _, c := range DefaultCurrencies {
			l.available[c] = DefaultBalance
		}
	}
	maps.Copy(l.available, start)
}

func (l *ledger) availableCopy() map[string]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.available)
}

// insufficient is the API's answer to a debit the balance cannot cover.
func insufficient(short int64) *apiError {
	e := errorf(400, "Account has insufficient balance to process this transaction. Additional amount required: %d.", short)
	e.code = "INSUFFICIENT_BALANCE"
	return e
}

// debit takes amount of cur from available, or refuses with the shortfall.
func (l *ledger) debit(cur string, amount int64) *apiError {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.debitLocked(cur, amount)
}

func (l *ledger) debitLocked(cur string, amount int64) *apiError {
	if have := l.available[cur]; have < amount {
		return insufficient(amount - have)
	}
	l.available[cur] -= amount
	return nil
}

func (l *ledger) credit(cur string, amount int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.available[cur] += amount
}

// hold debits what a payout takes and remembers it, so that a payout that
// fails or is cancelled gives it back.
func (l *ledger) hold(id, cur string, amount int64) *apiError {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.debitLocked(cur, amount); err != nil {
		return err
	}
	l.held[id] = hold{cur, amount}
	return nil
}

// settle ends a payout's hold: given back when refund is set (failed,
// cancelled), kept as spent otherwise (success).
func (l *ledger) settle(id string, refund bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h, ok := l.held[id]
	if !ok {
		return
	}
	delete(l.held, id)
	if refund {
		l.available[h.currency] += h.amount
	}
}

func (l *ledger) holds(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.held[id]
	return ok
}

// balances answers GET /balances: one entry per currency, sorted.
func (l *ledger) balances() map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	list := func(m map[string]int64) []any {
		out := []any{}
		for _, c := range slices.Sorted(maps.Keys(m)) {
			out = append(out, map[string]any{"currency": c, "amount": m[c]})
		}
		return out
	}
	return map[string]any{"available": list(l.available), "pending": list(l.pending), "deficit": []any{}}
}

// Prices: the mock's fixed fees and mid-market rates, so that computed
// amounts are consistent (not Glomo's real prices).
const (
	// TxnFee is the transaction fee of a payout, conversion or withdrawal,
	// in minor units of the debited currency.
	TxnFee = 100
	// FXFeeBPS is the foreign-exchange fee, in basis points of the debited
	// amount, when the currencies differ.
	FXFeeBPS = 50
)

// usdRates are units of a currency per US dollar.
var usdRates = map[string]float64{
	"USD": 1, "EUR": 0.92, "GBP": 0.79, "AED": 3.6725, "INR": 88.2, "SGD": 1.35,
	"AUD": 1.52, "CAD": 1.37, "JPY": 150, "CHF": 0.88, "HKD": 7.8, "SAR": 3.75,
	"KWD": 0.307, "BHD": 0.376, "OMR": 0.385, "NZD": 1.68, "SEK": 10.6, "NOK": 10.8,
}

// Rate is the mock's mid-market rate: units of to per unit of from (1 for
// a currency it does not know).
func Rate(from, to string) float64 {
	f, okF := usdRates[from]
	t, okT := usdRates[to]
	if from == to || !okF || !okT {
		return 1
	}
	return t / f
}

func digits(cur string) int {
	d, ok := currency.GetDigits(cur)
	if !ok {
		return 2
	}
	return int(d)
}

// convert turns amount minor units of from into minor units of to at Rate,
// rounded half away from zero.
func convert(amount int64, from, to string) int64 {
	v := float64(amount) * Rate(from, to) * math.Pow10(digits(to)-digits(from))
	return int64(math.Round(v))
}

// fees are what the mock charges to move amount of from into to.
func fees(amount int64, from, to string) (txn, fx int64) {
	txn = TxnFee
	if from != to {
		fx = max(1, amount*FXFeeBPS/10000)
	}
	return txn, fx
}

func amountOf(amount int64, cur string) map[string]any {
	return map[string]any{"amount": amount, "currency": cur}
}

// price works out a transfer: given the debited source amount (fees
// included) it returns what arrives; given only the destination amount it
// returns the source amount that buys it.
type price struct {
	src, dst       int64
	txn, fx        int64
	srcCur, dstCur string
	rate           float64
}

func priceFromSource(src int64, srcCur, dstCur string) (price, error) {
	txn, fx := fees(src, srcCur, dstCur)
	if src <= txn+fx {
		return price{}, fmt.Errorf("source_amount %d does not cover the fees (%d %s)", src, txn+fx, srcCur)
	}
	return price{src: src, dst: convert(src-txn-fx, srcCur, dstCur), txn: txn, fx: fx, srcCur: srcCur, dstCur: dstCur, rate: Rate(srcCur, dstCur)}, nil
}

func priceFromDestination(dst int64, srcCur, dstCur string) (price, error) {
	net := convert(dst, dstCur, srcCur)
	// fx is a share of the gross amount: gross = net + txn + gross*bps.
	gross := net + TxnFee
	if srcCur != dstCur {
		gross = int64(math.Ceil(float64(net+TxnFee) / (1 - FXFeeBPS/10000.0)))
	}
	p, err := priceFromSource(gross, srcCur, dstCur)
	p.dst = dst
	return p, err
}

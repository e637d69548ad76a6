// Package money converts between decimal strings and the integer minor units
// the Glomo API uses for every amount (USD 29900 is $299.00, KWD 295991 is
// 295.991 KWD, JPY 10 is ¥10).
//
// Amounts never pass through float64: a float cannot hold most decimal
// fractions exactly, and the generated api types already carry amounts as
// int64. Parse and Format work digit by digit on strings and int64.
//
// The number of decimals per currency comes from the ISO 4217 list as kept
// by github.com/bojanz/currency, not from a table typed into this package,
// so currencies with unusual exponents (CLF and UYW have 4, IQD and TND 3,
// ISK and KRW 0) are right without anyone remembering them.
//
// Currency codes must be uppercase, as the API requires them; "usd" is an
// [ErrUnknownCurrency] rather than silently accepted, so a code that would
// be rejected by the API is caught here first.
package money

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bojanz/currency"

	"github.com/glomo-go/glomo-go/internal/quote"
)

// Sentinel errors, wrapped by *[Error]; test for them with errors.Is.
var (
	// ErrUnknownCurrency means the code is not an uppercase ISO 4217 code
	// with a defined number of decimals.
	ErrUnknownCurrency = errors.New("unknown currency")
	// ErrMalformed means the string is not a plain decimal number: empty,
	// spaces, a '+' sign, exponent notation, separators or stray characters.
	ErrMalformed = errors.New("malformed amount")
	// ErrTooManyDecimals means the string has non-zero digits beyond the
	// currency's exponent; Parse never rounds, because rounding money
	// silently loses it.
	ErrTooManyDecimals = errors.New("too many decimals")
	// ErrOverflow means the amount in minor units does not fit in an int64.
	ErrOverflow = errors.New("amount overflows int64 minor units")
)

// Error describes a failed Parse, Format or Digits call: which input, which
// currency and which of the sentinel errors.
type Error struct {
	// Op is the function that failed: "parse", "format" or "digits".
	Op string
	// Input is the string given to Parse (empty for other operations).
	Input string
	// Currency is the currency code given.
	Currency string
	// Err is one of the package's sentinel errors.
	Err error
	// Detail says more about the problem, e.g. which character is wrong.
	Detail string
}

// Error puts the input, the currency and the reason in one line, so the
// message alone tells a user what to fix. Input and currency are quoted up
// to 32 bytes each (quote.Short), so that an error about a huge input stays one
// short log line.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op == "parse" {
		fmt.Fprintf(&b, "money: parsing %s as %s: %v", quote.Short(e.Input), quote.Short(e.Currency), e.Err)
	} else {
		fmt.Fprintf(&b, "money: %s: currency %s: %v", e.Op, quote.Short(e.Currency), e.Err)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, " (%s)", e.Detail)
	}
	return b.String()
}

// Unwrap returns the sentinel error, for errors.Is.
func (e *Error) Unwrap() error { return e.Err }

// Digits returns the number of decimals (the ISO 4217 minor unit) of code,
// e.g. 2 for USD, 0 for JPY, 3 for KWD.
func Digits(code string) (int, error) {
	d, detail, err := digits(code)
	if err != nil {
		return 0, &Error{Op: "digits", Currency: code, Err: err, Detail: detail}
	}
	return d, nil
}

// digits looks code up; detail explains a rejection when there is more to
// say than "unknown".
func digits(code string) (exp int, detail string, err error) {
	if d, ok := currency.GetDigits(code); ok {
		return int(d), "", nil
	}
	// bojanz/currency is case-sensitive, like the API; say so rather than
	// just "unknown" when only the case is wrong.
	if up := strings.ToUpper(code); up != code {
		if _, ok := currency.GetDigits(up); ok {
			return 0, "codes are uppercase: use " + strconv.Quote(up), ErrUnknownCurrency
		}
	}
	return 0, "", ErrUnknownCurrency
}

// Parse converts a decimal string such as "295.991" into minor units of code
// (295991 for KWD).
//
// Accepted: an optional leading '-', one or more ASCII digits, and optionally
// a '.' followed by one or more digits ("10", "-0.5", "007.50"). Rejected as
// [ErrMalformed]: the empty string, spaces anywhere, a leading '+', "1.",
// ".5", exponents ("1e3"), thousands separators, and anything else.
// Digits after the currency's exponent must be zeros ("10.000" is 1000 USD
// cents; "10.005" is [ErrTooManyDecimals]). Amounts outside int64 minor
// units are [ErrOverflow]. Errors are *[Error].
func Parse(s, code string) (int64, error) {
	fail := func(err error, detail string) (int64, error) {
		return 0, &Error{Op: "parse", Input: s, Currency: code, Err: err, Detail: detail}
	}
	exp, detail, err := digits(code)
	if err != nil {
		return fail(err, detail)
	}
	if s == "" {
		return fail(ErrMalformed, "empty string")
	}
	neg := false
	rest := s
	switch rest[0] {
	case '-':
		neg = true
		rest = rest[1:]
	case '+':
		return fail(ErrMalformed, "a leading '+' is not allowed")
	}
	intPart, frac, hasDot := strings.Cut(rest, ".")
	if intPart == "" {
		return fail(ErrMalformed, "no digits before the decimal point")
	}
	if hasDot && frac == "" {
		return fail(ErrMalformed, "no digits after the decimal point")
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if c := part[i]; c < '0' || c > '9' {
				r, _ := utf8.DecodeRuneInString(part[i:])
				return fail(ErrMalformed, fmt.Sprintf("unexpected %q", r))
			}
		}
	}
	if len(frac) > exp {
		if strings.Trim(frac[exp:], "0") != "" {
			return fail(ErrTooManyDecimals, fmt.Sprintf("%s has %d decimal places", code, exp))
		}
		frac = frac[:exp]
	}
	// Accumulate the magnitude as uint64 so that -9223372036854775808,
	// whose magnitude does not fit in int64, still parses.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var mag uint64
	add := func(c byte) bool {
		d := uint64(c - '0')
		if mag > (limit-d)/10 {
			return false
		}
		mag = mag*10 + d
		return true
	}
	for i := 0; i < len(intPart); i++ {
		if !add(intPart[i]) {
			return fail(ErrOverflow, "")
		}
	}
	for i := 0; i < exp; i++ {
		c := byte('0')
		if i < len(frac) {
			c = frac[i]
		}
		if !add(c) {
			return fail(ErrOverflow, "")
		}
	}
	if neg {
		// mag <= 1<<63 here; negating 1<<63 wraps to MinInt64, as wanted.
		return int64(-mag), nil
	}
	return int64(mag), nil
}

// Format renders minor units of code as a decimal string with exactly the
// currency's number of decimals: Format(295991, "KWD") is "295.991",
// Format(-5, "USD") is "-0.05", Format(10, "JPY") is "10". It has no
// thousands separators or symbol, so the result is what Parse accepts and
// what a machine reads; localised display is the application's job.
func Format(amount int64, code string) (string, error) {
	exp, detail, err := digits(code)
	if err != nil {
		return "", &Error{Op: "format", Currency: code, Err: err, Detail: detail}
	}
	return format(amount, exp), nil
}

func format(amount int64, exp int) string {
	// Via uint64 so that MinInt64, whose magnitude overflows int64, works.
	mag := uint64(amount)
	if amount < 0 {
		mag = -mag
	}
	digits := strconv.FormatUint(mag, 10)
	sign := ""
	if amount < 0 {
		sign = "-"
	}
	if exp == 0 {
		return sign + digits
	}
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	cut := len(digits) - exp
	return sign + digits[:cut] + "." + digits[cut:]
}

// Amount is a sum of money as the API carries it: integer minor units and
// an ISO 4217 code. Keeping both together stops minor units of one currency
// being read with another's exponent.
type Amount struct {
	// Minor is the amount in minor units (cents for USD, fils for KWD).
	Minor int64
	// Currency is the uppercase ISO 4217 code.
	Currency string
}

// ParseAmount is [Parse] returning an [Amount].
func ParseAmount(s, code string) (Amount, error) {
	m, err := Parse(s, code)
	if err != nil {
		return Amount{}, err
	}
	return Amount{Minor: m, Currency: code}, nil
}

// String renders the amount for people and logs, e.g. "295.991 KWD". It
// cannot fail, so an unknown currency is shown as raw minor units,
// "295991 minor units of XYZ", rather than with a guessed decimal point.
func (a Amount) String() string {
	s, err := Format(a.Minor, a.Currency)
	if err != nil {
		return strconv.FormatInt(a.Minor, 10) + " minor units of " + strconv.Quote(a.Currency)
	}
	return s + " " + a.Currency
}

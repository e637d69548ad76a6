package money_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/money"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, code string
		want     int64
		err      error
	}{
		// The API-FACTS examples.
		{"295.991", "KWD", 295991, nil},
		{"10", "JPY", 10, nil},
		{"299.00", "USD", 29900, nil},
		// Exponent 0, 2, 3 (and 4 from ISO, not a hand table).
		{"0", "JPY", 0, nil},
		{"1234567", "JPY", 1234567, nil},
		{"1", "USD", 100, nil},
		{"1.5", "USD", 150, nil},
		{"0.01", "USD", 1, nil},
		{"0.001", "BHD", 1, nil},
		{"12.3", "OMR", 12300, nil},
		{"1", "KWD", 1000, nil},
		{"1.0001", "CLF", 10001, nil},
		{"0.5", "IQD", 500, nil},
		// Negative, zero, leading zeros, trailing zeros beyond the exponent.
		{"-1.50", "USD", -150, nil},
		{"-0", "USD", 0, nil},
		{"-0.00", "USD", 0, nil},
		{"007.50", "USD", 750, nil},
		{"10.000", "USD", 1000, nil},
		{"10.0", "JPY", 10, nil},
		// int64 limits.
		{"92233720368547758.07", "USD", math.MaxInt64, nil},
		{"-92233720368547758.08", "USD", math.MinInt64, nil},
		{"9223372036854775807", "JPY", math.MaxInt64, nil},
		{"-9223372036854775808", "JPY", math.MinInt64, nil},
		{"9223372036854775.807", "KWD", math.MaxInt64, nil},
		{"000000000000000000000009223372036854775807", "JPY", math.MaxInt64, nil},
		// Overflow by one minor unit, and by a lot.
		{"92233720368547758.08", "USD", 0, money.ErrOverflow},
		{"-92233720368547758.09", "USD", 0, money.ErrOverflow},
		{"9223372036854775808", "JPY", 0, money.ErrOverflow},
		{"-9223372036854775809", "JPY", 0, money.ErrOverflow},
		{"9223372036854775.808", "KWD", 0, money.ErrOverflow},
		{"99999999999999999999999", "JPY", 0, money.ErrOverflow},
		{"18446744073709551616", "JPY", 0, money.ErrOverflow},
		// Too many decimals.
		{"1.234", "USD", 0, money.ErrTooManyDecimals},
		{"295.9911", "KWD", 0, money.ErrTooManyDecimals},
		{"10.5", "JPY", 0, money.ErrTooManyDecimals},
		{"0.0001", "USD", 0, money.ErrTooManyDecimals},
		// Unknown or wrongly cased currency.
		{"1", "usd", 0, money.ErrUnknownCurrency},
		{"1", "Usd", 0, money.ErrUnknownCurrency},
		{"1", "XYZ", 0, money.ErrUnknownCurrency},
		{"1", "", 0, money.ErrUnknownCurrency},
		{"1", "US", 0, money.ErrUnknownCurrency},
		{"1", "USDX", 0, money.ErrUnknownCurrency},
		{"1", "XAU", 0, money.ErrUnknownCurrency},
		// Malformed.
		{"", "USD", 0, money.ErrMalformed},
		{"-", "USD", 0, money.ErrMalformed},
		{"+1", "USD", 0, money.ErrMalformed},
		{"--1", "USD", 0, money.ErrMalformed},
		{"1-", "USD", 0, money.ErrMalformed},
		{" 1", "USD", 0, money.ErrMalformed},
		{"1 ", "USD", 0, money.ErrMalformed},
		{"1 000", "USD", 0, money.ErrMalformed},
		{"1,000.00", "USD", 0, money.ErrMalformed},
		{"1_000", "USD", 0, money.ErrMalformed},
		{"1e3", "USD", 0, money.ErrMalformed},
		{"1E3", "USD", 0, money.ErrMalformed},
		{"1.5e2", "USD", 0, money.ErrMalformed},
		{"0x10", "USD", 0, money.ErrMalformed},
		{".5", "USD", 0, money.ErrMalformed},
		{"-.5", "USD", 0, money.ErrMalformed},
		{"1.", "USD", 0, money.ErrMalformed},
		{"1.2.3", "USD", 0, money.ErrMalformed},
		{"NaN", "USD", 0, money.ErrMalformed},
		{"Inf", "USD", 0, money.ErrMalformed},
		{"١٢", "USD", 0, money.ErrMalformed}, // Arabic-Indic digits
		{"$1", "USD", 0, money.ErrMalformed},
		{"1\n", "USD", 0, money.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+strconv.Quote(tt.in), func(t *testing.T) {
			got, err := money.Parse(tt.in, tt.code)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				var me *money.Error
				require.ErrorAs(t, err, &me)
				assert.Equal(t, "parse", me.Op)
				assert.Equal(t, tt.in, me.Input)
				assert.Zero(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseErrorMessages(t *testing.T) {
	tests := []struct{ in, code, want string }{
		{"1.234", "USD", `money: parsing "1.234" as "USD": too many decimals (USD has 2 decimal places)`},
		{"1", "usd", `money: parsing "1" as "usd": unknown currency (codes are uppercase: use "USD")`},
		{"1", "XYZ", `money: parsing "1" as "XYZ": unknown currency`},
		{"1e3", "USD", `money: parsing "1e3" as "USD": malformed amount (unexpected 'e')`},
		{"١٢", "USD", `money: parsing "١٢" as "USD": malformed amount (unexpected '١')`},
		{"", "USD", `money: parsing "" as "USD": malformed amount (empty string)`},
		{"+1", "USD", `money: parsing "+1" as "USD": malformed amount (a leading '+' is not allowed)`},
		{"99999999999999999999", "JPY", `money: parsing "99999999999999999999" as "JPY": amount overflows int64 minor units`},
	}
	for _, tt := range tests {
		_, err := money.Parse(tt.in, tt.code)
		require.Error(t, err)
		assert.Equal(t, tt.want, err.Error())
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		amount int64
		code   string
		want   string
	}{
		{295991, "KWD", "295.991"},
		{29900, "USD", "299.00"},
		{10, "JPY", "10"},
		{0, "JPY", "0"},
		{0, "USD", "0.00"},
		{0, "KWD", "0.000"},
		{1, "USD", "0.01"},
		{-1, "USD", "-0.01"},
		{-5, "BHD", "-0.005"},
		{-150, "USD", "-1.50"},
		{-10, "JPY", "-10"},
		{10001, "CLF", "1.0001"},
		{123456, "OMR", "123.456"},
		{math.MaxInt64, "USD", "92233720368547758.07"},
		{math.MinInt64, "USD", "-92233720368547758.08"},
		{math.MaxInt64, "JPY", "9223372036854775807"},
		{math.MinInt64, "JPY", "-9223372036854775808"},
		{math.MinInt64, "KWD", "-9223372036854775.808"},
	}
	for _, tt := range tests {
		got, err := money.Format(tt.amount, tt.code)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "%d %s", tt.amount, tt.code)
	}
	_, err := money.Format(1, "XYZ")
	require.ErrorIs(t, err, money.ErrUnknownCurrency)
	assert.Equal(t, `money: format: currency "XYZ": unknown currency`, err.Error())
	_, err = money.Format(1, "kwd")
	require.ErrorIs(t, err, money.ErrUnknownCurrency)
}

func TestDigits(t *testing.T) {
	for code, want := range map[string]int{"JPY": 0, "USD": 2, "INR": 2, "EUR": 2, "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3, "CLF": 4, "ISK": 0, "KRW": 0} {
		got, err := money.Digits(code)
		require.NoError(t, err, code)
		assert.Equal(t, want, got, code)
	}
	_, err := money.Digits("ZZZ")
	require.ErrorIs(t, err, money.ErrUnknownCurrency)
	var me *money.Error
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "digits", me.Op)
}

func TestAmount(t *testing.T) {
	a, err := money.ParseAmount("295.991", "KWD")
	require.NoError(t, err)
	assert.Equal(t, money.Amount{Minor: 295991, Currency: "KWD"}, a)
	assert.Equal(t, "295.991 KWD", a.String())
	assert.Equal(t, `42 minor units of "XYZ"`, money.Amount{Minor: 42, Currency: "XYZ"}.String())
	_, err = money.ParseAmount("1.234", "USD")
	require.ErrorIs(t, err, money.ErrTooManyDecimals)
}

// Every currency the library knows must round-trip its smallest and largest
// amounts, so a currency with an odd exponent cannot break Format or Parse.
func TestEveryCurrencyRoundTrips(t *testing.T) {
	for _, code := range allCodes(t) {
		for _, n := range []int64{0, 1, -1, 12345, math.MaxInt64, math.MinInt64} {
			s, err := money.Format(n, code)
			require.NoError(t, err, code)
			back, err := money.Parse(s, code)
			require.NoError(t, err, "%s %q", code, s)
			require.Equal(t, n, back, "%s %q", code, s)
		}
	}
}

func TestUnwrap(t *testing.T) {
	_, err := money.Parse("x", "USD")
	assert.True(t, errors.Is(err, money.ErrMalformed))
	assert.False(t, errors.Is(err, money.ErrOverflow))
}

// TestErrorQuotesShortPrefix: an error quotes at most 32 bytes of the input
// and of the currency, whatever their size (issue 11 item 13).
func TestErrorQuotesShortPrefix(t *testing.T) {
	huge := strings.Repeat("9", 1<<20) + "x"
	_, err := money.Parse(huge, "USD")
	require.ErrorIs(t, err, money.ErrMalformed)
	assert.Equal(t, `money: parsing "99999999999999999999999999999999"... (1048577 bytes) as "USD": malformed amount (unexpected 'x')`, err.Error())
	var me *money.Error
	require.ErrorAs(t, err, &me)
	assert.Equal(t, huge, me.Input, "the field keeps the whole input")

	_, err = money.Parse("1", strings.Repeat("Q", 1<<20))
	require.ErrorIs(t, err, money.ErrUnknownCurrency)
	assert.Equal(t, `money: parsing "1" as "QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"... (1048576 bytes): unknown currency`, err.Error())
	_, err = money.Format(1, strings.Repeat("Q", 33))
	assert.Equal(t, `money: format: currency "QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"... (33 bytes): unknown currency`, err.Error())
	_, err = money.Digits(strings.Repeat("Q", 32))
	assert.Equal(t, `money: digits: currency "QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ": unknown currency`, err.Error(), "32 bytes are quoted whole")

	// The cut never splits a character: 31 ASCII bytes and a 2-byte 'é'
	// keep 31 bytes.
	_, err = money.Parse(strings.Repeat("1", 31)+"é", "USD")
	assert.Equal(t, `money: parsing "1111111111111111111111111111111"... (33 bytes) as "USD": malformed amount (unexpected 'é')`, err.Error())
	// Invalid UTF-8 with no character start at all: the cut stops at 0.
	_, err = money.Parse(strings.Repeat("\x80", 40), "USD")
	assert.Equal(t, "money: parsing \"\"... (40 bytes) as \"USD\": malformed amount (unexpected '\uFFFD')", err.Error())
}

// TestParseNeighboursOfDigits: the bytes on either side of '0'..'9' are not
// digits (issue 11 test gap: '/' and ':' were never tried).
func TestParseNeighboursOfDigits(t *testing.T) {
	for _, in := range []string{"/", ":", "1/2", "1:2", "1./", "1.:", "/1", ":1", "1.0/", "1.0:"} {
		_, err := money.Parse(in, "USD")
		require.ErrorIs(t, err, money.ErrMalformed, "%q", in)
		assert.Contains(t, err.Error(), "unexpected", "%q", in)
	}
	for _, in := range []string{"0", "9", "0.9", "9.0"} {
		_, err := money.Parse(in, "USD")
		assert.NoError(t, err, "%q", in)
	}
}

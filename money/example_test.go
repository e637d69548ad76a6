package money_test

import (
	"errors"
	"fmt"

	"github.com/glomo-go/glomo-go/money"
)

func ExampleParse() {
	for _, in := range []struct{ s, code string }{
		{"295.991", "KWD"},
		{"10", "JPY"},
		{"299.00", "USD"},
		{"-1.5", "USD"},
	} {
		minor, err := money.Parse(in.s, in.code)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(in.s, in.code, "=", minor)
	}
	// Output:
	// 295.991 KWD = 295991
	// 10 JPY = 10
	// 299.00 USD = 29900
	// -1.5 USD = -150
}

func ExampleParse_errors() {
	for _, in := range []struct{ s, code string }{
		{"1.234", "USD"},
		{"10", "usd"},
		{"1e3", "USD"},
		{"92233720368547758.08", "USD"},
	} {
		_, err := money.Parse(in.s, in.code)
		fmt.Println(err)
		if errors.Is(err, money.ErrTooManyDecimals) {
			fmt.Println("  -> ask the user for at most 2 decimals")
		}
	}
	// Output:
	// money: parsing "1.234" as "USD": too many decimals (USD has 2 decimal places)
	//   -> ask the user for at most 2 decimals
	// money: parsing "10" as "usd": unknown currency (codes are uppercase: use "USD")
	// money: parsing "1e3" as "USD": malformed amount (unexpected 'e')
	// money: parsing "92233720368547758.08" as "USD": amount overflows int64 minor units
}

func ExampleFormat() {
	for _, a := range []struct {
		minor int64
		code  string
	}{{295991, "KWD"}, {29900, "USD"}, {10, "JPY"}, {-5, "USD"}} {
		s, err := money.Format(a.minor, a.code)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s)
	}
	// Output:
	// 295.991
	// 299.00
	// 10
	// -0.05
}

func ExampleDigits() {
	for _, code := range []string{"JPY", "USD", "KWD"} {
		d, _ := money.Digits(code)
		fmt.Println(code, d)
	}
	// Output:
	// JPY 0
	// USD 2
	// KWD 3
}

func ExampleAmount() {
	// A payout's source_amount as the API returns it.
	a := money.Amount{Minor: 29900, Currency: "USD"}
	fmt.Println(a)
	// Output: 299.00 USD
}

func ExampleParseAmount() {
	a, err := money.ParseAmount("295.991", "KWD")
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Minor, a.Currency, a)
	// Output: 295991 KWD 295.991 KWD
}

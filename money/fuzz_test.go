package money_test

import (
	"errors"
	"math/big"
	"regexp"
	"testing"

	"github.com/glomo-go/glomo-go/money"
)

// One currency per exponent (0, 2, 3, 4), so every code path is reached.
var fuzzCodes = []string{"JPY", "USD", "KWD", "CLF", "BHD", "OMR"}

var grammar = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// canonical is what Format produces: no leading zeros, exactly exp decimals,
// no "-0".
var canonical = map[int]*regexp.Regexp{
	0: regexp.MustCompile(`^(0|-?[1-9][0-9]*)$`),
	2: regexp.MustCompile(`^-?(0|[1-9][0-9]*)\.[0-9]{2}$`),
	3: regexp.MustCompile(`^-?(0|[1-9][0-9]*)\.[0-9]{3}$`),
	4: regexp.MustCompile(`^-?(0|[1-9][0-9]*)\.[0-9]{4}$`),
}

// FuzzRoundTrip checks both directions: Format then Parse returns the same
// amount, and whatever Parse accepts formats canonically, parses back to the
// same amount, and equals the exact decimal value (checked with math/big, an
// independent implementation). It also checks that Parse's notion of
// "malformed" is exactly the documented grammar.
func FuzzRoundTrip(f *testing.F) {
	f.Add(int64(295991), uint8(2), "295.991")
	f.Add(int64(10), uint8(0), "10")
	f.Add(int64(29900), uint8(1), "299.00")
	f.Add(int64(-1), uint8(1), "-0.01")
	f.Add(int64(9223372036854775807), uint8(1), "92233720368547758.07")
	f.Add(int64(-9223372036854775808), uint8(0), "-9223372036854775808")
	f.Add(int64(0), uint8(3), "-0.0000")
	f.Add(int64(5), uint8(1), "1e3")
	f.Add(int64(7), uint8(2), "007.500000")
	f.Fuzz(func(t *testing.T, n int64, ci uint8, s string) {
		code := fuzzCodes[int(ci)%len(fuzzCodes)]
		exp, err := money.Digits(code)
		if err != nil {
			t.Fatal(err)
		}

		// Format → Parse.
		out, err := money.Format(n, code)
		if err != nil {
			t.Fatalf("Format(%d, %s): %v", n, code, err)
		}
		if !canonical[exp].MatchString(out) {
			t.Fatalf("Format(%d, %s) = %q is not canonical", n, code, out)
		}
		back, err := money.Parse(out, code)
		if err != nil || back != n {
			t.Fatalf("Parse(Format(%d, %s) = %q) = %d, %v", n, code, out, back, err)
		}

		// Parse → Format.
		v, err := money.Parse(s, code)
		if matches := grammar.MatchString(s); matches == errors.Is(err, money.ErrMalformed) {
			t.Fatalf("Parse(%q): grammar match %v but err %v", s, matches, err)
		}
		if err != nil {
			if v != 0 {
				t.Fatalf("Parse(%q) = %d with error %v", s, v, err)
			}
			var me *money.Error
			if !errors.As(err, &me) || me.Input != s || me.Currency != code {
				t.Fatalf("Parse(%q) error %#v does not describe the input", s, err)
			}
			checkRejection(t, s, code, exp, err)
			return
		}
		exact := exactMinor(t, s, exp)
		if !exact.IsInt64() || exact.Int64() != v {
			t.Fatalf("Parse(%q, %s) = %d, exact value is %s", s, code, v, exact)
		}
		f1, err := money.Format(v, code)
		if err != nil || !canonical[exp].MatchString(f1) {
			t.Fatalf("Format(Parse(%q)) = %q, %v", s, f1, err)
		}
		if v2, err := money.Parse(f1, code); err != nil || v2 != v {
			t.Fatalf("Parse(%q) = %d, %v; want %d", f1, v2, err, v)
		}
	})
}

// exactMinor returns s × 10^exp computed with big.Rat, or nil if not integral.
func exactMinor(t *testing.T, s string, exp int) *big.Int {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("big.Rat cannot read %q, which Parse accepted", s)
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)))
	if !r.IsInt() {
		t.Fatalf("Parse accepted %q although it has more than %d decimals", s, exp)
	}
	return r.Num()
}

// checkRejection confirms a well-formed input was rejected for the right
// reason: too many decimals exactly when the value is not integral in minor
// units, overflow exactly when it does not fit in int64.
func checkRejection(t *testing.T, s, code string, exp int, err error) {
	if !grammar.MatchString(s) {
		return
	}
	r, _ := new(big.Rat).SetString(s)
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)))
	switch {
	case !r.IsInt():
		if !errors.Is(err, money.ErrTooManyDecimals) {
			t.Fatalf("Parse(%q, %s): want ErrTooManyDecimals, got %v", s, code, err)
		}
	case !r.Num().IsInt64():
		if !errors.Is(err, money.ErrOverflow) {
			t.Fatalf("Parse(%q, %s): want ErrOverflow, got %v", s, code, err)
		}
	default:
		t.Fatalf("Parse(%q, %s) rejected a representable amount: %v", s, code, err)
	}
}

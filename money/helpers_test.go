package money_test

import (
	"testing"

	"github.com/bojanz/currency"
)

func allCodes(t testing.TB) []string {
	codes := currency.GetCurrencyCodes()
	if len(codes) < 150 {
		t.Fatalf("only %d currency codes known", len(codes))
	}
	return codes
}

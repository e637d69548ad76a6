// Package quote quotes caller input for error messages: short enough that an
// error about a huge input stays one log line, and cut where a reader can
// still see what was passed.
package quote

import (
	"strconv"
	"unicode/utf8"
)

// Max is how many bytes of an input Short quotes.
const Max = 32

// Short quotes s, or its first Max bytes (cut on a rune boundary) followed
// by its length when it is longer.
func Short(s string) string {
	if len(s) <= Max {
		return strconv.Quote(s)
	}
	cut := Max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}

package quote

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestShort(t *testing.T) {
	assert.Equal(t, `"EUR"`, Short("EUR"))
	assert.Equal(t, `"a\nb"`, Short("a\nb"))
	exact := strings.Repeat("x", Max)
	assert.Equal(t, `"`+exact+`"`, Short(exact))
	assert.Equal(t, `"`+exact+`"... (33 bytes)`, Short(exact+"y"))
	// A cut inside a multi-byte rune moves back to its start: no broken
	// UTF-8 in the message.
	euro := strings.Repeat("x", Max-1) + "€"
	assert.Equal(t, `"`+strings.Repeat("x", Max-1)+`"... (34 bytes)`, Short(euro))
	// Input with no character start at all (not UTF-8) is cut to nothing,
	// never past its beginning.
	assert.Equal(t, `""... (40 bytes)`, Short(strings.Repeat("\x80", 40)))
}

package webhook_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/glomo-go/glomo-go/webhook"
)

// hostileBodies are unsigned bodies an attacker might post to a public
// webhook endpoint, each about size bytes: the shapes that make RFC 8785
// canonicalisation slowest (numbers, many keys) and the cheap ones.
func hostileBodies(size int) map[string][]byte {
	var keys strings.Builder
	keys.WriteString(`{"entity_type":"payout","event_type":"success","data":{`)
	for i := 0; keys.Len() < size-16; i++ {
		if i > 0 {
			keys.WriteByte(',')
		}
		keys.WriteString(`"k` + strings.Repeat("z", i%7) + string(rune('a'+i%26)) + `":1`)
	}
	keys.WriteString(`}}`)
	head := `{"entity_type":"payout","event_type":"success","data":[`
	n := (size - len(head) - 3) / 6
	return map[string][]byte{
		"numbers":  []byte(head + strings.Repeat("1.5e3,", n) + `1]}`),
		"keys":     []byte(keys.String()),
		"string":   []byte(envelopeOfSize(size)),
		"not-JSON": []byte(strings.Repeat("x", size)),
	}
}

// BenchmarkVerifyRefuseUnsigned measures what refusing an unsigned body
// costs, for 1 MiB bodies (the handler's default limit) and for bodies at
// MaxCanonicalBytes, the largest the canonical fallback still processes.
func BenchmarkVerifyRefuseUnsigned(b *testing.B) {
	sig := strings.Repeat("0", 64)
	for _, size := range []int{1 << 20, webhook.MaxCanonicalBytes} {
		for _, shape := range []string{"numbers", "keys", "string", "not-JSON"} {
			body := hostileBodies(size)[shape]
			b.Run(shape+"/"+sizeName(size), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					if webhook.Verify(secret, body, sig) == nil {
						b.Fatal("an unsigned body verified")
					}
				}
			})
		}
	}
}

func sizeName(n int) string { return strconv.Itoa(n>>10) + "KiB" }

package wrapper

import (
	"strings"
	"testing"
)

// TestMatchIndexedEqualsScan checks the indexed match against a scan of
// every operation, for each template with its parameters filled in and for
// odd paths.
func TestMatchIndexedEqualsScan(t *testing.T) {
	idx, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	scan := &specIndex{ops: idx.ops}
	var paths []string
	for _, op := range idx.ops {
		segs := make([]string, len(op.segments))
		for i, s := range op.segments {
			if strings.HasPrefix(s, "{") {
				s = "x_1"
			}
			segs[i] = s
		}
		paths = append(paths, "/"+strings.Join(segs, "/"), "/"+strings.Join(segs, "/")+"/", strings.Join(segs, "/"))
	}
	paths = append(paths, "", "/", "//", "/v1//payouts", "/v1/payouts//", "/nope", "/v1/payouts/a/b/c/d/e")
	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}
	found := 0
	for _, p := range paths {
		for _, m := range methods {
			got, want := idx.match(m, p), scan.match(m, p)
			if got != want {
				t.Fatalf("match(%s %q) = %v, scan = %v", m, p, got, want)
			}
			if got != nil {
				found++
			}
		}
	}
	if found < len(idx.ops) {
		t.Fatalf("only %d matches for %d operations", found, len(idx.ops))
	}
}

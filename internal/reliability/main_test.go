// Package reliability holds glomo-go's reliability tests: the fault matrix,
// the no-duplicates run, the shared-client concurrency run, the response
// decode fuzzers and the secret-marker test. docs/reliability.md is
// generated from them (GLOMO_WRITE_DOCS=1). The long runs are behind
// -short and the soak build tag.
package reliability

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when any test leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

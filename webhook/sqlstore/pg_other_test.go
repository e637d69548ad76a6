//go:build !linux

package sqlstore_test

import (
	"os"
	"testing"
)

// TestMain: the PostgreSQL harness (pg_test.go) starts the server with
// Linux-only process attributes; elsewhere the database tests are skipped.
func TestMain(m *testing.M) {
	pgSkip = "PostgreSQL tests run on Linux only"
	os.Exit(m.Run())
}

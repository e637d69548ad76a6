package sqlstore_test

import (
	"database/sql"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// The tests run against a real PostgreSQL server that TestMain starts (see
// pg_test.go); testDB is nil when there is none, and pgSkip says why.
var (
	testDB  *sql.DB
	testDSN string // to open more pools on the same database
	pgSkip  string // why the PostgreSQL tests are skipped, when they are
)

// needPG skips t when there is no server.
func needPG(t *testing.T) *sql.DB {
	t.Helper()
	if testDB == nil {
		t.Skip(pgSkip)
	}
	return testDB
}

var tables atomic.Int64

// tablePrefix gives each test tables of its own in the shared database.
func tablePrefix(t *testing.T) string {
	p := strings.Trim(nonIdent.ReplaceAllString(strings.ToLower(t.Name()), "_"), "_")
	if len(p) > 40 {
		p = p[:40]
	}
	return "t" + strconv.FormatInt(tables.Add(1), 10) + "_" + p
}

var nonIdent = regexp.MustCompile(`[^a-z0-9_]+`)

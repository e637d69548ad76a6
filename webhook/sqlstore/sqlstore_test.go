package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/webhook"
	"github.com/glomo-go/glomo-go/webhook/internal/storetest"
	"github.com/glomo-go/glomo-go/webhook/sqlstore"
)

// newStore returns a store with tables of its own in the test database.
func newStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	db := needPG(t)
	s, err := sqlstore.New(db, sqlstore.WithPrefix(tablePrefix(t)))
	require.NoError(t, err)
	require.NoError(t, s.CreateTables(context.Background()))
	require.NoError(t, s.CreateTables(context.Background()), "idempotent")
	return s
}

func TestStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) webhook.Store { return newStore(t) })
}

func TestNew(t *testing.T) {
	_, err := sqlstore.New(nil)
	assert.ErrorContains(t, err, "nil *sql.DB")
	db := &sql.DB{} // never used: New does not touch the database
	for _, bad := range []string{"", "1abc", "a-b", "a;drop table x", "a.b.c", `a"b`} {
		_, err := sqlstore.New(db, sqlstore.WithPrefix(bad))
		assert.ErrorContains(t, err, "not an SQL identifier", "%q", bad)
	}
	for _, good := range []string{"glomo", "app.glomo_webhook", "_x1"} {
		_, err := sqlstore.New(db, sqlstore.WithPrefix(good), nil)
		assert.NoError(t, err, "%q", good)
	}
}

func TestSchema(t *testing.T) {
	s := sqlstore.Schema("")
	assert.Contains(t, s, "CREATE TABLE IF NOT EXISTS glomo_webhook_events (")
	assert.Contains(t, s, "CREATE TABLE IF NOT EXISTS glomo_webhook_objects (")
	assert.Contains(t, s, "PRIMARY KEY (entity_type, object_id)")
	assert.NotContains(t, s, "{p}")
	assert.Contains(t, sqlstore.Schema("app.hooks"), "CREATE TABLE IF NOT EXISTS app.hooks_events (")
}

// TestStoreDatabaseErrors: a failing database is an error naming the
// operation and the event, never a result.
func TestStoreDatabaseErrors(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	c := webhook.Claim{Key: "payout|po_1|success|success", EntityType: "payout", ObjectID: "po_1", State: "success",
		Owner: "o", LeaseUntil: time.Now().Add(time.Minute)}
	missing, err := sqlstore.New(needPG(t), sqlstore.WithPrefix("no_such_tables"))
	require.NoError(t, err)
	_, err = missing.Claim(ctx, c)
	assert.ErrorContains(t, err, "sqlstore: claiming payout|po_1|success|success")
	assert.ErrorContains(t, missing.Done(ctx, c), "sqlstore: recording as done payout|po_1|success|success")
	assert.ErrorContains(t, missing.Release(ctx, c), "sqlstore: releasing payout|po_1|success|success")
	_, err = missing.Prune(ctx, time.Hour)
	assert.ErrorContains(t, err, "sqlstore: pruning")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.Claim(cancelled, c)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestPrune(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	for i, state := range []string{"queued", "in_progress", "success"} {
		c := webhook.Claim{Key: fmt.Sprintf("k%d", i), EntityType: "payout", ObjectID: "po_1", State: state,
			Owner: "o", LeaseUntil: time.Now().Add(time.Minute)}
		r, err := s.Claim(ctx, c)
		require.NoError(t, err)
		require.Equal(t, webhook.Claimed, r)
		require.NoError(t, s.Done(ctx, c))
	}
	n, err := s.Prune(ctx, time.Hour)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing is an hour old")
	n, err = s.Prune(ctx, -time.Hour)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
	// The object's state survives pruning: a late event is still stale.
	r, err := s.Claim(ctx, webhook.Claim{Key: "k0", EntityType: "payout", ObjectID: "po_1", State: "queued",
		Owner: "o2", LeaseUntil: time.Now().Add(time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, webhook.Stale, r)
}

// TestNoDriverImported: the SDK's webhook packages import no database
// driver; only these tests do (issue 17).
func TestNoDriverImported(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/glomo-go/glomo-go/webhook/...").CombinedOutput()
	require.NoError(t, err, "%s", out)
	deps := string(out)
	require.Contains(t, deps, "database/sql")
	for _, driver := range []string{"github.com/jackc/", "github.com/lib/pq", "github.com/go-sql-driver/", "sqlite"} {
		assert.NotContains(t, deps, driver)
	}
}

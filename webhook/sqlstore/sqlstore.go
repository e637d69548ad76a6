// Package sqlstore keeps a [webhook.Store] in PostgreSQL through the
// service's own *sql.DB, so that every replica behind a load balancer
// processes each Glomo event once and never moves an object backwards.
//
// The package imports no driver: open the database with the driver you
// already use (pgx's stdlib, lib/pq) and pass the *sql.DB to [New]. Create
// the tables once with [Store.CreateTables] or by running [Schema] in your
// migrations.
//
// Each claim is one transaction: it locks the event's row and then its
// object's row (SELECT ... FOR UPDATE, always in that order, so two claims
// never deadlock), decides with [webhook.ShouldApply], and writes the claim
// with its owner and lease. Done and Release are one transaction each and
// act only while the same owner holds the claim. Lease times come from the
// replicas' clocks, which must agree to well within the lease (about a
// minute with [webhook.Handler]'s defaults); NTP does that.
//
// PostgreSQL only: the statements use ON CONFLICT and FOR UPDATE, which
// SQLite lacks (FOR UPDATE) and MySQL spells differently (ON DUPLICATE KEY).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/glomo-go/glomo-go/webhook"
)

// DefaultPrefix is the prefix of the two table names unless [WithPrefix]
// says otherwise: glomo_webhook_events and glomo_webhook_objects.
const DefaultPrefix = "glomo_webhook"

// schema is the DDL, with {p} for the table prefix.
const schema = `CREATE TABLE IF NOT EXISTS {p}_events (
	event_key   text PRIMARY KEY,
	owner       text,
	lease_until timestamptz,
	done_at     timestamptz
);
CREATE TABLE IF NOT EXISTS {p}_objects (
	entity_type text NOT NULL,
	object_id   text NOT NULL,
	state       text NOT NULL DEFAULT '',
	owner       text,
	lease_until timestamptz,
	PRIMARY KEY (entity_type, object_id)
);
CREATE INDEX IF NOT EXISTS {p}_events_done_at ON {p}_events (done_at);`

// Schema returns the CREATE TABLE statements for tables named with prefix
// ("" for [DefaultPrefix]), for services that manage their schema with
// migrations. An event row is kept after it is done so that redeliveries
// are recognised; [Store.Prune] deletes old ones.
func Schema(prefix string) string {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return strings.ReplaceAll(schema, "{p}", prefix)
}

// Store is a [webhook.Store] in a PostgreSQL database. It is safe for
// concurrent use by any number of goroutines and processes.
type Store struct {
	db     *sql.DB
	prefix string
	now    func() time.Time
	q      queries
}

// Option configures [New].
type Option func(*Store)

// WithPrefix names the tables prefix_events and prefix_objects. The prefix
// must be an SQL identifier (letters, digits, underscores, optionally
// schema-qualified as schema.name); [New] refuses anything else.
func WithPrefix(prefix string) Option {
	return func(s *Store) { s.prefix = prefix }
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

// New returns a store that keeps its tables in db. It does not touch the
// database; call [Store.CreateTables] or run [Schema] first.
func New(db *sql.DB, opts ...Option) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlstore: nil *sql.DB")
	}
	s := &Store{db: db, prefix: DefaultPrefix, now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	if !identifier.MatchString(s.prefix) {
		return nil, fmt.Errorf("sqlstore: table prefix %q is not an SQL identifier", s.prefix)
	}
	s.q = newQueries(s.prefix)
	return s, nil
}

// CreateTables creates the store's tables and index if they do not exist.
func (s *Store) CreateTables(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, Schema(s.prefix)); err != nil {
		return fmt.Errorf("sqlstore: creating tables: %w", err)
	}
	return nil
}

// Prune deletes the records of events done more than olderThan ago and
// returns how many it deleted. Glomo stops redelivering about four days
// after the first attempt (live: 9 retries over 94 hours), so keep at least
// that; a pruned event that is delivered again is processed again.
func (s *Store) Prune(ctx context.Context, olderThan time.Duration) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.q.prune, s.now().Add(-olderThan))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: pruning: %w", err)
	}
	return res.RowsAffected()
}

// Claim implements [webhook.Store].
func (s *Store) Claim(ctx context.Context, c webhook.Claim) (webhook.ClaimResult, error) {
	var res webhook.ClaimResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.claim(ctx, tx, c)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: claiming %s: %w", c.Key, err)
	}
	return res, nil
}

func (s *Store) claim(ctx context.Context, tx *sql.Tx, c webhook.Claim) (webhook.ClaimResult, error) {
	now := s.now()
	if _, err := tx.ExecContext(ctx, s.q.insertEvent, c.Key); err != nil {
		return 0, err
	}
	var ev holder
	var doneAt sql.NullTime
	if err := tx.QueryRowContext(ctx, s.q.lockEvent, c.Key).Scan(&ev.owner, &ev.until, &doneAt); err != nil {
		return 0, err
	}
	if doneAt.Valid {
		return webhook.Duplicate, nil
	}
	if ev.heldBy(c.Owner, now) {
		return webhook.Busy, nil
	}
	if c.ObjectID != "" {
		if _, err := tx.ExecContext(ctx, s.q.insertObject, c.EntityType, c.ObjectID); err != nil {
			return 0, err
		}
		var obj holder
		var state string
		if err := tx.QueryRowContext(ctx, s.q.lockObject, c.EntityType, c.ObjectID).Scan(&state, &obj.owner, &obj.until); err != nil {
			return 0, err
		}
		if obj.heldBy(c.Owner, now) {
			return webhook.Busy, nil
		}
		if c.State != "" && !webhook.ShouldApply(c.EntityType, state, c.State) {
			return webhook.Stale, nil
		}
		if _, err := tx.ExecContext(ctx, s.q.holdObject, c.EntityType, c.ObjectID, c.Owner, c.LeaseUntil); err != nil {
			return 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, s.q.holdEvent, c.Key, c.Owner, c.LeaseUntil); err != nil {
		return 0, err
	}
	return webhook.Claimed, nil
}

// holder is who holds a row, if anyone, and until when.
type holder struct {
	owner sql.NullString
	until sql.NullTime
}

func (h holder) heldBy(owner string, now time.Time) bool {
	return h.owner.Valid && h.owner.String != owner && h.until.Valid && now.Before(h.until.Time)
}

// Done implements [webhook.Store].
func (s *Store) Done(ctx context.Context, c webhook.Claim) error {
	return s.end(ctx, c, true)
}

// Release implements [webhook.Store].
func (s *Store) Release(ctx context.Context, c webhook.Claim) error {
	return s.end(ctx, c, false)
}

func (s *Store) end(ctx context.Context, c webhook.Claim, done bool) error {
	op := "releasing"
	evQuery, objQuery := s.q.releaseEvent, s.q.releaseObject
	evArgs, objArgs := []any{c.Key, c.Owner}, []any{c.EntityType, c.ObjectID, c.Owner}
	if done {
		op = "recording as done"
		evQuery, objQuery = s.q.doneEvent, s.q.doneObject
		evArgs, objArgs = append(evArgs, s.now()), append(objArgs, c.State)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := execOne(ctx, tx, evQuery, evArgs...); err != nil {
			return err
		}
		if c.ObjectID == "" {
			return nil
		}
		return execOne(ctx, tx, objQuery, objArgs...)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: %s %s: %w", op, c.Key, err)
	}
	return nil
}

// execOne runs an UPDATE that must change exactly the claimed row; none
// means the claim is no longer held.
func execOne(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return webhook.ErrLeaseLost
	}
	return nil
}

// inTx runs fn in a transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback() // the error that matters is fn's
		return err
	}
	return tx.Commit()
}

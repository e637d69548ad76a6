package sqlstore

import "strings"

// queries are the store's statements for one table prefix. A lease is
// checked in Go (holder.heldBy) with the replica's clock, so the SQL holds
// no time arithmetic and reads the same in every PostgreSQL version.
type queries struct {
	insertEvent, lockEvent, holdEvent, doneEvent, releaseEvent string
	insertObject, lockObject, holdObject, doneObject           string
	releaseObject, prune                                       string
}

func newQueries(prefix string) queries {
	r := strings.NewReplacer("{e}", prefix+"_events", "{o}", prefix+"_objects")
	return queries{
		insertEvent:  r.Replace(`INSERT INTO {e} (event_key) VALUES ($1) ON CONFLICT DO NOTHING`),
		lockEvent:    r.Replace(`SELECT owner, lease_until, done_at FROM {e} WHERE event_key = $1 FOR UPDATE`),
		holdEvent:    r.Replace(`UPDATE {e} SET owner = $2, lease_until = $3 WHERE event_key = $1`),
		doneEvent:    r.Replace(`UPDATE {e} SET owner = NULL, lease_until = NULL, done_at = $3 WHERE event_key = $1 AND owner = $2 AND done_at IS NULL`),
		releaseEvent: r.Replace(`UPDATE {e} SET owner = NULL, lease_until = NULL WHERE event_key = $1 AND owner = $2 AND done_at IS NULL`),

		insertObject:  r.Replace(`INSERT INTO {o} (entity_type, object_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`),
		lockObject:    r.Replace(`SELECT state, owner, lease_until FROM {o} WHERE entity_type = $1 AND object_id = $2 FOR UPDATE`),
		holdObject:    r.Replace(`UPDATE {o} SET owner = $3, lease_until = $4 WHERE entity_type = $1 AND object_id = $2`),
		doneObject:    r.Replace(`UPDATE {o} SET owner = NULL, lease_until = NULL, state = COALESCE(NULLIF($4, ''), state) WHERE entity_type = $1 AND object_id = $2 AND owner = $3`),
		releaseObject: r.Replace(`UPDATE {o} SET owner = NULL, lease_until = NULL WHERE entity_type = $1 AND object_id = $2 AND owner = $3`),

		prune: r.Replace(`DELETE FROM {e} WHERE done_at < $1`),
	}
}

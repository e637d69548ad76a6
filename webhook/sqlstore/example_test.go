package sqlstore_test

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"os"

	"github.com/glomo-go/glomo-go/webhook"
	"github.com/glomo-go/glomo-go/webhook/sqlstore"
)

// Every replica of the service runs the same code against the same
// database: an event is processed by one replica, once, and a late
// non-terminal event never overwrites a terminal state. The *sql.DB is the
// service's own, opened with its driver (here pgx's database/sql driver,
// registered as "pgx"). Not run as a test: it needs a server (see
// TestFleet, which runs four such replicas).
func Example() {
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	store, err := sqlstore.New(db)
	if err != nil {
		log.Fatal(err)
	}
	// Once, or run sqlstore.Schema("") in your migrations.
	if err := store.CreateTables(context.Background()); err != nil {
		log.Fatal(err)
	}
	http.Handle("/webhooks/glomo", webhook.Handler(os.Getenv("GLOMO_WEBHOOK_SECRET"),
		func(ctx context.Context, e webhook.Event) error {
			// Apply the event; return an error to have Glomo redeliver it.
			return nil
		}, webhook.WithStore(store)))
	log.Fatal(http.ListenAndServe(":8080", nil))
}

package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glomo-go/glomo-go/webhook"
	"github.com/glomo-go/glomo-go/webhook/sqlstore"
)

const fleetSecret = "whsec_fleet_test"

// fleetEvent is one distinct event of the fleet test.
type fleetEvent struct {
	object, state string
	body, sig     string
	failOnce      bool // the callback fails the first time it sees it
}

// fleetEvents returns 700 distinct payout events for 200 objects (half with
// pending_approval → queued → in_progress → terminal, half without
// pending_approval), the terminal one success or failed; the terminal
// events of every 20th object fail once.
func fleetEvents(t *testing.T, rng *rand.Rand) []fleetEvent {
	var evs []fleetEvent
	for i := range 200 {
		failing := i%20 == 0
		states := []string{"queued", "in_progress"}
		if i < 100 {
			states = append([]string{"pending_approval"}, states...)
		}
		states = append(states, []string{"success", "failed"}[rng.IntN(2)])
		for _, s := range states {
			id := fmt.Sprintf("payout_%03d", i)
			body, sig, err := webhook.NewSignedPayload(fleetSecret, webhook.Event{EntityType: webhook.EntityPayout, EventType: s,
				Data: []byte(fmt.Sprintf(`{"id":%q,"status":%q,"amount":29900}`, id, s))})
			require.NoError(t, err)
			evs = append(evs, fleetEvent{object: id, state: s, body: string(body), sig: sig, failOnce: failing && webhook.IsTerminal(webhook.EntityPayout, s)})
		}
	}
	require.Len(t, evs, 700)
	return evs
}

// countingStore counts what a replica's store answered.
type countingStore struct {
	webhook.Store
	results *sync.Map // webhook.ClaimResult → *atomic.Int64
	stale   *sync.Map // claim key → struct{}: events found stale
}

func (s countingStore) Claim(ctx context.Context, c webhook.Claim) (webhook.ClaimResult, error) {
	r, err := s.Store.Claim(ctx, c)
	if err == nil {
		n, _ := s.results.LoadOrStore(r, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		if r == webhook.Stale {
			s.stale.Store(c.Key, struct{}{})
		}
	}
	return r, err
}

// fleetApp is the user's application: it applies each event to its own
// record of the object and checks that nothing runs twice or backwards.
type fleetApp struct {
	mu         sync.Mutex
	processed  map[string]int // object|state → successful callbacks
	failed     map[string]int // object|state → failed callbacks
	state      map[string]string
	violations []string
	failOnce   map[string]bool
}

func (a *fleetApp) callback(_ context.Context, ev webhook.Event) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	key := ev.ID() + "|" + ev.EventType
	if a.failOnce[key] && a.failed[key] == 0 {
		a.failed[key]++
		return errors.New("the application's database hiccupped")
	}
	a.processed[key]++
	if n := a.processed[key]; n > 1 {
		a.violations = append(a.violations, fmt.Sprintf("%s processed %d times", key, n))
	}
	cur := a.state[ev.ID()]
	if webhook.IsTerminal(webhook.EntityPayout, cur) && !webhook.IsTerminal(webhook.EntityPayout, ev.EventType) {
		a.violations = append(a.violations, fmt.Sprintf("%s moved back from %s to %s", ev.ID(), cur, ev.EventType))
	}
	a.state[ev.ID()] = ev.EventType
	return nil
}

// TestFleet is issue 17's done-when: four replicas (httptest servers, each
// with its own connection pool) share one database; 1,000 signed deliveries
// (700 distinct events for 200 payouts plus 300 duplicates, shuffled) are
// sent by 32 concurrent senders that, like Glomo, redeliver anything not
// answered 200.
func TestFleet(t *testing.T) {
	needPG(t)
	rng := rand.New(rand.NewPCG(17, 2026))
	events := fleetEvents(t, rng)
	deliveries := make([]int, 0, 1000)
	for i := range events {
		deliveries = append(deliveries, i)
	}
	for range 300 {
		deliveries = append(deliveries, rng.IntN(len(events)))
	}
	rng.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })

	app := &fleetApp{processed: map[string]int{}, failed: map[string]int{}, state: map[string]string{}, failOnce: map[string]bool{}}
	for _, e := range events {
		if e.failOnce {
			app.failOnce[e.object+"|"+e.state] = true
		}
	}
	prefix := tablePrefix(t)
	results, stale := &sync.Map{}, &sync.Map{}
	var urls []string
	for range 4 {
		db, err := sql.Open("pgx", testDSN)
		require.NoError(t, err)
		db.SetMaxOpenConns(8)
		t.Cleanup(func() { db.Close() })
		s, err := sqlstore.New(db, sqlstore.WithPrefix(prefix))
		require.NoError(t, err)
		require.NoError(t, s.CreateTables(context.Background()))
		srv := httptest.NewServer(webhook.Handler(fleetSecret, app.callback,
			webhook.WithStore(countingStore{Store: s, results: results, stale: stale})))
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}

	var requests, busy, failed atomic.Int64
	queue := make(chan int, len(deliveries))
	for _, d := range deliveries {
		queue <- d
	}
	var pending sync.WaitGroup
	pending.Add(len(deliveries))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	client := &http.Client{Timeout: 30 * time.Second}
	start := time.Now()
	var senders sync.WaitGroup
	for w := range 32 {
		senders.Add(1)
		go func() {
			defer senders.Done()
			for {
				var d int
				select {
				case d = <-queue:
				case <-ctx.Done():
					return
				}
				e := events[d]
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, urls[(d+w)%len(urls)], bytes.NewReader([]byte(e.body)))
				req.Header.Set(webhook.SignatureHeader, e.sig)
				resp, err := client.Do(req)
				requests.Add(1)
				code := 0
				if err == nil {
					code = resp.StatusCode
					resp.Body.Close()
				}
				switch code {
				case http.StatusOK:
					pending.Done()
					continue
				case http.StatusServiceUnavailable:
					busy.Add(1)
				case http.StatusInternalServerError:
					failed.Add(1)
				default:
					t.Errorf("delivery of %s|%s: status %d, error %v", e.object, e.state, code, err)
				}
				// Redeliver later (Glomo waits minutes; a few milliseconds
				// keep the test short while letting the holder finish).
				time.Sleep(time.Duration(1+rand.IntN(4)) * time.Millisecond)
				queue <- d
			}
		}()
	}
	allDone := make(chan struct{})
	go func() { pending.Wait(); close(allDone) }()
	select {
	case <-allDone:
	case <-ctx.Done():
		t.Fatalf("deliveries not all acknowledged within 3 minutes (%d requests so far)", requests.Load())
	}
	elapsed := time.Since(start)
	cancel()
	senders.Wait()

	app.mu.Lock()
	defer app.mu.Unlock()
	assert.Empty(t, app.violations)
	count := func(r webhook.ClaimResult) int64 {
		if n, ok := results.Load(r); ok {
			return n.(*atomic.Int64).Load()
		}
		return 0
	}
	skipped := 0
	for _, e := range events {
		key := e.object + "|" + e.state
		n := app.processed[key]
		if webhook.IsTerminal(webhook.EntityPayout, e.state) {
			assert.Equal(t, 1, n, "terminal %s processed once", key)
			assert.Equal(t, e.state, app.state[e.object], "%s ends in its terminal state", e.object)
			continue
		}
		if n == 0 {
			// Never processed: it must have been refused as stale,
			// because it arrived after the terminal state was applied.
			_, ok := stale.Load("payout|" + e.object + "|" + e.state + "|" + e.state)
			assert.True(t, ok, "%s neither processed nor stale", key)
			skipped++
			continue
		}
		assert.Equal(t, 1, n, "%s processed once", key)
	}
	for key := range app.failOnce {
		assert.Equal(t, 1, app.failed[key], "%s failed once", key)
		assert.Equal(t, 1, app.processed[key], "%s processed once after its redelivery", key)
	}
	assert.Equal(t, int64(len(app.failOnce)), failed.Load(), "one 500 per failing callback")
	t.Logf("fleet: 4 replicas, 32 senders, %d deliveries (%d distinct events for 200 objects + %d duplicates) in %v = %.0f deliveries/s; "+
		"%d HTTP requests (%d answered 503 busy, %d answered 500 by a failing callback); claims: %d claimed, %d duplicate (absorbed), %d stale; "+
		"%d distinct events never processed because they arrived after their object's terminal state; callbacks failed once: %d, each processed once after redelivery",
		len(deliveries), len(events), len(deliveries)-len(events), elapsed.Round(time.Millisecond), float64(len(deliveries))/elapsed.Seconds(),
		requests.Load(), busy.Load(), failed.Load(), count(webhook.Claimed), count(webhook.Duplicate), count(webhook.Stale),
		skipped, len(app.failOnce))
}

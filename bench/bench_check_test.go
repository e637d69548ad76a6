package bench

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/glomo-go/glomo-go/drift"
)

// checkCanned fails tb when a canned answer does not conform to openapi.yaml.
func checkCanned(tb testing.TB, v *drift.Validator) {
	tb.Helper()
	h := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		method, path string
		status       int
		body         []byte
	}{
		{"GET", "/v1/balances", 200, BalanceJSON},
		{"POST", "/v1/payouts", 201, PayoutJSON},
		{"GET", "/v1/payouts", 200, ListPageJSON},
		{"GET", "/v1/payouts", 200, page(nil, 1000, 100_000)},
	} {
		if f := v.Check(c.method, "/api"+c.path, c.status, h, c.body); f != nil {
			tb.Fatalf("%s %s: %v", c.method, c.path, f)
		}
	}
}

// TestCannedConform: every canned answer passes the drift detector, so the
// peers decode a valid answer and "drift on" measures the clean path.
func TestCannedConform(t *testing.T) {
	v, err := drift.Default()
	if err != nil {
		t.Fatal(err)
	}
	checkCanned(t, v)
}

// TestPeers: every peer gets the right answer from every endpoint, so no
// peer is fast because it skipped work or got an error page.
func TestPeers(t *testing.T) {
	ctx := context.Background()
	for _, d := range Peers() {
		t.Run(d.Name, func(t *testing.T) {
			p := newPeer(t, d, BaseURL(srv))
			if err := p.GetBalance(ctx); err != nil {
				t.Errorf("GetBalance: %v", err)
			}
			if err := p.CreatePayout(ctx); err != nil {
				t.Errorf("CreatePayout: %v", err)
			}
			if n, err := p.ListPage(ctx); err != nil || n != PageSize {
				t.Errorf("ListPage = %d, %v; want %d", n, err, PageSize)
			}
			for _, items := range []int{1, 250, 1000} {
				w, ok := newPeer(t, d, WalkURL(srv, items)).(Walker)
				if !ok {
					continue
				}
				if n, err := w.Walk(ctx); err != nil || n != items {
					t.Errorf("Walk(%d) = %d, %v", items, n, err)
				}
			}
		})
	}
}

// TestServerRejectsEmptyBody: a create whose body lost its fields is a 400.
func TestServerRejectsEmptyBody(t *testing.T) {
	req, _ := http.NewRequest("POST", BaseURL(srv)+"/v1/payouts", bytes.NewReader([]byte(`{}`)))
	req.Header.Set("Authorization", "Bearer "+APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
}

// TestOgenSpecUpToDate: ogen/openapi.yaml is what internal/ogenspec makes of
// ../openapi.yaml today (run `go generate` in bench/ when this fails).
func TestOgenSpecUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run")
	}
	out := filepath.Join(t.TempDir(), "openapi.yaml")
	cmd := exec.Command("go", "run", "./internal/ogenspec", "-in", "../openapi.yaml", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ogenspec: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("ogen/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("ogen/openapi.yaml is stale: run go generate in bench/ (and commit the regenerated ogen/)")
	}
}

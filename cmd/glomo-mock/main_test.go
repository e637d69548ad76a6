package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var urlRE = regexp.MustCompile(`url=(http://\S+/api)`)

// waitURL reads the log until the "listening" line and returns the base URL.
func waitURL(t *testing.T, r io.Reader, lines chan<- string) string {
	t.Helper()
	sc := bufio.NewScanner(r)
	found := make(chan string, 1)
	go func() {
		sent := false
		for sc.Scan() {
			if m := urlRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
			if lines != nil {
				lines <- sc.Text()
			}
		}
		if lines != nil {
			close(lines)
		}
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(20 * time.Second):
		t.Fatal("glomo-mock did not start")
	}
	return ""
}

func get(t *testing.T, u, key string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRun(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var runErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		runErr = run(ctx, []string{"-addr", "127.0.0.1:0", "-key", "sk_test_cmd", "-fault", "op=getPayouts,kind=status,status=503"}, pw)
		pw.Close()
	}()
	lines := make(chan string, 100)
	base := waitURL(t, pr, lines)
	if st := get(t, base+"/v1/balances", "sk_test_cmd"); st != 200 {
		t.Fatalf("with key: %d", st)
	}
	if st := get(t, base+"/v1/balances", ""); st != 401 {
		t.Fatalf("without key: %d", st)
	}
	if st := get(t, base+"/v1/payouts", "sk_test_cmd"); st != 503 {
		t.Fatalf("-fault: %d", st)
	}
	cancel()
	wg.Wait()
	if runErr != nil {
		t.Fatal(runErr)
	}
	var logged []string
	for l := range lines {
		if strings.Contains(l, "msg=request") {
			logged = append(logged, l)
		}
	}
	if len(logged) != 3 || !strings.Contains(logged[0], "op=getBalance") || !strings.Contains(logged[0], "status=200") {
		t.Fatalf("request log lines: %q", logged)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-key", "test_pub"}, {"-fault", "kind=nope"}, {"extra"}} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

// TestBinarySignal builds the binary and stops it with SIGINT and SIGTERM.
func TestBinarySignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "glomo-mock")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, sig := range []os.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-key", "sk_test_bin")
		pr, pw := io.Pipe()
		cmd.Stderr = pw
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		base := waitURL(t, pr, nil)
		if st := get(t, base+"/v1/balances", "sk_test_bin"); st != 200 {
			t.Fatalf("with key: %d", st)
		}
		if st := get(t, base+"/v1/balances", ""); st != 401 {
			t.Fatalf("without key: %d", st)
		}
		cmd.Process.Signal(sig)
		done := make(chan error, 1)
		go func() { err := cmd.Wait(); pw.Close(); done <- err }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%v: exit %v", sig, err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%v: did not exit", sig)
		}
	}
}

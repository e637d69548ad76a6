//go:build linux

package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // test-only driver: the SDK imports none
)

// The tests run against a real PostgreSQL server that TestMain starts from
// the installed binaries (Debian's postgresql package) in a temporary data
// directory on a private loopback port, and stops at the end. Without the
// binaries the tests are skipped, except in CI (CI or GLOMO_REQUIRE_POSTGRES
// set), where that is a failure.

func TestMain(m *testing.M) {
	os.Exit(runWithPostgres(m))
}

func runWithPostgres(m *testing.M) int {
	bin, err := findPostgres()
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("GLOMO_REQUIRE_POSTGRES") != "" {
			fmt.Fprintf(os.Stderr, "sqlstore: PostgreSQL is required in CI: %v (install Debian's postgresql package)\n", err)
			return 1
		}
		pgSkip = "PostgreSQL tests skipped: " + err.Error() + " (install Debian's postgresql package, or set GLOMO_PG_BIN)"
		return m.Run()
	}
	srv, err := startPostgres(bin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sqlstore: starting PostgreSQL from %s: %v\n", bin, err)
		return 1
	}
	defer srv.stop()
	testDB, testDSN = srv.db, srv.dsn
	return m.Run()
}

// findPostgres returns the directory holding initdb and postgres:
// GLOMO_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else PATH.
func findPostgres() (string, error) {
	ok := func(dir string) bool {
		for _, b := range []string{"initdb", "postgres"} {
			if st, err := os.Stat(filepath.Join(dir, b)); err != nil || st.IsDir() {
				return false
			}
		}
		return true
	}
	if dir := os.Getenv("GLOMO_PG_BIN"); dir != "" {
		if ok(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("no initdb and postgres in GLOMO_PG_BIN=%s", dir)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if ok(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil && ok(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no PostgreSQL server binaries (initdb, postgres) found")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

type pgServer struct {
	dir    string
	cmd    *exec.Cmd
	exited chan struct{}
	db     *sql.DB
	dsn    string
}

// startPostgres runs initdb and postgres in a fresh temporary directory.
// initdb refuses to run as root, so as root both run as the postgres user
// (or nobody) in a directory that user owns.
func startPostgres(bin string) (*pgServer, error) {
	dir, err := os.MkdirTemp("", "glomo-pg-")
	if err != nil {
		return nil, err
	}
	srv := &pgServer{dir: dir}
	cred, err := runAs(dir)
	if err != nil {
		srv.stop()
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "glomo", "-A", "trust", "-E", "UTF8", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		srv.stop()
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	for attempt := 0; ; attempt++ {
		err = srv.launch(bin, data, cred)
		if err == nil || attempt == 2 {
			break
		}
	}
	if err != nil {
		srv.stop()
		return nil, err
	}
	return srv, nil
}

// launch starts postgres on a free loopback port and waits until it
// answers; it fails (and may be retried) if another process took the port.
func (srv *pgServer) launch(bin, data string, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	log, err := os.Create(filepath.Join(srv.dir, "postgres.log"))
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-k", srv.dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=100")
	cmd.Stdout, cmd.Stderr = log, log
	// Pdeathsig: the server dies with the test binary, even on a crash.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	dsn := fmt.Sprintf("postgres://glomo@127.0.0.1:%d/postgres?sslmode=disable", port)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		_ = cmd.Process.Kill()
		return err
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			srv.cmd, srv.exited, srv.db, srv.dsn = cmd, exited, db, dsn
			return nil
		}
		select {
		case <-exited:
			db.Close()
			out, _ := os.ReadFile(log.Name())
			return fmt.Errorf("postgres exited: %s", out)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			db.Close()
			_ = cmd.Process.Kill()
			return fmt.Errorf("postgres did not answer within 60s: %v", err)
		}
	}
}

// stop shuts the server down (SIGINT: fast shutdown) and removes its files.
func (srv *pgServer) stop() {
	if srv.db != nil {
		srv.db.Close()
	}
	if srv.cmd != nil {
		_ = srv.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-srv.exited:
		case <-time.After(20 * time.Second):
			_ = srv.cmd.Process.Kill()
			<-srv.exited
		}
	}
	_ = os.RemoveAll(srv.dir)
}

// runAs returns the credentials to run PostgreSQL with: nil when not root,
// else the postgres user's (or nobody's), after giving dir to that user.
func runAs(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("running as root and no postgres or nobody user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

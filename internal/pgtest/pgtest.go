// Package pgtest starts a throwaway PostgreSQL server for tests, so that code reading a
// database is tested against the real thing and not a mock.
//
// Start runs initdb in a new temporary directory and starts the server listening only on a
// Unix socket in that directory (listen_addresses is empty: no TCP port is opened, so
// parallel test binaries and a system cluster on port 5432 never collide). The test's
// Cleanup stops the server (an immediate shutdown: the data are thrown away) and removes the
// directory, also when the test fails or panics. The server is started as a child process
// with a parent-death signal, so it does not outlive a test binary that is killed.
//
// # Which binaries
//
// The server binaries are looked for in $WTCHECK_POSTGRES_BINDIR, then Debian's
// /usr/lib/postgresql/<version>/bin (the newest version), then $PATH. When none is found a
// test that needs PostgreSQL is skipped with a message saying how to install it, unless
// WTCHECK_POSTGRES=1 is set (as `make test` does): then it fails, so that a CI run can never
// pass by skipping the database tests.
//
// # Running as root
//
// initdb and postgres refuse to run as root. When the test process is root, both are run
// as an unprivileged account (Debian's "postgres" account when the package created it, else
// "nobody"): the child process gets that user id, group id and no supplementary groups
// through os/exec (syscall.Credential), so neither su, runuser nor setpriv is needed, and the
// temporary directory is created in the system temporary directory (world-traversable,
// unlike the test's own t.TempDir) and handed to that account with chown. The test process,
// being root, can still connect to the socket and remove the directory afterwards. When not
// root, everything runs as the current user.
//
// # Roles and passwords
//
// The bootstrap superuser is "postgres" and connects over the socket without a password
// ("trust"). Every other role must give a password (scram-sha-256), so that a test can show
// that a role's password really is read from PGPASSWORD or a .pgpass file.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// RequireEnv names the environment variable that turns a missing PostgreSQL from a skip
// into a failure: `make test` sets it to 1.
const RequireEnv = "WTCHECK_POSTGRES"

// BinDirEnv names the environment variable that points at a directory holding initdb and
// postgres, for a PostgreSQL installed outside Debian's layout.
const BinDirEnv = "WTCHECK_POSTGRES_BINDIR"

// Superuser is the name of the bootstrap superuser of every cluster Start creates. It
// connects over the socket without a password.
const Superuser = "postgres"

// port numbers the socket file (.s.PGSQL.5432). No TCP port is opened, and every server has
// its own socket directory, so the same number never collides.
const port = 5432

// dirPrefix begins the name of every directory pgtest makes in the temporary directory:
// dirPrefix, the process id, a dash and a random suffix.
const dirPrefix = "wtcheck-pgtest-"

// Server is a running throwaway PostgreSQL server.
type Server struct {
	dir     string // temporary directory: data/, the socket and postgres.log
	dataDir string
	logPath string
	bindir  string
	version string

	cmd     *exec.Cmd
	exited  chan struct{} // closed when the server process has exited
	waitErr error         // the process's exit status, once exited is closed

	startup time.Duration
	stop    sync.Once
}

// Start starts a throwaway PostgreSQL server for the test and registers its stop and
// removal with t.Cleanup. It skips the test when no PostgreSQL is installed, or fails it
// when RequireEnv is "1".
func Start(t testing.TB) *Server {
	t.Helper()
	bindir, err := BinDir()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%v; %s=1 requires PostgreSQL: install Debian's postgresql package (`make postgres`)", err, RequireEnv)
		}
		t.Skipf("%v: install Debian's postgresql package (`make postgres`) to run the PostgreSQL tests; %s=1 makes this a failure", err, RequireEnv)
	}
	s, err := start(bindir)
	if s != nil {
		// Registered before the error is looked at, so that a half-started server is
		// stopped and its directory removed too.
		t.Cleanup(s.Stop)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// NewDatabase starts a server for the test and creates an empty database in it; it returns
// the new database's connection URL for the superuser.
func NewDatabase(t testing.TB) string {
	t.Helper()
	s := Start(t)
	return s.CreateDatabase(t, "wtcheck")
}

// BinDir returns the directory holding the PostgreSQL server binaries (initdb and
// postgres): $WTCHECK_POSTGRES_BINDIR, else the newest of Debian's
// /usr/lib/postgresql/<version>/bin, else the directory of an initdb on $PATH.
func BinDir() (string, error) {
	if dir := os.Getenv(BinDirEnv); dir != "" {
		if err := hasServer(dir); err != nil {
			return "", fmt.Errorf("find postgresql binaries: %s=%s: %w", BinDirEnv, dir, err)
		}
		return dir, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	// Newest first: "16" sorts after "9.6" by number, not by text.
	sort.Slice(matches, func(i, j int) bool {
		return versionOf(matches[i]) > versionOf(matches[j])
	})
	for _, m := range matches {
		if dir := filepath.Dir(m); hasServer(dir) == nil {
			return dir, nil
		}
	}
	if initdb, err := exec.LookPath("initdb"); err == nil {
		if dir := filepath.Dir(initdb); hasServer(dir) == nil {
			return dir, nil
		}
	}
	return "", errors.New("find postgresql binaries: no initdb and postgres in /usr/lib/postgresql/*/bin or on PATH")
}

// versionOf reads the major version out of /usr/lib/postgresql/<version>/bin/initdb.
func versionOf(initdb string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(filepath.Dir(initdb))), 64)
	return v
}

func hasServer(dir string) error {
	for _, name := range []string{"initdb", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("no %s", name)
		}
		if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return fmt.Errorf("%s is not executable", name)
		}
	}
	return nil
}

// start does the work of Start without a testing.TB, so that a benchmark can start and stop
// servers in its loop; a non-nil Server is returned whenever there is something to clean up.
func start(bindir string) (*Server, error) {
	began := time.Now()
	cred, err := unprivileged()
	if err != nil {
		return nil, err
	}
	parent := socketParent()
	sweep(parent)
	dir, err := makeDir(parent, cred)
	if err != nil {
		return nil, err
	}
	s := &Server{
		dir:     dir,
		dataDir: filepath.Join(dir, "data"),
		logPath: filepath.Join(dir, "postgres.log"),
		bindir:  bindir,
	}
	if tmplDir, err := template(bindir, cred); err != nil {
		return s, err
	} else if tmplDir != "" {
		if err := copyTree(tmplDir, s.dataDir, cred); err != nil {
			return s, fmt.Errorf("copy the cluster template: %w", err)
		}
	} else if err := initCluster(bindir, s.dataDir, cred); err != nil {
		return s, err
	}
	if v, err := os.ReadFile(filepath.Join(s.dataDir, "PG_VERSION")); err == nil {
		s.version = strings.TrimSpace(string(v))
	}

	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return s, fmt.Errorf("create postgres.log: %w", err)
	}
	defer logf.Close() // the child holds its own descriptor
	settings := []string{
		"listen_addresses=", // no TCP at all: the Unix socket only
		"unix_socket_directories=" + dir,
		"port=" + strconv.Itoa(port),
		"fsync=off", // nothing here needs to survive a crash
		"synchronous_commit=off",
		"full_page_writes=off",
		"wal_level=minimal",
		"max_wal_senders=0",
		"shared_buffers=16MB",
		"max_connections=20",
		"autovacuum=off",
		"jit=off",
		"logging_collector=off",
		"TimeZone=UTC",
	}
	args := []string{"-D", s.dataDir}
	for _, kv := range settings {
		args = append(args, "-c", kv)
	}
	s.cmd = command(dir, cred, filepath.Join(bindir, "postgres"), args...)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	// Should the test binary die without running its cleanups (killed, os.Exit), the
	// kernel sends the server SIGQUIT, PostgreSQL's immediate shutdown, which also ends
	// its backends: no postgres is left behind. (The kernel sends it when the thread that
	// started the server ends; Go ends a thread only with a goroutine locked to it, which
	// a test's goroutine is not.) The directory is left then; the next Start removes it.
	s.cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	if err := s.cmd.Start(); err != nil {
		return s, fmt.Errorf("start postgres: %w", err)
	}
	s.exited = make(chan struct{})
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(60 * time.Second); err != nil {
		return s, err
	}
	s.startup = time.Since(began)
	return s, nil
}

// makeDir creates a directory named after this process (see sweep) and hands it to cred.
func makeDir(parent string, cred *syscall.Credential) (string, error) {
	dir, err := os.MkdirTemp(parent, dirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return "", fmt.Errorf("create postgresql directory: %w", err)
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.Remove(dir)
			return "", fmt.Errorf("hand postgresql directory to uid %d: %w", cred.Uid, err)
		}
	}
	return dir, nil
}

// initCluster runs initdb into dataDir and writes the cluster's pg_hba.conf.
func initCluster(bindir, dataDir string, cred *syscall.Credential) error {
	// --no-sync: the cluster is thrown away, so waiting for the disk only costs time.
	// Locale C: the same order and the same start-up everywhere, whatever locales the
	// machine has generated.
	initdb := command(filepath.Dir(dataDir), cred, filepath.Join(bindir, "initdb"),
		"--pgdata", dataDir, "--username", Superuser, "--auth", "trust",
		"--encoding", "UTF8", "--locale", "C", "--no-sync")
	var out bytes.Buffer
	initdb.Stdout, initdb.Stderr = &out, &out
	if err := initdb.Run(); err != nil {
		return fmt.Errorf("run initdb: %w\n%s", err, out.Bytes())
	}
	// The bootstrap superuser needs no password; every other role does (over the socket;
	// there is no TCP listener to write a rule for).
	hba := filepath.Join(dataDir, "pg_hba.conf")
	rules := "local all " + Superuser + " trust\nlocal all all scram-sha-256\n"
	if err := os.WriteFile(hba, []byte(rules), 0o600); err != nil {
		return fmt.Errorf("write pg_hba.conf: %w", err)
	}
	if cred != nil {
		if err := os.Chown(hba, int(cred.Uid), int(cred.Gid)); err != nil {
			return fmt.Errorf("hand pg_hba.conf to uid %d: %w", cred.Uid, err)
		}
	}
	return nil
}

// command builds a command run as cred (nil: as the current user) in dir: the current
// directory of a test (its package) may not be readable by the unprivileged account.
func command(dir string, cred *syscall.Credential, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	// LC_ALL=C so that initdb's checks do not depend on the caller's locale; PGTZ and the
	// like are dropped so that the server's settings are the ones given here.
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "LANG=C"}
	return cmd
}

// unprivileged returns the credentials to run initdb and postgres with: nil when the
// process is not root (run as ourselves), else those of Debian's postgres account, or of
// nobody where there is none.
func unprivileged() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var tried []string
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			tried = append(tried, name)
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil || uid == 0 {
			tried = append(tried, name)
			continue
		}
		// Groups empty, not nil-and-kept: root's supplementary groups are dropped too.
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
	}
	return nil, fmt.Errorf("find an unprivileged account to run postgresql as (running as root, which initdb refuses): no usable %s", strings.Join(tried, " or "))
}

// socketParent is where the server's directory is made: the system temporary directory,
// unless its path is so long that the socket's path would pass the kernel's 107-byte limit.
func socketParent() string {
	tmp := os.TempDir()
	if len(tmp)+len("/wtcheck-pgtest-0123456789/.s.PGSQL.5432") > 100 {
		return "/tmp"
	}
	return tmp
}

// waitReady waits until postmaster.pid says the server accepts connections, the process
// exits, or the timeout passes.
func (s *Server) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	pidfile := filepath.Join(s.dataDir, "postmaster.pid")
	for {
		// Line 8 of postmaster.pid is the server's status; "ready" once it accepts
		// connections (PostgreSQL 10 and later), which the socket's mere existence is not.
		if b, err := os.ReadFile(pidfile); err == nil {
			lines := strings.Split(string(b), "\n")
			if len(lines) >= 8 && strings.TrimSpace(lines[7]) == "ready" {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("start postgres: it exited (%v) before accepting connections:\n%s", s.waitErr, s.Log())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("start postgres: not ready after %v:\n%s", timeout, s.Log())
		}
	}
}

// Stop shuts the server down and removes its directory. It is idempotent, and is called by
// the cleanup Start registers; a test calls it itself only to check what is left after it.
func (s *Server) Stop() {
	s.stop.Do(func() {
		if s.cmd != nil && s.cmd.Process != nil && s.exited != nil {
			// SIGQUIT is an immediate shutdown: no checkpoint, for data about to be removed.
			// The postmaster waits for its backends before it exits, so once Wait returns
			// no process of this server is left.
			_ = s.cmd.Process.Signal(syscall.SIGQUIT)
			select {
			case <-s.exited:
			case <-time.After(15 * time.Second):
				_ = s.cmd.Process.Kill()
				<-s.exited
			}
		}
		_ = os.RemoveAll(s.dir)
	})
}

// ConnString returns the connection URL of database db for the superuser, over the
// server's Unix socket.
func (s *Server) ConnString(db string) string {
	return s.URL(Superuser, db)
}

// URL returns the connection URL of database db for role, with no password in it: the
// password of a role other than the superuser comes from PGPASSWORD or a .pgpass file,
// as it should for wtcheck itself.
func (s *Server) URL(role, db string) string {
	q := url.Values{}
	q.Set("host", s.dir)
	q.Set("port", strconv.Itoa(port))
	q.Set("sslmode", "disable")
	u := url.URL{Scheme: "postgres", User: url.User(role), Path: "/" + db, RawQuery: q.Encode()}
	return u.String()
}

// CreateDatabase creates database name (UTF-8, collation C) and returns its connection URL
// for the superuser.
func (s *Server) CreateDatabase(t testing.TB, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.ConnString("postgres"))
	if err != nil {
		t.Fatalf("connect to postgresql: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	return s.ConnString(name)
}

// SocketDir returns the directory of the server's Unix socket (the libpq "host").
func (s *Server) SocketDir() string { return s.dir }

// PID returns the process id of the server (the postmaster).
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Version returns the server's major version, as initdb wrote it (PG_VERSION).
func (s *Server) Version() string { return s.version }

// Startup returns how long Start took: initdb and the server's start, until it accepted
// connections.
func (s *Server) Startup() time.Duration { return s.startup }

// Log returns the server's log so far (start-up messages and errors; the statements of
// tests are not logged). It is for a failing test's message.
func (s *Server) Log() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return fmt.Sprintf("(no postgres.log: %v)", err)
	}
	return string(b)
}

package pgtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestPostgresStartStop starts a server, runs a statement in a new database, stops it, and
// checks that nothing is left: no process, no directory.
func TestPostgresStartStop(t *testing.T) {
	s := Start(t)
	t.Logf("postgresql %s in %s, ready after %v", s.Version(), s.SocketDir(), s.Startup())
	dsn := s.CreateDatabase(t, "wtcheck")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var db, who, listen string
	if err := conn.QueryRow(ctx, "SELECT current_database(), current_user, current_setting('listen_addresses')").Scan(&db, &who, &listen); err != nil {
		t.Fatal(err)
	}
	if db != "wtcheck" || who != Superuser || listen != "" {
		t.Errorf("connected to database %q as %q with listen_addresses %q, want wtcheck as %s with none (socket only)", db, who, listen, Superuser)
	}
	if err := conn.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// Line 6 of postmaster.pid is the first TCP address listened on: none, the socket only,
	// so a test server is never reachable from the network nor collides with a system one.
	pidfile, err := os.ReadFile(filepath.Join(s.SocketDir(), "data", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(string(pidfile), "\n"); len(lines) < 8 || lines[5] != "" {
		t.Errorf("postmaster.pid: want 8 lines with no listen address on line 6; got %q", lines)
	}

	pid := s.PID()
	if os.Geteuid() == 0 {
		// The server must not run as root (it refuses to): check it took another user.
		fi, err := os.Stat(filepath.Join(s.SocketDir(), "data"))
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Uid == 0 {
			t.Errorf("the data directory is owned by root; want the unprivileged account's")
		}
	}
	s.Stop()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("postmaster %d still exists after Stop (kill 0: %v)", pid, err)
	}
	if _, err := os.Stat(s.SocketDir()); !os.IsNotExist(err) {
		t.Errorf("%s still exists after Stop: %v", s.SocketDir(), err)
	}
	s.Stop() // a second Stop, as the cleanup will make, is harmless
}

// TestPostgresKilledBinaryLeavesNothing kills a test binary that has a server running,
// without giving it the chance to clean up, and checks that its server does not outlive
// it (the parent-death signal) and that the next start removes the directory it left.
func TestPostgresKilledBinaryLeavesNothing(t *testing.T) {
	if os.Getenv("PGTEST_KILLED_BINARY") == "1" {
		// The binary to be killed: start a server, say where it is, and wait.
		s := Start(t)
		fmt.Printf("server %d %s\n", s.PID(), s.SocketDir())
		time.Sleep(2 * time.Minute)
		return
	}
	if _, err := BinDir(); err != nil {
		Start(t) // skips, or fails with RequireEnv, as every PostgreSQL test does
	}
	child := exec.Command(os.Args[0], "-test.run=^TestPostgresKilledBinaryLeavesNothing$", "-test.count=1")
	child.Env = append(os.Environ(), "PGTEST_KILLED_BINARY=1")
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	var dir string
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if n, _ := fmt.Sscanf(lines.Text(), "server %d %s", &pid, &dir); n == 2 {
			break
		}
	}
	if pid == 0 {
		child.Process.Kill()
		child.Wait()
		t.Fatal("the child test binary started no server")
	}
	if err := child.Process.Kill(); err != nil { // SIGKILL: no cleanup runs
		t.Fatal(err)
	}
	child.Wait()

	deadline := time.Now().Add(30 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("postmaster %d still runs 30 s after its test binary was killed", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the killed binary's directory %s: %v; want it left behind for the sweep", dir, err)
	}
	sweep(filepath.Dir(dir))
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s survives the sweep: %v", dir, err)
	}
}

//go:build unix

package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildWtcheck builds the command into dir, for tests that need a real process: signals, and
// running as another user.
func buildWtcheck(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build with")
	}
	bin := filepath.Join(dir, "wtcheck")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestInterruptedWriteLeavesNoTemporaryFile: SIGINT or SIGTERM while a report is being made
// removes its temporary file and leaves the previous report as it was. The run is held
// mid-way by reading from a FIFO that the test never writes.
func TestInterruptedWriteLeavesNoTemporaryFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := buildWtcheck(t, t.TempDir())
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		for _, args := range [][]string{
			{"check", "--format", "json", "-o", "OUT", "--write-baseline", "BASE", "IN"},
			{"import", "cin-census", "IN", "-o", "OUT"},
			{"report", "-o", "OUT", "IN"},
			{"compare", "-o", "OUT", "IN"},
		} {
			t.Run(sig.String()+" "+args[0], func(t *testing.T) {
				dir := t.TempDir()
				out, base, in := filepath.Join(dir, "report"), filepath.Join(dir, "baseline.json"), filepath.Join(dir, "in.json")
				os.WriteFile(out, []byte("previous report"), 0o644)
				if err := syscall.Mkfifo(in, 0o600); err != nil {
					t.Skipf("mkfifo: %v", err)
				}
				argv := strings.Fields(strings.NewReplacer("OUT", out, "BASE", base, "IN", in).Replace(strings.Join(args, " ")))
				cmd := exec.Command(bin, argv...)
				var stderr strings.Builder
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				defer cmd.Process.Kill()
				// Wait until the temporary files exist: the outputs are opened before reading.
				want := 1
				if args[0] == "check" {
					want = 2
				}
				deadline := time.Now().Add(20 * time.Second)
				for {
					temps, _ := filepath.Glob(filepath.Join(dir, ".wtcheck-*"))
					if len(temps) == want {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("no temporary files appeared (%q); stderr: %s", temps, stderr.String())
					}
					time.Sleep(20 * time.Millisecond)
				}
				cmd.Process.Signal(sig)
				err := cmd.Wait()
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != 128+int(sig) {
					t.Errorf("exit %v, want status %d", err, 128+int(sig))
				}
				if temps, _ := filepath.Glob(filepath.Join(dir, ".wtcheck-*")); len(temps) > 0 {
					t.Errorf("temporary files left: %q", temps)
				}
				unchanged(t, out, []byte("previous report"))
				if _, err := os.Stat(base); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the baseline was written: %v", err)
				}
			})
		}
	}
}

// TestFIFOOutputIsWrittenThrough: -o naming a named pipe writes into the pipe; the pipe is
// still a pipe afterwards.
func TestFIFOOutputIsWrittenThrough(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "findings")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		data, _ := os.ReadFile(fifo)
		got <- data
	}()
	code, _, stderr := run(t, "", "check", "--edition", "2018", "--format", "ndjson", "-o", fifo, icpcLate)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data := <-got; !strings.Contains(string(data), `"rule":"icpc-timeliness"`) {
		t.Errorf("the pipe carried %q", data)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO is now %v", info.Mode())
	}
}

// TestUnreadableDirectoryAsAnotherUser: a subdirectory that cannot be read is one record read
// and skipped, with an error naming it, and the rest of the batch is checked. Root reads any
// directory, so as root the command runs as nobody (uid 65534).
func TestUnreadableDirectoryAsAnotherUser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	// Directories every user can enter: the test's own are private.
	top, err := os.MkdirTemp("", "wtcheck-walk-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(top)
	os.Chmod(top, 0o755)
	bin := buildWtcheck(t, top)
	os.Chmod(bin, 0o755)
	root := filepath.Join(top, "batch")
	case1, _ := os.ReadFile(icpcLate + "/case.json")
	for _, p := range []string{"a/one.json", "locked/two.json", "z/three.json"} {
		path := filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(path), 0o755)
		// Three different cases: the same record with its id changed.
		id := strings.TrimSuffix(filepath.Base(p), ".json")
		os.WriteFile(path, []byte(strings.Replace(string(case1), "C-000123", "C-"+id, 1)), 0o644)
	}
	locked := filepath.Join(root, "locked")
	os.Chmod(locked, 0o000)
	defer os.Chmod(locked, 0o755)
	cmd := exec.Command(bin, "check", "--edition", "2018", "--format", "json", "--fail-on", "none", root)
	if os.Getuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	var rep struct {
		Summary struct {
			RecordsRead    int `json:"records_read"`
			Cases          int `json:"cases"`
			RecordsSkipped int `json:"records_skipped"`
		}
		Errors []struct{ File, Error string }
	}
	if err := json.Unmarshal(stdout, &rep); err != nil {
		t.Fatal(err)
	}
	if s := rep.Summary; s.RecordsRead != 3 || s.Cases != 2 || s.RecordsSkipped != 1 {
		t.Errorf("summary %+v, want 3 read (the directory counts as one), 2 checked, 1 skipped", s)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].File != locked || rep.Errors[0].Error != "the directory could not be read (permission denied): its files were not checked" {
		t.Errorf("errors %+v", rep.Errors)
	}
}

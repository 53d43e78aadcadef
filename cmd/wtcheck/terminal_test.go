package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// onTerminal runs the command with a pseudo-terminal as its standard output, as a person at a
// terminal would, and returns what the terminal showed (its line ends back to \n).
func onTerminal(t *testing.T, args ...string) (code int, shown, stderr string) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	read := make(chan []byte)
	go func() {
		data, _ := io.ReadAll(ptmx) // ends with EIO once the terminal side is closed
		read <- data
	}()
	var errOut bytes.Buffer
	code = execute(args, strings.NewReader(""), tty, &errOut)
	tty.Close()
	return code, strings.ReplaceAll(string(<-read), "\r\n", "\n"), errOut.String()
}

const redBreach = "\x1b[1;31mbreach\x1b[0m"

func TestColourOnATerminalOnly(t *testing.T) {
	t.Setenv("TERM", "xterm")
	t.Setenv("NO_COLOR", "")
	args := []string{"check", "--edition", "2018", icpcLate}
	code, shown, _ := onTerminal(t, args...)
	_, plain, _ := run(t, "", args...)
	if code != 1 || !strings.Contains(shown, "icpc-timeliness          S1             "+redBreach+"   2024-01-25") {
		t.Errorf("exit %d; on a terminal, no red breach:\n%q", code, shown)
	}
	if strings.Contains(plain, "\x1b") {
		t.Errorf("escape codes in a report to a buffer:\n%q", plain)
	}
	if got := strings.NewReplacer("\x1b[1;31m", "", "\x1b[33m", "", "\x1b[32m", "", "\x1b[2m", "", "\x1b[0m", "").Replace(shown); got != plain {
		t.Errorf("on a terminal, without colour:\n%s\nto a buffer:\n%s", got, plain)
	}
	if _, shown, _ := onTerminal(t, "check", "--edition", "2018", "-o", "-", icpcLate); !strings.Contains(shown, redBreach) {
		t.Errorf("-o - on a terminal: no colour:\n%q", shown)
	}
	t.Run("NO_COLOR", func(t *testing.T) {
		t.Setenv("NO_COLOR", "1")
		if _, shown, _ := onTerminal(t, args...); strings.Contains(shown, "\x1b") {
			t.Errorf("escape codes with NO_COLOR=1:\n%q", shown)
		}
	})
	t.Run("TERM=dumb", func(t *testing.T) {
		t.Setenv("TERM", "dumb")
		if _, shown, _ := onTerminal(t, args...); strings.Contains(shown, "\x1b") {
			t.Errorf("escape codes with TERM=dumb:\n%q", shown)
		}
	})
	t.Run("a file and a pipe", func(t *testing.T) {
		file, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		piped := make(chan []byte)
		go func() { data, _ := io.ReadAll(r); piped <- data }()
		execute(args, strings.NewReader(""), file, io.Discard)
		execute(args, strings.NewReader(""), w, io.Discard)
		w.Close()
		written, _ := os.ReadFile(file.Name())
		for what, data := range map[string]string{"file": string(written), "pipe": string(<-piped)} {
			if data != plain {
				t.Errorf("to a %s:\n%q\nwant the plain table:\n%q", what, data, plain)
			}
		}
	})
	t.Run("the -o file of a run at a terminal", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "report.txt")
		onTerminal(t, "check", "--edition", "2018", "-o", out, icpcLate)
		if data, _ := os.ReadFile(out); string(data) != plain {
			t.Errorf("-o %s:\n%q\nwant:\n%q", out, data, plain)
		}
	})
}

// TestQuiet: --quiet leaves standard error to errors; the report and the exit status are as
// without it.
func TestQuiet(t *testing.T) {
	sample := "../../fixtures/sample"
	dir := t.TempDir()
	for _, args := range [][]string{
		{"check", sample},
		{"check", "--format", "json", sample},
		{"check", "--format", "sarif", sample}, // SARIF's notes of what it left out, when it leaves anything
		{"check", "--format", "csv", "-o", filepath.Join(dir, "out.csv"), "--write-baseline", filepath.Join(dir, "baseline.json"), sample},
		{"check", "--format", "html", "-o", filepath.Join(dir, "check.html"), sample},
		{"report", "--format", "xlsx", "-o", filepath.Join(dir, "report.xlsx"), sample},
	} {
		t.Run(strings.Join(args[:min(3, len(args))], " "), func(t *testing.T) {
			code, stdout, stderr := run(t, "", args...)
			if stderr == "" {
				t.Fatalf("without --quiet, nothing on standard error: the test shows nothing")
			}
			quietArgs := append([]string{args[0], "--quiet"}, args[1:]...)
			qcode, qstdout, qstderr := run(t, "", quietArgs...)
			if qstderr != "" {
				t.Errorf("--quiet: standard error %q", qstderr)
			}
			if qcode != code || qcode != 1 || qstdout != stdout {
				t.Errorf("--quiet: exit %d, want %d; standard output changed: %v", qcode, code, qstdout != stdout)
			}
		})
	}
	t.Run("errors are still said", func(t *testing.T) {
		code, _, stderr := run(t, "", "check", "-q", "no/such/dir")
		if code != 2 || !strings.Contains(stderr, "wtcheck: read batch: stat no/such/dir: no such file or directory") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		empty := filepath.Join(dir, "bad.ndjson")
		if err := os.WriteFile(empty, []byte("{\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, stderr = run(t, "", "check", "-q", empty)
		if code != 2 || !strings.HasPrefix(stderr, "wtcheck: "+empty+" record 1: ") || !strings.Contains(stderr, "nothing to check") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

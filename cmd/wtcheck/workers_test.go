package main

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestUseWorkersHoldsTheCores: --workers N runs on at most N cores while the command runs, and
// the cores come back after it; 0, or more workers than cores, leaves Go's choice alone; a
// count out of range is refused.
func TestUseWorkersHoldsTheCores(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	if procs < 2 {
		t.Skip("one CPU: no core to hold back")
	}
	restore, err := useWorkers(1)
	if err != nil {
		t.Fatal(err)
	}
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("--workers 1 runs on %d cores, want 1", got)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != procs {
		t.Errorf("after the command, %d cores, want %d back", got, procs)
	}
	for _, n := range []int{0, procs, procs + 1} {
		restore, err := useWorkers(n)
		if err != nil {
			t.Fatal(err)
		}
		if got := runtime.GOMAXPROCS(0); got != procs {
			t.Errorf("--workers %d runs on %d cores, want Go's %d", n, got, procs)
		}
		restore()
	}
	if _, err := useWorkers(-1); err == nil {
		t.Error("--workers -1 accepted")
	}
}

// TestTextTableSameOnEveryCore: a table long enough to be laid out in stretches on every core
// (--show all: its findings in runs on disk) is byte for byte the table one worker on one
// core writes, and so are the summary and the exit code; the default listing, too short to
// be cut, is the same too.
func TestTextTableSameOnEveryCore(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one CPU: the table is never laid out on two")
	}
	cases := filepath.Join(t.TempDir(), "cases.ndjson")
	if code, _, stderr := run(t, "", "gen", "--cases", "2000", "--seed", "5", "-o", cases); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	for _, show := range []string{"breach,pending", "all"} {
		args := []string{"check", "--show", show, "--sort-memory", "64KiB", cases}
		code1, one, _ := run(t, "", append([]string{"--workers", "1"}, args...)...)
		code2, two, _ := run(t, "", append([]string{"--workers", "2"}, args...)...)
		if rows := strings.Count(two, "\n"); show == "all" && rows < 100_000 {
			t.Fatalf("--show all: %d lines; want more than 100,000, to be cut into stretches", rows)
		}
		if code1 != code2 || one != two {
			t.Errorf("--show %s: exit %d and %d bytes with one worker, exit %d and %d bytes with two; want the same", show, code1, len(one), code2, len(two))
		}
	}
}

package main

import (
	"runtime"
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

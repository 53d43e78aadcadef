package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestProfileCPUWritesAProfile: WTCHECK_CPUPROFILE's file holds a CPU profile (gzip, as pprof
// writes it) once the command ends, and an empty path profiles nothing.
func TestProfileCPUWritesAProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	stop := profileCPU(path)
	execute([]string{"rules", "list"}, nil, io.Discard, io.Discard)
	stop()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		t.Errorf("the profile is %d bytes, not gzip", len(data))
	}
	profileCPU("")() // nothing to start or stop
}

// TestProfileAllocationsWritesAProfile: WTCHECK_MEMPROFILE's file holds the allocations
// profile (gzip, which pprof reads), a path that cannot be written is an error, and an empty
// path writes nothing.
func TestProfileAllocationsWritesAProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mem.prof")
	execute([]string{"rules", "list"}, nil, io.Discard, io.Discard)
	if err := profileAllocations(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		t.Errorf("the profile is %d bytes, not gzip", len(data))
	}
	if err := profileAllocations(filepath.Join(t.TempDir(), "missing", "mem.prof")); err == nil {
		t.Error("a profile in a folder that does not exist: no error")
	}
	if err := profileAllocations(""); err != nil {
		t.Errorf("no path: %v", err)
	}
}

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

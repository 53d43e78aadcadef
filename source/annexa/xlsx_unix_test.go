//go:build unix

package annexa

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWorkbookFromANamedPipe: a workbook named on the command line may be a pipe; it is read
// into memory (up to MaxWorkbookBytes) and imported like a file.
func TestWorkbookFromANamedPipe(t *testing.T) {
	data, err := os.ReadFile(writeBook(t, sheet{name: "List 3", header: head3, rows: [][]any{
		{"P1", nil, nil, nil, nil, serial("2024-01-02"), nil, "No"},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "annex-a.xlsx")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.Write(data)
		f.Close()
	}()
	if got := only(t, read(t, fifo, "2024-03-31"), "P1").Referrals[0].Received; got != d("2024-01-02") {
		t.Errorf("received %s", got)
	}
}

//go:build unix

package batch

import (
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

// canReadMode000 reports whether this process reads a directory whatever its mode (root
// does), in which case a test of an unreadable directory cannot make one.
func canReadMode000(t *testing.T) bool {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "probe")
	if err := os.Mkdir(dir, 0o000); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	_, err := os.ReadDir(dir)
	return err == nil
}

func TestWalkPassesOverWhatIsNotARegularFile(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "a.json", []byte(rec("C-1")))
	writeFile(t, root, "sub/b.ndjson", []byte(rec("C-2")+"\n"))
	if err := syscall.Mkfifo(filepath.Join(root, "pipe.ndjson"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("pipe.ndjson", filepath.Join(root, "to-pipe.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub", filepath.Join(root, "to-sub.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.json", filepath.Join(root, "to-a.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("missing.json", filepath.Join(root, "dangling.json")); err != nil {
		t.Fatal(err)
	}
	type skip struct {
		path string
		why  SkipReason
	}
	var skipped []skip
	r := &Reader{Skipped: func(p string, why SkipReason) { skipped = append(skipped, skip{p, why}) }}
	entries, err := r.Walk([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		s := e.Path
		if e.Err != nil {
			s += ": " + e.Err.Error()
		}
		got = append(got, s)
	}
	want := []string{
		filepath.Join(root, "a.json"),
		filepath.Join(root, "dangling.json") + ": open: no such file or directory",
		filepath.Join(root, "sub", "b.ndjson"),
		filepath.Join(root, "to-a.json"),
	}
	if !slices.Equal(got, want) {
		t.Errorf("entries\n%q\nwant\n%q", got, want)
	}
	wantSkipped := []skip{
		{filepath.Join(root, "pipe.ndjson"), SkipNotRegular},
		{filepath.Join(root, "to-pipe.json"), SkipNotRegular},
		{filepath.Join(root, "to-sub.json"), SkipNotRegular},
	}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("skipped %v, want %v", skipped, wantSkipped)
	}
}

func TestWalkReportsAnUnreadableDirectoryAndGoesOn(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "a.json", []byte(rec("C-1")))
	writeFile(t, root, "locked/b.json", []byte(rec("C-2")))
	writeFile(t, root, "z/c.json", []byte(rec("C-3")))
	locked := filepath.Join(root, "locked")
	if err := os.Chmod(locked, 0o000); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(locked, 0o755)
	if canReadMode000(t) {
		t.Skip("this user reads directories of mode 000 (root): TestUnreadableDirectoryAsAnotherUser in cmd/wtcheck runs this as another user")
	}
	report, err := Check(testEngine(t), &Reader{}, []string{root}, checkOptions())
	if err != nil {
		t.Fatal(err)
	}
	s := report.Summary
	if s.RecordsRead != 3 || s.Cases != 2 || s.RecordsSkipped != 1 {
		t.Errorf("read=%d cases=%d skipped=%d, want 3 read (the directory counts as one), 2 checked, 1 skipped", s.RecordsRead, s.Cases, s.RecordsSkipped)
	}
	if len(report.Errors) != 1 || report.Errors[0].File != locked ||
		report.Errors[0].Error != "the directory could not be read (permission denied): its files were not checked" {
		t.Errorf("errors %+v", report.Errors)
	}
}

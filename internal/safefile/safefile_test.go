package safefile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// write creates, writes and commits an output, as a command does.
func write(t *testing.T, path, content string) error {
	t.Helper()
	o, err := Create("-o", path, io.Discard)
	if err != nil {
		return err
	}
	defer o.Abort()
	if _, err := io.WriteString(o, content); err != nil {
		return err
	}
	return o.Commit()
}

// temps lists the temporary files left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, TempPrefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func readString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestNewFileIsPrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := write(t, path, "new"); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != "new" {
		t.Errorf("content %q", got)
	}
	if info.Mode() != 0o600 {
		t.Errorf("mode %v, want -rw------- (reports name children's cases)", info.Mode())
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %q", l)
	}
}

func TestExistingFileKeepsItsMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil { // past the umask
		t.Fatal(err)
	}
	if err := write(t, path, "new"); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode() != 0o640 {
		t.Errorf("mode %v, want -rw-r----- as before", info.Mode())
	}
	if got := readString(t, path); got != "new" {
		t.Errorf("content %q", got)
	}
}

func TestReadOnlyFileIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("keep"), 0o444); err != nil {
		t.Fatal(err)
	}
	err := write(t, path, "new")
	if err == nil || err.Error() != "-o "+path+": the file is read-only: it was left as it is (make it writable, or write elsewhere)" {
		t.Fatalf("error %v", err)
	}
	if got := readString(t, path); got != "keep" {
		t.Errorf("content %q, want it untouched", got)
	}
	if info, _ := os.Stat(path); info.Mode() != 0o444 {
		t.Errorf("mode %v, want it untouched", info.Mode())
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %q", l)
	}
}

func TestDevNullStaysADevice(t *testing.T) {
	before, err := os.Stat("/dev/null")
	if err != nil {
		t.Skip("no /dev/null")
	}
	if err := write(t, "/dev/null", "a report nobody reads"); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	if after.Mode() != before.Mode() || after.Mode()&os.ModeCharDevice == 0 || !os.SameFile(before, after) {
		t.Errorf("/dev/null was %v, is now %v", before.Mode(), after.Mode())
	}
	if l := leftovers(t, "/dev"); len(l) != 0 {
		t.Errorf("temporary files left in /dev: %q", l)
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}

// drain reads a FIFO in the background, as the other end of a pipeline would.
func drain(t *testing.T, path string) <-chan string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		data, err := os.ReadFile(path)
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		got <- string(data)
	}()
	return got
}

func TestFIFOIsWrittenThrough(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	mkfifo(t, fifo)
	got := drain(t, fifo)
	if err := write(t, fifo, "through the pipe"); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe" {
		t.Errorf("the reader got %q", s)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO is now %v (%v)", info.Mode(), err)
	}
}

func TestEmptyOutputStillClosesAFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	mkfifo(t, fifo)
	got := drain(t, fifo)
	if err := write(t, fifo, ""); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "" {
		t.Errorf("the reader got %q", s)
	}
}

func TestSymlinks(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "real.json")
	if err := os.WriteFile(file, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	toFile := filepath.Join(dir, "latest.json")
	if err := os.Symlink("real.json", toFile); err != nil {
		t.Fatal(err)
	}
	err := write(t, toFile, "new")
	if want := "-o " + toFile + ": is a symbolic link to the file real.json: give that path itself (a report replaces a file whole, and never through a link)"; err == nil || err.Error() != want {
		t.Errorf("through a link to a file: error %v, want %q", err, want)
	}
	if got := readString(t, file); got != "keep" {
		t.Errorf("the file behind the link holds %q", got)
	}
	if info, _ := os.Lstat(toFile); info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced")
	}

	dangling := filepath.Join(dir, "nowhere.json")
	if err := os.Symlink("missing/x.json", dangling); err != nil {
		t.Fatal(err)
	}
	err = write(t, dangling, "new")
	if want := "-o " + dangling + ": is a symbolic link to missing/x.json, which does not exist: give the path to write itself"; err == nil || err.Error() != want {
		t.Errorf("a dangling link: error %v, want %q", err, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("something was created behind the dangling link")
	}

	fifo := filepath.Join(dir, "pipe")
	mkfifo(t, fifo)
	toFIFO := filepath.Join(dir, "to-pipe")
	if err := os.Symlink("pipe", toFIFO); err != nil {
		t.Fatal(err)
	}
	got := drain(t, fifo)
	if err := write(t, toFIFO, "via the link"); err != nil {
		t.Fatalf("through a link to a FIFO: %v", err)
	}
	if s := <-got; s != "via the link" {
		t.Errorf("the reader got %q", s)
	}
	if info, _ := os.Lstat(toFIFO); info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link to the FIFO was replaced")
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %q", l)
	}
}

func TestDirectoryIsRefused(t *testing.T) {
	dir := t.TempDir()
	if err := write(t, dir, "x"); err == nil || !strings.HasSuffix(err.Error(), ": is a directory: give a file") {
		t.Errorf("error %v", err)
	}
}

func TestAbortLeavesTheTargetAndNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.csv")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := Create("-o", path, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(leftovers(t, dir)) != 1 {
		t.Fatalf("the temporary file is created at once, beside the target: %q", leftovers(t, dir))
	}
	io.WriteString(o, "half a rep")
	o.Abort() // the writer failed
	if got := readString(t, path); got != "previous" {
		t.Errorf("target holds %q", got)
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %q", l)
	}
	if err := o.Commit(); err != nil {
		t.Errorf("Commit after Abort: %v", err)
	}
	if got := readString(t, path); got != "previous" {
		t.Errorf("Commit after Abort wrote: %q", got)
	}
}

func TestInterruptRemovesTemps(t *testing.T) {
	defer func() { temps.Lock(); temps.interrupted = false; temps.Unlock() }()
	dir := t.TempDir()
	path := filepath.Join(dir, "out.ndjson")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Create("-o", path, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Create("--write-baseline", filepath.Join(dir, "baseline.json"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(a, strings.Repeat("x", 100<<10))
	Interrupt()
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %q", l)
	}
	if err := a.Commit(); err == nil {
		t.Errorf("Commit after Interrupt succeeded")
	}
	b.Abort()
	if got := readString(t, path); got != "previous" {
		t.Errorf("target holds %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "baseline.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a new output was created after Interrupt")
	}
	if _, err := Create("-o", filepath.Join(dir, "later.json"), io.Discard); err == nil {
		t.Errorf("Create after Interrupt succeeded")
	}
}

func TestStdout(t *testing.T) {
	for _, path := range []string{"-", "/dev/stdout"} {
		var buf bytes.Buffer
		o, err := Create("-o", path, &buf)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(o, "to stdout")
		if err := o.Commit(); err != nil || buf.String() != "to stdout" || !o.Stdout() {
			t.Errorf("%s: %q, %v", path, buf.String(), err)
		}
	}
}

func TestCheckInput(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "cases.json")
	if err := os.WriteFile(input, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	hardLink := filepath.Join(dir, "same.json")
	if err := os.Link(input, hardLink); err != nil {
		t.Fatal(err)
	}
	o, err := Create("-o", hardLink, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Abort()
	// Another name for the same file is the same file.
	err = o.CheckInput("case file", filepath.Join(dir, ".", "cases.json"))
	if want := "-o " + hardLink + ": is the case file " + filepath.Join(dir, "cases.json") + ": writing there would overwrite it; nothing was checked"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	other := filepath.Join(dir, "other.json")
	os.WriteFile(other, []byte("{}"), 0o644)
	if err := o.CheckInput("case file", other); err != nil {
		t.Errorf("a different file: %v", err)
	}
	if err := o.CheckInput("case file", "-"); err != nil {
		t.Errorf("standard input: %v", err)
	}
	devNull, err := Create("-o", "/dev/null", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := devNull.CheckInput("case file", "/dev/null"); err != nil {
		t.Errorf("reading and writing /dev/null harms nothing: %v", err)
	}
}

func TestCheckDistinct(t *testing.T) {
	dir := t.TempDir()
	a, _ := Create("-o", filepath.Join(dir, "x.json"), io.Discard)
	b, _ := Create("--write-baseline", filepath.Join(dir, ".", "x.json"), io.Discard)
	c, _ := Create("--write-baseline", filepath.Join(dir, "y.json"), io.Discard)
	defer a.Abort()
	defer b.Abort()
	defer c.Abort()
	if err := CheckDistinct(a, b); err == nil || !strings.Contains(err.Error(), "are the same file") {
		t.Errorf("two new outputs at one path: %v", err)
	}
	if err := CheckDistinct(a, c); err != nil {
		t.Errorf("two paths: %v", err)
	}
}

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pack.yaml")
	os.WriteFile(path, []byte("12345678"), 0o644)
	if data, err := ReadFile(path, 8); err != nil || string(data) != "12345678" {
		t.Errorf("at the limit: %q, %v", data, err)
	}
	if _, err := ReadFile(path, 7); err == nil || err.Error() != path+": is larger than 7 bytes, the most it may be" {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := ReadFile("/dev/zero", 1<<20); err == nil || err.Error() != "/dev/zero: is larger than 1 MiB, the most it may be" {
		t.Errorf("/dev/zero: %v", err)
	}
	if _, err := ReadFile(dir, 10); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory: %v", err)
	}
}

func TestOpenLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "baseline.json")
	os.WriteFile(path, []byte("12345678"), 0o644)
	read := func(limit int64) (string, error) {
		r, err := Open(path, limit)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		data, err := io.ReadAll(r)
		return string(data), err
	}
	if got, err := read(8); err != nil || got != "12345678" {
		t.Errorf("at the limit: %q, %v", got, err)
	}
	if _, err := Open(path, 7); err == nil || err.Error() != "the file is larger than 7 bytes, the most it may be" {
		t.Errorf("a file over the limit, said at once: %v", err)
	}
	// A stream is read up to the limit, and stops there.
	if _, err := os.Stat("/dev/zero"); err == nil {
		r, err := Open("/dev/zero", 7)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err == nil || err.Error() != "the file is larger than 7 bytes, the most it may be" || len(data) != 7 {
			t.Errorf("a stream over the limit: %d bytes, %v", len(data), err)
		}
	}
	if _, err := Open(dir, 10); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory: %v", err)
	}
}

// TestPrepareThenCommit: outputs prepared together are committed only once all are written;
// one that cannot be written leaves the others' files as they were.
func TestPrepareThenCommit(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.sarif"), filepath.Join(dir, "b.xml")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	open := func(path string) *Output {
		o, err := Create("-o", path, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(o, "new "+filepath.Base(path)); err != nil {
			t.Fatal(err)
		}
		return o
	}
	oa, ob := open(a), open(b)
	if err := oa.Prepare(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(a); string(data) != "old" {
		t.Errorf("prepared, not committed: %s holds %q", a, data)
	}
	if _, err := io.WriteString(oa, "more"); err == nil {
		t.Error("a prepared output took another write")
	}
	if err := ob.Prepare(); err != nil {
		t.Fatal(err)
	}
	if err := oa.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := ob.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{a, b} {
		if data, _ := os.ReadFile(p); string(data) != "new "+filepath.Base(p) {
			t.Errorf("%s holds %q", p, data)
		}
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}

	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full to fail a write")
	}
	oa = open(a)
	full := open("/dev/full")
	if err := oa.Prepare(); err != nil {
		t.Fatal(err)
	}
	if err := full.Prepare(); err == nil || !strings.Contains(err.Error(), "write /dev/full: ") {
		t.Fatalf("/dev/full: %v", err)
	}
	oa.Abort() // as the command's deferred abort does
	if data, _ := os.ReadFile(a); string(data) != "new a.sarif" {
		t.Errorf("%s holds %q after the run failed", a, data)
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// Package safefile writes a command's output files without harming what is already there, and
// reads its small input files (rule packs, holiday calendars, baselines) with a size limit.
//
// An output is written whole or not at all where that is possible, and straight through where
// replacing the file would break something:
//
//   - a new path, or an existing regular file: written to a temporary file in the same
//     directory and renamed into place once complete, so a failed or interrupted run never
//     leaves half a report. An existing file keeps its mode (and, where permitted, its
//     owner); a new one is created readable by its owner only (0600), because reports name
//     children's cases. A read-only file is refused: the user made it so.
//   - a character device, a FIFO or a socket (/dev/null, a named pipe): opened and written
//     through, never replaced by a regular file.
//   - "-" or /dev/stdout: standard output.
//   - a symbolic link: written through when it leads to a device or a FIFO (/dev/stderr),
//     refused when it leads to a regular file or to nothing. Replacing the link would destroy
//     it; replacing the file it leads to would let a link planted in a shared directory aim the
//     report at any file the user may write, round the kernel's own protection of such links
//     (rename does not follow links, so the resolution would be ours).
//   - a directory: refused.
//
// Temporary files are registered until they are renamed or removed, so that Interrupt, called
// from a signal handler, removes every one of them.
package safefile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// kind is how an output is written.
type kind int

const (
	toStdout kind = iota // standard output
	atomic               // a temporary file renamed into place
	through              // opened and written straight through (a device or a FIFO)
)

// Output is a file being written. Write to it, then Commit; Abort (safe to defer, and a no-op
// after Commit) removes the temporary file of a write that did not finish.
type Output struct {
	label  string      // how the user named it, for errors: "-o report.html"
	path   string      // the path as given
	kind   kind        // how it is written
	target os.FileInfo // the existing file (followed through links), nil for a new path
	stdout io.Writer
	tmp    *os.File // the temporary file of an atomic write
	file   *os.File // the file written through, opened at the first write
	buf    *bufio.Writer
	done   bool
	// prepared is set once an atomic write's temporary file is complete and closed: only its
	// rename is left.
	prepared bool
	err      error // the first write error, returned again by Commit
}

// Create prepares to write path; flag names the option that gave it ("-o",
// "--write-baseline"), for errors. "-" and /dev/stdout write to stdout. An atomic write's
// temporary file is created at once, so that a path that cannot be written is reported before
// the work that would fill it; a device or FIFO is opened only at the first write, so that a
// named pipe does not block the run before it starts.
func Create(flag, path string, stdout io.Writer) (*Output, error) {
	o := &Output{label: flag + " " + path, path: path, stdout: stdout}
	if path == "" {
		return nil, fmt.Errorf("%s: no file named", flag)
	}
	if path == "-" || path == "/dev/stdout" {
		o.kind = toStdout
		o.buf = bufio.NewWriterSize(stdout, 64<<10)
		return o, nil
	}
	link, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return o, o.createTemp(0)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", o.label, err)
	}
	target, err := os.Stat(path) // through any link
	if link.Mode()&os.ModeSymlink != 0 {
		dest, _ := os.Readlink(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("%s: is a symbolic link to %s, which does not exist: give the path to write itself", o.label, dest)
		case err != nil:
			return nil, fmt.Errorf("%s: %w", o.label, err)
		case target.Mode().IsRegular():
			return nil, fmt.Errorf("%s: is a symbolic link to the file %s: give that path itself (a report replaces a file whole, and never through a link)", o.label, dest)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.label, err)
	}
	o.target = target
	switch mode := target.Mode(); {
	case mode.IsDir():
		return nil, fmt.Errorf("%s: is a directory: give a file", o.label)
	case mode.IsRegular():
		if !writable(path, target) {
			return nil, fmt.Errorf("%s: the file is read-only: it was left as it is (make it writable, or write elsewhere)", o.label)
		}
		return o, o.createTemp(mode.Perm())
	default:
		// A device, a FIFO or a socket: what it is must survive the run.
		o.kind = through
		return o, nil
	}
}

// createTemp creates the temporary file beside the target; perm 0 leaves it 0600.
func (o *Output) createTemp(perm os.FileMode) error {
	o.kind = atomic
	tmp, err := newTemp(filepath.Dir(o.path))
	if err != nil {
		return fmt.Errorf("%s: cannot create a file in its directory: %w", o.label, unwrapPath(err))
	}
	o.tmp = tmp
	if perm != 0 {
		keepOwner(tmp, o.target) // first: a change of owner may clear mode bits
		if err := tmp.Chmod(perm); err != nil {
			o.Abort()
			return fmt.Errorf("%s: %w", o.label, unwrapPath(err))
		}
	}
	o.buf = bufio.NewWriterSize(tmp, 64<<10)
	return nil
}

// Write writes to the output.
func (o *Output) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if o.done || o.prepared {
		return 0, fmt.Errorf("%s: written already", o.label)
	}
	if o.kind == through && o.file == nil {
		if err := o.open(); err != nil {
			return 0, err
		}
	}
	n, err := o.buf.Write(p)
	if err != nil {
		o.err = fmt.Errorf("write %s: %w", o.path, unwrapPath(err))
		return n, o.err
	}
	return n, nil
}

// open opens a device or FIFO for writing: never created, never truncated.
func (o *Output) open() error {
	f, err := os.OpenFile(o.path, os.O_WRONLY, 0)
	if err != nil {
		o.err = fmt.Errorf("write %s: %w", o.path, unwrapPath(err))
		return o.err
	}
	o.file = f
	o.buf = bufio.NewWriterSize(f, 64<<10)
	return nil
}

// Commit finishes the output: flushes it, and renames a temporary file into place. On error the
// temporary file is removed and what was there before is left as it was.
func (o *Output) Commit() error {
	if err := o.Prepare(); err != nil {
		return err
	}
	if o.done {
		return o.err
	}
	if err := renameTemp(o.tmp.Name(), o.path); err != nil {
		o.err = fmt.Errorf("write %s: %w", o.path, unwrapPath(err))
		o.Abort()
		return o.err
	}
	o.done = true
	return nil
}

// Prepare finishes writing the output without putting it in place: a temporary file is
// flushed, synced and closed, so that Commit only has to rename it. A command that writes
// several reports prepares them all before committing any, so that one that cannot be written
// (a full disk) leaves every file as it was. Standard output, a device or a pipe cannot be held
// back: Prepare finishes it as Commit would.
func (o *Output) Prepare() error {
	if o.done || o.prepared {
		return o.err
	}
	if o.err != nil {
		o.Abort()
		return o.err
	}
	if o.kind == through && o.file == nil {
		if err := o.open(); err != nil {
			return err // an empty report still opens and closes a pipe, so its reader sees the end
		}
	}
	if err := o.buf.Flush(); err != nil {
		o.err = fmt.Errorf("write %s: %w", o.path, unwrapPath(err))
		o.Abort()
		return o.err
	}
	switch o.kind {
	case through:
		o.done = true
		if err := o.file.Close(); err != nil {
			o.err = fmt.Errorf("write %s: %w", o.path, unwrapPath(err))
		}
		return o.err
	case atomic:
		if err := o.tmp.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
			o.err = fmt.Errorf("write %s: %w", o.path, unwrapPath(err))
			o.Abort()
			return o.err
		}
		if err := o.tmp.Close(); err != nil {
			o.err = fmt.Errorf("write %s: %w", o.path, unwrapPath(err))
			o.Abort()
			return o.err
		}
		o.prepared = true
		return nil
	}
	o.done = true
	return nil
}

// Abort gives up the output: a temporary file is removed, the target is left as it was. It is
// a no-op after Commit.
func (o *Output) Abort() {
	if o.done {
		return
	}
	o.done = true
	if o.tmp != nil {
		o.tmp.Close()
		removeTemp(o.tmp.Name())
	}
	if o.file != nil {
		o.file.Close()
	}
}

// Path is the path as given.
func (o *Output) Path() string { return o.path }

// Stdout reports whether the output is standard output.
func (o *Output) Stdout() bool { return o.kind == toStdout }

// CheckInput refuses an output that is the input at path (the same file, by device and inode,
// whatever the path says), naming the input as what, before anything is read: the report
// would otherwise replace the extract it was made from. A device (reading /dev/null and
// writing to it) harms nothing and is allowed.
func (o *Output) CheckInput(what, path string) error {
	if o.target == nil || o.target.Mode()&os.ModeCharDevice != 0 || path == "-" {
		return nil
	}
	in, err := os.Stat(path)
	if err != nil {
		return nil // an input that cannot be read is reported where it is read
	}
	if os.SameFile(in, o.target) {
		return fmt.Errorf("%s: is the %s %s: writing there would overwrite it; nothing was checked", o.label, what, path)
	}
	return nil
}

// CheckDistinct refuses two outputs that are one file: the second would overwrite the first.
func CheckDistinct(a, b *Output) error {
	if a == nil || b == nil || a.kind == toStdout || b.kind == toStdout {
		return nil
	}
	same := false
	switch {
	case a.target != nil && b.target != nil:
		same = os.SameFile(a.target, b.target) && a.target.Mode()&os.ModeCharDevice == 0
	case a.target == nil && b.target == nil:
		same = absolute(a.path) == absolute(b.path)
	}
	if same {
		return fmt.Errorf("%s and %s: are the same file: one would overwrite the other", a.label, b.label)
	}
	return nil
}

func absolute(path string) string {
	dir, err := filepath.EvalSymlinks(filepath.Dir(path))
	if err != nil {
		dir = filepath.Dir(path)
	}
	abs, err := filepath.Abs(filepath.Join(dir, filepath.Base(path)))
	if err != nil {
		return path
	}
	return abs
}

// unwrapPath drops the *PathError wrapping of an error about a temporary file, whose name
// means nothing to the user.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// The temporary files not yet renamed or removed, for Interrupt.
var temps = struct {
	sync.Mutex
	names       map[string]bool
	interrupted bool
}{names: map[string]bool{}}

// TempPrefix begins the name of every temporary file, so that one left by a crash (a kill
// that cannot be caught) can be recognised.
const TempPrefix = ".wtcheck-"

var errInterrupted = errors.New("interrupted")

func newTemp(dir string) (*os.File, error) {
	temps.Lock()
	defer temps.Unlock()
	if temps.interrupted {
		return nil, errInterrupted
	}
	f, err := os.CreateTemp(dir, TempPrefix+"*")
	if err != nil {
		return nil, err
	}
	temps.names[f.Name()] = true
	return f, nil
}

func renameTemp(tmp, path string) error {
	temps.Lock()
	defer temps.Unlock()
	if temps.interrupted {
		return errInterrupted
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	delete(temps.names, tmp)
	return nil
}

func removeTemp(name string) {
	temps.Lock()
	defer temps.Unlock()
	os.Remove(name)
	delete(temps.names, name)
}

// Interrupt removes every temporary file not yet renamed into place and refuses new ones: call
// it when the process is told to stop (SIGINT, SIGTERM), before it exits.
func Interrupt() {
	temps.Lock()
	defer temps.Unlock()
	temps.interrupted = true
	for name := range temps.names {
		os.Remove(name)
		delete(temps.names, name)
	}
}

// Open opens a file to be read as a stream of at most limit bytes: a read past the limit is an
// error saying so (errors leave out the path, which the caller's message names), so a decoder fed from it stops there, and a file that is not what it should
// be (/dev/zero) fails at its first bytes.
func Open(path string, limit int64) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPath(err)
	}
	l := &limited{f: f, left: limit, limit: limit}
	if info, err := f.Stat(); err == nil {
		switch {
		case info.IsDir():
			f.Close()
			return nil, errors.New("it is a directory")
		case info.Mode().IsRegular() && info.Size() > limit:
			// Said at once, not after reading up to the limit.
			f.Close()
			return nil, l.tooLarge()
		}
	}
	return l, nil
}

type limited struct {
	f           *os.File
	left, limit int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells a file of exactly the limit from a larger one.
		var one [1]byte
		if n, _ := l.f.Read(one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, l.tooLarge()
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.f.Read(p)
	l.left -= int64(n)
	if err != nil && err != io.EOF {
		err = unwrapPath(err)
	}
	return n, err
}

func (l *limited) Close() error { return l.f.Close() }

func (l *limited) tooLarge() error {
	return fmt.Errorf("the file is larger than %s, the most it may be", Size(l.limit))
}

// ReadFile reads a whole file of at most limit bytes. A larger file, or a stream that does not
// end (/dev/zero), is an error saying so, after reading no more than limit+1 bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: is larger than %s, the most it may be", path, Size(limit))
	}
	return data, nil
}

// Size writes a byte count for a person: 16 MiB, 64 KiB, 300 bytes.
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBadInputs runs every case under fixtures/bad through the real command line: each folder
// holds the arguments (args), what to prepare first (setup, optional) and what must happen
// (want). fixtures/bad/README.md describes the three files. Whatever the case, when a run
// reports a summary, records read = checked + skipped; a run that cannot start (exit 2) writes
// no report; no run leaves a temporary file; no run takes more than a minute.
func TestBadInputs(t *testing.T) {
	root, err := filepath.Abs("../../fixtures/bad")
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := filepath.Glob(filepath.Join(root, "*", "want"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases in %s (%v)", root, err)
	}
	for _, want := range dirs {
		dir := filepath.Dir(want)
		t.Run(filepath.Base(dir), func(t *testing.T) { runBadCase(t, dir) })
	}
}

func runBadCase(t *testing.T, dir string) {
	tmp := t.TempDir()
	expand := strings.NewReplacer("$DIR", dir, "$TMP", tmp).Replace
	c := &badCase{dir: dir, tmp: tmp, expand: expand, stdin: strings.NewReader("")}
	defer c.cleanup()
	if data, err := os.ReadFile(filepath.Join(dir, "setup")); err == nil {
		for _, l := range lines(string(data)) {
			if err := c.setup(t, l.text); err != nil {
				t.Fatalf("setup line %d: %v", l.n, err)
			}
		}
	}
	argData, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, l := range lines(string(argData)) {
		for _, f := range strings.Fields(l.text) {
			args = append(args, expand(f))
		}
	}

	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- execute(args, c.stdin, &stdout, &stderr) }()
	var code int
	select {
	case code = <-done:
	case <-time.After(time.Minute):
		t.Fatalf("wtcheck %s did not finish in a minute (a reader waiting for ever?)", strings.Join(args, " "))
	}
	out, errOut := stdout.String(), stderr.String()
	report := func() string {
		return fmt.Sprintf("wtcheck %s\nexit %d\nstdout:\n%.3000s\nstderr:\n%.3000s", strings.Join(args, " "), code, out, errOut)
	}

	wantData, err := os.ReadFile(filepath.Join(dir, "want"))
	if err != nil {
		t.Fatal(err)
	}
	sum, hasSum := summaryOf(out + "\n" + errOut)
	if hasSum && sum.read != sum.checked+sum.skipped {
		t.Errorf("records read %d != checked %d + skipped %d\n%s", sum.read, sum.checked, sum.skipped, report())
	}
	wantRecords := false
	for _, l := range lines(string(wantData)) {
		n := l.n
		key, val, _ := strings.Cut(l.text, " ")
		val = expand(val)
		switch key {
		case "exit":
			if want, err := strconv.Atoi(val); err != nil || code != want {
				t.Errorf("want line %d: exit %d, want %s\n%s", n, code, val, report())
			}
		case "stderr", "stdout":
			got := errOut
			if key == "stdout" {
				got = out
			}
			if !strings.Contains(got, val) {
				t.Errorf("want line %d: %s does not say %q\n%s", n, key, val, report())
			}
		case "records":
			wantRecords = true
			var want summary
			if _, err := fmt.Sscanf(val, "%d read, %d checked, %d skipped", &want.read, &want.checked, &want.skipped); err != nil {
				t.Fatalf("want line %d: records %q: want \"R read, C checked, S skipped\"", n, val)
			}
			if !hasSum || sum != want {
				t.Errorf("want line %d: records %+v (summary found: %v), want %+v\n%s", n, sum, hasSum, want, report())
			}
		case "file":
			if err := checkFile(val); err != nil {
				t.Errorf("want line %d: %v\n%s", n, err, report())
			}
		default:
			t.Fatalf("want line %d: unknown %q (want exit, stderr, stdout, records or file)", n, key)
		}
	}
	switch {
	case code == 2 && !wantRecords && (hasSum || out != ""):
		// A run that could not start wrote nothing; one that exits 2 after checking (a rule
		// over its cost budget) says so with a records line.
		t.Errorf("exit 2, but a report or summary was written\n%s", report())
	case code != 2 && !wantRecords:
		t.Errorf("the run read records: the want file needs a records line\n%s", report())
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "*", ".wtcheck-*")); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, ".wtcheck-*")); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// line is a line of a case's file and its 1-based number.
type line struct {
	n    int
	text string
}

// lines gives a file's lines that are not blank or comments, in order.
func lines(s string) []line {
	var out []line
	for i, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, line{i + 1, l})
		}
	}
	return out
}

type summary struct{ read, checked, skipped int }

var (
	textSummary   = regexp.MustCompile(`(\d+) cases? checked[^(\n]*\((\d+) records? read, (\d+) skipped`)
	importSummary = regexp.MustCompile(`imported (\d+) child(?:ren)? from .*: (\d+) records? written, (\d+) skipped`)
)

// summaryOf finds the counts a run reported: the JSON report's summary, the text summary line,
// or import's closing line.
func summaryOf(s string) (summary, bool) {
	var rep struct {
		Summary *struct {
			RecordsRead    int `json:"records_read"`
			Cases          int `json:"cases"`
			RecordsSkipped int `json:"records_skipped"`
		} `json:"summary"`
	}
	if strings.HasPrefix(strings.TrimSpace(s), "{") {
		dec := json.NewDecoder(strings.NewReader(s))
		if dec.Decode(&rep) == nil && rep.Summary != nil {
			return summary{rep.Summary.RecordsRead, rep.Summary.Cases, rep.Summary.RecordsSkipped}, true
		}
	}
	if m := textSummary.FindStringSubmatch(s); m != nil {
		return summary{atoi(m[2]), atoi(m[1]), atoi(m[3])}, true
	}
	if m := importSummary.FindStringSubmatch(s); m != nil {
		return summary{atoi(m[1]), atoi(m[2]), atoi(m[3])}, true
	}
	return summary{}, false
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// checkFile checks a want line "file PATH is KIND", "file PATH holds TEXT" or "file PATH mode
// 0640".
func checkFile(val string) error {
	fields := strings.SplitN(val, " ", 3)
	if len(fields) < 3 {
		return fmt.Errorf("file %q: want PATH is KIND, PATH holds TEXT or PATH mode MODE", val)
	}
	path, verb, arg := fields[0], fields[1], fields[2]
	info, err := os.Lstat(path)
	switch verb {
	case "is":
		kind := "absent"
		if err == nil {
			switch m := info.Mode(); {
			case m.IsRegular():
				kind = "regular"
			case m&os.ModeSymlink != 0:
				kind = "symlink"
			case m&os.ModeNamedPipe != 0:
				kind = "fifo"
			case m&os.ModeCharDevice != 0:
				kind = "char-device"
			case m.IsDir():
				kind = "directory"
			default:
				kind = m.String()
			}
		}
		if kind != arg {
			return fmt.Errorf("%s is %s, want %s", path, kind, arg)
		}
	case "holds":
		data, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(data), arg) {
			return fmt.Errorf("%s does not hold %q (%v): %.300q", path, arg, err, data)
		}
	case "mode":
		want, perr := strconv.ParseUint(arg, 8, 32)
		if err != nil || perr != nil || uint64(info.Mode().Perm()) != want {
			return fmt.Errorf("%s: mode %v, want %s (%v)", path, info.Mode(), arg, err)
		}
	default:
		return fmt.Errorf("file %q: unknown %q", val, verb)
	}
	return nil
}

// badCase is a case being prepared: its folders, its standard input, and what to undo.
type badCase struct {
	dir, tmp string
	expand   func(string) string
	stdin    io.Reader
	undo     []func()
}

func (c *badCase) cleanup() {
	for i := len(c.undo) - 1; i >= 0; i-- {
		c.undo[i]()
	}
}

// setup runs one line of a setup file.
func (c *badCase) setup(t *testing.T, line string) error {
	cmd, rest, _ := strings.Cut(line, " ")
	words, err := tokens(rest)
	if err != nil {
		return err
	}
	arg := func(i int) string {
		if i < len(words) {
			return c.expand(words[i])
		}
		return ""
	}
	switch cmd {
	case "write": // write PATH SEGMENTS...
		r, err := c.segments(words[1:])
		if err != nil {
			return err
		}
		f, err := os.Create(arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(f, r)
		return err
	case "gzip": // gzip PATH SEGMENTS...: the segments, gzip-compressed
		r, err := c.segments(words[1:])
		if err != nil {
			return err
		}
		f, err := os.Create(arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		zw := gzip.NewWriter(f)
		if _, err := io.Copy(zw, r); err != nil {
			return err
		}
		return zw.Close()
	case "zip": // zip PATH part NAME SEGMENTS... part NAME SEGMENTS...: a zip (an .xlsx)
		f, err := os.Create(arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		zw := zip.NewWriter(f)
		var parts [][]string // each: the part's name, then its segments
		for _, w := range words[1:] {
			switch {
			case w == "part":
				parts = append(parts, nil)
			case len(parts) == 0:
				return fmt.Errorf("zip: want part NAME before %q", w)
			default:
				parts[len(parts)-1] = append(parts[len(parts)-1], w)
			}
		}
		for _, pw := range parts {
			if len(pw) == 0 {
				return fmt.Errorf("zip: a part with no name")
			}
			r, err := c.segments(pw[1:])
			if err != nil {
				return err
			}
			w, err := zw.Create(pw[0])
			if err != nil {
				return err
			}
			if _, err := io.Copy(w, r); err != nil {
				return err
			}
		}
		return zw.Close()
	case "cut": // cut PATH N: keep the first N bytes (negative: drop the last -N)
		n, err := strconv.ParseInt(arg(1), 10, 64)
		if err != nil {
			return err
		}
		info, err := os.Stat(arg(0))
		if err != nil {
			return err
		}
		if n < 0 {
			n += info.Size()
		}
		return os.Truncate(arg(0), n)
	case "mkdir":
		return os.MkdirAll(arg(0), 0o755)
	case "symlink": // symlink TARGET PATH
		return os.Symlink(arg(0), arg(1))
	case "chmod": // chmod MODE PATH: undone after the case, so that the folder can be removed
		mode, err := strconv.ParseUint(arg(0), 8, 32)
		if err != nil {
			return err
		}
		path := arg(1)
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		c.undo = append(c.undo, func() { os.Chmod(path, info.Mode().Perm()) })
		return os.Chmod(path, os.FileMode(mode))
	case "stdin": // stdin SEGMENTS...: generated as it is read
		r, err := c.segments(words)
		c.stdin = r
		return err
	case "mkfifo": // mkfifo PATH [SEGMENTS...]: fed to the command when it opens the FIFO
		return c.mkfifo(arg(0), words[1:], false)
	case "fifo-reader": // fifo-reader PATH: a FIFO, read to its end by another program
		return c.mkfifo(arg(0), nil, true)
	case "needs":
		switch arg(0) {
		case "unreadable-dirs":
			if readsMode000(t) {
				t.Skip("this user reads directories of mode 000 (root): TestUnreadableDirectoryAsAnotherUser covers the case as another user")
			}
			return nil
		case "fifo":
			if !haveFIFOs() {
				t.Skip("no named pipes on this system")
			}
			return nil
		}
		return fmt.Errorf("needs %q: unknown", arg(0))
	}
	return fmt.Errorf("unknown setup command %q", cmd)
}

// segments builds a generated stream: "a Go-quoted string", `repeat N "string"` (N may end in
// K, M or G: 1024, 1024², 1024³) and `file NAME` (a file of the case folder).
func (c *badCase) segments(words []string) (io.Reader, error) {
	var rs []io.Reader
	for i := 0; i < len(words); i++ {
		switch w := words[i]; {
		case strings.HasPrefix(w, `"`):
			s, err := strconv.Unquote(w)
			if err != nil {
				return nil, fmt.Errorf("segment %s: %v", w, err)
			}
			rs = append(rs, strings.NewReader(s))
		case w == "repeat" && i+2 < len(words):
			n, err := size(words[i+1])
			s, uerr := strconv.Unquote(words[i+2])
			if err != nil || uerr != nil || s == "" {
				return nil, fmt.Errorf("repeat %s %s: want a count and a quoted string", words[i+1], words[i+2])
			}
			rs = append(rs, &repeatReader{chunk: s, left: n * int64(len(s))})
			i += 2
		case w == "file" && i+1 < len(words):
			data, err := os.ReadFile(filepath.Join(c.dir, words[i+1]))
			if err != nil {
				return nil, err
			}
			rs = append(rs, bytes.NewReader(data))
			i++
		default:
			return nil, fmt.Errorf("segment %q: want a quoted string, repeat N \"string\" or file NAME", w)
		}
	}
	return io.MultiReader(rs...), nil
}

func size(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mult, err
}

// repeatReader yields a string over and over without holding more than it.
type repeatReader struct {
	chunk string
	left  int64
	pos   int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.left > 0 {
		k := copy(p[n:], r.chunk[r.pos:])
		if int64(k) > r.left {
			k = int(r.left)
		}
		n += k
		r.left -= int64(k)
		r.pos = (r.pos + k) % len(r.chunk)
	}
	return n, nil
}

// tokens splits a line into words and Go-quoted strings.
func tokens(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, fmt.Errorf("a quoted string that does not end: %.40s", s)
			}
			out = append(out, q)
			s = s[len(q):]
			continue
		}
		w, rest, _ := strings.Cut(s, " ")
		out = append(out, w)
		s = rest
	}
	return out, nil
}

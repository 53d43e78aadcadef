package batch

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// rec is a valid minimal record with the given case_id.
func rec(id string) string {
	return `{"case_id":"` + id + `","extract_date":"2024-03-31","referrals":[{"id":"R1","received":"2024-01-02"}]}`
}

// recWithReferral is a record whose single referral is the JSON object body given (without
// braces), with id R1 added in front.
func recWithReferral(id, referral string) string {
	return `{"case_id":"` + id + `","extract_date":"2024-03-31","referrals":[{"id":"R1",` + referral + `}]}`
}

// padded is a valid record of exactly n bytes, padded with an unknown key (unknown keys are
// allowed).
func padded(t testing.TB, id string, n int) string {
	t.Helper()
	head := `{"case_id":"` + id + `","extract_date":"2024-03-31","referrals":[{"id":"R1","received":"2024-01-02"}],"pad":"`
	tail := `"}`
	fill := n - len(head) - len(tail)
	if fill < 0 {
		t.Fatalf("padded: %d bytes is too short for a record", n)
	}
	s := head + strings.Repeat("p", fill) + tail
	if len(s) != n {
		t.Fatalf("padded: got %d bytes, want %d", len(s), n)
	}
	return s
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gzipped(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readAll reads one file with r and returns every record it produced.
func readAll(t testing.TB, r *Reader, path string) []Record {
	t.Helper()
	var out []Record
	if err := r.ReadFile(path, func(rec Record) error {
		out = append(out, rec)
		return nil
	}); err != nil {
		t.Fatalf("ReadFile(%s) returned %v", path, err)
	}
	return out
}

// want describes one expected record.
type want struct {
	index  int
	caseID string
	ok     bool     // a decoded case, no error
	has    []string // the error contains each of these
	hasNot []string // the error contains none of these
}

func checkRecords(t testing.TB, file string, got []Record, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Errorf("%s: got %d records, want %d:", file, len(got), len(wants))
		for _, g := range got {
			t.Errorf("  #%d case_id=%q case=%v err=%v", g.Index, g.CaseID, g.Case != nil, g.Err)
		}
		return
	}
	for i, w := range wants {
		g := got[i]
		if g.File != file {
			t.Errorf("record %d: File = %q, want %q", i, g.File, file)
		}
		if g.Index != w.index {
			t.Errorf("record %d: Index = %d, want %d", i, g.Index, w.index)
		}
		if g.CaseID != w.caseID {
			t.Errorf("record %d: CaseID = %q, want %q", i, g.CaseID, w.caseID)
		}
		if w.ok {
			if g.Err != nil {
				t.Errorf("record %d (%s): unexpected error %v", i, w.caseID, g.Err)
			}
			if g.Case == nil {
				t.Errorf("record %d (%s): no case decoded", i, w.caseID)
			} else if g.Case.CaseID != w.caseID {
				t.Errorf("record %d: Case.CaseID = %q, want %q", i, g.Case.CaseID, w.caseID)
			}
			continue
		}
		if g.Case != nil {
			t.Errorf("record %d: a bad record still has a case", i)
		}
		if g.Err == nil {
			t.Errorf("record %d: no error, want one containing %q", i, w.has)
			continue
		}
		msg := g.Err.Error()
		for _, s := range w.has {
			if !strings.Contains(msg, s) {
				t.Errorf("record %d: error %q does not contain %q", i, msg, s)
			}
		}
		for _, s := range w.hasNot {
			if strings.Contains(msg, s) {
				t.Errorf("record %d: error %q contains %q, which it must not quote", i, msg, s)
			}
		}
	}
}

func oks(ids ...string) []want {
	var out []want
	for i, id := range ids {
		out = append(out, want{index: i + 1, caseID: id, ok: true})
	}
	return out
}

// ---- batch forms ----

func TestReadSingleObjectJSON(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "one.json", []byte(`{
  "format": "wtcheck/case/v1",
  "case_id": "C-1",
  "extract_date": "2024-03-31",
  "local_extra": {"kept": true},
  "referrals": [ { "id": "R1", "received": "2024-01-02", "decision": null } ]
}
`))
	got := readAll(t, &Reader{}, path)
	checkRecords(t, path, got, oks("C-1"))
	if len(got) == 1 && got[0].Case != nil {
		c := got[0].Case
		if c.ExtractDate != record.MustDate("2024-03-31") {
			t.Errorf("extract_date = %v", c.ExtractDate)
		}
		if len(c.Referrals) != 1 || c.Referrals[0].Received != record.MustDate("2024-01-02") || !c.Referrals[0].Decision.IsZero() {
			t.Errorf("referrals decoded wrongly: %+v", c.Referrals)
		}
	}
}

func TestReadJSONArray(t *testing.T) {
	dir := t.TempDir()
	data := "[\n  " + rec("C-1") + ",\n  " + rec("C-2") + " ,\n\n" + rec("C-3") + "\n]\n"
	path := writeFile(t, dir, "arr.json", []byte(data))
	checkRecords(t, path, readAll(t, &Reader{}, path), oks("C-1", "C-2", "C-3"))

	empty := writeFile(t, dir, "empty-array.json", []byte(" [ ] "))
	checkRecords(t, empty, readAll(t, &Reader{}, empty), nil)
}

func TestReadConcatenatedObjects(t *testing.T) {
	dir := t.TempDir()
	data := rec("C-1") + rec("C-2") + "\n\n" + rec("C-3") + "  \n" + strings.ReplaceAll(rec("C-4"), ",", ",\n  ")
	path := writeFile(t, dir, "many.json", []byte(data))
	checkRecords(t, path, readAll(t, &Reader{}, path), oks("C-1", "C-2", "C-3", "C-4"))
}

func TestReadNDJSONBlankLines(t *testing.T) {
	for _, ext := range []string{".ndjson", ".jsonl", ".NDJSON"} {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			data := "\n\n" + rec("C-1") + "\n\n   \n" + rec("C-2") + "\n\t\n" + rec("C-3") + "\n\n"
			path := writeFile(t, dir, "batch"+ext, []byte(data))
			checkRecords(t, path, readAll(t, &Reader{}, path), oks("C-1", "C-2", "C-3"))
		})
	}
	t.Run("no final newline", func(t *testing.T) {
		dir := t.TempDir()
		path := writeFile(t, dir, "batch.ndjson", []byte(rec("C-1")+"\n"+rec("C-2")))
		checkRecords(t, path, readAll(t, &Reader{}, path), oks("C-1", "C-2"))
	})
}

func TestReadCRLF(t *testing.T) {
	dir := t.TempDir()
	nd := writeFile(t, dir, "crlf.ndjson", []byte(rec("C-1")+"\r\n\r\n"+rec("C-2")+"\r\n  \r\n"+rec("C-3")+"\r\n"))
	checkRecords(t, nd, readAll(t, &Reader{}, nd), oks("C-1", "C-2", "C-3"))

	arr := writeFile(t, dir, "crlf.json", []byte("[\r\n"+rec("C-1")+",\r\n"+rec("C-2")+"\r\n]\r\n"))
	checkRecords(t, arr, readAll(t, &Reader{}, arr), oks("C-1", "C-2"))

	// A date must still decode with CRLF line endings inside a pretty-printed object.
	obj := writeFile(t, dir, "crlf-obj.json", []byte(strings.ReplaceAll(strings.ReplaceAll(rec("C-1"), ",", ",\r\n"), "{", "{\r\n")))
	got := readAll(t, &Reader{}, obj)
	checkRecords(t, obj, got, oks("C-1"))
	if len(got) == 1 && got[0].Case != nil && got[0].Case.ExtractDate != record.MustDate("2024-03-31") {
		t.Errorf("extract_date = %v", got[0].Case.ExtractDate)
	}
}

func TestReadBOM(t *testing.T) {
	const bom = "\xef\xbb\xbf"
	cases := []struct {
		name, data string
		ids        []string
	}{
		{"one.json", bom + rec("C-1"), []string{"C-1"}},
		{"arr.json", bom + "[" + rec("C-1") + "," + rec("C-2") + "]", []string{"C-1", "C-2"}},
		{"lines.ndjson", bom + rec("C-1") + "\n" + rec("C-2") + "\n", []string{"C-1", "C-2"}},
		{"lines-crlf.jsonl", bom + rec("C-1") + "\r\n\r\n" + rec("C-2") + "\r\n", []string{"C-1", "C-2"}},
		{"bom-then-blank.ndjson", bom + "\n\n" + rec("C-1") + "\n", []string{"C-1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), tc.name, []byte(tc.data))
			checkRecords(t, path, readAll(t, &Reader{}, path), oks(tc.ids...))
		})
	}
}

func TestReadGzip(t *testing.T) {
	nd := []byte(rec("C-1") + "\n\n" + rec("C-2") + "\r\n" + rec("C-3") + "\n")
	arr := []byte("[" + rec("C-1") + ",\n" + rec("C-2") + "]")
	cases := []struct {
		name string
		data []byte
		ids  []string
	}{
		{"batch.ndjson.gz", gzipped(t, nd), []string{"C-1", "C-2", "C-3"}},
		{"batch.jsonl.gz", gzipped(t, nd), []string{"C-1", "C-2", "C-3"}},
		{"batch.json.gz", gzipped(t, arr), []string{"C-1", "C-2"}},
		{"BATCH.NDJSON.GZ", gzipped(t, nd), []string{"C-1", "C-2", "C-3"}},
		// Detected by the magic bytes, whatever the name says.
		{"magic.ndjson", gzipped(t, nd), []string{"C-1", "C-2", "C-3"}},
		{"magic.json", gzipped(t, arr), []string{"C-1", "C-2"}},
		{"magic-bom.json", gzipped(t, append([]byte("\xef\xbb\xbf"), arr...)), []string{"C-1", "C-2"}},
		{"empty.ndjson.gz", gzipped(t, nil), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), tc.name, tc.data)
			checkRecords(t, path, readAll(t, &Reader{}, path), oks(tc.ids...))
		})
	}

	t.Run("not gzip despite the name", func(t *testing.T) {
		path := writeFile(t, t.TempDir(), "plain.ndjson.gz", []byte(rec("C-1")+"\n"))
		checkRecords(t, path, readAll(t, &Reader{}, path), []want{{index: 0, has: []string{"gzip"}}})
	})

	t.Run("truncated", func(t *testing.T) {
		z := gzipped(t, nd)
		path := writeFile(t, t.TempDir(), "cut.ndjson.gz", z[:len(z)-8]) // no trailer
		got := readAll(t, &Reader{}, path)
		// Cut between records: the three records, and one error for the file.
		checkRecords(t, path, got, append(oks("C-1", "C-2", "C-3"),
			want{index: 0, has: []string{"the file ends early (is it cut short?), after record 3; the rest of the file could not be read"}}))
	})

	t.Run("cut in the middle of a record", func(t *testing.T) {
		// Stored, not compressed, so that the cut falls at a known place: inside record 2.
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.NoCompression)
		zw.Write(nd)
		zw.Close()
		cut := 10 + 5 + len(rec("C-1")) + 2 + 20
		path := writeFile(t, t.TempDir(), "cut.ndjson.gz", buf.Bytes()[:cut])
		got := readAll(t, &Reader{}, path)
		// One good record, and the broken one once: not a second error for the stream.
		checkRecords(t, path, got, append(oks("C-1"),
			want{index: 2, has: []string{"the file ends early (is it cut short?): the record is incomplete"}}))
	})

	t.Run("cut in the middle of an array", func(t *testing.T) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.NoCompression)
		zw.Write(arr)
		zw.Close()
		path := writeFile(t, t.TempDir(), "cut.json.gz", buf.Bytes()[:10+5+1+len(rec("C-1"))+2+20])
		checkRecords(t, path, readAll(t, &Reader{}, path), append(oks("C-1"),
			want{index: 2, has: []string{"the file ends in the middle of the record (is it cut short?); the rest of the file could not be read"}}))
	})
}

func TestFilesDirectoryWalk(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "b/z.ndjson", []byte(rec("C-4")+"\n"+rec("C-5")+"\n"))
	writeFile(t, root, "b/a.jsonl", []byte(rec("C-3")+"\n"))
	writeFile(t, root, "a.json", []byte(rec("C-1")+rec("C-2")))
	writeFile(t, root, "c.json.gz", gzipped(t, []byte("["+rec("C-6")+"]")))
	writeFile(t, root, "README.md", []byte("# not a case file\n"))
	writeFile(t, root, "b/notes.txt", []byte("nor this\n"))
	writeFile(t, root, ".git/config", []byte("[core]\n"))
	writeFile(t, root, ".git/hidden.json", []byte(rec("C-GIT")))
	writeFile(t, root, "b/.cache/x.ndjson", []byte(rec("C-CACHE")+"\n"))

	var skipped []string
	r := &Reader{Skipped: func(p string, _ SkipReason) { skipped = append(skipped, p) }}
	files, err := r.Files([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{
		filepath.Join(root, "a.json"),
		filepath.Join(root, "b", "a.jsonl"),
		filepath.Join(root, "b", "z.ndjson"),
		filepath.Join(root, "c.json.gz"),
	}
	if !slices.Equal(files, wantFiles) {
		t.Errorf("Files = %q\nwant     %q", files, wantFiles)
	}
	wantSkipped := []string{filepath.Join(root, "README.md"), filepath.Join(root, "b", "notes.txt")}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("Skipped got %q, want %q", skipped, wantSkipped)
	}

	var ids []string
	for _, f := range files {
		for _, rc := range readAll(t, r, f) {
			if rc.Err != nil {
				t.Errorf("%s #%d: %v", rc.File, rc.Index, rc.Err)
			}
			ids = append(ids, fmt.Sprintf("%s#%d", rc.CaseID, rc.Index))
		}
	}
	wantIDs := []string{"C-1#1", "C-2#2", "C-3#1", "C-4#1", "C-5#2", "C-6#1"}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("records read in order %q, want %q", ids, wantIDs)
	}
}

func TestFilesKeepsOrderOfPaths(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	writeFile(t, sub, "x.json", []byte(rec("C-1")))
	plain := writeFile(t, dir, "given.txt", []byte(rec("C-2"))) // named explicitly: read as given
	files, err := (&Reader{}).Files([]string{plain, "-", sub})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{plain, "-", filepath.Join(sub, "x.json")}
	if !slices.Equal(files, want) {
		t.Errorf("Files = %q, want %q", files, want)
	}
}

func TestFilesMissingPath(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "a.json", []byte(rec("C-1")))
	missing := filepath.Join(dir, "no-such-batch.ndjson")
	files, err := (&Reader{}).Files([]string{good, missing})
	if err == nil {
		t.Fatalf("Files with a missing path: no error (files %q)", files)
	}
	if !strings.Contains(err.Error(), missing) {
		t.Errorf("error %q does not name the path %q", err, missing)
	}
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %q does not wrap os.ErrNotExist", err)
	}
	if files != nil {
		t.Errorf("files = %q, want none", files)
	}
}

func TestReadStdin(t *testing.T) {
	t.Run("ndjson", func(t *testing.T) {
		r := &Reader{Stdin: strings.NewReader("\n" + rec("C-1") + "\r\n\n" + rec("C-2") + "\n")}
		checkRecords(t, "-", readAll(t, r, "-"), oks("C-1", "C-2"))
	})
	t.Run("array", func(t *testing.T) {
		r := &Reader{Stdin: strings.NewReader("  [\n" + rec("C-1") + ",\n" + rec("C-2") + ",\n" + rec("C-3") + "\n]\n")}
		checkRecords(t, "-", readAll(t, r, "-"), oks("C-1", "C-2", "C-3"))
	})
	t.Run("gzip", func(t *testing.T) {
		r := &Reader{Stdin: bytes.NewReader(gzipped(t, []byte(rec("C-1")+"\n"+rec("C-2")+"\n")))}
		checkRecords(t, "-", readAll(t, r, "-"), oks("C-1", "C-2"))
	})
	t.Run("bad line", func(t *testing.T) {
		r := &Reader{Stdin: strings.NewReader(rec("C-1") + "\n{oops\n" + rec("C-3") + "\n")}
		checkRecords(t, "-", readAll(t, r, "-"), []want{
			{index: 1, caseID: "C-1", ok: true},
			{index: 2, has: []string{"malformed JSON"}},
			{index: 3, caseID: "C-3", ok: true},
		})
	})
	t.Run("pretty-printed record", func(t *testing.T) {
		var pretty bytes.Buffer
		json.Indent(&pretty, []byte(rec("C-1")), "", "  ")
		r := &Reader{Stdin: strings.NewReader(pretty.String() + "\n")}
		checkRecords(t, "-", readAll(t, r, "-"), oks("C-1"))
	})
	t.Run("pretty-printed records one after another", func(t *testing.T) {
		var a, b bytes.Buffer
		json.Indent(&a, []byte(rec("C-1")), "", "\t")
		json.Indent(&b, []byte(rec("C-2")), "", "\t")
		r := &Reader{Stdin: strings.NewReader("\xef\xbb\xbf\n" + a.String() + "\n" + b.String())}
		checkRecords(t, "-", readAll(t, r, "-"), oks("C-1", "C-2"))
	})
	t.Run("pretty-printed array", func(t *testing.T) {
		var pretty bytes.Buffer
		json.Indent(&pretty, []byte("["+rec("C-1")+","+rec("C-2")+"]"), "", "  ")
		r := &Reader{Stdin: strings.NewReader(pretty.String())}
		checkRecords(t, "-", readAll(t, r, "-"), oks("C-1", "C-2"))
	})
	t.Run("bad first line of NDJSON stays one bad record", func(t *testing.T) {
		r := &Reader{Stdin: strings.NewReader(`{"case_id": oops}` + "\n" + rec("C-2") + "\n" + rec("C-3") + "\n")}
		checkRecords(t, "-", readAll(t, r, "-"), []want{
			{index: 1, has: []string{"malformed JSON"}},
			{index: 2, caseID: "C-2", ok: true},
			{index: 3, caseID: "C-3", ok: true},
		})
	})
	t.Run("NDJSON with a first line longer than the buffer", func(t *testing.T) {
		r := &Reader{Stdin: strings.NewReader(padded(t, "C-1", 200<<10) + "\n" + rec("C-2") + "\n")}
		checkRecords(t, "-", readAll(t, r, "-"), oks("C-1", "C-2"))
	})
	t.Run("no stdin", func(t *testing.T) {
		checkRecords(t, "-", readAll(t, &Reader{}, "-"), []want{{index: 0, has: []string{"standard input"}}})
	})
	t.Run("empty", func(t *testing.T) {
		checkRecords(t, "-", readAll(t, &Reader{Stdin: strings.NewReader("")}, "-"), nil)
	})
}

func TestReadEmptyFile(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"empty.json", ""},
		{"empty.ndjson", ""},
		{"empty.jsonl", ""},
		{"blank.ndjson", "\n\r\n  \n\t\n"},
		{"blank.json", "  \n"},
		{"bom-only.json", "\xef\xbb\xbf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), tc.name, []byte(tc.data))
			checkRecords(t, path, readAll(t, &Reader{}, path), nil)
		})
	}
}

func TestReadOpenError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gone.json")
	checkRecords(t, path, readAll(t, &Reader{}, path), []want{{index: 0, has: []string{"open", "gone.json"}}})
}

func TestReadFileStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop here")
	dir := t.TempDir()
	for _, tc := range []struct{ name, data string }{
		{"lines.ndjson", rec("C-1") + "\n" + rec("C-2") + "\n"},
		{"arr.json", "[" + rec("C-1") + "," + rec("C-2") + "]"},
		{"objs.json", rec("C-1") + rec("C-2")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, tc.name, []byte(tc.data))
			calls := 0
			err := (&Reader{}).ReadFile(path, func(Record) error { calls++; return stop })
			if !errors.Is(err, stop) {
				t.Errorf("ReadFile returned %v, want the callback's error", err)
			}
			if calls != 1 {
				t.Errorf("callback called %d times after it returned an error, want 1", calls)
			}
		})
	}
}

// ---- bad records ----

// badCases are records that must each be reported, by position and case id, without stopping
// the batch. Each is tried between two good records.
var badCases = []struct {
	name      string
	record    string
	caseID    string // the case id the error is reported with
	has       []string
	hasNot    []string
	lineOnly  bool // not valid JSON: only NDJSON can go on after it
	maxRecord int
}{
	{
		name:     "malformed JSON",
		record:   `{"case_id":"C-BAD","extract_date":"2024-03-31","referrals":[{"id":"R1",`,
		has:      []string{"malformed JSON"},
		lineOnly: true,
	},
	{
		name:   "wrong type",
		record: recWithReferral("C-BAD", `"received":"2024-01-02","homeless":"yes"`),
		caseID: "C-BAD",
		has:    []string{"referrals", "homeless", "true or false", "string"},
		hasNot: []string{"yes"},
	},
	{
		name:   "wrong type of case_id",
		record: `{"case_id":4711,"extract_date":"2024-03-31","referrals":[]}`,
		has:    []string{"case_id", "string"},
		hasNot: []string{"4711"},
	},
	{
		name:   "impossible date",
		record: recWithReferral("C-BAD", `"received":"2023-02-30"`),
		caseID: "C-BAD",
		has:    []string{"referrals[0].received", "not a real calendar date"},
		hasNot: []string{"2023-02-30", "02-30"},
	},
	{
		name:   "date not in the form YYYY-MM-DD",
		record: recWithReferral("C-BAD", `"received":"02/01/2024"`),
		caseID: "C-BAD",
		has:    []string{"referrals[0].received", "YYYY-MM-DD"},
		hasNot: []string{"02/01/2024"},
	},
	{
		name:   "date of the wrong type",
		record: recWithReferral("C-BAD", `"received":20240102`),
		caseID: "C-BAD",
		has:    []string{"referrals[0].received", "not a string"},
		hasNot: []string{"20240102"},
	},
	{
		name:   "missing case_id",
		record: `{"extract_date":"2024-03-31","referrals":[{"id":"R1","received":"2024-01-02"}]}`,
		has:    []string{"case_id", "required"},
	},
	{
		name:   "missing received",
		record: recWithReferral("C-BAD", `"decision":"2024-01-03"`),
		caseID: "C-BAD",
		has:    []string{"referrals[0].received", "required"},
	},
	{
		name:   "several problems at once",
		record: `{"extract_date":"2024-03-31","referrals":[{"id":"R1","received":"2024-01-02"},{"id":"R2","decision":"2024-13-01"}]}`,
		has:    []string{"case_id is required", "referrals[1].received is required", "referrals[1].decision"},
		hasNot: []string{"2024-13-01"},
	},
	{
		name: "duplicate object ids in a referral",
		record: recWithReferral("C-BAD", `"received":"2024-01-02",`+
			`"assessments":[{"id":"X1","kind":"single","started":"2024-01-03"}],`+
			`"strategy_discussions":[{"id":"X1","date":"2024-01-04"}]`),
		caseID: "C-BAD",
		has:    []string{"referrals[0].strategy_discussions[0].id", "duplicates", "referrals[0].assessments[0]"},
	},
	{
		name: "unknown strategy_discussion_id",
		record: recWithReferral("C-BAD", `"received":"2024-01-02",`+
			`"strategy_discussions":[{"id":"SD1","date":"2024-01-04"}],`+
			`"s47_enquiries":[{"id":"S1","strategy_discussion_id":"SD-GHOST","started":"2024-01-04"}]`),
		caseID: "C-BAD",
		has:    []string{"referrals[0].s47_enquiries[0].strategy_discussion_id", "names no strategy discussion"},
		hasNot: []string{"SD-GHOST"},
	},
	{
		name: "unknown s47_id",
		record: recWithReferral("C-BAD", `"received":"2024-01-02",`+
			`"s47_enquiries":[{"id":"S1","started":"2024-01-04"}],`+
			`"conferences":[{"id":"K1","kind":"initial","s47_id":"S-GHOST","date":"2024-01-24"}]`),
		caseID: "C-BAD",
		has:    []string{"referrals[0].conferences[0].s47_id", "names no section 47 enquiry"},
		hasNot: []string{"S-GHOST"},
	},
	{
		name: "unknown plan_id",
		record: recWithReferral("C-BAD", `"received":"2024-01-02",`+
			`"plans":[{"id":"P1","kind":"child_protection","started":"2024-01-24"}],`+
			`"conferences":[{"id":"K2","kind":"review","plan_id":"P-GHOST","date":"2024-03-01"}]`),
		caseID: "C-BAD",
		has:    []string{"referrals[0].conferences[0].plan_id", "names no plan"},
		hasNot: []string{"P-GHOST"},
	},
	{
		name: "unknown conference kind",
		record: recWithReferral("C-BAD", `"received":"2024-01-02",`+
			`"conferences":[{"id":"K1","kind":"annual_jamboree","date":"2024-01-24"}]`),
		caseID: "C-BAD",
		has:    []string{"referrals[0].conferences[0].kind", "is not one of"},
		hasNot: []string{"annual_jamboree"},
	},
	{
		name:   "record is an array",
		record: `[{"case_id":"C-INNER"}]`,
		has:    []string{"JSON array", "not an object"},
	},
	{
		name:   "record is a number",
		record: `42`,
		has:    []string{"JSON number", "not an object"},
	},
	{
		name:   "record is a string",
		record: `"C-STRING"`,
		has:    []string{"JSON string", "not an object"},
		hasNot: []string{"C-STRING"},
	},
	{
		name:      "record too long",
		record:    recWithReferral("C-LONG", `"received":"2024-01-02","pad":"`+strings.Repeat("x", 300)+`"`),
		has:       []string{"longer than 200 bytes"},
		maxRecord: 200,
	},
}

func TestBadRecordsNDJSON(t *testing.T) {
	for _, tc := range badCases {
		t.Run(tc.name, func(t *testing.T) {
			data := rec("C-A") + "\n\n" + tc.record + "\n" + rec("C-Z") + "\n"
			path := writeFile(t, t.TempDir(), "bad.ndjson", []byte(data))
			got := readAll(t, &Reader{MaxRecordBytes: tc.maxRecord}, path)
			checkRecords(t, path, got, []want{
				{index: 1, caseID: "C-A", ok: true},
				{index: 2, caseID: tc.caseID, has: tc.has, hasNot: tc.hasNot},
				{index: 3, caseID: "C-Z", ok: true},
			})
		})
	}
}

func TestBadRecordsJSONArray(t *testing.T) {
	for _, tc := range badCases {
		if tc.lineOnly {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			data := "[\n" + rec("C-A") + ",\n" + tc.record + ",\n" + rec("C-Z") + "\n]\n"
			path := writeFile(t, t.TempDir(), "bad.json", []byte(data))
			got := readAll(t, &Reader{MaxRecordBytes: tc.maxRecord}, path)
			checkRecords(t, path, got, []want{
				{index: 1, caseID: "C-A", ok: true},
				{index: 2, caseID: tc.caseID, has: tc.has, hasNot: tc.hasNot},
				{index: 3, caseID: "C-Z", ok: true},
			})
		})
	}
}

func TestMalformedLinesThenMore(t *testing.T) {
	data := rec("C-1") + "\n" +
		`{"case_id":"C-2",` + "\n" + // cut short
		`{"case_id":"C-3"} trailing` + "\n" +
		"not json at all\n" +
		rec("C-5") + "\n" +
		rec("C-6") + "\n"
	path := writeFile(t, t.TempDir(), "b.jsonl", []byte(data))
	checkRecords(t, path, readAll(t, &Reader{}, path), []want{
		{index: 1, caseID: "C-1", ok: true},
		{index: 2, has: []string{"malformed JSON"}},
		{index: 3, has: []string{"malformed JSON"}},
		{index: 4, has: []string{"malformed JSON"}},
		{index: 5, caseID: "C-5", ok: true},
		{index: 6, caseID: "C-6", ok: true},
	})
}

func TestNDJSONLineTooLong(t *testing.T) {
	long := padded(t, "C-LONG", 1000)
	huge := padded(t, "C-HUGE", 200<<10) // longer than the reader's 64 KiB buffer, too
	data := rec("C-1") + "\n" + long + "\n" + rec("C-3") + "\n" + huge + "\n" + rec("C-5") + "\n"
	path := writeFile(t, t.TempDir(), "long.ndjson", []byte(data))
	checkRecords(t, path, readAll(t, &Reader{MaxRecordBytes: 200}, path), []want{
		{index: 1, caseID: "C-1", ok: true},
		{index: 2, has: []string{"longer than 200 bytes"}, hasNot: []string{"C-LONG"}},
		{index: 3, caseID: "C-3", ok: true},
		{index: 4, has: []string{"longer than 200 bytes"}},
		{index: 5, caseID: "C-5", ok: true},
	})

	// The default limit reads the 200 KiB record.
	got := readAll(t, &Reader{}, path)
	checkRecords(t, path, got, oks("C-1", "C-LONG", "C-3", "C-HUGE", "C-5"))
}

// TestNDJSONMaxRecordBytesBoundary pins the limit exactly: a record of MaxRecordBytes bytes is
// read, one byte more is refused, whatever the line ending and whether or not the last line
// has one.
func TestNDJSONMaxRecordBytesBoundary(t *testing.T) {
	const limit = 200
	cases := []struct {
		name string
		data func(t *testing.T) string
		want []want
	}{
		{"exactly the limit, LF", func(t *testing.T) string { return padded(t, "C-1", limit) + "\n" + rec("C-2") + "\n" },
			oks("C-1", "C-2")},
		{"one over, LF", func(t *testing.T) string { return padded(t, "C-1", limit+1) + "\n" + rec("C-2") + "\n" },
			[]want{{index: 1, has: []string{"longer than 200 bytes"}}, {index: 2, caseID: "C-2", ok: true}}},
		{"exactly the limit, CRLF", func(t *testing.T) string { return padded(t, "C-1", limit) + "\r\n" + rec("C-2") + "\r\n" },
			oks("C-1", "C-2")},
		{"one over, CRLF", func(t *testing.T) string { return padded(t, "C-1", limit+1) + "\r\n" + rec("C-2") + "\r\n" },
			[]want{{index: 1, has: []string{"longer than 200 bytes"}}, {index: 2, caseID: "C-2", ok: true}}},
		{"exactly the limit, last line without newline", func(t *testing.T) string { return rec("C-1") + "\n" + padded(t, "C-2", limit) },
			oks("C-1", "C-2")},
		{"one over, last line without newline", func(t *testing.T) string { return rec("C-1") + "\n" + padded(t, "C-2", limit+1) },
			[]want{{index: 1, caseID: "C-1", ok: true}, {index: 2, has: []string{"longer than 200 bytes"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "b.ndjson", []byte(tc.data(t)))
			checkRecords(t, path, readAll(t, &Reader{MaxRecordBytes: limit}, path), tc.want)
		})
	}
}

// TestMaxRecordBytesEveryForm: MaxRecordBytes bounds one record in every batch form, not
// only in NDJSON.
func TestMaxRecordBytesEveryForm(t *testing.T) {
	const limit = 200
	long := padded(t, "C-LONG", 500)
	cases := []struct{ name, data string }{
		{"array.json", "[" + long + "," + rec("C-2") + "]"},
		{"single.json", long},
		{"concatenated.json", long + "\n" + rec("C-2")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), tc.name, []byte(tc.data))
			got := readAll(t, &Reader{MaxRecordBytes: limit}, path)
			if len(got) == 0 {
				t.Fatal("no records")
			}
			if got[0].Err == nil || !strings.Contains(got[0].Err.Error(), "longer than 200 bytes") || got[0].Case != nil {
				t.Errorf("a %d-byte record with MaxRecordBytes %d: index %d case=%v err=%v; want an error saying it is longer than %d bytes",
					len(long), limit, got[0].Index, got[0].Case != nil, got[0].Err, limit)
			}
		})
	}
}

func TestJSONArraySyntaxErrorMidway(t *testing.T) {
	data := "[\n" + rec("C-1") + ",\n" + `{"case_id":"C-2", oops},` + "\n" + rec("C-3") + "\n]\n"
	path := writeFile(t, t.TempDir(), "arr.json", []byte(data))
	checkRecords(t, path, readAll(t, &Reader{}, path), []want{
		{index: 1, caseID: "C-1", ok: true},
		{index: 2, has: []string{"malformed JSON", "the rest of the file could not be read"}},
	})

	// A missing comma between elements is a syntax error too.
	path = writeFile(t, t.TempDir(), "arr.json", []byte("["+rec("C-1")+" "+rec("C-2")+"]"))
	checkRecords(t, path, readAll(t, &Reader{}, path), []want{
		{index: 1, caseID: "C-1", ok: true},
		{index: 2, has: []string{"malformed JSON", "the rest of the file could not be read"}},
	})
}

func TestConcatenatedSyntaxErrorMidway(t *testing.T) {
	data := rec("C-1") + "\n" + `{"case_id":"C-2",,}` + "\n" + rec("C-3") + "\n"
	path := writeFile(t, t.TempDir(), "objs.json", []byte(data))
	checkRecords(t, path, readAll(t, &Reader{}, path), []want{
		{index: 1, caseID: "C-1", ok: true},
		{index: 2, has: []string{"malformed JSON", "the rest of the file could not be read"}},
	})
}

func TestJSONArrayUnterminated(t *testing.T) {
	path := writeFile(t, t.TempDir(), "arr.json", []byte("["+rec("C-1")+",\n"+rec("C-2")+"\n"))
	checkRecords(t, path, readAll(t, &Reader{}, path), []want{
		{index: 1, caseID: "C-1", ok: true},
		{index: 2, caseID: "C-2", ok: true},
		{index: 3, has: []string{"malformed JSON", "after record 2"}},
	})
}

// TestJSONArrayTrailingContent: whatever follows the closing bracket of an array must be
// read or reported, never silently dropped.
func TestJSONArrayTrailingContent(t *testing.T) {
	cases := []struct{ name, data string }{
		{"object after the array", "[" + rec("C-1") + "]\n" + rec("C-2") + "\n"},
		{"second array", "[" + rec("C-1") + "]\n[" + rec("C-2") + "]\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "arr.json", []byte(tc.data))
			got := readAll(t, &Reader{}, path)
			if len(got) < 2 {
				t.Fatalf("got %d record(s); the content after the array's closing bracket (case C-2) was neither read nor reported", len(got))
			}
			checkRecords(t, path, got[:1], oks("C-1"))
			second := got[1]
			if second.Err == nil && (second.Case == nil || second.CaseID != "C-2") {
				t.Errorf("second record: case_id=%q case=%v err=%v; want C-2 or an error", second.CaseID, second.Case != nil, second.Err)
			}
		})
	}
}

// TestNDJSONFirstLineArray: in an NDJSON file a line holding a JSON array is one bad record,
// even when it is the first line; the lines after it are still read.
func TestNDJSONFirstLineArray(t *testing.T) {
	for name, first := range map[string]string{"numbers": `[1,2]`, "a record": `[` + rec("C-INNER") + `]`} {
		t.Run(name, func(t *testing.T) {
			data := first + "\n" + rec("C-2") + "\n" + rec("C-3") + "\n"
			path := writeFile(t, t.TempDir(), "b.ndjson", []byte(data))
			checkRecords(t, path, readAll(t, &Reader{}, path), []want{
				{index: 1, has: []string{"JSON array", "not an object"}},
				{index: 2, caseID: "C-2", ok: true},
				{index: 3, caseID: "C-3", ok: true},
			})
		})
	}
}

// ---- privacy ----

func TestErrorsDoNotQuoteCaseData(t *testing.T) {
	const secret = "Zebedee-Quartermain-17-Acacia-Avenue"
	const badBirth = "2019-02-30"
	cases := []struct {
		name, record string
		has          []string
	}{
		{"bad birth date and a wrongly-typed field",
			`{"case_id":"C-P1","extract_date":"2024-03-31","child":{"birth_date":"` + badBirth + `","disabled":"` + secret + `"},"referrals":[{"id":"R1","received":"2024-01-02"}]}`,
			[]string{"child.disabled"}},
		{"bad birth date only",
			`{"case_id":"C-P2","extract_date":"2024-03-31","child":{"birth_date":"` + badBirth + `"},"referrals":[{"id":"R1","received":"2024-01-02"}]}`,
			[]string{"child.birth_date", "not a real calendar date"}},
		{"wrongly-typed list",
			`{"case_id":"C-P3","extract_date":"2024-03-31","child":{"birth_date":"` + badBirth + `","circumstances":"` + secret + `"},"referrals":[{"id":"R1","received":"2024-01-02"}]}`,
			[]string{"circumstances", "a list"}},
		{"wrongly-typed object",
			`{"case_id":"C-P4","extract_date":"2024-03-31","organisation":"` + secret + `","child":{"birth_date":"` + badBirth + `"},"referrals":[]}`,
			[]string{"organisation", "an object"}},
		{"unknown kind",
			`{"case_id":"C-P5","extract_date":"2024-03-31","child":{"birth_date":"` + badBirth + `"},"referrals":[{"id":"R1","received":"2024-01-02","plans":[{"id":"P1","kind":"` + secret + `"}]}]}`,
			[]string{"child.birth_date", "referrals[0].plans[0].kind"}},
		{"malformed JSON",
			`{"case_id":"C-P6","child":{"birth_date":"` + badBirth + `","id":` + secret + `}}`,
			[]string{"malformed JSON"}},
	}
	var data strings.Builder
	for _, tc := range cases {
		data.WriteString(tc.record + "\n")
	}
	path := writeFile(t, t.TempDir(), "private.ndjson", []byte(data.String()))
	got := readAll(t, &Reader{}, path)
	if len(got) != len(cases) {
		t.Fatalf("got %d records, want %d", len(got), len(cases))
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := got[i]
			if g.Err == nil {
				t.Fatal("no error")
			}
			msg := g.Err.Error()
			for _, s := range tc.has {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not contain %q", msg, s)
				}
			}
			for _, s := range []string{secret, "Zebedee", badBirth, "02-30"} {
				if strings.Contains(msg, s) {
					t.Errorf("error %q quotes case data %q", msg, s)
				}
			}
		})
	}
}

// ---- Check ----

func testEngine(t testing.TB) *checker.Engine {
	t.Helper()
	e, err := rules.Engine("2018")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func checkOptions() Options {
	return Options{Show: checker.Statuses, FailOn: checker.SeverityBreach, Workers: 2}
}

func TestCheck(t *testing.T) {
	engine := testEngine(t)
	root := t.TempDir()
	// 2023 dates: the 2018 edition is in force.
	r2023 := func(id string) string {
		return `{"case_id":"` + id + `","extract_date":"2023-09-30","referrals":[{"id":"R1","received":"2023-09-04","decision":"2023-09-05"}]}`
	}
	a := writeFile(t, root, "a.ndjson", []byte(
		r2023("C-1")+"\n"+
			`{"case_id":"C-BAD","extract_date":"2023-09-30","child":{"birth_date":"2019-02-30"},"referrals":[{"id":"R1","received":"2023-09-04"}]}`+"\n"+
			r2023("C-3")+"\n"+
			r2023("C-1")+"\n"+ // duplicate of record 1
			r2023("C-5")+"\n"))
	b := writeFile(t, root, "b.json", []byte("["+r2023("C-6")+",\n42,\n"+r2023("C-8")+"]"))
	writeFile(t, root, "README.md", []byte("skip me"))

	var skipped []string
	reader := &Reader{Skipped: func(p string, _ SkipReason) { skipped = append(skipped, p) }}
	report, err := Check(engine, reader, []string{root}, checkOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(skipped, []string{filepath.Join(root, "README.md")}) {
		t.Errorf("skipped %q", skipped)
	}
	s := report.Summary
	if s.RecordsRead != 8 || s.Cases != 5 || s.RecordsSkipped != 3 {
		t.Errorf("summary read=%d cases=%d skipped=%d, want 8, 5, 3", s.RecordsRead, s.Cases, s.RecordsSkipped)
	}
	if s.RecordsRead != s.Cases+s.RecordsSkipped {
		t.Errorf("records_read %d != cases %d + records_skipped %d", s.RecordsRead, s.Cases, s.RecordsSkipped)
	}
	if s.EvaluationErrors != 0 {
		t.Errorf("evaluation errors: %d (%+v)", s.EvaluationErrors, report.Errors)
	}

	type pos struct {
		file   string
		record int
		caseID string
	}
	var gotPos []pos
	for _, e := range report.Errors {
		gotPos = append(gotPos, pos{e.File, e.Record, e.CaseID})
	}
	wantPos := []pos{{a, 2, "C-BAD"}, {a, 4, "C-1"}, {b, 2, ""}}
	if !slices.Equal(gotPos, wantPos) {
		t.Fatalf("errors at %v, want %v (sorted by file, then record)", gotPos, wantPos)
	}
	if e := report.Errors[0].Error; !strings.Contains(e, "child.birth_date") || strings.Contains(e, "2019-02-30") {
		t.Errorf("bad date error %q: want the path and not the value", e)
	}
	if e := report.Errors[1].Error; !strings.Contains(e, "duplicate") || !strings.Contains(e, "record 1") {
		t.Errorf("duplicate error %q does not name the first record (1)", e)
	}
	if e := report.Errors[2].Error; !strings.Contains(e, "JSON number") {
		t.Errorf("error %q, want one saying the record is a JSON number", e)
	}

	// Findings: only for the cases checked, and every status counted.
	total := 0
	for _, n := range s.Findings {
		total += n
	}
	if total == 0 || report.ListedLen() != total {
		t.Errorf("%d findings listed, %d counted; want the same, more than none (Show lists every status)", report.ListedLen(), total)
	}
	checked := map[string]bool{"C-1": true, "C-3": true, "C-5": true, "C-6": true, "C-8": true}
	seen := map[string]bool{}
	for f := range report.Listed() {
		if !checked[f.CaseID] {
			t.Errorf("finding for case %q, which was not checked", f.CaseID)
		}
		seen[f.CaseID] = true
	}
	if len(seen) != len(checked) {
		t.Errorf("findings for cases %v, want for each of %v", seen, checked)
	}
	if report.AsOf != record.MustDate("2023-09-30") {
		t.Errorf("as_of = %v, want every record's extract date 2023-09-30", report.AsOf)
	}

	// The same batch gives the same report whatever the number of workers.
	opts := checkOptions()
	opts.Workers = 1
	again, err := Check(engine, &Reader{}, []string{root}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.Errors, report.Errors) {
		t.Errorf("one worker gives errors %+v, two %+v", again.Errors, report.Errors)
	}
	j1, err1 := json.Marshal(again.Findings)
	j2, err2 := json.Marshal(report.Findings)
	if err1 != nil || err2 != nil || !bytes.Equal(j1, j2) {
		t.Errorf("one worker gives different findings from two (%v, %v)", err1, err2)
	}
}

// TestCheckDuplicateAcrossFiles: a duplicate case_id in another file must name the first
// record by its file too, or the report points at the wrong record.
func TestCheckDuplicateAcrossFiles(t *testing.T) {
	engine := testEngine(t)
	root := t.TempDir()
	a := writeFile(t, root, "a.ndjson", []byte(rec("C-1")+"\n"+rec("C-2")+"\n"))
	b := writeFile(t, root, "b.ndjson", []byte(rec("C-3")+"\n"+rec("C-4")+"\n"+rec("C-2")+"\n"))
	report, err := Check(engine, &Reader{}, []string{root}, checkOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s := report.Summary; s.RecordsRead != 5 || s.Cases != 4 || s.RecordsSkipped != 1 {
		t.Errorf("summary read=%d cases=%d skipped=%d, want 5, 4, 1", s.RecordsRead, s.Cases, s.RecordsSkipped)
	}
	if len(report.Errors) != 1 {
		t.Fatalf("errors %+v, want one", report.Errors)
	}
	e := report.Errors[0]
	if e.File != b || e.Record != 3 || e.CaseID != "C-2" {
		t.Errorf("error at %s #%d %q, want %s #3 C-2", e.File, e.Record, e.CaseID, b)
	}
	if !strings.Contains(e.Error, "record 2") || !strings.Contains(e.Error, filepath.Base(a)) {
		t.Errorf("duplicate error %q does not name the first record (%s record 2)", e.Error, a)
	}
}

func TestCheckNoFiles(t *testing.T) {
	engine := testEngine(t)
	root := t.TempDir()
	writeFile(t, root, "README.md", []byte("nothing"))
	if _, err := Check(engine, &Reader{}, []string{root}, checkOptions()); err == nil || !strings.Contains(err.Error(), "no case files") {
		t.Errorf("Check of a folder without case files: err = %v", err)
	}
	missing := filepath.Join(root, "missing")
	if _, err := Check(engine, &Reader{}, []string{missing}, checkOptions()); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Check of a missing path: err = %v, want one naming %s", err, missing)
	}
}

func TestWorkersBounded(t *testing.T) {
	opts := checkOptions()
	opts.Workers = MaxWorkers + 1
	_, err := Check(testEngine(t), &Reader{}, []string{"-"}, opts)
	if err == nil || err.Error() != "workers 1025: want 0 (one per CPU) to 1024" {
		t.Errorf("error %v", err)
	}
}

package batch

import (
	"bytes"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source"
)

// TestCheckInputs: paths named in Reader.Inputs are read from their Input, in the order of
// the batch, and never looked for on the file system (none of these names exists there).
func TestCheckInputs(t *testing.T) {
	engine := testEngine(t)
	r2023 := func(id string) string {
		return `{"case_id":"` + id + `","extract_date":"2023-09-30","referrals":[{"id":"R1","received":"2023-09-04","decision":"2023-09-05"}]}`
	}
	bytesInput := func(data string) source.Input {
		return source.Input{Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(data)), nil }}
	}
	reader := &Reader{Inputs: map[string]source.Input{
		"in memory/a.ndjson": bytesInput(r2023("C-1") + "\n" + r2023("C-2") + "\n"),
		"in memory/b.json":   bytesInput("[" + r2023("C-3") + ",\n42]"),
	}}
	var files []string
	opts := checkOptions()
	opts.Files = func(fs []string) error { files = fs; return nil }
	report, err := Check(engine, reader, []string{"in memory/b.json", "in memory/a.ndjson"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"in memory/b.json", "in memory/a.ndjson"}; !slices.Equal(files, want) {
		t.Errorf("files %q, want %q", files, want)
	}
	s := report.Summary
	if s.RecordsRead != 4 || s.Cases != 3 || s.RecordsSkipped != 1 {
		t.Errorf("summary read=%d cases=%d skipped=%d, want 4, 3, 1", s.RecordsRead, s.Cases, s.RecordsSkipped)
	}
	if len(report.Errors) != 1 || report.Errors[0].File != "in memory/b.json" || report.Errors[0].Record != 2 {
		t.Errorf("errors %+v, want one, at in memory/b.json record 2", report.Errors)
	}
}

// TestReadFileInputDir: a format read whole is given the Input's Dir for a path in Inputs,
// where it would otherwise look for a folder of that name on the file system.
func TestReadFileInputDir(t *testing.T) {
	dir := fstest.MapFS{"cases.ndjson": &fstest.MapFile{Data: []byte(rec("C-1") + "\n")}}
	var got []string
	whole := &source.Format{Name: "whole", Whole: true}
	read := source.Func(func(in source.Input, fn func(source.Record) error) error {
		if in.Dir == nil {
			return fn(source.Record{File: in.Name, Err: fs.ErrNotExist})
		}
		data, err := fs.ReadFile(in.Dir, "cases.ndjson")
		if err != nil {
			return err
		}
		got = append(got, in.Name+": "+string(bytes.TrimSpace(data)))
		return fn(source.Record{File: in.Name, Index: 1, CaseID: "C-1", Case: &record.Case{CaseID: "C-1"}})
	})
	reader := &Reader{Format: whole, Source: read, Inputs: map[string]source.Input{"chosen folder": {Dir: dir}}}
	var recs []Record
	if err := reader.ReadFile("chosen folder", func(r Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"chosen folder: " + rec("C-1")}; !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
	if len(recs) != 1 || recs[0].Err != nil || recs[0].File != "chosen folder" {
		t.Errorf("records %+v, want one from the chosen folder", recs)
	}
}

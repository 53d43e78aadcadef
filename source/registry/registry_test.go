package registry_test

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source"
	"github.com/wtcheck/wtcheck/source/registry"
)

// TestTable: every format of the table has a unique name, a description, what to expect,
// the extensions a directory walk reads (unless it reads each path whole, as the SSD's
// folder or database) and a way to open it; the default is case records;
// an unknown name is refused with the names there are.
func TestTable(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range registry.Formats {
		if f.Name == "" || seen[f.Name] || f.Description == "" || f.Expect == "" || (len(f.Extensions) == 0) != f.Whole || f.Open == nil {
			t.Errorf("format %+v: want a unique name, a description, an expectation, extensions (or Whole) and Open", *f)
		}
		seen[f.Name] = true
		for _, ext := range f.Extensions {
			if ext != strings.ToLower(ext) || !strings.HasPrefix(ext, ".") {
				t.Errorf("%s: extension %q: want lower case with its dot", f.Name, ext)
			}
		}
	}
	if f, err := registry.Lookup(""); err != nil || f.Name != "case" {
		t.Errorf(`Lookup("") = %v, %v; want case records`, f, err)
	}
	if _, err := registry.Lookup("xml"); err == nil || err.Error() != `unknown input format "xml": want case, cin-census, annex-a, ssd, dfe-api` {
		t.Errorf("Lookup(xml): %v", err)
	}
	annexA, _ := registry.Lookup("annex-a")
	if _, err := annexA.Open(source.Options{}); err == nil || !strings.Contains(err.Error(), "give --as-of") {
		t.Errorf("annex-a without an as-of date: %v", err)
	}
}

// TestReadFromBytes: a source reads an input that is bytes alone, with no file behind it, as
// a browser build hands it over: the sample's 32 case records, and the fake census return's
// three children, each a case.
func TestReadFromBytes(t *testing.T) {
	for _, tc := range []struct {
		format, path string
		want         int
	}{
		{"case", "../../fixtures/sample/cases.ndjson", 32},
		{"cin-census", "../cincensus/testdata/full.xml", 3},
	} {
		data, err := os.ReadFile(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := registry.Lookup(tc.format)
		if err != nil {
			t.Fatal(err)
		}
		src, err := f.Open(source.Options{AsOf: record.MustDate("2024-03-31")})
		if err != nil {
			t.Fatal(err)
		}
		in := source.Input{Name: tc.path[strings.LastIndex(tc.path, "/")+1:], Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		}}
		cases, bad := 0, 0
		err = src.Read(in, func(r source.Record) error {
			if r.Err != nil {
				bad++
				t.Errorf("%s record %d: %v", tc.format, r.Index, r.Err)
				return nil
			}
			if r.File != in.Name || r.Case == nil || r.CaseID == "" {
				t.Errorf("%s record %d: file %q, case id %q", tc.format, r.Index, r.File, r.CaseID)
			}
			cases++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if cases != tc.want {
			t.Errorf("%s: %d cases from bytes, want %d", tc.format, cases, tc.want)
		}
	}
}

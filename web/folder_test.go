package web

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestFolderFS: the in-memory folder behaves as fs.FS says a file system must (fstest.TestFS
// opens, reads, seeks, stats and lists every file), and refuses what is not in it.
func TestFolderFS(t *testing.T) {
	f := newFolder([]File{{Name: "b.csv", Data: []byte("x,y\n1,2\n")}, {Name: "a.csv", Data: []byte("z\n")}, {Name: "empty.csv"}})
	if err := fstest.TestFS(f, "a.csv", "b.csv", "empty.csv"); err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(f, "b.csv")
	if err != nil || string(data) != "x,y\n1,2\n" {
		t.Errorf("b.csv reads %q, %v", data, err)
	}
	for _, name := range []string{"c.csv", "a.csv/x", "../a.csv", "/a.csv"} {
		if _, err := f.Open(name); err == nil {
			t.Errorf("open %s: no error", name)
		}
	}
	if _, err := fs.ReadDir(f, "a.csv"); err == nil {
		t.Error("a file listed as a folder")
	}
}

// TestAsFolder: the files of a folder chosen are named from it, and those in its own
// folders are passed over; files chosen one by one are a folder called "the files chosen".
func TestAsFolder(t *testing.T) {
	for _, tc := range []struct {
		name          string
		files, inside []string
		dir           string
		passed        []string
	}{
		{"folder", []string{"ssd/ssd_person.csv", "ssd/README.md", "ssd/old/ssd_person.csv"}, []string{"ssd_person.csv", "README.md"}, "ssd", []string{"ssd/old/ssd_person.csv"}},
		{"files", []string{"ssd_person.csv", "ssd_cin_episodes.csv"}, []string{"ssd_person.csv", "ssd_cin_episodes.csv"}, "the files chosen", nil},
		{"two folders", []string{"a/ssd_person.csv", "b/ssd_cin_episodes.csv", "c.csv"}, []string{"c.csv"}, "the files chosen", []string{"a/ssd_person.csv", "b/ssd_cin_episodes.csv"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var files []File
			for _, n := range tc.files {
				files = append(files, File{Name: n})
			}
			dir, inside, passed := asFolder(files)
			var names []string
			for _, f := range inside {
				names = append(names, f.Name)
			}
			if dir != tc.dir || !slices.Equal(names, tc.inside) || !slices.Equal(passed, tc.passed) {
				t.Errorf("got %q %q %q, want %q %q %q", dir, names, passed, tc.dir, tc.inside, tc.passed)
			}
		})
	}
}

// TestRunSSDFolder: a folder without a required table is refused before anything is
// checked, naming the table, as on the command line; one without another table is checked,
// and the page says what the missing table costs, as the command line does.
func TestRunSSDFolder(t *testing.T) {
	opts := Options{InputFormat: "ssd", AsOf: "2024-12-31", Editions: []string{"2023"}}
	without := func(table string) []File {
		var out []File
		for _, f := range readFolder(t, ssdDir) {
			if !strings.HasSuffix(f.Name, "/"+table) {
				out = append(out, f)
			}
		}
		return out
	}
	_, err := Run(opts, without("ssd_person.csv"), nil)
	if want := "open ssd folder ssd-sample: no ssd_person.csv: every case is built from these tables"; err == nil || err.Error() != want {
		t.Errorf("without ssd_person: %v, want %s", err, want)
	}
	res, err := Run(opts, without("ssd_cp_visits.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ssd-sample has no ssd_cp_visits: its facts are read as not recordable, so cp-visit-interval gives insufficient_data"}
	if got := res.Page().Notes; !slices.Equal(got, want) {
		t.Errorf("notes %q, want %q", got, want)
	}
	if s := pageSummary(t, res); s.Cases != 8 || s.RecordsRead != 8 {
		t.Errorf("%d cases of %d records, want 8 of 8", s.Cases, s.RecordsRead)
	}
	if _, err := Run(opts, []File{{Name: "ssd/deeper/ssd_person.csv"}}, nil); err == nil ||
		err.Error() != "nothing to check: ssd has no file at its top level, where a folder of SSD tables has them (ssd_person.csv, …)" {
		t.Errorf("a folder with nothing at its top: %v", err)
	}
}

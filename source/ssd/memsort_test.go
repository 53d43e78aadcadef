package ssd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source/ssd"
)

// TestSortInMemory: tables not ordered by person that fit in the sort budget are sorted in
// memory, with no temporary file (a browser build has no file system to write one to), and
// read as the quirks golden file says; past the budget the runs spill, and a temporary folder
// that cannot be written is an error naming the table, not a crash.
func TestSortInMemory(t *testing.T) {
	quirks := os.DirFS(filepath.Join("testdata", "quirks"))
	nowhere := filepath.Join(t.TempDir(), "no such folder")
	r, err := ssd.OpenFS(quirks, "quirks", ssd.Options{ExtractDate: record.MustDate("2024-06-30"), TempDir: nowhere})
	if err != nil {
		t.Fatalf("sorted in memory: %v", err)
	}
	var got strings.Builder
	for _, rec := range readAll(t, r) {
		got.WriteString(describe(rec))
	}
	want, err := os.ReadFile(filepath.Join("testdata", "quirks.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("sorted in memory, got:\n%s\nwant:\n%s", got.String(), want)
	}

	_, err = ssd.OpenFS(quirks, "quirks", ssd.Options{ExtractDate: record.MustDate("2024-06-30"), TempDir: nowhere, SortMemory: 300})
	if err == nil || !strings.HasPrefix(err.Error(), "sort ssd_") || !strings.Contains(err.Error(), "no such folder") {
		t.Errorf("runs to a folder that is not there: %v, want an error naming the table and the folder", err)
	}
}

// TestMissingNote words the note on missing optional tables for no rule, one rule and several.
func TestMissingNote(t *testing.T) {
	r := &ssd.Reader{Missing: []string{"ssd_cp_visits", "ssd_cp_reviews"}}
	for _, tc := range []struct {
		rules []string
		want  string
	}{
		{nil, "exports has no ssd_cp_visits, ssd_cp_reviews: its facts are read as not recordable, no rule needs them"},
		{[]string{"cp-visit-interval"}, "exports has no ssd_cp_visits, ssd_cp_reviews: its facts are read as not recordable, so cp-visit-interval gives insufficient_data"},
		{[]string{"cp-visit-interval", "review-interval"}, "exports has no ssd_cp_visits, ssd_cp_reviews: its facts are read as not recordable, so cp-visit-interval, review-interval give insufficient_data"},
	} {
		if got := r.MissingNote("exports", tc.rules); got != tc.want {
			t.Errorf("rules %v:\ngot  %s\nwant %s", tc.rules, got, tc.want)
		}
	}
}

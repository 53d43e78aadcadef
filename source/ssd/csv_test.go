package ssd_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/source/ssd"
)

// describe writes a record as the tests compare it: its place, id, error, warnings, due
// dates and case, one per line.
func describe(rec ssd.Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s\n", rec.Index, rec.PersonID)
	if rec.Err != nil {
		fmt.Fprintf(&b, "  error: %s\n", strings.ReplaceAll(rec.Err.Error(), "\n", "\n  error: "))
	}
	for _, w := range rec.Warnings {
		fmt.Fprintf(&b, "  warning: %s %s\n", w.Path, w.Warning)
	}
	for _, d := range rec.Due {
		fmt.Fprintf(&b, "  due: %s %s %s (%s)\n", d.Rule, d.Subject, d.Due, d.Where)
	}
	if rec.Case != nil {
		j, _ := json.Marshal(rec.Case)
		fmt.Fprintf(&b, "  case: %s\n", j)
	}
	return b.String()
}

// TestQuirksOfRealExtracts reads testdata/quirks, synthetic rows with what SQL Server
// exports do: a byte order mark, CRLF lines, semicolon and tab separators, NULL as text,
// 1900-01-01 for no date, datetimes with times and milliseconds, a day-first date, columns
// in another order and columns the source does not read, outcome JSON in both deployments'
// spellings and one that is not JSON, tables not ordered by person (sorted on disk, in runs
// of a few rows), and no ssd_disability.csv. And the located errors: a row of no person, a
// duplicate person, a date that is not a date, a referral id that names no referral, a row
// with too many fields. Every person is accounted for; the others are checked.
func TestQuirksOfRealExtracts(t *testing.T) {
	r, err := ssd.OpenDir(filepath.Join("testdata", "quirks"), ssd.Options{ExtractDate: checker.MustDate("2024-06-30"), SortMemory: 300})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(r.Missing, ",") != "ssd_disability" {
		t.Fatalf("missing %v", r.Missing)
	}
	var got strings.Builder
	for _, rec := range readAll(t, r) {
		got.WriteString(describe(rec))
	}
	golden := filepath.Join("testdata", "quirks.golden")
	if os.Getenv("WTCHECK_UPDATE") == "1" {
		os.WriteFile(golden, []byte(got.String()), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Fatalf("got:\n%s\nwant:\n%s", got.String(), want)
	}
}

package ssd_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
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
	r, err := ssd.OpenDir(filepath.Join("testdata", "quirks"), ssd.Options{ExtractDate: record.MustDate("2024-06-30"), SortMemory: 300})
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

// TestSqlcmdExport reads tables as `sqlcmd -W -s "|"` writes them: a line of dashes under the
// header, nothing quoted (so the outcome JSON's quotes stand bare), NULL as text; and with
// only the two required tables, every other table's facts lacking.
func TestSqlcmdExport(t *testing.T) {
	r, err := ssd.OpenDir(filepath.Join("testdata", "sqlcmd"), ssd.Options{ExtractDate: record.MustDate("2024-06-30")})
	if err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, r)
	if len(recs) != 1 || recs[0].Err != nil {
		t.Fatalf("%+v", recs)
	}
	c := recs[0].Case
	j, _ := json.Marshal(c.Referrals)
	want := `[{"id":"R-1","received":"2024-01-02","decision":null,"source":"5A","outcome":"assessment","closed":null,"assessments":[],"strategy_discussions":[],"s47_enquiries":[],"conferences":[],"plans":[],"housing_referral":null,"housing_referral_refused":false,"homeless":false,"early_help_considered":null}]`
	if string(j) != want || c.Child.BirthDate.String() != "2015-06-01" {
		t.Fatalf("got %s, born %s", j, c.Child.BirthDate)
	}
	lacks := strings.Join(c.Provenance.Lacks, ",")
	for _, l := range []string{"child.disabled", "assessments", "s47_enquiries", "strategy_discussions", "conferences", "plans", "plans.visits"} {
		if !strings.Contains(","+lacks+",", ","+l+",") {
			t.Errorf("lacks %s; want %s among them", lacks, l)
		}
	}
}

// TestFolderErrors covers what stops a folder before anything is checked.
func TestFolderErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := ssd.OpenDir(dir, ssd.Options{})
	if err == nil || err.Error() != "open ssd folder "+dir+": no ssd_person.csv or ssd_cin_episodes.csv: every case is built from these tables" {
		t.Errorf("an empty folder: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "ssd_person.csv"), []byte("pers_person_id,pers_dob\nP-1,2015-06-01\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "SSD_CIN_EPISODES.CSV"), []byte("cine_referral_id,cine_person_id\n"), 0o644)
	_, err = ssd.OpenDir(dir, ssd.Options{})
	if err == nil || err.Error() != "read ssd_person.csv: the header has no column pers_expected_dob (the SSD's column names are read, in any order)" {
		t.Errorf("a missing column: %v", err)
	}
	_, err = ssd.OpenDir(filepath.Join(dir, "ssd_person.csv"), ssd.Options{})
	if err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("a file: %v", err)
	}
}

// TestSystemDueDates sets the system's own due dates of testdata/quirks beside the ones the
// rules compute: the initial conference's target is a day before the 15 working days from
// the enquiry's start (a disagreement, in every edition); the reviews' due dates agree.
func TestSystemDueDates(t *testing.T) {
	r, err := ssd.OpenDir(filepath.Join("testdata", "quirks"), ssd.Options{ExtractDate: record.MustDate("2024-06-30")})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := rules.Engine("2018", "2023")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range readAll(t, r) {
		if rec.Case == nil {
			continue
		}
		findings, _ := engine.Check(rec.Case, record.Date{})
		for _, d := range checker.CompareDue(rec.PersonID, rec.Due, findings) {
			got = append(got, fmt.Sprintf("%s %s %s %s: system %s, guidance %s (%+d days) at %s", d.CaseID, d.Edition, d.Rule, d.Subject, d.SystemDue, d.Due, d.Days, d.Where))
		}
	}
	want := []string{
		"P-1 2018 icpc-timeliness S-10: system 2024-01-24, guidance 2024-01-25 (-1 days) at ssd_initial_cp_conference row K-10, icpc_icpc_target_date",
		"P-1 2023 icpc-timeliness S-10: system 2024-01-24, guidance 2024-01-25 (-1 days) at ssd_initial_cp_conference row K-10, icpc_icpc_target_date",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

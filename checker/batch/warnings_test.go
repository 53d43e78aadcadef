package batch

import (
	"slices"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// upper is a stand-in redactor: it rewrites case ids so a test can see which entries were
// redacted, and leaves files as they are.
type upper struct{}

func (upper) File(path string, _ int) string { return path }
func (u upper) Record(string, int, string, *record.Case, record.Date) EntryRedactor {
	return u
}

func (upper) Finding(f *checker.Finding)         { f.CaseID = "X-" + f.CaseID }
func (upper) RecordError(e *checker.RecordError) { e.CaseID = "X-" + e.CaseID }
func (upper) NotCovered(n *checker.NotCovered)   { n.CaseID = "X-" + n.CaseID }
func (upper) Warning(w *checker.RecordWarning)   { w.CaseID = "X-" + w.CaseID }

// TestFutureDatedEventIsAWarning: a review conference booked after the extract date no longer
// loses the case. The record is checked as it stood on its extract date, with one warning
// naming file, record, case and path; a record skipped for an error gets no warning; records
// read = checked + skipped.
func TestFutureDatedEventIsAWarning(t *testing.T) {
	engine := testEngine(t)
	root := t.TempDir()
	booked := `{"case_id":"C-1","extract_date":"2023-09-30","referrals":[{"id":"R1","received":"2023-09-04","decision":"2023-09-05",` +
		`"strategy_discussions":[{"id":"SD1","date":"2023-09-05"}],` +
		`"s47_enquiries":[{"id":"S1","strategy_discussion_id":"SD1","started":"2023-09-05","outcome":"icpc"}],` +
		`"conferences":[{"id":"K1","kind":"initial","s47_id":"S1","date":"2023-09-20","outcome":"plan"},` +
		`{"id":"K2","kind":"review","plan_id":"P1","date":"2023-12-14","outcome":"continue"}],` +
		`"plans":[{"id":"P1","kind":"child_protection","started":"2023-09-20"}]}]}`
	broken := `{"case_id":"C-2","extract_date":"2023-09-30","child":{"birth_date":"2019-02-30"},"referrals":[{"id":"R1","received":"2023-09-04","decision":"2023-10-05"}]}`
	file := writeFile(t, root, "a.ndjson", []byte(booked+"\n"+broken+"\n"+rec("C-3")+"\n"))
	opts := checkOptions()
	opts.Redact = upper{}
	report, err := Check(engine, &Reader{}, []string{file}, opts)
	if err != nil {
		t.Fatal(err)
	}
	s := report.Summary
	if s.RecordsRead != 3 || s.Cases != 2 || s.RecordsSkipped != 1 || s.RecordsRead != s.Cases+s.RecordsSkipped {
		t.Errorf("read %d, checked %d, skipped %d: want 3 = 2 + 1", s.RecordsRead, s.Cases, s.RecordsSkipped)
	}
	want := []checker.RecordWarning{{File: file, Record: 1, CaseID: "X-C-1", Path: "referrals[0].conferences[1].date",
		Warning: "is after the extract date: counted as not yet happened"}}
	if !slices.Equal(report.Warnings, want) || s.Warnings != 1 {
		t.Errorf("warnings %+v (summary %d), want %+v", report.Warnings, s.Warnings, want)
	}
	// As it stood on its extract date, the first review (due 2023-12-20) is not held yet.
	var review *checker.Finding
	for f := range report.Listed() {
		if f.Rule == "first-review-timeliness" && f.CaseID == "X-C-1" {
			review = f
		}
	}
	if review == nil || review.Status != checker.StatusPending || !review.Done.IsZero() {
		t.Errorf("first review: %+v, want pending with nothing done", review)
	}
	if checker.ExitCode(0, s, false) != checker.ExitOK || checker.ExitCode(0, s, true) != checker.ExitFailed {
		t.Errorf("warnings only: exit %d, strict %d; want 0 and 1", checker.ExitCode(0, s, false), checker.ExitCode(0, s, true))
	}
}

// TestAsOfAfterExtractDate: a check as at a day after records' extract dates says so once
// for the run, counting the records, instead of once per record; a future-dated event still
// counts as not yet happened, so the review booked after the export is overdue.
func TestAsOfAfterExtractDate(t *testing.T) {
	engine := testEngine(t)
	root := t.TempDir()
	r := func(id, extract string) string {
		return `{"case_id":"` + id + `","extract_date":"` + extract + `","referrals":[{"id":"R1","received":"2023-09-04","decision":"2023-09-05",` +
			`"strategy_discussions":[{"id":"SD1","date":"2023-09-05"}],` +
			`"s47_enquiries":[{"id":"S1","strategy_discussion_id":"SD1","started":"2023-09-05","outcome":"icpc"}],` +
			`"conferences":[{"id":"K1","kind":"initial","s47_id":"S1","date":"2023-09-20","outcome":"plan"},` +
			`{"id":"K2","kind":"review","plan_id":"P1","date":"2023-12-14","outcome":"continue"}],` +
			`"plans":[{"id":"P1","kind":"child_protection","started":"2023-09-20"}]}]}`
	}
	file := writeFile(t, root, "a.ndjson", []byte(r("C-1", "2023-09-30")+"\n"+r("C-2", "2023-10-31")+"\n"+r("C-3", "2024-06-30")+"\n"))
	opts := checkOptions()
	opts.AsOf = record.MustDate("2024-03-31")
	report, err := Check(engine, &Reader{}, []string{file}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Warnings) != 3 || report.Summary.Warnings != 3 {
		t.Fatalf("warnings %+v, want the run's and C-1's and C-2's booked review", report.Warnings)
	}
	run := checker.RecordWarning{Warning: "--as-of 2024-03-31 is after the extract date of 2 records (2023-09-30 to 2023-10-31): " +
		"each is judged 152 days or more after its export, as if nothing had happened since"}
	if report.Warnings[0] != run {
		t.Errorf("first warning %+v, want %+v", report.Warnings[0], run)
	}
	for i, id := range []string{"C-1", "C-2"} {
		if w := report.Warnings[i+1]; w.CaseID != id || w.Path != "referrals[0].conferences[1].date" {
			t.Errorf("warning %d: %+v, want %s's review", i+1, w, id)
		}
	}
	status := map[string]checker.Status{}
	for f := range report.Listed() {
		if f.Rule == "first-review-timeliness" {
			status[f.CaseID] = f.Status
		}
	}
	// C-1 and C-2 were exported before the review they had booked: it is not in them, and by
	// 2024-03-31 it is overdue. C-3 was exported after it was held: met.
	want := map[string]checker.Status{"C-1": checker.StatusBreach, "C-2": checker.StatusBreach, "C-3": checker.StatusMet}
	for id, st := range want {
		if status[id] != st {
			t.Errorf("%s first review %s, want %s", id, status[id], st)
		}
	}
	if !strings.Contains(report.Warnings[0].Warning, "2 records") {
		t.Errorf("the run's warning does not count the records: %q", report.Warnings[0].Warning)
	}
}

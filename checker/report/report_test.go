package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func intp(n int) *int { return &n }

// sampleReport has one finding of each kind a writer must render: a late breach, an overdue
// breach, a warning, a pending deadline due soon, a met assertion, a record error, and two
// data warnings (one about a record, one about the run).
func sampleReport() *checker.Report {
	d := record.MustDate
	return &checker.Report{
		Tool:  checker.Tool{Name: "wtcheck", Version: "test"},
		AsOf:  d("2024-03-31"),
		Packs: []checker.PackInfo{{ID: "wt2018", Edition: "2018", Version: "0.1.0"}},
		Summary: checker.Summary{RecordsRead: 3, Cases: 2, RecordsSkipped: 1, Warnings: 2,
			Findings: map[checker.Status]int{"breach": 3, "pending": 1, "met": 1, "not_applicable": 0, "insufficient_data": 0}},
		Findings: checker.FindingSlice{
			{CaseID: "C-1", Edition: "2018", Rule: "icpc-timeliness", Subject: "S1", Referral: "R1", Status: "breach", Severity: "breach",
				Start: d("2024-01-04"), Due: d("2024-01-25"), Done: d("2024-01-29"), LateWorkingDays: intp(2), LateDays: intp(4),
				Message:  "Initial child protection conference held 17 working days after the strategy discussion (limit 15)",
				Citation: "Working Together to Safeguard Children 2018, chapter 1 (Initial child protection conferences)",
				File:     "extracts/cases.ndjson", Record: 1},
			{CaseID: "C-1", Edition: "2018", Rule: "s47-child-seen", Subject: "S1", Referral: "R1", Status: "met", Severity: "breach",
				Message: "The child is seen during section 47 enquiries: met", Citation: "Working Together to Safeguard Children 2018, chapter 1"},
			{CaseID: "C-2", Edition: "2018", Rule: "assessment-timeliness", Subject: "A1", Referral: "R1", Status: "breach", Severity: "breach",
				Start: d("2024-01-02"), Due: d("2024-03-05"), LateWorkingDays: intp(18), LateDays: intp(26),
				Message:  "Assessment concluded within 45 working days of the referral: not done, 18 working days overdue at 2024-03-31; due by 2024-03-05",
				Citation: "Working Together to Safeguard Children 2018, chapter 1 (Timeliness)",
				File:     "extracts/cases.ndjson", Record: 3, Team: "Assessment Team 1"},
			{CaseID: "C-2", Edition: "2018", Rule: "conference-chair-independent", Subject: "K1", Referral: "R1", Status: "breach", Severity: "warning",
				Message: "Conference chaired independently: not met", Citation: "Working Together to Safeguard Children 2018, chapter 1"},
			{CaseID: "C-2", Edition: "2018", Rule: "referral-decision-timeliness", Subject: "R2", Referral: "R2", Status: "pending", Severity: "breach",
				Start: d("2024-03-28"), Due: d("2024-04-02"), WorkingDaysLeft: intp(1), DueSoon: true,
				Message:  "Decision on the type of response within one working day of the referral: due by 2024-04-02, 1 working day left",
				Citation: "Working Together to Safeguard Children 2018, chapter 1"},
		},
		Errors: []checker.RecordError{{File: "cases.ndjson", Record: 2, CaseID: "C-9", Error: "referrals[0].received is not a real calendar date (YYYY-MM-DD)"}},
		Warnings: []checker.RecordWarning{
			{Warning: "--as-of 2024-03-31 is after the extract date of 1 record (2024-03-28): it is judged 3 days or more after its export, as if nothing had happened since"},
			{File: "extracts/cases.ndjson", Record: 3, CaseID: "C-2", Path: "referrals[0].conferences[1].date", Warning: record.FutureDatedWarning},
		},
		Rules: []checker.RuleInfo{
			{Pack: "wt2018", Edition: "2018", ID: "icpc-timeliness", Title: "Initial child protection conference within 15 working days of the strategy discussion",
				Description: "The initial conference is held within 15 working days.", Severity: "breach", Citation: "Working Together to Safeguard Children 2018, chapter 1 (Initial child protection conferences)"},
			{Pack: "wt2018", Edition: "2018", ID: "s47-child-seen", Title: "The child is seen", Description: "The child is seen.", Severity: "breach", Citation: "Working Together to Safeguard Children 2018, chapter 1"},
			{Pack: "wt2018", Edition: "2018", ID: "assessment-timeliness", Title: "Assessment within 45 working days", Description: "Within 45 working days.", Severity: "breach", Citation: "Working Together to Safeguard Children 2018, chapter 1 (Timeliness)"},
			{Pack: "wt2018", Edition: "2018", ID: "conference-chair-independent", Title: "Independent chair", Description: "Chaired independently.", Severity: "warning", Citation: "Working Together to Safeguard Children 2018, chapter 1"},
			{Pack: "wt2018", Edition: "2018", ID: "referral-decision-timeliness", Title: "Decision within one working day", Description: "Within one working day.", Severity: "breach", Citation: "Working Together to Safeguard Children 2018, chapter 1"},
		},
	}
}

func TestWritersGolden(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			w, err := Lookup(format)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := w(&buf, sampleReport()); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "sample."+format)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if buf.String() != string(want) {
				t.Errorf("%s output differs from %s:\n%s", format, golden, buf.String())
			}
		})
	}
}

// TestJSONFollowsTheFindingsFormat parses the JSON output and checks the keys the findings
// format names, so that a renamed field cannot slip through as a golden-file update.
func TestJSONFollowsTheFindingsFormat(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"tool", "as_of", "packs", "summary", "findings", "errors"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("report lacks %q", key)
		}
	}
	summary := doc["summary"].(map[string]any)
	for _, key := range []string{"records_read", "cases", "records_skipped", "findings"} {
		if _, ok := summary[key]; !ok {
			t.Errorf("summary lacks %q", key)
		}
	}
	first := doc["findings"].([]any)[0].(map[string]any)
	for _, key := range []string{"case_id", "edition", "rule", "subject", "status", "severity", "start", "due", "done", "late_working_days", "late_days", "message", "citation"} {
		if _, ok := first[key]; !ok {
			t.Errorf("finding lacks %q", key)
		}
	}
	met := doc["findings"].([]any)[1].(map[string]any)
	for _, key := range []string{"start", "due", "done", "late_working_days"} {
		if _, ok := met[key]; ok {
			t.Errorf("an assertion finding has %q", key)
		}
	}
	e := doc["errors"].([]any)[0].(map[string]any)
	if e["file"] != "cases.ndjson" || e["record"] != float64(2) || e["case_id"] != "C-9" {
		t.Errorf("error entry = %v", e)
	}
}

func TestNDJSONIsOneFindingALine(t *testing.T) {
	var buf bytes.Buffer
	if err := NDJSON(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := sampleReport().Findings.(checker.FindingSlice)
	if len(lines) != len(want) {
		t.Fatalf("%d lines for %d findings", len(lines), len(want))
	}
	for i, l := range lines {
		var f checker.Finding
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if f.CaseID != want[i].CaseID || f.Rule != want[i].Rule {
			t.Errorf("line %d is %s/%s", i+1, f.CaseID, f.Rule)
		}
	}
}

func TestLookupUnknownFormat(t *testing.T) {
	if _, err := Lookup("pdf"); err == nil || !strings.Contains(err.Error(), "csv, github, gitlab, json, junit, markdown, ndjson, sarif, text") {
		t.Errorf("Lookup(pdf) error = %v", err)
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/wtcheck/wtcheck/checker/report"
)

// notCoveredBatch is two records: a referral of 2009, before the 2010 edition came in (the
// only kind no pack covers), and one of 2024 with a late decision.
const notCoveredBatch = `{"case_id":"C-NC-2009","extract_date":"2024-06-28","referrals":[{"id":"R1","received":"2009-06-01","decision":"2009-06-02"}]}
{"case_id":"C-NC-2024","extract_date":"2024-06-28","referrals":[{"id":"R1","received":"2024-03-01","decision":"2024-03-05"}]}
`

// TestNotCoveredInEveryFormat: with --edition in-force, a referral received when no pack was
// in force is said to be not covered in every output format, and --strict fails on it.
func TestNotCoveredInEveryFormat(t *testing.T) {
	dir := t.TempDir()
	batch := filepath.Join(dir, "cases.ndjson")
	if err := os.WriteFile(batch, []byte(notCoveredBatch), 0o644); err != nil {
		t.Fatal(err)
	}
	const why = "received 2009-06-01, when no loaded pack was in force: not checked"
	// What each format must say about C-NC-2009's R1 (stdout, or the file with -o).
	want := map[string][]string{
		"text":     {"Not covered: 1 referral received when no loaded pack was in force, not checked:\n  C-NC-2009 R1, received 2009-06-01", "(2 records read, 0 skipped, 1 referral not covered)"},
		"json":     {`"referrals_not_covered": 1`, `"not_covered": [` + "\n" + `    {` + "\n" + `      "case_id": "C-NC-2009",` + "\n" + `      "referral": "R1",` + "\n" + `      "received": "2009-06-01"`},
		"ndjson":   {},
		"csv":      {"C-NC-2009,,,R1,R1,not_covered,,2009-06-01,,,,,,false,,\"" + why + "\",,,,\r\n"},
		"markdown": {"1 referral not covered", "**Not covered**: 1 referral received when no loaded pack was in force, not checked: C-NC-2009 R1 (2009-06-01)."},
		"junit":    {`<testsuite name="Not covered: no loaded pack in force" tests="1" failures="0" skipped="1">`, `<testcase name="R1" classname="C-NC-2009" time="0">`, `<skipped message="` + why + `"></skipped>`},
		"sarif":    {`"toolExecutionNotifications": [`, `"text": "C-NC-2009 R1: ` + why + `"`, `"status": "not_covered"`},
		"github":   {"::warning file=" + strings.ReplaceAll(batch, ":", "%3A") + ",line=1,title=wtcheck%3A referral not covered::C-NC-2009 R1: " + why, "1 referral not covered"},
		"gitlab":   {`"description": "C-NC-2009 R1: ` + why + `"`, `"check_name": "not-covered"`},
		"html":     {`id="not-covered"`, "C-NC-2009", "referrals not covered"},
	}
	for _, format := range append(report.Formats(), "html") {
		t.Run(format, func(t *testing.T) {
			says, ok := want[format]
			if !ok {
				t.Fatalf("no expectation for the format %s", format)
			}
			out := filepath.Join(dir, "report."+format)
			code, _, stderr := run(t, "", "check", "--edition", "in-force", "--format", format, "--fail-on", "none", "-o", out, batch)
			if code != 0 {
				t.Fatalf("exit %d with --fail-on none; stderr %s", code, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range says {
				if !strings.Contains(string(data), s) {
					t.Errorf("%s report lacks %q:\n%s", format, s, data)
				}
			}
			// The summary line on standard error says so too (for ndjson, the only place).
			if !strings.Contains(stderr, "(2 records read, 0 skipped, 1 referral not covered)") {
				t.Errorf("stderr summary lacks the referral not covered: %s", stderr)
			}
			if format == "html" {
				return // the audit formats' exit codes are issue 11's (they give 0 today, even with breaches)
			}
			if code, _, _ := run(t, "", "check", "--edition", "in-force", "--format", format, "--fail-on", "none", "--strict", "-o", out, batch); code != 1 {
				t.Errorf("--strict: exit %d, want 1", code)
			}
		})
	}

	// The workbook: a row in Summary and a sheet listing the referral.
	xlsx := filepath.Join(dir, "report.xlsx")
	if code, _, stderr := run(t, "", "report", "--edition", "in-force", "--format", "xlsx", "-o", xlsx, batch); code > 1 {
		t.Fatalf("xlsx: exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) == 2 && strings.HasPrefix(r[0], "Referrals not covered") && r[1] == "1" {
			found = true
		}
	}
	if !found {
		t.Errorf("Summary sheet has no row of referrals not covered: %v", rows)
	}
	nc, err := f.GetRows("Not covered")
	if err != nil || len(nc) != 2 || strings.Join(nc[1], "|") != "C-NC-2009|R1|2009-06-01|"+why {
		t.Errorf("Not covered sheet = %v, %v", nc, err)
	}

	// Without --strict a referral not covered does not fail the check; the 2024 decision,
	// one working day late under wt2023, does.
	if code, _, _ := run(t, "", "check", "--edition", "in-force", batch); code != 1 {
		t.Errorf("exit %d, want 1 for the late decision", code)
	}
	var rep struct {
		Findings []struct{ CaseID, Edition, Rule, Status string } `json:"findings"`
	}
	_, out, _ := run(t, "", "check", "--edition", "in-force", "--format", "json", batch)
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.CaseID == "C-NC-2009" {
			t.Errorf("the 2009 referral was checked: %+v", f)
		}
	}
}

// TestVersionNamesEditionsAndLastPublishedYear: version lists the six packs with their
// in-force dates and the bank-holiday years published and projected.
func TestVersionNamesEditionsAndLastPublishedYear(t *testing.T) {
	code, out, _ := run(t, "", "version")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"pack wt2010 0.1.0: Working Together to Safeguard Children 2010, in force 2010-04-01 to 2013-04-14, 25 rules",
		"pack wt2013 0.1.0: Working Together to Safeguard Children 2013, in force 2013-04-15 to 2015-03-25, 25 rules",
		"pack wt2015 0.1.0: Working Together to Safeguard Children 2015, in force 2015-03-26 to 2018-07-03, 25 rules",
		"pack wt2026 0.1.0: Working Together to Safeguard Children 2026, in force 2026-03-18 to now, 28 rules",
		"bank holidays: England and Wales, published 2000 to 2027 (the last published year); from 2028 projected by rule\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("version lacks %q:\n%s", want, out)
		}
	}
}

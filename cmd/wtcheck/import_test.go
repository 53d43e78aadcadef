package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	censusFull = "../../source/cincensus/testdata/full.xml"
	sharedFake = "../../../shared/data/cin-census/fake_CIN_data.xml"
	sharedLiia = "../../../shared/data/annex-a/annex-a-sample-liia-tools.xlsx"
	sharedDfE  = "../../../shared/data/cin-census/CIN_Census_2024.xml"
)

func needShared(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared data not beside the repository: %v", err)
	}
}

// censusReport is what the census tests read of a JSON report.
type censusReport struct {
	Summary struct {
		RecordsRead    int `json:"records_read"`
		Cases          int
		RecordsSkipped int `json:"records_skipped"`
		Warnings       int
	}
	Errors   []struct{ Error string }
	Warnings []struct {
		File, Path, Warning string
		CaseID              string `json:"case_id"`
		Record              int
	}
}

// TestCheckCensusAccountsForEveryChild: the large fake return has 332 children, of which 9
// have events after its reference date: every one is checked, as it stood on the reference
// date, with a warning for each such date (23) naming its element and line, never its value.
// Imported to case records and checked, the return gives the same findings.
func TestCheckCensusAccountsForEveryChild(t *testing.T) {
	needShared(t, sharedFake)
	code, out, stderr := run(t, "", "check", "--input-format", "cin-census", "--edition", "2018", "--format", "json", sharedFake)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep censusReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	s := rep.Summary
	if s.RecordsRead != 332 || s.Cases != 332 || s.RecordsSkipped != 0 || len(rep.Errors) != 0 || s.Warnings != 23 || len(rep.Warnings) != 23 {
		t.Errorf("summary %+v, %d errors, %d warnings; want 332 read and checked, 23 warnings", s, len(rep.Errors), len(rep.Warnings))
	}
	cases := map[string]bool{}
	for _, w := range rep.Warnings {
		cases[w.CaseID] = true
		if w.File != sharedFake || w.Record == 0 || !strings.HasPrefix(w.Path, "CINdetails[") ||
			!strings.HasSuffix(w.Warning, "is after the return's ReferenceDate: counted as not yet happened") || strings.Contains(w.Warning, "2022-") {
			t.Errorf("warning %+v", w)
		}
	}
	if len(cases) != 9 {
		t.Errorf("warnings for %d children, want the 9 with events after the reference date", len(cases))
	}
	if !strings.Contains(stderr, "cin-census records can be judged by 4 of the 19 rules of wt2018") ||
		!strings.Contains(stderr, "332 cases checked as at 2022-07-21 (332 records read, 0 skipped, 23 warnings)") {
		t.Errorf("summary or coverage line missing: %s", stderr)
	}
	if code, _, _ := run(t, "", "check", "--strict", "--input-format", "cin-census", "--edition", "2018", sharedFake); code != 1 {
		t.Errorf("--strict with warnings only: exit %d, want 1", code)
	}

	records := filepath.Join(t.TempDir(), "cases.ndjson")
	code, _, stderr = run(t, "", "import", "cin-census", sharedFake, "-o", records)
	if code != 0 || !strings.Contains(stderr, "332 records written, 0 skipped, 23 warnings") ||
		!strings.Contains(stderr, "wtcheck: warning: "+sharedFake+" record 92 (RND000319972816): CINdetails[1]/CINclosureDate on line 1962 is after the return's ReferenceDate") {
		t.Fatalf("import: exit %d, %s", code, stderr)
	}
	_, direct, _ := run(t, "", "check", "--input-format", "cin-census", "--edition", "2018", "--show", "all", "--format", "ndjson", sharedFake)
	_, viaFile, stderr := run(t, "", "check", "--edition", "2018", "--show", "all", "--format", "ndjson", records)
	if direct == "" || direct != viaFile {
		t.Errorf("findings differ between the return and its imported records")
	}
	if !strings.Contains(stderr, "332 cases checked as at 2022-07-21 (332 records read, 0 skipped, 23 warnings)") {
		t.Errorf("the imported records keep their dates after the reference date, and warn: %s", stderr)
	}
}

// TestCheckDfECensusExample: the DfE's own example return dates an assessment and a referral
// after its ReferenceDate; both children are checked, with warnings.
func TestCheckDfECensusExample(t *testing.T) {
	needShared(t, sharedDfE)
	code, out, stderr := run(t, "", "check", "--input-format", "cin-census", "--edition", "2023", "--format", "json", sharedDfE)
	if code > 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep censusReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if s := rep.Summary; s.RecordsRead != 2 || s.Cases != 2 || s.RecordsSkipped != 0 || s.Warnings != 4 {
		t.Errorf("summary %+v, want 2 children read and checked, 4 warnings", s)
	}
	var got []string
	for _, w := range rep.Warnings {
		got = append(got, w.CaseID+" "+w.Path+" "+w.Warning)
	}
	want := []string{
		"DfEX0000001 CINdetails[1]/Assessments[1]/AssessmentActualStartDate on line 42 is after the return's ReferenceDate: counted as not yet happened",
		"DfEX0000001 referrals[0].assessments[0].completed is before the assessment started",
		"child_fails_assessments CINdetails[1]/CINreferralDate on line 87 is after the return's ReferenceDate: counted as not yet happened",
		"child_fails_assessments CINdetails[1]/CINclosureDate on line 90 is after the return's ReferenceDate: counted as not yet happened",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckAnnexA(t *testing.T) {
	needShared(t, sharedLiia)
	if code, _, stderr := run(t, "", "check", "--input-format", "annex-a", sharedLiia); code != 2 || !strings.Contains(stderr, "give --as-of") {
		t.Errorf("without --as-of: exit %d, %s", code, stderr)
	}
	code, out, stderr := run(t, "", "check", "--input-format", "annex-a", "--as-of", "2021-03-31", "--edition", "2023", "--show", "all", "--format", "ndjson", sharedLiia)
	if code > 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Child 6537810: strategy discussion 16 September 2020 (List 5), initial conference on
	// 5 October 2020, 13 working days later: met.
	if !strings.Contains(out, `"case_id":"6537810","edition":"2023","rule":"icpc-timeliness","subject":"S1","referral":"R1","status":"met","severity":"breach","start":"2020-09-16","due":"2020-10-07","done":"2020-10-05"`) {
		t.Errorf("icpc-timeliness of 6537810 is not measured from the strategy discussion:\n%s", grepLines(out, "6537810"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestImportRoundTrip: importing to case records and checking them gives the same findings as
// checking the return directly, and no child is lost on the way.
func TestImportRoundTrip(t *testing.T) {
	records := filepath.Join(t.TempDir(), "cases.ndjson")
	code, _, stderr := run(t, "", "import", "cin-census", censusFull, "-o", records)
	if code != 0 || !strings.Contains(stderr, "imported 3 children from") || !strings.Contains(stderr, "3 records written, 0 skipped") {
		t.Fatalf("import: exit %d, %s", code, stderr)
	}
	_, direct, _ := run(t, "", "check", "--input-format", "cin-census", "--show", "all", "--format", "ndjson", censusFull)
	_, viaFile, _ := run(t, "", "check", "--show", "all", "--format", "ndjson", records)
	if direct == "" || direct != viaFile {
		t.Errorf("findings differ between the return and its imported records")
	}
}

func TestImportCoverageAndProxy(t *testing.T) {
	code, out, _ := run(t, "", "import", "--coverage", "cin-census", "--edition", "2023")
	if code != 0 || !strings.Contains(out, "decision ") || !strings.Contains(out, "wt2023  icpc-timeliness                 insufficient_data  strategy_discussions") ||
		!strings.Contains(out, "wt2023  assessment-timeliness           can be judged") {
		t.Errorf("coverage:\n%s", out)
	}
	_, out, _ = run(t, "", "import", "--coverage", "--s47-start-as-strategy-discussion", "cin-census", "--edition", "2023")
	if !strings.Contains(out, "wt2023  icpc-timeliness                 can be judged") {
		t.Errorf("with the proxy, icpc-timeliness should be judged:\n%s", out)
	}
	_, out, _ = run(t, "", "check", "--input-format", "cin-census", "--s47-start-as-strategy-discussion", "--edition", "2023", "--show", "all", "--format", "ndjson", censusFull)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(line, `"rule":"icpc-timeliness"`) && !strings.Contains(line, `"status":"not_applicable"`) && !strings.Contains(line, `"proxies":["strategy_discussions.date: section 47 start date`) {
			t.Errorf("an icpc-timeliness finding does not name its proxy: %s", line)
		}
	}
	if code, _, stderr := run(t, "", "check", "--s47-start-as-strategy-discussion", icpcLate); code != 2 || !strings.Contains(stderr, "goes with --input-format cin-census") {
		t.Errorf("proxy without the census: exit %d, %s", code, stderr)
	}
	if code, _, stderr := run(t, "", "import", "--coverage", "spreadsheet"); code != 2 || !strings.Contains(stderr, "unknown input format") {
		t.Errorf("unknown format: exit %d, %s", code, stderr)
	}
}

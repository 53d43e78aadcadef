package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	censusFull = "../../checker/importer/cincensus/testdata/full.xml"
	sharedFake = "../../../shared/data/cin-census/fake_CIN_data.xml"
	sharedLiia = "../../../shared/data/annex-a/annex-a-sample-liia-tools.xlsx"
)

func needShared(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared data not beside the repository: %v", err)
	}
}

// TestCheckCensusAccountsForEveryChild: the large fake return has 332 children, of which 9
// have events after its reference date: every one is accounted for.
func TestCheckCensusAccountsForEveryChild(t *testing.T) {
	needShared(t, sharedFake)
	code, out, stderr := run(t, "", "check", "--input-format", "cin-census", "--edition", "2018", "--format", "json", sharedFake)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Summary struct {
			RecordsRead    int `json:"records_read"`
			Cases          int
			RecordsSkipped int `json:"records_skipped"`
		}
		Errors []struct{ Error string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.RecordsRead != 332 || rep.Summary.Cases != 323 || rep.Summary.RecordsSkipped != 9 || len(rep.Errors) != 9 {
		t.Errorf("summary %+v, %d errors", rep.Summary, len(rep.Errors))
	}
	if !strings.Contains(stderr, "cin-census records can be judged by 4 of the 19 rules of wt2018") {
		t.Errorf("coverage line missing: %s", stderr)
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

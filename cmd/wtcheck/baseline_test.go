package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeBatch(t *testing.T, dir string, records ...string) string {
	t.Helper()
	path := filepath.Join(dir, "extract.ndjson")
	if err := os.WriteFile(path, []byte(strings.Join(records, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const (
	lateDecision  = `{"case_id":"C-1","extract_date":"2024-03-28","referrals":[{"id":"R1","received":"2024-03-01","decision":"2024-03-06","closed":"2024-03-20"}]}`
	fixedDecision = `{"case_id":"C-1","extract_date":"2024-03-28","referrals":[{"id":"R1","received":"2024-03-01","decision":"2024-03-04","closed":"2024-03-20"}]}`
	metDecision   = `{"case_id":"C-2","extract_date":"2024-03-28","referrals":[{"id":"R1","received":"2024-03-05","decision":"2024-03-06","closed":"2024-03-20"}]}`
	newLate       = `{"case_id":"C-2","extract_date":"2024-03-28","referrals":[{"id":"R1","received":"2024-03-05","decision":"2024-03-08","closed":"2024-03-20"}]}`
)

func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	baseline := filepath.Join(dir, "baseline.json")
	extract := writeBatch(t, dir, lateDecision, metDecision)
	code, _, stderr := run(t, "", "check", "--edition", "2023", "--write-baseline", baseline, extract)
	if code != 1 || !strings.Contains(stderr, "wrote 1 breach to the baseline") {
		t.Fatalf("writing the baseline: exit %d, %s", code, stderr)
	}
	data, err := os.ReadFile(baseline)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "2024-03-06") || !strings.Contains(string(data), `"rule": "referral-decision-timeliness"`) {
		t.Errorf("the baseline holds more than ids, or not the breach:\n%s", data)
	}

	// The same extract against its own baseline: nothing new.
	code, out, stderr := run(t, "", "check", "--edition", "2023", "--baseline", baseline, "--format", "json", extract)
	if code != 0 || !strings.Contains(stderr, "0 new breaches, 1 known not listed, 0 known no longer breached") {
		t.Errorf("same extract: exit %d, %s", code, stderr)
	}
	var rep struct {
		Findings []struct {
			CaseID string `json:"case_id"`
		}
		Baseline struct{ Suppressed, Fixed, New int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 || rep.Baseline.Suppressed != 1 {
		t.Errorf("same extract: %+v", rep)
	}

	// A new breach in another case: exactly that one is reported, and the check fails.
	extract = writeBatch(t, dir, lateDecision, newLate)
	code, out, stderr = run(t, "", "check", "--edition", "2023", "--baseline", baseline, "--format", "json", extract)
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if code != 1 || len(rep.Findings) != 1 || rep.Findings[0].CaseID != "C-2" || rep.Baseline.New != 1 || rep.Baseline.Suppressed != 1 {
		t.Errorf("new breach: exit %d, %+v, %s", code, rep, stderr)
	}

	// The known breach fixed instead: the check passes and says one is fixed.
	extract = writeBatch(t, dir, fixedDecision, metDecision)
	code, out, stderr = run(t, "", "check", "--edition", "2023", "--baseline", baseline, "--format", "json", extract)
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if code != 0 || rep.Baseline.Fixed != 1 || rep.Baseline.New != 0 || len(rep.Findings) != 0 {
		t.Errorf("fixed: exit %d, %+v, %s", code, rep, stderr)
	}
}

func TestBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "b.json")
	if err := os.WriteFile(bad, []byte(`{"format":"something/else","breaches":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "", "check", "--baseline", bad, icpcLate)
	if code != 2 || !strings.Contains(stderr, "want \"wtcheck/baseline/v2\"") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	code, _, stderr = run(t, "", "check", "--baseline", filepath.Join(dir, "missing.json"), icpcLate)
	if code != 2 || !strings.Contains(stderr, "missing.json") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

func TestFailOnLevelsAndMaxBreaches(t *testing.T) {
	// The sample has breaches of must rules (severity breach) and of should rules (warning).
	sample := "../../fixtures/sample/cases.ndjson"
	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"--fail-on", "breach"}, 1},
		{[]string{"--fail-on", "warning"}, 1},
		{[]string{"--fail-on", "info"}, 1},
		{[]string{"--fail-on", "none"}, 0},
		{[]string{"--max-breaches", "1000"}, 0},
		{[]string{"--max-breaches", "3"}, 1},
	} {
		code, _, stderr := run(t, "", append(append([]string{"check"}, tt.args...), sample)...)
		if code != tt.want {
			t.Errorf("%v: exit %d, want %d (%s)", tt.args, code, tt.want, stderr)
		}
	}
	// Only warnings: the 2010 strategy discussion agencies rule is a should. A record whose
	// only breach is a warning passes at the default level and fails at --fail-on warning.
	rec := `{"case_id":"C-W","extract_date":"2012-12-31","child":{"birth_date":"2005-01-01"},"referrals":[{"id":"R1","received":"2012-03-01","decision":"2012-03-01","closed":"2012-03-30","strategy_discussions":[{"id":"SD1","date":"2012-03-02","agencies":["social_care"]}]}]}`
	if code, _, _ := run(t, rec+"\n", "check", "--edition", "2010", "-"); code != 0 {
		t.Errorf("a warning failed at --fail-on breach: exit %d", code)
	}
	if code, _, _ := run(t, rec+"\n", "check", "--edition", "2010", "--fail-on", "warning", "-"); code != 1 {
		t.Errorf("a warning passed at --fail-on warning: exit %d", code)
	}
}

// Object ids repeat across referrals (the census importer numbers them per episode): a
// known breach of A1 in R1 must never hide a new breach of A1 in R2.
const (
	knownA1 = `{"case_id":"C-7","extract_date":"2024-09-30","referrals":[` +
		`{"id":"R1","received":"2024-01-02","decision":"2024-01-02","assessments":[{"id":"A1","kind":"single","started":"2024-01-03"}]}]}`
	knownA1NewA1 = `{"case_id":"C-7","extract_date":"2024-09-30","referrals":[` +
		`{"id":"R1","received":"2024-01-02","decision":"2024-01-02","assessments":[{"id":"A1","kind":"single","started":"2024-01-03"}]},` +
		`{"id":"R2","received":"2024-06-03","decision":"2024-06-03","assessments":[{"id":"A1","kind":"single","started":"2024-06-04"}]}]}`
)

type baselineFinding struct {
	CaseID          string `json:"case_id"`
	Referral        string `json:"referral"`
	Subject         string `json:"subject"`
	Status          string `json:"status"`
	LateWorkingDays int    `json:"late_working_days"`
}

func TestBaselineNeverHidesABreachOfTheSameIDInAnotherReferral(t *testing.T) {
	dir := t.TempDir()
	baseline := filepath.Join(dir, "baseline.json")
	code, _, stderr := run(t, "", "check", "--edition", "2023", "--write-baseline", baseline, writeBatch(t, dir, knownA1))
	if code != 1 || !strings.Contains(stderr, "wrote 1 breach to the baseline") {
		t.Fatalf("writing the baseline: exit %d, %s", code, stderr)
	}
	data, err := os.ReadFile(baseline)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"format": "wtcheck/baseline/v2"`) || !strings.Contains(string(data), `"referral": "R1"`) {
		t.Errorf("the baseline does not name the referral:\n%s", data)
	}

	code, out, stderr := run(t, "", "check", "--edition", "2023", "--baseline", baseline, "--format", "json", writeBatch(t, dir, knownA1NewA1))
	var rep struct {
		Findings []baselineFinding
		Baseline struct {
			Suppressed, Fixed, New int
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	want := []baselineFinding{{CaseID: "C-7", Referral: "R2", Subject: "A1", Status: "breach", LateWorkingDays: 39}}
	if code != 1 || len(rep.Findings) != 1 || rep.Findings[0] != want[0] || rep.Baseline.New != 1 || rep.Baseline.Suppressed != 1 {
		t.Errorf("a new breach of A1 in R2: exit %d, %+v, %s", code, rep, stderr)
	}
	if !strings.Contains(stderr, "baseline: 1 new breach, 1 known not listed, 0 known no longer breached") {
		t.Errorf("stderr: %s", stderr)
	}
}

// A baseline written before the referral was part of a finding's identity (v1) is read, but
// none of its entries hides a breach: every breach is listed and fails, with a message to
// write the baseline again.
func TestBaselineV1IsReadButHidesNothing(t *testing.T) {
	dir := t.TempDir()
	v1 := filepath.Join(dir, "v1.json")
	err := os.WriteFile(v1, []byte(`{"format": "wtcheck/baseline/v1", "as_of": "2024-03-31", "breaches": [
  {"case_id": "C-7", "edition": "2023", "rule": "assessment-timeliness", "subject": "A1"}]}`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, "", "check", "--edition", "2023", "--baseline", v1, "--format", "ndjson", writeBatch(t, dir, knownA1NewA1))
	if code != 1 || strings.Count(out, `"rule":"assessment-timeliness","subject":"A1"`) != 2 {
		t.Errorf("v1 baseline: exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{
		"baseline: 2 new breaches (a v1 baseline: none of its 1 known breach was used)",
		"is a wtcheck/baseline/v1 baseline, which leaves out the referral",
		"write the baseline again with --write-baseline",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// A known breach whose case is not in this run's batch is not "no longer breached": nothing
// is known of it.
func TestBaselineCountsCasesNotInTheBatchApart(t *testing.T) {
	dir := t.TempDir()
	baseline := filepath.Join(dir, "baseline.json")
	run(t, "", "check", "--edition", "2023", "--write-baseline", baseline, writeBatch(t, dir, lateDecision, knownA1))
	code, _, stderr := run(t, "", "check", "--edition", "2023", "--baseline", baseline, writeBatch(t, dir, fixedDecision))
	if code != 0 || !strings.Contains(stderr, "baseline: 0 new breaches, 0 known not listed, 1 known no longer breached, 1 known in cases not in this batch") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

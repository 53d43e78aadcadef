package main

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/ruledoc"
	"github.com/wtcheck/wtcheck/record"
)

func TestCompareEditionsOnOneAssessment(t *testing.T) {
	code, out, stderr := run(t, "", "compare", "--editions", "2010,2018,2023", "--format", "json", "../../fixtures/scenarios/editions-assessment")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var c compare.Comparison
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	diffs := c.Differences.Slice()
	if len(diffs) != 1 {
		t.Fatalf("differences = %+v", diffs)
	}
	d := diffs[0]
	want := "breach under 2010 (core-assessment-timeliness, 35 working days, due 2019-04-24); met under 2018 (assessment-timeliness, 45 working days, due 2019-05-09); met under 2023 (assessment-timeliness, 45 working days, due 2019-05-09)"
	if d.CaseID != "C-E1" || d.Subject != "A1" || d.Requirement != "assessment-timeliness" || d.Reason != want {
		t.Errorf("difference = %+v", d)
	}
	if got := c.OnlyIn["assessment-timeliness"]; strings.Join(got, ",") != "2018,2023" {
		t.Errorf("assessment-timeliness only in %v", got)
	}
	for _, row := range c.Rules {
		if row.Rule == "core-assessment-timeliness" {
			if cell := row.Cells["2010"]; cell.Breach != 1 || cell.Applicable != 1 || cell.Timescale != "35 working days" {
				t.Errorf("core assessment under 2010 = %+v", cell)
			}
			if row.Cells["2018"].Present {
				t.Error("2018 is said to have the core assessment rule")
			}
		}
	}
}

func TestCompareSampleRatesDifferBetweenEditions(t *testing.T) {
	code, out, stderr := run(t, "", "compare", "../../fixtures/sample")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"strategy-discussion-agencies     100% (12/12)   92% (11/12)",
		"C-0014 R1 SD1 strategy-discussion-agencies: met under 2010 (strategy-discussion-agencies); breach under 2013 (strategy-discussion-agencies); breach under 2015",
		// 2013's single assessment answers to 2010's initial assessment, as 2018's does.
		"C-0002 R1 A1 assessment-timeliness: breach under 2010 (initial-assessment-timeliness, 10 working days, due 2011-05-05); met under 2013 (assessment-timeliness, 45 working days, due 2011-06-24); met under 2015 (assessment-timeliness, 45 working days, due 2011-06-24); met under 2018",
		"assessment-timeliness: only 2013, 2015, 2018, 2023, 2026",
		"32 cases, 7 incidents and 2 areas' arrangements compared under 2010, 2013, 2015, 2018, 2023, 2026, in-force (44 records read, 3 skipped)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("comparison lacks %q:\n%s", want, out)
		}
	}
	// Every referral of the sample, 2010 to 2025, has an edition in force.
	if strings.Contains(out, "Not covered") {
		t.Errorf("the sample has referrals not covered:\n%s", out)
	}
	for _, format := range []string{"csv", "markdown"} {
		if code, out, _ := run(t, "", "compare", "--format", format, "../../fixtures/sample"); code != 0 || !strings.Contains(out, "strategy-discussion-agencies") {
			t.Errorf("%s comparison: exit %d\n%s", format, code, out)
		}
	}
	if code, _, stderr := run(t, "", "compare", "--editions", "2018", "../../fixtures/sample"); code != 2 || !strings.Contains(stderr, "two editions or more") {
		t.Errorf("one edition: exit %d, %s", code, stderr)
	}
}

// TestCompareDecodesOnce counts: every record is handed to the comparison once, with the
// findings of every edition, so a comparison of three editions is one pass, not three.
func TestCompareDecodesOnce(t *testing.T) {
	pf := &packFlags{editions: []string{"2010", "2018", "2023"}}
	engine, err := pf.engine()
	if err != nil {
		t.Fatal(err)
	}
	agg := compare.NewAggregator(engine.Packs, false, ruledoc.Timescale)
	var calls, threeEditions atomic.Int64
	rep, err := batch.Check(engine, &batch.Reader{}, []string{"../../fixtures/sample/cases.ndjson"}, batch.Options{
		Show: []checker.Status{}, Workers: 2,
		PerCase: func(c *record.Case, fs []checker.Finding) {
			calls.Add(1)
			editions := map[string]bool{}
			for _, f := range fs {
				editions[f.Edition] = true
			}
			if len(editions) == 3 {
				threeEditions.Add(1)
			}
			agg.Add(c, fs)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.RecordsRead != 32 || calls.Load() != 32 || threeEditions.Load() != 32 {
		t.Errorf("records read %d, cases handed over %d, of which with all three editions %d; want 32 each",
			rep.Summary.RecordsRead, calls.Load(), threeEditions.Load())
	}
}

func TestCheckInForceCoversEditionsByDate(t *testing.T) {
	code, out, _ := run(t, "", "check", "--edition", "in-force", "--show", "all", "--format", "ndjson", "../../fixtures/scenarios/in-force")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	editionOf := map[string]map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var f checker.Finding
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatal(err)
		}
		if editionOf[f.CaseID] == nil {
			editionOf[f.CaseID] = map[string]bool{}
		}
		editionOf[f.CaseID][f.Edition] = true
	}
	for caseID, want := range map[string]string{"C-IF-2011": "2010", "C-IF-2014": "2013", "C-IF-2015": "2015", "C-IF-2019": "2018",
		"C-IF-2024": "2023", "C-IF-2023": "2018", "C-IF-2026": "2026"} {
		if len(editionOf[caseID]) != 1 || !editionOf[caseID][want] {
			t.Errorf("%s checked under %v, want only %s", caseID, editionOf[caseID], want)
		}
	}
	if len(editionOf["C-IF-2009"]) != 0 {
		t.Errorf("the 2009 referral, before the 2010 edition, was checked under %v", editionOf["C-IF-2009"])
	}
	_, out, _ = run(t, "", "check", "--edition", "in-force", "../../fixtures/scenarios/in-force")
	if !strings.Contains(out, "Not covered: 1 referral received when no loaded pack was in force, not checked:\n  C-IF-2009 R1, received 2009-11-02") ||
		!strings.Contains(out, "1 referral not covered") {
		t.Errorf("not covered missing from the text report:\n%s", out)
	}
	if code, _, stderr := run(t, "", "check", "--edition", "in-force,2018", "../../fixtures/scenarios/in-force"); code != 2 || !strings.Contains(stderr, "give it alone") {
		t.Errorf("in-force with another edition: exit %d %s", code, stderr)
	}
}

func TestExplain(t *testing.T) {
	code, out, stderr := run(t, "", "explain", "--edition", "2018", "C-000123", icpcLate)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"  2024-01-04  R1   SD1   strategy discussion (social care, police, health)",
		"  2018 icpc-timeliness S1: from 2024-01-04, due 2024-01-25, 2024-01-29: breach",
		"Initial child protection conference held 17 working days after the strategy discussion (limit 15)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	if code, _, stderr := run(t, "", "explain", "C-NOPE", icpcLate); code != 2 || !strings.Contains(stderr, `no case, incident or area "C-NOPE"`) {
		t.Errorf("unknown case: exit %d %s", code, stderr)
	}
}

// By default each deadline is explained once, under the edition in force when its referral
// was received (2023 for a referral of January 2024), not once per shipped edition.
func TestExplainShowsEachDeadlineOncePerEditionCoveringTheReferral(t *testing.T) {
	code, out, stderr := run(t, "", "explain", "C-000123", icpcLate)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(out, "icpc-timeliness S1:"); n != 1 || !strings.Contains(out, "  2023 icpc-timeliness S1: from 2024-01-04, due 2024-01-25, 2024-01-29: breach") {
		t.Errorf("icpc-timeliness shown %d times:\n%s", n, out)
	}
	if strings.Contains(out, "  2010 ") || strings.Contains(out, "  2018 ") {
		t.Errorf("editions not in force for the referral are shown:\n%s", out)
	}
	// Editions asked for by name: once under each.
	_, out, _ = run(t, "", "explain", "--edition", "2018,2023", "C-000123", icpcLate)
	if n := strings.Count(out, "icpc-timeliness S1:"); n != 2 {
		t.Errorf("with two editions asked for, icpc-timeliness shown %d times", n)
	}
	// A 2011 referral: under 2010 alone.
	_, out, _ = run(t, "", "explain", "C-0002", "../../fixtures/sample")
	if strings.Count(out, "initial-assessment-timeliness A1:") != 1 || strings.Contains(out, "  2018 ") || strings.Contains(out, "  2023 ") {
		t.Errorf("C-0002 (a 2011 referral):\n%s", out)
	}
	// A referral no shipped pack was in force for is named, not silently left out.
	old := writeBatch(t, t.TempDir(), `{"case_id":"C-OLD","extract_date":"2009-12-31","referrals":[{"id":"R1","received":"2009-06-01","decision":"2009-06-03"}]}`)
	_, out, _ = run(t, "", "explain", "C-OLD", old)
	if !strings.Contains(out, "R1, received 2009-06-01: no loaded pack was in force then, so none of its deadlines is shown (give --edition to see them under one)") {
		t.Errorf("a referral no pack covers:\n%s", out)
	}
}

// TestCompareShowsIncidentsAndArrangementsSideBySide: the sample's incidents and its two
// areas' arrangements, under every edition: the LSCB's rules under 2010 to 2015, the
// safeguarding partners' from 2018, and the in-force column judging each incident by its aware
// day (INC-2019-004, of the transition before its area published, under 2015) and each part of
// an area's history by its edition's period.
func TestCompareShowsIncidentsAndArrangementsSideBySide(t *testing.T) {
	code, out, stderr := run(t, "", "compare", "../../fixtures/sample")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"\nscr-held                         100% (2/2)     100% (3/3)     100% (3/3)     n/a            n/a            n/a            100% (3/3)\n",
		"\nscr-timeliness                   33% (1/3)      33% (1/3)      33% (1/3)      n/a            n/a            n/a            33% (1/3)\n",
		"\nchild-death-reviewed             100% (2/2)     100% (2/2)     100% (2/2)     100% (2/2)     100% (2/2)     100% (2/2)     100% (2/2)\n",
		"\nlscb-annual-report               80% (8/10)     80% (8/10)     80% (8/10)     n/a            n/a            n/a            80% (8/10)\n",
		"\nserious-incident-notified        n/a            n/a            n/a            40% (2/5)      40% (2/5)      40% (2/5)      50% (1/2)\n",
		"\npartners-statutory-members       n/a            n/a            n/a            100% (2/2)     50% (1/2)      50% (1/2)      75% (3/4)\n",
		"\npartners-arrangements-published  n/a            n/a            n/a            50% (1/2)      n/a            n/a            50% (1/2)\n",
		"  partners-arrangements-published: only 2018\n",
		"  INC-2014-002 scr-held: not applicable under 2010 (scr-held); met under 2013 (scr-held); met under 2015 (scr-held)\n",
		"  INC-2024-006 child-death-reviewed: not applicable under 2010 (child-death-reviewed); not applicable under 2013 (child-death-reviewed); not applicable under 2015 (child-death-reviewed); pending under 2018 (child-death-reviewed); pending under 2023 (child-death-reviewed); pending under 2026 (child-death-reviewed)\n",
		"  E08000025 partners-statutory-members: met under 2018 (partners-statutory-members); breach under 2023 (partners-statutory-members); breach under 2026 (partners-statutory-members)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("comparison lacks %q:\n%s", want, out)
		}
	}
	// In JSON, a difference on an incident or an area names it, not a case.
	_, out, _ = run(t, "", "compare", "--format", "json", "../../fixtures/sample")
	var c compare.Comparison
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range c.Differences.Slice() {
		if d.IncidentID != "" || d.AreaID != "" {
			got = append(got, d.CaseID+"|"+d.IncidentID+"|"+d.AreaID+"|"+d.Subject+"|"+d.Requirement)
		}
	}
	want := "|INC-2014-002||INC-2014-002|scr-held,|INC-2024-006||INC-2024-006|child-death-reviewed,||E08000025|E08000025|partners-statutory-members"
	if strings.Join(got, ",") != want {
		t.Errorf("differences on incidents and areas: %v", got)
	}
}

// TestCompareSortMemoryKeepsTheReport: with --sort-memory small enough that the differences
// are written to disk in many runs, every format of the comparison is the same, byte for
// byte, as held in memory, with one worker or two. A --tmpdir that cannot hold them is an
// error (exit 2, no report), never a report short of differences.
func TestCompareSortMemoryKeepsTheReport(t *testing.T) {
	const sample = "../../fixtures/sample"
	for _, format := range []string{"text", "json", "markdown", "csv"} {
		code, want, stderr := run(t, "", "compare", "--format", format, sample)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		for _, workers := range []string{"1", "2"} {
			code, got, stderr := run(t, "", "compare", "--format", format, "--sort-memory", "1KiB", "--workers", workers, sample)
			if code != 0 || got != want {
				t.Errorf("%s, --sort-memory 1KiB --workers %s: exit %d, %s; report differs: %v", format, workers, code, stderr, got != want)
			}
		}
	}
	if !strings.Contains(mustRun(t, "compare", "--help"), "differences between editions held in memory") {
		t.Error("compare --help does not say what --sort-memory holds")
	}
	missing := t.TempDir() + "/missing"
	code, out, stderr := run(t, "", "compare", "--sort-memory", "1KiB", "--tmpdir", missing, sample)
	if code != 2 || out != "" || !strings.Contains(stderr, "sort differences on disk") {
		t.Errorf("--tmpdir %s: exit %d, output %q, stderr %q", missing, code, out, stderr)
	}
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, stderr := run(t, "", args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	return out
}

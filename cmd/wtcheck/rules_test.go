package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRulesDiffShowsTheEditionChanges(t *testing.T) {
	code, out, stderr := run(t, "", "rules", "diff", "2010", "2018")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"- initial-assessment-timeliness (removed): 10 working days",
		"- core-assessment-timeliness (removed): 35 working days",
		"+ assessment-timeliness (added): 45 working days",
		"pack: local arrangements\n    - Local Safeguarding Children Board (LSCB)",
		"+ safeguarding partners",
		"~ strategy-discussion-agencies assertion",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff lacks %q:\n%s", want, out)
		}
	}
	// 2026 keeps 2023's rules and timescales, citing them as not verified; family help is new.
	code, out, stderr = run(t, "", "rules", "diff", "2023", "2026")
	if code != 0 {
		t.Fatalf("diff 2023 2026: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"wt2023 → wt2026: 34 changes", // 33 with the incident rules; rules diff compares every field, so the description of early-help-considered counts too
		"  pack: in force\n    - 2023-12-15 to 2026-03-17\n    + 2026-03-18 to now",
		"  pack: note\n    - (none)\n    + The text of the 2026 edition was not verified. No case-level timescale is reported changed",
		"~ early-help-considered title\n    - Early help is considered for a child with an early-help indicator\n    + Family help (early help) is considered",
		"~ early-help-considered assertion\n    - referral.early_help_considered != null || referral.outcome == 'early_help'\n    + referral.early_help_considered != null || referral.outcome in ['early_help', 'family_help']",
		"~ icpc-timeliness citation\n    - chapter 3 (Section 3, child protection: initial child protection conferences)\n    + (Section 3, child protection: initial child protection conferences; text not verified: as in the 2023 edition, chapter 3)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff 2023 2026 lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, " timescale\n") || strings.Contains(out, "(added)") || strings.Contains(out, "(removed)") {
		t.Errorf("diff 2023 2026 changes a timescale or a rule:\n%s", out)
	}
	code, md, _ := run(t, "", "rules", "diff", "--format", "markdown", "2010", "2018")
	if code != 0 || !strings.Contains(md, "| `assessment-timeliness` | added | – | 45 working days:") {
		t.Errorf("markdown diff:\n%s", md)
	}
}

func TestRulesShowAndExplain(t *testing.T) {
	code, out, _ := run(t, "", "rules", "show", "icpc-timeliness")
	if code != 0 || strings.Count(out, "icpc-timeliness (wt20") != 6 || !strings.Contains(out, "deadline.within: 15 working days") {
		t.Errorf("show:\n%s", out)
	}
	code, out, _ = run(t, "", "rules", "explain", "assessment-timeliness")
	if code != 0 || !strings.Contains(out, "wt2018: 45 working days") || !strings.Contains(out, "Not in wt2010.") {
		t.Errorf("explain:\n%s", out)
	}
	code, _, stderr := run(t, "", "rules", "show", "no-such-rule")
	if code != 2 || !strings.Contains(stderr, `no rule "no-such-rule"`) {
		t.Errorf("show of an unknown rule: exit %d, %s", code, stderr)
	}
}

func TestLint(t *testing.T) {
	code, out, _ := run(t, "", "lint")
	if code != 0 || strings.Count(out, "ok  rules/wt") != 6 {
		t.Errorf("lint of the shipped packs: exit %d\n%s", code, out)
	}
	code, _, stderr := run(t, "", "lint", "testdata/misspelt.yaml")
	if code != 2 || !strings.Contains(stderr, "testdata/misspelt.yaml:14:22: rule decision, deadline.start: undefined field 'recieved'") ||
		!strings.Contains(stderr, "       |                      ^") {
		t.Errorf("lint of a misspelt pack: exit %d\n%s", code, stderr)
	}
}

func TestOverlayPackAndSet(t *testing.T) {
	dir := t.TempDir()
	overlay := filepath.Join(dir, "local.yaml")
	err := os.WriteFile(overlay, []byte(`id: la-test
extends: wt2018
title: Local procedures
params:
  visit_interval_working_days: {type: int, default: 5, doc: our standard is every 5 working days}
disable: [early-help-considered]
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	// The sample's icpc-late case: seen visits on 1, 14 and 28 February 2024. With a 5 working
	// day interval the 1 February interval (due 8 February) is breached.
	code, out, stderr := run(t, "", "check", "--pack", overlay, "--format", "ndjson", icpcLate)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `"rule":"cp-visit-interval","subject":"P1@2024-02-01","referral":"R1","pack":"la-test","status":"breach","severity":"warning","start":"2024-02-01","due":"2024-02-08"`) {
		t.Errorf("overlay's 5-day interval not applied:\n%s", out)
	}
	if strings.Contains(out, "early-help-considered") {
		t.Error("a disabled rule still gave findings")
	}
	// --set overrides the overlay's default again.
	_, out, _ = run(t, "", "check", "--pack", overlay, "--set", "cp-visit-interval.visit_interval_working_days=20", "--format", "ndjson", icpcLate)
	if strings.Contains(out, `"subject":"P1@2024-02-01","referral":"R1","status":"breach"`) {
		t.Errorf("--set did not override the interval:\n%s", out)
	}
	code, _, stderr = run(t, "", "check", "--edition", "2018", "--set", "visit_intervall=5", icpcLate)
	if code != 2 || !strings.Contains(stderr, `no pack loaded has a parameter "visit_intervall"`) {
		t.Errorf("--set of an unknown parameter: exit %d, %s", code, stderr)
	}
}

// TestRuleReferenceIsUpToDate fails when docs/rules.md is not what the packs generate.
func TestRuleReferenceIsUpToDate(t *testing.T) {
	code, out, stderr := run(t, "", "rules", "list", "--format", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("docs/rules.md is out of date: run `make docs` and commit it\n%s", firstDifference(string(want), out))
	}
}

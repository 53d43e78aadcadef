package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// planRecord is one case of a plan with n visits, a day apart.
func planRecord(id string, n int) string {
	var visits []string
	for i := range n {
		visits = append(visits, fmt.Sprintf(`{"date":"%d-%02d-%02d","seen":true}`, 1990+i/336, 1+i/28%12, 1+i%28))
	}
	return fmt.Sprintf(`{"case_id":%q,"extract_date":"2024-03-31","referrals":[{"id":"R1","received":"1989-12-01",`+
		`"plans":[{"id":"P1","kind":"child_protection","started":"1989-12-20","visits":[%s]}]}]}`, id, strings.Join(visits, ","))
}

// TestRuleOverBudgetExitsTwo shows a pack rule whose work outgrows the record stopped on the
// long record, reported with where the rule is written and counted in the summary, the other
// record still checked, and the check failing with 2 (a broken pack) whatever --fail-on says.
func TestRuleOverBudgetExitsTwo(t *testing.T) {
	stdin := planRecord("C-SHORT", 20) + "\n" + planRecord("C-LONG", 3000) + "\n"
	for _, cmd := range [][]string{
		{"check", "--pack", "testdata/quadratic.yaml", "--fail-on", "none", "--show", "all", "-"},
		{"report", "--pack", "testdata/quadratic.yaml", "--format", "html", "-o", filepath.Join(t.TempDir(), "report.html"), "-"},
	} {
		code, stdout, stderr := run(t, stdin, cmd...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2; stderr %s", cmd[0], code, stderr)
		}
		if !strings.Contains(stderr, "wtcheck: 1 rule went over the cost limit on a record: the pack is broken") {
			t.Errorf("%s: stderr %q", cmd[0], stderr)
		}
		if cmd[0] != "check" {
			continue
		}
		for _, want := range []string{
			"C-SHORT  local local  every-pair  P1       met",
			"- record 2 (C-LONG): every-pair (local) on P1: assert: testdata/quadratic.yaml:7:5: the rule went over its cost limit on this record",
			"2 cases checked as at 2024-03-31 (2 records read, 0 skipped, 1 evaluation error, 1 over the cost limit): 0 breach, 0 pending, 1 met",
		} {
			if !strings.Contains(stdout, want) {
				t.Errorf("check output lacks %q:\n%s", want, stdout)
			}
		}
	}
}

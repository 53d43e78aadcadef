package report

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/explain"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// fakeRedactor marks what it redacts, so that the test sees the collector ask for each.
type fakeRedactor struct{ compared, timelines int }

func (f *fakeRedactor) ID(id string) string { return "hash-of-" + id }
func (f *fakeRedactor) ForComparison(c *record.Case, _ record.Date, findings []checker.Finding) (*record.Case, []checker.Finding) {
	f.compared++
	return c, findings
}
func (f *fakeRedactor) Timeline(*explain.Timeline, *record.Case) { f.timelines++ }

// TestAuditCollector: in force mode the comparison sets every edition side by side; the
// timelines are kept under the id as shown (redacted when asked), none with MaxTimelines 0;
// the audit carries the run's options and the last as-of date.
func TestAuditCollector(t *testing.T) {
	raw, err := os.ReadFile("../../fixtures/scenarios/icpc-late/case.json")
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := record.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	engine, err := rules.Assemble(rules.Options{Editions: []string{"in-force"}, Today: record.DateOf(time.Now())})
	if err != nil {
		t.Fatal(err)
	}
	engine.DueSoon = 7
	findings, _, _ := engine.CheckInForce(c, record.Date{})
	rep := &checker.Report{Findings: checker.FindingSlice(findings)}

	for _, tc := range []struct {
		name         string
		maxTimelines int
		redact       bool
		wantIDs      string
	}{
		{"timelines", DefaultMaxTimelines, false, c.CaseID},
		{"redacted", DefaultMaxTimelines, true, "hash-of-" + c.CaseID},
		{"no timelines", 0, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := AuditOptions{Engine: engine, MaxRows: 20, MaxTimelines: tc.maxTimelines}
			red := &fakeRedactor{}
			if tc.redact {
				o.Redact = red
			}
			ac := NewAuditCollector(o)
			ac.PerCase(c, findings)
			a := ac.Audit(rep)
			var ids []string
			for id := range a.Timelines {
				ids = append(ids, id)
			}
			if got := strings.Join(ids, ","); got != tc.wantIDs {
				t.Errorf("timelines of %q, want %q", got, tc.wantIDs)
			}
			// Every edition, and the one in force beside them.
			if a.Comparison == nil || len(a.Comparison.Editions) != len(engine.Packs)+1 || a.Comparison.Editions[len(engine.Packs)] != "in-force" {
				var eds []string
				if a.Comparison != nil {
					eds = a.Comparison.Editions
				}
				t.Errorf("comparison of %q, want the %d editions and in-force", eds, len(engine.Packs))
			}
			if a.DueSoon != 7 || !a.InForce || a.Redacted != tc.redact || a.MaxRows != 20 || a.MaxTimelines != tc.maxTimelines || a.AsOf != c.ExtractDate {
				t.Errorf("audit due soon %d, in force %v, redacted %v, rows %d, timelines %d, as of %s", a.DueSoon, a.InForce, a.Redacted, a.MaxRows, a.MaxTimelines, a.AsOf)
			}
			if tc.redact && (red.compared != 1 || red.timelines != 1) {
				t.Errorf("redacted %d comparisons and %d timelines, want 1 and 1", red.compared, red.timelines)
			}
		})
	}
}

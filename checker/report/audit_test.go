package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/explain"
	"github.com/wtcheck/wtcheck/record"
)

func finding(caseID, edition, rule, subject string, status checker.Status, severity checker.Severity, due string) checker.Finding {
	f := checker.Finding{CaseID: caseID, Edition: edition, Rule: rule, Subject: subject, Referral: "R1", Status: status, Severity: severity}
	if due != "" {
		f.Due = record.MustDate(due)
	}
	return f
}

func auditOf(fs ...checker.Finding) *Audit {
	checker.SortFindings(fs)
	return &Audit{Report: &checker.Report{AsOf: record.MustDate("2025-03-31"), Findings: checker.FindingSlice(fs)}, DueSoon: 5}
}

// TestOverdueHoldsOpenWorkOnly: a referral closed in 2012 without its decision is history,
// not work to do; the same overdue work under two editions is one item; the list keeps the
// oldest due dates when it is cut, and says how many there are.
func TestOverdueHoldsOpenWorkOnly(t *testing.T) {
	closed := finding("C-0005", "2010", "referral-decision-timeliness", "R1", checker.StatusBreach, checker.SeverityBreach, "2012-11-20")
	closed.Closed = record.MustDate("2012-11-23")
	a := auditOf(
		closed,
		finding("C-0026", "2018", "assessment-timeliness", "A1", checker.StatusBreach, checker.SeverityBreach, "2025-02-06"),
		finding("C-0026", "2023", "assessment-timeliness", "A1", checker.StatusBreach, checker.SeverityBreach, "2025-02-06"),
		finding("C-0032", "2023", "cp-visit-interval", "P1@2025-01-09", checker.StatusBreach, checker.SeverityWarning, "2025-01-23"),
		finding("C-0040", "2023", "icpc-timeliness", "S1", checker.StatusBreach, checker.SeverityBreach, "2025-03-03"),
	)
	items, total := a.Overdue()
	var got []string
	for _, it := range items {
		got = append(got, it.CaseID+" "+strings.Join(it.Editions, "+"))
	}
	if total != 3 || strings.Join(got, ", ") != "C-0032 2023, C-0026 2018+2023, C-0040 2023" {
		t.Errorf("overdue: %d, %v", total, got)
	}
	a.MaxRows = 2
	items, total = a.Overdue()
	if total != 3 || len(items) != 2 || items[0].CaseID != "C-0032" || items[1].CaseID != "C-0026" {
		t.Errorf("cut at 2: %d, %+v", total, items)
	}
}

// TestHeadlineCountsDistinct: the same breach under three editions is one breach, a should
// apart from a must, and a breach one edition makes a must and another a should is a must.
func TestHeadlineCountsDistinct(t *testing.T) {
	var fs []checker.Finding
	for _, ed := range []string{"2010", "2018", "2023"} {
		fs = append(fs,
			finding("C-1", ed, "assessment-timeliness", "A1", checker.StatusBreach, checker.SeverityBreach, "2025-02-06"),
			finding("C-1", ed, "cp-visit-interval", "P1@2025-01-09", checker.StatusBreach, checker.SeverityWarning, "2025-01-23"),
			finding("C-2", ed, "referral-decision-timeliness", "R1", checker.StatusMet, checker.SeverityBreach, "2025-01-02"),
		)
	}
	fs = append(fs,
		finding("C-2", "2018", "strategy-discussion-agencies", "SD1", checker.StatusBreach, checker.SeverityBreach, ""),
		finding("C-2", "2023", "strategy-discussion-agencies", "SD1", checker.StatusBreach, checker.SeverityWarning, ""),
	)
	h := auditOf(fs...).Headline()
	if h != (Headline{Breach: 2, Warning: 1, Met: 1}) {
		t.Errorf("headline = %+v, want 2 breaches of a must, 1 of a should, 1 met", h)
	}
}

// TestTrendEndsAtTheAsOfDate: a plan ended before an 18th birthday in 2034 is met, and due in
// 2034; the trend does not run on to it, and says it left it out.
func TestTrendEndsAtTheAsOfDate(t *testing.T) {
	a := auditOf(
		finding("C-1", "2023", "assessment-timeliness", "A1", checker.StatusBreach, checker.SeverityBreach, "2025-02-06"),
		finding("C-1", "2023", "plan-ends-by-18", "P1", checker.StatusMet, checker.SeverityBreach, "2034-06-01"),
	)
	months, later := a.BreachesByMonth()
	if later != 1 || len(months) != 1 || months[0].Month != "2025-02" {
		t.Errorf("months %+v, %d later", months, later)
	}
	page := string(renderHTML(t, a))
	if !strings.Contains(page, "1 met deadline due after the as-of date") || strings.Contains(page, "2034") {
		t.Error("the page draws the trend past the as-of date, or does not say what it left out")
	}
}

// TestTimelineSetKeepsTheSameCasesInAnyOrder offers cases in two orders and wants the same
// timelines: overdue work first (oldest first), then work due soon, then other breaches.
func TestTimelineSetKeepsTheSameCasesInAnyOrder(t *testing.T) {
	type offer struct {
		id string
		fs []checker.Finding
	}
	due := func(days int) *int { return &days }
	soon := finding("", "2023", "icpc-timeliness", "S1", checker.StatusPending, checker.SeverityBreach, "2025-04-02")
	soon.WorkingDaysLeft = due(2)
	late := finding("", "2023", "icpc-timeliness", "S1", checker.StatusBreach, checker.SeverityBreach, "2025-01-02")
	late.Done = record.MustDate("2025-01-10")
	var offers []offer
	for i := range 6 {
		var fs []checker.Finding
		switch i % 3 {
		case 0:
			fs = []checker.Finding{finding("", "2023", "assessment-timeliness", "A1", checker.StatusBreach, checker.SeverityBreach, fmt.Sprintf("2025-0%d-01", i+1))}
		case 1:
			fs = []checker.Finding{soon}
		case 2:
			fs = []checker.Finding{late}
		}
		offers = append(offers, offer{fmt.Sprintf("C-%d", i), fs})
	}
	offers = append(offers, offer{"C-met", []checker.Finding{finding("", "2023", "a", "A1", checker.StatusMet, checker.SeverityBreach, "2025-01-01")}})
	keep := func(order []offer) string {
		s := &TimelineSet{Max: 3, DueSoon: 5}
		for _, o := range order {
			s.Offer(o.id, o.fs, func() *explain.Timeline { return &explain.Timeline{CaseID: o.id} })
		}
		ts, n := s.Timelines()
		var ids []string
		for id := range ts {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		return fmt.Sprint(n, " ", ids)
	}
	forward := keep(offers)
	var backward []offer
	for i := len(offers) - 1; i >= 0; i-- {
		backward = append(backward, offers[i])
	}
	// C-0 and C-3 are overdue, C-1 and C-4 due soon (the tie broken by id): C-0, C-3, C-1.
	if forward != "6 [C-0 C-1 C-3]" || keep(backward) != forward {
		t.Errorf("kept %s forward, %s backward", forward, keep(backward))
	}
}

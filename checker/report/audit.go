package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/explain"
)

// Audit is what the audit formats (HTML and the Excel workbook) show: the report with every
// finding, the comparison of editions when several were checked, and the timeline of each
// case that has something to act on.
type Audit struct {
	Report     *checker.Report              // every finding, whatever --show says
	Comparison *compare.Comparison          // nil when one edition was checked
	Timelines  map[string]*explain.Timeline // by case id: the cases in the action lists
	DueSoon    int                          // working days: the "due soon" window
	Redacted   bool                         // case ids are keyed hashes
}

// AuditWriter writes an audit in one format.
type AuditWriter func(w io.Writer, a *Audit) error

var auditWriters = map[string]AuditWriter{
	"html": HTML,
	"xlsx": XLSX,
}

// LookupAudit finds the writer of an audit format.
func LookupAudit(format string) (AuditWriter, bool) {
	write, ok := auditWriters[format]
	if !ok {
		return nil, false
	}
	return func(w io.Writer, a *Audit) error {
		if err := write(w, a); err != nil {
			return err
		}
		return a.Report.ListErr()
	}, true
}

// AuditFormats lists the audit formats.
func AuditFormats() []string { return []string{"html", "xlsx"} }

// Overdue lists the breaches whose event has not happened: deadlines passed and still open
// (or closed without the event), worst first.
func (a *Audit) Overdue() []*checker.Finding {
	var out []*checker.Finding
	for f := range a.Report.Listed() {
		if f.Status == checker.StatusBreach && f.Done.IsZero() && !f.Due.IsZero() {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(x, y *checker.Finding) int {
		return strings.Compare(x.Due.String(), y.Due.String())
	})
	return out
}

// DueSoonList lists pending deadlines due within the due-soon window, soonest first.
func (a *Audit) DueSoonList() []*checker.Finding {
	var out []*checker.Finding
	for f := range a.Report.Listed() {
		if f.Status == checker.StatusPending && f.WorkingDaysLeft != nil && *f.WorkingDaysLeft <= a.DueSoon {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(x, y *checker.Finding) int {
		return strings.Compare(x.Due.String(), y.Due.String())
	})
	return out
}

// RuleCompliance counts one rule's findings under one edition, for the compliance table.
type RuleCompliance struct {
	Edition, Rule, Title, Citation string
	Met, Breach, Pending           int
}

// Rate is met / (met + breach); false when nothing was decided.
func (r RuleCompliance) Rate() (float64, bool) {
	if r.Met+r.Breach == 0 {
		return 0, false
	}
	return float64(r.Met) / float64(r.Met+r.Breach), true
}

// Compliance counts every rule of every pack, in pack and rule order.
func (a *Audit) Compliance() []RuleCompliance {
	index := map[string]int{}
	var out []RuleCompliance
	for _, ri := range a.Report.Rules {
		index[ri.Edition+"/"+ri.ID] = len(out)
		out = append(out, RuleCompliance{Edition: ri.Edition, Rule: ri.ID, Title: ri.Title, Citation: ri.Citation})
	}
	for f := range a.Report.Listed() {
		j, ok := index[f.Edition+"/"+f.Rule]
		if !ok {
			continue
		}
		switch f.Status {
		case checker.StatusMet:
			out[j].Met++
		case checker.StatusBreach:
			out[j].Breach++
		case checker.StatusPending:
			out[j].Pending++
		}
	}
	return out
}

// MonthCount is breaches by the month their deadline fell due, for the trend chart.
type MonthCount struct {
	Month  string // YYYY-MM
	Breach int
	Met    int
}

// BreachesByMonth counts breaches and met deadlines by the month of their due date, every
// month from the first to the last present, so gaps show as zeros.
func (a *Audit) BreachesByMonth() []MonthCount {
	counts := map[string]*MonthCount{}
	var first, last string
	for f := range a.Report.Listed() {
		if f.Due.IsZero() || (f.Status != checker.StatusBreach && f.Status != checker.StatusMet) {
			continue
		}
		m := f.Due.String()[:7]
		if counts[m] == nil {
			counts[m] = &MonthCount{Month: m}
		}
		if f.Status == checker.StatusBreach {
			counts[m].Breach++
		} else {
			counts[m].Met++
		}
		if first == "" || m < first {
			first = m
		}
		if m > last {
			last = m
		}
	}
	var out []MonthCount
	for m := first; m != "" && m <= last; m = nextMonth(m) {
		if c := counts[m]; c != nil {
			out = append(out, *c)
		} else {
			out = append(out, MonthCount{Month: m})
		}
	}
	return out
}

func nextMonth(m string) string {
	var y, mo int
	fmt.Sscanf(m, "%d-%d", &y, &mo)
	mo++
	if mo > 12 {
		y, mo = y+1, 1
	}
	return fmt.Sprintf("%04d-%02d", y, mo)
}

// TeamCount counts findings by the case's team.
type TeamCount struct {
	Team                 string
	Met, Breach, Pending int
}

// ByTeam counts findings per team (organisation.team), teams in name order; empty when no
// record names a team.
func (a *Audit) ByTeam() []TeamCount {
	counts := map[string]*TeamCount{}
	named := false
	for f := range a.Report.Listed() {
		team := f.Team
		if team != "" {
			named = true
		} else {
			team = "(no team recorded)"
		}
		if counts[team] == nil {
			counts[team] = &TeamCount{Team: team}
		}
		switch f.Status {
		case checker.StatusMet:
			counts[team].Met++
		case checker.StatusBreach:
			counts[team].Breach++
		case checker.StatusPending:
			counts[team].Pending++
		}
	}
	if !named {
		return nil
	}
	var out []TeamCount
	for _, c := range counts {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(x, y TeamCount) int { return strings.Compare(x.Team, y.Team) })
	return out
}

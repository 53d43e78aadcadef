package report

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/explain"
)

//go:embed html.tmpl
var htmlTemplateText string

var htmlTemplate = template.Must(template.New("html.tmpl").Parse(htmlTemplateText))

// HTML writes the audit as one self-contained web page: the headline counts, compliance per
// rule, the trend by month, the breakdown by team, the overdue and due-soon lists, the
// comparison of editions, and a timeline per case in the lists. It needs no network (no
// script, font, image or style sheet from elsewhere), prints in black and white, and gives
// the same bytes for the same audit.
func HTML(w io.Writer, a *Audit) error {
	if a == nil || a.Report == nil {
		return errors.New("html: the audit has no report")
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, newHTMLPage(a)); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// htmlPage is what html.tmpl renders: everything worked out, so the template only lays out.
type htmlPage struct {
	AsOf, Version, SummaryLine string
	Packs                      []checker.PackInfo
	Redacted, InForce          bool
	FoundNote                  string
	Checked, Found, Act        []htmlCard
	Editions                   []htmlEditionRate
	Baseline                   *checker.BaselineSummary

	Rules      []htmlRuleRow
	RulesChart template.HTML
	Months     []htmlMonthRow
	TrendChart template.HTML
	TrendNote  string
	Teams      []htmlTeamRow
	TeamChart  template.HTML

	DueSoonDays             int
	OverdueN, SoonN         int
	OverdueTable, SoonTable htmlActionTable
	// Incidents and Arrangements are the sections of the records beyond the case file, nil
	// when the batch has none.
	Incidents, Arrangements *htmlActionTable
	Comparison              *htmlComparison
	NotCovered              []htmlNotCovered
	NotCoveredN             int
	DueDates                []string
	DueDatesN               int
	Errors, Warnings        []string
	ErrorsN, WarningsN      int
	Cases                   []htmlCase
	CasesNote               string
	// CutNote says where what a list leaves out is: the downloadable data.
	CutNote string
}

type htmlCard struct {
	ID, Label, Class, Href string
	N                      int
}

type htmlEditionRate struct {
	Edition, ID, Rate       string
	Met, Breach, Pending, N int
}

type htmlRuleRow struct {
	Edition, Rule, Title, Citation, Rate string
	Met, Breach, Pending                 int
}

type htmlMonthRow struct {
	Month, Rate string
	Breach, Met int
}

type htmlTeamRow struct {
	Team, Rate           string
	Met, Breach, Pending int
}

// htmlCaseRef is a case id, linked to its timeline when the audit has one.
type htmlCaseRef struct {
	ID, Anchor string
	Linked     bool
}

type htmlAction struct {
	Case                                                                      htmlCaseRef
	Edition, Rule, Subject, Status, Class, Due, When, Message, Citation, Team string
}

// htmlActionTable is an action list's table: Teams adds a team column when any case has one;
// Cut says how much of the list it shows, when not all.
type htmlActionTable struct {
	ID, Label, When, Cut string
	Who                  string // the first column's heading: "Case" when empty
	Teams                bool
	Rows                 []htmlAction
}

type htmlComparison struct {
	Editions     []string
	InForce      bool
	Rows         []htmlComparisonRow
	OnlyIn       []string
	Differences  []htmlDifference
	DifferencesN int
	Cut          string
}

type htmlComparisonRow struct {
	Rule, Title string
	Cells       []htmlRate
}

type htmlRate struct{ Text, Class string }

type htmlDifference struct {
	Case                 htmlCaseRef
	Subject, Requirement string
	Outcomes             []htmlRate // one per edition, "" where the edition had none
	Reason               string
}

type htmlNotCovered struct {
	Case               htmlCaseRef
	Referral, Received string
}

type htmlCase struct {
	ID, Anchor, AsOf, Team, Counts, Lacks string
	Chart                                 template.HTML
	Events                                []explain.Event
	Deadlines, Other                      []htmlDeadline
}

type htmlDeadline struct {
	Edition, Rule, Subject, Status, Class, Start, Due, Done, When, Message, Citation, Holidays, Note string
}

// caseAnchor is the fragment id of a case's section. Letters, digits and hyphens are kept;
// every other byte is written as _ and two hex digits, so different ids never share an
// anchor and no id can break out of the attribute.
func caseAnchor(id string) string { return "case-" + idPart(id) }

// idPart makes any string safe and unique as part of an element id.
func idPart(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "_%02x", c)
		}
	}
	return b.String()
}

// statusClass is the CSS class of a status label.
func statusClass(status checker.Status, severity checker.Severity) string {
	return "st st-" + statusKind(status, severity)
}

// withNote adds a note to a non-empty text.
func withNote(text, note string) string {
	if text == "" {
		return ""
	}
	return text + " " + note
}

// cutText says how much of a list the page shows, or "" when it shows all of it.
func cutText(shown, total int, what string) string {
	if shown >= total {
		return ""
	}
	return fmt.Sprintf("Showing the first %d of %d %s (the page lists at most %d).", shown, total, what, shown)
}

func newHTMLPage(a *Audit) *htmlPage {
	r := a.Report
	s := r.Summary
	limit := a.maxRows()
	p := &htmlPage{AsOf: r.AsOf.String(), Version: r.Tool.Version, SummaryLine: SummaryLine(r), Packs: r.Packs,
		Redacted: a.Redacted, InForce: a.InForce, Baseline: r.Baseline, DueSoonDays: a.DueSoon,
		CutNote: "Every finding is in the downloadable data: wtcheck check --show all --format csv (or json) lists them all, and wtcheck explain gives any case's timeline."}

	ref := func(id string) htmlCaseRef {
		_, ok := a.Timelines[id]
		return htmlCaseRef{ID: id, Anchor: caseAnchor(id), Linked: ok}
	}

	// The headline.
	p.Checked = []htmlCard{
		{ID: "summary-cases", Label: "cases checked", N: s.Cases},
		{ID: "summary-records", Label: "records read", N: s.RecordsRead},
		{ID: "summary-skipped", Label: "records skipped", N: s.RecordsSkipped, Href: "#errors", Class: "card-note"},
	}
	if s.Incidents > 0 {
		p.Checked = append(p.Checked, htmlCard{ID: "summary-incidents", Label: "incidents checked", N: s.Incidents})
	}
	if s.Arrangements > 0 {
		p.Checked = append(p.Checked, htmlCard{ID: "summary-arrangements", Label: "areas' arrangements checked", N: s.Arrangements})
	}
	if s.EvaluationErrors > 0 {
		p.Checked = append(p.Checked, htmlCard{ID: "summary-evaluation-errors", Label: "evaluation errors", N: s.EvaluationErrors, Href: "#errors", Class: "card-note"})
	}
	if s.Warnings > 0 {
		p.Checked = append(p.Checked, htmlCard{ID: "summary-warnings", Label: "data warnings", N: s.Warnings, Href: "#warnings", Class: "card-note"})
	}
	if s.ReferralsNotCovered > 0 {
		p.Checked = append(p.Checked, htmlCard{ID: "summary-not-covered", Label: "referrals not covered", N: s.ReferralsNotCovered, Href: "#not-covered", Class: "card-note"})
	}
	h := a.Headline()
	p.Found = []htmlCard{
		{ID: "summary-breach", Label: "breaches of a must", N: h.Breach, Class: "card-breach"},
		{ID: "summary-warning", Label: "breaches of a should (warnings)", N: h.Warning, Class: "card-warning"},
	}
	if h.Info > 0 {
		p.Found = append(p.Found, htmlCard{ID: "summary-info", Label: "breaches of good practice", N: h.Info, Class: "card-na"})
	}
	p.Found = append(p.Found,
		htmlCard{ID: "summary-pending", Label: "pending", N: h.Pending, Class: "card-pending"},
		htmlCard{ID: "summary-met", Label: "met", N: h.Met, Class: "card-met"},
		htmlCard{ID: "summary-not-applicable", Label: "not applicable", N: h.NotApplicable, Class: "card-na"},
		htmlCard{ID: "summary-insufficient-data", Label: "insufficient data", N: h.Insufficient, Class: "card-insufficient"},
	)
	switch {
	case a.InForce:
		p.FoundNote = "Each referral is checked under the edition of Working Together in force on the day it was received; each finding counts once. The other editions are set side by side under Editions compared."
	case len(r.Packs) > 1:
		p.FoundNote = "A finding the same under several editions (the same case, referral, rule, subject and status) counts once."
	default:
		p.FoundNote = "Each finding counts once."
	}
	overdue, overdueN := a.Overdue()
	soon, soonN := a.DueSoonList()
	p.OverdueN, p.SoonN = overdueN, soonN
	p.Act = []htmlCard{
		{ID: "summary-overdue", Label: "overdue: open work past its due date", N: overdueN, Href: "#overdue", Class: "card-breach"},
		{ID: "summary-due-soon", Label: fmt.Sprintf("due in the next %d working days", a.DueSoon), N: soonN, Href: "#due-soon", Class: "card-pending"},
	}

	// Compliance per rule, and per edition.
	compliance := a.Compliance()
	perEdition := map[string]*htmlEditionRate{}
	var editions []string
	var bars []barItem
	for _, c := range compliance {
		p.Rules = append(p.Rules, htmlRuleRow{Edition: c.Edition, Rule: c.Rule, Title: c.Title, Citation: c.Citation,
			Met: c.Met, Breach: c.Breach, Pending: c.Pending, Rate: percentText(c.Met, c.Breach)})
		bars = append(bars, barItem{Group: c.Edition, Label: c.Rule, Met: c.Met, Breach: c.Breach, Pending: c.Pending})
		e := perEdition[c.Edition]
		if e == nil {
			e = &htmlEditionRate{Edition: c.Edition, ID: "summary-compliance-" + idPart(c.Edition)}
			perEdition[c.Edition] = e
			editions = append(editions, c.Edition)
		}
		e.Met += c.Met
		e.Breach += c.Breach
		e.Pending += c.Pending
	}
	for _, ed := range editions {
		e := perEdition[ed]
		e.Rate, e.N = percentText(e.Met, e.Breach), checker.Tally{Met: e.Met, Breach: e.Breach}.Decided()
		p.Editions = append(p.Editions, *e)
	}
	if len(bars) > 0 {
		p.RulesChart = complianceBars("chart-compliance", "Compliance per rule, by edition", "rule of each edition", bars)
	}

	// The trend, up to the as-of date.
	months, later := a.BreachesByMonth()
	for _, m := range months {
		p.Months = append(p.Months, htmlMonthRow{Month: m.Month, Breach: m.Breach, Met: m.Met, Rate: percentText(m.Met, m.Breach)})
	}
	if len(months) > 0 {
		p.TrendChart = trendColumns("chart-trend", months)
	}
	if later > 0 {
		p.TrendNote = fmt.Sprintf("%d met %s due after the as-of date (done early: an 18th birthday still ahead, say) %s not in the trend, which ends at the as-of date.",
			later, plural(later, "deadline", "deadlines"), plural(later, "is", "are"))
	}

	// Teams.
	if teams := a.ByTeam(); len(teams) > 0 {
		var items []barItem
		for _, t := range teams {
			p.Teams = append(p.Teams, htmlTeamRow{Team: t.Team, Met: t.Met, Breach: t.Breach, Pending: t.Pending, Rate: percentText(t.Met, t.Breach)})
			items = append(items, barItem{Label: t.Team, Met: t.Met, Breach: t.Breach, Pending: t.Pending})
		}
		p.TeamChart = complianceBars("chart-teams", "Compliance per team", "team", items)
	}

	// The action lists.
	action := func(it Action) htmlAction {
		f := &it.Finding
		return htmlAction{Case: ref(f.RecordID()), Edition: strings.Join(it.Editions, ", "), Rule: f.Rule, Subject: f.Subject, Status: StatusLabel(f),
			Class: statusClass(f.Status, f.Severity), Due: dash(f.Due.String()), When: Lateness(f), Message: f.Message,
			Citation: f.Citation, Team: f.Team}
	}
	var overdueRows, soonRows []htmlAction
	for _, it := range overdue {
		overdueRows = append(overdueRows, action(it))
	}
	for _, it := range soon {
		soonRows = append(soonRows, action(it))
	}
	teams := false
	for f := range r.Listed() {
		if f.Team != "" {
			teams = true
			break
		}
	}
	p.OverdueTable = htmlActionTable{ID: "overdue-table", Label: "Overdue work", When: "Overdue by", Teams: teams, Rows: overdueRows,
		Cut: withNote(cutText(len(overdueRows), overdueN, "items, the oldest due date first,"), p.CutNote)}
	p.SoonTable = htmlActionTable{ID: "due-soon-table", Label: "Work due soon", When: "Left", Teams: teams, Rows: soonRows,
		Cut: withNote(cutText(len(soonRows), soonN, "items, the soonest first,"), p.CutNote)}

	// The records beyond the case file.
	for _, k := range []struct {
		kind           checker.RecordKind
		id, label, who string
		dst            **htmlActionTable
	}{
		{checker.KindIncident, "incidents-table", "Incidents and child deaths", "Incident", &p.Incidents},
		{checker.KindArrangements, "arrangements-table", "Local arrangements", "Area", &p.Arrangements},
	} {
		items, n := a.Beyond(k.kind)
		if n == 0 {
			continue
		}
		var rows []htmlAction
		for _, it := range items {
			rows = append(rows, action(it))
		}
		*k.dst = &htmlActionTable{ID: k.id, Label: k.label, Who: k.who, When: "Late / left", Rows: rows,
			Cut: withNote(cutText(len(rows), n, "findings, the earliest due date first,"), p.CutNote)}
	}

	// Editions compared.
	if c := a.Comparison; c != nil {
		hc := &htmlComparison{Editions: c.Editions, InForce: slices.Contains(c.Editions, compare.InForce), DifferencesN: c.Differences.Len()}
		for _, row := range c.Rules {
			hr := htmlComparisonRow{Rule: row.Rule, Title: row.Title}
			for _, ed := range c.Editions {
				cell := row.Cells[ed]
				class := "num"
				if !cell.Present {
					class = "num muted"
				}
				hr.Cells = append(hr.Cells, htmlRate{Text: RateText(cell), Class: class})
			}
			hc.Rows = append(hc.Rows, hr)
			if in, ok := c.OnlyIn[row.Rule]; ok {
				only := "none"
				if len(in) > 0 {
					only = strings.Join(in, ", ")
				}
				hc.OnlyIn = append(hc.OnlyIn, row.Rule+": only "+only)
			}
		}
		// The audit's comparison keeps its differences in memory (NewAuditCollector does not
		// bound them), so this walk has no run to fail reading.
		for d := range c.Differences.All() {
			if len(hc.Differences) == limit {
				break
			}
			hd := htmlDifference{Case: ref(d.CaseID), Subject: d.Subject, Requirement: d.Requirement, Reason: d.Reason}
			for _, ed := range c.Editions {
				var cell htmlRate
				for _, o := range d.Outcomes {
					if o.Edition == ed {
						cell = htmlRate{Text: strings.ReplaceAll(string(o.Status), "_", " "), Class: statusClass(o.Status, checker.SeverityBreach)}
					}
				}
				hd.Outcomes = append(hd.Outcomes, cell)
			}
			hc.Differences = append(hc.Differences, hd)
		}
		hc.Cut = cutText(len(hc.Differences), c.Differences.Len(), "outcomes that differ, in case order,")
		if hc.Cut != "" {
			hc.Cut += " wtcheck compare --format csv lists them all."
		}
		p.Comparison = hc
	}

	p.NotCoveredN = len(r.NotCovered)
	for _, n := range r.NotCovered[:min(len(r.NotCovered), limit)] {
		p.NotCovered = append(p.NotCovered, htmlNotCovered{Case: ref(n.CaseID), Referral: n.Referral, Received: n.Received.String()})
	}
	p.DueDatesN = len(r.DueDates)
	for _, d := range r.DueDates[:min(len(r.DueDates), limit)] {
		p.DueDates = append(p.DueDates, DueDateLine(d))
	}
	p.ErrorsN = len(r.Errors)
	for _, e := range r.Errors[:min(len(r.Errors), limit)] {
		p.Errors = append(p.Errors, ErrorLine(e))
	}
	p.WarningsN = len(r.Warnings)
	for _, w := range r.Warnings[:min(len(r.Warnings), limit)] {
		p.Warnings = append(p.Warnings, WarningLine(w))
	}

	// The cases' timelines, in case id order.
	p.Cases = htmlCases(a)
	candidates := max(a.TimelineCases, len(p.Cases))
	if len(p.Cases) > 0 {
		p.CasesNote = fmt.Sprintf("%d %s with breaches or work due soon; %s.", candidates, plural(candidates, "case", "cases"),
			plural(len(p.Cases), "its timeline follows", "their timelines follow"))
		if len(p.Cases) < candidates {
			p.CasesNote = fmt.Sprintf("%d cases have breaches or work due soon; the page shows the timelines of %d of them (at most %d): those with open work overdue, oldest first, then those with work due soon, then those with other breaches, the most recent first. wtcheck explain gives the timeline of any case.",
				candidates, len(p.Cases), a.maxTimelines())
		}
	}
	return p
}

// findingKey finds the finding behind a deadline of a timeline, for its lateness and team.
type findingKey struct{ caseID, edition, rule, subject, due string }

func htmlCases(a *Audit) []htmlCase {
	ids := make([]string, 0, len(a.Timelines))
	for id, t := range a.Timelines {
		if t != nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if len(ids) == 0 {
		return nil
	}
	byKey := map[findingKey]*checker.Finding{}
	team := map[string]string{}
	for f := range a.Report.Listed() {
		if _, ok := a.Timelines[f.CaseID]; !ok {
			continue // keep only what the timelines shown need
		}
		k := findingKey{f.CaseID, f.Edition, f.Rule, f.Subject, f.Due.String()}
		if _, dup := byKey[k]; !dup {
			byKey[k] = f
		}
		if f.Team != "" && team[f.CaseID] == "" {
			team[f.CaseID] = f.Team
		}
	}
	var out []htmlCase
	for _, id := range ids {
		t := a.Timelines[id]
		late := func(d explain.Deadline) string {
			if f := byKey[findingKey{id, d.Edition, d.Rule, d.Subject, d.Due.String()}]; f != nil {
				return Lateness(f)
			}
			return "-"
		}
		hc := htmlCase{ID: id, Anchor: caseAnchor(id), AsOf: t.AsOf.String(), Team: team[id], Events: t.Events,
			Lacks: strings.Join(t.Lacks, ", ")}
		var counts []string
		for _, st := range checker.Statuses {
			if n := t.Counts[string(st)]; n > 0 {
				counts = append(counts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(string(st), "_", " ")))
			}
		}
		hc.Counts = strings.Join(counts, ", ")
		row := func(d explain.Deadline, when string) htmlDeadline {
			f := &checker.Finding{Status: d.Status, Severity: checker.Severity(d.Severity)}
			return htmlDeadline{Edition: d.Edition, Rule: d.Rule, Subject: d.Subject, Status: StatusLabel(f),
				Class: statusClass(d.Status, checker.Severity(d.Severity)), Start: dash(d.Start.String()), Due: dash(d.Due.String()),
				Done: dash(d.Done.String()), When: when, Message: d.Message, Citation: d.Citation,
				Holidays: strings.Join(d.HolidaysSkipped, "; "), Note: d.Note}
		}
		for _, d := range t.Deadlines {
			hc.Deadlines = append(hc.Deadlines, row(d, late(d)))
		}
		for _, d := range t.Other {
			hc.Other = append(hc.Other, row(d, ""))
		}
		if !t.First.IsZero() && (len(t.Events) > 0 || len(t.Deadlines) > 0) {
			hc.Chart = timelineChart("chart-"+hc.Anchor, t, late)
		}
		out = append(out, hc)
	}
	return out
}

// Package explain lays out one case as a timeline: every event in date order, and every
// deadline it started with its due date and the finding it gave under each edition, with the
// bank holidays its working days skipped. It is what a reviewer reads when a finding is
// questioned: why is this a breach, counted from which day.
package explain

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// Event is something that happened on a day.
type Event struct {
	Date     record.Date `json:"date"`
	Referral string      `json:"referral,omitempty"`
	Subject  string      `json:"subject"`
	What     string      `json:"what"`
}

// Deadline is one finding with dates, seen on the timeline.
type Deadline struct {
	Edition         string         `json:"edition"`
	Rule            string         `json:"rule"`
	Subject         string         `json:"subject"`
	Status          checker.Status `json:"status"`
	Severity        string         `json:"severity"`
	Start           record.Date    `json:"start,omitzero"`
	Due             record.Date    `json:"due,omitzero"`
	Done            record.Date    `json:"done,omitzero"`
	Message         string         `json:"message"`
	Citation        string         `json:"citation"`
	HolidaysSkipped []string       `json:"holidays_skipped,omitempty"` // between start and due, "2024-01-01 New Year's Day"
	Note            string         `json:"note,omitempty"`
}

// Timeline is one case explained.
type Timeline struct {
	CaseID string `json:"case_id,omitempty"`
	// IncidentID or AreaID is set for the timeline of an incident or an area's arrangements
	// (where CaseID is the case an incident names, if any).
	IncidentID string      `json:"incident_id,omitempty"`
	AreaID     string      `json:"area_id,omitempty"`
	AsOf       record.Date `json:"as_of"`
	Events     []Event     `json:"events"`
	Deadlines  []Deadline  `json:"deadlines"`
	Other      []Deadline  `json:"assertions"` // findings without dates (the child seen, the chair independent)
	First      record.Date `json:"first,omitzero"`
	Last       record.Date `json:"last,omitzero"`
	Lacks      []string    `json:"lacks,omitempty"`
	// NotCovered lists the referrals no loaded pack was in force for, when each referral is
	// explained under the edition in force: none of their deadlines is shown.
	NotCovered []checker.NotCovered `json:"not_covered,omitempty"`
	Counts     map[string]int       `json:"counts"`
}

// Build explains a case from its record (as checked, as-of view included) and its findings.
// The rules of packs say which deadlines count working days, whose skipped bank holidays
// are listed.
func Build(c *record.Case, asOf record.Date, findings []checker.Finding, cal *checker.Calendar, packs []*checker.CompiledPack) *Timeline {
	t := &Timeline{CaseID: c.CaseID, AsOf: asOf, Lacks: c.Provenance.Lacks, Counts: map[string]int{}}
	add := func(d record.Date, referral, subject, what string) {
		if !d.IsZero() {
			t.Events = append(t.Events, Event{Date: d, Referral: referral, Subject: subject, What: what})
		}
	}
	view := c.ViewAt(asOf)
	for _, r := range view.Referrals {
		add(r.Received, r.ID, r.ID, "referral received")
		add(r.Decision, r.ID, r.ID, "decision on the response"+withValue(r.Outcome))
		add(r.Closed, r.ID, r.ID, "referral closed")
		add(r.HousingReferral, r.ID, r.ID, "referred to the housing authority")
		add(r.EarlyHelpConsidered, r.ID, r.ID, "early help considered")
		for _, a := range r.Assessments {
			add(a.Started, r.ID, a.ID, a.Kind+" assessment started")
			add(a.Completed, r.ID, a.ID, a.Kind+" assessment authorised")
			for _, s := range a.Seen {
				add(s, r.ID, a.ID, "child seen (assessment)")
			}
		}
		for _, d := range r.StrategyDiscussions {
			add(d.Date, r.ID, d.ID, "strategy discussion"+withValue(strings.Join(d.Agencies, ", ")))
		}
		for _, s := range r.S47Enquiries {
			add(s.Started, r.ID, s.ID, "section 47 enquiry started")
			add(s.Seen, r.ID, s.ID, "child seen (section 47)")
			add(s.Completed, r.ID, s.ID, "section 47 enquiry completed"+withValue(s.Outcome))
		}
		for _, k := range r.Conferences {
			add(k.Notified, r.ID, k.ID, "move notified (transfer in)")
			add(k.Date, r.ID, k.ID, strings.ReplaceAll(k.Kind, "_", " ")+" conference"+withValue(k.Outcome))
		}
		for _, p := range r.Plans {
			kind := strings.ReplaceAll(p.Kind, "_", " ")
			add(p.Started, r.ID, p.ID, kind+" plan started")
			add(p.Ended, r.ID, p.ID, kind+" plan ended"+withValue(p.EndReason))
			for _, g := range p.CoreGroups {
				add(g, r.ID, p.ID, "core group")
			}
			for _, v := range p.Visits {
				what := "visit, child not seen"
				if v.Seen {
					what = "visit, child seen"
					if v.SeenAlone {
						what += " alone"
					}
				}
				add(v.Date, r.ID, p.ID, what)
			}
		}
	}
	t.addFindings(findings, cal, packs, func(f *checker.Finding) bool { return f.Kind() == checker.KindCase && f.CaseID == c.CaseID })
	return t
}

// BuildIncident explains an incident (incident-format.md) as Build explains a case: its
// events in date order, and the findings of its rules.
func BuildIncident(in *record.Incident, asOf record.Date, findings []checker.Finding, cal *checker.Calendar, packs []*checker.CompiledPack) *Timeline {
	t := &Timeline{CaseID: in.CaseID, IncidentID: in.IncidentID, AsOf: asOf, Lacks: in.Provenance.Lacks, Counts: map[string]int{}}
	if v := in.ViewAt(asOf); v != nil {
		id := in.IncidentID
		for _, e := range []struct {
			d    record.Date
			what string
		}{
			{v.Occurred, strings.ReplaceAll(v.Event, "_", " ")},
			{v.Aware, "the local authority became aware"},
			{v.Notified.Panel, "the Child Safeguarding Practice Review Panel notified"},
			{v.Notified.Ofsted, "Ofsted notified"},
			{v.Notified.LSCB, "the LSCB notified"},
			{v.RapidReview.Completed, "rapid review completed" + withValue(v.RapidReview.Decision)},
			{v.RapidReview.SentToPanel, "rapid review sent to the Panel"},
			{v.SeriousCaseReview.Decided, "serious case review decided" + withValue(map[bool]string{true: "held", false: "not held"}[v.SeriousCaseReview.Held])},
			{v.SeriousCaseReview.Completed, "serious case review completed"},
			{v.SeriousCaseReview.Published, "serious case review published"},
			{v.LocalReview.Decided, "local child safeguarding practice review decided"},
			{v.LocalReview.Completed, "local review completed"},
			{v.LocalReview.Published, "local review published"},
			{v.ChildDeathReview.NotifiedCDOP, "death notified to the child death overview panel"},
			{v.ChildDeathReview.RapidResponse, "rapid (joint agency) response began"},
			{v.ChildDeathReview.CDRMeeting, "child death review meeting"},
			{v.ChildDeathReview.PanelReview, "reviewed by the panel"},
		} {
			if !e.d.IsZero() {
				t.Events = append(t.Events, Event{Date: e.d, Subject: id, What: e.what})
			}
		}
	}
	t.addFindings(findings, cal, packs, func(f *checker.Finding) bool { return f.IncidentID == in.IncidentID && f.AreaID == "" })
	return t
}

// BuildArrangements explains an area's arrangements: the LSCB's reports and its standing
// down, the partners' publication and reports, and the findings of their rules.
func BuildArrangements(a *record.Arrangements, asOf record.Date, findings []checker.Finding, cal *checker.Calendar, packs []*checker.CompiledPack) *Timeline {
	t := &Timeline{AreaID: a.AreaID, AsOf: asOf, Lacks: a.Provenance.Lacks, Counts: map[string]int{}}
	v := a.ViewAt(asOf)
	add := func(d record.Date, what string) {
		if !d.IsZero() {
			t.Events = append(t.Events, Event{Date: d, Subject: a.AreaID, What: what})
		}
	}
	if l := v.LSCB; l != nil {
		for _, d := range l.AnnualReports {
			add(d, "LSCB annual report published")
		}
		add(l.Ended, "LSCB stood down")
	}
	if p := v.Partners; p != nil {
		add(p.Published, "safeguarding partners' arrangements published")
		for _, d := range p.YearlyReports {
			add(d, "safeguarding partners' yearly report published")
		}
	}
	t.addFindings(findings, cal, packs, func(f *checker.Finding) bool { return f.AreaID == a.AreaID })
	return t
}

// addFindings sorts the events and adds the findings that are the record's, the deadlines
// among them with the bank holidays their working days skipped.
func (t *Timeline) addFindings(findings []checker.Finding, cal *checker.Calendar, packs []*checker.CompiledPack, ours func(*checker.Finding) bool) {
	workingDays := map[string]bool{} // edition + rule
	for _, cp := range packs {
		for _, r := range cp.Pack.Rules {
			if r.Deadline != nil && r.Deadline.Within != nil && r.Deadline.Within.Unit == checker.WorkingDays {
				workingDays[cp.Pack.Edition+"/"+r.ID] = true
			}
		}
	}
	slices.SortStableFunc(t.Events, func(a, b Event) int { return cmp.Compare(a.Date.String(), b.Date.String()) })
	for _, f := range findings {
		if !ours(&f) {
			continue
		}
		t.Counts[string(f.Status)]++
		d := Deadline{Edition: f.Edition, Rule: f.Rule, Subject: f.Subject, Status: f.Status, Severity: string(f.Severity),
			Start: f.Start, Due: f.Due, Done: f.Done, Message: f.Message, Citation: f.Citation, Note: f.Note}
		if f.Due.IsZero() {
			if f.Status != checker.StatusNotApplicable {
				t.Other = append(t.Other, d)
			}
			continue
		}
		if cal != nil && !f.Start.IsZero() && workingDays[f.Edition+"/"+f.Rule] {
			for _, h := range cal.HolidaysBetween(f.Start, f.Due) {
				d.HolidaysSkipped = append(d.HolidaysSkipped, strings.TrimSpace(h.String()+" "+cal.HolidayName(h)))
			}
		}
		t.Deadlines = append(t.Deadlines, d)
	}
	slices.SortStableFunc(t.Deadlines, func(a, b Deadline) int {
		return cmp.Or(cmp.Compare(a.Start.String(), b.Start.String()), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Edition, b.Edition), cmp.Compare(a.Subject, b.Subject))
	})
	t.Refit()
}

// Refit sets First and Last again from the events and deadlines, after some were changed
// (redaction takes out dates counted from a birth date).
func (t *Timeline) Refit() {
	t.First, t.Last = record.Date{}, record.Date{}
	for _, e := range t.Events {
		t.span(e.Date)
	}
	for _, d := range t.Deadlines {
		t.span(d.Start)
		t.span(d.Due)
		t.span(d.Done)
	}
}

func (t *Timeline) span(d record.Date) {
	if d.IsZero() {
		return
	}
	if t.First.IsZero() || d.Before(t.First) {
		t.First = d
	}
	if t.Last.IsZero() || d.After(t.Last) {
		t.Last = d
	}
}

func withValue(v string) string {
	if v == "" {
		return ""
	}
	return " (" + strings.ReplaceAll(v, "_", " ") + ")"
}

// Text writes the timeline for a terminal.
func (t *Timeline) Text() string {
	var b strings.Builder
	switch {
	case t.IncidentID != "" && t.CaseID != "":
		fmt.Fprintf(&b, "Incident %s (case %s), as at %s\n", t.IncidentID, t.CaseID, t.AsOf)
	case t.IncidentID != "":
		fmt.Fprintf(&b, "Incident %s, as at %s\n", t.IncidentID, t.AsOf)
	case t.AreaID != "":
		fmt.Fprintf(&b, "Arrangements of area %s, as at %s\n", t.AreaID, t.AsOf)
	default:
		fmt.Fprintf(&b, "Case %s, as at %s\n", t.CaseID, t.AsOf)
	}
	if len(t.Lacks) > 0 {
		fmt.Fprintf(&b, "The record's source cannot record: %s\n", strings.Join(t.Lacks, ", "))
	}
	b.WriteString("\nEvents:\n")
	for _, e := range t.Events {
		fmt.Fprintf(&b, "  %s  %-4s %-5s %s\n", e.Date, e.Referral, e.Subject, e.What)
	}
	for _, n := range t.NotCovered {
		fmt.Fprintf(&b, "%s, received %s: no loaded pack was in force then, so none of its deadlines is shown (give --edition to see them under one)\n", n.Referral, n.Received)
	}
	b.WriteString("\nDeadlines:\n")
	for _, d := range t.Deadlines {
		done := d.Done.String()
		if done == "" {
			done = "not done"
		}
		start := d.Start.String()
		if start == "" {
			start = "?"
		}
		fmt.Fprintf(&b, "  %s %s %s: from %s, due %s, %s: %s\n", d.Edition, d.Rule, d.Subject, start, d.Due, done, strings.ReplaceAll(string(d.Status), "_", " "))
		fmt.Fprintf(&b, "      %s\n      %s\n", d.Message, d.Citation)
		if len(d.HolidaysSkipped) > 0 {
			fmt.Fprintf(&b, "      bank holidays skipped: %s\n", strings.Join(d.HolidaysSkipped, "; "))
		}
		if d.Note != "" {
			fmt.Fprintf(&b, "      %s\n", d.Note)
		}
	}
	if len(t.Other) > 0 {
		b.WriteString("\nOther requirements:\n")
		for _, d := range t.Other {
			fmt.Fprintf(&b, "  %s %s %s: %s: %s\n", d.Edition, d.Rule, d.Subject, strings.ReplaceAll(string(d.Status), "_", " "), d.Message)
		}
	}
	return b.String()
}

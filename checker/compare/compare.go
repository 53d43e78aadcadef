// Package compare sets editions of Working Together side by side on the same cases: per rule,
// how many findings applied, were met, breached or pending, and the compliance rate under
// each edition; and the cases whose outcome differs between editions, with the reason. It
// aggregates one case at a time, so a comparison of a large batch keeps counts, not findings.
package compare

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// InForce is the column of a comparison that checks each referral under the edition in force
// on the day it was received.
const InForce = "in-force"

// Cell counts one rule's findings under one edition.
type Cell struct {
	Present          bool   `json:"present"` // the edition has the rule
	Timescale        string `json:"timescale,omitempty"`
	Applicable       int    `json:"applicable"` // every status but not_applicable
	Met              int    `json:"met"`
	Breach           int    `json:"breach"`
	Pending          int    `json:"pending"`
	NotApplicable    int    `json:"not_applicable"`
	InsufficientData int    `json:"insufficient_data"`
}

// Rate is the compliance rate: met as a share of the findings decided (met or breached), and
// false when none was decided.
func (c Cell) Rate() (float64, bool) {
	return checker.Tally{Met: c.Met, Breach: c.Breach}.Rate()
}

// Row is one rule across the editions.
type Row struct {
	Rule  string          `json:"rule"`
	Title string          `json:"title"`
	Cells map[string]Cell `json:"editions"`
}

// Outcome is what one edition made of one requirement on one subject.
type Outcome struct {
	Edition   string         `json:"edition"`
	Rule      string         `json:"rule"`
	Status    checker.Status `json:"status"`
	Timescale string         `json:"timescale,omitempty"`
	Due       record.Date    `json:"due,omitzero"`
	Done      record.Date    `json:"done,omitzero"`
}

// Difference is a requirement on a subject whose outcome differs between editions. A subject
// is named by its referral too, because object ids (A1) repeat across referrals.
type Difference struct {
	CaseID string `json:"case_id,omitempty"`
	// IncidentID or AreaID names the record of a difference on an incident or an area's
	// arrangements (where CaseID is the case an incident names, if any).
	IncidentID  string    `json:"incident_id,omitempty"`
	AreaID      string    `json:"area_id,omitempty"`
	Referral    string    `json:"referral,omitempty"` // empty for a subject that is the case itself
	Subject     string    `json:"subject"`
	Requirement string    `json:"requirement"` // the rule id, or the id it compares as
	Outcomes    []Outcome `json:"outcomes"`
	Reason      string    `json:"reason"`
}

// Comparison is the result of comparing editions on a batch.
type Comparison struct {
	Tool        checker.Tool          `json:"tool"`
	AsOf        record.Date           `json:"as_of,omitzero"`
	Editions    []string              `json:"editions"`
	Summary     checker.Summary       `json:"summary"`
	Rules       []Row                 `json:"rules"`
	OnlyIn      map[string][]string   `json:"rules_only_in"` // rule -> editions that have it, for rules not in every edition
	Differences []Difference          `json:"differences"`
	NotCovered  []checker.NotCovered  `json:"not_covered,omitempty"`
	Errors      []checker.RecordError `json:"errors"`
	// Warnings are the batch's data warnings: the records were compared all the same.
	Warnings []checker.RecordWarning `json:"warnings"`
}

// ruleMeta is what the aggregator knows of a rule in one pack.
type ruleMeta struct {
	title, key, timescale string
}

// Aggregator builds a Comparison from cases checked one at a time, on any goroutine.
type Aggregator struct {
	editions []string
	packs    []*checker.CompiledPack
	rules    map[string]map[string]ruleMeta // edition -> rule -> meta
	order    []string                       // rule ids in report order

	mu          sync.Mutex
	cells       map[string]map[string]*Cell // rule -> edition -> counts
	differences []Difference
	notCovered  []checker.NotCovered
}

// NewAggregator compares the editions of the given packs, in their order, and the in-force
// column when inForce is set. timescale describes a rule's timescale for reasons.
func NewAggregator(packs []*checker.CompiledPack, inForce bool, timescale func(*checker.Rule) string) *Aggregator {
	a := &Aggregator{packs: packs, rules: map[string]map[string]ruleMeta{}, cells: map[string]map[string]*Cell{}}
	seen := map[string]bool{}
	for _, cp := range packs {
		a.editions = append(a.editions, cp.Pack.Edition)
		metas := map[string]ruleMeta{}
		for _, r := range cp.Pack.Rules {
			metas[r.ID] = ruleMeta{title: r.Title, key: cmp.Or(r.CompareAs, r.ID), timescale: timescale(r)}
			if !seen[r.ID] {
				seen[r.ID] = true
				a.order = append(a.order, r.ID)
			}
		}
		a.rules[cp.Pack.Edition] = metas
	}
	if inForce {
		a.editions = append(a.editions, InForce)
	}
	return a
}

// packInForce is the pack in force on a day, as the engine picks it.
func (a *Aggregator) packInForce(d record.Date) *checker.CompiledPack {
	var best *checker.CompiledPack
	for _, cp := range a.packs {
		if cp.Pack.InForce.Covers(d) && (best == nil || cp.Pack.InForce.From.After(best.Pack.InForce.From)) {
			best = cp
		}
	}
	return best
}

// AddRecord takes the findings of every pack on one incident or one area's arrangements;
// inForce says which of them the in-force column counts (the engine's IncidentInForce and
// ArrangementsInForce).
func (a *Aggregator) AddRecord(findings []checker.Finding, inForce func(*checker.Finding) bool) {
	if !slices.Contains(a.editions, InForce) {
		inForce = func(*checker.Finding) bool { return false }
	}
	a.add(findings, inForce, nil)
}

// Add takes the findings of every pack on one case.
func (a *Aggregator) Add(c *record.Case, findings []checker.Finding) {
	inForceEdition := map[string]string{} // referral id -> edition in force when received
	var uncovered []checker.NotCovered
	if slices.Contains(a.editions, InForce) {
		for _, r := range c.Referrals {
			if cp := a.packInForce(r.Received); cp != nil {
				inForceEdition[r.ID] = cp.Pack.Edition
			} else {
				uncovered = append(uncovered, checker.NotCovered{CaseID: c.CaseID, Referral: r.ID, Received: r.Received})
			}
		}
	}
	a.add(findings, func(f *checker.Finding) bool { return inForceEdition[f.Referral] == f.Edition }, uncovered)
}

// add counts one record's findings, and finds where their outcomes differ.
func (a *Aggregator) add(findings []checker.Finding, inForce func(*checker.Finding) bool, uncovered []checker.NotCovered) {
	type subjectKey struct{ referral, subject, key string }
	outcomes := map[subjectKey]map[string][]*checker.Finding{} // -> edition -> findings
	counts := map[string]map[string]*Cell{}
	count := func(rule, edition string, f *checker.Finding) {
		if counts[rule] == nil {
			counts[rule] = map[string]*Cell{}
		}
		cell := counts[rule][edition]
		if cell == nil {
			cell = &Cell{}
			counts[rule][edition] = cell
		}
		switch f.Status {
		case checker.StatusMet:
			cell.Met++
		case checker.StatusBreach:
			cell.Breach++
		case checker.StatusPending:
			cell.Pending++
		case checker.StatusNotApplicable:
			cell.NotApplicable++
		case checker.StatusInsufficientData:
			cell.InsufficientData++
		}
		if f.Status != checker.StatusNotApplicable {
			cell.Applicable++
		}
	}
	for i := range findings {
		f := &findings[i]
		count(f.Rule, f.Edition, f)
		if inForce(f) {
			count(f.Rule, InForce, f)
		}
		k := subjectKey{f.Referral, f.Subject, a.rules[f.Edition][f.Rule].key}
		if outcomes[k] == nil {
			outcomes[k] = map[string][]*checker.Finding{}
		}
		outcomes[k][f.Edition] = append(outcomes[k][f.Edition], f)
	}
	var diffs []Difference
	for k, byEdition := range outcomes {
		if d, ok := a.difference(k.referral, k.subject, k.key, byEdition); ok {
			diffs = append(diffs, d)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for rule, byEdition := range counts {
		if a.cells[rule] == nil {
			a.cells[rule] = map[string]*Cell{}
		}
		for ed, c := range byEdition {
			total := a.cells[rule][ed]
			if total == nil {
				total = &Cell{}
				a.cells[rule][ed] = total
			}
			total.Met += c.Met
			total.Breach += c.Breach
			total.Pending += c.Pending
			total.NotApplicable += c.NotApplicable
			total.InsufficientData += c.InsufficientData
			total.Applicable += c.Applicable
		}
	}
	a.differences = append(a.differences, diffs...)
	a.notCovered = append(a.notCovered, uncovered...)
}

// severityOrder ranks statuses for picking one finding per edition: an applicable finding
// over a not-applicable one, and the worst of several.
var severityOrder = map[checker.Status]int{
	checker.StatusBreach: 5, checker.StatusPending: 4, checker.StatusInsufficientData: 3, checker.StatusMet: 2, checker.StatusNotApplicable: 1,
}

// difference compares the editions' outcomes for one requirement on one subject.
func (a *Aggregator) difference(referral, subject, key string, byEdition map[string][]*checker.Finding) (Difference, bool) {
	d := Difference{Referral: referral, Subject: subject, Requirement: key}
	statuses := map[checker.Status]bool{}
	for _, ed := range a.editions {
		fs := byEdition[ed]
		if len(fs) == 0 {
			continue
		}
		pick := fs[0]
		for _, f := range fs[1:] {
			if severityOrder[f.Status] > severityOrder[pick.Status] {
				pick = f
			}
		}
		if pick.Status == checker.StatusNotApplicable && pick.Rule != key {
			// A rule standing in for another edition's requirement (2010's initial and core
			// assessments for the single assessment) that does not apply means the record
			// does not fit that edition's model: not comparable, rather than a difference.
			continue
		}
		statuses[pick.Status] = true
		d.CaseID, d.IncidentID, d.AreaID = pick.CaseID, pick.IncidentID, pick.AreaID
		d.Outcomes = append(d.Outcomes, Outcome{Edition: ed, Rule: pick.Rule, Status: pick.Status,
			Timescale: a.rules[ed][pick.Rule].timescale, Due: pick.Due, Done: pick.Done})
	}
	if len(statuses) < 2 {
		return d, false
	}
	var parts []string
	for _, o := range d.Outcomes {
		part := fmt.Sprintf("%s under %s (%s", strings.ReplaceAll(string(o.Status), "_", " "), o.Edition, o.Rule)
		if o.Timescale != "" && o.Timescale != "assertion" {
			part += ", " + o.Timescale
		}
		if !o.Due.IsZero() {
			part += ", due " + o.Due.String()
		}
		parts = append(parts, part+")")
	}
	d.Reason = strings.Join(parts, "; ")
	return d, true
}

// RecordID is the id of the record the difference is on: the case, incident or area.
func (d Difference) RecordID() string {
	return cmp.Or(d.AreaID, d.IncidentID, d.CaseID)
}

// kindRank orders differences as findings are: cases, then incidents, then areas.
func (d Difference) kindRank() int {
	switch {
	case d.AreaID != "":
		return 2
	case d.IncidentID != "":
		return 1
	}
	return 0
}

// Label names the record and the subject together: "C-1 R1 A1", or the record alone when the
// subject is the record itself (an incident), "E09000099 E09000099@2019-06-28" for an
// interval of an area's arrangements.
func (d Difference) Label() string {
	if w := d.Where(); w != d.RecordID() {
		return d.RecordID() + " " + w
	}
	return d.RecordID()
}

// Where names the difference's subject for a person: "R1 A1", or the subject alone when it
// belongs to no referral or is the referral.
func (d Difference) Where() string {
	if d.Referral == "" || d.Referral == d.Subject {
		return d.Subject
	}
	return d.Referral + " " + d.Subject
}

// Result finishes the comparison.
func (a *Aggregator) Result(rep *checker.Report) *Comparison {
	c := &Comparison{Tool: rep.Tool, AsOf: rep.AsOf, Editions: a.editions, Summary: rep.Summary, Errors: rep.Errors,
		Warnings: rep.Warnings,
		OnlyIn:   map[string][]string{}, Differences: a.differences, NotCovered: a.notCovered}
	if c.Differences == nil {
		c.Differences = []Difference{}
	}
	for _, id := range a.order {
		row := Row{Rule: id, Cells: map[string]Cell{}}
		var in []string
		for _, ed := range a.editions {
			var cell Cell
			if got := a.cells[id][ed]; got != nil {
				cell = *got
			}
			if ed == InForce {
				cell.Present = true
			} else if meta, ok := a.rules[ed][id]; ok {
				cell.Present, cell.Timescale = true, meta.timescale
				row.Title = meta.title
				in = append(in, ed)
			}
			row.Cells[ed] = cell
		}
		if len(in) < len(a.packs) {
			c.OnlyIn[id] = in
		}
		c.Rules = append(c.Rules, row)
	}
	c.Sort()
	c.Summary.ReferralsNotCovered = len(c.NotCovered)
	return c
}

// Sort puts the differences and the referrals not covered in case order, so that the same
// input gives the same bytes (again after their ids are redacted).
func (c *Comparison) Sort() {
	slices.SortFunc(c.Differences, func(x, y Difference) int {
		return cmp.Or(cmp.Compare(x.kindRank(), y.kindRank()), cmp.Compare(x.RecordID(), y.RecordID()), cmp.Compare(x.Requirement, y.Requirement), cmp.Compare(x.Referral, y.Referral), cmp.Compare(x.Subject, y.Subject))
	})
	slices.SortFunc(c.NotCovered, func(x, y checker.NotCovered) int {
		return cmp.Or(cmp.Compare(x.CaseID, y.CaseID), cmp.Compare(x.Referral, y.Referral))
	})
}

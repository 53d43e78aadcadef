// Package compare sets editions of Working Together side by side on the same cases: per rule,
// how many findings applied, were met, breached or pending, and the compliance rate under
// each edition; and the cases whose outcome differs between editions, with the reason. It
// aggregates one case at a time, so a comparison of a large batch keeps counts, not findings,
// and its differences in bounded memory: past a budget they are sorted into temporary files
// and merged back in order when the report is written (as a check's listed findings are).
package compare

import (
	"cmp"
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
	Differences *DifferenceList       `json:"differences"`   // close it when done (Comparison.Close)
	NotCovered  []checker.NotCovered  `json:"not_covered,omitempty"`
	Errors      []checker.RecordError `json:"errors"`
	// Warnings are the batch's data warnings: the records were compared all the same.
	Warnings []checker.RecordWarning `json:"warnings"`
}

// ruleMeta is what the aggregator knows of a rule in one pack.
type ruleMeta struct {
	title, timescale string
	key              int32 // index in Aggregator.keys of the id the rule compares as
}

// Aggregator builds a Comparison from cases checked one at a time, on any goroutine.
//
// Rules, editions and the ids rules compare as are numbered once, by NewAggregator, so that
// a case's findings are counted into arrays, not maps. Each goroutine adding at a time works
// on a shard of its own (counts, scratch space and a sorter of differences), taken from a
// free list and put back, so that adding takes no lock but the free list's; the shards'
// counts are summed, and their differences merged in order, by Result.
type Aggregator struct {
	editions []string // the columns in report order (an edition twice if two packs have it)
	packs    []*checker.CompiledPack
	inForce  bool
	order    []string         // rule ids in report order: the rows
	row      map[string]int32 // rule id -> row
	cols     []string         // distinct editions, then InForce if compared: the cells' columns
	col      map[string]int32 // edition -> column
	colOf    []int32          // editions[i]'s column
	keys     []string         // the ids rules compare as
	meta     [][]*ruleMeta    // column -> row -> the rule in that edition's (last) pack, or nil
	noKey    int32            // the key of a finding whose rule no pack has: ""

	spill Spill

	mu         sync.Mutex
	free       []*shard
	shards     []*shard
	notCovered []checker.NotCovered
}

// shard is what one goroutine adding records at a time works on.
type shard struct {
	cells []Cell // row*len(cols) + column
	diffs Sorter
	// One record's groups: the requirements on subjects it has findings for.
	keys    []groupKey
	byKey   [][]int32          // key -> its first smallGroups groups
	touched []int32            // keys with groups in byKey
	groups  map[groupKey]int32 // a key's groups past the first smallGroups
	picks   []int32            // group*len(cols) + column -> the index of the finding picked, or -1
	diff    Difference         // the difference being built
	refs    []inForceRef       // one case's referrals and the column in force when each was received
}

// groupKey is a requirement on a subject: the findings editions make of it are compared.
type groupKey struct {
	referral, subject string
	key               int32
}

type inForceRef struct {
	id  string
	col int32
}

// NewAggregator compares the editions of the given packs, in their order, and the in-force
// column when inForce is set. timescale describes a rule's timescale for reasons. It keeps its
// differences in memory unless SpillTo gives it a Spill that bounds them.
func NewAggregator(packs []*checker.CompiledPack, inForce bool, timescale func(*checker.Rule) string) *Aggregator {
	a := &Aggregator{packs: packs, inForce: inForce, row: map[string]int32{}, col: map[string]int32{}}
	keyOf := map[string]int32{}
	key := func(s string) int32 {
		k, ok := keyOf[s]
		if !ok {
			k = int32(len(a.keys))
			keyOf[s] = k
			a.keys = append(a.keys, s)
		}
		return k
	}
	for _, cp := range packs {
		a.editions = append(a.editions, cp.Pack.Edition)
		if _, ok := a.col[cp.Pack.Edition]; !ok {
			a.col[cp.Pack.Edition] = int32(len(a.cols))
			a.cols = append(a.cols, cp.Pack.Edition)
		}
		for _, r := range cp.Pack.Rules {
			if _, ok := a.row[r.ID]; !ok {
				a.row[r.ID] = int32(len(a.order))
				a.order = append(a.order, r.ID)
			}
		}
	}
	a.meta = make([][]*ruleMeta, len(a.cols))
	for _, cp := range packs {
		// The last pack of an edition describes its rules, as one map per edition did.
		metas := make([]*ruleMeta, len(a.order))
		for _, r := range cp.Pack.Rules {
			metas[a.row[r.ID]] = &ruleMeta{title: r.Title, key: key(cmp.Or(r.CompareAs, r.ID)), timescale: timescale(r)}
		}
		a.meta[a.col[cp.Pack.Edition]] = metas
	}
	a.noKey = key("")
	if inForce {
		a.editions = append(a.editions, InForce)
		a.col[InForce] = int32(len(a.cols))
		a.cols = append(a.cols, InForce)
	}
	for _, ed := range a.editions {
		a.colOf = append(a.colOf, a.col[ed])
	}
	// In memory, as the audit report keeps everything it shows, until a caller bounds them.
	a.spill = memorySpill{}
	return a
}

// SpillTo keeps the differences in sp, which may hold them in bounded memory (the runner's
// sorters, batch.Spill, wired by the command line: a writer does not import the runner).
// Call it before the first record is added.
func (a *Aggregator) SpillTo(sp Spill) { a.spill = sp }

// take gives the caller a shard of its own, put back with put.
func (a *Aggregator) take() *shard {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n := len(a.free); n > 0 {
		s := a.free[n-1]
		a.free = a.free[:n-1]
		return s
	}
	s := &shard{cells: make([]Cell, len(a.order)*len(a.cols)), diffs: a.spill.NewSorter(), groups: map[groupKey]int32{},
		byKey: make([][]int32, len(a.keys))}
	a.shards = append(a.shards, s)
	return s
}

func (a *Aggregator) put(s *shard, uncovered []checker.NotCovered) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.free = append(a.free, s)
	a.notCovered = append(a.notCovered, uncovered...)
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
// ArrangementsInForce). The findings may be in any order; they are not kept.
func (a *Aggregator) AddRecord(findings []checker.Finding, inForce func(*checker.Finding) bool) {
	s := a.take()
	if !a.inForce {
		inForce = nil
	}
	a.add(s, findings, func(f *checker.Finding, _ int32) bool { return inForce != nil && inForce(f) })
	a.put(s, nil)
}

// Add takes the findings of every pack on one case. They may be in any order (the outcome an
// edition is given is the same as if they were sorted with checker.CompareFindings); they are
// not kept.
func (a *Aggregator) Add(c *record.Case, findings []checker.Finding) {
	s := a.take()
	var uncovered []checker.NotCovered
	s.refs = s.refs[:0]
	if a.inForce {
		for _, r := range c.Referrals {
			if cp := a.packInForce(r.Received); cp != nil {
				s.refs = append(s.refs, inForceRef{id: r.ID, col: a.col[cp.Pack.Edition]})
			} else {
				uncovered = append(uncovered, checker.NotCovered{CaseID: c.CaseID, Referral: r.ID, Received: r.Received})
			}
		}
	}
	refs := s.refs
	a.add(s, findings, func(f *checker.Finding, col int32) bool {
		// The last referral of an id covered wins, as it did in a map of them.
		for i := len(refs) - 1; i >= 0; i-- {
			if refs[i].id == f.Referral {
				return refs[i].col == col
			}
		}
		return false
	})
	clear(s.refs)
	a.put(s, uncovered)
}

// severityOrder ranks statuses for picking one finding per edition: an applicable finding
// over a not-applicable one, and the worst of several.
func severityOrder(s checker.Status) int {
	switch s {
	case checker.StatusBreach:
		return 5
	case checker.StatusPending:
		return 4
	case checker.StatusInsufficientData:
		return 3
	case checker.StatusMet:
		return 2
	case checker.StatusNotApplicable:
		return 1
	}
	return 0
}

// better reports whether f is picked over the finding picked so far for its requirement,
// subject and edition: a worse status, or, of the same status, the one first in
// checker.CompareFindings order (within one record and edition: by rule, then pack). Of two
// that compare equal the first made stays, as a stable sort would have kept it first.
func better(f, picked *checker.Finding) bool {
	if a, b := severityOrder(f.Status), severityOrder(picked.Status); a != b {
		return a > b
	}
	return cmp.Or(strings.Compare(f.Rule, picked.Rule), strings.Compare(f.Pack, picked.Pack)) < 0
}

// add counts one record's findings, and finds where their outcomes differ.
func (a *Aggregator) add(s *shard, findings []checker.Finding, inForce func(f *checker.Finding, col int32) bool) {
	ncols := int32(len(a.cols))
	inForceCol := int32(-1)
	if a.inForce {
		inForceCol = ncols - 1
	}
	// A rule's findings come one after another: its edition's column, its row and its key are
	// looked up once for them all.
	var lastEdition, lastRule string
	var col, row, key int32
	var skip, known bool
	for i := range findings {
		f := &findings[i]
		if i == 0 || f.Edition != lastEdition || f.Rule != lastRule {
			lastEdition, lastRule = f.Edition, f.Rule
			var ok bool
			col, ok = a.col[f.Edition]
			skip = !ok || col == inForceCol // not an edition compared: no pack made it
			row, known = a.row[f.Rule]
			key = a.noKey
			if !skip && known {
				if m := a.meta[col][row]; m != nil {
					key = m.key
				}
			}
		}
		if skip {
			continue
		}
		if known {
			count(&s.cells[row*ncols+col], f.Status)
			if inForceCol >= 0 && inForce(f, col) {
				count(&s.cells[row*ncols+inForceCol], f.Status)
			}
		}
		g := s.group(groupKey{f.Referral, f.Subject, key}, ncols)
		p := &s.picks[g*ncols+col]
		if *p < 0 || better(f, &findings[*p]) {
			*p = int32(i)
		}
	}
	for g := range s.keys {
		if a.difference(&s.keys[g], findings, s.picks[int32(g)*ncols:(int32(g)+1)*ncols], &s.diff) {
			s.diffs.Add(&s.diff)
			s.diff = Difference{} // the sorter's copy holds the outcomes' array
		}
	}
	s.reset()
}

// smallGroups is how many subjects of one requirement a record's groups are searched for one
// by one before a map is used: a record has one to a few of most; a long record (a plan of
// hundreds of visits, each a subject) must not make the search quadratic.
const smallGroups = 16

// group is the index of a requirement on a subject among the record's groups, added if new.
func (s *shard) group(gk groupKey, ncols int32) int32 {
	for len(s.byKey) <= int(gk.key) {
		s.byKey = append(s.byKey, nil)
	}
	list := s.byKey[gk.key]
	for _, g := range list {
		if k := &s.keys[g]; k.subject == gk.subject && k.referral == gk.referral {
			return g
		}
	}
	if len(list) == smallGroups {
		if g, ok := s.groups[gk]; ok {
			return g
		}
	}
	g := int32(len(s.keys))
	s.keys = append(s.keys, gk)
	for range ncols {
		s.picks = append(s.picks, -1)
	}
	if len(list) < smallGroups {
		if len(list) == 0 {
			s.touched = append(s.touched, gk.key)
		}
		s.byKey[gk.key] = append(list, g)
	} else {
		s.groups[gk] = g
	}
	return g
}

// maxKeptGroups bounds the groups whose arrays a shard keeps from one record for the next, so
// that a huge record's (a plan of 100,000 visits) are left to the collector.
const maxKeptGroups = 4096

// reset empties the groups of one record for the next, keeping their arrays.
func (s *shard) reset() {
	for _, k := range s.touched {
		s.byKey[k] = s.byKey[k][:0]
	}
	s.touched = s.touched[:0]
	if len(s.keys) > maxKeptGroups {
		s.keys, s.picks, s.groups = nil, nil, map[groupKey]int32{}
		return
	}
	clear(s.keys) // drop the ids: they are the record's
	s.keys = s.keys[:0]
	s.picks = s.picks[:0]
	if len(s.groups) > 0 {
		clear(s.groups)
	}
}

// count counts one finding's status in a cell.
func count(cell *Cell, st checker.Status) {
	switch st {
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
	if st != checker.StatusNotApplicable {
		cell.Applicable++
	}
}

// comparable is the finding an edition is compared on, or nil: a rule standing in for another
// edition's requirement (2010's initial and core assessments for the single assessment) that
// does not apply means the record does not fit that edition's model: not comparable, rather
// than a difference.
func (a *Aggregator) comparable(findings []checker.Finding, pick int32, key int32) *checker.Finding {
	if pick < 0 {
		return nil
	}
	f := &findings[pick]
	if f.Status == checker.StatusNotApplicable && f.Rule != a.keys[key] {
		return nil
	}
	return f
}

// difference compares the editions' outcomes for one requirement on one subject; picks holds,
// per column, the finding picked. Nothing is built unless the outcomes differ: then d is.
func (a *Aggregator) difference(gk *groupKey, findings []checker.Finding, picks []int32, d *Difference) bool {
	var first *checker.Finding
	differs := false
	for _, col := range a.colOf {
		f := a.comparable(findings, picks[col], gk.key)
		if f == nil {
			continue
		}
		if first == nil {
			first = f
		} else if f.Status != first.Status {
			differs = true
			break
		}
	}
	if !differs {
		return false
	}
	// Ids are copied: they may share the memory of the whole record they were read from.
	*d = Difference{Referral: strings.Clone(gk.referral), Subject: strings.Clone(gk.subject), Requirement: a.keys[gk.key],
		Outcomes: make([]Outcome, 0, len(a.editions))}
	for i, ed := range a.editions {
		col := a.colOf[i]
		f := a.comparable(findings, picks[col], gk.key)
		if f == nil {
			continue
		}
		d.CaseID, d.IncidentID, d.AreaID = f.CaseID, f.IncidentID, f.AreaID
		var timescale string
		if row, ok := a.row[f.Rule]; ok {
			if m := a.meta[col][row]; m != nil {
				timescale = m.timescale
			}
		}
		d.Outcomes = append(d.Outcomes, Outcome{Edition: ed, Rule: f.Rule, Status: f.Status,
			Timescale: timescale, Due: f.Due, Done: f.Done})
	}
	d.CaseID, d.IncidentID, d.AreaID = strings.Clone(d.CaseID), strings.Clone(d.IncidentID), strings.Clone(d.AreaID)
	return true
}

// reason says how the outcomes differ: "breach under 2010 (core-assessment-timeliness,
// 35 working days, due 2019-04-24); met under 2018 (…)". It is built when the difference is
// written, not for each one held.
func (d *Difference) reason() string {
	var b strings.Builder
	for i, o := range d.Outcomes {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(strings.ReplaceAll(string(o.Status), "_", " "))
		b.WriteString(" under ")
		b.WriteString(o.Edition)
		b.WriteString(" (")
		b.WriteString(o.Rule)
		if o.Timescale != "" && o.Timescale != "assertion" {
			b.WriteString(", ")
			b.WriteString(o.Timescale)
		}
		if !o.Due.IsZero() {
			b.WriteString(", due ")
			b.WriteString(o.Due.String())
		}
		b.WriteString(")")
	}
	return b.String()
}

// CompareDifferences is the order of a comparison's differences: cases, then incidents, then
// areas, each by id, then by requirement, referral and subject.
func CompareDifferences(x, y *Difference) int {
	return cmp.Or(cmp.Compare(x.kindRank(), y.kindRank()), cmp.Compare(x.RecordID(), y.RecordID()), cmp.Compare(x.Requirement, y.Requirement), cmp.Compare(x.Referral, y.Referral), cmp.Compare(x.Subject, y.Subject))
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

// Result finishes the comparison: the shards' counts summed and their differences merged in
// order. Call it once, after the last record is added; close the comparison when done with
// it. A run of differences that could not be written is the differences' Err.
func (a *Aggregator) Result(rep *checker.Report) *Comparison {
	c := &Comparison{Tool: rep.Tool, AsOf: rep.AsOf, Editions: a.editions, Summary: rep.Summary, Errors: rep.Errors,
		Warnings: rep.Warnings,
		OnlyIn:   map[string][]string{}, NotCovered: a.notCovered}
	sorters := make([]Sorter, len(a.shards))
	for i, s := range a.shards {
		sorters[i] = s.diffs
	}
	list, err := a.spill.Merge(sorters)
	c.Differences = &DifferenceList{list: list, err: err}
	ncols := len(a.cols)
	for r, id := range a.order {
		row := Row{Rule: id, Cells: map[string]Cell{}}
		var in []string
		for _, ed := range a.editions {
			col := int(a.col[ed])
			var cell Cell
			for _, s := range a.shards {
				cell.add(s.cells[r*ncols+col])
			}
			if ed == InForce {
				cell.Present = true
			} else if meta := a.meta[col][r]; meta != nil {
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
	a.shards, a.free = nil, nil
	slices.SortFunc(c.NotCovered, func(x, y checker.NotCovered) int {
		return cmp.Or(cmp.Compare(x.CaseID, y.CaseID), cmp.Compare(x.Referral, y.Referral))
	})
	c.Summary.ReferralsNotCovered = len(c.NotCovered)
	return c
}

// add adds another cell's counts to c.
func (c *Cell) add(o Cell) {
	c.Met += o.Met
	c.Breach += o.Breach
	c.Pending += o.Pending
	c.NotApplicable += o.NotApplicable
	c.InsufficientData += o.InsufficientData
	c.Applicable += o.Applicable
}

// Close removes the temporary files of the comparison's differences, if any.
func (c *Comparison) Close() error {
	if c == nil || c.Differences == nil {
		return nil
	}
	return c.Differences.Close()
}

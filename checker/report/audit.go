package report

import (
	"cmp"
	"container/heap"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/explain"
	"github.com/wtcheck/wtcheck/record"
)

// Limits of the HTML audit, so that a page of a large batch stays small enough to open and
// read: every list is cut at DefaultMaxRows rows and the timelines at DefaultMaxTimelines
// cases, and the page says so and where the rest is (the JSON and CSV formats list every
// finding; wtcheck explain gives any case's timeline).
const (
	DefaultMaxRows      = 500
	DefaultMaxTimelines = 100
)

// Audit is what the audit formats (HTML and the Excel workbook) show: the report with every
// finding, the comparison of editions when several were checked, and the timeline of each
// case most in need of a look.
type Audit struct {
	Report     *checker.Report              // every finding, whatever --show says
	Comparison *compare.Comparison          // nil when one edition was checked
	Timelines  map[string]*explain.Timeline // by case id (as shown): see TimelineSet
	// TimelineCases counts the cases with breaches or due-soon work, of which Timelines holds
	// the first MaxTimelines (see TimelineSet); zero means len(Timelines).
	TimelineCases int
	DueSoon       int  // working days: the "due soon" window
	Redacted      bool // ids are keyed hashes, files are named by position
	// InForce says each referral was checked under the edition in force when it was received
	// (--edition in-force); Comparison then sets every edition side by side.
	InForce bool
	// AsOf is the last day a record was checked as at; the trend ends there. Zero: the
	// report's own as-of date.
	AsOf         record.Date
	MaxRows      int // rows per list on the page; 0 means DefaultMaxRows
	MaxTimelines int // as stated on the page; 0 means DefaultMaxTimelines
}

// AuditWriter writes an audit in one format.
type AuditWriter func(w io.Writer, a *Audit) error

// LookupAudit finds the writer of an audit format (one of the table's formats with an Audit
// writer).
func LookupAudit(format string) (AuditWriter, bool) {
	f := LookupFormat(format)
	if f == nil || f.Audit == nil {
		return nil, false
	}
	write := f.Audit
	return func(w io.Writer, a *Audit) error {
		if err := write(w, a); err != nil {
			return err
		}
		return a.Report.ListErr()
	}, true
}

// AuditFormats lists the audit formats, in the table's order.
func AuditFormats() []string {
	var out []string
	for _, f := range formats {
		if f.Audit != nil {
			out = append(out, f.Name)
		}
	}
	return out
}

func (a *Audit) maxRows() int { return cmp.Or(a.MaxRows, DefaultMaxRows) }

func (a *Audit) maxTimelines() int { return cmp.Or(a.MaxTimelines, DefaultMaxTimelines) }

// until is the day the trend ends.
func (a *Audit) until() record.Date { return cmp.Or(a.AsOf, a.Report.AsOf) }

// Headline counts distinct findings: a finding the same under several editions (the same
// case, referral, rule, subject and status) counts once, so that the numbers are what a
// reader can quote. Breaches are counted apart by what the guidance says: must (breach),
// should (warning) and good practice (info); a breach that one edition makes a must and
// another a should counts as a must.
type Headline struct {
	Breach, Warning, Info                     int
	Pending, Met, NotApplicable, Insufficient int
}

// Breaches is every distinct breach, whatever its severity.
func (h Headline) Breaches() int { return h.Breach + h.Warning + h.Info }

// identity is a finding's identity without its edition: what stays the same from edition to
// edition.
type identity struct{ referral, rule, subject string }

// Headline counts the distinct findings. It walks the findings once, keeping one case's at a
// time: they are sorted by case.
func (a *Audit) Headline() Headline {
	var h Headline
	type seen struct {
		status checker.Status
		id     identity
	}
	caseID := ""
	statuses := map[seen]int{} // -> highest severity rank, for breaches
	flush := func() {
		for k, rank := range statuses {
			switch k.status {
			case checker.StatusBreach:
				switch {
				case rank >= checker.SeverityBreach.Rank():
					h.Breach++
				case rank >= checker.SeverityWarning.Rank():
					h.Warning++
				default:
					h.Info++
				}
			case checker.StatusPending:
				h.Pending++
			case checker.StatusMet:
				h.Met++
			case checker.StatusNotApplicable:
				h.NotApplicable++
			case checker.StatusInsufficientData:
				h.Insufficient++
			}
		}
		clear(statuses)
	}
	for f := range a.Report.Listed() {
		if f.RecordID() != caseID {
			flush()
			caseID = f.RecordID()
		}
		k := seen{f.Status, identity{f.Referral, f.Rule, f.Subject}}
		statuses[k] = max(statuses[k], f.Severity.Rank())
	}
	flush()
	return h
}

// Action is one line of an action list: a finding, and every edition that gives it.
type Action struct {
	checker.Finding
	Editions []string
	seq      int // position in the report's order, for a stable order
}

// isOverdue reports whether a finding is open work past its due date: a breach not done,
// whose referral or obligation has not ended.
func isOverdue(f *checker.Finding) bool {
	return f.Status == checker.StatusBreach && f.Done.IsZero() && !f.Due.IsZero() && f.Closed.IsZero()
}

// isDueSoon reports whether a finding is open work due within the window.
func isDueSoon(f *checker.Finding, window int) bool {
	return f.Status == checker.StatusPending && f.WorkingDaysLeft != nil && *f.WorkingDaysLeft <= window && f.Closed.IsZero()
}

// Overdue lists open work past its due date (a breach not done, on a referral still open and
// an obligation that has not lapsed), oldest due date first: the first MaxRows items, and
// how many there are. An item the same under several editions is one item.
func (a *Audit) Overdue() (items []Action, total int) {
	return a.actions(isOverdue)
}

// DueSoonList lists open deadlines due within the due-soon window, soonest first: the first
// MaxRows items, and how many there are.
func (a *Audit) DueSoonList() (items []Action, total int) {
	return a.actions(func(f *checker.Finding) bool { return isDueSoon(f, a.DueSoon) })
}

// actions keeps the first MaxRows items by due date of those that match, walking the
// findings once: one case's items at a time (to merge editions) and a bounded heap.
func (a *Audit) actions(match func(*checker.Finding) bool) ([]Action, int) {
	type key struct {
		id  identity
		due record.Date
	}
	limit := a.maxRows()
	h := &actionHeap{}
	total, seq := 0, 0
	caseID := ""
	inCase := map[key]*Action{}
	var order []*Action
	flush := func() {
		for _, it := range order {
			total++
			if h.Len() < limit {
				heap.Push(h, *it)
			} else if actionBefore(*it, (*h)[0]) {
				(*h)[0] = *it
				heap.Fix(h, 0)
			}
		}
		clear(inCase)
		order = order[:0]
	}
	for f := range a.Report.Listed() {
		seq++
		if !match(f) {
			continue
		}
		if f.RecordID() != caseID {
			flush()
			caseID = f.RecordID()
		}
		k := key{identity{f.Referral, f.Rule, f.Subject}, f.Due}
		if it := inCase[k]; it != nil {
			it.Editions = append(it.Editions, EditionLabel(f))
			continue
		}
		it := &Action{Finding: *f, Editions: []string{EditionLabel(f)}, seq: seq}
		inCase[k] = it
		order = append(order, it)
	}
	flush()
	items := []Action(*h)
	slices.SortFunc(items, actionCompare)
	return items, total
}

// Beyond lists the findings of one kind of record beyond the case file (incidents, or areas'
// arrangements), every status but not applicable, in the order of the action lists: the
// first MaxRows items, and how many there are. An item the same under several editions is one
// item.
func (a *Audit) Beyond(kind checker.RecordKind) (items []Action, total int) {
	return a.actions(func(f *checker.Finding) bool { return f.Kind() == kind && f.Status != checker.StatusNotApplicable })
}

// actionCompare orders action items: the earliest due date first, then the report's order.
func actionCompare(x, y Action) int {
	return cmp.Or(cmp.Compare(x.Due.String(), y.Due.String()), cmp.Compare(x.seq, y.seq))
}

func actionBefore(x, y Action) bool { return actionCompare(x, y) < 0 }

// actionHeap is a max-heap by actionCompare: its top is the item to drop first.
type actionHeap []Action

func (h actionHeap) Len() int           { return len(h) }
func (h actionHeap) Less(i, j int) bool { return actionCompare(h[i], h[j]) > 0 }
func (h actionHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *actionHeap) Push(x any)        { *h = append(*h, x.(Action)) }
func (h *actionHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// RuleCompliance counts one rule's findings under one edition, for the compliance table.
type RuleCompliance struct {
	Edition, Rule, Title, Citation string
	Met, Breach, Pending           int
}

// Rate is met / (met + breach); false when nothing was decided.
func (r RuleCompliance) Rate() (float64, bool) {
	return checker.Tally{Met: r.Met, Breach: r.Breach}.Rate()
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
// month from the first to the last present, so gaps show as zeros. The months end at the
// as-of date: a deadline met early and due later (an 18th birthday years ahead) is counted
// in later, not drawn.
func (a *Audit) BreachesByMonth() (months []MonthCount, later int) {
	counts := map[string]*MonthCount{}
	var first, last string
	end := ""
	if u := a.until(); !u.IsZero() {
		end = u.String()[:7]
	}
	for f := range a.Report.Listed() {
		if f.Due.IsZero() || (f.Status != checker.StatusBreach && f.Status != checker.StatusMet) {
			continue
		}
		m := f.Due.String()[:7]
		if end != "" && m > end {
			later++
			continue
		}
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
	for m := first; m != "" && m <= last; m = nextMonth(m) {
		if c := counts[m]; c != nil {
			months = append(months, *c)
		} else {
			months = append(months, MonthCount{Month: m})
		}
	}
	return months, later
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

// TimelineSet keeps the timelines of the cases most in need of a look, at most Max of them,
// whatever order the cases are offered in (a batch checks records on several goroutines):
// first the cases with open work overdue, oldest due date first; then those with work due
// soon, soonest first; then those with any other breach, the most recent first; ties by the
// case id as shown. A timeline is built only when it is kept. It is safe for concurrent use.
type TimelineSet struct {
	Max     int // 0 means DefaultMaxTimelines
	DueSoon int // the due-soon window, in working days

	mu         sync.Mutex
	kept       timelineHeap
	candidates int
}

// Offer considers one case: id is its id as the report shows it, findings are all its
// findings, and build makes its timeline (called only when it is kept).
func (s *TimelineSet) Offer(id string, findings []checker.Finding, build func() *explain.Timeline) {
	p, ok := timelinePriority(findings, s.DueSoon)
	if !ok {
		return
	}
	p.id = id
	limit := cmp.Or(s.Max, DefaultMaxTimelines)
	s.mu.Lock()
	s.candidates++
	keep := s.kept.Len() < limit || p.before(s.kept[0])
	s.mu.Unlock()
	if !keep {
		return
	}
	p.t = build()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.kept.Len() < limit {
		heap.Push(&s.kept, p)
	} else if p.before(s.kept[0]) {
		s.kept[0] = p
		heap.Fix(&s.kept, 0)
	}
}

// Timelines returns the timelines kept, by case id as shown, and how many cases were offered
// that had something to look at.
func (s *TimelineSet) Timelines() (map[string]*explain.Timeline, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]*explain.Timeline, len(s.kept))
	for _, p := range s.kept {
		out[p.id] = p.t
	}
	return out, s.candidates
}

// priority ranks a case for a timeline: by class, then rank, then id.
type priority struct {
	class int // 0 overdue, 1 due soon, 2 another breach
	rank  int // days: ascending within the class
	id    string
	t     *explain.Timeline
}

func (p priority) before(q priority) bool {
	return cmp.Or(cmp.Compare(p.class, q.class), cmp.Compare(p.rank, q.rank), cmp.Compare(p.id, q.id)) < 0
}

var epoch = record.MustDate("1900-01-01")

// timelinePriority ranks a case by its findings; false when it has nothing to look at.
func timelinePriority(findings []checker.Finding, dueSoon int) (priority, bool) {
	p := priority{class: 3}
	for i := range findings {
		f := &findings[i]
		var class, rank int
		switch {
		case isOverdue(f):
			class, rank = 0, epoch.DaysUntil(f.Due)
		case isDueSoon(f, dueSoon):
			class, rank = 1, epoch.DaysUntil(f.Due)
		case f.Status == checker.StatusBreach:
			// The most recent first; an assertion (no due date) after those with one.
			class, rank = 2, 0
			if !f.Due.IsZero() {
				rank = -epoch.DaysUntil(f.Due)
			}
		default:
			continue
		}
		if class < p.class || class == p.class && rank < p.rank {
			p.class, p.rank = class, rank
		}
	}
	return p, p.class < 3
}

// timelineHeap is a max-heap by priority: its top is the case to drop first.
type timelineHeap []priority

func (h timelineHeap) Len() int           { return len(h) }
func (h timelineHeap) Less(i, j int) bool { return h[j].before(h[i]) }
func (h timelineHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timelineHeap) Push(x any)        { *h = append(*h, x.(priority)) }
func (h *timelineHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

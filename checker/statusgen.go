package checker

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/wtcheck/wtcheck/record"
)

// A shipped rule also has a status function: Go code generated from the rule's checked
// expressions (statusfuncs_gen.go, written by `make generate`), which reads the record's
// fields by type and gives only the status of each of the rule's subjects. Most findings are
// only counted (met, not applicable): for them the status is all a check needs, and through
// the expressions' fast paths, each a tree of closures over CEL values, with a finding begun
// for every subject, it was most of what a check cost.
//
// A status function answers only where it is sure to answer as CEL would, and says so by
// returning true. Wherever CEL would give an error, or the record holds what the function
// was not written for (a null where a date is compared, a date outside the calendar), it
// returns false and the subject is evaluated in full, as a rule without a status function
// is. A finding whose status the check lists is built here too, through the code the full
// evaluation builds it with; only a rule with a message expression leaves those to the full
// evaluation. TestStatusFuncsAgreeWithTheRules holds the two ways to the same findings and
// counts.
//
// A function belongs to the text of a rule, not to its id: it is found by the SHA-256 of the
// rule's scope and expressions (statusKey), so a local pack's rule of the same text uses it,
// and a rule changed in any way finds none and is evaluated as before.

// statusFunc gives, through x.take, the status of each finding a rule has for one target
// (one, or one an interval), and returns false where the target must be evaluated in full.
type statusFunc func(x *statusRun, t *target) bool

// generatedRule is one generated status function and the pack parameters it reads, in the
// order it reads them from statusRun.ints.
type generatedRule struct {
	fn     statusFunc
	params []string
}

// generatedStatus holds the generated status functions by statusKey (statusfuncs_gen.go).
var generatedStatus map[string]generatedRule

// useStatusFuncs switches the status functions off, for the tests that compare them with
// the full evaluation.
var useStatusFuncs = true

// maxStatusObjects is the size of record, in objects, up to which status functions are
// used. A rule's budget (ruleCostBase and ruleCostPerObject) bounds what its counted
// expressions spend, and a status function spends nothing: it may stand in for the full
// evaluation only where the budget cannot be reached. TestStatusFuncsStayUnderTheBudget
// holds every shipped rule under ruleCostBase on long records of this many objects.
const maxStatusObjects = 1000

// statusKey identifies a rule's text for its status function: its scope, every expression
// that decides a status, and an interval's subject expression, which the function
// translates too. What the engine reads from the compiled rule as it builds a finding (its
// title, severity, citation, needs and message expression) is not in it.
func statusKey(r *Rule, scope Scope) string {
	parts := []string{string(scope), r.When.Source, r.Each.Source, r.Subject.Source, r.ItemWhen.Source, r.Assert.Source, r.PendingWhile.Source}
	if d := r.Deadline; d != nil {
		due := d.Due.Source
		if d.Within != nil {
			due = d.Within.dueExpr()
		}
		parts = append(parts, "deadline", d.Start.Source, due, d.DueOn.String(), d.Done.Source, d.Lapse.Source)
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// bindStatusFunc gives a compiled rule its generated status function, if its text has one,
// with the values of the parameters it reads.
func (cp *CompiledPack) bindStatusFunc(cr *compiledRule) {
	g, ok := generatedStatus[statusKey(cr.rule, cr.scope)]
	if !ok {
		return
	}
	ints := make([]int64, len(g.params))
	for i, name := range g.params {
		n, ok := cp.values[name].(int64)
		if !ok {
			return // not an int parameter of this pack: the function was not written for it
		}
		ints[i] = n
	}
	cr.status, cr.statusInts = g.fn, ints
}

// statusRun is what a status function reads besides its target, and where it counts what
// it finds until the target is done.
type statusRun struct {
	ev     *evaluator
	c      *record.Case // the record as at the as-of date
	asOf   record.Date
	counts *[4]dateCount // the pack's date-and-count functions (see statusCounts)
	ints   []int64       // the parameters the function reads
	listed StatusSet
	// The rule and the target, for a finding that is listed: it is built here from what the
	// function found, as the full evaluation would build it (TestStatusFuncsAgreeWithTheRules
	// holds the two to the same findings), unless the rule has a message expression.
	cp      *CompiledPack
	cr      *compiledRule
	t       *target
	named   bool
	proxies []string
	// For a rule with intervals (each): intervals is set, found counts the intervals'
	// statuses until the target is done (the engine adds them to the tally then, or drops
	// them if the function gives up), counted says which items were counted or built here,
	// and partial that some were not; the target's evaluation in full then judges only those
	// (evaluator.intervals). A target's single status is counted in the tally at once: it is
	// the function's last step.
	intervals bool
	found     StatusCounts
	counted   []bool
	partial   bool
}

// subjectFunc gives the subject of an interval (the rule's subject expression), or false
// where CEL would give an error.
type subjectFunc func() (string, bool)

// builds reports whether a listed finding of the rule is built here.
func (x *statusRun) builds() bool { return x.cr.message == nil }

// take counts a finding of status s for the target, or builds it when s is listed; false
// leaves the target to the full evaluation.
func (x *statusRun) take(s Status, w why) bool {
	if build, ok := x.listedOne(s); !build {
		return ok
	}
	f := x.ev.findingOf(x.cp, x.cr, x.t, x.named, x.proxies)
	f.Status = s
	x.message(&f, w)
	x.ev.keep(&f)
	return true
}

// message gives a finding built here its message, unless no report shows it.
func (x *statusRun) message(f *Finding, w why) {
	if !x.ev.engine.WithoutMessages {
		f.Message = judgedMessage(x.cr.rule.Title, f.Status, w)
	}
}

// deadline takes the status of a deadline from its dates, as evaluator.deadline judges it.
func (x *statusRun) deadline(start, due, done, lapse record.Date) bool {
	s, ok := x.deadlineStatus(start, due, done, lapse)
	if !ok {
		return false
	}
	if build, ok := x.listedOne(s); !build {
		return ok
	}
	f := x.ev.findingOf(x.cp, x.cr, x.t, x.named, x.proxies)
	x.ev.judgeDeadline(x.cr, &f, start, due, done, lapse)
	x.ev.keep(&f)
	return true
}

// items readies the count of a target's n intervals.
func (x *statusRun) items(n int) {
	if cap(x.counted) < n {
		x.counted = make([]bool, n)
	}
	x.counted = x.counted[:n]
	clear(x.counted)
	x.intervals, x.found, x.partial = true, StatusCounts{}, false
}

// takeItem is take for interval i, whose subject is subject's. A listed status that is not
// built here is left to the full evaluation (partial); false leaves it the whole target.
func (x *statusRun) takeItem(i int, s Status, w why, subject subjectFunc) bool {
	id, build, ok := x.itemListed(i, s, subject)
	if !build {
		return ok
	}
	f := x.ev.findingOf(x.cp, x.cr, x.t, x.named, x.proxies)
	f.Subject, f.Status = id, s
	x.message(&f, w)
	x.ev.keep(&f)
	return true
}

// deadlineItem is deadline for interval i, whose subject is subject's.
func (x *statusRun) deadlineItem(i int, subject subjectFunc, start, due, done, lapse record.Date) bool {
	s, ok := x.deadlineStatus(start, due, done, lapse)
	if !ok {
		return false
	}
	id, build, ok := x.itemListed(i, s, subject)
	if !build {
		return ok
	}
	f := x.ev.findingOf(x.cp, x.cr, x.t, x.named, x.proxies)
	f.Subject = id
	x.ev.judgeDeadline(x.cr, &f, start, due, done, lapse)
	x.ev.keep(&f)
	return true
}

// deadlineStatus is the status of a deadline; ok is false where its due date is an error
// (null, or before the start), which evaluator.deadline reports.
func (x *statusRun) deadlineStatus(start, due, done, lapse record.Date) (s Status, ok bool) {
	if due.IsZero() || due.Before(start) {
		return "", false
	}
	return deadlineStatus(due, done, lapse, x.asOf), true
}

// listedOne counts status s of the target's one finding, or says its finding is to be built
// here (build); ok is false where it is left to the full evaluation (a rule with a message
// expression).
func (x *statusRun) listedOne(s Status) (build, ok bool) {
	if !x.listed.Has(s) {
		x.ev.tally.Add(s)
		return false, true
	}
	return x.builds(), x.builds()
}

// itemListed counts status s of interval i, or says its finding is to be built here (build)
// with its subject (id), or leaves it to the full evaluation (partial). ok is false where the
// subject is an error, which leaves the whole target to the full evaluation.
func (x *statusRun) itemListed(i int, s Status, subject subjectFunc) (id string, build, ok bool) {
	if !x.listed.Has(s) {
		x.found.Add(s)
		x.counted[i] = true
		return "", false, true
	}
	if !x.builds() || subject == nil {
		x.partial = true
		return "", false, true
	}
	if id, ok = subject(); !ok {
		return "", false, false
	}
	x.counted[i] = true
	return id, true, true
}

// isoDateOf is isoDate(d): the date as YYYY-MM-DD, the empty string for null; false for a
// date outside the calendar, which CEL refuses.
func isoDateOf(d record.Date) (string, bool) {
	if d.IsZero() {
		return "", true
	}
	if !d.InRange() {
		return "", false
	}
	return d.String(), true
}

// The date-and-count functions, in the order of statusCounts.
const (
	countWorkingDays = iota
	countMonths
	countDays
	countYears
)

// statusCounts are the date-and-count functions (dateCounts) in the order status functions
// name them.
func statusCounts(m map[string]dateCount) *[4]dateCount {
	return &[4]dateCount{m["addWorkingDays_timestamp_int"], m["addMonths_timestamp_int"], m["addDays_timestamp_int"], m["anniversary_timestamp_int"]}
}

// count is addWorkingDays, addMonths, addDays or anniversary (which) of d and k: null for a
// null d; ok is false where CEL gives an error.
func (x *statusRun) count(which int, d record.Date, k int64) (out record.Date, ok bool) {
	if d.IsZero() {
		return d, true
	}
	if !d.InRange() {
		return d, false
	}
	out, refused := x.counts[which].apply(d, k)
	return out, refused == nil
}

// earliestDate is earliest(ds): the earliest date, ignoring nulls; null for none. ok is
// false for a date outside the calendar, which CEL refuses.
func earliestDate(ds []record.Date) (record.Date, bool) { return pickDay(ds, record.Date.Before) }

// latestDate is latest(ds), as earliestDate.
func latestDate(ds []record.Date) (record.Date, bool) { return pickDay(ds, record.Date.After) }

// pickDay is the date of ds that better prefers over every other, nulls left out.
func pickDay(ds []record.Date, better func(a, b record.Date) bool) (best record.Date, ok bool) {
	for _, d := range ds {
		if d.IsZero() {
			continue
		}
		if !d.InRange() {
			return record.Date{}, false
		}
		if best.IsZero() || better(d, best) {
			best = d
		}
	}
	return best, true
}

// firstAfterSorted is firstAfter(l, d) over a list known to be in order and each once.
func firstAfterSorted(l *sortedDates, d record.Date) (record.Date, bool) {
	if d.IsZero() {
		return d, true
	}
	if !d.InRange() {
		return record.Date{}, false
	}
	return l.firstAfterDay(d), true
}

// discussionsFor, conferencesFor, reviewsOf, conferencesOf, reviewDates and seenVisits are
// the record's look-ups (index.go) as the status functions call them.
func (x *statusRun) discussionsFor(r *record.Referral, s *record.S47Enquiry) []*record.StrategyDiscussion {
	return x.ev.index.referral(r).discussionFor(s)
}

func (x *statusRun) conferencesFor(r *record.Referral, s *record.S47Enquiry) []*record.Conference {
	return x.ev.index.referral(r).enquiryConfs[s.ID]
}

func (x *statusRun) reviewsOf(r *record.Referral, p *record.Plan) []*record.Conference {
	return x.ev.index.referral(r).reviews[p.ID]
}

func (x *statusRun) conferencesOf(r *record.Referral, p *record.Plan) []*record.Conference {
	return x.ev.index.referral(r).planConfs[p.ID]
}

func (x *statusRun) reviewDates(r *record.Referral, p *record.Plan) *sortedDates {
	return x.ev.index.referral(r).reviewDatesOf(p.ID)
}

func (x *statusRun) seenVisits(p *record.Plan) *sortedDates {
	return x.ev.index.seenVisits(p)
}

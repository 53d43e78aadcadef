package checker

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/functions"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/interpreter"
	"github.com/wtcheck/wtcheck/record"
)

// DefaultDueSoon is how many working days before its due date a pending deadline counts as
// due soon.
const DefaultDueSoon = 5

// Engine evaluates compiled packs on cases. It holds no mutable state, so one Engine may
// check records on many goroutines at once.
type Engine struct {
	Packs    []*CompiledPack
	Calendar *Calendar
	// DueSoon is the due-soon threshold in working days.
	DueSoon int
	// Today is the as-of date for a record with no extract date when no as-of date is given.
	Today record.Date
	// InForce checks each referral only against the pack of the edition in force on the day
	// it was received, instead of against every pack.
	InForce bool
	// WithoutMessages builds listed findings without the message and note the engine writes
	// itself, for a check whose reports show neither (batch.Options.WithoutMessages): a
	// million of them were a tenth of what the engine did. A rule's own message expression
	// is still evaluated, so that an error in it shows alike in every format.
	WithoutMessages bool
	// spent, when set, is told what each rule spent on each record of its counted
	// expressions: how the tests show the shipped rules' headroom under their budget.
	spent func(rule *Rule, cost uint64, objects int)
	// share holds the *sharePlan that says which rules of different packs evaluate alike,
	// made on first use (share.go). An atomic.Value, not an atomic.Pointer, because callers
	// copy an Engine to change a setting; a copy keeps a plan that Engine.sharing checks
	// against its packs before use.
	share atomic.Value
}

// EvalError is a rule that could not be evaluated on one subject of a case: a rule defect,
// or data the rule did not expect. No finding is made for it, and it is reported, never
// dropped.
type EvalError struct {
	Edition string
	Rule    string
	Subject string
	Err     error
}

func (e EvalError) Error() string {
	return fmt.Sprintf("rule %s (%s) on %s: %v", e.Rule, e.Edition, e.Subject, e.Err)
}

// OverBudget reports whether the rule was stopped for spending more than its cost budget on
// the record: the pack is broken, whatever the data (see CostError).
func (e EvalError) OverBudget() bool {
	var ce *CostError
	return errors.As(e.Err, &ce)
}

// CostError is a rule that spent more than its cost budget on one record (see ruleCostBase):
// its work grows faster than the record does, which is a defect of the pack, so it is stopped
// there and reported with where the rule is written.
type CostError struct {
	Rule    Position // where the rule is written
	Budget  uint64
	Objects int // the objects in the record, which the budget grows with
}

func (e *CostError) Error() string {
	return fmt.Sprintf("%s: the rule went over its cost limit on this record (%d units: %d, and %d for each of the record's %d objects): "+
		"its work grows faster than the record, so the pack needs fixing", e.Rule, e.Budget, ruleCostBase, ruleCostPerObject, e.Objects)
}

// AsOfFor is the day a case is checked as at: asOf if given, else the record's extract
// date, else the engine's today.
func (e *Engine) AsOfFor(c *record.Case, asOf record.Date) record.Date {
	switch {
	case !asOf.IsZero():
		return asOf
	case !c.ExtractDate.IsZero():
		return c.ExtractDate
	}
	return e.Today
}

// Check evaluates every pack on one validated case as at asOf (see AsOfFor) and returns its
// findings, sorted, with any evaluation errors.
func (e *Engine) Check(c *record.Case, asOf record.Date) ([]Finding, []EvalError) {
	f, errs, _ := e.CheckInForce(c, asOf)
	return f, errs
}

// CheckInForce is Check that also returns the referrals no pack covered, in InForce mode.
func (e *Engine) CheckInForce(c *record.Case, asOf record.Date) ([]Finding, []EvalError, []NotCovered) {
	f, errs, uncovered := e.CheckListed(c, asOf, AllStatuses, nil)
	SortFindings(f)
	return f, errs, uncovered
}

// CheckListed is CheckInForce building only the findings whose status is in listed, in the
// order they were evaluated (not sorted: a batch sorts what it lists once, for all cases).
// Each finding of another status is counted in tally, with no message, citation or note built
// for it; its rule's own message expression, and an interval's subject expression, are not
// evaluated either, so an error in those expressions shows only on a finding that is listed.
func (e *Engine) CheckListed(c *record.Case, asOf record.Date, listed StatusSet, tally *StatusCounts) ([]Finding, []EvalError, []NotCovered) {
	return e.CheckListedAppend(nil, c, asOf, listed, tally)
}

// CheckListedAppend is CheckListed appending the findings to dst[:0], so that a caller
// checking case after case reuses one array for them rather than growing a new one each time.
func (e *Engine) CheckListedAppend(dst []Finding, c *record.Case, asOf record.Date, listed StatusSet, tally *StatusCounts) ([]Finding, []EvalError, []NotCovered) {
	if tally == nil {
		tally = new(StatusCounts)
	}
	day := e.AsOfFor(c, asOf)
	ev := newEvaluator(e, c.ViewAt(day), day, listed, tally)
	defer ev.release()
	ev.findings = dst[:0]
	ev.caseVal, ev.childVal, ev.asOfVal = ev.objectVal(ev.c), ev.objectVal(&ev.c.Child), dateVal(day)
	ev.objects = ev.c.Objects()
	ev.budget = ruleCostBase + ruleCostPerObject*uint64(ev.objects)
	ev.statusOK = useStatusFuncs && useFastPaths && e.spent == nil && ev.objects <= maxStatusObjects
	var uncovered []NotCovered
	if e.InForce {
		ev.inForce = true
		ev.packOf = slices.Grow(ev.spare.packOf[:0], len(ev.c.Referrals))
		ev.packIn = slices.Grow(ev.spare.packIn[:0], len(e.Packs))[:len(e.Packs)]
		for _, r := range ev.c.Referrals {
			pi := e.packIndexInForce(r.Received)
			if pi >= 0 {
				ev.packOf = append(ev.packOf, e.Packs[pi])
				ev.packIn[pi] = true
			} else {
				ev.packOf = append(ev.packOf, nil)
				uncovered = append(uncovered, NotCovered{CaseID: c.CaseID, Referral: r.ID, Received: r.Received})
			}
		}
	}
	// Under every edition, a rule that several packs have alike is evaluated once, and the
	// other packs are given its outcome (share.go). Under the edition in force each referral
	// sees one pack, so there is nothing to share.
	var plan *sharePlan
	var memo []sharedOutcome
	if !e.InForce && useSharing {
		plan = e.sharing()
		memo = ev.memo(plan.groups)
	}
	for pi, cp := range e.Packs {
		if ev.inForce && !ev.packIn[pi] {
			continue // in force mode: no referral of this case was received under this edition
		}
		named := e.namesPack(cp)
		for ri, cr := range cp.rules {
			if cr.kind != KindCase {
				continue // an incident's or an area's rule: CheckIncident, CheckArrangements
			}
			g := -1
			if plan != nil {
				g = plan.group[pi][ri]
			}
			if g >= 0 && memo[g].pass == ev.spare.pass {
				ev.replay(&memo[g], cp, cr, plan.named[pi])
				if e.spent != nil && memo[g].tracked {
					e.spent(cr.rule, memo[g].cost, ev.objects)
				}
				continue
			}
			findingsFrom, errsFrom, before := len(ev.findings), len(ev.errs), *tally
			ev.rule(cp, cr, named)
			if e.spent != nil {
				ev.reportSpent(cr.rule)
			}
			// An outcome over budget is not shared: its error names where this pack's rule
			// is written, so each pack's rule finds its own.
			if g >= 0 && !ev.overBudget && !anyOverBudget(ev.errs[errsFrom:]) {
				o := &memo[g]
				*o = sharedOutcome{pass: ev.spare.pass, findingsFrom: findingsFrom, findingsTo: len(ev.findings), errsFrom: errsFrom, errsTo: len(ev.errs)}
				if e.spent != nil {
					o.cost, o.tracked = ev.ruleSpent()
				}
				for i := range o.tally {
					o.tally[i] = tally[i] - before[i]
				}
			}
		}
	}
	return ev.findings, ev.errs, uncovered
}

// namesPack reports whether the findings of a pack name it (Finding.Pack): a local pack, so
// that a local variant is never taken for the shipped pack, or one of two packs of the same
// edition, which the edition alone cannot tell apart.
func (e *Engine) namesPack(cp *CompiledPack) bool {
	if cp.Pack.Local {
		return true
	}
	for _, other := range e.Packs {
		if other != cp && other.Pack.Edition == cp.Pack.Edition {
			return true
		}
	}
	return false
}

// packInForce is the loaded pack in force on day d, the latest one if periods overlap.
func (e *Engine) packInForce(d record.Date) *CompiledPack {
	if i := e.packIndexInForce(d); i >= 0 {
		return e.Packs[i]
	}
	return nil
}

// packIndexInForce is packInForce's index in e.Packs, or -1 for none.
func (e *Engine) packIndexInForce(d record.Date) int {
	best := -1
	for i, cp := range e.Packs {
		if cp.Pack.InForce.Covers(d) && (best < 0 || cp.Pack.InForce.From.After(e.Packs[best].Pack.InForce.From)) {
			best = i
		}
	}
	return best
}

// evaluator holds the work of one Check call.
type evaluator struct {
	engine   *Engine
	c        *record.Case
	asOf     record.Date
	findings []Finding
	errs     []EvalError
	// In InForce mode (inForce), each referral's pack, in record order (nil for none), and
	// whether some referral has each pack, by its index in Engine.Packs.
	inForce bool
	packOf  []*CompiledPack
	packIn  []bool
	index   *caseIndex
	objects int    // the objects in the record
	budget  uint64 // what each rule may spend on the record
	// The rule being evaluated: its cost so far, and whether it went over its budget.
	cp         *CompiledPack
	cr         *compiledRule
	tracker    *cost.Tracker
	overBudget bool
	// meter is what the rule's counted expressions spent through fast paths, and
	// trackerLimit what the tracker may spend: the budget less that.
	meter        meter
	trackerLimit uint64
	listed       StatusSet // the statuses built in full; the others are only counted
	tally        *StatusCounts
	// What every rule on the case shares, made once per case rather than once per rule:
	// the case, the child and the as-of day as CEL values, and each scope's targets.
	caseVal, childVal, asOfVal ref.Val
	// targetsAt holds where each scope's targets are in spare.targets, at the scope's index
	// in Scopes, once made (targetsMade): a map looked up by name for every rule on every
	// case was 2% of a check. They are offsets, not slices, so that emptying the evaluator
	// for the next case writes no pointers for them.
	targetsAt    [len(scopeOrder)][2]int32
	targetsMade  uint16
	referralVals []ref.Val // the case's referrals as CEL values, in record order
	// subjectOf is the subject expression of the interval being judged, evaluated in the
	// item's activation (onItem) only for a finding that is built, or an error that names it
	// (see itemSubject).
	subjectOf *program
	// statusOK says whether the rules' status functions may stand in for their full
	// evaluation on this record (see statusgen.go), and run is what they read and count in.
	statusOK bool
	run      statusRun
	// fromStatus, while a target is evaluated in full, is its status function's count of
	// the intervals it could count (statusRun.counted), which intervals then passes over.
	fromStatus *statusRun
	*activations
	spare evaluatorMaps
}

// activations are reused from target to target (one for the target, one for an interval's
// item, one for a message), so that evaluating a rule allocates none: an activation handed to
// CEL escapes, and one a target was most of what a check allocated. Each is set before it is
// read. They are kept apart from the evaluator, which is emptied for every case, because
// emptying them too (1 KB of pointers) was a third of what starting a case cost.
type activations struct {
	onTarget, onItem, onMessage vars
}

// evaluators keeps evaluators, with their maps and their record index, from case to case:
// made afresh for every case, they were a sixth of the bytes a check allocated.
var evaluators = sync.Pool{New: func() any {
	return &evaluator{spare: evaluatorMaps{
		acts:  new(activations),
		index: newCaseIndex(),
	}}
}}

// maxSpareTargets bounds the targets array an evaluator keeps for its next case.
const maxSpareTargets = 1024

// evaluatorMaps are the maps an evaluator empties and keeps for its next case.
type evaluatorMaps struct {
	acts    *activations
	index   *caseIndex
	packOf  []*CompiledPack
	packIn  []bool
	targets []target // the array every scope's targets are cut from
	// referralVals is the array the case's referrals are made CEL values in.
	referralVals []ref.Val
	// objects is the slab the case's objects are made CEL objects in (objectVal).
	objects []celObject
	// shared holds, under every edition, the outcomes of the rules several packs have alike
	// (share.go), from case to case: an outcome is this case's when its pass is this one, which
	// each case moves on, so that none is emptied (64 outcomes made empty on the stack were
	// 6 KB written for every case).
	shared []sharedOutcome
	pass   uint64
	// counted is the array a status function marks an interval rule's items in
	// (statusRun.counted), at most a record of maxStatusObjects' worth.
	counted []bool
}

// memo gives the case's shared outcomes, n of them, none yet given.
func (ev *evaluator) memo(n int) []sharedOutcome {
	sp := &ev.spare
	if len(sp.shared) < n {
		sp.shared = make([]sharedOutcome, n)
	}
	sp.pass++
	return sp.shared[:n]
}

// newEvaluator gives an evaluator for one case, as at day, with nothing of an earlier case.
func newEvaluator(e *Engine, c *record.Case, day record.Date, listed StatusSet, tally *StatusCounts) *evaluator {
	ev := evaluators.Get().(*evaluator)
	// The pool's evaluators are all zero but for their spare maps (see release): only what
	// this case sets is written, not the whole evaluator a second time.
	ev.engine, ev.c, ev.asOf, ev.listed, ev.tally = e, c, day, listed, tally
	ev.index, ev.activations = ev.spare.index, ev.spare.acts
	ev.run.counted = ev.spare.counted
	return ev
}

// release empties the evaluator's maps and gives it back. What it returned (findings, errors)
// is the caller's: the evaluator keeps no reference to them.
func (ev *evaluator) release() {
	spare := ev.spare
	spare.index.reset()
	if ev.inForce {
		clear(ev.packOf)
		clear(ev.packIn)
		spare.packOf, spare.packIn = ev.packOf[:0], ev.packIn[:0]
		if cap(spare.packOf) > maxSpareReferrals {
			spare.packOf = nil // a huge record's array is not kept
		}
	}
	clear(spare.targets)
	spare.targets = spare.targets[:0]
	if cap(spare.targets) > maxSpareTargets {
		spare.targets = nil // a huge record's array is not kept
	}
	clear(spare.objects)
	spare.objects = spare.objects[:0]
	if ev.referralVals != nil {
		spare.referralVals = ev.referralVals[:0]
		clear(ev.referralVals)
		if cap(spare.referralVals) > maxSpareReferrals {
			spare.referralVals = nil
		}
	}
	spare.counted = ev.run.counted[:0]
	*ev = evaluator{spare: spare}
	evaluators.Put(ev)
}

// scopeTargets lists the objects of a scope in record order, made once per case.
func (ev *evaluator) scopeTargets(scope Scope, at int) []target {
	all := ev.spare.targets
	if ev.targetsMade&(1<<at) != 0 {
		from, to := ev.targetsAt[at][0], ev.targetsAt[at][1]
		return all[from:to:to]
	}
	// Every scope's targets are cut from one array the evaluator keeps from case to case.
	from := len(all)
	all = ev.appendTargets(all, scope)
	ev.spare.targets = all
	ev.targetsAt[at], ev.targetsMade = [2]int32{int32(from), int32(len(all))}, ev.targetsMade|1<<at
	return all[from:len(all):len(all)]
}

// counted reports whether a finding of status s is only counted, and counts it if so.
func (ev *evaluator) counted(s Status) bool {
	if ev.listed.Has(s) {
		return false
	}
	ev.tally.Add(s)
	return true
}

// target is one object a rule is evaluated for, with it and its referral as CEL values (the
// object made one only when a rule is evaluated in full on it).
type target struct {
	id                     string
	referral               *record.Referral
	pack                   *CompiledPack // in InForce mode, the pack of the referral's edition
	object                 any
	objectVal, referralVal ref.Val
}

// appendTargets appends the objects of a scope to out, in record order. Each referral is
// made a CEL value once for the case, whichever scopes' targets it is the referral of.
func (ev *evaluator) appendTargets(out []target, scope Scope) []target {
	c := ev.c
	if scope == ScopeCase {
		return append(out, target{id: c.CaseID, object: c, objectVal: ev.caseVal})
	}
	if ev.referralVals == nil {
		ev.referralVals = ev.spare.referralVals[:0]
		for _, r := range c.Referrals {
			ev.referralVals = append(ev.referralVals, ev.objectVal(r))
		}
	}
	coll := record.CollectionOf(string(scope))
	for ri, r := range c.Referrals {
		rv := ev.referralVals[ri]
		var pack *CompiledPack
		if ev.inForce {
			pack = ev.packOf[ri]
		}
		if scope == ScopeReferral {
			out = append(out, target{id: r.ID, referral: r, pack: pack, object: r, objectVal: rv, referralVal: rv})
			continue
		}
		if coll == nil {
			continue
		}
		for i := range coll.Len(r) {
			o := coll.At(r, i)
			// The object is made a CEL value only when a rule is evaluated in full on it.
			out = append(out, target{id: o.ObjectID(), referral: r, pack: pack, object: o, referralVal: rv})
		}
	}
	return out
}

// objectVal is a case-model value as a CEL object, made in the evaluator's slab: the case's
// objects were a CEL object allocated each, case after case. A pointer into the slab stays
// good when the slab grows (the old array lives on while it is pointed at), and nothing of
// a case outlives it but its findings and errors, which hold no object.
func (ev *evaluator) objectVal(v any) ref.Val {
	t := objectTypeOf(v)
	if t == nil {
		return celTypeAdapter.NativeToValue(v)
	}
	if len(ev.spare.objects) == cap(ev.spare.objects) && cap(ev.spare.objects) >= maxSpareTargets {
		return &celObject{t: t, v: v} // a huge record: no slab grows without bound
	}
	ev.spare.objects = append(ev.spare.objects, celObject{t: t, v: v})
	return &ev.spare.objects[len(ev.spare.objects)-1]
}

// vars is the activation rules are evaluated in: a fixed set of names, resolved without a
// map lookup because every rule on every subject builds one.
type vars struct {
	caseV, child, referral, object, item ref.Val
	objectName                           string
	asOf, params                         ref.Val
	start, due, done                     ref.Val
	// startDay is the deadline's start while start is not yet made a CEL value: most rules
	// read the start only through a date path (addWorkingDays(start, 20)), so it is made
	// one only when CEL reads it (varField). A date boxed for every deadline was a memory
	// read that missed the cache, twice.
	startDay                       record.Date
	status, lateWD, lateDays, left ref.Val
	// itemDay is the interval's item as a Date, when it is a date (itemIsDay): read once for
	// the item, where each date path that reads it (the start, the event after it) read the
	// CEL value again.
	itemDay   record.Date
	itemIsDay bool
	index     *caseIndex // the record's look-ups, for the late-bound functions
	// meter is what the rule's counted fast paths spent (set by evaluator.eval), and locals
	// the comprehension variables of a fast path (see fastpath.go).
	meter  *meter
	locals [maxLocals]ref.Val
	// localDays are the comprehension variables that are dates, where localIsDay says so:
	// their CEL values are made only when read as such (localDate).
	localDays  [maxLocals]record.Date
	localIsDay [maxLocals]bool
}

// localDate is the comprehension variable in slot made a CEL value, when it is a date kept as
// a Date; nil otherwise.
func (v *vars) localDate(slot int) ref.Val {
	if !v.localIsDay[slot] {
		return nil
	}
	v.locals[slot] = dateVal(v.localDays[slot])
	return v.locals[slot]
}

func (v *vars) ResolveName(name string) (any, bool) {
	out := v.lookup(name)
	return out, out != nil
}

// lookup is the value bound to a name, or nil: what ResolveName gives CEL, and what a fast
// path reads (fastpath.go).
func (v *vars) lookup(name string) ref.Val {
	if get := varField(name); get != nil {
		return get(v)
	}
	return v.scopeObject(name)
}

// scopeObject is the scope's object when name is its variable (assessment, plan…), else nil.
func (v *vars) scopeObject(name string) ref.Val {
	if name == v.objectName {
		return v.object
	}
	return nil
}

// varField gives the reader of a fixed name of the activation, or nil for any other name.
func varField(name string) func(*vars) ref.Val {
	switch name {
	case "case":
		return func(v *vars) ref.Val { return v.caseV }
	case "child":
		return func(v *vars) ref.Val { return v.child }
	case "as_of":
		return func(v *vars) ref.Val { return v.asOf }
	case "params":
		return func(v *vars) ref.Val { return v.params }
	case "referral":
		return func(v *vars) ref.Val { return v.referral }
	case "item":
		return func(v *vars) ref.Val { return v.item }
	case "start":
		return (*vars).startVal
	case "due":
		return func(v *vars) ref.Val { return v.due }
	case "done":
		return func(v *vars) ref.Val { return v.done }
	case "status":
		return func(v *vars) ref.Val { return v.status }
	case "late_working_days":
		return func(v *vars) ref.Val { return v.lateWD }
	case "late_days":
		return func(v *vars) ref.Val { return v.lateDays }
	case "working_days_left":
		return func(v *vars) ref.Val { return v.left }
	case "object":
		return func(v *vars) ref.Val { return v.object }
	}
	return nil
}

// startVal is the deadline's start as a CEL value, made on first read; nil when no start is
// bound.
func (v *vars) startVal() ref.Val {
	if v.start == nil && !v.startDay.IsZero() {
		v.start = dateVal(v.startDay)
	}
	return v.start
}

// startDate is what the date path of start reads: the start, with ok false when none is
// bound (CEL's error to give).
func (v *vars) startDate() (record.Date, bool) {
	if v.start == nil {
		return v.startDay, !v.startDay.IsZero()
	}
	return dateOfVal(v.start)
}

func (v *vars) Parent() interpreter.Activation { return nil }

// ResolveFunction supplies the functions bound late, to the record's index (see index.go).
func (v *vars) ResolveFunction(name string) (functions.LateBoundOp, bool) {
	return v.index.resolve(name)
}

func (ev *evaluator) rule(cp *CompiledPack, cr *compiledRule, named bool) {
	ev.begin(cp, cr)
	targets := ev.scopeTargets(cr.scope, cr.scopeAt)
	if len(targets) == 0 {
		return // a plan's rule on a case with no plan: nothing to set up
	}
	whenLacks, lacks := lacking(ev.c.Provenance.Lacks, cr.whenReads), lacking(ev.c.Provenance.Lacks, cr.reads)
	var proxies []string
	if len(ev.c.Provenance.Proxies) > 0 {
		proxies = proxiesRead(ev.c.Provenance.Proxies, append(slices.Clone(cr.whenReads), cr.reads...))
	}
	// The activation is set up once for the rule; each target changes only what is its own.
	// Only the names a rule's expressions can read are set: the type checker lets no other
	// be read (the message's status, an interval's item), so what an earlier rule left in
	// them is never seen. Writing the whole activation, with the garbage collector running,
	// was 1% of a check.
	act := &ev.onTarget
	act.caseV, act.child, act.asOf, act.index = ev.caseVal, ev.childVal, ev.asOfVal, ev.index
	act.params, act.objectName = cp.params, cr.variable
	// A status function stands in for the evaluation of each target whose findings are only
	// counted, unless the record's source cannot record what the rule reads.
	var run *statusRun
	if cr.status != nil && ev.statusOK && len(whenLacks) == 0 && len(lacks) == 0 {
		run = &ev.run
		run.ev, run.c, run.asOf, run.counts, run.ints, run.listed = ev, ev.c, ev.asOf, cp.counts, cr.statusInts, ev.listed
		run.cp, run.cr, run.named, run.proxies = cp, cr, named, proxies
	}
	for i := range targets {
		t := &targets[i]
		if ev.overBudget {
			return // reported once, on the subject where it happened
		}
		if ev.inForce && (t.referral == nil || t.pack != cp) {
			continue // in force mode: only the referral's own edition
		}
		if run != nil {
			run.t, run.intervals = t, false
			built := len(ev.findings)
			if ev.statusOf(cr, run, t) {
				if !run.intervals {
					continue // its one status counted, or its finding built
				}
				if !run.partial {
					ev.tally.AddAll(&run.found)
					continue
				}
				// Some intervals are listed and could not be built here: those are judged in
				// full, the others were counted.
				ev.fromStatus = run
			}
			clear(ev.findings[built:])
			ev.findings = ev.findings[:built] // the full evaluation builds them all again
		}
		if t.objectVal == nil {
			t.objectVal = ev.objectVal(t.object) // kept for the scope's other rules
		}
		act.object, act.referral, act.start, act.startDay = t.objectVal, t.referralVal, nil, record.Date{}
		// The finding is built on the stack and handed down by address: it is copied once,
		// into the findings, and only if it is listed.
		f := ev.findingOf(cp, cr, t, named, proxies)
		ev.target(cr, act, &f, whenLacks, lacks)
		ev.fromStatus = nil
	}
}

// findingOf begins a finding of a rule on a target: what every finding of it says.
func (ev *evaluator) findingOf(cp *CompiledPack, cr *compiledRule, t *target, named bool, proxies []string) Finding {
	r := cr.rule
	f := Finding{
		CaseID:   ev.c.CaseID,
		Edition:  cp.Pack.Edition,
		Rule:     r.ID,
		Subject:  t.id,
		Severity: r.Severity,
		Citation: cr.citation,
		Team:     ev.c.Organisation.Team,
		Proxies:  proxies,
	}
	if t.referral != nil {
		// The case is seen as at the as-of date, so a closure after it is not here.
		f.Referral, f.Closed = t.referral.ID, t.referral.Closed
	}
	if named {
		f.Pack = cp.Pack.ID
	}
	return f
}

// statusOf runs a rule's status function on a target. A panic in it, which only a bug could
// cause, leaves the target to the full evaluation, which reports what it finds as an error
// of the rule: a status function must never take the batch down either.
func (ev *evaluator) statusOf(cr *compiledRule, run *statusRun, t *target) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return cr.status(run, t)
}

// proxiesRead lists the proxies (provenance.proxies, "path: what stands in") whose path a
// rule reads, so that every finding built on a stand-in says so.
func proxiesRead(proxies, reads []string) []string {
	var out []string
	for _, p := range proxies {
		path, _, _ := strings.Cut(p, ":")
		for _, r := range reads {
			if r == path || strings.HasPrefix(r, path+".") || strings.HasPrefix(path, r+".") {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// target evaluates a rule on one object. A condition that reads a fact the source cannot
// record cannot be judged, so it gives insufficient_data before the condition is tried; a
// false condition is not_applicable; then a requirement that reads such a fact gives
// insufficient_data.
func (ev *evaluator) target(cr *compiledRule, act *vars, f *Finding, whenLacks, lacks []string) {
	// The recovery is deferred here, in a function with one return: in the function of many
	// returns that does the work, the compiler could not inline the deferred call, and
	// running it was a tenth of a simple rule's evaluation.
	defer ev.recoverTarget(f)
	ev.evaluateTarget(cr, act, f, whenLacks, lacks)
}

// recoverTarget reports a panic in a rule's evaluation like any other evaluation error: a
// rule must never take the batch down. The error names the target, not an interval of it.
func (ev *evaluator) recoverTarget(f *Finding) {
	if p := recover(); p != nil {
		ev.index.args = ev.index.args[:0] // a look-up's arguments, if it was one that panicked
		ev.subjectOf = nil
		ev.fail(f, fmt.Errorf("internal error: %v", p))
	}
}

// insufficient gives a finding insufficient_data: the source of the record cannot record
// the facts named missing.
func (ev *evaluator) insufficient(cr *compiledRule, act *vars, f *Finding, missing []string) {
	if ev.counted(StatusInsufficientData) {
		return
	}
	f.Status = StatusInsufficientData
	f.Message = fmt.Sprintf("%s: the source of this record cannot record %s", cr.rule.Title, strings.Join(missing, ", "))
	ev.emit(cr, act, f)
}

// evaluateTarget is target's work.
func (ev *evaluator) evaluateTarget(cr *compiledRule, act *vars, f *Finding, whenLacks, lacks []string) {
	if len(whenLacks) > 0 {
		ev.insufficient(cr, act, f, whenLacks)
		return
	}
	if cr.when != nil {
		ok, err := ev.evalBool(cr.when, act)
		if err != nil {
			ev.fail(f, fmt.Errorf("when: %w", err))
			return
		}
		if !ok {
			if ev.counted(StatusNotApplicable) {
				return
			}
			f.Status = StatusNotApplicable
			f.Message = judgedMessage(cr.rule.Title, StatusNotApplicable, whyWhen)
			ev.emit(cr, act, f)
			return
		}
	}
	if cr.each == nil {
		if len(lacks) > 0 {
			ev.insufficient(cr, act, f, lacks)
			return
		}
		ev.judge(cr, act, f)
		return
	}
	out, err := ev.eval(cr.each, act)
	if err != nil {
		if len(lacks) > 0 {
			ev.insufficient(cr, act, f, lacks) // the intervals themselves rest on what cannot be recorded
			return
		}
		ev.fail(f, fmt.Errorf("each: %w", err))
		return
	}
	items, ok := out.(traits.Lister)
	if !ok {
		ev.fail(f, fmt.Errorf("each: want a list, got %s", out.Type().TypeName()))
		return
	}
	if items.Size() == types.IntZero {
		if len(lacks) > 0 {
			ev.insufficient(cr, act, f, lacks)
			return
		}
		if ev.counted(StatusNotApplicable) {
			return
		}
		f.Status = StatusNotApplicable
		f.Message = judgedMessage(cr.rule.Title, StatusNotApplicable, whyNoIntervals)
		ev.emit(cr, act, f)
		return
	}
	// Each interval keeps its own subject (P1@2024-01-29, K2), whatever its status. Where the
	// source cannot record what the intervals are made of (visits), only the first interval
	// (the one the plan's start opens) is certain: it gets one insufficient_data finding, and
	// the record's partial history invents no others.
	n, ok := items.Size().(types.Int)
	if !ok {
		ev.fail(f, fmt.Errorf("each: want a list with a size, got %s", out.Type().TypeName()))
		return
	}
	// The item's activation is the target's with the item added; it is set up once, and each
	// item changes only what is its own. It is also where an interval's subject is evaluated.
	item := &ev.onItem
	*item = *act
	ev.subjectOf = cr.subject
	ev.intervals(cr, item, f, items, n, lacks)
	ev.subjectOf = nil
}

// intervals judges each item of a rule's intervals in the item's activation, each finding
// a copy of the target's.
func (ev *evaluator) intervals(cr *compiledRule, item *vars, f *Finding, items traits.Lister, n types.Int, lacks []string) {
	var counted []bool
	if x := ev.fromStatus; x != nil && len(x.counted) == int(n) {
		counted = x.counted
		ev.tally.AddAll(&x.found)
	}
	ev.fromStatus = nil
	for i := types.Int(0); i < n && !ev.overBudget; i++ {
		if counted != nil && counted[i] {
			continue // counted by the rule's status function
		}
		item.item, item.start, item.startDay = items.Get(i), nil, record.Date{}
		item.itemDay, item.itemIsDay = dateOfVal(item.item)
		g := *f
		if len(lacks) > 0 {
			ev.insufficient(cr, item, &g, lacks)
			return
		}
		if cr.itemWhen != nil {
			opens, err := ev.evalBool(cr.itemWhen, item)
			if err != nil {
				ev.fail(&g, fmt.Errorf("item_when: %w", err))
				continue
			}
			if !opens {
				if ev.counted(StatusNotApplicable) {
					continue
				}
				g.Status = StatusNotApplicable
				g.Message = judgedMessage(cr.rule.Title, StatusNotApplicable, whyOpensNone)
				ev.emit(cr, item, &g)
				continue
			}
		}
		ev.judge(cr, item, &g)
	}
}

// judge decides the status of an applicable rule on one subject.
func (ev *evaluator) judge(cr *compiledRule, act *vars, f *Finding) {
	if cr.rule.Deadline != nil {
		ev.deadline(cr, act, f)
		return
	}
	ok, err := ev.evalBool(cr.assert, act)
	if err != nil {
		ev.fail(f, fmt.Errorf("assert: %w", err))
		return
	}
	switch {
	case ok:
		if ev.counted(StatusMet) {
			return
		}
		f.Status = StatusMet
		f.Message = judgedMessage(cr.rule.Title, StatusMet, whyAssert)
	default:
		open := false
		if cr.pendingFor != nil {
			if open, err = ev.evalBool(cr.pendingFor, act); err != nil {
				ev.fail(f, fmt.Errorf("pending_while: %w", err))
				return
			}
		}
		status := StatusBreach
		if open {
			status = StatusPending
		}
		if ev.counted(status) {
			return
		}
		f.Status = status
		f.Message = judgedMessage(cr.rule.Title, status, whyAssert)
	}
	ev.emit(cr, act, f)
}

// deadline evaluates a deadline rule's dates and applies the deadline state machine.
func (ev *evaluator) deadline(cr *compiledRule, act *vars, f *Finding) {
	start, err := ev.evalDate(cr.start, act)
	if err != nil {
		ev.fail(f, fmt.Errorf("deadline.start: %w", err))
		return
	}
	if start.IsZero() {
		if ev.counted(StatusInsufficientData) {
			return
		}
		f.Status = StatusInsufficientData
		f.Message = judgedMessage(cr.rule.Title, StatusInsufficientData, whyNoStart)
		ev.emit(cr, act, f)
		return
	}
	act.start, act.startDay = nil, start
	due, err := ev.evalDate(cr.due, act)
	switch {
	case err != nil:
	case due.IsZero():
		err = fmt.Errorf("the due date came out null")
	case due.Before(start):
		// A negative timescale: judging against it would call work late before it began.
		err = fmt.Errorf("the due date came out before the start")
	}
	if err != nil {
		ev.fail(f, fmt.Errorf("deadline.due: %w", err))
		return
	}
	done, err := ev.evalDate(cr.done, act)
	if err != nil {
		ev.fail(f, fmt.Errorf("deadline.done: %w", err))
		return
	}
	var lapse record.Date
	if cr.lapse != nil {
		if lapse, err = ev.evalDate(cr.lapse, act); err != nil {
			ev.fail(f, fmt.Errorf("deadline.lapse: %w", err))
			return
		}
	}
	// The status alone decides whether the finding is built; how late, or how long is left,
	// is counted in working days only for one that is.
	if ev.counted(deadlineStatus(due, done, lapse, ev.asOf)) {
		return
	}
	ev.judgeDeadline(cr, f, start, due, done, lapse)
	ev.emit(cr, act, f)
}

// judgeDeadline completes the finding of a deadline that is built: its status, how late or
// how long is left, its message and the projected holidays its counts crossed.
func (ev *evaluator) judgeDeadline(cr *compiledRule, f *Finding, start, due, done, lapse record.Date) {
	f.Start, f.Due, f.Done = start, due, done
	o := JudgeDeadline(ev.engine.Calendar, due, done, lapse, ev.asOf, ev.engine.dueSoon())
	f.Status = o.Status
	f.LateWorkingDays, f.LateDays, f.WorkingDaysLeft, f.DueSoon = o.LateWorkingDays, o.LateDays, o.WorkingDaysLeft, o.DueSoon
	if !ev.engine.WithoutMessages {
		f.Message = o.message(cr.rule.Title, due, done, lapse, ev.asOf)
	}
	if o.lapsed {
		f.Closed = lapse
	}
	f.ProjectedHolidays = projectedCounted(ev.engine.Calendar, cr.rule.Deadline.Within, start, due, done, lapse, ev.asOf, o)
}

// why says how a rule came to a status other than a deadline's, for its message.
type why uint8

const (
	whyWhen        why = iota // its condition (when) was false
	whyNoIntervals            // its each gave no interval
	whyOpensNone              // the item opens no interval (item_when)
	whyAssert                 // its requirement (assert, pending_while)
	whyNoStart                // the deadline's start is not recorded
)

// judgedMessage is the message of a finding that is not a deadline's judgement.
func judgedMessage(title string, s Status, w why) string {
	switch {
	case w == whyWhen:
		return title + ": does not apply"
	case w == whyNoIntervals:
		return title + ": no interval to check"
	case w == whyOpensNone:
		return title + ": opens no interval"
	case w == whyNoStart:
		return title + ": the date the clock starts from is not recorded"
	case s == StatusMet:
		return title + ": met"
	case s == StatusPending:
		return title + ": not yet met, and the work is still open"
	}
	return title + ": not met"
}

// projectedCounted lists the projected bank holidays that a deadline finding's working-day
// counts crossed: from the start to a due date counted in working days, from the due date to
// the day lateness is counted to, and from the as-of date to the due date while pending.
func projectedCounted(cal *Calendar, within *Timescale, start, due, done, lapse, asOf record.Date, o DeadlineOutcome) []record.Date {
	var out []record.Date
	if within == nil || within.Unit == WorkingDays {
		out = append(out, cal.ProjectedBetween(start, due)...)
	}
	if o.LateWorkingDays != nil {
		until := asOf
		switch {
		case !done.IsZero():
			until = done
		case o.lapsed:
			until = lapse
		}
		out = append(out, cal.ProjectedBetween(due, until)...)
	}
	if o.WorkingDaysLeft != nil {
		out = append(out, cal.ProjectedBetween(asOf, due)...)
	}
	if len(out) == 0 {
		return nil
	}
	slices.SortFunc(out, func(a, b record.Date) int { return b.DaysUntil(a) })
	return slices.Compact(out)
}

func (e *Engine) dueSoon() int {
	if e.DueSoon > 0 {
		return e.DueSoon
	}
	return DefaultDueSoon
}

// DeadlineOutcome is the verdict of the deadline state machine.
type DeadlineOutcome struct {
	Status          Status
	LateWorkingDays *int
	LateDays        *int
	WorkingDaysLeft *int
	DueSoon         bool
	lapsed          bool
}

// JudgeDeadline is the deadline state machine of the findings format: with a due date, the
// day the event happened (or zero), the day the obligation lapsed (or zero) and the as-of
// date, it says met, breach (late or overdue, with how late), pending (with working days
// left) or not applicable (lapsed before it was due). The start date is checked by the
// caller: without one there is no due date.
func JudgeDeadline(cal *Calendar, due, done, lapse, asOf record.Date, dueSoon int) DeadlineOutcome {
	// deadlineStatus follows the same cases, for the status alone.
	late := func(until record.Date) DeadlineOutcome {
		wd, days := cal.WorkingDaysBetween(due, until), due.DaysUntil(until)
		return DeadlineOutcome{Status: StatusBreach, LateWorkingDays: &wd, LateDays: &days}
	}
	switch {
	case !done.IsZero() && !done.After(due):
		return DeadlineOutcome{Status: StatusMet}
	case !done.IsZero():
		return late(done)
	case !lapse.IsZero() && !lapse.After(due):
		return DeadlineOutcome{Status: StatusNotApplicable, lapsed: true}
	case !lapse.IsZero():
		o := late(lapse)
		o.lapsed = true
		return o
	case asOf.After(due):
		return late(asOf)
	}
	left := cal.WorkingDaysBetween(asOf, due)
	return DeadlineOutcome{Status: StatusPending, WorkingDaysLeft: &left, DueSoon: left <= dueSoon}
}

// deadlineStatus is the status JudgeDeadline gives, without counting how late or how long
// is left: all a finding that is only counted needs.
func deadlineStatus(due, done, lapse, asOf record.Date) Status {
	switch {
	case !done.IsZero() && !done.After(due):
		return StatusMet
	case !done.IsZero():
		return StatusBreach
	case !lapse.IsZero() && !lapse.After(due):
		return StatusNotApplicable
	case !lapse.IsZero(), asOf.After(due):
		return StatusBreach
	}
	return StatusPending
}

// message says what the deadline outcome is, in one buffer: it is built for every listed
// finding of a deadline rule, and fmt's formatting was most of what that cost.
func (o DeadlineOutcome) message(title string, due, done, lapse, asOf record.Date) string {
	var buf [256]byte // on the stack: the string is the one allocation
	b := append(buf[:0], title...)
	count := func(b []byte, n int, unit string) []byte {
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, ' ')
		b = append(b, unit...)
		if n != 1 {
			b = append(b, 's')
		}
		return b
	}
	switch {
	case o.Status == StatusMet:
		b = append(b, ": done "...)
		b = done.AppendISO(b)
		b = append(b, ", due by "...)
		b = due.AppendISO(b)
	case o.Status == StatusNotApplicable:
		b = append(b, ": not required, as what it protects ended on "...)
		b = lapse.AppendISO(b)
		b = append(b, ", before the due date "...)
		b = due.AppendISO(b)
	case o.Status == StatusPending:
		b = append(b, ": due by "...)
		b = due.AppendISO(b)
		b = append(b, ", "...)
		b = count(b, *o.WorkingDaysLeft, "working day")
		b = append(b, " left"...)
	case !done.IsZero():
		b = append(b, ": done "...)
		b = done.AppendISO(b)
		b = append(b, ", "...)
		b = count(b, *o.LateWorkingDays, "working day")
		b = append(b, " ("...)
		b = count(b, *o.LateDays, "day")
		b = append(b, ") late; due by "...)
		b = due.AppendISO(b)
	case o.lapsed:
		b = append(b, ": not done by "...)
		b = lapse.AppendISO(b)
		b = append(b, ", when what it protects ended, "...)
		b = count(b, *o.LateWorkingDays, "working day")
		b = append(b, " after the due date "...)
		b = due.AppendISO(b)
	default:
		b = append(b, ": not done, "...)
		b = count(b, *o.LateWorkingDays, "working day")
		b = append(b, " overdue at "...)
		b = asOf.AppendISO(b)
		b = append(b, "; due by "...)
		b = due.AppendISO(b)
	}
	return string(b)
}

// emit finishes a finding: the rule's own message, if it has one, replaces the default, and
// in InForce mode a finding whose dates run past its edition says so.
func (ev *evaluator) emit(cr *compiledRule, act *vars, f *Finding) {
	if err := ev.itemSubject(f); err != nil {
		ev.failAs(f, fmt.Errorf("subject: %w", err))
		return
	}
	if cr.message != nil {
		m := &ev.onMessage
		*m = *act
		m.status = types.String(string(f.Status))
		m.start, m.due, m.done = dateVal(f.Start), dateVal(f.Due), dateVal(f.Done)
		m.lateWD, m.lateDays, m.left = intOrZero(f.LateWorkingDays), intOrZero(f.LateDays), intOrZero(f.WorkingDaysLeft)
		msg, err := ev.evalString(cr.message, m)
		if err != nil {
			ev.failAs(f, fmt.Errorf("message: %w", err)) // f has its subject by now
			return
		}
		if msg != "" {
			f.Message = msg
		}
	}
	ev.keep(f)
}

// keep adds a built finding to the case's findings, with what every finding is given last.
func (ev *evaluator) keep(f *Finding) {
	if f.Status == StatusNotApplicable {
		f.Proxies = nil // nothing was judged on the stand-in
	}
	switch {
	case ev.engine.WithoutMessages:
		f.Message = "" // the default, or what the rule's message expression gave
	case ev.inForce:
		f.Note = transitionalNote(ev.engine, f)
	}
	ev.findings = append(ev.findings, *f)
}

// fail reports an evaluation error on the finding's subject, naming an interval by its own
// subject where that can be had.
func (ev *evaluator) fail(f *Finding, err error) {
	_ = ev.itemSubject(f)
	ev.failAs(f, err)
}

// failAs reports an evaluation error on f's subject as it stands.
func (ev *evaluator) failAs(f *Finding, err error) {
	ev.errs = append(ev.errs, EvalError{Edition: f.Edition, Rule: f.Rule, Subject: f.Subject, Err: err})
}

// itemSubject sets the subject of a finding about one interval of an `each` rule. It is
// evaluated here, when the finding is built, rather than for every interval: an interval that
// is only counted (met, by default) needs none, and the subjects of a plan's visit intervals
// were the costliest expression a check ran. The cost: an error in a subject expression shows
// on the findings that are listed, as one in a message expression does.
func (ev *evaluator) itemSubject(f *Finding) error {
	if ev.subjectOf == nil {
		return nil
	}
	subject, err := ev.evalString(ev.subjectOf, &ev.onItem)
	if err != nil {
		return err
	}
	f.Subject = subject
	return nil
}

func intOrZero(p *int) ref.Val {
	if p == nil {
		return types.IntZero
	}
	return types.Int(*p)
}

// begin starts the evaluation of a rule on the record, with nothing spent.
func (ev *evaluator) begin(cp *CompiledPack, cr *compiledRule) {
	ev.cp, ev.cr, ev.tracker, ev.overBudget, ev.meter = cp, cr, nil, false, meter{}
}

// startMeter readies the meter for a counted expression's fast or date path, which charges
// it what CEL would charge, up to what the rule has left. It gives what was spent before: if
// the path gives up, that is put back, and CEL, counting for itself, decides.
func (ev *evaluator) startMeter(act *vars) (spent uint64) {
	m := &ev.meter
	m.limit = ev.budget - min(ev.budget, ev.trackerCost())
	act.meter = m
	return m.spent
}

// trackerCost is what the rule's counted expressions spent through CEL on the record.
func (ev *evaluator) trackerCost() uint64 {
	if ev.tracker == nil {
		return 0
	}
	return ev.tracker.ActualCost()
}

// reportSpent tells the engine's spent hook what the rule spent on the record, through CEL
// and through fast paths, when its counted expressions spent anything.
func (ev *evaluator) reportSpent(r *Rule) {
	if cost, spent := ev.ruleSpent(); spent {
		ev.engine.spent(r, cost, ev.objects)
	}
}

// eval evaluates one expression of the rule being checked. An expression whose cost CEL
// could not bound when the pack was compiled runs with the rule's cost tracker, which carries
// what the rule spent on this record so far and stops it at its budget.
func (ev *evaluator) eval(p *program, act *vars) (ref.Val, error) {
	if p.fast != nil && useFastPaths {
		if !p.counted {
			if out := p.fast(act); out != nil {
				return out, nil
			}
		} else {
			spent := ev.startMeter(act)
			if out := p.fast(act); out != nil {
				return out, nil
			}
			ev.meter.spent = spent
		}
	}
	if !p.counted {
		out, _, err := p.Eval(act)
		return out, err
	}
	if ev.tracker == nil {
		t, err := ev.cp.tracker.Clone()
		if err != nil {
			return nil, err
		}
		t.Limit = &ev.trackerLimit
		ev.tracker = t
	}
	ev.trackerLimit = ev.budget - min(ev.budget, ev.meter.spent)
	frame, err := interpreter.NewExecutionFrame(act)
	if err != nil {
		return nil, err
	}
	frame.SetCostTracker(ev.tracker)
	out, _, err := p.Eval(frame)
	frame.Close()
	var cancelled interpreter.EvalCancelledError
	if errors.As(err, &cancelled) && cancelled.Cause == interpreter.CostLimitExceeded {
		ev.overBudget = true
		return nil, &CostError{Rule: ev.cr.rule.Pos, Budget: ev.budget, Objects: ev.objects}
	}
	return out, err
}

func (ev *evaluator) evalBool(p *program, act *vars) (bool, error) {
	out, err := ev.eval(p, act)
	if err != nil {
		return false, err
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("want a bool, got %s", out.Type().TypeName())
	}
	return bool(b), nil
}

func (ev *evaluator) evalString(p *program, act *vars) (string, error) {
	out, err := ev.eval(p, act)
	if err != nil {
		return "", err
	}
	s, ok := out.(types.String)
	if !ok {
		return "", fmt.Errorf("want a string, got %s", out.Type().TypeName())
	}
	return string(s), nil
}

// evalDate evaluates a timestamp-or-null expression; null gives the zero Date.
func (ev *evaluator) evalDate(p *program, act *vars) (record.Date, error) {
	if p.date != nil && useFastPaths {
		if !p.counted {
			if d, ok := p.date(act); ok {
				return d, nil
			}
		} else {
			spent := ev.startMeter(act)
			if d, ok := p.date(act); ok {
				return d, nil
			}
			ev.meter.spent = spent
		}
	}
	out, err := ev.eval(p, act)
	if err != nil {
		return record.Date{}, err
	}
	if out == types.NullValue {
		return record.Date{}, nil
	}
	if _, ok := out.(types.Timestamp); !ok {
		return record.Date{}, fmt.Errorf("want a date, got %s", out.Type().TypeName())
	}
	d, alt := dateArg(out, "the expression")
	if alt != nil {
		return record.Date{}, alt.(*types.Err)
	}
	return d, nil
}

// transitionalNote explains a finding checked under the edition in force when its referral
// was received although its deadline or event fell after the next edition came in.
func transitionalNote(e *Engine, f *Finding) string {
	var cp *CompiledPack
	for _, p := range e.Packs {
		if p.Pack.Edition == f.Edition {
			cp = p
		}
	}
	if cp == nil || cp.Pack.InForce.To.IsZero() {
		return ""
	}
	last := f.Due
	if f.Done.After(last) {
		last = f.Done
	}
	if !last.After(cp.Pack.InForce.To) {
		return ""
	}
	return fmt.Sprintf("transitional: checked under the %s edition, in force when the referral was received; the edition in force from %s was not applied", f.Edition, cp.Pack.InForce.To.AddDays(1))
}

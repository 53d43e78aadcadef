package checker

import (
	"fmt"
	"slices"
	"strings"
)

// useSharing lets a test switch off sharing one rule's evaluation between the packs whose
// rule is the same, to show that it changes nothing but the time.
var useSharing = true

// Sharing evaluations between packs. Under every edition a case is judged by each pack in
// turn, and the packs mostly repeat one another: the same rule, word for word, with the same
// parameter values. Such rules give the same outcome on the same case, so the engine
// evaluates each of them once per case and gives the other packs a copy, with only what names
// the pack changed (Edition, Pack, Citation). A rule shares only with rules whose fingerprint
// (ruleFingerprint) is the same, and the fingerprint holds everything an evaluation reads.

// sharePlan says, for each compiled rule of each pack of an engine, which group of equal
// rules it belongs to.
type sharePlan struct {
	packs []*CompiledPack // the packs the plan was made for, in the engine's order
	// group[p][r] numbers the group of rule r of pack p, or is -1 for a rule that no other
	// pack has: it is evaluated on its own.
	group  [][]int
	groups int    // how many groups there are
	named  []bool // whether the findings of each pack name it (Engine.namesPack)
}

// sharedOutcome is what the first rule of a group to be evaluated on a case gave: where its
// findings and errors are in the evaluator's lists, what it added to the tally, and what it
// spent.
type sharedOutcome struct {
	pass                                       uint64 // the evaluator's pass (evaluatorMaps.pass) once a rule of the group gave an outcome to share
	findingsFrom, findingsTo, errsFrom, errsTo int
	tally                                      StatusCounts // what the rule added to the tally
	// cost is what reportSpent told Engine.spent, and tracked whether it told it anything;
	// both are kept only when there is an Engine.spent to tell.
	cost    uint64
	tracked bool
}

// sharing is the engine's share plan, made on first use and again if the engine's packs
// have changed since (an Engine is a struct literal its callers fill in). Two goroutines
// making it at once make the same plan, and either may be kept.
func (e *Engine) sharing() *sharePlan {
	if p, _ := e.share.Load().(*sharePlan); p != nil && slices.Equal(p.packs, e.Packs) {
		return p
	}
	p := e.makeSharePlan()
	e.share.Store(p)
	return p
}

// shareKey is what makes two compiled rules of different packs evaluate alike: the
// calendar their calendar functions were compiled against, and their fingerprint.
type shareKey struct {
	cal         *Calendar
	fingerprint string
}

func (e *Engine) makeSharePlan() *sharePlan {
	p := &sharePlan{packs: slices.Clone(e.Packs), group: make([][]int, len(e.Packs)), named: make([]bool, len(e.Packs))}
	type first struct{ pack, rule int }
	seen := map[shareKey]first{}
	groupOf := map[shareKey]int{}
	for pi, cp := range e.Packs {
		p.named[pi] = e.namesPack(cp)
		p.group[pi] = make([]int, len(cp.rules))
		params := paramsFingerprint(cp)
		for ri, cr := range cp.rules {
			p.group[pi][ri] = -1
			if cr.kind != KindCase {
				continue // incident and area rules are checked elsewhere, unshared
			}
			k := shareKey{cal: cp.cal, fingerprint: ruleFingerprint(cr) + params}
			f, ok := seen[k]
			if !ok {
				seen[k] = first{pi, ri}
				continue
			}
			if f.pack == pi {
				continue // the same rule twice in one pack: not something to share
			}
			g, ok := groupOf[k]
			if !ok {
				g = p.groups
				p.groups++
				groupOf[k] = g
				p.group[f.pack][f.rule] = g
			}
			p.group[pi][ri] = g
		}
	}
	return p
}

// ruleFingerprint writes down everything about a compiled rule that its evaluation reads:
// its id, title and severity (they are in its findings and messages), the scope it is
// compiled for and all its scopes (a need naming another of them is dropped), its needs
// (they decide insufficient_data), and the text of each expression, its timescale and fixed
// due date. Its citation is not: each pack's own is put on the findings it is given. Its
// position is not either; a rule that goes over its budget names where it is written, so an
// outcome over budget is never shared (see CheckListed).
func ruleFingerprint(cr *compiledRule) string {
	r := cr.rule
	var b strings.Builder
	field := func(name, v string) {
		// Each value is written with its length, so that no two rules write the same text.
		fmt.Fprintf(&b, "%s %d:%s\n", name, len(v), v)
	}
	field("id", r.ID)
	field("title", r.Title)
	field("severity", string(r.Severity))
	field("scope", string(cr.scope))
	for _, s := range r.Scopes {
		field("scopes", string(s))
	}
	for _, n := range r.Needs {
		field("needs", n)
	}
	field("when", r.When.Source)
	field("each", r.Each.Source)
	field("subject", r.Subject.Source)
	field("item_when", r.ItemWhen.Source)
	field("assert", r.Assert.Source)
	field("pending_while", r.PendingWhile.Source)
	field("message", r.Message.Source)
	if d := r.Deadline; d != nil {
		field("deadline.start", d.Start.Source)
		field("deadline.due", d.Due.Source)
		field("deadline.due_on", d.DueOn.String())
		field("deadline.done", d.Done.Source)
		field("deadline.lapse", d.Lapse.Source)
		if w := d.Within; w != nil {
			field("deadline.within", fmt.Sprintf("%d|%s|%s", w.N, w.Param, w.Unit))
		}
	}
	return b.String()
}

// paramsFingerprint writes down the parameters of a pack as a rule reads them: each one's
// name, type and value in force (default, overlay or --set), in name order. Every rule of the
// pack carries all of them, so a pack whose values differ in any shares nothing.
func paramsFingerprint(cp *CompiledPack) string {
	var b strings.Builder
	for _, name := range sortedKeys(cp.values) {
		typ := ParamType("")
		if prm := cp.Pack.param(name); prm != nil {
			typ = prm.Type
		}
		v := fmt.Sprintf("%T %v", cp.values[name], cp.values[name])
		fmt.Fprintf(&b, "param %s %s %d:%s\n", name, typ, len(v), v)
	}
	return b.String()
}

// replay gives rule cr of pack cp the outcome another pack's rule of its group had on this
// case: its findings and errors again, in the same order, with the pack's edition, name and
// citation, and its counts in the tally.
func (ev *evaluator) replay(o *sharedOutcome, cp *CompiledPack, cr *compiledRule, named bool) {
	pack := ""
	if named {
		pack = cp.Pack.ID
	}
	ev.findings = slices.Grow(ev.findings, o.findingsTo-o.findingsFrom)
	for i := o.findingsFrom; i < o.findingsTo; i++ {
		f := ev.findings[i]
		f.Edition, f.Pack, f.Citation = cp.Pack.Edition, pack, cr.citation
		ev.findings = append(ev.findings, f)
	}
	for i := o.errsFrom; i < o.errsTo; i++ {
		err := ev.errs[i]
		err.Edition = cp.Pack.Edition
		ev.errs = append(ev.errs, err)
	}
	for i, n := range o.tally {
		ev.tally[i] += n
	}
}

// ruleSpent is what reportSpent tells Engine.spent about the rule just evaluated, and
// whether it tells it anything: what a pack given the rule's outcome tells it too.
func (ev *evaluator) ruleSpent() (uint64, bool) {
	return ev.trackerCost() + ev.meter.spent, ev.tracker != nil || ev.meter.spent > 0
}

// anyOverBudget reports whether one of errs is a rule stopped at its budget.
func anyOverBudget(errs []EvalError) bool {
	for _, err := range errs {
		if err.OverBudget() {
			return true
		}
	}
	return false
}

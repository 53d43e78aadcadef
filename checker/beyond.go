package checker

import (
	"cel.dev/cel-go/common/types/ref"

	"github.com/wtcheck/wtcheck/record"
)

// This file checks the records beyond the case file (incident-format.md): an incident (a
// child's death or serious harm) and an area's safeguarding arrangements. Their rules are of
// scope incident and arrangements; everything else (the deadline state machine, lapses,
// messages, cost budgets) is the case rules' own.

// LSCBTransition is the transition from Local Safeguarding Children Boards to the
// safeguarding partners: from the 2018 edition's publication to the day every area's new
// arrangements had to be published (rules-catalog.md, "Settled points"). An incident the area
// became aware of in it, before the area published its arrangements, stays with the LSCB.
var LSCBTransition = InForce{From: record.MustDate("2018-07-04"), To: record.MustDate("2019-09-29")}

// Published is what the check of an incident needs to know of its area's arrangements: the
// day its safeguarding partners published them, by area_id, for the areas a batch holds an
// arrangements record of (an area without one is not in it).
type Published map[string]record.Date

// IncidentAsOf is the day an incident is checked as at: asOf if given, else its extract date,
// else the engine's today.
func (e *Engine) IncidentAsOf(in *record.Incident, asOf record.Date) record.Date {
	return e.asOfOr(in.ExtractDate, asOf)
}

// ArrangementsAsOf is the day an arrangements record is checked as at, as IncidentAsOf.
func (e *Engine) ArrangementsAsOf(a *record.Arrangements, asOf record.Date) record.Date {
	return e.asOfOr(a.ExtractDate, asOf)
}

// AsOfForDate is the day a record with the given extract date is checked as at: asOf if
// given, else the extract date, else the engine's today.
func (e *Engine) AsOfForDate(extract, asOf record.Date) record.Date { return e.asOfOr(extract, asOf) }

func (e *Engine) asOfOr(extract, asOf record.Date) record.Date {
	switch {
	case !asOf.IsZero():
		return asOf
	case !extract.IsZero():
		return extract
	}
	return e.Today
}

// IncidentPack is the pack an incident is judged by with --edition in-force: the one in force
// on its aware day, except that an incident the area became aware of in the LSCB transition,
// before its safeguarding partners published their arrangements (published: zero when not
// recorded, and ok false when the batch holds no arrangements record of the area), is judged
// by the pack in force the day before the transition began. Nil when no pack covers it.
func (e *Engine) IncidentPack(in *record.Incident, published record.Date, ok bool) *CompiledPack {
	if in.Aware.IsZero() {
		return nil
	}
	if ok && LSCBTransition.Covers(in.Aware) && (published.IsZero() || in.Aware.Before(published)) {
		if cp := e.packInForce(LSCBTransition.From.AddDays(-1)); cp != nil {
			return cp
		}
	}
	return e.packInForce(in.Aware)
}

// CheckIncident evaluates the incident rules of every pack on one validated incident as at
// asOf (see IncidentAsOf), or in InForce mode those of IncidentPack only, and returns its
// findings, sorted, its evaluation errors, and whether a pack covered it (in InForce mode an
// incident with no aware day, or one before every pack, is not covered: reported, never
// judged by the wrong edition). An incident the area was not yet aware of as at the day gives
// no finding.
func (e *Engine) CheckIncident(in *record.Incident, asOf record.Date, published Published) ([]Finding, []EvalError, bool) {
	day := e.IncidentAsOf(in, asOf)
	view := in.ViewAt(day)
	if view == nil {
		return nil, nil, true
	}
	var only *CompiledPack
	if e.InForce {
		p, ok := published[in.Organisation.LACode]
		if only = e.IncidentPack(view, p, ok); only == nil {
			return nil, nil, false
		}
	}
	ev := &evaluator{engine: e, asOf: day, index: newCaseIndex(), activations: new(activations), objects: 1, listed: AllStatuses, tally: new(StatusCounts)}
	ev.budget = ruleCostBase + ruleCostPerObject
	obj := celTypeAdapter.NativeToValue(view)
	for _, cp := range e.Packs {
		if only != nil && cp != only {
			continue
		}
		for _, cr := range cp.rules {
			if cr.scope == ScopeIncident {
				ev.recordRule(cp, cr, obj, view.Provenance, Finding{CaseID: in.CaseID, IncidentID: in.IncidentID, Subject: in.IncidentID})
			}
		}
	}
	SortFindings(ev.findings)
	return ev.findings, ev.errs, true
}

// CheckArrangements evaluates the arrangements rules of every pack on one validated
// arrangements record as at asOf. In InForce mode each edition judges the part of the
// record's history in its period (rules-catalog.md, "Settled points"): an interval by the
// edition in force on the day it opened (or, for a rule that edition no longer has, the
// latest earlier edition that has it: the LSCB's reports after July 2018 are judged by the
// 2015 edition until the LSCB stood down), any other finding by every edition whose period
// meets the record's history, from its first date to the as-of day.
func (e *Engine) CheckArrangements(a *record.Arrangements, asOf record.Date) ([]Finding, []EvalError) {
	day := e.ArrangementsAsOf(a, asOf)
	view := a.ViewAt(day)
	ev := &evaluator{engine: e, asOf: day, index: newCaseIndex(), activations: new(activations), objects: 1 + arrangementsDates(view), listed: AllStatuses, tally: new(StatusCounts)}
	ev.budget = ruleCostBase + ruleCostPerObject*uint64(ev.objects)
	obj := celTypeAdapter.NativeToValue(view)
	first := firstDate(view, day)
	for _, cp := range e.Packs {
		for _, cr := range cp.rules {
			if cr.scope != ScopeArrangements {
				continue
			}
			from := len(ev.findings)
			ev.recordRule(cp, cr, obj, view.Provenance, Finding{AreaID: a.AreaID, Subject: a.AreaID})
			if !e.InForce {
				continue
			}
			kept := ev.findings[:from]
			for _, f := range ev.findings[from:] {
				if e.judgesArrangements(cp, cr.rule, f, first, day) {
					kept = append(kept, f)
				}
			}
			ev.findings = kept
		}
	}
	SortFindings(ev.findings)
	return ev.findings, ev.errs
}

// judgesArrangements reports whether, in InForce mode, the pack judges an arrangements
// finding (see CheckArrangements).
func (e *Engine) judgesArrangements(cp *CompiledPack, r *Rule, f Finding, first, asOf record.Date) bool {
	if !r.Each.IsZero() && !f.Start.IsZero() {
		return e.packWithRuleOn(r.ID, f.Start) == cp
	}
	in := cp.Pack.InForce
	return !in.From.After(asOf) && (in.To.IsZero() || !in.To.Before(first))
}

// packWithRuleOn is the pack in force on day d if it has the rule, else the latest pack in
// force before d that has it.
func (e *Engine) packWithRuleOn(rule string, d record.Date) *CompiledPack {
	var best *CompiledPack
	for _, cp := range e.Packs {
		if cp.Pack.InForce.From.After(d) || !cp.hasRule(rule) {
			continue
		}
		if best == nil || cp.Pack.InForce.From.After(best.Pack.InForce.From) {
			best = cp
		}
	}
	return best
}

func (cp *CompiledPack) hasRule(id string) bool {
	for _, cr := range cp.rules {
		if cr.rule.ID == id {
			return true
		}
	}
	return false
}

// firstDate is the earliest day the arrangements record shows, or asOf when it shows none.
func firstDate(a *record.Arrangements, asOf record.Date) record.Date {
	first := asOf
	see := func(d record.Date) {
		if !d.IsZero() && d.Before(first) {
			first = d
		}
	}
	if l := a.LSCB; l != nil {
		see(l.Ended)
		for _, d := range l.AnnualReports {
			see(d)
		}
	}
	if p := a.Partners; p != nil {
		see(p.Published)
		for _, d := range p.YearlyReports {
			see(d)
		}
	}
	return first
}

// arrangementsDates counts the record's report dates, which the intervals grow with: the
// rule cost budget grows with them as a case's does with its objects.
func arrangementsDates(a *record.Arrangements) int {
	n := 0
	if a.LSCB != nil {
		n += len(a.LSCB.AnnualReports)
	}
	if a.Partners != nil {
		n += len(a.Partners.YearlyReports)
	}
	return n
}

// recordRule evaluates one rule on the one object of an incident or arrangements record:
// the record itself, whose id is the finding's subject (base carries the ids).
func (ev *evaluator) recordRule(cp *CompiledPack, cr *compiledRule, obj ref.Val, prov record.Provenance, base Finding) {
	r := cr.rule
	ev.begin(cp, cr)
	act := vars{
		object:     obj,
		objectName: cr.variable,
		asOf:       dateVal(ev.asOf),
		params:     cp.params,
		index:      ev.index,
	}
	f := base
	f.Edition, f.Rule, f.Severity, f.Citation = cp.Pack.Edition, r.ID, r.Severity, cr.citation
	if ev.engine.namesPack(cp) {
		f.Pack = cp.Pack.ID
	}
	if len(prov.Proxies) > 0 {
		f.Proxies = proxiesRead(prov.Proxies, append(append([]string(nil), cr.whenReads...), cr.reads...))
	}
	ev.target(cr, &act, &f, lacking(prov.Lacks, cr.whenReads), lacking(prov.Lacks, cr.reads))
	if ev.engine.spent != nil {
		ev.reportSpent(r)
	}
}

// IncidentInForce is the pack that judges an incident with --edition in-force, as
// CheckIncident picks it (nil when none covers it): what a comparison's in-force column counts.
func (e *Engine) IncidentInForce(in *record.Incident, asOf record.Date, published Published) *CompiledPack {
	view := in.ViewAt(e.IncidentAsOf(in, asOf))
	if view == nil {
		return nil
	}
	p, ok := published[in.Organisation.LACode]
	return e.IncidentPack(view, p, ok)
}

// ArrangementsInForce reports whether a finding of an arrangements record, made by the pack
// of its edition, is one that --edition in-force keeps, as CheckArrangements decides.
func (e *Engine) ArrangementsInForce(a *record.Arrangements, asOf record.Date, f Finding) bool {
	day := e.ArrangementsAsOf(a, asOf)
	for _, cp := range e.Packs {
		if cp.Pack.Edition != f.Edition || (f.Pack != "" && cp.Pack.ID != f.Pack) {
			continue
		}
		for _, cr := range cp.rules {
			if cr.rule.ID == f.Rule {
				return e.judgesArrangements(cp, cr.rule, f, firstDate(a.ViewAt(day), day), day)
			}
		}
	}
	return false
}

package checker

import (
	"slices"
	"time"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/wtcheck/wtcheck/record"
)

// A deadline's dates almost always take one of a few shapes: a date field of the object in
// hand (referral.received, assessment.completed, plan.ended), the deadline's start or an
// interval's item, a due date counted from the start (addWorkingDays(start, 45),
// anniversary(start, params.age)), the first of a plan's seen visits after an item
// (firstAfter(plan.seenVisits(), item)), and the earliest or latest of a list of dates
// (earliest(referral.conferencesFor(s47).map(k, k.date))). Through a fast path each still
// became a CEL timestamp and then a Date again (evaluator.evalDate). A date path reads such
// an expression straight to a Date, calling the same arithmetic as the CEL function. The
// conditions that test or order dates (assessment.completed == null, d > plan.started) read
// them through date paths too. In an expression whose cost is counted, a date path charges
// each step what CEL's tracker would, as a fast path does (TestFastPathsChargeAsCEL).
//
// A date path answers only where CEL would give a date or null: a null where a date is
// counted from, a count or a date outside the calendar's range, anything not of the
// expected type, and it gives ok false, and the expression runs as before, so that every
// error is CEL's own. TestFastPathAgreesWithCEL covers date paths too.

// datePath evaluates a timestamp-or-null expression to a Date (the zero Date for null).
type datePath func(act *vars) (d record.Date, ok bool)

// datePathOf reads a checked expression into a date path, or gives nil when it has another
// shape. counted makes the path charge act.meter what CEL would charge, at the prices of
// facts.costs, as a counted expression's fast path does.
func datePathOf(env *cel.Env, checked *cel.Ast, facts *packFacts, counted bool) datePath {
	native := checked.NativeRep()
	b := &fastBuilder{native: native, env: env, adapter: env.CELTypeAdapter(), params: facts.params}
	if counted {
		b.costs = facts.costs
	}
	return b.date(native.Expr(), facts.counts)
}

// chargedDate makes d charge n units first, when the expression is counted.
func (b *fastBuilder) chargedDate(n uint64, d datePath) datePath {
	if b.costs == nil {
		return d
	}
	return func(act *vars) (record.Date, bool) {
		if !act.meter.charge(n) {
			return record.Date{}, false
		}
		return d(act)
	}
}

// date gives the date path of e, or nil.
func (b *fastBuilder) date(e celast.Expr, counts map[string]dateCount) datePath {
	switch e.Kind() {
	case celast.IdentKind:
		// A comprehension's variable (d in filter(d, d > plan.started)), the deadline's start
		// or an interval's item.
		name := e.AsIdent()
		local := slices.Contains(b.locals, name)
		switch {
		case name == "start" && !local:
			return b.chargedDate(cost.SelectAndIdentCost, func(act *vars) (record.Date, bool) { return act.startDate() })
		case name == "item" && !local:
			return b.chargedDate(cost.SelectAndIdentCost, func(act *vars) (record.Date, bool) { return act.itemDay, act.itemIsDay })
		case !local:
			return nil
		}
		slot := b.localSlot(name)
		return b.chargedDate(cost.SelectAndIdentCost, func(act *vars) (record.Date, bool) {
			if act.localIsDay[slot] {
				return act.localDays[slot], act.localDays[slot].IsZero() || act.localDays[slot].InRange()
			}
			return dateOfVal(act.locals[slot])
		})
	case celast.SelectKind:
		sel := e.AsSelect()
		if sel.IsTestOnly() {
			return nil
		}
		fo, _ := b.fieldOf(e)
		if fo == nil || fo.f.date == nil {
			return nil
		}
		return b.chargedDate(cost.SelectAndIdentCost, func(act *vars) (record.Date, bool) {
			v, ok := fo.object(act)
			if !ok {
				return record.Date{}, false
			}
			d := fo.f.date(v)
			return d, d.IsZero() || d.InRange()
		})
	case celast.CallKind:
		c := e.AsCall()
		ids := b.native.GetOverloadIDs(e.ID())
		if !c.IsMemberFunction() && len(c.Args()) == 1 && len(ids) == 1 {
			switch ids[0] {
			case "earliest_list":
				return b.pickDatePath(c.Args()[0], record.Date.Before)
			case "latest_list":
				return b.pickDatePath(c.Args()[0], record.Date.After)
			}
		}
		if c.IsMemberFunction() || len(c.Args()) != 2 || len(ids) != 1 {
			return nil
		}
		if ids[0] == firstAfterID {
			return b.firstAfterDate(c, counts)
		}
		dc, ok := counts[ids[0]]
		if !ok {
			return nil
		}
		var units uint64
		counted := b.costs != nil
		if counted {
			if units, ok = b.fixedPrice(ids[0]); !ok {
				return nil
			}
		}
		from, count := b.date(c.Args()[0], counts), b.build(c.Args()[1])
		if from == nil || count == nil {
			return nil
		}
		return func(act *vars) (record.Date, bool) {
			day, ok := from(act)
			if !ok || day.IsZero() {
				return record.Date{}, false // a null counts to null: CEL says so
			}
			k, ok := count(act).(types.Int)
			if !ok || counted && !act.meter.charge(units) {
				return record.Date{}, false
			}
			out, refused := dc.apply(day, int64(k))
			return out, refused == nil
		}
	}
	return nil
}

// firstAfterDate is the date path of firstAfter(list, day) on a list known to be in order
// (a plan's seen visits, its review dates: sortedDates), searched as the function searches
// it; any other list is CEL's. It is charged what the function's cost is as it runs
// (trackFirstAfter), as CEL's tracker charges it.
func (b *fastBuilder) firstAfterDate(c celast.CallExpr, counts map[string]dateCount) datePath {
	list, day := b.build(c.Args()[0]), b.date(c.Args()[1], counts)
	if list == nil || day == nil {
		return nil
	}
	// firstAfter's price is its search's (trackFirstAfter), asked of the list's length alone.
	counted := b.costs != nil
	return func(act *vars) (record.Date, bool) {
		l, ok := list(act).(*sortedDates)
		if !ok {
			return record.Date{}, false
		}
		d, ok := day(act)
		if !ok {
			return record.Date{}, false
		}
		var out record.Date
		if !d.IsZero() {
			out = l.firstAfterDay(d) // null for null, as the function gives
		}
		if counted && !act.meter.charge(searchUnits(len(l.days))) {
			return record.Date{}, false
		}
		return out, out.IsZero() || out.InRange()
	}
}

// pickDatePath is the date path of earliest(list) or latest(list) (better says which date is
// preferred), ignoring nulls, as pickDate does, on a list that is a list field of dates
// (plan.core_groups) or a map or filter to a date of each item of a list
// (referral.conferencesFor(s47).map(k, k.date)): the dates are read one by one, and no list
// of them made. It is charged, in a counted expression, what the loop and the scan cost
// through CEL: the loop what a fast path's charges (comprehension), the scan a unit and one
// an item (scanUnits, as scanCost charges it). Anything else is CEL's.
func (b *fastBuilder) pickDatePath(arg celast.Expr, better func(a, b record.Date) bool) datePath {
	counted := b.costs != nil
	pick := func(best, d record.Date) record.Date {
		if !d.IsZero() && (best.IsZero() || better(d, best)) {
			return d
		}
		return best
	}
	if arg.Kind() == celast.SelectKind && !arg.AsSelect().IsTestOnly() {
		fo, _ := b.fieldOf(arg)
		if fo == nil || fo.f.dates == nil {
			return nil
		}
		return b.chargedDate(cost.SelectAndIdentCost, func(act *vars) (record.Date, bool) {
			v, ok := fo.object(act)
			if !ok {
				return record.Date{}, false
			}
			days := fo.f.dates(v)
			if counted && !act.meter.charge(scanUnits(len(days))) {
				return record.Date{}, false
			}
			return pickDay(days, better) // a date outside the calendar: the function's error to give
		})
	}
	if arg.Kind() != celast.ComprehensionKind {
		return nil
	}
	c := arg.AsComprehension()
	if c.HasIterVar2() || len(b.locals)+2 > maxLocals {
		return nil
	}
	rng := b.rangeOf(c.IterRange())
	pred, elemExpr, loop, ok := b.appendShape(c)
	if rng == nil || !ok {
		return nil
	}
	elem := loop.date(elemExpr, nil)
	if elem == nil {
		return nil
	}
	iterSlot := len(b.locals) + 1
	return func(act *vars) (record.Date, bool) {
		items, ok := rng(act)
		if !ok || counted && !act.meter.charge(appendOnceCost) {
			return record.Date{}, false
		}
		var best record.Date
		kept := 0
		for i := range items.n {
			items.setLocal(act, iterSlot, i)
			if pred != nil {
				keep, ok := pred(act).(types.Bool)
				if !ok {
					return record.Date{}, false
				}
				if !keep {
					continue
				}
			}
			d, ok := elem(act)
			if !ok || counted && !act.meter.charge(appendItemCost) {
				return record.Date{}, false
			}
			best = pick(best, d)
			kept++
		}
		if counted && !act.meter.charge(scanUnits(kept)) {
			return record.Date{}, false
		}
		return best, true
	}
}

// dateOfVal is a CEL timestamp or null as a Date; ok is false for any other value, a date
// outside the calendar's range, or a time that is not a day's start in UTC (which a Date
// cannot hold, and whose order against a day a Date would get wrong). It reads the Unix time
// alone: an item or a deadline's start is read this way on every interval.
func dateOfVal(v ref.Val) (record.Date, bool) {
	switch v := v.(type) {
	case types.Timestamp:
		if v.Time.Location() != time.UTC || v.Time.Nanosecond() != 0 {
			return record.Date{}, false
		}
		u := v.Time.Unix()
		if u%86400 != 0 || u < minDateUnix || u > maxDateUnix {
			return record.Date{}, false
		}
		return record.DateFromDayNumber(int32(u / 86400)), true
	case types.Null:
		return record.Date{}, true
	}
	return record.Date{}, false
}

// minDateUnix and maxDateUnix are the Unix times of the first and last days of the calendar's
// range.
var (
	minDateUnix = int64(record.MinDate.DayNumber()) * 86400
	maxDateUnix = int64(record.MaxDate.DayNumber()) * 86400
)

// dateIsNull reads a date compared with null (assessment.completed == null, the commonest
// test in the packs' conditions) through its date path, without making it a CEL value. It
// gives nil for any other comparison.
func (b *fastBuilder) dateIsNull(argExprs []celast.Expr, negate bool, function, overload string) fastPath {
	x, lit, ok := withLiteral(argExprs)
	if !ok || lit != types.NullValue || b.native.GetType(x.ID()).Kind() != types.TimestampKind {
		return nil
	}
	d := b.date(x, nil)
	if d == nil {
		return nil
	}
	// In a counted expression the comparison is charged what CEL's tracker charges it. Its
	// model reads only the sizes of what it compares, and neither a date nor null has one:
	// the charge is one of two figures, asked once, when the pack is compiled.
	var onNull, onDay uint64
	if b.costs != nil {
		call := &callNamed{function, overload}
		charge := func(v ref.Val) uint64 {
			args := []ref.Val{v, types.NullValue}
			if argExprs[0].Kind() == celast.LiteralKind {
				args[0], args[1] = args[1], args[0]
			}
			return b.costs.CostCall(call, args, types.Bool((v == types.NullValue) != negate))
		}
		onNull, onDay = charge(types.NullValue), charge(dateVal(record.MinDate))
	}
	counted := b.costs != nil
	return func(act *vars) ref.Val {
		day, ok := d(act)
		if !ok {
			return nil
		}
		if counted {
			charge := onDay
			if day.IsZero() {
				charge = onNull
			}
			if !act.meter.charge(charge) {
				return nil
			}
		}
		return types.Bool(day.IsZero() != negate)
	}
}

// dateOrder reads an ordering of two dates (child.birth_date <= assessment.completed)
// through their date paths. Either date null is CEL's to answer (an error, for no ordering
// of null is defined). It gives nil for any other call.
func (b *fastBuilder) dateOrder(function string, argExprs []celast.Expr, overloadIDs []string) fastPath {
	if len(argExprs) != 2 || len(overloadIDs) != 1 {
		return nil
	}
	var holds func(a, b record.Date) bool
	switch function {
	case operators.Less:
		holds = record.Date.Before
	case operators.Greater:
		holds = record.Date.After
	case operators.LessEquals:
		holds = func(a, b record.Date) bool { return !a.After(b) }
	case operators.GreaterEquals:
		holds = func(a, b record.Date) bool { return !a.Before(b) }
	default:
		return nil
	}
	for _, x := range argExprs {
		if b.native.GetType(x.ID()).Kind() != types.TimestampKind {
			return nil
		}
	}
	lhs, rhs := b.date(argExprs[0], nil), b.date(argExprs[1], nil)
	if lhs == nil || rhs == nil {
		return nil
	}
	// An ordering of two dates is one of CEL's functions no cost model prices: in a counted
	// expression it costs one unit, charged without making the dates CEL values.
	var units uint64
	counted := b.costs != nil
	if counted {
		var ok bool
		if units, ok = b.fixedPrice(overloadIDs[0]); !ok {
			return nil
		}
	}
	return func(act *vars) ref.Val {
		l, ok := lhs(act)
		if !ok || l.IsZero() {
			return nil
		}
		r, ok := rhs(act)
		if !ok || r.IsZero() || counted && !act.meter.charge(units) {
			return nil
		}
		return types.Bool(holds(l, r))
	}
}

package checker

import (
	"time"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/wtcheck/wtcheck/record"
)

// A deadline's dates almost always take one of a few shapes: a date field of the object in
// hand (referral.received, assessment.completed, plan.ended), the deadline's start or an
// interval's item, and a due date counted from the start (addWorkingDays(start, 45),
// anniversary(start, params.age)). Through a fast path each still became a CEL timestamp
// and then a Date again (evaluator.evalDate). A date path reads such an expression straight
// to a Date, calling the same arithmetic as the CEL function (dateCount).
//
// A date path answers only where CEL would give a date or null: a null where a date is
// counted from, a count or a date outside the calendar's range, anything not of the
// expected type, and it gives ok false, and the expression runs as before, so that every
// error is CEL's own. TestFastPathAgreesWithCEL covers date paths too.

// datePath evaluates a timestamp-or-null expression to a Date (the zero Date for null).
type datePath func(act *vars) (d record.Date, ok bool)

// datePathOf reads a checked expression whose cost CEL bounds into a date path, or gives nil
// when it has another shape.
func datePathOf(env *cel.Env, checked *cel.Ast, facts *packFacts) datePath {
	native := checked.NativeRep()
	b := &fastBuilder{native: native, env: env, adapter: env.CELTypeAdapter(), params: facts.params}
	return b.date(native.Expr(), facts.counts)
}

// date gives the date path of e, or nil.
func (b *fastBuilder) date(e celast.Expr, counts map[string]dateCount) datePath {
	switch e.Kind() {
	case celast.IdentKind:
		get := varField(e.AsIdent())
		if get == nil || (e.AsIdent() != "start" && e.AsIdent() != "item") {
			return nil
		}
		return func(act *vars) (record.Date, bool) { return dateOfVal(get(act)) }
	case celast.SelectKind:
		sel := e.AsSelect()
		if sel.IsTestOnly() {
			return nil
		}
		fo, _ := b.fieldOf(e)
		if fo == nil || fo.f.date == nil {
			return nil
		}
		return func(act *vars) (record.Date, bool) {
			v, ok := fo.object(act)
			if !ok {
				return record.Date{}, false
			}
			d := fo.f.date(v)
			return d, d.IsZero() || d.InRange()
		}
	case celast.CallKind:
		c := e.AsCall()
		ids := b.native.GetOverloadIDs(e.ID())
		if c.IsMemberFunction() || len(c.Args()) != 2 || len(ids) != 1 {
			return nil
		}
		dc, ok := counts[ids[0]]
		if !ok {
			return nil
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
			if !ok {
				return record.Date{}, false
			}
			out, refused := dc.apply(day, int64(k))
			return out, refused == nil
		}
	}
	return nil
}

// dateOfVal is a CEL timestamp or null as a Date; ok is false for any other value, a date
// outside the calendar's range, or a time that is not a day's start in UTC (which a Date
// cannot hold, and whose order against a day a Date would get wrong).
func dateOfVal(v ref.Val) (record.Date, bool) {
	switch v := v.(type) {
	case types.Timestamp:
		d := record.DateOf(v.Time)
		return d, d.InRange() && v.Time.Location() == time.UTC && v.Time.Equal(d.Time())
	case types.Null:
		return record.Date{}, true
	}
	return record.Date{}, false
}

// dateIsNull reads a date compared with null (assessment.completed == null, the commonest
// test in the packs' conditions) through its date path, without making it a CEL value. It
// gives nil for any other comparison, and for a counted expression.
func (b *fastBuilder) dateIsNull(argExprs []celast.Expr, negate bool) fastPath {
	if b.costs != nil {
		return nil
	}
	x, lit, ok := withLiteral(argExprs)
	if !ok || lit != types.NullValue || b.native.GetType(x.ID()).Kind() != types.TimestampKind {
		return nil
	}
	d := b.date(x, nil)
	if d == nil {
		return nil
	}
	return func(act *vars) ref.Val {
		day, ok := d(act)
		if !ok {
			return nil
		}
		return types.Bool(day.IsZero() != negate)
	}
}

// dateOrder reads an ordering of two dates (child.birth_date <= assessment.completed)
// through their date paths. Either date null is CEL's to answer (an error, for no ordering
// of null is defined). It gives nil for any other call, and for a counted expression.
func (b *fastBuilder) dateOrder(function string, argExprs []celast.Expr) fastPath {
	if b.costs != nil || len(argExprs) != 2 {
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
	return func(act *vars) ref.Val {
		l, ok := lhs(act)
		if !ok || l.IsZero() {
			return nil
		}
		r, ok := rhs(act)
		if !ok || r.IsZero() {
			return nil
		}
		return types.Bool(holds(l, r))
	}
}

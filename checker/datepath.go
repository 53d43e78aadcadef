package checker

import (
	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
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
func datePathOf(env *cel.Env, checked *cel.Ast, counts map[string]dateCount) datePath {
	native := checked.NativeRep()
	b := &fastBuilder{native: native, env: env, adapter: env.CELTypeAdapter()}
	return b.date(native.Expr(), counts)
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
		t, ok := objectTypeNamed(b.native.GetType(sel.Operand().ID()).TypeName())
		if !ok {
			return nil
		}
		f, ok := t.fields[sel.FieldName()]
		if !ok || f.date == nil {
			return nil
		}
		operand := b.build(sel.Operand())
		if operand == nil {
			return nil
		}
		return func(act *vars) (record.Date, bool) {
			o, ok := operand(act).(*celObject)
			if !ok || o.t != t {
				return record.Date{}, false
			}
			d := f.date(o.v)
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

// dateOfVal is a CEL timestamp or null as a Date, as evalDate reads one; ok is false for any
// other value, or a date outside the calendar's range.
func dateOfVal(v ref.Val) (record.Date, bool) {
	switch v := v.(type) {
	case types.Timestamp:
		d := record.DateOf(v.Time)
		return d, d.InRange()
	case types.Null:
		return record.Date{}, true
	}
	return record.Date{}, false
}

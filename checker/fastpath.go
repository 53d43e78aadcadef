package checker

import (
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/functions"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/wtcheck/wtcheck/record"
)

// Most of what a pack evaluates is small: a field of the object in hand (referral.received,
// assessment.completed), a condition on it (plan.kind == 'child_protection', s47.seen !=
// null), a deadline's due day (addWorkingDays(start, 45)). Through CEL's interpreter each
// such evaluation resolves its variables and fields through the attribute machinery, which
// was a fifth of a check's CPU. An expression made of variables, fields, literals, lists,
// the logical operators, equality, the conditional, the macros' loops (exists, all, map,
// filter), functions the checker resolved to one overload and the record's late-bound
// look-ups is read once, when the pack is compiled, into Go functions that do the same work
// directly, calling the same implementations CEL would.
//
// A fast path answers only when it can answer as CEL would: whenever a part meets something
// else (a null where an object was expected, a function's error, an unknown), the path gives
// nil and the expression runs through CEL, so the result and any error are CEL's own. An
// expression whose cost CEL could not bound when the pack was compiled (see
// program.counted) charges the rule's budget as it goes, step for step what CEL's tracker
// would (see meter); TestFastPathsChargeAsCEL holds the two to the same figures.
// TestFastPathAgreesWithCEL checks every shipped expression both ways on generated cases.

// fastPath evaluates an expression without CEL, or returns nil when CEL must.
type fastPath func(act *vars) ref.Val

// useFastPaths switches fast paths off for the test that compares them with CEL.
var useFastPaths = true

// maxLocals is how many comprehension variables (an iteration variable and an accumulator
// each) can be in scope at once in a fast path: comprehensions nested three deep.
const maxLocals = 6

// meter is what a rule's counted expressions spent on one record through their fast paths.
// A counted expression's fast path charges each step as CEL's cost tracker would (an
// attribute one unit, a list made ten, a call what the environment's cost models say, priced
// by the same tracker), so the rule's budget holds whichever way it runs. A fast path that
// would go past limit gives up (nil), and CEL, counting for itself, decides.
type meter struct {
	spent, limit uint64
	args         [2]ref.Val // a call's arguments as its price is asked, so none is allocated
}

// charge adds n to what was spent and reports whether it is still within the limit.
func (m *meter) charge(n uint64) bool {
	m.spent += n
	return m.spent <= m.limit
}

// fastPathOf reads a checked expression into a fast path, or returns nil when one of its
// parts has none. env supplies the functions' implementations; counted makes the path charge
// act.meter for what it does, as CEL would charge a counted expression, at the prices of
// facts.costs.
func fastPathOf(env *cel.Env, checked *cel.Ast, facts *packFacts, counted bool) fastPath {
	native := checked.NativeRep()
	b := &fastBuilder{native: native, env: env, adapter: env.CELTypeAdapter(), params: facts.params}
	if counted {
		b.costs = facts.costs
	}
	return b.build(native.Expr())
}

type fastBuilder struct {
	native  *celast.AST
	env     *cel.Env
	adapter types.Adapter
	costs   *cost.Tracker // set for a counted expression: what each call costs
	params  *celObject    // the pack's parameters, what the name params is bound to
	// locals are the comprehension variables in scope, innermost last; each is held in
	// vars.locals at its index here.
	locals []string
}

// within is the builder for the inside of a comprehension that binds names.
func (b *fastBuilder) within(names ...string) *fastBuilder {
	inner := *b
	inner.locals = append(slices.Clone(b.locals), names...)
	return &inner
}

// charged makes f charge n units first, when the expression is counted.
func (b *fastBuilder) charged(n uint64, f fastPath) fastPath {
	if b.costs == nil || n == 0 {
		return f
	}
	return func(act *vars) ref.Val {
		if !act.meter.charge(n) {
			return nil
		}
		return f(act)
	}
}

// build gives a fast path for e, or nil.
func (b *fastBuilder) build(e celast.Expr) fastPath {
	switch e.Kind() {
	case celast.LiteralKind:
		v := e.AsLiteral()
		return func(*vars) ref.Val { return v }
	case celast.IdentKind:
		return b.charged(cost.SelectAndIdentCost, b.ident(e.AsIdent()))
	case celast.SelectKind:
		return b.charged(cost.SelectAndIdentCost, b.selectField(e))
	case celast.CallKind:
		return b.call(e)
	case celast.ListKind:
		return b.list(e)
	case celast.ComprehensionKind:
		return b.comprehension(e)
	}
	return nil // maps and structs: CEL's
}

// localSlot is where the innermost comprehension variable of a name is held (vars.locals),
// or -1 when no comprehension in scope binds it.
func (b *fastBuilder) localSlot(name string) int {
	for slot := len(b.locals) - 1; slot >= 0; slot-- {
		if b.locals[slot] == name {
			return slot
		}
	}
	return -1
}

// ident reads a comprehension variable in scope, else a name of the activation.
func (b *fastBuilder) ident(name string) fastPath {
	if slot := b.localSlot(name); slot >= 0 {
		return func(act *vars) ref.Val {
			if v := act.locals[slot]; v != nil {
				return v
			}
			return act.localDate(slot)
		}
	}
	return varGetter(name)
}

// list makes a list from its elements, as CEL does; a list of literals is made once.
func (b *fastBuilder) list(e celast.Expr) fastPath {
	l := e.AsList()
	if len(l.OptionalIndices()) > 0 {
		return nil
	}
	elems := make([]fastPath, l.Size())
	literal := true
	for i, x := range l.Elements() {
		if elems[i] = b.build(x); elems[i] == nil {
			return nil
		}
		literal = literal && x.Kind() == celast.LiteralKind
	}
	if literal {
		vals := make([]ref.Val, len(elems))
		for i, x := range l.Elements() {
			vals[i] = x.AsLiteral()
		}
		made := types.NewRefValList(b.adapter, vals)
		return b.charged(cost.ListCreateBaseCost, func(*vars) ref.Val { return made })
	}
	adapter := b.adapter
	return b.charged(cost.ListCreateBaseCost, func(act *vars) ref.Val {
		vals := make([]ref.Val, len(elems))
		for i, el := range elems {
			if vals[i] = el(act); vals[i] == nil {
				return nil
			}
		}
		return types.NewRefValList(adapter, vals)
	})
}

// comprehension runs a macro's loop (exists, all, map, filter…) over a list. A map or filter
// collects its items in one slice, as CEL's own mutable accumulator does, rather than
// concatenating lists one item at a time.
func (b *fastBuilder) comprehension(e celast.Expr) fastPath {
	c := e.AsComprehension()
	if c.HasIterVar2() || len(b.locals)+2 > maxLocals {
		return nil
	}
	rng := b.rangeOf(c.IterRange())
	if rng == nil {
		return nil
	}
	accuSlot, iterSlot := len(b.locals), len(b.locals)+1
	if pred, elemExpr, loop, ok := b.appendShape(c); ok {
		elem := loop.build(elemExpr)
		if elem == nil {
			return nil
		}
		adapter := b.adapter
		const once, perItem = appendOnceCost, appendItemCost
		metered := b.costs != nil
		return func(act *vars) ref.Val {
			items, ok := rng(act)
			if !ok || metered && !act.meter.charge(once) {
				return nil
			}
			n := items.n
			// The list is made once, at the size of what is left when the first item is kept
			// (a map keeps every item), rather than grown item by item.
			var vals []ref.Val
			// Items are read by index: an iterator is an allocation for every loop.
			for i := range n {
				items.setLocal(act, iterSlot, i)
				if pred != nil {
					keep, ok := pred(act).(types.Bool)
					if !ok {
						return nil
					}
					if !keep {
						continue // CEL charges nothing for keeping the accumulator as it is
					}
				}
				v := elem(act)
				if v == nil || metered && !act.meter.charge(perItem) {
					return nil
				}
				if vals == nil {
					vals = make([]ref.Val, 0, n-i)
				}
				vals = append(vals, v)
			}
			return types.NewRefValList(adapter, vals)
		}
	}
	init := b.build(c.AccuInit())
	loop := b.within(c.AccuVar(), c.IterVar())
	cond, step := loop.build(c.LoopCondition()), loop.build(c.LoopStep())
	result := b.within(c.AccuVar()).build(c.Result())
	if init == nil || cond == nil || step == nil || result == nil {
		return nil
	}
	return func(act *vars) ref.Val {
		items, ok := rng(act)
		if !ok {
			return nil
		}
		accu := init(act)
		if accu == nil {
			return nil
		}
		act.locals[accuSlot], act.localIsDay[accuSlot] = accu, false
		for i := range items.n {
			items.setLocal(act, iterSlot, i)
			more, ok := cond(act).(types.Bool)
			if !ok {
				return nil
			}
			if !more {
				break
			}
			if accu = step(act); accu == nil {
				return nil
			}
			act.locals[accuSlot], act.localIsDay[accuSlot] = accu, false
		}
		return result(act)
	}
}

// rangeItems is the list a comprehension runs over: a CEL list, or the Go slice of a list
// field of dates or strings, whose items are made CEL values one by one as the loop reads
// them. A list field read whole was made a CEL list, and kept for the record in a map, for
// every object a rule looped over.
type rangeItems struct {
	list  traits.Lister
	dates []record.Date
	strs  []string
	n     int
}

// setLocal makes the i-th item, i under n, the comprehension variable in slot. A date is
// kept as a Date, and made a CEL value only if a path reads it as one (vars.localDate): a
// date path reads the Date, and the CEL value of every visit date was two reads that missed
// the cache, one to make it and one to read it back.
func (r *rangeItems) setLocal(act *vars, slot, i int) {
	switch {
	case r.list != nil:
		act.locals[slot], act.localIsDay[slot] = r.list.Get(types.Int(i)), false
	case r.strs != nil:
		act.locals[slot], act.localIsDay[slot] = types.String(r.strs[i]), false
	default:
		act.locals[slot], act.localDays[slot], act.localIsDay[slot] = nil, r.dates[i], true
	}
}

// rangeOf reads the range of a comprehension: a list field of dates or strings of one of the
// engine's objects as its slice, charged as the select it is; any other list through its
// fast path. ok is false where the fast path has no answer or the value is not a list.
func (b *fastBuilder) rangeOf(e celast.Expr) func(act *vars) (rangeItems, bool) {
	if e.Kind() == celast.SelectKind && !e.AsSelect().IsTestOnly() {
		if fo, _ := b.fieldOf(e); fo != nil && (fo.f.dates != nil || fo.f.strs != nil) {
			metered := b.costs != nil
			return func(act *vars) (rangeItems, bool) {
				if metered && !act.meter.charge(cost.SelectAndIdentCost) {
					return rangeItems{}, false
				}
				v, ok := fo.object(act)
				if !ok {
					return rangeItems{}, false
				}
				if fo.f.strs != nil {
					s := fo.f.strs(v)
					return rangeItems{strs: s, n: len(s)}, true
				}
				d := fo.f.dates(v)
				return rangeItems{dates: d, n: len(d)}, true
			}
		}
	}
	rng := b.build(e)
	if rng == nil {
		return nil
	}
	return func(act *vars) (rangeItems, bool) {
		l, ok := rng(act).(traits.Lister)
		if !ok {
			return rangeItems{}, false
		}
		if sd, ok := l.(*sortedDates); ok {
			return rangeItems{dates: sd.days, n: len(sd.days)}, true // a plan's seen visits
		}
		n, ok := l.Size().(types.Int)
		if !ok {
			return rangeItems{}, false
		}
		return rangeItems{list: l, n: int(n)}, true
	}
}

// What CEL charges a map or filter's loop: the empty list the accumulator starts as (10) and
// reading it as the result (1); then for each item the step adds, the accumulator (1), the
// one-item list (10) and the concatenation (1).
const (
	appendOnceCost = cost.ListCreateBaseCost + cost.SelectAndIdentCost
	appendItemCost = cost.SelectAndIdentCost + cost.ListCreateBaseCost + 1
)

// appendShape recognises the loop of a map or filter macro: an accumulator that starts as
// an empty list, a condition that is always true, a step that appends one item (under a
// condition, for a filter), and the accumulator as the result. It gives the condition as a
// fast path (nil for a map), and the item's expression with the builder of the loop's inside.
func (b *fastBuilder) appendShape(c celast.ComprehensionExpr) (pred fastPath, elem celast.Expr, loop *fastBuilder, ok bool) {
	accu := c.AccuVar()
	if !strings.HasPrefix(accu, "@") || accu == c.IterVar() {
		return nil, nil, nil, false
	}
	isAccu := func(x celast.Expr) bool { return x.Kind() == celast.IdentKind && x.AsIdent() == accu }
	init, cond := c.AccuInit(), c.LoopCondition()
	if !isAccu(c.Result()) || init.Kind() != celast.ListKind || init.AsList().Size() != 0 ||
		cond.Kind() != celast.LiteralKind || cond.AsLiteral() != types.True || c.LoopStep().Kind() != celast.CallKind {
		return nil, nil, nil, false
	}
	loop = b.within(accu, c.IterVar())
	step := c.LoopStep().AsCall()
	if step.FunctionName() == operators.Conditional && len(step.Args()) == 3 {
		if !isAccu(step.Args()[2]) || step.Args()[1].Kind() != celast.CallKind {
			return nil, nil, nil, false
		}
		if pred = loop.build(step.Args()[0]); pred == nil {
			return nil, nil, nil, false
		}
		step = step.Args()[1].AsCall()
	}
	args := step.Args()
	if step.FunctionName() != operators.Add || len(args) != 2 || !isAccu(args[0]) ||
		args[1].Kind() != celast.ListKind || args[1].AsList().Size() != 1 || len(args[1].AsList().OptionalIndices()) > 0 {
		return nil, nil, nil, false
	}
	return pred, args[1].AsList().Elements()[0], loop, true
}

// selectField reads operand.field on one of the engine's objects.
func (b *fastBuilder) selectField(e celast.Expr) fastPath {
	sel := e.AsSelect()
	if sel.IsTestOnly() {
		return nil // has(): CEL's presence test
	}
	fo, known := b.fieldOf(e)
	switch {
	case known && fo == nil:
		return nil
	case known && fo.f.list:
		return func(act *vars) ref.Val {
			v, ok := fo.object(act)
			if !ok {
				return nil
			}
			return act.index.listField(v, fo.f)
		}
	case known:
		return func(act *vars) ref.Val {
			v, ok := fo.object(act)
			if !ok {
				return nil
			}
			return fo.f.get(v)
		}
	}
	if v := b.paramField(sel); v != nil {
		// The operand, params, costs what reading a name does; its field is read here once.
		return b.charged(cost.SelectAndIdentCost, func(*vars) ref.Val { return v })
	}
	operand := b.build(sel.Operand())
	if operand == nil {
		return nil
	}
	name := sel.FieldName()
	// An object whose type is made with the pack (its parameters): its field is found as it
	// runs.
	return func(act *vars) ref.Val {
		o, ok := operand(act).(*celObject)
		if !ok {
			return nil
		}
		f, ok := o.t.fields[name]
		if !ok {
			return nil
		}
		return f.get(o.v)
	}
}

// paramField is the value of params.name when sel reads a field of the pack's parameters, else
// nil. A pack's parameters are fixed when it is compiled, and every rule of the pack is
// evaluated with params bound to them (evaluator.rule); a comprehension variable of that name
// hides them.
func (b *fastBuilder) paramField(sel celast.SelectExpr) ref.Val {
	x := sel.Operand()
	if b.params == nil || x.Kind() != celast.IdentKind || x.AsIdent() != "params" || slices.Contains(b.locals, "params") {
		return nil
	}
	f, ok := b.params.t.fields[sel.FieldName()]
	if !ok {
		return nil
	}
	return f.get(b.params.v)
}

// fieldOn is a select of a field on one of the engine's object types (referral.received,
// plan.kind), resolved when the pack is compiled: the type, the field and the operand's fast
// path.
type fieldOn struct {
	t       *objectType
	f       *objectField
	operand fastPath
}

// fieldOf resolves e, a select that is not a presence test. known is false when the operand's
// type is not one of the engine's (a pack's parameters, whose fields are found as it runs);
// the fieldOn is nil when the field is unknown or the operand has no fast path.
func (b *fastBuilder) fieldOf(e celast.Expr) (fo *fieldOn, known bool) {
	sel := e.AsSelect()
	t, ok := objectTypeNamed(b.native.GetType(sel.Operand().ID()).TypeName())
	if !ok {
		return nil, false
	}
	f, ok := t.fields[sel.FieldName()]
	if !ok {
		return nil, true
	}
	operand := b.build(sel.Operand())
	if operand == nil {
		return nil, true
	}
	return &fieldOn{t: t, f: f, operand: operand}, true
}

// object is the Go value the select reads the field of, when the operand is an object of the
// field's type.
func (fo *fieldOn) object(act *vars) (any, bool) {
	o, ok := fo.operand(act).(*celObject)
	if !ok || o.t != fo.t {
		return nil, false
	}
	return o.v, true
}

// withLiteral splits the two arguments of a comparison into the expression and the literal it
// is compared with, in either order; ok is false when neither is a literal.
func withLiteral(args []celast.Expr) (x celast.Expr, lit ref.Val, ok bool) {
	if len(args) != 2 {
		return nil, nil, false
	}
	x, l := args[0], args[1]
	if x.Kind() == celast.LiteralKind {
		x, l = l, x
	}
	if l.Kind() != celast.LiteralKind {
		return nil, nil, false
	}
	return x, l.AsLiteral(), true
}

// call reads the logical operators, equality, the conditional, a function with one overload
// bound when the pack is compiled, and one of the record's look-ups bound late.
func (b *fastBuilder) call(e celast.Expr) fastPath {
	c := e.AsCall()
	argExprs := c.Args()
	if c.IsMemberFunction() {
		argExprs = append([]celast.Expr{c.Target()}, argExprs...)
	}
	args := make([]fastPath, len(argExprs))
	for i, a := range argExprs {
		if args[i] = b.build(a); args[i] == nil {
			return nil
		}
	}
	switch name := c.FunctionName(); {
	case name == operators.LogicalAnd || name == operators.LogicalOr:
		if len(args) != 2 {
			return nil
		}
		// The left side decides when it is false for && (true for ||), as in CEL; a left
		// side with no answer here is left to CEL, which may still decide on the right.
		decides := types.Bool(name == operators.LogicalOr)
		lhs, rhs := args[0], args[1]
		return func(act *vars) ref.Val {
			l, ok := lhs(act).(types.Bool)
			if !ok {
				return nil
			}
			if l == decides {
				return l
			}
			if r, ok := rhs(act).(types.Bool); ok {
				return r
			}
			return nil
		}
	case name == operators.Conditional:
		if len(args) != 3 {
			return nil
		}
		cond, yes, no := args[0], args[1], args[2]
		return func(act *vars) ref.Val {
			c, ok := cond(act).(types.Bool)
			switch {
			case !ok:
				return nil
			case c == types.True:
				return yes(act)
			}
			return no(act)
		}
	case name == operators.NotStrictlyFalse && len(args) == 1:
		// The loop condition of exists and all: a bool passes through (an error or an
		// unknown, which it would turn into true, gives nil here like any other).
		arg, price := args[0], b.price(name, overloads.NotStrictlyFalse)
		return func(act *vars) ref.Val {
			v, ok := arg(act).(types.Bool)
			if !ok || !price.pays1(act, v, v) {
				return nil
			}
			return v
		}
	case name == operators.Equals || name == operators.NotEquals:
		if len(args) != 2 {
			return nil
		}
		negate := types.Bool(name == operators.NotEquals)
		if eq := b.stringFieldIs(argExprs, bool(negate)); eq != nil {
			return eq
		}
		overload := overloads.Equals
		if negate {
			overload = overloads.NotEquals
		}
		if eq := b.dateIsNull(argExprs, bool(negate), name, overload); eq != nil {
			return eq
		}
		lhs, rhs, price := args[0], args[1], b.price(name, overload)
		return func(act *vars) ref.Val {
			l, r := lhs(act), rhs(act)
			if l == nil || r == nil {
				return nil
			}
			eq, ok := types.Equal(l, r).(types.Bool)
			if !ok {
				return nil
			}
			out := types.Bool(eq != negate)
			if !price.pays2(act, out, l, r) {
				return nil
			}
			return out
		}
	}
	ids := b.native.GetOverloadIDs(e.ID())
	if cmp := b.dateOrder(c.FunctionName(), argExprs, ids); cmp != nil {
		return cmp
	}
	if in := b.inStrings(c.FunctionName(), argExprs, args, ids); in != nil {
		return in
	}
	if len(ids) != 1 {
		return nil
	}
	if late := b.lateBound(c.FunctionName(), ids[0], args); late != nil {
		return late
	}
	price := b.price(c.FunctionName(), ids[0])
	impl := b.overload(ids[0], c.FunctionName())
	switch {
	case impl == nil:
		return nil
	case len(args) == 1 && impl.Unary != nil:
		op, arg, trait := impl.Unary, args[0], impl.OperandTrait
		return func(act *vars) ref.Val {
			v := arg(act)
			if v == nil || trait != 0 && !v.Type().HasTrait(trait) {
				return nil
			}
			out := op(v)
			if !price.pays1(act, out, v) {
				return nil
			}
			return answered(out)
		}
	case len(args) == 2 && impl.Binary != nil:
		op, lhs, rhs, trait := impl.Binary, args[0], args[1], impl.OperandTrait
		return func(act *vars) ref.Val {
			l, r := lhs(act), rhs(act)
			if l == nil || r == nil || trait != 0 && !l.Type().HasTrait(trait) {
				return nil
			}
			out := op(l, r)
			if !price.pays2(act, out, l, r) {
				return nil
			}
			return answered(out)
		}
	}
	return nil
}

// stringFieldIs reads a string field compared with a literal (plan.kind == 'child_protection',
// the commonest condition in the packs) without making the field's value a CEL string, which
// was an allocation on every read. It gives nil for any other comparison, and for a counted
// expression, whose steps are charged one by one.
func (b *fastBuilder) stringFieldIs(argExprs []celast.Expr, negate bool) fastPath {
	if b.costs != nil {
		return nil
	}
	sel, lit, ok := withLiteral(argExprs)
	if !ok || sel.Kind() != celast.SelectKind || sel.AsSelect().IsTestOnly() {
		return nil
	}
	want, ok := lit.(types.String)
	if !ok {
		return nil
	}
	fo, _ := b.fieldOf(sel)
	if fo == nil || fo.f.str == nil {
		return nil
	}
	return func(act *vars) ref.Val {
		v, ok := fo.object(act)
		if !ok {
			return nil
		}
		return types.Bool((fo.f.str(v) == string(want)) != negate)
	}
}

// inStrings reads a string tested against a list of string literals (c in ['disabled',
// 'young_carer', …]) as a look-up in a set made when the pack is compiled, where CEL compares
// it with each item in turn. A value that is not a string is CEL's to answer. In a counted
// expression the test is charged what CEL's tracker charges it: its model reads only the
// size of the list, so that is asked once, when the pack is compiled.
func (b *fastBuilder) inStrings(function string, argExprs []celast.Expr, args []fastPath, ids []string) fastPath {
	if function != operators.In || len(ids) != 1 || ids[0] != overloads.InList || len(argExprs) != 2 || argExprs[1].Kind() != celast.ListKind {
		return nil
	}
	l := argExprs[1].AsList()
	if len(l.OptionalIndices()) > 0 {
		return nil
	}
	set := make(map[string]bool, l.Size())
	var items []ref.Val
	for _, x := range l.Elements() {
		if x.Kind() != celast.LiteralKind {
			return nil
		}
		s, ok := x.AsLiteral().(types.String)
		if !ok {
			return nil
		}
		set[string(s)] = true
		items = append(items, s)
	}
	var units uint64
	if b.costs != nil {
		list := types.NewRefValList(b.adapter, items)
		units = b.costs.CostCall(&callNamed{function, ids[0]}, []ref.Val{types.String(""), list}, types.False)
	}
	elem, list, counted := args[0], args[1], b.costs != nil
	return func(act *vars) ref.Val {
		s, ok := elem(act).(types.String)
		if !ok || list(act) == nil || counted && !act.meter.charge(units) {
			return nil
		}
		return types.Bool(set[string(s)])
	}
}

// pricer charges a call of a counted expression what CEL's tracker charges it, and reports
// whether the meter is still within its limit; nil, for an expression that is not counted,
// charges nothing.
type pricer func(act *vars, result ref.Val, args []ref.Val) bool

// pays charges a call of args that gave result.
func (p pricer) pays(act *vars, result ref.Val, args []ref.Val) bool {
	return p == nil || p(act, result, args)
}

// pays1 and pays2 are pays for a call of one or two arguments, held in the meter so that
// no slice of them is allocated.
func (p pricer) pays1(act *vars, result, a ref.Val) bool {
	if p == nil {
		return true
	}
	act.meter.args[0] = a
	return p(act, result, act.meter.args[:1])
}

func (p pricer) pays2(act *vars, result, a, b ref.Val) bool {
	if p == nil {
		return true
	}
	act.meter.args[0], act.meter.args[1] = a, b
	return p(act, result, act.meter.args[:2])
}

// price is the pricer of a call of overload, or nil when the expression is not counted.
func (b *fastBuilder) price(function, overload string) pricer {
	if b.costs == nil {
		return nil
	}
	if units, ok := b.fixedPrice(overload); ok {
		return func(act *vars, _ ref.Val, _ []ref.Val) bool { return act.meter.charge(units) }
	}
	if charge, ok := runtimeCosts[overload]; ok {
		return func(act *vars, _ ref.Val, args []ref.Val) bool { return act.meter.charge(charge(args)) }
	}
	costs, call := b.costs, &callNamed{function, overload} // a pointer, so that passing it allocates nothing
	if costs.Estimator == nil && standardModelled(overload) {
		memo := new(priceMemo)
		return func(act *vars, result ref.Val, args []ref.Val) bool {
			return act.meter.charge(memo.price(costs, call, args, result))
		}
	}
	return func(act *vars, result ref.Val, args []ref.Val) bool {
		return act.meter.charge(costs.CostCall(call, args, result))
	}
}

// priceMemo keeps what CEL's tracker charged a call of one overload, by the sizes of its
// arguments and result. CEL's standard cost models (string concatenation and comparison,
// membership of a list, equality…) read nothing of a call but those sizes, so a call of
// sizes already priced is charged the same without asking the tracker again: it was a tenth
// of a counted expression's time, for the strings of a subject or a list's membership.
// The slots are read and written whole, atomically: a compiled pack serves every goroutine.
type priceMemo struct {
	slots [64]atomic.Uint64 // the sizes' key in the high half, the price in the low
}

func (m *priceMemo) price(costs *cost.Tracker, call cost.Call, args []ref.Val, result ref.Val) uint64 {
	key, ok := sizesKey(args, result)
	if !ok {
		return costs.CostCall(call, args, result)
	}
	slot := &m.slots[(key*0x9E3779B97F4A7C15)>>58]
	if e := slot.Load(); e>>32 == key {
		return uint64(uint32(e))
	}
	price := costs.CostCall(call, args, result)
	if price <= math.MaxUint32 {
		slot.Store(key<<32 | price)
	}
	return price
}

// sizesKey packs the sizes of a call's arguments (at most two) and its result, each under
// 255, as CEL's tracker sizes them (cost.ActualSize), with their number, into a key that is
// never zero; ok is false for larger sizes, more arguments, or a value the tracker sizes
// another way (an optional) or not at all (a missing one).
func sizesKey(args []ref.Val, result ref.Val) (key uint64, ok bool) {
	if len(args) > 2 {
		return 0, false
	}
	key = uint64(len(args)) + 1
	size := func(v ref.Val) bool {
		if v == nil {
			return false
		}
		if _, isOpt := v.(*types.Optional); isOpt {
			return false
		}
		n := cost.ActualSize(v)
		if n >= 255 {
			return false
		}
		key = key<<8 | n
		return true
	}
	for _, a := range args {
		if !size(a) {
			return 0, false
		}
	}
	if !size(result) {
		return 0, false
	}
	return key, true
}

// fixedPrice is what a call of overload costs in a counted expression whatever its arguments,
// when that is known without them: one of the engine's functions of a fixed cost, or one of
// CEL's standard functions no cost model prices. ok is false for any other overload.
func (b *fastBuilder) fixedPrice(overload string) (units uint64, ok bool) {
	if c, ok := fixedCosts[overload]; ok {
		return c.units, true
	}
	if b.costs.Estimator == nil && unmodelled(overload) {
		return 1, true
	}
	return 0, false
}

// callNamed names a call for the cost tracker, as CEL's own call nodes do.
type callNamed struct{ function, overload string }

func (c *callNamed) Function() string   { return c.function }
func (c *callNamed) OverloadID() string { return c.overload }

// lateBound calls one of the record's look-ups (see index.go), which the activation supplies,
// after checking each argument is the object its declaration names, as CEL's dispatch does.
// It gives nil for a function that is not bound late.
func (b *fastBuilder) lateBound(function, overload string, args []fastPath) fastPath {
	decl, ok := b.env.Functions()[function]
	if !ok {
		return nil
	}
	var want []*objectType // the object type of each argument, as the declaration names it
	for _, o := range decl.OverloadDecls() {
		if o.ID() != overload {
			continue
		}
		if !o.HasLateBinding() {
			return nil
		}
		for _, t := range o.ArgTypes() {
			ot, ok := objectTypeNamed(t.TypeName())
			if !ok {
				return nil
			}
			want = append(want, ot)
		}
	}
	look, ok := lookups[function]
	if len(want) != len(args) || !ok {
		return nil
	}
	price := b.price(function, overload)
	return func(act *vars) ref.Val {
		// The arguments are gathered on the index's stack, not in a slice of their own: a
		// look-up's argument may itself call a look-up, which stacks its own above them.
		// What is left above base is overwritten by the next call, and cleared with the
		// index (caseIndex.reset), so the stack is only cut back here.
		ix := act.index
		base := len(ix.args)
		for i, arg := range args {
			o, ok := arg(act).(*celObject)
			if !ok || o.t != want[i] {
				ix.args = ix.args[:base]
				return nil
			}
			ix.args = append(ix.args, o)
		}
		vals := ix.args[base:len(ix.args):len(ix.args)]
		out := look(ix, vals...)
		ix.args = ix.args[:base]
		if !price.pays(act, out, vals) {
			return nil
		}
		return answered(out)
	}
}

// overload is the implementation CEL calls for a call the checker resolved to exactly one
// overload, found as CEL's planner finds it (by the overload's id, else by the function's
// name, as for the standard operators), or nil: for one bound late (a record's look-ups,
// from the activation) or one that is not strict.
func (b *fastBuilder) overload(id, function string) *functions.Overload {
	decl, ok := b.env.Functions()[function]
	if !ok {
		return nil
	}
	bindings, err := decl.Bindings()
	if err != nil {
		return nil
	}
	var found *functions.Overload
	for _, o := range bindings {
		if o.Operator == id {
			found = o
			break
		}
		if o.Operator == function {
			found = o
		}
	}
	if found == nil || found.LateBound || found.NonStrict || found.Async != nil {
		return nil
	}
	return found
}

// answered passes on a value, and turns an error or an unknown into nil, for CEL to give.
func answered(v ref.Val) ref.Val {
	if types.IsUnknownOrError(v) {
		return nil
	}
	return v
}

// varGetter reads a name of the activation as vars.ResolveName does; nil from the function
// it returns means the name is not bound, which CEL reports. The name is looked up once,
// when the pack is compiled (varField), not on every read.
func varGetter(name string) fastPath {
	if get := varField(name); get != nil {
		return get
	}
	return func(v *vars) ref.Val { return v.scopeObject(name) }
}

var (
	objectTypesOnce sync.Once
	objectTypes     map[string]*objectType
)

// objectTypeNamed is the engine's object type of a CEL type name (wt.Referral, …).
func objectTypeNamed(name string) (*objectType, bool) {
	objectTypesOnce.Do(func() {
		objectTypes = map[string]*objectType{}
		for _, t := range caseObjectTypes {
			objectTypes[t.name] = t
		}
		for _, t := range beyondObjectTypes {
			objectTypes[t.name] = t
		}
	})
	t, ok := objectTypes[name]
	return t, ok
}

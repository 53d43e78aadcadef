package checker

import (
	"sync"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/functions"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// Most of what a pack evaluates is small: a field of the object in hand (referral.received,
// assessment.completed), a condition on it (plan.kind == 'child_protection', s47.seen !=
// null), a deadline's due day (addWorkingDays(start, 45)). Through CEL's interpreter each
// such evaluation resolves its variables and fields through the attribute machinery, which
// was a fifth of a check's CPU. An expression made only of variables, fields, literals, the
// logical operators, equality, the conditional and functions the checker resolved to one
// overload is read once, when the pack is compiled, into Go functions that do the same work
// directly, calling the same implementations CEL would.
//
// A fast path answers only when it can answer as CEL would: whenever a part meets something
// else (a null where an object was expected, a function's error, an unknown), the path gives
// nil and the expression runs through CEL, so the result and any error are CEL's own. Only
// expressions whose cost is bounded when the pack is compiled get one (see program.counted):
// a counted expression runs through CEL, which charges the rule's budget.
// TestFastPathAgreesWithCEL checks every shipped expression both ways on generated cases.

// fastPath evaluates an expression without CEL, or returns nil when CEL must.
type fastPath func(act *vars) ref.Val

// useFastPaths switches fast paths off for the test that compares them with CEL.
var useFastPaths = true

// fastPathOf reads a checked expression into a fast path, or returns nil when one of its
// parts has none. env supplies the functions' implementations.
func fastPathOf(env *cel.Env, checked *cel.Ast) fastPath {
	native := checked.NativeRep()
	return fastBuilder{native: native, env: env}.build(native.Expr())
}

type fastBuilder struct {
	native *celast.AST
	env    *cel.Env
}

// build gives a fast path for e, or nil.
func (b fastBuilder) build(e celast.Expr) fastPath {
	switch e.Kind() {
	case celast.LiteralKind:
		v := e.AsLiteral()
		return func(*vars) ref.Val { return v }
	case celast.IdentKind:
		return varGetter(e.AsIdent())
	case celast.SelectKind:
		return b.selectField(e)
	case celast.CallKind:
		return b.call(e)
	}
	return nil // lists, maps, comprehensions: CEL's
}

// selectField reads operand.field on one of the engine's objects.
func (b fastBuilder) selectField(e celast.Expr) fastPath {
	sel := e.AsSelect()
	if sel.IsTestOnly() {
		return nil // has(): CEL's presence test
	}
	operand := b.build(sel.Operand())
	if operand == nil {
		return nil
	}
	name := sel.FieldName()
	if t, ok := objectTypeNamed(b.native.GetType(sel.Operand().ID()).TypeName()); ok {
		f, ok := t.fields[name]
		if !ok {
			return nil
		}
		return func(act *vars) ref.Val {
			o, ok := operand(act).(*celObject)
			if !ok || o.t != t {
				return nil
			}
			return f.get(o.v)
		}
	}
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

// call reads the logical operators, equality, the conditional and a function with one
// overload bound when the pack is compiled.
func (b fastBuilder) call(e celast.Expr) fastPath {
	c := e.AsCall()
	if c.IsMemberFunction() {
		return nil
	}
	args := make([]fastPath, len(c.Args()))
	for i, a := range c.Args() {
		if args[i] = b.build(a); args[i] == nil {
			return nil
		}
	}
	switch name := c.FunctionName(); name {
	case "_&&_", "_||_":
		if len(args) != 2 {
			return nil
		}
		// The left side decides when it is false for && (true for ||), as in CEL; a left
		// side with no answer here is left to CEL, which may still decide on the right.
		decides := types.Bool(name == "_||_")
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
	case "_?_:_":
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
	case "_==_", "_!=_":
		if len(args) != 2 {
			return nil
		}
		negate := types.Bool(name == "_!=_")
		lhs, rhs := args[0], args[1]
		return func(act *vars) ref.Val {
			l, r := lhs(act), rhs(act)
			if l == nil || r == nil {
				return nil
			}
			if eq, ok := types.Equal(l, r).(types.Bool); ok {
				return types.Bool(eq != negate)
			}
			return nil
		}
	}
	impl := b.overload(e.ID(), c.FunctionName())
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
			return answered(op(v))
		}
	case len(args) == 2 && impl.Binary != nil:
		op, lhs, rhs, trait := impl.Binary, args[0], args[1], impl.OperandTrait
		return func(act *vars) ref.Val {
			l, r := lhs(act), rhs(act)
			if l == nil || r == nil || trait != 0 && !l.Type().HasTrait(trait) {
				return nil
			}
			return answered(op(l, r))
		}
	}
	return nil
}

// overload is the implementation CEL calls for a call the checker resolved to exactly one
// overload, found as CEL's planner finds it (by the overload's id, else by the function's
// name, as for the standard operators), or nil: for one bound late (a record's look-ups,
// from the activation) or one that is not strict.
func (b fastBuilder) overload(id int64, function string) *functions.Overload {
	ids := b.native.GetOverloadIDs(id)
	if len(ids) != 1 {
		return nil
	}
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
		if o.Operator == ids[0] {
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
// it returns means the name is not bound, which CEL reports.
func varGetter(name string) fastPath {
	return func(v *vars) ref.Val { return v.lookup(name) }
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

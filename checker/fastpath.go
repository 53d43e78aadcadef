package checker

import (
	"sync"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// Most of what a pack evaluates is a field of the object in hand: a deadline's start
// (referral.received), its done and lapse (assessment.completed, referral.closed), a
// condition on a kind (plan.kind == 'child_protection'). Each such evaluation through CEL's
// interpreter resolves the variable and the field through its attribute machinery, which was
// a fifth of a check's CPU. These shapes are read once, when the pack is compiled, into a Go
// function that does the same look-up directly.
//
// A fast path answers only the case it was built for: the variable holds an object of the
// type the checker saw, and a compared field holds a string. Anything else (a null, an
// absent referral) returns nil, and the expression runs through CEL as before, so the result
// and any error are CEL's own. TestFastPathAgreesWithCEL checks every shipped expression
// both ways on generated cases.

// fastPath evaluates an expression without CEL, or returns nil when CEL must.
type fastPath func(act *vars) ref.Val

// useFastPaths switches fast paths off for the test that compares them with CEL.
var useFastPaths = true

// fastPathOf reads a checked expression of one of the shapes above, or returns nil.
func fastPathOf(checked *cel.Ast) fastPath {
	native := checked.NativeRep()
	e := native.Expr()
	if e.Kind() == celast.CallKind {
		return fastEquals(native, e)
	}
	return fastSelect(native, e)
}

// fastSelect reads `name`, `name.field` or `name.field.field` over the engine's object types.
func fastSelect(native *celast.AST, e celast.Expr) fastPath {
	switch e.Kind() {
	case celast.IdentKind:
		return varGetter(e.AsIdent())
	case celast.SelectKind:
		sel := e.AsSelect()
		if sel.IsTestOnly() {
			return nil // has(): CEL's presence test
		}
		t, ok := objectTypeNamed(native.GetType(sel.Operand().ID()).TypeName())
		if !ok {
			return nil
		}
		f, ok := t.fields[sel.FieldName()]
		if !ok {
			return nil
		}
		operand := fastSelect(native, sel.Operand())
		if operand == nil {
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
	return nil
}

// fastEquals reads `select == 'text'` and `select != 'text'`, either way round.
func fastEquals(native *celast.AST, e celast.Expr) fastPath {
	call := e.AsCall()
	if call.IsMemberFunction() || len(call.Args()) != 2 {
		return nil
	}
	negate := false
	switch call.FunctionName() {
	case "_==_":
	case "_!=_":
		negate = true
	default:
		return nil
	}
	lhs, rhs := call.Args()[0], call.Args()[1]
	if lhs.Kind() == celast.LiteralKind {
		lhs, rhs = rhs, lhs
	}
	if rhs.Kind() != celast.LiteralKind {
		return nil
	}
	want, ok := rhs.AsLiteral().(types.String)
	if !ok {
		return nil
	}
	get := fastSelect(native, lhs)
	if get == nil {
		return nil
	}
	return func(act *vars) ref.Val {
		got, ok := get(act).(types.String)
		if !ok {
			return nil
		}
		return types.Bool((got == want) != negate)
	}
}

// varGetter reads one of the activation's names as vars.ResolveName does, or gives nil
// where the name is not one of them.
func varGetter(name string) fastPath {
	switch name {
	case "case":
		return func(v *vars) ref.Val { return v.caseV }
	case "child":
		return func(v *vars) ref.Val { return v.child }
	case "referral":
		return func(v *vars) ref.Val { return v.referral }
	case "item":
		return func(v *vars) ref.Val { return v.item }
	case "object":
		return func(v *vars) ref.Val { return v.object }
	case "as_of", "params", "start", "due", "done", "status", "late_working_days", "late_days", "working_days_left":
		return nil // rarely read alone; CEL resolves them
	}
	return func(v *vars) ref.Val {
		if v.objectName == name {
			return v.object
		}
		return nil
	}
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

package checker

import (
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"
)

// TestFunctionExamples runs the example beside every function's declaration: each
// type-checks in a rule's environment (with referral, plan and s47 declared, and item of any
// type), and each that reads no record, only literals, evaluates to true. So the reference
// (docs/rules.md, wtcheck help) shows examples that work, and a function cannot lose its
// documentation.
func TestFunctionExamples(t *testing.T) {
	if len(Functions) != len(ruleFunctions(nil)) || len(Functions) == 0 {
		t.Fatalf("%d function docs for %d functions", len(Functions), len(ruleFunctions(nil)))
	}
	base, err := cel.NewEnv(envOptions(testCalendar(t), paramsType("test", nil))...)
	if err != nil {
		t.Fatal(err)
	}
	env, err := base.Extend(
		cel.Variable("referral", referralType),
		cel.Variable("plan", planType),
		cel.Variable("s47", s47Type),
		cel.Variable("item", cel.DynType),
	)
	if err != nil {
		t.Fatal(err)
	}
	evaluated := 0
	for _, f := range Functions {
		if f.Doc == "" || f.Example == "" || f.Signature == "" {
			t.Errorf("%s: a function needs a signature, a doc and an example", f.Signature)
			continue
		}
		ast, iss := env.Compile(f.Example)
		if iss.Err() != nil {
			t.Errorf("%s: example %q does not compile: %v", f.Signature, f.Example, iss.Err())
			continue
		}
		if len(ast.NativeRep().ReferenceMap()) > 0 && readsVariable(ast) {
			continue // reads a record: type-checked only
		}
		prg, err := env.Program(ast)
		if err != nil {
			t.Fatalf("%s: %v", f.Signature, err)
		}
		out, _, err := prg.Eval(interpreter.EmptyActivation())
		if err != nil || out != types.True {
			t.Errorf("%s: example %q = %v, %v; want true", f.Signature, f.Example, out, err)
		}
		evaluated++
	}
	t.Logf("%d examples evaluated, the rest type-checked", evaluated)
	if evaluated < 5 {
		t.Errorf("only %d examples were evaluated", evaluated)
	}
}

// readsVariable reports whether a checked expression reads a variable (a record), not only
// literals and functions.
func readsVariable(ast *cel.Ast) bool {
	for _, ref := range ast.NativeRep().ReferenceMap() {
		if ref.Value == nil && len(ref.OverloadIDs) == 0 {
			return true
		}
	}
	return false
}

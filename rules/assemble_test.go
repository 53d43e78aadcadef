package rules_test

import (
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/rules"
)

// TestAssembleReportsEveryProblem: a bad holiday file, an edition that is not shipped and a
// local pack that does not parse are reported together, one per line, not the first alone.
func TestAssembleReportsEveryProblem(t *testing.T) {
	_, err := rules.Assemble(rules.Options{
		Editions: []string{"2018", "1999"},
		Holidays: []rules.File{{Name: "extra.yaml", Data: []byte("not: [a, calendar")}},
		Packs:    []rules.File{{Name: "local.yaml", Data: []byte("id: la-x\n")}},
	})
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	for _, want := range []string{"extra.yaml", `no shipped pack for edition "1999"`, "local.yaml"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
	if len(lines) < 3 {
		t.Errorf("want one problem a line, at least 3 lines:\n%s", err)
	}
}

// TestAssembleParsesSetsBeforeCompiling: a --set value is parsed to its parameter's type
// (an int here) before the packs are compiled, and one that is not of the type is reported
// with the pack and parameter it was meant for; a set that reaches no pack is an error too.
func TestAssembleParsesSetsBeforeCompiling(t *testing.T) {
	e, err := rules.Assemble(rules.Options{Editions: []string{"2023"}, Sets: []string{"visit_interval_working_days=25"}})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := e.Packs[0].ParamValue("visit_interval_working_days"); !ok || v != int64(25) {
		t.Errorf("visit_interval_working_days = %#v, %v; want int64(25)", v, ok)
	}
	_, err = rules.Assemble(rules.Options{Editions: []string{"2023"}, Sets: []string{"visit_interval_working_days=ten", "no_such=1"}})
	want := "set wt2023.visit_interval_working_days: want a whole number, got \"ten\""
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), `--set "no_such=1": no pack loaded has a parameter "no_such" there`) {
		t.Errorf("error %v; want %q and the unknown parameter", err, want)
	}
}

// TestAssembleCompileErrorsInPackOrder: the packs compile at once, but a compile error of
// each comes back in the packs' order (by edition), whichever finishes first, so the message
// is the same on every run.
func TestAssembleCompileErrorsInPackOrder(t *testing.T) {
	var want []string
	for _, ed := range rules.Editions() {
		want = append(want, "set wt"+ed+".visit_interval_working_days: ")
	}
	for range 20 {
		_, err := rules.Assemble(rules.Options{Sets: []string{"visit_interval_working_days=0"}})
		if err == nil {
			t.Fatal("no error for a value under the parameter's minimum")
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(want) {
			t.Fatalf("%d lines, want one a pack (%d):\n%s", len(lines), len(want), err)
		}
		for i, line := range lines {
			if !strings.HasPrefix(line, want[i]) {
				t.Fatalf("line %d is %q, want it to start %q:\n%s", i+1, line, want[i], err)
			}
		}
	}
	e, err := rules.Assemble(rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, cp := range e.Packs {
		if cp.Pack.ID != "wt"+rules.Editions()[i] {
			t.Errorf("pack %d is %s, want wt%s", i, cp.Pack.ID, rules.Editions()[i])
		}
	}
}

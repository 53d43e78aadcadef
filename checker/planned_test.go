package checker

import (
	"reflect"
	"sync"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// TestProgramsPlannedWhenNeeded: an expression with a fast or date path keeps its source and
// how to make its environment again, not a planned program, until CEL is first needed for it;
// one without keeps the program planned at compile time. Workers that need the same programs
// at once each get them planned once (the race detector watches), with the findings CEL gives
// when planned at the start.
func TestProgramsPlannedWhenNeeded(t *testing.T) {
	e := shippedEngine(t)
	deferred, planned := 0, 0
	for _, cp := range e.Packs {
		for _, cr := range cp.rules {
			for _, p := range cr.programs() {
				switch {
				case p.fast != nil || p.date != nil:
					if p.prg != nil || p.source == "" || p.env == nil {
						t.Fatalf("%s %s: an expression with a fast path was planned when compiled", cp.Pack.ID, cr.rule.ID)
					}
					deferred++
				default:
					if p.prg == nil {
						t.Fatalf("%s %s: an expression with no fast path was not planned", cp.Pack.ID, cr.rule.ID)
					}
					planned++
				}
			}
		}
	}
	if deferred < 100 || planned != 0 {
		t.Fatalf("%d programs deferred, %d planned: want every shipped expression's deferred", deferred, planned)
	}
	// An expression no fast path takes (a field of the record in a map literal) is planned
	// when compiled.
	cp := compileTestPack(t, beyondPackHead+`
  - id: case-id
    title: The case has an id
    severity: breach
    citation: {chapter: "1"}
    scope: case
    assert: "{'id': case.case_id}['id'] != ''"
`)
	if p := cp.rules[0].assert; p.fast != nil || p.prg == nil || p.env != nil {
		t.Fatalf("an expression with no fast path: fast path %v, planned %v, to plan again %v", p.fast != nil, p.prg != nil, p.env != nil)
	}

	cases := generatedAndSample(t, 60, 3)
	useFastPaths = false
	defer func() { useFastPaths = true }()
	const workers = 4
	got := make([][]any, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for _, c := range cases {
				f, errs := e.Check(c, record.Date{})
				got[w] = append(got[w], f, errs)
			}
		})
	}
	wg.Wait()
	want := shippedEngine(t) // compiled afresh: its programs are planned one at a time below
	var first []any
	for _, c := range cases {
		f, errs := want.Check(c, record.Date{})
		first = append(first, f, errs)
	}
	for w := range workers {
		if !reflect.DeepEqual(got[w], first) {
			t.Fatalf("worker %d: findings differ from one goroutine's", w)
		}
	}
	plannedLate := 0
	for _, cp := range e.Packs {
		for _, cr := range cp.rules {
			for _, p := range cr.programs() {
				if p.prg != nil && p.env != nil {
					t.Fatalf("%s %s: a planned program still keeps how to plan it", cp.Pack.ID, cr.rule.ID)
				}
				if p.prg != nil {
					plannedLate++
				}
			}
		}
	}
	if plannedLate < 100 {
		t.Errorf("%d programs planned when the cases needed them, want over a hundred", plannedLate)
	}
}

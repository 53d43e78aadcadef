package checker

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/wtcheck/wtcheck/record"
)

// TestFastPathAgreesWithCEL checks 400 generated cases, the sample's cases, incidents and
// arrangements under every shipped pack, listing every status, with the fast paths and
// without, and wants the same findings and errors, byte for byte.
func TestFastPathAgreesWithCEL(t *testing.T) {
	e := shippedEngine(t)
	e.DueSoon = DefaultDueSoon // due-soon findings take a path of their own
	fast := 0
	for _, cp := range e.Packs {
		for _, cr := range cp.rules {
			for _, p := range cr.programs() {
				if p.fast != nil {
					fast++
				}
			}
		}
	}
	if fast < 100 {
		t.Fatalf("%d expressions of the shipped packs have a fast path, want at least 100", fast)
	}

	cases := generatedAndSample(t, 400, 7)
	incidents, areas := sampleBeyond(t)

	run := func(on bool) (out []any) {
		useFastPaths = on
		defer func() { useFastPaths = true }()
		for _, inForce := range []bool{false, true} {
			e.InForce = inForce
			for _, c := range cases {
				f, errs, uncovered := e.CheckInForce(c, record.Date{})
				out = append(out, f, errs, uncovered)
			}
			for _, in := range incidents {
				f, errs, covered := e.CheckIncident(in, record.Date{}, nil)
				out = append(out, f, errs, covered)
			}
			for _, a := range areas {
				f, errs := e.CheckArrangements(a, record.Date{})
				out = append(out, f, errs)
			}
		}
		e.InForce = false
		return out
	}
	with, without := run(true), run(false)
	if len(with) != len(without) {
		t.Fatalf("%d results with fast paths, %d without", len(with), len(without))
	}
	for i := range with {
		if !reflect.DeepEqual(with[i], without[i]) {
			t.Fatalf("result %d differs:\nwith fast paths: %+v\nwithout:         %+v", i, with[i], without[i])
		}
	}
	findings := 0
	for _, r := range with {
		if fs, ok := r.([]Finding); ok {
			findings += len(fs)
		}
	}
	if findings < 10000 {
		t.Fatalf("only %d findings compared: the comparison proves little", findings)
	}
}

// sampleBeyond reads the sample's incidents and local arrangements.
func sampleBeyond(t *testing.T) ([]*record.Incident, []*record.Arrangements) {
	t.Helper()
	var incidents []*record.Incident
	var areas []*record.Arrangements
	for _, name := range []string{"incidents.ndjson", "arrangements.ndjson"} {
		f, err := os.Open(filepath.Join("../fixtures/sample", name))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			if in, err := record.DecodeIncident(line); err == nil && name == "incidents.ndjson" {
				incidents = append(incidents, in)
			} else if a, err := record.DecodeArrangements(line); err == nil && name == "arrangements.ndjson" {
				areas = append(areas, a)
			}
		}
		f.Close()
	}
	if len(incidents) == 0 || len(areas) == 0 {
		t.Fatalf("read %d incidents and %d areas from the sample, want some of each", len(incidents), len(areas))
	}
	return incidents, areas
}

// TestEveryShippedExpressionHasAFastPath holds the shipped packs to what the fast paths
// cover, so that a new expression that falls back to CEL's interpreter on every evaluation
// is noticed (extend fastpath.go, or say why not).
func TestEveryShippedExpressionHasAFastPath(t *testing.T) {
	e := shippedEngine(t)
	for _, cp := range e.Packs {
		for _, cr := range cp.rules {
			for _, p := range cr.programs() {
				if p.fast == nil {
					t.Errorf("%s %s: an expression has no fast path", cp.Pack.Edition, cr.rule.ID)
				}
			}
		}
	}
}

// TestDeadlineDatesHaveDatePaths: every shipped deadline's start and lapse that read a date
// field, the start or an item, every due date counted from the start by a literal or a
// parameter, every event found as the first of a plan's seen visits or review dates after
// an interval's item, and the earliest or latest of a list field of dates or of the dates of
// a look-up's objects (the last two counted, as their cost grows with the list), is read to a
// Date without CEL (datepath.go).
func TestDeadlineDatesHaveDatePaths(t *testing.T) {
	e := shippedEngine(t)
	shape := regexp.MustCompile(`^([a-z_]+\.[a-z_]+|start|item)$|^(addWorkingDays|addDays|addMonths|anniversary)\(start, ([0-9]+|params\.[a-z_]+)\)$|` +
		`^firstAfter\((plan\.seenVisits\(\)|referral\.reviewDates\(plan\)), (item|item\.date)\)$|` +
		`^(earliest|latest)\(([a-z_]+\.[a-z_]+|referral\.[a-zA-Z]+\([a-z0-9_]+\)\.map\(([a-z]), ([a-z])\.date\))\)$`)
	with, shaped := 0, 0
	for _, cp := range e.Packs {
		for _, cr := range cp.rules {
			d := cr.rule.Deadline
			if d == nil {
				continue
			}
			due := d.Due
			if d.Within != nil {
				due = Expr{Source: d.Within.dueExpr()}
			}
			for _, x := range []struct {
				p   *program
				src string
			}{{cr.start, d.Start.Source}, {cr.due, due.Source}, {cr.done, d.Done.Source}, {cr.lapse, d.Lapse.Source}} {
				if x.p == nil {
					continue
				}
				if x.p.date != nil {
					with++
				}
				if shape.MatchString(strings.TrimSpace(x.src)) {
					shaped++
					if x.p.date == nil {
						t.Errorf("%s %s: %q has no date path", cp.Pack.Edition, cr.rule.ID, x.src)
					}
				}
			}
		}
	}
	if shaped < 100 {
		t.Fatalf("only %d deadline dates of the simple shapes: the test proves little", shaped)
	}
	t.Logf("%d deadline dates have a date path (%d of the simple shapes)", with, shaped)
}

// TestFastPathsChargeAsCEL runs every shipped rule on records far longer than any child's with
// fast paths and without, and wants each rule charged on each record exactly what CEL's own
// tracker charges: the budget that stops a rule whose work grows faster than the record means
// the same whichever way its expressions run.
func TestFastPathsChargeAsCEL(t *testing.T) {
	e := shippedEngine(t)
	spent := func(on bool) map[string]uint64 {
		useFastPaths = on
		defer func() { useFastPaths = true }()
		out := map[string]uint64{}
		for name, c := range longRecords() {
			e.spent = func(r *Rule, cost uint64, _ int) { out[name+" "+r.ID] += cost }
			if _, errs := e.Check(c, record.Date{}); len(errs) > 0 {
				t.Fatalf("%s: %v", name, errs[0])
			}
		}
		e.spent = nil
		return out
	}
	fast, cel := spent(true), spent(false)
	if len(cel) < 20 {
		t.Fatalf("only %d rules charged on the long records: the comparison proves little", len(cel))
	}
	for key, want := range cel {
		got := fast[key]
		if got != want {
			t.Errorf("%s: charged %d through fast paths, %d through CEL", key, got, want)
		}
	}
	for key := range fast {
		if _, ok := cel[key]; !ok {
			t.Errorf("%s: charged through fast paths only", key)
		}
	}
}

// TestPriceMemoChargesAsTheTracker: a call priced from the memo of its sizes is charged what
// CEL's tracker charges it, for strings of many lengths to past the memo's reach (multi-byte
// letters counted as CEL counts them) and lists of many sizes, each argument's size varied
// apart from the other's, enough to overwrite the memo's slots; a call asked again is
// answered from the memo.
func TestPriceMemoChargesAsTheTracker(t *testing.T) {
	costs := shippedEngine(t).Packs[0].tracker
	str := func(n int, letter string) types.String { return types.String(strings.Repeat(letter, n)) }
	strs := func(n int) ref.Val {
		vals := make([]ref.Val, n)
		for i := range vals {
			vals[i] = str(i, "a")
		}
		return types.NewRefValList(types.DefaultTypeAdapter, vals)
	}
	sizes := []int{0, 1, 2, 7, 9, 10, 11, 19, 21, 40, 99, 101, 254, 255, 300}
	for _, tc := range []struct {
		function, overload string
		args               func(i, j int) []ref.Val
		result             func(args []ref.Val) ref.Val
	}{
		{"_+_", "add_string", func(i, j int) []ref.Val { return []ref.Val{str(i, "P"), str(j, "é")} },
			func(a []ref.Val) ref.Val { return a[0].(types.String) + a[1].(types.String) }},
		{"_==_", "equals", func(i, j int) []ref.Val { return []ref.Val{str(i, "x"), str(j, "y")} },
			func([]ref.Val) ref.Val { return types.False }},
		{"@in", "in_list", func(i, j int) []ref.Val { return []ref.Val{str(i, "c"), strs(j)} },
			func([]ref.Val) ref.Val { return types.True }},
	} {
		if !standardModelled(tc.overload) {
			t.Fatalf("%s: not one of CEL's standard models", tc.overload)
		}
		memo, call := new(priceMemo), &callNamed{tc.function, tc.overload}
		for round := range 2 {
			for _, i := range sizes {
				for _, j := range sizes {
					args := tc.args(i, j)
					result := tc.result(args)
					want := costs.CostCall(call, args, result)
					if got := memo.price(costs, call, args, result); got != want {
						t.Fatalf("%s, round %d, sizes %d and %d: charged %d, the tracker %d", tc.overload, round, i, j, got, want)
					}
				}
			}
		}
		args := tc.args(99, 40) // sizes the memo keeps
		key, ok := sizesKey(args, tc.result(args))
		memo.price(costs, call, args, tc.result(args))
		if e := memo.slots[(key*0x9E3779B97F4A7C15)>>58].Load(); !ok || e>>32 != key {
			t.Errorf("%s: a call just priced is not in the memo", tc.overload)
		}
	}
}

package checker

import (
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// shareCases is 300 generated cases and the sample's valid cases.
func shareCases(t *testing.T) []*record.Case {
	t.Helper()
	return generatedAndSample(t, 300, 11)
}

// checkOutcome is everything CheckListed gives on one case, and what it told Engine.spent.
type checkOutcome struct {
	findings  []Finding
	errs      []EvalError
	uncovered []NotCovered
	tally     StatusCounts
	spent     []spentCall
}

type spentCall struct {
	rule    *Rule
	cost    uint64
	objects int
}

// checkAll runs CheckListed on every case with sharing on or off, listing the given statuses.
func checkAll(e *Engine, cases []*record.Case, listed StatusSet, share bool) []checkOutcome {
	useSharing = share
	defer func() { useSharing = true }()
	var calls []spentCall
	e.spent = func(r *Rule, cost uint64, objects int) { calls = append(calls, spentCall{r, cost, objects}) }
	defer func() { e.spent = nil }()
	out := make([]checkOutcome, len(cases))
	for i, c := range cases {
		calls = nil
		o := &out[i]
		o.findings, o.errs, o.uncovered = e.CheckListed(c, record.Date{}, listed, &o.tally)
		o.spent = calls
	}
	return out
}

// sameOutcomes fails the test where sharing changed anything CheckListed gives, and returns
// how many findings, errors and counted findings were compared.
func sameOutcomes(t *testing.T, name string, cases []*record.Case, with, without []checkOutcome) (findings, errs, counted int) {
	t.Helper()
	for i := range with {
		w, wo := with[i], without[i]
		if !reflect.DeepEqual(w.findings, wo.findings) {
			t.Fatalf("%s, case %s: findings differ with sharing:\n%+v\nwithout:\n%+v", name, cases[i].CaseID, w.findings, wo.findings)
		}
		if !reflect.DeepEqual(w.errs, wo.errs) {
			t.Fatalf("%s, case %s: errors differ with sharing:\n%v\nwithout:\n%v", name, cases[i].CaseID, w.errs, wo.errs)
		}
		if !reflect.DeepEqual(w.uncovered, wo.uncovered) || w.tally != wo.tally {
			t.Fatalf("%s, case %s: not covered %v, tally %v with sharing; %v, %v without", name, cases[i].CaseID, w.uncovered, w.tally, wo.uncovered, wo.tally)
		}
		if !reflect.DeepEqual(w.spent, wo.spent) {
			t.Fatalf("%s, case %s: Engine.spent told %v with sharing, %v without", name, cases[i].CaseID, w.spent, wo.spent)
		}
		findings += len(w.findings)
		errs += len(w.errs)
		for _, n := range w.tally {
			counted += n
		}
	}
	return findings, errs, counted
}

// sharedRules counts the case rules of an engine's packs, and how many of them are given
// another pack's outcome rather than evaluated.
func sharedRules(e *Engine) (rules, given int) {
	plan := e.sharing()
	seen := map[int]bool{}
	for pi, cp := range e.Packs {
		for ri, cr := range cp.rules {
			if cr.scope.Kind() != KindCase {
				continue
			}
			rules++
			if g := plan.group[pi][ri]; g >= 0 {
				if seen[g] {
					given++
				}
				seen[g] = true
			}
		}
	}
	return rules, given
}

// TestSharingChangesNothing checks 300 generated cases and the sample's under the six shipped
// packs, every edition, with sharing and without, listing every status and only breaches and
// pending work (so that most findings are only counted), and wants the same findings, errors,
// tallies, referrals not covered and costs, in the same order.
func TestSharingChangesNothing(t *testing.T) {
	e := shippedEngine(t)
	e.DueSoon = DefaultDueSoon
	rules, given := sharedRules(e)
	t.Logf("%d case rule instances in the shipped packs, %d of them given another pack's outcome", rules, given)
	if given*2 < rules {
		t.Fatalf("only %d of %d case rule instances share an evaluation: the shipped packs repeat far more than that", given, rules)
	}
	cases := shareCases(t)
	for _, listed := range []StatusSet{AllStatuses, StatusSetOf(StatusBreach, StatusPending)} {
		with, without := checkAll(e, cases, listed, true), checkAll(e, cases, listed, false)
		findings, errs, counted := sameOutcomes(t, "shipped packs", cases, with, without)
		t.Logf("listing %08b: %d findings, %d errors, %d counted compared", listed, findings, errs, counted)
		if listed == AllStatuses && findings < 10000 {
			t.Fatalf("only %d findings compared: the comparison proves little", findings)
		}
		if listed != AllStatuses && counted < 10000 {
			t.Fatalf("only %d counted findings compared: the tally is barely tested", counted)
		}
	}
	// The copies name their own pack: each finding's citation is its own pack's.
	with := checkAll(e, cases, AllStatuses, true)
	editions := map[string]bool{}
	for _, o := range with {
		for _, f := range o.findings {
			editions[f.Edition] = true
			if !strings.HasPrefix(f.Citation, "Working Together to Safeguard Children "+f.Edition) {
				t.Fatalf("a %s finding cites %q", f.Edition, f.Citation)
			}
		}
	}
	if len(editions) != 6 {
		t.Fatalf("findings of %d editions, want 6", len(editions))
	}
}

// shippedPack parses one shipped pack, with its text changed by edit.
func shippedPack(t *testing.T, edition string, edit func(string) string) *Pack {
	t.Helper()
	name := "../rules/wt" + edition + ".yaml"
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	text := edit(string(data))
	p, err := ParsePack(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func same(s string) string { return s }

// ruleGroup is the share group of a rule of the engine's pack at index pack, by id.
func ruleGroup(t *testing.T, e *Engine, pack int, id string) int {
	t.Helper()
	for ri, cr := range e.Packs[pack].rules {
		if cr.rule.ID == id {
			return e.sharing().group[pack][ri]
		}
	}
	t.Fatalf("pack %s has no rule %s", e.Packs[pack].Pack.ID, id)
	return 0
}

// TestSharingKeepsDifferencesApart shows that a rule that differs from another pack's never
// borrows its outcome: a parameter set for one edition, a local pack changing one rule, and two
// packs of the same edition each keep their own findings, with sharing as without.
func TestSharingKeepsDifferencesApart(t *testing.T) {
	cal := testCalendar(t)
	cases := shareCases(t)
	compile := func(p *Pack, overrides map[string]string) *CompiledPack {
		cp, err := Compile(p, cal, overrides)
		if err != nil {
			t.Fatal(err)
		}
		return cp
	}
	// outcomesOf checks that sharing changes nothing, and returns the findings of each pack by
	// pack index and rule.
	outcomesOf := func(name string, e *Engine) map[int]map[string][]Finding {
		with, without := checkAll(e, cases, AllStatuses, true), checkAll(e, cases, AllStatuses, false)
		sameOutcomes(t, name, cases, with, without)
		out := map[int]map[string][]Finding{}
		for _, o := range with {
			for _, f := range o.findings {
				pi := -1
				for i, cp := range e.Packs {
					if cp.Pack.Edition == f.Edition && (f.Pack == "" || f.Pack == cp.Pack.ID) {
						pi = i
					}
				}
				if out[pi] == nil {
					out[pi] = map[string][]Finding{}
				}
				out[pi][f.Rule] = append(out[pi][f.Rule], f)
			}
		}
		return out
	}
	// statuses is what a pack's rule found, without what names the pack.
	statuses := func(fs []Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.CaseID+" "+f.Subject+" "+string(f.Status)+" "+f.Message)
		}
		return out
	}

	t.Run("a parameter set for one edition", func(t *testing.T) {
		e := &Engine{Calendar: cal, Packs: []*CompiledPack{
			compile(shippedPack(t, "2018", same), map[string]string{"visit_interval_working_days": "3"}),
			compile(shippedPack(t, "2023", same), nil),
		}}
		if g := ruleGroup(t, e, 0, "cp-visit-interval"); g != -1 {
			t.Fatalf("2018's visits at 3 working days share group %d with 2023's at 10", g)
		}
		got := outcomesOf("--set 2018", e)
		a, b := statuses(got[0]["cp-visit-interval"]), statuses(got[1]["cp-visit-interval"])
		if len(a) == 0 || reflect.DeepEqual(a, b) {
			t.Fatalf("the visit rule found the same under 3 and 10 working days (%d findings): the test shows nothing", len(a))
		}
		// Without the --set, the same two packs share it.
		e = &Engine{Calendar: cal, Packs: []*CompiledPack{compile(shippedPack(t, "2018", same), nil), compile(shippedPack(t, "2023", same), nil)}}
		if g := ruleGroup(t, e, 0, "cp-visit-interval"); g == -1 || ruleGroup(t, e, 1, "cp-visit-interval") != g {
			t.Fatalf("2018's and 2023's visit rules, alike, are not shared")
		}
	})

	t.Run("a local pack changing one rule, of the same edition", func(t *testing.T) {
		local := shippedPack(t, "2023", func(s string) string {
			const from = "within: visit_interval_working_days working days"
			if strings.Count(s, from) != 1 {
				t.Fatal("the visit rule of wt2023 is not written as the test expects")
			}
			return strings.Replace(s, from, "within: 20 working days", 1)
		})
		local.ID, local.Local = "wt2023-local", true
		e := &Engine{Calendar: cal, Packs: []*CompiledPack{compile(shippedPack(t, "2023", same), nil), compile(local, nil)}}
		if g := ruleGroup(t, e, 1, "cp-visit-interval"); g != -1 {
			t.Fatalf("the changed visit rule shares group %d with the shipped one", g)
		}
		if g := ruleGroup(t, e, 1, "assessment-timeliness"); g == -1 || ruleGroup(t, e, 0, "assessment-timeliness") != g {
			t.Fatalf("the local pack's unchanged rules are not shared with the shipped pack's")
		}
		got := outcomesOf("local pack", e)
		a, b := statuses(got[0]["cp-visit-interval"]), statuses(got[1]["cp-visit-interval"])
		if len(a) == 0 || reflect.DeepEqual(a, b) {
			t.Fatalf("the changed visit rule found the same as the shipped one (%d findings): the test shows nothing", len(a))
		}
		// Both packs are of 2023, so each finding names its pack, the copies included.
		for pi, byRule := range got {
			for _, fs := range byRule {
				for _, f := range fs {
					if f.Pack != e.Packs[pi].Pack.ID || f.Edition != "2023" {
						t.Fatalf("a finding of pack %d names pack %q, edition %s", pi, f.Pack, f.Edition)
					}
				}
			}
		}
	})

	t.Run("two packs of one edition alike", func(t *testing.T) {
		copyPack := shippedPack(t, "2023", same)
		copyPack.ID = "wt2023-copy"
		e := &Engine{Calendar: cal, Packs: []*CompiledPack{compile(shippedPack(t, "2023", same), nil), compile(copyPack, nil)}}
		rules, given := sharedRules(e)
		if given*2 != rules {
			t.Fatalf("%d of %d case rule instances shared, want half", given, rules)
		}
		got := outcomesOf("two packs of 2023", e)
		if len(got[0]) == 0 || len(got[1]) == 0 {
			t.Fatalf("findings of %d and %d rules, want both packs' own", len(got[0]), len(got[1]))
		}
		for pi, byRule := range got {
			for id, fs := range byRule {
				if !reflect.DeepEqual(statuses(fs), statuses(got[1-pi][id])) {
					t.Fatalf("rule %s found differently in two identical packs", id)
				}
				for _, f := range fs {
					if f.Pack != e.Packs[pi].Pack.ID {
						t.Fatalf("a finding of pack %d names pack %q", pi, f.Pack)
					}
				}
			}
		}
	})
}

// compileAlike compiles packs from their texts against one calendar, so that their rules can
// be shared.
func compileAlike(t *testing.T, cal *Calendar, texts ...string) []*CompiledPack {
	t.Helper()
	var packs []*CompiledPack
	for _, text := range texts {
		p, err := ParsePack("test.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		cp, err := Compile(p, cal, nil)
		if err != nil {
			t.Fatal(err)
		}
		packs = append(packs, cp)
	}
	return packs
}

// TestSharedRuleOverBudget shows two packs with the same rule, which goes over its budget:
// each pack's rule reports its own error, naming where that pack writes it, as without
// sharing.
func TestSharedRuleOverBudget(t *testing.T) {
	cal := testCalendar(t)
	e := &Engine{Packs: compileAlike(t, cal, quadraticPack, strings.Replace(quadraticPack, "id: bounds\nedition: \"test\"", "# the same rule, two lines lower\n\nid: bounds2\nedition: \"test2\"", 1)), Calendar: cal}
	if g := e.sharing().group[1][0]; g == -1 || e.sharing().group[0][0] != g {
		t.Fatal("the two packs' rule, alike, is not shared")
	}
	cases := []*record.Case{planOfVisits(1200), planOfVisits(50)}
	with, without := checkAll(e, cases, AllStatuses, true), checkAll(e, cases, AllStatuses, false)
	sameOutcomes(t, "over budget", cases, with, without)
	errs := with[0].errs
	if len(errs) != 2 || !errs[0].OverBudget() || !errs[1].OverBudget() {
		t.Fatalf("errors %v, want two over budget", errs)
	}
	for i, want := range []string{"test: assert: test.yaml:8:5:", "test2: assert: test.yaml:10:5:"} {
		if got := errs[i].Edition + ": " + errs[i].Err.Error(); !strings.HasPrefix(got, want) {
			t.Errorf("error %d: %q, want it to start %q", i, got, want)
		}
	}
	if fs := with[1].findings; len(fs) != 2 || fs[0].Edition != "test" || fs[1].Edition != "test2" || fs[1].Status != StatusMet {
		t.Fatalf("50 visits: findings %+v", fs)
	}
}

// TestSharedRuleErrors shows two packs with the same rule, which cannot be evaluated on a
// record: the second pack is given the first's error under its own edition, as it would have
// found it.
func TestSharedRuleErrors(t *testing.T) {
	cal := testCalendar(t)
	pack := `
id: test-EDITION
edition: "EDITION"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
rules:
  - id: tenth-visit
    title: The tenth visit saw the child
    severity: info
    citation: {chapter: "1"}
    scope: plan
    assert: plan.visits[9].seen
`
	e := &Engine{Packs: compileAlike(t, cal, strings.ReplaceAll(pack, "EDITION", "one"), strings.ReplaceAll(pack, "EDITION", "two")), Calendar: cal}
	cases := []*record.Case{planOfVisits(5), planOfVisits(12)}
	with, without := checkAll(e, cases, AllStatuses, true), checkAll(e, cases, AllStatuses, false)
	sameOutcomes(t, "errors", cases, with, without)
	errs := with[0].errs
	if len(errs) != 2 || errs[0].Edition != "one" || errs[1].Edition != "two" || errs[0].Err != errs[1].Err ||
		errs[1].Rule != "tenth-visit" || errs[1].Subject != "P1" || !strings.HasPrefix(errs[1].Err.Error(), "assert: ") {
		t.Fatalf("5 visits: errors %v, want one a pack, the second a copy of the first", errs)
	}
	if fs := with[1].findings; len(fs) != 2 || fs[1].Edition != "two" || fs[1].Status != StatusMet || fs[1].Citation != "Test guidance, chapter 1" {
		t.Fatalf("12 visits: findings %+v", fs)
	}
}

// TestRuleFingerprintHoldsWhatEvaluationReads changes, one at a time, each thing about a rule
// that its evaluation reads, and wants a different fingerprint for each; and changes what it
// does not read (its citation, description, position), and wants the same.
func TestRuleFingerprintHoldsWhatEvaluationReads(t *testing.T) {
	cal := testCalendar(t)
	p := shippedPack(t, "2023", same)
	cp, err := Compile(p, cal, nil)
	if err != nil {
		t.Fatal(err)
	}
	var visits *compiledRule
	for _, cr := range cp.rules {
		if cr.rule.ID == "cp-visit-interval" {
			visits = cr
		}
	}
	if visits == nil || visits.rule.Deadline == nil || visits.rule.Deadline.Within == nil {
		t.Fatal("wt2023 has no visit rule with a timescale")
	}
	key := func(cr *compiledRule, cp *CompiledPack) shareKey {
		return shareKey{cal: cp.cal, fingerprint: ruleFingerprint(cr) + paramsFingerprint(cp)}
	}
	base := key(visits, cp)
	expr := func(s string) Expr { return Expr{Source: s} }
	differ := map[string]func(r *Rule, d *Deadline){
		"id":             func(r *Rule, d *Deadline) { r.ID = "other" },
		"title":          func(r *Rule, d *Deadline) { r.Title += "." },
		"severity":       func(r *Rule, d *Deadline) { r.Severity = SeverityBreach },
		"scopes":         func(r *Rule, d *Deadline) { r.Scopes = append(r.Scopes, ScopeConference) },
		"needs":          func(r *Rule, d *Deadline) { r.Needs = nil },
		"when":           func(r *Rule, d *Deadline) { r.When = expr("true") },
		"each":           func(r *Rule, d *Deadline) { r.Each = expr("[plan.started]") },
		"subject":        func(r *Rule, d *Deadline) { r.Subject = expr("plan.id") },
		"item_when":      func(r *Rule, d *Deadline) { r.ItemWhen = expr("true") },
		"assert":         func(r *Rule, d *Deadline) { r.Assert = expr("true") },
		"pending_while":  func(r *Rule, d *Deadline) { r.PendingWhile = expr("true") },
		"message":        func(r *Rule, d *Deadline) { r.Message = expr("'m'") },
		"deadline":       func(r *Rule, d *Deadline) { r.Deadline = nil },
		"start":          func(r *Rule, d *Deadline) { d.Start = expr("plan.started") },
		"due":            func(r *Rule, d *Deadline) { d.Due = expr("start") },
		"due_on":         func(r *Rule, d *Deadline) { d.DueOn = record.MustDate("2024-01-01") },
		"done":           func(r *Rule, d *Deadline) { d.Done = expr("null") },
		"lapse":          func(r *Rule, d *Deadline) { d.Lapse = expr("null") },
		"within number":  func(r *Rule, d *Deadline) { d.Within = &Timescale{N: 10, Unit: d.Within.Unit} },
		"within unit":    func(r *Rule, d *Deadline) { d.Within = &Timescale{Param: d.Within.Param, Unit: Days} },
		"within param":   func(r *Rule, d *Deadline) { d.Within = &Timescale{Param: "other", Unit: d.Within.Unit} },
		"scope compiled": nil,
	}
	for name, change := range differ {
		r, d := *visits.rule, *visits.rule.Deadline
		r.Deadline = &d
		cr := *visits
		cr.rule = &r
		if change == nil {
			cr.scope = ScopeConference
		} else {
			change(&r, &d)
		}
		if key(&cr, cp) == base {
			t.Errorf("a rule whose %s differs has the same fingerprint", name)
		}
	}
	for name, change := range map[string]func(r *Rule){
		"citation":    func(r *Rule) { r.Citation.Paragraph = "99" },
		"description": func(r *Rule) { r.Description = "other" },
		"position":    func(r *Rule) { r.Pos.Line += 10 },
		"compare_as":  func(r *Rule) { r.CompareAs = "other" },
	} {
		r := *visits.rule
		cr := *visits
		cr.rule = &r
		change(&r)
		if key(&cr, cp) != base {
			t.Errorf("a rule whose %s differs has another fingerprint: it would not share", name)
		}
	}

	// The pack's parameter values, resolved, and its calendar.
	set, err := Compile(p, cal, map[string]string{"visit_interval_working_days": "11"})
	if err != nil {
		t.Fatal(err)
	}
	same10, err := Compile(p, cal, map[string]string{"visit_interval_working_days": "10"})
	if err != nil {
		t.Fatal(err)
	}
	otherCal, err := Compile(p, testCalendar(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if key(visits, set) == base {
		t.Error("a pack with another value of a parameter gives its rules the same fingerprint")
	}
	if key(visits, same10) != base {
		t.Error("a parameter set to its default changes the fingerprint")
	}
	if key(visits, otherCal) == base {
		t.Error("a pack compiled against another calendar gives its rules the same key")
	}
}

// TestSharingOnManyGoroutines checks the same cases on four goroutines at once with a new
// engine, whose share plan they all ask for first (run with -race), and wants each to find
// what one goroutine finds alone.
func TestSharingOnManyGoroutines(t *testing.T) {
	cases := shareCases(t)[:60]
	want := checkAll(shippedEngine(t), cases, AllStatuses, true)
	e := shippedEngine(t)
	got := make([][]checkOutcome, 4)
	var wg sync.WaitGroup
	for g := range got {
		wg.Go(func() {
			for _, c := range cases {
				var o checkOutcome
				o.findings, o.errs, o.uncovered = e.CheckListed(c, record.Date{}, AllStatuses, &o.tally)
				got[g] = append(got[g], o)
			}
		})
	}
	wg.Wait()
	for g := range got {
		for i := range cases {
			w, o := want[i], got[g][i]
			if !reflect.DeepEqual(w.findings, o.findings) || !reflect.DeepEqual(w.errs, o.errs) || w.tally != o.tally {
				t.Fatalf("goroutine %d, case %s: not what one goroutine finds", g, cases[i].CaseID)
			}
		}
	}
}

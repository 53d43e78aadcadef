package checker

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// oddRecords are records made to meet what a status function leaves to the full evaluation:
// nulls where dates are compared, an unborn child, an enquiry with no start, a plan without
// one, a visit list of nulls and duplicates, reviews out of order.
func oddRecords() []*record.Case {
	d := record.MustDate
	var out []*record.Case
	for i := range 6 {
		c := testCase()
		c.CaseID = fmt.Sprintf("ODD-%d", i)
		r := c.Referrals[0]
		switch i {
		case 0:
			c.Child.BirthDate = record.Date{}
			c.Child.ExpectedBirthDate = d("2024-05-01")
			r.Assessments = []*record.Assessment{{ID: "A1", Kind: "single", Seen: []record.Date{{}, d("2024-01-10")}}}
		case 1:
			r.S47Enquiries[0].Started = record.Date{}
			r.S47Enquiries[0].StrategyDiscussionID = ""
			r.StrategyDiscussions = append(r.StrategyDiscussions, &record.StrategyDiscussion{ID: "SD2"})
		case 2:
			r.Plans[0].Started = record.Date{}
		case 3:
			p := r.Plans[0]
			p.Visits = append(p.Visits, &record.Visit{Seen: true}, &record.Visit{Date: d("2024-02-05"), Seen: true}, &record.Visit{Date: d("2024-01-01"), Seen: true})
			p.Ended = d("2024-02-20")
		case 4:
			r.Conferences = append(r.Conferences,
				&record.Conference{ID: "K3", Kind: "review", PlanID: "P1", Date: d("2024-03-01")},
				&record.Conference{ID: "K2", Kind: "review", PlanID: "P1", Date: d("2024-02-15"), Outcome: "end_plan"},
				&record.Conference{ID: "K4", Kind: "review", PlanID: "P1"})
		case 5:
			r.Decision, r.Closed = record.Date{}, d("2024-01-03")
			r.Homeless, c.Child.Disabled = true, true
			c.Child.Circumstances = []string{"parent_in_custody", "young_carer"}
		}
		out = append(out, c)
	}
	return out
}

// TestStatusFuncsAgreeWithTheRules checks every shipped rule on every record, one rule at a
// time, with its status function and with the full evaluation alone: the findings, errors
// and counts must be the same, rule by rule and record by record, whichever statuses are
// listed, under every edition and under the edition in force, as at the extract date and as
// at a day long before it (when most work is still pending).
func TestStatusFuncsAgreeWithTheRules(t *testing.T) {
	e := shippedEngine(t)
	cases := append(generatedAndSample(t, 600, 11), oddRecords()...)
	for _, c := range cases {
		if err := record.Validate(c); err != nil {
			t.Fatalf("%s: %v", c.CaseID, err)
		}
	}
	type single struct {
		cp *CompiledPack
		cr *compiledRule
	}
	var rules []single
	withFunc := 0
	// The 2026 pack again, with its visiting interval set locally: a status function reads
	// the value in force, not the default.
	data, err := os.ReadFile("../rules/wt2026.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePack("wt2026.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	local, err := Compile(p, e.Calendar, map[string]string{"visit_interval_working_days": "3"})
	if err != nil {
		t.Fatal(err)
	}
	for _, cp := range append(slices.Clone(e.Packs), local) {
		for _, cr := range cp.rules {
			if cr.kind != KindCase {
				continue
			}
			if cr.status != nil {
				withFunc++
			}
			one := *cp
			one.rules = []*compiledRule{cr}
			rules = append(rules, single{&one, cr})
		}
	}
	if withFunc < 100 {
		t.Fatalf("%d case rules of the shipped packs have a status function, want every one of them (over 100)", withFunc)
	}
	listings := []StatusSet{
		StatusSetOf(StatusBreach, StatusPending, StatusInsufficientData), // check's default
		StatusSetOf(StatusBreach),
		0, // counted only
		StatusSetOf(StatusMet, StatusNotApplicable),
		AllStatuses, // what compare and explain ask for
	}
	run := func(on bool, eng *Engine, c *record.Case, asOf record.Date, listed StatusSet) []any {
		useStatusFuncs = on
		defer func() { useStatusFuncs = true }()
		// Without messages when the default listing is asked: what check does for a text
		// report.
		eng.WithoutMessages = listed == listings[0]
		var tally StatusCounts
		f, errs, uncovered := eng.CheckListed(c, asOf, listed, &tally)
		return []any{f, errs, uncovered, tally}
	}
	compared, counted := 0, 0
	for _, inForce := range []bool{false, true} {
		for _, s := range rules {
			eng := &Engine{Calendar: e.Calendar, Packs: []*CompiledPack{s.cp}, InForce: inForce}
			if inForce {
				// Every pack is there, so that each referral is checked under its own
				// edition's; only this one has a rule.
				eng = &Engine{Calendar: e.Calendar, InForce: true}
				for _, cp := range e.Packs {
					if cp.Pack.ID == s.cp.Pack.ID {
						eng.Packs = append(eng.Packs, s.cp)
					} else {
						empty := *cp
						empty.rules = nil
						eng.Packs = append(eng.Packs, &empty)
					}
				}
			}
			for _, c := range cases {
				for _, asOf := range []record.Date{{}, record.MustDate("2019-06-03")} {
					for _, listed := range listings {
						with, without := run(true, eng, c, asOf, listed), run(false, eng, c, asOf, listed)
						if !reflect.DeepEqual(with, without) {
							t.Fatalf("%s %s (%s), case %s, as of %v, in force %v, listed %08b:\nwith the status function: %+v\nwithout:                  %+v",
								s.cp.Pack.ID, s.cr.rule.ID, s.cr.scope, c.CaseID, asOf, inForce, listed, with, without)
						}
						compared++
						tally := with[3].(StatusCounts)
						for _, n := range tally {
							counted += n
						}
					}
				}
			}
		}
	}
	t.Logf("%d comparisons, %d findings counted", compared, counted)
	if counted < 100000 {
		t.Fatalf("%d comparisons counted only %d findings: they prove little", compared, counted)
	}
}

// TestStatusFuncsStayUnderTheBudget holds every shipped rule, evaluated in full, under
// ruleCostBase on records of maxStatusObjects objects, each made as long as it can be in what
// the costliest rules read (visits, reviews, enquiries). Under that size a rule can never
// reach its budget, so a status function, which spends nothing, may stand in for it.
func TestStatusFuncsStayUnderTheBudget(t *testing.T) {
	e := shippedEngine(t)
	worst, worstRule := uint64(0), ""
	e.spent = func(r *Rule, cost uint64, objects int) {
		if objects > maxStatusObjects {
			t.Fatalf("a record of %d objects: the test should make them of at most %d", objects, maxStatusObjects)
		}
		if cost > worst {
			worst, worstRule = cost, r.ID
		}
	}
	for name, c := range recordsOfObjects(maxStatusObjects) {
		if err := record.Validate(c); err != nil {
			t.Fatal(err)
		}
		for _, inForce := range []bool{false, true} {
			e.InForce = inForce
			if _, errs, _ := e.CheckInForce(c, record.Date{}); len(errs) > 0 {
				t.Fatalf("%s: %v", name, errs[0])
			}
		}
	}
	t.Logf("the costliest shipped rule on records of %d objects, %s, spent %d units", maxStatusObjects, worstRule, worst)
	if worst == 0 || worst > ruleCostBase {
		t.Errorf("%s spent %d units, want some and no more than %d", worstRule, worst, ruleCostBase)
	}
}

// recordsOfObjects makes records of just under n objects (record.Case.Objects), each long in
// one thing: a plan's visits, a plan's reviews, a referral's enquiries with all that follows.
func recordsOfObjects(n int) map[string]*record.Case {
	base := testCase()
	room := n - base.Objects()
	visits := testCase()
	p := visits.Referrals[0].Plans[0]
	for i := range room {
		p.Visits = append(p.Visits, &record.Visit{Date: p.Started.AddDays(1 + i), Seen: i%3 != 1})
	}
	reviews := testCase()
	r := reviews.Referrals[0]
	for i := range room {
		r.Conferences = append(r.Conferences, &record.Conference{ID: fmt.Sprintf("V%d", i), Kind: "review", PlanID: "P1", Date: r.Plans[0].Started.AddDays(20 + i)})
	}
	enquiries := testCase()
	addEnquiries(enquiries.Referrals[0], record.MustDate("2020-01-01"), room/5)
	return map[string]*record.Case{"visits": visits, "reviews": reviews, "enquiries": enquiries}
}

// TestStatusFuncPanicLeavesTheFullEvaluation makes every status function panic: each target
// is then evaluated in full, and the check gives what it gives without them.
func TestStatusFuncPanicLeavesTheFullEvaluation(t *testing.T) {
	e := shippedEngine(t)
	for _, cp := range e.Packs {
		for _, cr := range cp.rules {
			if cr.status != nil {
				cr.status = func(*statusRun, *target) bool { panic("a bug") }
			}
		}
	}
	c := testCase()
	var with, without StatusCounts
	f1, errs1, _ := e.CheckListed(c, record.Date{}, StatusSetOf(StatusBreach), &with)
	useStatusFuncs = false
	f2, errs2, _ := e.CheckListed(c, record.Date{}, StatusSetOf(StatusBreach), &without)
	useStatusFuncs = true
	if !reflect.DeepEqual([]any{f1, errs1, with}, []any{f2, errs2, without}) {
		t.Fatalf("with panicking status functions: %v %v %v\nwithout: %v %v %v", f1, errs1, with, f2, errs2, without)
	}
	if with.Of(StatusMet) == 0 {
		t.Fatalf("nothing met on the test case: %v", with)
	}
}

// TestWithoutMessages: an engine told that no report shows messages builds every listed
// finding as it would otherwise, less its message and note, and still evaluates a rule's own
// message expression, so that an error in it is reported alike.
func TestWithoutMessages(t *testing.T) {
	e := shippedEngine(t)
	e.InForce = true
	cases := generatedAndSample(t, 300, 5)
	listed := StatusSetOf(StatusBreach, StatusPending, StatusInsufficientData)
	built := 0
	for _, c := range cases {
		e.WithoutMessages = false
		want, wantErrs, _ := e.CheckListed(c, record.Date{}, listed, nil)
		e.WithoutMessages = true
		got, gotErrs, _ := e.CheckListed(c, record.Date{}, listed, nil)
		for i := range want {
			want[i].Message, want[i].Note = "", ""
		}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErrs, wantErrs) {
			t.Fatalf("%s: without messages\n%+v\nwant\n%+v", c.CaseID, got, want)
		}
		built += len(got)
	}
	if built < 100 {
		t.Fatalf("only %d findings built: the comparison proves little", built)
	}

	broken := compileTestPack(t, `id: local
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
rules:
  - id: r
    title: R
    severity: breach
    citation: {section: s}
    scope: referral
    assert: referral.decision == null
    message: "'decided on ' + string(referral.decision)"
`)
	eng := &Engine{Calendar: testCalendar(t), Packs: []*CompiledPack{broken}, WithoutMessages: true}
	c := testCase()
	c.Referrals[0].Decision = record.Date{}
	_, errs := eng.Check(c, record.Date{})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "message") {
		t.Fatalf("errors %v: want the message expression's error, without messages too", errs)
	}
}

// TestStatusKeyFollowsTheText: a rule finds its status function by its text. A title or a
// citation changed keeps it (the engine reads those as it builds a finding); a subject, a
// timescale or a condition changed loses it, and the rule is evaluated through CEL.
func TestStatusKeyFollowsTheText(t *testing.T) {
	data, err := os.ReadFile("../rules/wt2026.yaml")
	if err != nil {
		t.Fatal(err)
	}
	hasFunc := func(change func(r *Rule)) bool {
		t.Helper()
		p, err := ParsePack("wt2026.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rules {
			if r.ID == "cp-visit-interval" {
				change(r)
			}
		}
		cp, err := Compile(p, testCalendar(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, cr := range cp.rules {
			if cr.rule.ID == "cp-visit-interval" {
				return cr.status != nil
			}
		}
		t.Fatal("no cp-visit-interval in the 2026 pack")
		return false
	}
	for _, c := range []struct {
		what   string
		change func(r *Rule)
		want   bool
	}{
		{"as shipped", func(*Rule) {}, true},
		{"another title", func(r *Rule) { r.Title = "Visits" }, true},
		{"another citation", func(r *Rule) { r.Citation.Section = "elsewhere" }, true},
		{"another subject", func(r *Rule) { r.Subject.Source = "plan.id" }, false},
		{"another timescale", func(r *Rule) { r.Deadline.Within.Unit = Days }, false},
		{"another condition", func(r *Rule) { r.When.Source = "plan.kind == 'child_in_need'" }, false},
	} {
		if got := hasFunc(c.change); got != c.want {
			t.Errorf("%s: a status function %v, want %v", c.what, got, c.want)
		}
	}
}

// TestEveryShippedCaseRuleHasAStatusFunc: every case rule of the shipped packs is translated,
// so that none falls back to CEL unnoticed. A rule the generator cannot translate still runs,
// through CEL, with the same findings; this test says which, and why (make generate logs it).
func TestEveryShippedCaseRuleHasAStatusFunc(t *testing.T) {
	e := shippedEngine(t)
	for _, cp := range e.Packs {
		for _, cr := range cp.rules {
			if cr.kind == KindCase && cr.status == nil {
				t.Errorf("%s %s (%s) has no status function: run make generate, and extend statusgen_gen_test.go if it says it cannot translate the rule", cp.Pack.ID, cr.rule.ID, cr.scope)
			}
		}
	}
}

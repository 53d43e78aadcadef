package checker

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// assertPack is a pack of one rule, asserting expr on each referral.
func assertPack(expr string) string {
	return probePack(`    assert: "` + expr + `"
`)
}

// probePack is a pack of one referral rule, "probe", whose body (its assert or deadline,
// indented as a rule's keys) is given.
func probePack(body string) string {
	return `
id: bounds
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
rules:
  - id: probe
    title: Probe
    severity: info
    citation: {chapter: "1"}
    scope: referral
` + body
}

// evalAssert checks testCase with a one-rule pack and returns the rule's status, or its
// evaluation error.
func evalAssert(t *testing.T, expr string) (Status, string) {
	t.Helper()
	cp := compileTestPack(t, assertPack(expr))
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	findings, errs := e.Check(testCase(), record.Date{})
	if len(errs) > 0 {
		return "", errs[0].Err.Error()
	}
	if len(findings) != 1 {
		t.Fatalf("%s: %d findings", expr, len(findings))
	}
	return findings[0].Status, ""
}

// TestDateFunctionsStayInTheCalendar shows every date function refusing, with an error, a
// count or a result outside the years 1900 to 2200, where it used to overflow into the year
// -3,525,743 or step a day at a time for minutes; and counts that mean something still work.
func TestDateFunctionsStayInTheCalendar(t *testing.T) {
	for _, tc := range []struct {
		expr    string
		want    Status
		wantErr string
	}{
		{expr: "addWorkingDays(date('2021-03-01'), 10) == date('2021-03-15')", want: StatusMet},
		{expr: "addWorkingDays(date('2021-03-15'), -10) == date('2021-03-01')", want: StatusMet},
		{expr: "addWorkingDays(date('2024-01-01'), 9000000000000000000) != null",
			wantErr: "addWorkingDays: a count of 9000000000000000000 falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{expr: "addWorkingDays(date('2024-01-01'), 2147483648) != null",
			wantErr: "addWorkingDays: a count of 2147483648 falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{expr: "addWorkingDays(date('2200-12-01'), 30) != null",
			wantErr: "addWorkingDays: the result falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{expr: "addDays(date('2200-12-31'), 1) != null",
			wantErr: "addDays: the result falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{expr: "addDays(date('2024-01-01'), -9223372036854775807) != null",
			wantErr: "addDays: a count of -9223372036854775807 falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{expr: "addDays(date('2024-01-31'), -31) == date('2023-12-31')", want: StatusMet},
		{expr: "addMonths(date('1900-01-31'), -1) != null",
			wantErr: "addMonths: the result falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{expr: "addMonths(date('2024-01-31'), 9223372036854775807) != null",
			wantErr: "addMonths: a count of 9223372036854775807 falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{expr: "addMonths(date('2024-03-31'), -1) == date('2024-02-29')", want: StatusMet},
		{expr: "anniversary(date('2008-02-29'), 18) == date('2026-03-01')", want: StatusMet},
		{expr: "anniversary(date('2008-02-29'), -1) != null", wantErr: "anniversary: the count -1 is negative"},
		{expr: "anniversary(date('2008-02-29'), 300) != null",
			wantErr: "anniversary: the result falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		// CEL's own timestamps reach past the calendar; the engine's functions refuse them.
		{expr: "isoDate(timestamp('3000-01-01T00:00:00Z')) != ''",
			wantErr: "isoDate: a date falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{expr: "workingDaysBetween(date('2024-01-01'), timestamp('1800-01-01T00:00:00Z')) < 0",
			wantErr: "workingDaysBetween: a date falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{expr: "earliest([date('2024-01-01'), timestamp('0001-01-01T00:00:00Z')]) != null",
			wantErr: "earliest: a date falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			got, err := evalAssert(t, tc.expr)
			if got != tc.want || !strings.HasSuffix(err, tc.wantErr) || (err == "") != (tc.wantErr == "") {
				t.Errorf("status %q, error %q; want %q, error ending %q", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestDueBeforeStartIsAnError shows a deadline whose due date comes out before its start (a
// negative timescale) reported as an evaluation error, never judged.
func TestDueBeforeStartIsAnError(t *testing.T) {
	cp := compileTestPack(t, `
id: bounds
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
rules:
  - id: backwards
    title: Backwards
    severity: info
    citation: {chapter: "1"}
    scope: referral
    deadline:
      start: referral.received
      due: addWorkingDays(start, -1)
      done: referral.decision
`)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	findings, errs := e.Check(testCase(), record.Date{})
	if len(findings) != 0 || len(errs) != 1 || errs[0].Err.Error() != "deadline.due: the due date came out before the start" {
		t.Fatalf("findings %v, errors %v", findings, errs)
	}
}

// TestParamRange shows a parameter's declared range checked for the default, for --set and
// for an overlay's default, each error naming the parameter, the value, the range and where
// the range is declared.
func TestParamRange(t *testing.T) {
	const base = `
id: base
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
params:
  visit_interval_working_days:
    type: int
    default: 10
    min: 1
    max: 260
    doc: working days between visits
rules:
  - id: visits
    title: Visits
    severity: info
    citation: {chapter: "1"}
    scope: plan
    deadline:
      start: plan.started
      within: visit_interval_working_days working days
      done: earliest(plan.visits.map(v, v.date))
`
	p, err := ParsePack("base.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	cal := testCalendar(t)
	for value, want := range map[string]string{
		"2147483648":    "set base.visit_interval_working_days: 2147483648 is outside the parameter's range, 1 to 260 (declared at base.yaml:8:3)",
		"1000000000000": "set base.visit_interval_working_days: 1000000000000 is outside the parameter's range, 1 to 260 (declared at base.yaml:8:3)",
		"-5":            "set base.visit_interval_working_days: -5 is outside the parameter's range, 1 to 260 (declared at base.yaml:8:3)",
		"0":             "set base.visit_interval_working_days: 0 is outside the parameter's range, 1 to 260 (declared at base.yaml:8:3)",
		"260":           "",
	} {
		_, err := Compile(p, cal, map[string]string{"visit_interval_working_days": value})
		if got := fmt.Sprint(err); (err == nil) != (want == "") || err != nil && got != want {
			t.Errorf("--set %s: error %q, want %q", value, got, want)
		}
	}

	// An overlay that redeclares the parameter without a range keeps the base's.
	overlay, err := ParsePack("local.yaml", []byte(`
id: local
extends: base
params:
  visit_interval_working_days:
    type: int
    default: 0
    doc: our visiting frequency
`))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := Extend(p, overlay)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(merged, cal, nil)
	if want := "local.yaml:7:14: parameter visit_interval_working_days: the default 0 is outside the parameter's range, 1 to 260 (declared at base.yaml:8:3)"; fmt.Sprint(err) != want {
		t.Errorf("overlay default out of range: %v, want %s", err, want)
	}

	// The pack itself: a default outside the range, min above max, a range on a string.
	_, err = ParsePack("bad.yaml", []byte(`
id: bad
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
params:
  a: {type: int, default: 300, min: 1, max: 260, doc: a}
  b: {type: int, default: 5, min: 9, max: 2, doc: b}
  c: {type: string, default: x, max: 2, doc: c}
`))
	for _, want := range []string{
		"bad.yaml:8:27: parameter a: the default 300 is outside the parameter's range, 1 to 260 (declared at bad.yaml:8:3)",
		"bad.yaml:9:43: parameter b: max 2 is below min 9",
		"bad.yaml:10:38: parameter c: max goes with an int parameter, not string",
	} {
		if !strings.Contains(fmt.Sprint(err), want) {
			t.Errorf("errors %v\ndo not include %s", err, want)
		}
	}
}

// quadraticPack compares every visit of a plan with every other: work that grows with the
// square of the record, which its cost budget must stop.
const quadraticPack = `
id: bounds
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
rules:
  - id: every-pair
    title: Every visit against every other
    severity: info
    citation: {chapter: "1"}
    scope: plan
    assert: plan.visits.all(v, plan.visits.exists(w, w.date == v.date))
`

func planOfVisits(n int) *record.Case {
	c := testCase()
	p := c.Referrals[0].Plans[0]
	p.Visits = nil
	start := record.MustDate("1990-01-01")
	for i := range n {
		p.Visits = append(p.Visits, &record.Visit{Date: start.AddDays(i), Seen: true})
	}
	c.ExtractDate = record.MustDate("2199-12-31")
	return c
}

// TestRuleOverItsBudget shows a rule whose work grows faster than the record stopped on a
// large record with one evaluation error naming where the rule is written, while the same
// rule on a small record, and a rule linear in the record on the large one, run.
func TestRuleOverItsBudget(t *testing.T) {
	cp := compileTestPack(t, quadraticPack)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	if findings, errs := e.Check(planOfVisits(50), record.Date{}); len(errs) != 0 || len(findings) != 1 || findings[0].Status != StatusMet {
		t.Fatalf("50 visits: findings %v, errors %v", findings, errs)
	}
	findings, errs := e.Check(planOfVisits(1200), record.Date{})
	if len(findings) != 0 || len(errs) != 1 {
		t.Fatalf("1,200 visits: findings %v, errors %v", findings, errs)
	}
	want := "test.yaml:8:5: the rule went over its cost limit on this record (2207000 units: 1000000, and 1000 for each of the record's 1207 objects): " +
		"its work grows faster than the record, so the pack needs fixing"
	if got := errs[0]; !got.OverBudget() || got.Rule != "every-pair" || got.Subject != "P1" || got.Err.Error() != "assert: "+want {
		t.Errorf("error = %v (over budget %v), want assert: %s", got, got.OverBudget(), want)
	}

	// The same record under a rule that reads each visit once is well inside its budget.
	linear := strings.Replace(quadraticPack, "plan.visits.all(v, plan.visits.exists(w, w.date == v.date))", "plan.visits.all(v, v.date != null)", 1)
	e.Packs = []*CompiledPack{compileTestPack(t, linear)}
	if findings, errs := e.Check(planOfVisits(1200), record.Date{}); len(errs) != 0 || len(findings) != 1 {
		t.Fatalf("linear rule on 1,200 visits: findings %v, errors %v", findings, errs)
	}
}

// TestEachStopsAtTheBudget shows a rule that is linear per item, and so quadratic over its
// items, stopped at its budget as a whole rather than per item: one error, and no finding
// after it.
func TestEachStopsAtTheBudget(t *testing.T) {
	cp := compileTestPack(t, `
id: bounds
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
rules:
  - id: per-visit
    title: Each visit against the others
    severity: info
    citation: {chapter: "1"}
    scope: plan
    each: plan.visits
    subject: plan.id + '@' + isoDate(item.date)
    assert: plan.visits.all(w, w.date != item.date || w == item)
`)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	findings, errs := e.Check(planOfVisits(1200), record.Date{})
	if len(errs) != 1 || !errs[0].OverBudget() || len(findings) >= 1200 {
		t.Fatalf("%d findings, errors %v", len(findings), errs)
	}
}

// shippedEngine compiles the shipped packs from the rules folder (the rules package embeds
// them, but importing it here would be an import cycle).
func shippedEngine(t *testing.T) *Engine {
	t.Helper()
	cal := testCalendar(t)
	e := &Engine{Calendar: cal}
	for _, ed := range []string{"2010", "2013", "2015", "2018", "2023", "2026"} {
		name := "../rules/wt" + ed + ".yaml"
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParsePack(name, data)
		if err != nil {
			t.Fatal(err)
		}
		cp, err := Compile(p, cal, nil)
		if err != nil {
			t.Fatal(err)
		}
		e.Packs = append(e.Packs, cp)
	}
	return e
}

// longRecords are records far longer than any child's: a plan of 300 visits, one of 300
// reviews, and a referral of 300 enquiries with their discussions, conferences and plans.
func longRecords() map[string]*record.Case {
	const n = 300
	start := record.MustDate("1990-01-01")
	visits := planOfVisits(n)
	reviews := testCase()
	reviews.ExtractDate = record.MustDate("2199-12-31")
	for i := range n {
		reviews.Referrals[0].Conferences = append(reviews.Referrals[0].Conferences,
			&record.Conference{ID: fmt.Sprintf("V%d", i), Kind: "review", PlanID: "P1", Date: record.MustDate("2024-02-01").AddDays(i)})
	}
	enquiries := testCase()
	enquiries.ExtractDate = record.MustDate("2199-12-31")
	addEnquiries(enquiries.Referrals[0], start, n)
	return map[string]*record.Case{"visits": visits, "reviews": reviews, "enquiries": enquiries}
}

// addEnquiries adds n enquiries to a referral, a day apart from start, each with its
// discussion, initial conference and plan, and a review conference that ends the plan.
func addEnquiries(r *record.Referral, start record.Date, n int) {
	for i := range n {
		day := start.AddDays(i)
		r.StrategyDiscussions = append(r.StrategyDiscussions, &record.StrategyDiscussion{ID: fmt.Sprintf("D%d", i), Date: day})
		r.S47Enquiries = append(r.S47Enquiries, &record.S47Enquiry{ID: fmt.Sprintf("E%d", i), Started: day, Outcome: "icpc"})
		r.Plans = append(r.Plans, &record.Plan{ID: fmt.Sprintf("Q%d", i), Kind: "child_protection", Started: day.AddDays(9), Ended: day.AddDays(40)})
		r.Conferences = append(r.Conferences,
			&record.Conference{ID: fmt.Sprintf("I%d", i), Kind: "initial", S47ID: fmt.Sprintf("E%d", i), Date: day.AddDays(9)},
			&record.Conference{ID: fmt.Sprintf("W%d", i), Kind: "review", PlanID: fmt.Sprintf("Q%d", i), Date: day.AddDays(40), Outcome: "end_plan"})
	}
}

// TestShippedRulesStayInBudget measures what each shipped rule spends per object of records
// far longer than any child's (hundreds of visits, reviews, enquiries), and holds it well
// under the budget of ruleCostPerObject an object: the headroom that lets any record the
// reader accepts be checked.
func TestShippedRulesStayInBudget(t *testing.T) {
	records := longRecords()
	e := shippedEngine(t)
	worst, worstRule := 0.0, ""
	e.spent = func(r *Rule, cost uint64, objects int) {
		if per := float64(cost) / float64(objects); per > worst {
			worst, worstRule = per, r.ID
		}
	}
	for name, c := range records {
		if err := record.Validate(c); err != nil {
			t.Fatal(err)
		}
		if _, errs := e.Check(c, record.Date{}); len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs[0])
		}
	}
	t.Logf("the costliest shipped rule, %s, spent %.1f units an object", worstRule, worst)
	if worst > ruleCostPerObject/10 {
		t.Errorf("%s spent %.1f units an object: less than ten times under the budget of %d", worstRule, worst, ruleCostPerObject)
	}
}

// TestLookupsAgreeWithTheRecord checks the indexed look-ups against what they stand for:
// the named discussion, else the latest on or before the enquiry's start (the first in the
// record of several that day); conferences and reviews in date order.
func TestLookupsAgreeWithTheRecord(t *testing.T) {
	d := record.MustDate
	r := &record.Referral{ID: "R1",
		StrategyDiscussions: []*record.StrategyDiscussion{
			{ID: "D1", Date: d("2024-01-02")}, {ID: "D4", Date: d("2024-01-10")},
			{ID: "D2", Date: d("2024-01-04")}, {ID: "D3", Date: d("2024-01-04")}, {ID: "D0"}},
		Conferences: []*record.Conference{
			{ID: "K3", Kind: "review", PlanID: "P1", Date: d("2024-05-01")},
			{ID: "K1", Kind: "initial", S47ID: "S1", Date: d("2024-01-20")},
			{ID: "K2", Kind: "review", PlanID: "P1"},
			{ID: "K4", Kind: "review", PlanID: "P1", Date: d("2024-03-01")},
			{ID: "K5", Kind: "transfer_in", PlanID: "P1", Date: d("2024-02-01")},
			{ID: "K6", Kind: "review", PlanID: "P1", Date: d("2024-03-01")},
		},
	}
	ri := indexReferral(r)
	ids := func(ds []*record.StrategyDiscussion) string {
		var out []string
		for _, x := range ds {
			out = append(out, x.ID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		s    *record.S47Enquiry
		want string
	}{
		{&record.S47Enquiry{Started: d("2024-01-05")}, "D2"},
		{&record.S47Enquiry{Started: d("2024-01-04")}, "D2"},
		{&record.S47Enquiry{Started: d("2024-01-03")}, "D1"},
		{&record.S47Enquiry{Started: d("2024-01-01")}, ""},
		{&record.S47Enquiry{Started: d("2024-02-01")}, "D4"},
		{&record.S47Enquiry{}, ""},
		{&record.S47Enquiry{StrategyDiscussionID: "D1", Started: d("2024-02-01")}, "D1"},
	} {
		if got := ids(ri.discussionFor(tc.s)); got != tc.want {
			t.Errorf("discussion for an enquiry started %s named %q = %q, want %q", tc.s.Started, tc.s.StrategyDiscussionID, got, tc.want)
		}
	}
	confIDs := func(ks []*record.Conference) string {
		var out []string
		for _, k := range ks {
			out = append(out, k.ID)
		}
		return strings.Join(out, ",")
	}
	if got := confIDs(ri.reviews["P1"]); got != "K4,K6,K3,K2" {
		t.Errorf("reviews of P1 = %s", got)
	}
	if got := confIDs(ri.planConfs["P1"]); got != "K5,K4,K6,K3,K2" {
		t.Errorf("conferences of P1 = %s", got)
	}
	if got := ri.reviewDatesOf("P1").days; fmt.Sprint(got) != "[2024-03-01 2024-05-01]" {
		t.Errorf("review dates of P1 = %v", got)
	}
	l := ri.reviewDatesOf("P1")
	for _, tc := range []struct{ after, want string }{{"2024-01-01", "2024-03-01"}, {"2024-03-01", "2024-05-01"}, {"2024-05-01", ""}} {
		got := ""
		if v, ok := l.firstAfter(record.MustDate(tc.after)).Value().(interface{ Format(string) string }); ok {
			got = v.Format("2006-01-02")
		}
		if got != tc.want {
			t.Errorf("first review after %s = %q, want %q", tc.after, got, tc.want)
		}
	}
}

// TestDatePathLeavesErrorsToCEL: a due date counted out of the calendar's range, or from a
// null, is CEL's to judge, with CEL's error, whether or not the date path reads the rest.
func TestDatePathLeavesErrorsToCEL(t *testing.T) {
	pack := func(due string) string {
		return probePack(`    deadline:
      start: referral.received
      due: "` + due + `"
      done: referral.decision
`)
	}
	for _, tc := range []struct{ due, wantErr string }{
		{"addDays(start, 40000000)", "deadline.due: addDays: a count of 40000000 falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{"addWorkingDays(start, 70000)", "deadline.due: addWorkingDays: the result falls outside the calendar's range (1900-01-01 to 2200-12-31)"},
		{"anniversary(start, -1)", "deadline.due: anniversary: the count -1 is negative"},
		{"addDays(addDays(start, 10), -20)", "deadline.due: the due date came out before the start"},
	} {
		for _, fast := range []bool{true, false} {
			useFastPaths = fast
			cp := compileTestPack(t, pack(tc.due))
			if fast && cp.rules[0].due.date == nil {
				t.Errorf("%s: no date path", tc.due)
			}
			e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
			_, errs := e.Check(testCase(), record.Date{})
			if len(errs) != 1 || errs[0].Err.Error() != tc.wantErr {
				t.Errorf("%s (fast paths %v): errors %v, want %q", tc.due, fast, errs, tc.wantErr)
			}
		}
		useFastPaths = true
	}
}

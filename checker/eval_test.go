package checker

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"cel.dev/cel-go/common/types/ref"

	"github.com/wtcheck/wtcheck/record"
)

func TestJudgeDeadline(t *testing.T) {
	cal := testCalendar(t)
	d := record.MustDate
	due := d("2024-01-25") // a Thursday
	tests := []struct {
		name              string
		done, lapse, asOf record.Date
		want              Status
		lateWD, lateDays  *int
		left              *int
		dueSoon           bool
	}{
		{name: "done before due", done: d("2024-01-24"), asOf: d("2024-03-31"), want: StatusMet},
		{name: "done on the due date", done: due, asOf: d("2024-03-31"), want: StatusMet},
		{name: "done late over a weekend", done: d("2024-01-29"), asOf: d("2024-03-31"), want: StatusBreach, lateWD: intPtr(2), lateDays: intPtr(4)},
		{name: "done late on a Saturday", done: d("2024-01-27"), asOf: d("2024-03-31"), want: StatusBreach, lateWD: intPtr(1), lateDays: intPtr(2)},
		{name: "not done, overdue", asOf: d("2024-02-01"), want: StatusBreach, lateWD: intPtr(5), lateDays: intPtr(7)},
		{name: "not done, as of the due date", asOf: due, want: StatusPending, left: intPtr(0), dueSoon: true},
		{name: "not done, due soon", asOf: d("2024-01-19"), want: StatusPending, left: intPtr(4), dueSoon: true},
		{name: "not done, not yet due soon", asOf: d("2024-01-10"), want: StatusPending, left: intPtr(11)},
		{name: "lapsed before the due date", lapse: d("2024-01-20"), asOf: d("2024-03-31"), want: StatusNotApplicable},
		{name: "lapsed on the due date", lapse: due, asOf: d("2024-03-31"), want: StatusNotApplicable},
		{name: "lapsed after the due date", lapse: d("2024-02-01"), asOf: d("2024-03-31"), want: StatusBreach, lateWD: intPtr(5), lateDays: intPtr(7)},
		{name: "done late wins over a lapse", done: d("2024-01-26"), lapse: d("2024-01-20"), asOf: d("2024-03-31"), want: StatusBreach, lateWD: intPtr(1), lateDays: intPtr(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := JudgeDeadline(cal, due, tt.done, tt.lapse, tt.asOf, 5)
			if got.Status != tt.want {
				t.Fatalf("status = %s, want %s", got.Status, tt.want)
			}
			if s := deadlineStatus(due, tt.done, tt.lapse, tt.asOf); s != tt.want {
				t.Fatalf("deadlineStatus = %s, want %s", s, tt.want)
			}
			checkInt(t, "late working days", got.LateWorkingDays, tt.lateWD)
			checkInt(t, "late days", got.LateDays, tt.lateDays)
			checkInt(t, "working days left", got.WorkingDaysLeft, tt.left)
			if got.DueSoon != tt.dueSoon {
				t.Errorf("due soon = %v, want %v", got.DueSoon, tt.dueSoon)
			}
		})
	}
}

func checkInt(t *testing.T, what string, got, want *int) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %v, want %v", what, deref(got), deref(want))
	case *got != *want:
		t.Errorf("%s = %d, want %d", what, *got, *want)
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

const enginePack = `
id: test
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
params:
  visit_interval_working_days: {type: int, default: 10, doc: working days between visits}
rules:
  - id: decision
    title: Decision within one working day
    severity: breach
    citation: {chapter: "1"}
    scope: referral
    needs: [decision]
    deadline:
      start: referral.received
      within: 1 working day
      done: referral.decision
      lapse: referral.closed
  - id: icpc
    title: Conference within 15 working days
    severity: breach
    citation: {chapter: "1"}
    scope: s47_enquiry
    when: s47.outcome == 'icpc' || referral.conferencesFor(s47).size() > 0
    deadline:
      start: latest(referral.discussionsFor(s47).map(d, d.date))
      within: 15 working days
      done: earliest(referral.conferencesFor(s47).map(k, k.date))
    message: "status == 'breach' && done != null ? 'held ' + string(workingDaysBetween(start, done)) + ' working days after' : ''"
  - id: seen
    title: Child seen
    severity: breach
    citation: {chapter: "1"}
    scope: s47_enquiry
    assert: s47.seen != null
    pending_while: s47.completed == null
  - id: visits
    title: Child visited
    severity: warning
    citation: {chapter: "1"}
    scope: plan
    when: plan.kind == 'child_protection'
    each: "[plan.started] + plan.visits.filter(v, v.seen && v.date > plan.started).map(v, v.date)"
    subject: plan.id + '@' + isoDate(item)
    deadline:
      start: item
      within: visit_interval_working_days working days
      done: earliest(plan.visits.filter(v, v.seen && v.date > item).map(v, v.date))
      lapse: plan.ended
  - id: broken
    title: A rule that fails at run time on a record with no decision
    severity: info
    citation: {chapter: "1"}
    scope: referral
    assert: workingDaysBetween(referral.received, referral.decision) >= 0
`

func testCase() *record.Case {
	d := record.MustDate
	return &record.Case{
		CaseID:      "C-1",
		ExtractDate: d("2024-03-31"),
		Referrals: []*record.Referral{{
			ID: "R1", Received: d("2024-01-02"), Decision: d("2024-01-04"),
			StrategyDiscussions: []*record.StrategyDiscussion{{ID: "SD1", Date: d("2024-01-04")}},
			S47Enquiries: []*record.S47Enquiry{
				{ID: "S1", StrategyDiscussionID: "SD1", Started: d("2024-01-04"), Completed: d("2024-01-18"), Outcome: "icpc"},
				{ID: "S2", Started: d("2024-03-20")},
			},
			Conferences: []*record.Conference{{ID: "K1", Kind: "initial", S47ID: "S1", Date: d("2024-01-29"), Outcome: "plan"}},
			Plans: []*record.Plan{{ID: "P1", Kind: "child_protection", Started: d("2024-01-29"),
				Visits: []*record.Visit{{Date: d("2024-02-05"), Seen: true}, {Date: d("2024-02-26"), Seen: false}, {Date: d("2024-03-04"), Seen: true}}}},
		}},
	}
}

// findingsByKey indexes findings as rule/subject -> finding.
func findingsByKey(fs []Finding) map[string]Finding {
	out := map[string]Finding{}
	for _, f := range fs {
		out[f.Rule+"/"+f.Subject] = f
	}
	return out
}

func TestEngineStatuses(t *testing.T) {
	cp := compileTestPack(t, enginePack)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	findings, errs := e.Check(testCase(), record.Date{})
	got := findingsByKey(findings)

	want := map[string]Status{
		"decision/R1":          StatusBreach, // decided 2 working days after receipt
		"icpc/S1":              StatusBreach, // 17 working days after the discussion
		"icpc/S2":              StatusNotApplicable,
		"seen/S1":              StatusBreach,  // completed, never seen
		"seen/S2":              StatusPending, // still open
		"visits/P1@2024-01-29": StatusMet,     // seen 2024-02-05
		"visits/P1@2024-02-05": StatusBreach,  // next seen 2024-03-04: an unseen visit closes nothing
		"visits/P1@2024-03-04": StatusBreach,  // nothing since, as of 2024-03-31
	}
	if len(got) != len(want)+1 { // +1: broken/R1 is met on this record
		t.Errorf("got %d findings, want %d: %v", len(got), len(want)+1, keys(got))
	}
	for k, st := range want {
		if got[k].Status != st {
			t.Errorf("%s: status %q, want %q (%s)", k, got[k].Status, st, got[k].Message)
		}
	}
	if len(errs) != 0 {
		t.Errorf("unexpected evaluation errors: %v", errs)
	}
	icpc := got["icpc/S1"]
	if icpc.Message != "held 17 working days after" || *icpc.LateWorkingDays != 2 || *icpc.LateDays != 4 {
		t.Errorf("icpc finding = %+v", icpc)
	}
	if icpc.Start != record.MustDate("2024-01-04") || icpc.Due != record.MustDate("2024-01-25") || icpc.Done != record.MustDate("2024-01-29") {
		t.Errorf("icpc dates = %s %s %s", icpc.Start, icpc.Due, icpc.Done)
	}
	if v := got["visits/P1@2024-02-05"]; v.Severity != SeverityWarning || v.Done != record.MustDate("2024-03-04") {
		t.Errorf("visit interval = %+v", v)
	}
}

func TestEngineAsOfBeforeTheConference(t *testing.T) {
	cp := compileTestPack(t, enginePack)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	findings, _ := e.Check(testCase(), record.MustDate("2024-01-22"))
	got := findingsByKey(findings)["icpc/S1"]
	if got.Status != StatusPending || got.WorkingDaysLeft == nil || *got.WorkingDaysLeft != 3 || !got.DueSoon {
		t.Fatalf("icpc as of 2024-01-22 = %+v, want pending with 3 working days left", got)
	}
	if _, ok := findingsByKey(findings)["seen/S2"]; ok {
		t.Error("an enquiry started after the as-of date was still checked")
	}
}

func TestEngineInsufficientDataAndErrors(t *testing.T) {
	cp := compileTestPack(t, enginePack)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	c := testCase()
	c.Provenance.Lacks = []string{"decision"}
	c.Referrals[0].Decision = record.Date{}
	c.Referrals[0].StrategyDiscussions = nil
	c.Referrals[0].S47Enquiries[0].StrategyDiscussionID = ""
	findings, errs := e.Check(c, record.Date{})
	got := findingsByKey(findings)
	if got["decision/R1"].Status != StatusInsufficientData {
		t.Errorf("decision with the source lacking it = %s", got["decision/R1"].Status)
	}
	if got["icpc/S1"].Status != StatusInsufficientData {
		t.Errorf("icpc with no discussion = %s", got["icpc/S1"].Status)
	}
	// The broken rule reads the decision, which this source cannot record: it cannot be
	// judged, and is not evaluated.
	if got["broken/R1"].Status != StatusInsufficientData || len(errs) != 0 {
		t.Errorf("broken rule on a source lacking the decision = %s, errors %v", got["broken/R1"].Status, errs)
	}
	// Where the source can record the decision but did not, the rule runs and fails.
	c.Provenance.Lacks = nil
	findings, errs = e.Check(c, record.Date{})
	if len(errs) != 1 || errs[0].Rule != "broken" || errs[0].Subject != "R1" || !strings.Contains(errs[0].Err.Error(), "not recorded") {
		t.Fatalf("evaluation errors = %v, want one for rule broken on R1", errs)
	}
	if _, ok := findingsByKey(findings)["broken/R1"]; ok {
		t.Error("a rule that failed to evaluate still gave a finding")
	}
}

func TestEngineLapse(t *testing.T) {
	cp := compileTestPack(t, enginePack)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	c := testCase()
	c.Referrals[0].Decision = record.Date{}
	c.Referrals[0].Closed = record.MustDate("2024-01-03") // closed on the due date
	findings, _ := e.Check(c, record.Date{})
	if st := findingsByKey(findings)["decision/R1"].Status; st != StatusNotApplicable {
		t.Errorf("referral closed on the due date without a decision = %s, want not_applicable", st)
	}
	c.Referrals[0].Closed = record.MustDate("2024-01-08")
	findings, _ = e.Check(c, record.Date{})
	f := findingsByKey(findings)["decision/R1"]
	if f.Status != StatusBreach || *f.LateWorkingDays != 3 || !f.Done.IsZero() {
		t.Errorf("referral closed after the due date without a decision = %+v", f)
	}
}

func TestEngineParamOverride(t *testing.T) {
	p, err := ParsePack("test.yaml", []byte(enginePack))
	if err != nil {
		t.Fatal(err)
	}
	cal := testCalendar(t)
	cp, err := Compile(p, cal, map[string]string{"visit_interval_working_days": "25"})
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: cal}
	findings, _ := e.Check(testCase(), record.Date{})
	if st := findingsByKey(findings)["visits/P1@2024-02-05"].Status; st != StatusMet {
		t.Errorf("with a 25-working-day visit interval the 2024-02-05 interval = %s, want met", st)
	}
	if _, err := Compile(p, cal, map[string]string{"visit_interval_working_days": "ten"}); err == nil {
		t.Error("a non-numeric override compiled")
	}
	if _, err := Compile(p, cal, map[string]string{"no_such_param": "1"}); err == nil {
		t.Error("an override of an unknown parameter compiled")
	}
}

func keys[V any](m map[string]V) []string { return sortedKeys(m) }

// TestSubjectIsEvaluatedForBuiltFindings shows when an interval's subject expression runs:
// for every finding that is built, and for none that is only counted. A subject that fails
// is an evaluation error on each interval whose finding is built (naming the plan, since the
// interval's own subject cannot be had), and is not seen on intervals that are only counted,
// as a failing message expression is not.
func TestSubjectIsEvaluatedForBuiltFindings(t *testing.T) {
	pack := strings.Replace(enginePack, "subject: plan.id + '@' + isoDate(item)", "subject: \"isoDate(item) < '2024-02-01' ? plan.id + '@' + isoDate(item) : string(1 / 0)\"", 1)
	cp := compileTestPack(t, pack)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}

	// Every status listed: the interval opened on 29 January is named; the two opened in
	// February cannot be, and are errors on the plan.
	findings, errs := e.Check(testCase(), record.Date{})
	got := findingsByKey(findings)
	if f, ok := got["visits/P1@2024-01-29"]; !ok || f.Status != StatusMet {
		t.Errorf("visits/P1@2024-01-29: got %+v, want a met finding", f)
	}
	var subjectErrs []string
	for _, err := range errs {
		if err.Rule == "visits" {
			if !strings.Contains(err.Err.Error(), "subject: ") {
				t.Errorf("error %v, want a subject error", err)
			}
			subjectErrs = append(subjectErrs, err.Subject)
		}
	}
	if want := []string{"P1", "P1"}; !slices.Equal(subjectErrs, want) {
		t.Errorf("subject errors on %v, want %v", subjectErrs, want)
	}

	// Only breaches listed: the two breach intervals are built, so their subjects fail as
	// before; the met one is counted, and no subject is asked of it.
	var tally StatusCounts
	findings, errs, _ = e.CheckListed(testCase(), record.Date{}, StatusSetOf(StatusBreach), &tally)
	if n := countRule(errs, "visits"); n != 2 {
		t.Errorf("listing breaches: %d subject errors, want 2", n)
	}
	for _, f := range findings {
		if f.Rule == "visits" {
			t.Errorf("listing breaches: got %+v, want no visits finding (each one's subject fails)", f)
		}
	}
	if n := tally.Of(StatusMet); n == 0 {
		t.Errorf("listing breaches: no met finding counted, want the 29 January interval")
	}

	// Only met listed: the met interval is built and named; the two breaches are counted
	// without a subject, so their failing subject is not seen.
	tally = StatusCounts{}
	findings, errs, _ = e.CheckListed(testCase(), record.Date{}, StatusSetOf(StatusMet), &tally)
	if got := findingsByKey(findings); got["visits/P1@2024-01-29"].Status != StatusMet {
		t.Errorf("listing met: got %v, want visits/P1@2024-01-29 met", findings)
	}
	if n := countRule(errs, "visits"); n != 0 {
		t.Errorf("listing met: %d subject errors, want none: the breaches are only counted", n)
	}
	if n := tally.Of(StatusBreach); n < 2 {
		t.Errorf("listing met: %d breaches counted, want the two visit intervals' at least", n)
	}
}

func countRule(errs []EvalError, rule string) int {
	n := 0
	for _, err := range errs {
		if err.Rule == rule {
			n++
		}
	}
	return n
}

// TestDeadlineMessages holds every wording of a deadline finding's message, one and many.
func TestDeadlineMessages(t *testing.T) {
	d := record.MustDate
	one, two, three := 1, 2, 3
	for _, tt := range []struct {
		o                     DeadlineOutcome
		due, done, lapse, asO string
		want                  string
	}{
		{DeadlineOutcome{Status: StatusMet}, "2024-02-01", "2024-01-30", "", "2024-03-31", "T: done 2024-01-30, due by 2024-02-01"},
		{DeadlineOutcome{Status: StatusNotApplicable, lapsed: true}, "2024-02-01", "", "2024-01-20", "2024-03-31", "T: not required, as what it protects ended on 2024-01-20, before the due date 2024-02-01"},
		{DeadlineOutcome{Status: StatusPending, WorkingDaysLeft: &one}, "2024-02-01", "", "", "2024-01-31", "T: due by 2024-02-01, 1 working day left"},
		{DeadlineOutcome{Status: StatusPending, WorkingDaysLeft: &three}, "2024-02-01", "", "", "2024-01-29", "T: due by 2024-02-01, 3 working days left"},
		{DeadlineOutcome{Status: StatusBreach, LateWorkingDays: &one, LateDays: &three}, "2024-02-02", "2024-02-05", "", "2024-03-31", "T: done 2024-02-05, 1 working day (3 days) late; due by 2024-02-02"},
		{DeadlineOutcome{Status: StatusBreach, LateWorkingDays: &two, LateDays: &one}, "2024-02-01", "2024-02-02", "", "2024-03-31", "T: done 2024-02-02, 2 working days (1 day) late; due by 2024-02-01"},
		{DeadlineOutcome{Status: StatusBreach, LateWorkingDays: &two, lapsed: true}, "2024-02-01", "", "2024-02-05", "2024-03-31", "T: not done by 2024-02-05, when what it protects ended, 2 working days after the due date 2024-02-01"},
		{DeadlineOutcome{Status: StatusBreach, LateWorkingDays: &one}, "2024-02-01", "", "", "2024-02-02", "T: not done, 1 working day overdue at 2024-02-02; due by 2024-02-01"},
	} {
		date := func(s string) record.Date {
			if s == "" {
				return record.Date{}
			}
			return d(s)
		}
		if got := tt.o.message("T", date(tt.due), date(tt.done), date(tt.lapse), date(tt.asO)); got != tt.want {
			t.Errorf("message = %q\n          want %q", got, tt.want)
		}
	}
}

// TestDeadlineStatusAsJudgeDeadline holds the status-only path to the state machine on every
// order of the done, lapse and as-of days around the due date.
func TestDeadlineStatusAsJudgeDeadline(t *testing.T) {
	cal := testCalendar(t)
	due := record.MustDate("2024-01-25")
	days := []record.Date{{}}
	for n := -3; n <= 3; n++ {
		days = append(days, due.AddDays(n))
	}
	for _, done := range days {
		for _, lapse := range days {
			for _, asOf := range days[1:] {
				want := JudgeDeadline(cal, due, done, lapse, asOf, 5).Status
				if got := deadlineStatus(due, done, lapse, asOf); got != want {
					t.Errorf("done %s, lapse %s, as of %s: deadlineStatus %s, JudgeDeadline %s", done, lapse, asOf, got, want)
				}
			}
		}
	}
}

// TestPanicInALookUpIsAnErrorOnItsTarget: a look-up that panics while a rule's intervals are
// judged (the event that closes the first interval) is an evaluation error named by the
// target (the plan, not the interval), and the other targets, the other rules and the next
// record are checked as if nothing happened.
func TestPanicInALookUpIsAnErrorOnItsTarget(t *testing.T) {
	seen := lookups["seenVisits"]
	lookups["seenVisits"] = func(ix *caseIndex, args ...ref.Val) ref.Val {
		if args[0].Value().(*record.Plan).ID == "P1" {
			panic("a look-up gave way")
		}
		return seen(ix, args...)
	}
	defer func() { lookups["seenVisits"] = seen }()
	cp := compileTestPack(t, `
id: panics
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
rules:
  - id: visits
    title: Visits
    severity: info
    citation: {chapter: "1"}
    scope: plan
    each: "[plan.started] + plan.visits.filter(v, v.seen && v.date > plan.started).map(v, v.date)"
    subject: "plan.id + '@' + isoDate(item)"
    deadline:
      start: item
      within: 10 working days
      done: firstAfter(plan.seenVisits(), item)
  - id: decided
    title: Decided
    severity: info
    citation: {chapter: "1"}
    scope: referral
    assert: referral.decision != null
`)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	c := testCase()
	other := *c.Referrals[0].Plans[0]
	other.ID = "P2"
	c.Referrals[0].Plans = append(c.Referrals[0].Plans, &other)
	for range 2 { // the second time, on an evaluator the first gave back
		findings, errs := e.Check(c, record.Date{})
		if len(errs) != 1 || errs[0].Rule != "visits" || errs[0].Subject != "P1" || !strings.Contains(errs[0].Err.Error(), "internal error: a look-up gave way") {
			t.Fatalf("errors %v, want the panic on P1 alone", errs)
		}
		got := findingsByKey(findings)
		for _, key := range []string{"decided/R1", "visits/P2@2024-01-29", "visits/P2@2024-02-05", "visits/P2@2024-03-04"} {
			if _, ok := got[key]; !ok {
				t.Errorf("no finding %s among %v", key, slices.Collect(maps.Keys(got)))
			}
		}
		if len(findings) != 4 {
			t.Errorf("%d findings, want 4", len(findings))
		}
	}
}

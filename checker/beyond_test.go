package checker

import (
	"strconv"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

const beyondPackHead = `
id: beyond
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2018-07-04}
rules:
`

// A fixed due date (due_on) is the same for every subject and need not read the start; its
// lateness is counted in working days as for any deadline, from a due date on a Sunday.
func TestDueOnIsAFixedDueDate(t *testing.T) {
	cp := compileTestPack(t, beyondPackHead+`
  - id: published
    title: Arrangements published by the end of the transition
    severity: breach
    citation: {chapter: "3"}
    scope: arrangements
    deadline:
      start: date('2018-07-04')
      due_on: 2019-09-29
      done: "arrangements.partners == null ? null : arrangements.partners.published"
`)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	for _, tc := range []struct{ raw, want string }{
		{`{"area_id": "A", "extract_date": "2020-03-31", "partners": {"published": "2019-10-15"}}`, "breach due 2019-09-29 done 2019-10-15 late 12 wd"},
		{`{"area_id": "A", "extract_date": "2020-03-31", "partners": {"published": "2019-09-27"}}`, "met due 2019-09-29 done 2019-09-27"},
		{`{"area_id": "A", "extract_date": "2019-09-02"}`, "pending due 2019-09-29 left 19 wd"},
	} {
		a, err := record.DecodeArrangements([]byte(tc.raw))
		if err != nil {
			t.Fatal(err)
		}
		fs, errs := e.CheckArrangements(a, record.Date{})
		if len(errs) != 0 || len(fs) != 1 {
			t.Fatalf("%s: findings %v, errors %v", tc.raw, fs, errs)
		}
		f := fs[0]
		got := string(f.Status) + " due " + f.Due.String()
		if !f.Done.IsZero() {
			got += " done " + f.Done.String()
		}
		if f.LateWorkingDays != nil {
			got += " late " + strconv.Itoa(*f.LateWorkingDays) + " wd"
		}
		if f.WorkingDaysLeft != nil {
			got += " left " + strconv.Itoa(*f.WorkingDaysLeft) + " wd"
		}
		if got != tc.want || f.AreaID != "A" || f.Subject != "A" || f.CaseID != "" {
			t.Errorf("%s: %s (area %q, subject %q), want %s", tc.raw, got, f.AreaID, f.Subject, tc.want)
		}
	}
}

// A pack is refused, with where, for a due_on that is not a date, a deadline with two due
// dates, a rule over two kinds of record, and an incident rule that reads the case.
func TestBeyondPackErrors(t *testing.T) {
	for _, tc := range []struct{ rule, want string }{
		{`
  - id: r
    title: T
    severity: breach
    citation: {chapter: "3"}
    scope: arrangements
    deadline: {start: "date('2018-07-04')", due_on: 2019-09-31, done: "null"}`, `due_on: date "2019-09-31" is not a real calendar date`},
		{`
  - id: r
    title: T
    severity: breach
    citation: {chapter: "3"}
    scope: arrangements
    deadline: {start: "date('2018-07-04')", within: 5 working days, due_on: 2019-09-29, done: "null"}`, "the deadline needs exactly one of within (a timescale), due (an expression) and due_on (a fixed date)"},
		{`
  - id: r
    title: T
    severity: breach
    citation: {chapter: "3"}
    scope: [incident, plan]
    assert: "true"`, "scopes incident and plan are in different kinds of record (incident, case): a rule reads one kind"},
		{`
  - id: r
    title: T
    severity: breach
    citation: {chapter: "3"}
    scope: incident
    assert: case.case_id != ''`, "undeclared reference to 'case'"},
	} {
		p, err := ParsePack("test.yaml", []byte(beyondPackHead+tc.rule))
		if err == nil {
			_, err = Compile(p, testCalendar(t), nil)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s\n: got %v, want %q", tc.rule, err, tc.want)
		}
	}
}

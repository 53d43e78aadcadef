package packtest

import (
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/rules"
)

const testPack = `
id: t
edition: "t"
title: Test
document: Test guidance
in_force: {from: 2020-01-01}
rules:
  - id: decision
    title: Decision within one working day
    severity: breach
    citation: {chapter: "1"}
    scope: referral
    deadline:
      start: referral.received
      within: 1 working day
      done: referral.decision
`

func compile(t *testing.T) ([]*checker.CompiledPack, *checker.Calendar) {
	t.Helper()
	hols, first, last, err := checker.ParseHolidays("h", rules.Holidays())
	if err != nil {
		t.Fatal(err)
	}
	cal := checker.NewCalendar(hols, first, last)
	p, err := checker.ParsePack("t.yaml", []byte(testPack))
	if err != nil {
		t.Fatal(err)
	}
	cp, err := checker.Compile(p, cal, nil)
	if err != nil {
		t.Fatal(err)
	}
	return []*checker.CompiledPack{cp}, cal
}

func suite(t *testing.T, text string) *Suite {
	t.Helper()
	s, err := ParseSuite("ex.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const goodExamples = `
rule: decision
cases:
  - name: late
    record: {case_id: A, extract_date: 2024-03-31, referrals: [{id: R1, received: 2024-03-01, decision: 2024-03-05}]}
    expect: {t: [{subject: R1, status: breach, due: 2024-03-04, late_working_days: 1}]}
  - name: met
    record: {case_id: B, extract_date: 2024-03-31, referrals: [{id: R1, received: 2024-03-01, decision: 2024-03-04}]}
    expect: {t: [{subject: R1, status: met}]}
  - name: pending
    as_of: 2024-03-01
    record: {case_id: C, extract_date: 2024-03-31, referrals: [{id: R1, received: 2024-03-01}]}
    expect: {t: [{subject: R1, status: pending, working_days_left: 1}]}
`

func TestRunPasses(t *testing.T) {
	packs, cal := compile(t)
	res := Run(packs, cal, []*Suite{suite(t, goodExamples)})
	if len(res.Failures) != 0 {
		t.Fatalf("failures: %v", res.Failures)
	}
	if res.Passed() != 4 || res.Failed() != 0 { // 3 examples and 1 rule's coverage
		t.Errorf("passed %d, failed %d", res.Passed(), res.Failed())
	}
}

func TestRunFailures(t *testing.T) {
	packs, cal := compile(t)
	bad := strings.Replace(goodExamples, "late_working_days: 1", "late_working_days: 2", 1)
	bad = strings.Replace(bad, "expect: {t: [{subject: R1, status: met}]}", "expect: {t: []}", 1)
	bad = strings.Replace(bad, "    as_of: 2024-03-01\n", "", 1)
	res := Run(packs, cal, []*Suite{suite(t, bad), suite(t, "rule: nope\ncases:\n  - record: {case_id: X, referrals: []}\n    expect: {t: []}\n")})
	text := ""
	for _, f := range res.Failures {
		text += f.String() + "\n"
	}
	for _, want := range []string{
		"ex.yaml:5: t decision: late: R1: late_working_days 1, want 2",
		"ex.yaml:8: t decision: met: unexpected finding for R1: met",
		"ex.yaml:11: t decision: pending: R1: status breach, want pending; working_days_left none, want 1",
		"t.yaml:8:5: t decision: no example makes it met\n",
		"ex.yaml: nope: the examples name a rule no pack under test has",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("failures lack %q:\n%s", want, text)
		}
	}
	if res.Failed() != 5 {
		t.Errorf("failed = %d, want 5 (3 examples, 1 rule's coverage, 1 orphan file)", res.Failed())
	}
}

func TestParseSuiteRejectsBadRecords(t *testing.T) {
	_, err := ParseSuite("ex.yaml", []byte(`
rule: decision
cases:
  - name: impossible date
    record: {case_id: A, referrals: [{id: R1, received: 2024-02-30}]}
    expect: {t: []}
  - name: no expectations
    record: {case_id: B, referrals: [{id: R1, received: 2024-02-01}]}
`))
	if err == nil || !strings.Contains(err.Error(), "impossible date: record: referrals[0].received is not a real calendar date") ||
		!strings.Contains(err.Error(), "no expectations: no expectations") {
		t.Errorf("err = %v", err)
	}
}

package checker

import (
	"strings"
	"testing"
)

const validPackHeader = `id: test
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
rules:
`

func TestParsePackReportsEveryProblemWithPosition(t *testing.T) {
	text := validPackHeader + `  - id: Bad_Id
    title: A rule
    severity: must
    scope: referral
    wehn: true
    assert: true
  - id: two-kinds
    title: Both
    severity: breach
    citation: {chapter: "1"}
    scope: nowhere
    assert: true
    deadline: {start: referral.received, within: 1 working day, done: referral.decision}
  - id: two-kinds
    title: Duplicate id
    severity: breach
    citation: {chapter: "1"}
    scope: referral
    deadline: {start: referral.received, within: 3 fortnights, done: referral.decision}
`
	_, err := ParsePack("p.yaml", []byte(text))
	if err == nil {
		t.Fatal("a broken pack parsed")
	}
	msg := err.Error()
	for _, want := range []string{
		`p.yaml:7:5: rule id "Bad_Id" must be lower-case`,
		`p.yaml:7:5: Bad_Id: severity must be breach, warning or info`,
		`p.yaml:7:5: Bad_Id has no citation`,
		`p.yaml:11:5: unknown key "wehn" in a rule`,
		`p.yaml:13:5: two-kinds: scope "nowhere" is not one of case, referral`,
		`p.yaml:13:5: two-kinds must have exactly one of assert and deadline`,
		`p.yaml:25:50: timescale "3 fortnights": the unit must be working days, days, months or years`,
		`rule id two-kinds is used twice (first at line 13)`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q\ngot:\n%s", want, msg)
		}
	}
	if !strings.Contains(msg, "    wehn: true\n") || !strings.Contains(msg, "|     ^") {
		t.Errorf("errors lack the source line and caret:\n%s", msg)
	}
}

func TestCompileReportsCELErrorsAtTheirPosition(t *testing.T) {
	text := validPackHeader + `  - id: misspelt
    title: A misspelt field
    severity: breach
    citation: {chapter: "1"}
    scope: referral
    deadline:
      start: referral.recieved
      within: 1 working day
      done: referral.decision
  - id: wrong-type
    title: An assertion that is not a bool
    severity: breach
    citation: {chapter: "1"}
    scope: assessment
    assert: |
      assessment.kind
  - id: wrong-scope
    title: Reads a variable its scope does not have
    severity: breach
    citation: {chapter: "1"}
    scope: referral
    assert: plan.kind == 'child_protection'
  - id: due-without-start
    title: A due date that ignores its start
    severity: breach
    citation: {chapter: "1"}
    scope: referral
    deadline:
      start: referral.received
      due: referral.received
      done: referral.decision
`
	// Twice: the second compile takes the parsed expressions from the first (Parses), and
	// must report the same errors at the same places.
	var msgs []string
	parses := new(Parses)
	for range 2 {
		p, err := ParsePack("p.yaml", []byte(text))
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		_, err = CompileValues(p, testCalendar(t), nil, parses)
		if err == nil {
			t.Fatal("a pack with type errors compiled")
		}
		msgs = append(msgs, err.Error())
	}
	if msgs[0] != msgs[1] {
		t.Errorf("compiled again, the errors differ:\n%s\n---\n%s", msgs[0], msgs[1])
	}
	msg := msgs[1]
	for _, want := range []string{
		"p.yaml:13:22: rule misspelt, deadline.start: undefined field 'recieved'",
		"p.yaml:22:7: rule wrong-type, assert: want bool, the expression gives string",
		"p.yaml:28:13: rule wrong-scope, assert: undeclared reference to 'plan'",
		"p.yaml:36:12: rule due-without-start, deadline.due does not depend on start",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q\ngot:\n%s", want, msg)
		}
	}
}

func TestCitationString(t *testing.T) {
	c := Citation{Document: "Working Together 2018", Chapter: "1", Paragraph: "81", Section: "Timeliness",
		Also: []string{"Children Act 1989 s47"}}
	want := "Working Together 2018, chapter 1, paragraph 81 (Timeliness); Children Act 1989 s47"
	if got := c.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := (Citation{Document: "WT", Paragraph: "5.38–5.40"}).String(); got != "WT, paragraphs 5.38–5.40" {
		t.Errorf("range citation = %q", got)
	}
}

func TestParseTimescale(t *testing.T) {
	for text, want := range map[string]string{
		"15 working days": "addWorkingDays(start, 15)",
		"1 working day":   "addWorkingDays(start, 1)",
		"3 months":        "addMonths(start, 3)",
		"10 days":         "addDays(start, 10)",
		"visit_interval_working_days working days": "addWorkingDays(start, params.visit_interval_working_days)",
	} {
		ts, err := parseTimescale(text)
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if got := ts.dueExpr(); got != want {
			t.Errorf("%q gives %q, want %q", text, got, want)
		}
	}
	for _, bad := range []string{"", "15", "-1 days", "15 weeks", "X days"} {
		if _, err := parseTimescale(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

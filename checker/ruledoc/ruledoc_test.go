package ruledoc

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
)

func pack(t *testing.T, id, rules string) *checker.Pack {
	t.Helper()
	p, err := checker.ParsePack(id+".yaml", []byte(`id: `+id+`
edition: "`+id+`"
title: T
document: Guidance `+id+`
in_force: {from: 2020-01-01}
rules:
`+rules))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const ruleA = `  - {id: a, title: A, severity: breach, citation: {chapter: "1"}, scope: referral, deadline: {start: referral.received, within: 10 working days, done: referral.decision}}
`
const ruleB = `  - {id: b, title: B, severity: warning, citation: {chapter: "1"}, scope: referral, assert: referral.homeless}
`

func TestDiff(t *testing.T) {
	old := pack(t, "old", ruleA+ruleB)
	changedA := strings.Replace(strings.Replace(ruleA, "10 working days", "45 working days", 1), `chapter: "1"`, `chapter: "3"`, 1)
	changedB := strings.Replace(ruleB, "severity: warning", "severity: breach", 1)
	added := `  - {id: c, title: C, severity: info, citation: {chapter: "1"}, scope: plan, assert: plan.kind == 'child_in_need'}
`
	cases := map[string][]Change{
		"timescale and citation": {
			{Kind: "pack: document", Before: "Guidance old", After: "Guidance new"},
			{Rule: "a", Kind: "timescale", Before: "10 working days", After: "45 working days"},
			{Rule: "a", Kind: "citation", Before: "chapter 1", After: "chapter 3"},
		},
	}
	got := Diff(old, pack(t, "new", changedA+ruleB))
	if !equalChanges(got, cases["timescale and citation"]) {
		t.Errorf("got %+v", got)
	}
	got = Diff(old, pack(t, "new", changedB+added))
	want := []Change{
		{Kind: "pack: document", Before: "Guidance old", After: "Guidance new"},
		{Rule: "a", Kind: "removed", Before: "10 working days: A"},
		{Rule: "b", Kind: "severity", Before: "warning", After: "breach"},
		{Rule: "c", Kind: "added", After: "assertion: C"},
	}
	if !equalChanges(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func equalChanges(a, b []Change) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRuleOrderKeepsOlderRulesInPlace(t *testing.T) {
	old := pack(t, "old", ruleA+`  - {id: x, title: X, severity: breach, citation: {chapter: "1"}, scope: referral, assert: true}
`+ruleB)
	newer := pack(t, "new", ruleA+ruleB)
	if got := strings.Join(ruleOrder([]*checker.Pack{old, newer}), " "); got != "a x b" {
		t.Errorf("order = %s, want a x b", got)
	}
}

func TestListAndExplain(t *testing.T) {
	p := pack(t, "p", ruleA+ruleB)
	var buf bytes.Buffer
	if err := List(&buf, []*checker.Pack{p}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "a     breach    referral  10 working days  A") {
		t.Errorf("list:\n%s", buf.String())
	}
	buf.Reset()
	if err := Explain(&buf, []*checker.Pack{p}, "b"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "p: assertion, one finding per referral, severity warning.") {
		t.Errorf("explain:\n%s", buf.String())
	}
}

// TestDiffEveryField: a change to a deadline's start, done or lapse, to a message or to the
// facts a rule needs is a change, where the diff once saw only title, timescale, severity,
// scope, condition, assertion and citation.
func TestDiffEveryField(t *testing.T) {
	old := pack(t, "old", `  - {id: a, title: A, severity: breach, citation: {chapter: "1"}, scope: referral, needs: [decision], deadline: {start: referral.received, within: 10 working days, done: referral.decision, lapse: referral.closed}}
`)
	changed := pack(t, "old", `  - {id: a, title: A, severity: breach, citation: {chapter: "1"}, scope: referral, needs: [decision, closed], message: "'late'", deadline: {start: referral.received + duration('24h'), within: 10 working days, done: referral.closed, lapse: null}}
`)
	want := []Change{
		{Rule: "a", Kind: "needs", Before: "decision", After: "decision, closed"},
		{Rule: "a", Kind: "start", Before: "referral.received", After: "referral.received + duration('24h')"},
		{Rule: "a", Kind: "done", Before: "referral.decision", After: "referral.closed"},
		{Rule: "a", Kind: "lapse", Before: "referral.closed", After: "null"},
		{Rule: "a", Kind: "message", Before: "(none)", After: "'late'"},
	}
	if got := Diff(old, changed); !equalChanges(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

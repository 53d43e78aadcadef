package explain

import (
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

func TestBuildOrdersEventsAndListsSkippedHolidays(t *testing.T) {
	d := record.MustDate
	c := &record.Case{CaseID: "C-1", ExtractDate: d("2024-03-31"), Referrals: []*record.Referral{{
		ID: "R1", Received: d("2023-12-20"), Decision: d("2023-12-20"),
		Assessments: []*record.Assessment{{ID: "A1", Kind: "single", Started: d("2023-12-21"), Completed: d("2024-01-10"), Seen: []record.Date{d("2023-12-22")}}},
	}}}
	hols, first, last, err := checker.ParseHolidays("h", []byte("holidays: [2023-12-25, 2023-12-26, 2024-01-01]\nfirst_year: 2023\nlast_year: 2024\n"))
	if err != nil {
		t.Fatal(err)
	}
	cal := checker.NewCalendar(hols, first, last)
	p, err := checker.ParsePack("p.yaml", []byte(`id: p
edition: "x"
title: T
document: D
in_force: {from: 2020-01-01}
rules:
  - {id: a, title: A, severity: breach, citation: {chapter: "1"}, scope: assessment, deadline: {start: referral.received, within: 10 working days, done: assessment.completed}}
  - {id: seen, title: Seen, severity: breach, citation: {chapter: "1"}, scope: assessment, assert: assessment.seen.size() > 0}
`))
	if err != nil {
		t.Fatal(err)
	}
	cp, err := checker.Compile(p, cal, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := &checker.Engine{Packs: []*checker.CompiledPack{cp}, Calendar: cal}
	findings, _ := e.Check(c, record.Date{})
	tl := Build(c, d("2024-03-31"), findings, cal, e.Packs)
	var whats []string
	for _, ev := range tl.Events {
		whats = append(whats, ev.Date.String()+" "+ev.What)
	}
	want := "2023-12-20 referral received|2023-12-20 decision on the response|2023-12-21 single assessment started|2023-12-22 child seen (assessment)|2024-01-10 single assessment authorised"
	if got := strings.Join(whats, "|"); got != want {
		t.Errorf("events:\n%s\nwant\n%s", got, want)
	}
	if len(tl.Deadlines) != 1 || len(tl.Other) != 1 {
		t.Fatalf("deadlines %+v, other %+v", tl.Deadlines, tl.Other)
	}
	dl := tl.Deadlines[0]
	// 10 working days from 20 December 2023, skipping 25 and 26 December and 1 January: 8 January.
	if dl.Due != d("2024-01-08") || dl.Status != checker.StatusBreach || strings.Join(dl.HolidaysSkipped, ";") != "2023-12-25;2023-12-26;2024-01-01" {
		t.Errorf("deadline = %+v", dl)
	}
	if tl.First != d("2023-12-20") || tl.Last != d("2024-01-10") {
		t.Errorf("span %s to %s", tl.First, tl.Last)
	}
	if !strings.Contains(tl.Text(), "bank holidays skipped: 2023-12-25") {
		t.Errorf("text:\n%s", tl.Text())
	}
}

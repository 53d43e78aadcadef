package compare

import (
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

func TestCellRate(t *testing.T) {
	if _, ok := (Cell{Pending: 3}).Rate(); ok {
		t.Error("a rate with nothing decided")
	}
	if r, ok := (Cell{Met: 3, Breach: 1, Pending: 5}).Rate(); !ok || r != 0.75 {
		t.Errorf("rate = %v", r)
	}
}

func pack(t *testing.T, edition, from, to, rules string) *checker.CompiledPack {
	t.Helper()
	text := "id: wt" + edition + "\nedition: \"" + edition + "\"\ntitle: T\ndocument: D\nin_force: {from: " + from
	if to != "" {
		text += ", to: " + to
	}
	text += "}\nrules:\n" + rules
	p, err := checker.ParsePack("p.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	cp, err := checker.Compile(p, checker.NewCalendar(nil, 2000, 2030), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func TestAggregatorCountsAndDifferences(t *testing.T) {
	old := pack(t, "2010", "2010-01-01", "2015-12-31",
		"  - {id: core, compare_as: assess, title: Core, severity: breach, citation: {chapter: '5'}, scope: assessment, when: assessment.kind == 'core', deadline: {start: assessment.started, within: 35 working days, done: assessment.completed}}\n")
	newer := pack(t, "2018", "2016-01-01", "",
		"  - {id: assess, title: Assess, severity: breach, citation: {chapter: '1'}, scope: assessment, deadline: {start: referral.received, within: 45 working days, done: assessment.completed}}\n")
	e := &checker.Engine{Packs: []*checker.CompiledPack{old, newer}, Calendar: checker.NewCalendar(nil, 2000, 2030)}
	a := NewAggregator(e.Packs, true, func(r *checker.Rule) string { return r.Deadline.Within.String() })
	d := record.MustDate
	// A core assessment of 40 working days, started on the referral day in 2019: a breach of
	// 2010's 35 days, met under 2018's 45; in force: 2018.
	c := &record.Case{CaseID: "C-1", ExtractDate: d("2019-12-31"), Referrals: []*record.Referral{{
		ID: "R1", Received: d("2019-01-07"),
		Assessments: []*record.Assessment{{ID: "A1", Kind: "core", Started: d("2019-01-07"), Completed: d("2019-03-04")}},
	}}}
	fs, _ := e.Check(c, record.Date{})
	a.Add(c, fs)
	res := a.Result(&checker.Report{})
	diffs := res.Differences.Slice()
	if len(diffs) != 1 {
		t.Fatalf("differences = %+v", diffs)
	}
	want := "breach under 2010 (core, 35 working days, due 2019-02-25); met under 2018 (assess, 45 working days, due 2019-03-11)"
	if got := diffs[0]; got.Requirement != "assess" || got.Reason != want {
		t.Errorf("difference = %+v", got)
	}
	if got := res.Rules[1].Cells[InForce]; got.Met != 1 || got.Breach != 0 {
		t.Errorf("in-force cell for assess = %+v", got)
	}
	if got := res.Rules[0].Cells[InForce]; got.Met+got.Breach != 0 {
		t.Errorf("the 2010 rule counted in force for a 2019 referral: %+v", got)
	}
	if got := res.OnlyIn["core"]; len(got) != 1 || got[0] != "2010" {
		t.Errorf("only in = %v", res.OnlyIn)
	}
}

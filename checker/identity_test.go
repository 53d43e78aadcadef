package checker

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// Object ids repeat across referrals: the identity, the baseline entry and the sort order all
// hold the referral (findings-format.md, "Finding identity").
func TestFindingIdentityHoldsTheReferral(t *testing.T) {
	a1r1 := Finding{CaseID: "C-7", Edition: "2023", Rule: "assessment-timeliness", Referral: "R1", Subject: "A1", Status: StatusBreach}
	a1r2 := a1r1
	a1r2.Referral = "R2"
	if a1r1.Key() == a1r2.Key() {
		t.Fatal("A1 of R1 and A1 of R2 have the same identity")
	}
	local := a1r1
	local.Pack = "la-e09000099"
	if local.Key() == a1r1.Key() {
		t.Error("a finding that names its pack has the identity of one that does not")
	}
	if e := BaselineEntryOf(&a1r2); e.Referral != "R2" || e.Subject != "A1" || e.Pack != "" {
		t.Errorf("baseline entry = %+v", e)
	}

	// Sorted by case, edition, rule, referral, subject: R1/A2 before R2/A1.
	fs := []Finding{
		{CaseID: "C-7", Edition: "2023", Rule: "r", Referral: "R2", Subject: "A1"},
		{CaseID: "C-7", Edition: "2023", Rule: "r", Referral: "R1", Subject: "A2"},
		{CaseID: "C-7", Edition: "2023", Rule: "r", Referral: "", Subject: "C-7"},
		{CaseID: "C-7", Edition: "2018", Rule: "s", Referral: "R2", Subject: "A1"},
		{CaseID: "C-7", Edition: "2023", Rule: "r", Referral: "R1", Subject: "A2", Pack: "b"},
		{CaseID: "C-7", Edition: "2023", Rule: "r", Referral: "R1", Subject: "A2", Pack: "a"},
	}
	SortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, strings.Join([]string{f.Edition, f.Rule, f.Referral, f.Subject, f.Pack}, "/"))
	}
	want := []string{"2018/s/R2/A1/", "2023/r//C-7/", "2023/r/R1/A2/", "2023/r/R1/A2/a", "2023/r/R1/A2/b", "2023/r/R2/A1/"}
	if !slices.Equal(got, want) {
		t.Errorf("sorted = %v, want %v", got, want)
	}
}

func TestBaselineRoundTripAndV1(t *testing.T) {
	known := Finding{CaseID: "C-7", Edition: "2023", Rule: "assessment-timeliness", Referral: "R1", Subject: "A1", Status: StatusBreach}
	other := known
	other.Referral = "R2"
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, record.MustDate("2024-03-31"), []BaselineEntry{BaselineEntryOf(&known), BaselineEntryOf(&known)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"format": "wtcheck/baseline/v2"`) || strings.Count(buf.String(), `"referral": "R1"`) != 1 {
		t.Errorf("baseline:\n%s", buf.String())
	}
	b, err := ParseBaseline("b.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !b.Has(&known) || b.Has(&other) || b.Legacy || b.Len() != 1 {
		t.Errorf("v2: has known %v, has other %v, legacy %v, len %d", b.Has(&known), b.Has(&other), b.Legacy, b.Len())
	}
	fixed, notIn := b.Unmatched(map[string]bool{}, func(id string) bool { return id == "C-7" })
	if fixed != 1 || notIn != 0 {
		t.Errorf("unmatched with the case checked = %d fixed, %d not in the batch", fixed, notIn)
	}
	fixed, notIn = b.Unmatched(map[string]bool{}, func(string) bool { return false })
	if fixed != 0 || notIn != 1 {
		t.Errorf("unmatched with the case not checked = %d fixed, %d not in the batch", fixed, notIn)
	}

	// v1: read, and matched against nothing: its A1 could be either referral's.
	v1 := []byte(`{"format":"wtcheck/baseline/v1","breaches":[{"case_id":"C-7","edition":"2023","rule":"assessment-timeliness","subject":"A1"}]}`)
	b, err = ParseBaseline("v1.json", v1)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Legacy || b.Len() != 1 || b.Has(&known) || b.Has(&other) {
		t.Errorf("v1: legacy %v, len %d, has known %v", b.Legacy, b.Len(), b.Has(&known))
	}
	if fixed, notIn := b.Unmatched(map[string]bool{}, func(string) bool { return true }); fixed != 0 || notIn != 0 {
		t.Errorf("v1 unmatched = %d, %d: nothing can be said of entries that were not used", fixed, notIn)
	}
	bad := []byte(`{"format":"wtcheck/baseline/v1","breaches":[{"case_id":"C-7","edition":"2023","rule":"r","referral":"R1","subject":"A1"}]}`)
	if _, err := ParseBaseline("bad.json", bad); err == nil || !strings.Contains(err.Error(), "breach 1 has a referral or pack, which wtcheck/baseline/v1 does not") {
		t.Errorf("a v1 entry with a referral: %v", err)
	}
}

// A local pack names itself in its findings; so does each of two packs of one edition.
func TestEngineNamesLocalPacksAndPacksSharingAnEdition(t *testing.T) {
	shipped := compileTestPack(t, enginePack)
	local := compileTestPack(t, strings.Replace(enginePack, "id: test", "id: local", 1))
	local.Pack.Local = true
	check := func(packs ...*CompiledPack) map[string]bool {
		e := &Engine{Packs: packs, Calendar: testCalendar(t)}
		findings, _ := e.Check(testCase(), record.Date{})
		named := map[string]bool{}
		for _, f := range findings {
			named[f.Pack] = true
		}
		return named
	}
	if got := check(shipped); len(got) != 1 || !got[""] {
		t.Errorf("one shipped pack: findings name %v", keys(got))
	}
	if got := check(local); len(got) != 1 || !got["local"] {
		t.Errorf("a local pack: findings name %v", keys(got))
	}
	other := compileTestPack(t, strings.Replace(enginePack, "id: test", "id: other", 1))
	if got := check(shipped, other); len(got) != 2 || !got["test"] || !got["other"] {
		t.Errorf("two packs of one edition: findings name %v", keys(got))
	}
}

const intervalPack = `
id: intervals
edition: "test"
title: Test pack
document: Test guidance
in_force: {from: 2020-01-01}
rules:
  - id: review-interval
    title: Reviews no more than 6 months apart
    severity: breach
    citation: {chapter: "1"}
    scope: plan
    when: plan.kind == 'child_protection'
    each: referral.reviewsOf(plan).filter(k, k.date != null)
    subject: item.id
    item_when: item.outcome != 'end_plan'
    deadline:
      start: item.date
      within: 6 months
      done: earliest(referral.reviewsOf(plan).filter(k, k.date != null && k.date > item.date).map(k, k.date))
      lapse: plan.ended
  - id: visits
    title: Child visited
    severity: warning
    citation: {chapter: "1"}
    scope: plan
    needs: [plans.visits]
    when: plan.kind == 'child_protection'
    each: "[plan.started] + plan.visits.filter(v, v.seen && v.date > plan.started).map(v, v.date)"
    subject: plan.id + '@' + isoDate(item)
    deadline:
      start: item
      within: 10 working days
      done: earliest(plan.visits.filter(v, v.seen && v.date > item).map(v, v.date))
      lapse: plan.ended
`

// Subjects as findings-format.md names them: a review that opens no interval (it ends the
// plan) is the subject of its not_applicable finding, not the plan; a visit interval whose
// visits the source cannot record is P1@<plan start>, not P1.
func TestIntervalSubjects(t *testing.T) {
	cp := compileTestPack(t, intervalPack)
	e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
	d := record.MustDate
	c := &record.Case{CaseID: "C-1", ExtractDate: d("2024-12-31"), Referrals: []*record.Referral{{
		ID: "R1", Received: d("2024-01-02"),
		Conferences: []*record.Conference{
			{ID: "K1", Kind: "initial", Date: d("2024-01-29"), Outcome: "plan"},
			{ID: "K2", Kind: "review", PlanID: "P1", Date: d("2024-04-22"), Outcome: "end_plan"},
			{ID: "K3", Kind: "review", PlanID: "P2", Date: d("2024-04-22"), Outcome: "continue"},
			{ID: "K4", Kind: "review", PlanID: "P2", Date: d("2024-09-30"), Outcome: "end_plan"},
		},
		Plans: []*record.Plan{
			{ID: "P1", Kind: "child_protection", Started: d("2024-01-29"), Ended: d("2024-04-22"), EndReason: "conference"},
			{ID: "P2", Kind: "child_protection", Started: d("2024-01-29"), Ended: d("2024-09-30"), EndReason: "conference"},
		},
	}}}
	findings, errs := e.Check(c, record.Date{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, f := range findings {
		if f.Rule == "review-interval" {
			got = append(got, f.Subject+" "+string(f.Status))
		}
	}
	want := []string{"K2 not_applicable", "K3 met", "K4 not_applicable"}
	if !slices.Equal(got, want) {
		t.Errorf("review-interval = %v, want %v", got, want)
	}

	c.Provenance.Lacks = []string{"plans.visits"}
	findings, _ = e.Check(c, record.Date{})
	got = nil
	for _, f := range findings {
		if f.Rule == "visits" {
			got = append(got, f.Subject+" "+string(f.Status))
		}
	}
	want = []string{"P1@2024-01-29 insufficient_data", "P2@2024-01-29 insufficient_data"}
	if !slices.Equal(got, want) {
		t.Errorf("visits on a source that cannot record them = %v, want %v", got, want)
	}
}

func TestItemWhenGoesWithEach(t *testing.T) {
	_, err := ParsePack("p.yaml", []byte(`id: p
edition: "test"
title: T
document: D
in_force: {from: 2020-01-01}
rules:
  - id: r
    title: R
    severity: breach
    citation: {chapter: "1"}
    scope: plan
    item_when: item.outcome != 'end_plan'
    assert: "true"
`))
	if err == nil || !strings.Contains(err.Error(), "p.yaml:7:5: r: item_when goes with each") {
		t.Errorf("item_when without each: %v", err)
	}
}

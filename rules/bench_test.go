package rules_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// longRecordSize is how many visits, reviews or enquiries the long-record benchmarks give one
// case: far more than any real child's record, so that work growing faster than the record
// shows at once.
var longRecordSize = 100_000

// longPlan is one child protection plan of n seen visits, one a day from 1 January 1920, the
// child seen at each: every visit opens an interval of the visit-interval rule.
func longPlan(n int) *record.Case {
	start := record.MustDate("1920-01-01")
	plan := &record.Plan{ID: "P1", Kind: "child_protection", Started: start}
	for i := range n {
		plan.Visits = append(plan.Visits, &record.Visit{Date: start.AddDays(i + 1), Seen: true})
	}
	return longCase(&record.Referral{ID: "R1", Received: start.AddDays(-30), Plans: []*record.Plan{plan}})
}

// manyReviews is one plan reviewed n times, a day apart.
func manyReviews(n int) *record.Case {
	start := record.MustDate("1920-01-01")
	r := &record.Referral{ID: "R1", Received: start.AddDays(-30),
		Plans: []*record.Plan{{ID: "P1", Kind: "child_protection", Started: start}}}
	for i := range n {
		r.Conferences = append(r.Conferences, &record.Conference{ID: fmt.Sprintf("K%d", i), Kind: "review", PlanID: "P1", Date: start.AddDays(i + 1)})
	}
	return longCase(r)
}

// manyEnquiries is one referral of n objects: n/5 section 47 enquiries, each with its own
// strategy discussion and initial conference, and a plan with one review.
func manyEnquiries(n int) *record.Case {
	start := record.MustDate("1920-01-01")
	r := &record.Referral{ID: "R1", Received: start}
	for i := range n / 5 {
		day := start.AddDays(i)
		r.StrategyDiscussions = append(r.StrategyDiscussions, &record.StrategyDiscussion{ID: fmt.Sprintf("D%d", i), Date: day, Agencies: []string{"social_care", "police", "health"}})
		r.S47Enquiries = append(r.S47Enquiries, &record.S47Enquiry{ID: fmt.Sprintf("S%d", i), Started: day, Outcome: "icpc"})
		r.Conferences = append(r.Conferences, &record.Conference{ID: fmt.Sprintf("K%d", i), Kind: "initial", S47ID: fmt.Sprintf("S%d", i), Date: day.AddDays(10)})
		r.Plans = append(r.Plans, &record.Plan{ID: fmt.Sprintf("P%d", i), Kind: "child_protection", Started: day.AddDays(10), Ended: day.AddDays(40), EndReason: "turned_18"})
		r.Conferences = append(r.Conferences, &record.Conference{ID: fmt.Sprintf("V%d", i), Kind: "review", PlanID: fmt.Sprintf("P%d", i), Date: day.AddDays(40), Outcome: "end_plan"})
	}
	return longCase(r)
}

func longCase(r *record.Referral) *record.Case {
	return &record.Case{CaseID: "LONG", ExtractDate: record.MustDate("2199-12-31"),
		Child: record.Child{BirthDate: record.MustDate("1919-06-01")}, Referrals: []*record.Referral{r}}
}

// BenchmarkLongRecord checks one record of 100,000 visits (or reviews, or enquiries) under
// one edition; ns/op is the whole record. A rule whose work grows faster than the record
// shows here as minutes instead of a fraction of a second.
func BenchmarkLongRecord(b *testing.B) {
	e, err := rules.Engine("2018")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		make func(int) *record.Case
	}{
		{"visits", longPlan},
		{"reviews", manyReviews},
		{"enquiries", manyEnquiries},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := bc.make(longRecordSize)
			if err := record.Validate(c); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, errs := e.Check(c, record.Date{}); len(errs) > 0 {
					b.Fatal(errs[0])
				}
			}
		})
	}
}

func init() {
	if n, err := strconv.Atoi(os.Getenv("WTCHECK_LONG")); err == nil {
		longRecordSize = n
	}
}

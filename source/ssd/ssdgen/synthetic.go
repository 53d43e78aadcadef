package ssdgen

import (
	"fmt"
	"math/rand/v2"

	"github.com/wtcheck/wtcheck/record"
)

// Synthetic makes n synthetic case records (no real child) that the SSD can hold whole:
// referrals with single assessments, section 47 enquiries whose strategy discussion is on
// their start date, initial conferences, child protection plans with reviews and visits, and
// child-in-need plans; with the facts the SSD cannot record left out. The same n, seed and
// extract date give the same records. Case ids are SSD-00001, SSD-00002, …
func Synthetic(n int, seed uint64, extract record.Date) []*record.Case {
	rng := rand.New(rand.NewPCG(seed, 0x55d))
	out := make([]*record.Case, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, synthetic(rng, fmt.Sprintf("SSD-%05d", i), extract))
	}
	return out
}

func synthetic(rng *rand.Rand, id string, extract record.Date) *record.Case {
	days := func(lo, hi int) int { return lo + rng.IntN(hi-lo+1) }
	before := func(d record.Date) bool { return !d.After(extract) }
	c := &record.Case{
		Format: record.CaseFormat, CaseID: id, ExtractDate: extract,
		Child:     record.Child{ID: id, Disabled: rng.IntN(5) == 0},
		Referrals: []*record.Referral{},
	}
	first := extract.AddDays(-days(60, 700))
	if rng.IntN(12) == 0 {
		c.Child.ExpectedBirthDate = first.AddDays(days(20, 200))
	} else {
		c.Child.BirthDate = first.AddDays(-days(200, 6400))
	}
	received := first
	for r := 1; r <= 1+rng.IntN(2) && before(received); r++ {
		ref := &record.Referral{
			ID: fmt.Sprintf("R%d", r), Received: received, Source: []string{"1A", "2B", "5A", "6"}[rng.IntN(4)],
			Assessments: []*record.Assessment{}, StrategyDiscussions: []*record.StrategyDiscussion{},
			S47Enquiries: []*record.S47Enquiry{}, Conferences: []*record.Conference{}, Plans: []*record.Plan{},
		}
		c.Referrals = append(c.Referrals, ref)
		switch rng.IntN(5) {
		case 0:
			ref.Outcome = "no_further_action"
			ref.Closed = received.AddDays(days(1, 5))
		case 1, 2:
			ref.Outcome = "assessment"
		default:
			ref.Outcome = "s47"
		}
		if ref.Outcome != "no_further_action" {
			a := &record.Assessment{ID: "A1", Kind: "single", Started: received.AddDays(days(0, 4))}
			if rng.IntN(4) > 0 {
				a.Completed = received.AddDays(days(20, 80))
			}
			if rng.IntN(6) > 0 {
				a.Seen = []record.Date{a.Started}
			} else {
				a.Seen = []record.Date{}
			}
			ref.Assessments = append(ref.Assessments, a)
		}
		var plan *record.Plan
		if ref.Outcome == "s47" {
			start := received.AddDays(days(0, 3))
			sd := &record.StrategyDiscussion{ID: "SD1", Date: start}
			s := &record.S47Enquiry{ID: "S1", StrategyDiscussionID: "SD1", Started: start}
			ref.StrategyDiscussions = append(ref.StrategyDiscussions, sd)
			ref.S47Enquiries = append(ref.S47Enquiries, s)
			if rng.IntN(3) == 0 {
				s.Outcome = "no_further_action"
				s.Completed = start.AddDays(days(5, 20))
			} else {
				s.Outcome = "icpc"
				s.Completed = start.AddDays(days(5, 15))
				k := &record.Conference{ID: "K1", Kind: "initial", S47ID: "S1", Date: start.AddDays(days(10, 30))}
				if rng.IntN(8) == 0 || !before(k.Date) {
					k.Date = record.Date{} // not yet held
				} else {
					k.Outcome = "plan"
					ref.Conferences = append(ref.Conferences, k)
					plan = &record.Plan{ID: "P1", Kind: "child_protection", Started: k.Date,
						Category: []string{"neglect", "emotional", "physical", "sexual", "multiple"}[rng.IntN(5)], Visits: []*record.Visit{}}
					ref.Plans = append(ref.Plans, plan)
				}
			}
		} else if ref.Outcome == "assessment" && rng.IntN(2) == 0 {
			cin := &record.Plan{ID: "P1", Kind: "child_in_need", Started: received.AddDays(days(30, 60)), Visits: []*record.Visit{}}
			if before(cin.Started) {
				ref.Plans = append(ref.Plans, cin)
			}
		}
		if plan != nil {
			// Reviews: the first at about three months, then about every six, until the
			// plan ends at one or the extract is reached.
			at, n := plan.Started.Time().AddDate(0, 2+rng.IntN(2), days(0, 25)), 2
			for before(record.DateOf(at)) {
				k := &record.Conference{ID: fmt.Sprintf("K%d", n), Kind: "review", PlanID: "P1", Date: record.DateOf(at), Outcome: "continue"}
				ref.Conferences = append(ref.Conferences, k)
				n++
				if rng.IntN(3) == 0 {
					k.Outcome = "end_plan"
					plan.Ended = k.Date
					break
				}
				at = at.AddDate(0, 5+rng.IntN(2), days(0, 30))
			}
			end := extract
			if !plan.Ended.IsZero() {
				end = plan.Ended
			}
			for d := plan.Started.AddDays(days(3, 12)); !d.After(end); d = d.AddDays(days(4, 18)) {
				plan.Visits = append(plan.Visits, &record.Visit{Date: d, Seen: rng.IntN(6) > 0, SeenAlone: rng.IntN(2) == 0})
			}
		}
		if ref.Outcome != "s47" || plan == nil {
			if rng.IntN(2) == 0 {
				ref.Closed = received.AddDays(days(60, 200))
				if !before(ref.Closed) {
					ref.Closed = record.Date{}
				}
			}
		}
		received = received.AddDays(days(120, 400))
	}
	return c
}

package record

import (
	"strings"
	"testing"
)

// TestValidatePaths holds every problem Validate finds inside a referral to its wording and
// its path, as the path is only made for a problem found (validator's at).
func TestValidatePaths(t *testing.T) {
	c := &Case{CaseID: "C-1", ExtractDate: MustDate("2024-03-31"), Child: Child{ID: "K\xff"}, Referrals: []*Referral{
		{ID: "R1", Received: MustDate("2024-01-02")},
		nil,
		{ID: "R1",
			Assessments:         []*Assessment{{ID: "A1", Kind: "weekly"}, nil, {ID: ""}},
			StrategyDiscussions: []*StrategyDiscussion{{ID: "A1"}, nil},
			S47Enquiries:        []*S47Enquiry{{ID: "S\xff", StrategyDiscussionID: "SD9"}, nil},
			Plans:               []*Plan{{ID: "P1", Kind: "other", Visits: []*Visit{{}, nil}}, nil},
			Conferences:         []*Conference{{ID: "P1", Kind: "party", S47ID: "S9", PlanID: "P9"}, nil},
		},
	}}
	want := []string{
		"child.id is not valid UTF-8",
		"referrals[1] is null",
		"referrals[2].id duplicates another referral's id",
		"referrals[2].received is required",
		"referrals[2].assessments[0].kind is not one of " + strings.Join(assessmentKinds, ", "),
		"referrals[2].assessments[1] is null",
		"referrals[2].assessments[2].id is required",
		"referrals[2].strategy_discussions[0].id duplicates the id of referrals[2].assessments[0]",
		"referrals[2].strategy_discussions[1] is null",
		"referrals[2].s47_enquiries[0].id is not valid UTF-8",
		"referrals[2].s47_enquiries[0].strategy_discussion_id names no strategy discussion of this referral",
		"referrals[2].s47_enquiries[1] is null",
		"referrals[2].plans[0].kind is not one of " + strings.Join(planKinds, ", "),
		"referrals[2].plans[0].visits[1] is null",
		"referrals[2].plans[1] is null",
		"referrals[2].conferences[0].id duplicates the id of referrals[2].plans[0]",
		"referrals[2].conferences[0].kind is not one of " + strings.Join(conferenceKinds, ", "),
		"referrals[2].conferences[0].s47_id names no section 47 enquiry of this referral",
		"referrals[2].conferences[0].plan_id names no plan of this referral",
		"referrals[2].conferences[1] is null",
	}
	err := Validate(c)
	if err == nil {
		t.Fatal("no problem found")
	}
	if got := err.Error(); got != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

package record

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestCollectionsAreEveryListOfAReferral: every list of objects a Referral holds is in
// Collections, in the order of the struct (the case format's), with its JSON name, so that a
// new collection cannot be added to the model and missed by the walks that go through it.
func TestCollectionsAreEveryListOfAReferral(t *testing.T) {
	var want []string
	rt := reflect.TypeFor[Referral]()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Pointer {
			want = append(want, strings.Split(f.Tag.Get("json"), ",")[0])
		}
	}
	var got []string
	for _, c := range Collections {
		got = append(got, c.Field)
		if CollectionOf(c.Object) != c {
			t.Errorf("CollectionOf(%q) is not %s", c.Object, c.Field)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Collections = %v, want the referral's lists %v", got, want)
	}
	if CollectionOf("visit") != nil {
		t.Error("CollectionOf(visit): visits belong to a plan, not a referral")
	}
}

// TestObjectsInOrder: Objects yields every object that is not null, collection by
// collection, and Case.Objects counts them with the list elements they hold.
func TestObjectsInOrder(t *testing.T) {
	d := MustDate("2024-01-02")
	r := &Referral{ID: "R1", Received: d,
		Assessments:         []*Assessment{{ID: "A1", Seen: []Date{d, d}}, nil},
		StrategyDiscussions: []*StrategyDiscussion{{ID: "D1", Agencies: []string{"police"}}},
		S47Enquiries:        []*S47Enquiry{{ID: "S1"}},
		Conferences:         []*Conference{{ID: "K1"}, {ID: "K2"}},
		Plans:               []*Plan{{ID: "P1", CoreGroups: []Date{d}, Visits: []*Visit{{Date: d}}}},
	}
	var got []string
	for c, o := range r.Objects() {
		got = append(got, c.Object+":"+o.ObjectID())
	}
	want := []string{"assessment:A1", "strategy_discussion:D1", "s47_enquiry:S1", "conference:K1", "conference:K2", "plan:P1"}
	if !slices.Equal(got, want) {
		t.Errorf("Objects = %v, want %v", got, want)
	}
	r.Assessments = r.Assessments[:1]
	c := &Case{CaseID: "C1", Child: Child{Circumstances: []string{"young_carer"}}, Referrals: []*Referral{r}}
	// case 1 + circumstance 1 + referral 1 + A1 3 + D1 2 + S1 1 + K1, K2 2 + P1 3
	if n := c.Objects(); n != 14 {
		t.Errorf("Objects() = %d, want 14", n)
	}
}

package record

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Validate checks what the case format requires of a record beyond its JSON types: required
// fields, real dates, known kinds, unique ids and references that resolve. It returns every
// problem at once, each naming the field's path, and never quotes the record's contents, so
// errors can be logged. An event after the extract date is not an error but a warning
// (Warnings): the record is checked as it stood on its extract date.
func Validate(c *Case) error {
	v := validator{}
	if c.CaseID == "" {
		v.add("case_id", "is required")
	}
	// A JSON record that is not UTF-8 is refused before it is decoded; this catches a case
	// built another way (an importer), whose ids must stay themselves in every report.
	v.utf8Path("case_id", c.CaseID)
	v.utf8Path("child.id", c.Child.ID)
	if c.Format != "" && c.Format != CaseFormat {
		v.add("format", "is not "+CaseFormat)
	}
	// Paths cost a formatted string per date, so they are built only for a record that has a
	// bad date, on a second walk.
	bad := false
	c.walkDates(false, func(_ string, d *Date, _ bool) { bad = bad || d.invalidReason() != "" })
	if bad {
		c.walkDates(true, func(path string, d *Date, _ bool) {
			if r := d.invalidReason(); r != "" {
				v.add(path, r)
			}
		})
	}
	referralIDs := map[string]bool{}
	for i, r := range c.Referrals {
		p := at{referral: i}
		if r == nil {
			v.add(p.String(), "is null")
			continue
		}
		v.utf8(p, "id", r.ID)
		if r.ID != "" {
			if referralIDs[r.ID] {
				v.add(p.field("id"), "duplicates another referral's id")
			}
			referralIDs[r.ID] = true
		}
		if r.Received.IsZero() {
			v.add(p.field("received"), "is required")
		}
		v.referral(p, r)
	}
	return v.err()
}

// at is where an object of the record is, its path made only for a problem found there: a
// path formatted for every object of every record was most of what validating cost.
type at struct {
	referral int
	list     string // the referral's list the object is in ("plans"); "" for the referral
	i        int    // its index in the list
}

// String is the object's path: referrals[0], or referrals[0].plans[2].
func (a at) String() string {
	if a.list == "" {
		return fmt.Sprintf("referrals[%d]", a.referral)
	}
	return fmt.Sprintf("referrals[%d].%s[%d]", a.referral, a.list, a.i)
}

// field is the path of one of the object's fields.
func (a at) field(name string) string { return a.String() + "." + name }

// in is where the i-th object of the referral's list is.
func (a at) in(list string, i int) at { return at{referral: a.referral, list: list, i: i} }

type validator struct{ problems []error }

func (v *validator) add(path, problem string) {
	v.problems = append(v.problems, fmt.Errorf("%s %s", path, problem))
}

func (v *validator) err() error { return errors.Join(v.problems...) }

// referral checks ids and references inside one referral: ids are unique across all the
// referral's objects, because a finding's subject is an id alone.
func (v *validator) referral(p at, r *Referral) {
	ids := map[string]at{}
	seen := func(path at, id string) {
		if id == "" {
			v.add(path.field("id"), "is required")
			return
		}
		v.utf8(path, "id", id)
		if other, dup := ids[id]; dup {
			v.add(path.field("id"), "duplicates the id of "+other.String())
			return
		}
		ids[id] = path
	}
	discussions := map[string]bool{}
	enquiries := map[string]bool{}
	plans := map[string]bool{}
	for i, a := range r.Assessments {
		ap := p.in("assessments", i)
		if a == nil {
			v.add(ap.String(), "is null")
			continue
		}
		seen(ap, a.ID)
		v.enum(ap, "kind", a.Kind, assessmentKinds)
	}
	for i, d := range r.StrategyDiscussions {
		dp := p.in("strategy_discussions", i)
		if d == nil {
			v.add(dp.String(), "is null")
			continue
		}
		seen(dp, d.ID)
		discussions[d.ID] = true
	}
	for i, s := range r.S47Enquiries {
		sp := p.in("s47_enquiries", i)
		if s == nil {
			v.add(sp.String(), "is null")
			continue
		}
		seen(sp, s.ID)
		enquiries[s.ID] = true
		if s.StrategyDiscussionID != "" && !discussions[s.StrategyDiscussionID] {
			v.add(sp.field("strategy_discussion_id"), "names no strategy discussion of this referral")
		}
	}
	for i, pl := range r.Plans {
		pp := p.in("plans", i)
		if pl == nil {
			v.add(pp.String(), "is null")
			continue
		}
		seen(pp, pl.ID)
		plans[pl.ID] = true
		v.enum(pp, "kind", pl.Kind, planKinds)
		for j, vis := range pl.Visits {
			if vis == nil {
				v.add(fmt.Sprintf("%s.visits[%d]", pp, j), "is null")
			}
		}
	}
	for i, k := range r.Conferences {
		kp := p.in("conferences", i)
		if k == nil {
			v.add(kp.String(), "is null")
			continue
		}
		seen(kp, k.ID)
		v.enum(kp, "kind", k.Kind, conferenceKinds)
		if k.S47ID != "" && !enquiries[k.S47ID] {
			v.add(kp.field("s47_id"), "names no section 47 enquiry of this referral")
		}
		if k.PlanID != "" && !plans[k.PlanID] {
			v.add(kp.field("plan_id"), "names no plan of this referral")
		}
	}
}

// utf8 reports a field of the object at a that is not UTF-8.
func (v *validator) utf8(a at, field, value string) {
	if !utf8.ValidString(value) {
		v.add(a.field(field), "is not valid UTF-8")
	}
}

// utf8Path reports a field of the record, named by its path, that is not UTF-8.
func (v *validator) utf8Path(path, value string) {
	if !utf8.ValidString(value) {
		v.add(path, "is not valid UTF-8")
	}
}

// enum reports a field of the object at a whose value is not one of allowed.
func (v *validator) enum(a at, field, value string, allowed []string) {
	if value != "" && !slices.Contains(allowed, value) {
		v.add(a.field(field), "is not one of "+strings.Join(allowed, ", "))
	}
}

package record

import "fmt"

// Warning is a doubt about one field of a record that is still checked: the field's path
// (referrals[0].conferences[1].date) and what is doubtful, never the field's value. Whoever
// reads the record adds where it is (file, position, id) when it reports the warning.
type Warning struct {
	Path    string
	Warning string
}

// Warnings lists what is doubtful in a valid record that is still checked (case-format.md,
// "The as-of date"): each event dated after the extract date (FutureDated) and each pair of
// dates in an order that cannot be (ImpossibleOrders). Each names the field's path and never
// its value; the reader of the record adds the file, the position and the case id.
func Warnings(c *Case) []Warning {
	return append(FutureDated(c), ImpossibleOrders(c)...)
}

// FutureDatedWarning is what a warning about an event after the extract date says.
const FutureDatedWarning = "is after the extract date: counted as not yet happened"

// FutureDated lists every event dated after the record's extract date: a review conference
// already booked, a date typed a year out. The check sees the record as it stood on its
// extract date (ViewAt), so such an event counts as not yet happened; the warning says so.
// Planned dates (an expected birth date) are not events.
func FutureDated(c *Case) []Warning {
	if c.ExtractDate.IsZero() || !c.hasEventAfter(c.ExtractDate) {
		return nil
	}
	var out []Warning
	c.walkDates(true, func(path string, d *Date, event bool) {
		if event && !d.IsZero() && d.After(c.ExtractDate) {
			out = append(out, Warning{Path: path, Warning: FutureDatedWarning})
		}
	})
	return out
}

// preBirthReferralDays is how long before a child's birth a referral can be received: the
// census validation rule 8606 (a referral no more than 280 days, 40 weeks, before the date of
// birth or the expected one), because pre-birth referrals are real and earlier ones are not.
const preBirthReferralDays = 280

// ImpossibleOrders lists dates in an order that cannot be: a plan that ends before it
// starts, an assessment or an enquiry completed before it started, a decision or a closure
// before the referral was received, a conference before the enquiry or the plan it belongs to
// began, a referral received more than 40 weeks before the child's birth. The record is still
// checked as it is (a rule may then find a deadline met before it started); the warning asks
// for the record to be corrected. Paths are formatted only for what is reported.
func ImpossibleOrders(c *Case) []Warning {
	var out []Warning
	add := func(warning, format string, args ...any) {
		out = append(out, Warning{Path: fmt.Sprintf(format, args...), Warning: warning})
	}
	before := func(later, earlier Date) bool { return !later.IsZero() && !earlier.IsZero() && later.Before(earlier) }
	born := c.Child.BirthDate
	if born.IsZero() {
		born = c.Child.ExpectedBirthDate
	}
	for i, r := range c.Referrals {
		if r == nil {
			continue
		}
		if !born.IsZero() && before(r.Received, born.AddDays(-preBirthReferralDays)) {
			add("is more than 40 weeks before the child's birth date", "referrals[%d].received", i)
		}
		if before(r.Decision, r.Received) {
			add("is before the referral was received", "referrals[%d].decision", i)
		}
		if before(r.Closed, r.Received) {
			add("is before the referral was received", "referrals[%d].closed", i)
		}
		for j, a := range r.Assessments {
			if a != nil && before(a.Completed, a.Started) {
				add("is before the assessment started", "referrals[%d].assessments[%d].completed", i, j)
			}
		}
		for j, s := range r.S47Enquiries {
			if s != nil && before(s.Completed, s.Started) {
				add("is before the enquiry started", "referrals[%d].s47_enquiries[%d].completed", i, j)
			}
		}
		for j, p := range r.Plans {
			if p != nil && before(p.Ended, p.Started) {
				add("is before the plan started", "referrals[%d].plans[%d].ended", i, j)
			}
		}
		for j, k := range r.Conferences {
			if k == nil || k.Date.IsZero() {
				continue
			}
			if s := enquiryByID(r, k.S47ID); s != nil && before(k.Date, s.Started) {
				add("is before its section 47 enquiry started", "referrals[%d].conferences[%d].date", i, j)
			}
			if p := planByID(r, k.PlanID); p != nil && before(k.Date, p.Started) {
				add("is before its plan started", "referrals[%d].conferences[%d].date", i, j)
			}
		}
	}
	return out
}

// enquiryByID and planByID find what a conference names; a referral holds a handful, so a
// scan is cheaper than a map.
func enquiryByID(r *Referral, id string) *S47Enquiry {
	for _, s := range r.S47Enquiries {
		if id != "" && s != nil && s.ID == id {
			return s
		}
	}
	return nil
}

func planByID(r *Referral, id string) *Plan {
	for _, p := range r.Plans {
		if id != "" && p != nil && p.ID == id {
			return p
		}
	}
	return nil
}

package record

// AsOf returns the case as it stood at the end of day d: events after d have not happened
// yet, so objects that begin after d are removed and dates after d are cleared, with the
// outcomes decided on those dates. It lets an audit reproduce what a check on a past day
// would have said. The receiver is not changed; when nothing happened after d it is returned
// as it is.
func (c *Case) AsOf(d Date) *Case {
	if d.IsZero() || !c.hasEventAfter(d) {
		return c
	}
	after := func(x Date) bool { return !x.IsZero() && x.After(d) }
	clear := func(x Date) Date {
		if after(x) {
			return Date{}
		}
		return x
	}
	keepDates := func(ds []Date) []Date {
		var out []Date
		for _, x := range ds {
			if !after(x) {
				out = append(out, x)
			}
		}
		return out
	}

	out := *c
	out.ExtractDate = d
	out.Referrals = nil
	for _, r := range c.Referrals {
		if after(r.Received) {
			continue
		}
		nr := *r
		if after(nr.Decision) {
			nr.Outcome = ""
		}
		nr.Decision = clear(nr.Decision)
		nr.Closed = clear(nr.Closed)
		nr.HousingReferral = clear(nr.HousingReferral)
		nr.EarlyHelpConsidered = clear(nr.EarlyHelpConsidered)

		nr.Assessments = nil
		for _, a := range r.Assessments {
			if after(a.Started) {
				continue
			}
			na := *a
			na.Completed = clear(na.Completed)
			na.Seen = keepDates(na.Seen)
			nr.Assessments = append(nr.Assessments, &na)
		}

		kept := map[string]bool{}
		nr.StrategyDiscussions = nil
		for _, s := range r.StrategyDiscussions {
			if after(s.Date) {
				continue
			}
			kept[s.ID] = true
			nr.StrategyDiscussions = append(nr.StrategyDiscussions, s)
		}

		nr.S47Enquiries = nil
		for _, s := range r.S47Enquiries {
			if after(s.Started) {
				continue
			}
			ns := *s
			if after(ns.Completed) {
				ns.Outcome = ""
			}
			ns.Completed = clear(ns.Completed)
			ns.Seen = clear(ns.Seen)
			if ns.StrategyDiscussionID != "" && !kept[ns.StrategyDiscussionID] {
				ns.StrategyDiscussionID = ""
			}
			kept[ns.ID] = true
			nr.S47Enquiries = append(nr.S47Enquiries, &ns)
		}

		nr.Plans = nil
		for _, p := range r.Plans {
			if after(p.Started) {
				continue
			}
			np := *p
			if after(np.Ended) {
				np.EndReason = ""
			}
			np.Ended = clear(np.Ended)
			np.CoreGroups = keepDates(np.CoreGroups)
			np.Visits = nil
			for _, v := range p.Visits {
				if !after(v.Date) {
					np.Visits = append(np.Visits, v)
				}
			}
			kept[np.ID] = true
			nr.Plans = append(nr.Plans, &np)
		}

		nr.Conferences = nil
		for _, k := range r.Conferences {
			if (k.S47ID != "" && !kept[k.S47ID]) || (k.PlanID != "" && !kept[k.PlanID]) || after(k.Notified) {
				continue
			}
			if after(k.Date) {
				// A transfer-in conference whose move was already notified was due then: it
				// stays, not yet held. Any other conference had not happened yet.
				if k.Notified.IsZero() {
					continue
				}
				nk := *k
				nk.Date, nk.Outcome = Date{}, ""
				k = &nk
			}
			nr.Conferences = append(nr.Conferences, k)
		}
		out.Referrals = append(out.Referrals, &nr)
	}
	return &out
}

// ViewAt is the case as a check made as at day sees it: as it stood on day, or on its extract
// date when that is earlier. An event dated after the export is a booking or a mistake, not
// something the record shows has happened, so it counts as not yet happened even when the
// check is made as at a later day (case-format.md, "The as-of date"); a deadline that it would
// have met is then judged as open at day. FutureDated warns of each such event.
func (c *Case) ViewAt(day Date) *Case {
	if !c.ExtractDate.IsZero() && (day.IsZero() || c.ExtractDate.Before(day)) {
		day = c.ExtractDate
	}
	return c.AsOf(day)
}

// hasEventAfter reports whether an event of the case (a date walkDates marks as one) falls
// after d. It runs on every record, twice (the as-of view and the future-dated warning), so
// it reads the dates in typed loops and stops at the first, where walkDates would make a
// call for every date; TestHasEventAfterAsWalkDates holds the two to the same answer.
func (c *Case) hasEventAfter(d Date) bool {
	after := func(x Date) bool { return !x.IsZero() && x.After(d) }
	anyAfter := func(xs []Date) bool {
		for _, x := range xs {
			if after(x) {
				return true
			}
		}
		return false
	}
	if after(c.Child.BirthDate) {
		return true
	}
	for _, r := range c.Referrals {
		if r == nil {
			continue
		}
		if after(r.Received) || after(r.Decision) || after(r.Closed) || after(r.HousingReferral) || after(r.EarlyHelpConsidered) {
			return true
		}
		for _, o := range r.Assessments {
			if o != nil && (after(o.Started) || after(o.Completed) || anyAfter(o.Seen)) {
				return true
			}
		}
		for _, o := range r.StrategyDiscussions {
			if o != nil && after(o.Date) {
				return true
			}
		}
		for _, o := range r.S47Enquiries {
			if o != nil && (after(o.Started) || after(o.Completed) || after(o.Seen)) {
				return true
			}
		}
		for _, o := range r.Conferences {
			if o != nil && (after(o.Notified) || after(o.Date)) {
				return true
			}
		}
		for _, o := range r.Plans {
			if o == nil {
				continue
			}
			if after(o.Started) || after(o.Ended) || anyAfter(o.CoreGroups) {
				return true
			}
			for _, v := range o.Visits {
				if v != nil && after(v.Date) {
					return true
				}
			}
		}
	}
	return false
}

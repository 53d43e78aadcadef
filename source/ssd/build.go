package ssd

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source"
)

// Format is the provenance.format of the records this source makes.
const Format = "ssd"

// The proxies every SSD record carries (provenance.proxies), and the prefixes that keep the
// ids of two tables apart where both feed one list of the case format.
const (
	proxyDiscussion = "strategy_discussions.date: the section 47 start date (s47e_s47_start_date), which the SSD defines as the date of the strategy discussion that initiated the enquiry"
	proxySeen       = "assessments.seen: the child-seen flag (cina_assessment_child_seen), dated on the assessment's start"

	prefixICPC       = "icpc:"
	prefixReview     = "review:"
	prefixCPPlan     = "cp:"
	prefixCINPlan    = "cin:"
	prefixDiscussion = "SD-"
)

// builder turns one person's rows into a case record, collecting every problem.
type builder struct {
	problems []string
	warnings []record.Warning
	due      []record.SystemDue
}

func (b *builder) problem(x *row, col, what string) {
	b.problems = append(b.problems, where(x, col)+": "+what)
}

func (b *builder) date(x *row, col string) record.Date {
	d, reason := parseDate(x.get(col))
	if reason != "" {
		b.problem(x, col, reason)
	}
	return d
}

func (b *builder) flag(x *row, col string) flag {
	f, reason := parseFlag(x.get(col))
	if reason != "" {
		b.problem(x, col, reason)
	}
	return f
}

// outcomes reads an outcome JSON column; text that is not JSON is a warning (System C does
// not escape comments), its flags read from the text as far as they can be.
func (b *builder) outcomes(x *row, col string) map[string]bool {
	f, ok := outcomes(x.get(col))
	if !ok {
		b.warnings = append(b.warnings, record.Warning{Path: where(x, col), Warning: "is not valid JSON (a comment with a quote or a line break?): its flags were read from their \"KEY_FLAG\": \"Y\" pairs"})
	}
	return f
}

// Lacks lists what the SSD cannot record, as provenance.lacks paths with a reason each, for
// every record and for `wtcheck import --coverage ssd`.
func Lacks() []source.Gap {
	return []source.Gap{
		{Path: "decision", Reason: "the SSD records the day a referral was received (cine_referral_date), not the day the decision on the response was made"},
		{Path: "strategy_discussions.agencies", Reason: "the SSD has no strategy discussions: each is a proxy dated on the section 47 start (s47e_s47_start_date), with no record of who took part"},
		{Path: "assessments.seen_alone", Reason: "ssd_cin_assessments records whether the child was seen, not whether alone"},
		{Path: "assessments.wishes_recorded", Reason: "the SSD does not link the child's wishes and feelings to an assessment"},
		{Path: "s47_enquiries.seen", Reason: "ssd_s47_enquiry does not record the child being seen"},
		{Path: "s47_enquiries.seen_alone", Reason: "ssd_s47_enquiry does not record the child being seen alone"},
		{Path: "s47_enquiries.wishes_recorded", Reason: "the SSD does not link the child's wishes and feelings to an enquiry"},
		{Path: "s47_enquiries.not_seen_reason", Reason: "ssd_s47_enquiry does not record why a child was not seen"},
		{Path: "conferences.chair_independent", Reason: "the SSD does not record who chaired a conference"},
		{Path: "conferences.notified", Reason: "ssd_initial_cp_conference marks a transfer-in (icpc_icpc_transfer_in) but not the day the move was notified"},
		{Path: "plans.core_groups", Reason: "the SSD has no core group meetings"},
		{Path: "plans.end_reason", Reason: "ssd_cp_plans records when a plan ended, not why"},
		{Path: "homeless", Reason: "the SSD does not record homelessness"},
		{Path: "housing_referral", Reason: "the SSD does not record a referral to the housing authority"},
		{Path: "housing_referral_refused", Reason: "the SSD does not record a family's refusal of a housing referral"},
		{Path: "early_help_considered", Reason: "an early help episode shows early help was given, its absence not that it was never considered"},
		{Path: "child.circumstances", Reason: "the SSD's assessment factors are what an assessment found, not the early-help indicators known at the referral"},
	}
}

// build makes the record of one person from their rows (exactly one ssd_person row).
func (r *Reader) build(g *[nTables][]*row) Record {
	b := &builder{}
	p := g[tPerson][0]
	id := p.id()
	rec := Record{PersonID: id}
	lacks := make([]string, 0, 24)
	for _, gp := range Lacks() {
		lacks = append(lacks, gp.Path)
	}
	lacks = append(lacks, r.MissingLacks()...)
	c := &record.Case{
		Format:      record.CaseFormat,
		CaseID:      id,
		ExtractDate: r.opts.ExtractDate,
		Child: record.Child{
			ID:                id,
			BirthDate:         b.date(p, "pers_dob"),
			ExpectedBirthDate: b.date(p, "pers_expected_dob"),
		},
		Referrals:  []*record.Referral{},
		Provenance: record.Provenance{Format: Format, Lacks: lacks, Proxies: []string{proxyDiscussion, proxySeen}},
	}
	for _, x := range g[tDisability] {
		if code := x.get("disa_disability_code"); code != "" && !strings.EqualFold(code, "NONE") {
			c.Child.Disabled = true
		}
	}

	referrals := map[string]*record.Referral{}
	for _, x := range g[tEpisodes] {
		ref := &record.Referral{
			ID:                  x.id(),
			Received:            b.date(x, "cine_referral_date"),
			Source:              x.get("cine_referral_source_code"),
			Closed:              b.date(x, "cine_close_date"),
			Assessments:         []*record.Assessment{},
			StrategyDiscussions: []*record.StrategyDiscussion{},
			S47Enquiries:        []*record.S47Enquiry{},
			Conferences:         []*record.Conference{},
			Plans:               []*record.Plan{},
		}
		if ref.ID == "" {
			b.problem(x, "cine_referral_id", "is empty")
			continue
		}
		if _, dup := referrals[ref.ID]; dup {
			b.problem(x, "cine_referral_id", "another row of ssd_cin_episodes has this id")
			continue
		}
		if ref.Received.IsZero() && x.get("cine_referral_date") == "" {
			b.problem(x, "cine_referral_date", "is empty: a referral's date is required")
		}
		json := b.outcomes(x, "cine_referral_outcome_json")
		switch {
		case json["STRATEGY_DISCUSSION_FLAG"] || json["CP_CONFERENCE_FLAG"]:
			ref.Outcome = "s47"
		case json["SINGLE_ASSESSMENT_FLAG"]:
			ref.Outcome = "assessment"
		case b.flag(x, "cine_referral_nfa") == flagYes || json["NFA_FLAG"]:
			ref.Outcome = "no_further_action"
		}
		referrals[ref.ID] = ref
		c.Referrals = append(c.Referrals, ref)
	}
	// lookup finds the referral a row names.
	lookup := func(x *row, col string) *record.Referral {
		id := x.get(col)
		if id == "" {
			b.problem(x, col, "is empty: the row names no referral")
			return nil
		}
		ref := referrals[id]
		if ref == nil {
			b.problem(x, col, "names no referral (ssd_cin_episodes) of this person")
		}
		return ref
	}

	for _, x := range g[tAssessments] {
		ref := lookup(x, "cina_referral_id")
		a := &record.Assessment{
			ID:        x.id(),
			Kind:      "single",
			Started:   b.date(x, "cina_assessment_start_date"),
			Completed: b.date(x, "cina_assessment_auth_date"),
		}
		switch b.flag(x, "cina_assessment_child_seen") {
		case flagYes:
			day := a.Started
			if day.IsZero() {
				day = a.Completed
			}
			a.Seen = []record.Date{day}
		case flagNo:
			a.Seen = []record.Date{}
		}
		if ref != nil {
			ref.Assessments = append(ref.Assessments, a)
		}
	}

	enquiries := map[string]*record.Referral{}
	for _, x := range g[tS47] {
		ref := lookup(x, "s47e_referral_id")
		s := &record.S47Enquiry{
			ID:        x.id(),
			Started:   b.date(x, "s47e_s47_start_date"),
			Completed: b.date(x, "s47e_s47_end_date"),
		}
		json := b.outcomes(x, "s47e_s47_outcome_json")
		switch {
		case json["CP_CONFERENCE_FLAG"]:
			s.Outcome = "icpc"
		case b.flag(x, "s47e_s47_nfa") == flagYes || json["NFA_FLAG"]:
			s.Outcome = "no_further_action"
		}
		if ref == nil {
			continue
		}
		if !s.Started.IsZero() {
			sd := &record.StrategyDiscussion{ID: prefixDiscussion + s.ID, Date: s.Started}
			s.StrategyDiscussionID = sd.ID
			ref.StrategyDiscussions = append(ref.StrategyDiscussions, sd)
		}
		ref.S47Enquiries = append(ref.S47Enquiries, s)
		enquiries[s.ID] = ref
	}

	conferenceRef := map[string]*record.Referral{}
	type transfer struct {
		k    *record.Conference
		ref  *record.Referral
		x    *row
		plan string
	}
	var transfers []transfer
	for _, x := range g[tICPC] {
		k := &record.Conference{
			ID:   prefixICPC + x.id(),
			Kind: "initial",
			Date: b.date(x, "icpc_icpc_date"),
		}
		if b.flag(x, "icpc_icpc_transfer_in") == flagYes {
			k.Kind = "transfer_in"
		}
		switch b.flag(x, "icpc_icpc_outcome_cp_flag") {
		case flagYes:
			k.Outcome = "plan"
		case flagNo:
			k.Outcome = "no_plan"
		default:
			if json := b.outcomes(x, "icpc_icpc_outcome_json"); json != nil {
				if json["CP_FLAG"] {
					k.Outcome = "plan"
				} else if json["NFA_FLAG"] {
					k.Outcome = "no_plan"
				}
			}
		}
		var ref *record.Referral
		if s47 := x.get("icpc_s47_enquiry_id"); s47 != "" {
			ref = enquiries[s47]
			if ref == nil {
				b.problem(x, "icpc_s47_enquiry_id", "names no section 47 enquiry (ssd_s47_enquiry) of this person")
			} else if k.Kind == "initial" {
				k.S47ID = s47
			}
		}
		if rid := x.get("icpc_referral_id"); rid != "" {
			other := referrals[rid]
			switch {
			case other == nil:
				b.problem(x, "icpc_referral_id", "names no referral (ssd_cin_episodes) of this person")
			case ref != nil && other != ref:
				b.problem(x, "icpc_referral_id", "is not the referral of the conference's section 47 enquiry")
			default:
				ref = other
			}
		} else if ref == nil && x.get("icpc_s47_enquiry_id") == "" {
			b.problem(x, "icpc_referral_id", "is empty, and so is icpc_s47_enquiry_id: the conference belongs to no referral")
		}
		if ref == nil {
			continue
		}
		ref.Conferences = append(ref.Conferences, k)
		conferenceRef[x.id()] = ref
		if k.Kind == "transfer_in" {
			transfers = append(transfers, transfer{k, ref, x, x.get("icpc_cp_plan_id")})
		}
		if due := b.date(x, "icpc_icpc_target_date"); !due.IsZero() && k.S47ID != "" {
			b.due = append(b.due, record.SystemDue{Rule: "icpc-timeliness", Subject: k.S47ID, Due: due, Where: rowRef(x, "icpc_icpc_target_date")})
		}
	}

	type cpPlan struct {
		pl  *record.Plan
		ref *record.Referral
	}
	plans := map[string]cpPlan{}
	for _, x := range g[tCPPlans] {
		pl := &record.Plan{
			ID:       prefixCPPlan + x.id(),
			Kind:     "child_protection",
			Started:  b.date(x, "cppl_cp_plan_start_date"),
			Ended:    b.date(x, "cppl_cp_plan_end_date"),
			Category: category(x.get("cppl_cp_plan_latest_category")),
			Visits:   []*record.Visit{},
		}
		var ref *record.Referral
		if x.get("cppl_referral_id") != "" || x.get("cppl_icpc_id") == "" {
			ref = lookup(x, "cppl_referral_id")
		} else if ref = conferenceRef[x.get("cppl_icpc_id")]; ref == nil {
			b.problem(x, "cppl_icpc_id", "names no initial conference (ssd_initial_cp_conference) of this person, and cppl_referral_id is empty")
		}
		if ref == nil {
			continue
		}
		ref.Plans = append(ref.Plans, pl)
		plans[x.id()] = cpPlan{pl, ref}
	}
	for _, tr := range transfers {
		if tr.plan == "" {
			continue
		}
		if p, ok := plans[tr.plan]; !ok || p.ref != tr.ref {
			b.problem(tr.x, "icpc_cp_plan_id", "names no child protection plan (ssd_cp_plans) of the conference's referral")
		} else {
			tr.k.PlanID = p.pl.ID
		}
	}

	type review struct {
		x    *row
		date record.Date
	}
	reviews := map[string][]review{}
	for _, x := range g[tCPReviews] {
		planID := x.get("cppr_cp_plan_id")
		p, ok := plans[planID]
		if !ok {
			b.problem(x, "cppr_cp_plan_id", "names no child protection plan (ssd_cp_plans) of this person")
			continue
		}
		rv := review{x: x, date: b.date(x, "cppr_cp_review_date")}
		reviews[planID] = append(reviews[planID], rv)
		if rv.date.IsZero() {
			continue // booked, not held: only its due date is read
		}
		k := &record.Conference{ID: prefixReview + x.id(), Kind: "review", PlanID: p.pl.ID, Date: rv.date}
		switch b.flag(x, "cppr_cp_review_outcome_continue_cp") {
		case flagYes:
			k.Outcome = "continue"
		case flagNo:
			k.Outcome = "end_plan"
		}
		p.ref.Conferences = append(p.ref.Conferences, k)
	}
	// The system's due date of each review: the first held review's is the plan's first
	// review's; a later one's belongs to the interval the review before it opened; a review
	// booked and not yet held comes after every held one.
	for _, planID := range sortedKeys(reviews) {
		rvs := reviews[planID]
		slices.SortStableFunc(rvs, func(a, b review) int {
			if a.date.IsZero() != b.date.IsZero() {
				if a.date.IsZero() {
					return 1
				}
				return -1
			}
			if c := cmp.Compare(a.date.String(), b.date.String()); c != 0 {
				return c
			}
			return cmp.Compare(a.x.id(), b.x.id())
		})
		for i, rv := range rvs {
			due := b.date(rv.x, "cppr_cp_review_due")
			if due.IsZero() {
				continue
			}
			sd := record.SystemDue{Rule: "first-review-timeliness", Subject: prefixCPPlan + planID, Due: due, Where: rowRef(rv.x, "cppr_cp_review_due")}
			if i > 0 {
				if rvs[i-1].date.IsZero() {
					continue // a second review booked: only the next one is due
				}
				sd.Rule, sd.Subject = "review-interval", prefixReview+rvs[i-1].x.id()
			}
			b.due = append(b.due, sd)
		}
	}

	// By row id first, so that visits on one day come in the same order from every source.
	byID := func(a, b *row) int { return cmp.Compare(a.id(), b.id()) }
	slices.SortStableFunc(g[tCPVisits], byID)
	slices.SortStableFunc(g[tCINVisits], byID)
	for _, x := range g[tCPVisits] {
		p, ok := plans[x.get("cppv_cp_plan_id")]
		if !ok {
			b.problem(x, "cppv_cp_plan_id", "names no child protection plan (ssd_cp_plans) of this person")
			continue
		}
		v := &record.Visit{Date: b.date(x, "cppv_cp_visit_date")}
		if v.Date.IsZero() && x.get("cppv_cp_visit_date") == "" {
			b.problem(x, "cppv_cp_visit_date", "is empty: a visit's date is required")
		}
		v.Seen = b.flag(x, "cppv_cp_visit_seen") == flagYes
		v.SeenAlone = b.flag(x, "cppv_cp_visit_seen_alone") == flagYes
		p.pl.Visits = append(p.pl.Visits, v)
	}

	var cinPlans []*record.Plan
	for _, x := range g[tCINPlans] {
		ref := lookup(x, "cinp_referral_id")
		pl := &record.Plan{
			ID:      prefixCINPlan + x.id(),
			Kind:    "child_in_need",
			Started: b.date(x, "cinp_cin_plan_start_date"),
			Ended:   b.date(x, "cinp_cin_plan_end_date"),
			Visits:  []*record.Visit{},
		}
		if ref != nil {
			ref.Plans = append(ref.Plans, pl)
			cinPlans = append(cinPlans, pl)
		}
	}
	sortPlans(cinPlans)
	for _, x := range g[tCINVisits] {
		v := &record.Visit{
			Date:      b.date(x, "cinv_cin_visit_date"),
			Seen:      b.flag(x, "cinv_cin_visit_seen") == flagYes,
			SeenAlone: b.flag(x, "cinv_cin_visit_seen_alone") == flagYes,
		}
		if v.Date.IsZero() {
			continue
		}
		// A child-in-need visit names no plan: it joins the plan open on its day.
		placed := false
		for _, pl := range cinPlans {
			if !pl.Started.IsZero() && !v.Date.Before(pl.Started) && (pl.Ended.IsZero() || !v.Date.After(pl.Ended)) {
				pl.Visits = append(pl.Visits, v)
				placed = true
				break
			}
		}
		if !placed {
			b.warnings = append(b.warnings, record.Warning{Path: where(x, "cinv_cin_visit_date"), Warning: "is in no child-in-need plan of this person: the visit was passed over"})
		}
	}

	if len(b.problems) > 0 {
		errs := make([]error, len(b.problems))
		for i, s := range b.problems {
			errs[i] = errors.New(s)
		}
		rec.Err = errors.Join(errs...)
		return rec
	}
	order(c)
	if err := record.Validate(c); err != nil {
		rec.Err = fmt.Errorf("the case record made from the rows: %w", err)
		return rec
	}
	rec.Case = c
	rec.Warnings = append(b.warnings, record.Warnings(c)...)
	slices.SortStableFunc(b.due, func(a, b record.SystemDue) int {
		return cmp.Or(cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Subject, b.Subject))
	})
	rec.Due = b.due
	return rec
}

// rowRef names a row by its table and id, and a column: the same from a CSV folder and
// from a database, so that a report of the system's due dates is the same from either.
func rowRef(x *row, col string) string {
	return fmt.Sprintf("%s row %s, %s", x.t.name, x.id(), col)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// byDate orders by a date, then an id: rows reach the builder in the order their source
// gives them, so the record is put in an order of its own, the same from every source.
func byDate(da, db record.Date, ia, ib string) int {
	return cmp.Or(cmp.Compare(da.String(), db.String()), cmp.Compare(ia, ib))
}

func sortPlans(ps []*record.Plan) {
	slices.SortFunc(ps, func(a, b *record.Plan) int { return byDate(a.Started, b.Started, a.ID, b.ID) })
}

// order puts a record's lists in date order.
func order(c *record.Case) {
	slices.SortFunc(c.Referrals, func(a, b *record.Referral) int { return byDate(a.Received, b.Received, a.ID, b.ID) })
	for _, r := range c.Referrals {
		slices.SortFunc(r.Assessments, func(a, b *record.Assessment) int { return byDate(a.Started, b.Started, a.ID, b.ID) })
		slices.SortFunc(r.StrategyDiscussions, func(a, b *record.StrategyDiscussion) int { return byDate(a.Date, b.Date, a.ID, b.ID) })
		slices.SortFunc(r.S47Enquiries, func(a, b *record.S47Enquiry) int { return byDate(a.Started, b.Started, a.ID, b.ID) })
		slices.SortFunc(r.Conferences, func(a, b *record.Conference) int { return byDate(a.Date, b.Date, a.ID, b.ID) })
		sortPlans(r.Plans)
		for _, p := range r.Plans {
			slices.SortStableFunc(p.Visits, func(a, b *record.Visit) int { return cmp.Compare(a.Date.String(), b.Date.String()) })
		}
	}
}

package testgen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"

	"github.com/wtcheck/wtcheck/record"
)

// Extract is the extract date (and the census reference date) of every generated record: a
// fixed day, not today, so that the same seed gives the same bytes on any day.
var Extract = record.MustDate("2026-03-31")

// firstReferral is the earliest day a generated referral is received: every edition since
// 2010 (the 2010 edition came into force on 1 April 2010) has referrals to judge.
var firstReferral = record.MustDate("2010-04-01")

// singleAssessmentFrom is the day the 2013 edition replaced initial and core assessments by
// the single assessment.
var singleAssessmentFrom = record.MustDate("2013-04-15")

// The case record as the generator writes it: the fields of case-format.md, in its order.
type (
	gCase struct {
		Format       string       `json:"format"`
		CaseID       string       `json:"case_id"`
		ExtractDate  string       `json:"extract_date"`
		Organisation gOrg         `json:"organisation"`
		Child        gChild       `json:"child"`
		Referrals    []*gReferral `json:"referrals"`
	}
	gOrg struct {
		LACode string `json:"la_code"`
		Team   string `json:"team"`
	}
	gChild struct {
		ID            string   `json:"id"`
		BirthDate     string   `json:"birth_date"`
		Disabled      bool     `json:"disabled"`
		Circumstances []string `json:"circumstances,omitempty"`
	}
	gReferral struct {
		ID                  string        `json:"id"`
		Received            string        `json:"received"`
		Decision            string        `json:"decision,omitempty"`
		Source              string        `json:"source"`
		Outcome             string        `json:"outcome"`
		Closed              string        `json:"closed,omitempty"`
		Homeless            bool          `json:"homeless,omitempty"`
		HousingReferral     string        `json:"housing_referral,omitempty"`
		EarlyHelpConsidered string        `json:"early_help_considered,omitempty"`
		Assessments         []gAssessment `json:"assessments,omitempty"`
		Discussions         []gDiscussion `json:"strategy_discussions,omitempty"`
		Enquiries           []gEnquiry    `json:"s47_enquiries,omitempty"`
		Conferences         []gConference `json:"conferences,omitempty"`
		Plans               []*gPlan      `json:"plans,omitempty"`
	}
	gAssessment struct {
		ID             string   `json:"id"`
		Kind           string   `json:"kind"`
		Started        string   `json:"started,omitempty"`
		Completed      string   `json:"completed,omitempty"`
		Seen           []string `json:"seen"`
		SeenAlone      bool     `json:"seen_alone"`
		WishesRecorded bool     `json:"wishes_recorded"`
	}
	gDiscussion struct {
		ID       string   `json:"id"`
		Date     string   `json:"date,omitempty"`
		Agencies []string `json:"agencies"`
	}
	gEnquiry struct {
		ID             string `json:"id"`
		DiscussionID   string `json:"strategy_discussion_id"`
		Started        string `json:"started"`
		Completed      string `json:"completed,omitempty"`
		Seen           string `json:"seen,omitempty"`
		SeenAlone      bool   `json:"seen_alone"`
		WishesRecorded bool   `json:"wishes_recorded"`
		Outcome        string `json:"outcome,omitempty"`
	}
	gConference struct {
		ID               string `json:"id"`
		Kind             string `json:"kind"`
		S47ID            string `json:"s47_id,omitempty"`
		PlanID           string `json:"plan_id,omitempty"`
		Date             string `json:"date"`
		Outcome          string `json:"outcome"`
		ChairIndependent bool   `json:"chair_independent"`
	}
	gPlan struct {
		ID         string   `json:"id"`
		Kind       string   `json:"kind"`
		Started    string   `json:"started"`
		Ended      string   `json:"ended,omitempty"`
		EndReason  string   `json:"end_reason,omitempty"`
		Category   string   `json:"category,omitempty"`
		CoreGroups []string `json:"core_groups"`
		Visits     []gVisit `json:"visits"`
	}
	gVisit struct {
		Date      string `json:"date"`
		Seen      bool   `json:"seen"`
		SeenAlone bool   `json:"seen_alone"`
	}
)

var (
	sources       = []string{"police", "school", "health", "individual", "la_services", "other_agency", "anonymous"}
	categories    = []string{"neglect", "neglect", "neglect", "emotional", "emotional", "physical", "sexual", "multiple"}
	circumstances = []string{"young_carer", "parent_in_custody", "special_educational_needs", "family_challenges", "substance_misuse", "missing"}
	teams         = []string{"Assessment Team 1", "Assessment Team 2", "Child Protection Team", "Children in Need Team"}
)

// synth draws one child's history. Proportions follow the national statistics in round
// numbers: about a quarter of referrals end with no further action, a fifth lead to a
// section 47 enquiry, about half of those to an initial conference and most of those to a
// plan; a few percent of each timescale is missed, a few percent of dates are not recorded.
type synth struct {
	r *rand.Rand
}

func (s *synth) chance(p float64) bool { return s.r.Float64() < p }

func (s *synth) pick(xs []string) string { return xs[s.r.IntN(len(xs))] }

// workingDays moves d on by about n working days (weekends skipped, bank holidays not: the
// generator needs plausible dates, the engine judges them).
func workingDays(d record.Date, n int) record.Date {
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Weekday(); wd != 0 && wd != 6 {
			n--
		}
	}
	return d
}

// within is a day within limit working days of d, or, with probability late, up to half as
// late again.
func (s *synth) within(d record.Date, limit int, late float64) record.Date {
	if s.chance(late) {
		return workingDays(d, limit+1+s.r.IntN(max(limit/2, 2)))
	}
	return workingDays(d, s.r.IntN(limit+1))
}

// on is the date as text, or "" when it falls after the extract: not yet happened.
func on(d record.Date) string {
	if d.After(Extract) {
		return ""
	}
	return d.String()
}

func (s *synth) caseAt(i int) *gCase {
	id := fmt.Sprintf("G-%010d", i)
	c := &gCase{Format: "wtcheck/case/v1", CaseID: id, ExtractDate: Extract.String(),
		Organisation: gOrg{LACode: "E09000030", Team: s.pick(teams)}}
	span := firstReferral.DaysUntil(Extract)
	day := firstReferral.AddDays(s.r.IntN(span - 30))
	birth := day.AddDays(-s.r.IntN(17*365) - 30)
	c.Child = gChild{ID: "GC-" + strconv.Itoa(i), BirthDate: birth.String(), Disabled: s.chance(0.08)}
	if s.chance(0.2) {
		c.Child.Circumstances = []string{s.pick(circumstances)}
	}
	n := 1
	switch x := s.r.Float64(); {
	case x > 0.9:
		n = 3
	case x > 0.6:
		n = 2
	}
	for k := range n {
		if day.After(Extract) {
			break
		}
		ref, end := s.referral(k+1, day)
		c.Referrals = append(c.Referrals, ref)
		day = end.AddDays(30 + s.r.IntN(700))
	}
	return c
}

// referral draws one referral received on day and returns it with the last day of its
// episode (its closure, or the extract date while it is open).
func (s *synth) referral(k int, day record.Date) (*gReferral, record.Date) {
	r := &gReferral{ID: "R" + strconv.Itoa(k), Received: day.String(), Source: s.pick(sources)}
	decision := s.within(day, 1, 0.05)
	if !s.chance(0.01) { // a data gap: the decision not recorded
		r.Decision = on(decision)
	}
	last := decision
	switch x := s.r.Float64(); {
	case x < 0.25:
		r.Outcome = "no_further_action"
	case x < 0.35:
		r.Outcome = "early_help"
		r.EarlyHelpConsidered = on(decision)
	case x < 0.80:
		r.Outcome = "assessment"
		last = s.assessment(r, 1, decision)
	default:
		r.Outcome = "s47"
		last = s.enquiry(r, decision)
	}
	if s.chance(0.03) {
		r.Homeless = true
		if s.chance(0.8) {
			r.HousingReferral = on(s.within(day, 5, 0.2))
		}
	}
	closed := last.AddDays(5 + s.r.IntN(60))
	if s.chance(0.1) || closed.After(Extract) {
		return r, Extract // still open
	}
	r.Closed = closed.String()
	return r, closed
}

// assessment adds an assessment started on day, and returns the day it was completed.
func (s *synth) assessment(r *gReferral, k int, day record.Date) record.Date {
	a := gAssessment{ID: "A" + strconv.Itoa(k), Kind: "single", SeenAlone: s.chance(0.85), WishesRecorded: s.chance(0.9)}
	limit := 45
	if day.Before(singleAssessmentFrom) {
		a.Kind, limit = "initial", 10
	}
	done := s.within(day, limit, 0.06)
	if !s.chance(0.01) {
		a.Started = on(day)
	}
	a.Completed = on(done)
	a.Seen = []string{}
	if seen := on(s.within(day, 5, 0.1)); seen != "" && s.chance(0.95) {
		a.Seen = append(a.Seen, seen)
	}
	r.Assessments = append(r.Assessments, a)
	if a.Kind == "initial" && s.chance(0.3) {
		core := gAssessment{ID: "A" + strconv.Itoa(k+1), Kind: "core", Started: on(done), SeenAlone: true, WishesRecorded: true, Seen: []string{}}
		end := s.within(done, 35, 0.06)
		core.Completed = on(end)
		if core.Started != "" {
			r.Assessments = append(r.Assessments, core)
			done = end
		}
	}
	return done
}

// enquiry adds a strategy discussion and section 47 enquiry starting on day, and what follows
// from them, and returns the last day of the work.
func (s *synth) enquiry(r *gReferral, day record.Date) record.Date {
	agencies := []string{"social_care", "police", "health"}
	if s.chance(0.1) {
		agencies = agencies[:2] // health missing
	}
	if s.chance(0.5) {
		agencies = append(agencies, "education")
	}
	sd := gDiscussion{ID: "SD1", Date: day.String(), Agencies: agencies}
	if s.chance(0.03) {
		sd.Date = "" // a data gap: the discussion's date not recorded
	}
	r.Discussions = append(r.Discussions, sd)
	done := s.within(day, 15, 0.05)
	e := gEnquiry{ID: "S1", DiscussionID: "SD1", Started: day.String(), Completed: on(done),
		Seen: on(s.within(day, 2, 0.1)), SeenAlone: s.chance(0.85), WishesRecorded: s.chance(0.9)}
	last := s.assessment(r, 1, day)
	if e.Completed == "" {
		r.Enquiries = append(r.Enquiries, e)
		return Extract
	}
	if !s.chance(0.45) {
		e.Outcome = "child_in_need"
		if s.chance(0.3) {
			e.Outcome = "no_further_action"
		}
		r.Enquiries = append(r.Enquiries, e)
		return later(last, done)
	}
	e.Outcome = "icpc"
	r.Enquiries = append(r.Enquiries, e)
	icpc := s.within(day, 15, 0.12)
	k := gConference{ID: "K1", Kind: "initial", S47ID: "S1", Date: icpc.String(), Outcome: "plan", ChairIndependent: s.chance(0.97)}
	if icpc.After(Extract) {
		return Extract // the conference not held yet: pending
	}
	if s.chance(0.1) {
		k.Outcome = "no_plan"
		r.Conferences = append(r.Conferences, k)
		return icpc
	}
	r.Conferences = append(r.Conferences, k)
	return s.plan(r, icpc)
}

// plan adds a child protection plan started on day, with its core groups, visits and review
// conferences, and returns the day it ended (the extract date while it goes on).
func (s *synth) plan(r *gReferral, day record.Date) record.Date {
	p := &gPlan{ID: "P1", Kind: "child_protection", Started: day.String(), Category: s.pick(categories),
		CoreGroups: []string{}, Visits: []gVisit{}}
	end := day.AddDays(120 + s.r.IntN(600))
	// Review conferences: within 3 months of the initial one, then every 6 months.
	review := record.AddMonths(day, 3)
	n := 2
	for !review.After(end) {
		if s.chance(0.05) {
			review = review.AddDays(1 + s.r.IntN(20)) // late
		}
		if review.After(Extract) {
			break
		}
		outcome := "continue"
		if !review.Before(end.AddDays(-180)) {
			outcome = "end_plan"
		}
		r.Conferences = append(r.Conferences, gConference{ID: "K" + strconv.Itoa(n), Kind: "review", PlanID: "P1",
			Date: review.String(), Outcome: outcome, ChairIndependent: s.chance(0.97)})
		n++
		if outcome == "end_plan" {
			end = review
			break
		}
		review = record.AddMonths(review, 6)
	}
	// The first core group within 10 working days, then about every six weeks.
	for d := s.within(day, 10, 0.08); !d.After(end) && !d.After(Extract); d = d.AddDays(35 + s.r.IntN(21)) {
		p.CoreGroups = append(p.CoreGroups, d.String())
	}
	// Visits about every ten working days, now and then a longer gap.
	for d := s.within(day, 10, 0.05); !d.After(end) && !d.After(Extract); d = workingDays(d, 5+s.r.IntN(5)+5*b2i(s.chance(0.04))) {
		seen := s.chance(0.92)
		p.Visits = append(p.Visits, gVisit{Date: d.String(), Seen: seen, SeenAlone: seen && s.chance(0.6)})
	}
	if end.After(Extract) {
		r.Plans = append(r.Plans, p)
		return Extract
	}
	p.Ended, p.EndReason = end.String(), "conference"
	r.Plans = append(r.Plans, p)
	return end
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// newSynth seeds one child's draw from the batch's seed and the child's number, so that a
// child is the same whichever records are written around it.
func newSynth(seed uint64, i int) *synth {
	return &synth{r: rand.New(rand.NewPCG(seed, uint64(i)))}
}

// Format names what WriteFormat writes.
const (
	FormatCase      = "case"
	FormatCINCensus = "cin-census"
)

// Formats lists the formats WriteFormat writes.
var Formats = []string{FormatCase, FormatCINCensus}

// WriteFormat writes n synthetic children in a format: FormatCase (NDJSON case records) or
// FormatCINCensus (a CIN census XML return with reference date Extract). The same n, seed
// and format give the same bytes.
func WriteFormat(w io.Writer, format string, n int, seed uint64) error {
	switch format {
	case FormatCase:
		return WriteCases(w, n, seed)
	case FormatCINCensus:
		return WriteCensus(w, n, seed)
	}
	return fmt.Errorf("write %s: unknown format", format)
}

// WriteCases writes n synthetic case records as NDJSON: one child each, with one to three
// referrals received from 2010 to Extract and what followed them (see synth).
func WriteCases(w io.Writer, n int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	for i := range n {
		if err := enc.Encode(newSynth(seed, i).caseAt(i)); err != nil {
			return fmt.Errorf("write case %d: %w", i, err)
		}
	}
	return bw.Flush()
}

func later(a, b record.Date) record.Date {
	if a.After(b) {
		return a
	}
	return b
}

// censusCategory is the census code of a plan's category.
var censusCategory = map[string]string{"neglect": "NEG", "physical": "PHY", "emotional": "EMO", "sexual": "SAB", "multiple": "MUL"}

// censusSource is a census ReferralSource code for a case-format source.
var censusSource = map[string]string{"police": "5A", "school": "3A", "health": "2A", "individual": "1A", "la_services": "4", "other_agency": "9", "anonymous": "8"}

// WriteCensus writes n synthetic children as a CIN census XML return whose reference date
// is Extract: the same children as WriteCases, with what the census records of them
// (referral, closure, no further action, assessments, section 47 enquiries with their
// initial conferences, child protection plans with their reviews).
func WriteCensus(w io.Writer, n int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintf(bw, "<Message>\n  <Header>\n    <CollectionDetails>\n      <Collection>CIN</Collection>\n      <Year>%d</Year>\n      <ReferenceDate>%s</ReferenceDate>\n    </CollectionDetails>\n  </Header>\n  <Children>\n",
		Extract.Time().Year(), Extract)
	el := func(indent, name, value string) {
		if value != "" {
			fmt.Fprintf(bw, "%s<%s>%s</%s>\n", indent, name, value, name)
		}
	}
	for i := range n {
		c := newSynth(seed, i).caseAt(i)
		bw.WriteString("    <Child>\n      <ChildIdentifiers>\n")
		el("        ", "LAchildID", c.CaseID)
		el("        ", "PersonBirthDate", c.Child.BirthDate)
		bw.WriteString("      </ChildIdentifiers>\n")
		for _, r := range c.Referrals {
			bw.WriteString("      <CINdetails>\n")
			el("        ", "CINreferralDate", r.Received)
			el("        ", "ReferralSource", censusSource[r.Source])
			el("        ", "CINclosureDate", r.Closed)
			el("        ", "ReferralNFA", strconv.FormatBool(r.Outcome == "no_further_action"))
			for _, a := range r.Assessments {
				bw.WriteString("        <Assessments>\n")
				el("          ", "AssessmentActualStartDate", a.Started)
				el("          ", "AssessmentAuthorisationDate", a.Completed)
				bw.WriteString("        </Assessments>\n")
			}
			for _, e := range r.Enquiries {
				bw.WriteString("        <Section47>\n")
				el("          ", "S47ActualStartDate", e.Started)
				for _, k := range r.Conferences {
					if k.Kind == "initial" && k.S47ID == e.ID {
						el("          ", "DateOfInitialCPC", k.Date)
					}
				}
				if e.Outcome == "no_further_action" || e.Outcome == "child_in_need" {
					el("          ", "ICPCnotRequired", "true")
				}
				bw.WriteString("        </Section47>\n")
			}
			for _, p := range r.Plans {
				bw.WriteString("        <ChildProtectionPlans>\n")
				el("          ", "CPPstartDate", p.Started)
				el("          ", "CPPendDate", p.Ended)
				el("          ", "LatestCategoryOfAbuse", censusCategory[p.Category])
				bw.WriteString("          <Reviews>\n")
				for _, k := range r.Conferences {
					if k.Kind == "review" && k.PlanID == p.ID {
						el("            ", "CPPreviewDate", k.Date)
					}
				}
				bw.WriteString("          </Reviews>\n")
				bw.WriteString("        </ChildProtectionPlans>\n")
			}
			bw.WriteString("      </CINdetails>\n")
		}
		bw.WriteString("    </Child>\n")
	}
	bw.WriteString("  </Children>\n</Message>\n")
	return bw.Flush()
}

package checker

import (
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/wtcheck/wtcheck/record"
)

// The incident and arrangements records as CEL objects (incident-format.md), read by the
// rules of scope incident and arrangements. Fields not recorded reach a rule as the
// catalogue's settled defaults (abuse_or_neglect "no", child.resident true, the booleans
// false), so that a rule never has to say what not recorded means.

// nullableObjectField is an object field that is null when the record has no such part (an
// area with no LSCB), so that a rule can ask arrangements.lscb != null.
func nullableObjectField[T, E any](name, doc string, elem func() *objectType, get func(*T) *E) *objectField {
	return &objectField{name: name, doc: doc, typ: types.NewObjectType(typeNameOf[E]()),
		get: func(o any) ref.Val {
			if v := get(o.(*T)); v != nil {
				return &celObject{t: elem(), v: v}
			}
			return types.NullValue
		},
		isSet: func(o any) bool { return get(o.(*T)) != nil }}
}

// nullableIntField is a whole number that may not be recorded: an int or null.
func nullableIntField[T any](name, doc string, get func(*T) *int) *objectField {
	return &objectField{name: name, doc: doc, typ: types.NewNullableType(types.IntType),
		get: func(o any) ref.Val {
			if p := get(o.(*T)); p != nil {
				return types.Int(*p)
			}
			return types.NullValue
		},
		isSet: func(o any) bool { return get(o.(*T)) != nil }}
}

func intField[T any](name, doc string, get func(*T) int) *objectField {
	return &objectField{name: name, doc: doc, typ: types.IntType,
		get:   func(o any) ref.Val { return types.Int(get(o.(*T))) },
		isSet: func(o any) bool { return get(o.(*T)) != 0 }}
}

var (
	incidentObj = newObjectType("wt.Incident", "One child's death or serious harm (wtcheck/incident/v1).",
		stringField("incident_id", "The incident's id, unique within a batch.", func(in *record.Incident) string { return in.IncidentID }),
		stringField("case_id", "The child's case record, where there is one.", func(in *record.Incident) string { return in.CaseID }),
		dateField("extract_date", "The day the data were exported.", func(in *record.Incident) record.Date { return in.ExtractDate }),
		stringField("la_code", "The local authority's code (organisation.la_code): the area_id of its arrangements.", func(in *record.Incident) string { return in.Organisation.LACode }),
		objectFieldOf("child", "The child.", func() *objectType { return incidentChildObj }, func(in *record.Incident) *record.IncidentChild { return &in.Child }),
		stringField("event", "death or serious_harm.", func(in *record.Incident) string { return in.Event }),
		dateField("occurred", "Day of the death or the harm (or the day it came to light).", func(in *record.Incident) record.Date { return in.Occurred }),
		dateField("aware", "Day the local authority became aware: day zero for notification.", func(in *record.Incident) record.Date { return in.Aware }),
		stringField("abuse_or_neglect", "known, suspected or no; not recorded counts as no.", func(in *record.Incident) string { return in.AbuseOrNeglectOr() }),
		boolField("serious", "A serious incident: a death or serious harm where abuse or neglect is known or suspected.", func(in *record.Incident) bool { return in.Serious() }),
		boolField("agency_concern", "Cause for concern about how the agencies worked together; not recorded counts as false.", func(in *record.Incident) bool { return in.AgencyConcern }),
		boolField("in_custody", "The child died in custody or detained under the Mental Health Act; not recorded counts as false.", func(in *record.Incident) bool { return in.InCustody }),
		boolField("expected_death", "The death was expected (anticipated 24 hours before); not recorded counts as false, an unexpected death.", func(in *record.Incident) bool { return in.ExpectedDeath }),
		objectFieldOf("notified", "Notifications by the local authority.", func() *objectType { return notifiedObj }, func(in *record.Incident) *record.Notified { return &in.Notified }),
		objectFieldOf("rapid_review", "The safeguarding partners' rapid review.", func() *objectType { return rapidReviewObj }, func(in *record.Incident) *record.RapidReview { return &in.RapidReview }),
		objectFieldOf("serious_case_review", "The LSCB's serious case review.", func() *objectType { return seriousCaseReviewObj }, func(in *record.Incident) *record.SeriousCaseReview { return &in.SeriousCaseReview }),
		objectFieldOf("local_review", "A local child safeguarding practice review.", func() *objectType { return localReviewObj }, func(in *record.Incident) *record.LocalReview { return &in.LocalReview }),
		objectFieldOf("child_death_review", "The review of a child's death.", func() *objectType { return childDeathReviewObj }, func(in *record.Incident) *record.ChildDeathReview { return &in.ChildDeathReview }),
	)
	incidentChildObj = newObjectType("wt.IncidentChild", "The child who died or was seriously harmed.",
		stringField("id", "The child's id.", func(c *record.IncidentChild) string { return c.ID }),
		dateField("birth_date", "Date of birth.", func(c *record.IncidentChild) record.Date { return c.BirthDate }),
		nullableIntField("gestation_weeks", "Completed weeks of gestation of a baby who died soon after birth; null when not recorded.", func(c *record.IncidentChild) *int { return c.GestationWeeks }),
		boolField("resident", "Normally resident in the area; not recorded counts as true.", func(c *record.IncidentChild) bool { return c.Resident() }),
	)
	notifiedObj = newObjectType("wt.Notified", "Days the local authority notified others of the incident.",
		dateField("panel", "The Child Safeguarding Practice Review Panel (2018 onwards).", func(n *record.Notified) record.Date { return n.Panel }),
		dateField("ofsted", "Ofsted (2010 to 2018).", func(n *record.Notified) record.Date { return n.Ofsted }),
		dateField("lscb", "The LSCB (2010 to 2018).", func(n *record.Notified) record.Date { return n.LSCB }),
	)
	rapidReviewObj = newObjectType("wt.RapidReview", "The safeguarding partners' rapid review.",
		dateField("completed", "Day the rapid review was completed.", func(r *record.RapidReview) record.Date { return r.Completed }),
		dateField("sent_to_panel", "Day it went to the Panel.", func(r *record.RapidReview) record.Date { return r.SentToPanel }),
		stringField("decision", "local_review, no_review or national_review_referred.", func(r *record.RapidReview) string { return r.Decision }),
	)
	seriousCaseReviewObj = newObjectType("wt.SeriousCaseReview", "The LSCB's serious case review.",
		dateField("decided", "Day the LSCB decided whether to hold one.", func(s *record.SeriousCaseReview) record.Date { return s.Decided }),
		boolField("held", "The LSCB decided to hold one.", func(s *record.SeriousCaseReview) bool { return s.Held }),
		dateField("completed", "Day the review was completed.", func(s *record.SeriousCaseReview) record.Date { return s.Completed }),
		dateField("published", "Day the review was published.", func(s *record.SeriousCaseReview) record.Date { return s.Published }),
	)
	localReviewObj = newObjectType("wt.LocalReview", "A local child safeguarding practice review.",
		dateField("decided", "Day the partners decided to hold one.", func(l *record.LocalReview) record.Date { return l.Decided }),
		dateField("completed", "Day the review was completed.", func(l *record.LocalReview) record.Date { return l.Completed }),
		dateField("published", "Day the review was published.", func(l *record.LocalReview) record.Date { return l.Published }),
	)
	childDeathReviewObj = newObjectType("wt.ChildDeathReview", "The review of a child's death.",
		dateField("notified_cdop", "Day the death was notified to the child death overview panel.", func(c *record.ChildDeathReview) record.Date { return c.NotifiedCDOP }),
		dateField("rapid_response", "Day the rapid (joint agency) response to an unexpected death began.", func(c *record.ChildDeathReview) record.Date { return c.RapidResponse }),
		boolField("key_worker", "A key worker was allocated to the bereaved family.", func(c *record.ChildDeathReview) bool { return c.KeyWorker }),
		dateField("cdr_meeting", "Day of the child death review meeting.", func(c *record.ChildDeathReview) record.Date { return c.CDRMeeting }),
		dateField("panel_review", "Day of the panel's review.", func(c *record.ChildDeathReview) record.Date { return c.PanelReview }),
	)
	arrangementsObj = newObjectType("wt.Arrangements", "One area's safeguarding arrangements (wtcheck/arrangements/v1).",
		stringField("area_id", "The local authority area's code.", func(a *record.Arrangements) string { return a.AreaID }),
		dateField("extract_date", "The day the data were exported.", func(a *record.Arrangements) record.Date { return a.ExtractDate }),
		nullableObjectField("lscb", "The Local Safeguarding Children Board; null when the record has none.", func() *objectType { return lscbObj }, func(a *record.Arrangements) *record.LSCB { return a.LSCB }),
		nullableObjectField("partners", "The safeguarding partners' arrangements; null when the record has none.", func() *objectType { return partnersObj }, func(a *record.Arrangements) *record.Partners { return a.Partners }),
	)
	lscbObj = newObjectType("wt.LSCB", "A Local Safeguarding Children Board.",
		dateField("ended", "Day the LSCB stood down.", func(l *record.LSCB) record.Date { return l.Ended }),
		boolField("independent_chair", "The chair was independent of the local agencies.", func(l *record.LSCB) bool { return l.IndependentChair }),
		intField("lay_members", "Lay members appointed; not recorded counts as none.", func(l *record.LSCB) int { return l.LayMembers }),
		dateListField("annual_reports", "Days its annual reports were published, in order, each once.", func(l *record.LSCB) []record.Date { return l.AnnualReportDays() }),
	)
	partnersObj = newObjectType("wt.Partners", "The safeguarding partners' arrangements.",
		dateField("published", "Day the arrangements were published.", func(p *record.Partners) record.Date { return p.Published }),
		stringListField("members", "local_authority, police, ccg (to 30 June 2022), icb (from 1 July 2022).", func(p *record.Partners) []string { return p.Members }),
		boolField("independent_scrutiny", "The arrangements provide independent scrutiny.", func(p *record.Partners) bool { return p.IndependentScrutiny }),
		dateListField("yearly_reports", "Days the yearly reports were published, in order, each once.", func(p *record.Partners) []record.Date { return p.YearlyReportDays() }),
	)
	beyondObjectTypes = []*objectType{incidentObj, incidentChildObj, notifiedObj, rapidReviewObj, seriousCaseReviewObj,
		localReviewObj, childDeathReviewObj, arrangementsObj, lscbObj, partnersObj}
)

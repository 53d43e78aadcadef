package record

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// IncidentFormat is the format tag of an incident record.
const IncidentFormat = "wtcheck/incident/v1"

// Incident is one child's death or serious harm, as the area records it for serious case
// reviews, notifications to the Child Safeguarding Practice Review Panel, rapid reviews, local
// practice reviews and child death reviews (incident-format.md). A field not recorded is its
// zero value; the methods give the defaults the rule catalogue settles (Resident, AbuseOrNeglectOr).
// It is decoded once and then only read.
type Incident struct {
	Format            string               `json:"format,omitempty"`
	IncidentID        string               `json:"incident_id"`
	ExtractDate       Date                 `json:"extract_date"`
	Organisation      IncidentOrganisation `json:"organisation"`
	CaseID            string               `json:"case_id,omitempty"`
	Child             IncidentChild        `json:"child"`
	Event             string               `json:"event"`
	Occurred          Date                 `json:"occurred"`
	Aware             Date                 `json:"aware"`
	AbuseOrNeglect    string               `json:"abuse_or_neglect,omitempty"`
	AgencyConcern     bool                 `json:"agency_concern"`
	InCustody         bool                 `json:"in_custody"`
	ExpectedDeath     bool                 `json:"expected_death"`
	Notified          Notified             `json:"notified"`
	RapidReview       RapidReview          `json:"rapid_review"`
	SeriousCaseReview SeriousCaseReview    `json:"serious_case_review"`
	LocalReview       LocalReview          `json:"local_review"`
	ChildDeathReview  ChildDeathReview     `json:"child_death_review"`
	Provenance        Provenance           `json:"provenance"`
}

// IncidentOrganisation says whose incident it is: la_code finds the area's arrangements
// record (its area_id), which decides the edition of an incident in the 2018-2019 transition.
type IncidentOrganisation struct {
	LACode      string `json:"la_code,omitempty"`
	Partnership string `json:"partnership,omitempty"`
}

// IncidentChild is the child who died or was seriously harmed.
type IncidentChild struct {
	ID        string `json:"id,omitempty"`
	BirthDate Date   `json:"birth_date"`
	// GestationWeeks is the completed weeks of gestation of a baby who died soon after birth;
	// nil when not recorded, which is not the same as 0.
	GestationWeeks *int `json:"gestation_weeks"`
	// ResidentRecorded is child.resident as recorded; Resident gives the default.
	ResidentRecorded *bool `json:"resident"`
}

// Resident reports whether the child was normally resident in the area: not recorded counts
// as resident, because the record is the area's own.
func (c IncidentChild) Resident() bool { return c.ResidentRecorded == nil || *c.ResidentRecorded }

// Notified holds the days the local authority notified the national Panel (2018 onwards), and
// Ofsted and the LSCB (2010 to 2018).
type Notified struct {
	Panel  Date `json:"panel"`
	Ofsted Date `json:"ofsted"`
	LSCB   Date `json:"lscb"`
}

// RapidReview is the safeguarding partners' rapid review of a serious incident.
type RapidReview struct {
	Completed   Date   `json:"completed"`
	SentToPanel Date   `json:"sent_to_panel"`
	Decision    string `json:"decision,omitempty"`
}

// SeriousCaseReview is the LSCB's decision on, and conduct of, a serious case review.
type SeriousCaseReview struct {
	Decided   Date `json:"decided"`
	Held      bool `json:"held"`
	Completed Date `json:"completed"`
	Published Date `json:"published"`
}

// LocalReview is a local child safeguarding practice review.
type LocalReview struct {
	Decided   Date `json:"decided"`
	Completed Date `json:"completed"`
	Published Date `json:"published"`
}

// ChildDeathReview is the review of a child's death.
type ChildDeathReview struct {
	NotifiedCDOP  Date `json:"notified_cdop"`
	RapidResponse Date `json:"rapid_response"`
	KeyWorker     bool `json:"key_worker"`
	CDRMeeting    Date `json:"cdr_meeting"`
	PanelReview   Date `json:"panel_review"`
}

// Known values of the incident's enumerated fields: anything else is a data error, because
// rules branch on them and a misspelt value would silently change which rules apply.
var (
	IncidentEvents       = []string{"death", "serious_harm"}
	AbuseOrNeglectValues = []string{"known", "suspected", "no"}
	RapidReviewDecisions = []string{"local_review", "no_review", "national_review_referred"}
)

// maxGestationWeeks bounds child.gestation_weeks: a longer pregnancy is a typing mistake.
const maxGestationWeeks = 45

// AbuseOrNeglectOr is abuse_or_neglect, with not recorded counted as "no" (the catalogue's
// settled point: not recorded means not known or suspected).
func (in *Incident) AbuseOrNeglectOr() string {
	if in.AbuseOrNeglect == "" {
		return "no"
	}
	return in.AbuseOrNeglect
}

// Serious reports whether the incident is a serious incident in the catalogue's sense: a
// death or serious harm where abuse or neglect is known or suspected.
func (in *Incident) Serious() bool {
	a := in.AbuseOrNeglectOr()
	return (in.Event == "death" || in.Event == "serious_harm") && (a == "known" || a == "suspected")
}

// DecodeIncident reads one incident record from JSON and validates it. A JSON error names
// the field, never its value; the record is returned whenever it decoded, so that the caller
// can name its incident_id beside a validation error.
func DecodeIncident(raw []byte) (*Incident, error) {
	var in Incident
	if err := unmarshal(raw, &in); err != nil {
		return nil, describeJSONError(err)
	}
	return &in, ValidateIncident(&in)
}

// ValidateIncident checks what incident-format.md requires beyond JSON types: the id and the
// event, real dates, known values. It returns every problem at once, each naming the field's
// path and never its value.
func ValidateIncident(in *Incident) error {
	var p pathProblems
	if in.IncidentID == "" {
		p.add("incident_id", "is required")
	}
	p.utf8("incident_id", in.IncidentID)
	p.utf8("case_id", in.CaseID)
	p.utf8("child.id", in.Child.ID)
	p.utf8("organisation.la_code", in.Organisation.LACode)
	if in.Format != "" && in.Format != IncidentFormat {
		p.add("format", "is not "+IncidentFormat)
	}
	if in.Event == "" {
		p.add("event", "is required")
	}
	p.enum("event", in.Event, IncidentEvents)
	p.enum("abuse_or_neglect", in.AbuseOrNeglect, AbuseOrNeglectValues)
	p.enum("rapid_review.decision", in.RapidReview.Decision, RapidReviewDecisions)
	if g := in.Child.GestationWeeks; g != nil && (*g < 0 || *g > maxGestationWeeks) {
		p.add("child.gestation_weeks", fmt.Sprintf("is outside 0 to %d weeks", maxGestationWeeks))
	}
	in.walkDates(func(path string, d *Date, _ bool) {
		if r := d.invalidReason(); r != "" {
			p.add(path, r)
		}
	})
	return p.err()
}

// walkDates calls visit for every date field of the incident with its path; event is false
// for the extract date, which is not something that happened to the child.
func (in *Incident) walkDates(visit func(path string, d *Date, event bool)) {
	visit("extract_date", &in.ExtractDate, false)
	visit("child.birth_date", &in.Child.BirthDate, true)
	visit("occurred", &in.Occurred, true)
	visit("aware", &in.Aware, true)
	visit("notified.panel", &in.Notified.Panel, true)
	visit("notified.ofsted", &in.Notified.Ofsted, true)
	visit("notified.lscb", &in.Notified.LSCB, true)
	visit("rapid_review.completed", &in.RapidReview.Completed, true)
	visit("rapid_review.sent_to_panel", &in.RapidReview.SentToPanel, true)
	visit("serious_case_review.decided", &in.SeriousCaseReview.Decided, true)
	visit("serious_case_review.completed", &in.SeriousCaseReview.Completed, true)
	visit("serious_case_review.published", &in.SeriousCaseReview.Published, true)
	visit("local_review.decided", &in.LocalReview.Decided, true)
	visit("local_review.completed", &in.LocalReview.Completed, true)
	visit("local_review.published", &in.LocalReview.Published, true)
	visit("child_death_review.notified_cdop", &in.ChildDeathReview.NotifiedCDOP, true)
	visit("child_death_review.rapid_response", &in.ChildDeathReview.RapidResponse, true)
	visit("child_death_review.cdr_meeting", &in.ChildDeathReview.CDRMeeting, true)
	visit("child_death_review.panel_review", &in.ChildDeathReview.PanelReview, true)
}

// IncidentWarnings lists what is doubtful in a valid incident that is still checked: each
// event dated after the extract date (it counts as not yet happened, as for a case), and
// dates in an order that cannot be. Each names the field's path, never its value.
func IncidentWarnings(in *Incident) []Warning {
	var out []Warning
	if x := in.ExtractDate; !x.IsZero() {
		in.walkDates(func(path string, d *Date, event bool) {
			if event && !d.IsZero() && d.After(x) {
				out = append(out, Warning{Path: path, Warning: FutureDatedWarning})
			}
		})
	}
	before := func(later, earlier Date) bool { return !later.IsZero() && !earlier.IsZero() && later.Before(earlier) }
	orders := []struct {
		path           string
		later, earlier Date
		warning        string
	}{
		{"occurred", in.Occurred, in.Child.BirthDate, "is before the child's birth date"},
		{"aware", in.Aware, in.Occurred, "is before the incident occurred"},
		{"notified.panel", in.Notified.Panel, in.Aware, "is before the local authority became aware"},
		{"rapid_review.completed", in.RapidReview.Completed, in.Aware, "is before the local authority became aware"},
		{"serious_case_review.completed", in.SeriousCaseReview.Completed, in.SeriousCaseReview.Decided, "is before the decision to hold the review"},
		{"local_review.published", in.LocalReview.Published, in.LocalReview.Decided, "is before the decision to hold the review"},
		{"child_death_review.panel_review", in.ChildDeathReview.PanelReview, in.Occurred, "is before the death"},
	}
	for _, o := range orders {
		if before(o.later, o.earlier) {
			out = append(out, Warning{Path: o.path, Warning: o.warning})
		}
	}
	return out
}

// AsOf returns the incident as it stood at the end of day d: dates after d are cleared, with
// what was decided on them (a rapid review's decision, whether a serious case review is held).
// It returns nil when the area was not yet aware of the incident on d (or it had not yet
// occurred): there was nothing to check. The receiver is not changed.
func (in *Incident) AsOf(d Date) *Incident {
	if d.IsZero() {
		return in
	}
	after := func(x Date) bool { return !x.IsZero() && x.After(d) }
	if after(in.Aware) || after(in.Occurred) {
		return nil
	}
	out := *in
	changed := false
	out.walkDates(func(_ string, x *Date, event bool) {
		if event && after(*x) {
			*x, changed = Date{}, true
		}
	})
	if !changed {
		return in
	}
	if after(in.RapidReview.Completed) {
		out.RapidReview.Decision = ""
	}
	if after(in.SeriousCaseReview.Decided) {
		out.SeriousCaseReview.Held = false
	}
	if out.Child.GestationWeeks != nil {
		g := *out.Child.GestationWeeks
		out.Child.GestationWeeks = &g
	}
	out.ExtractDate = d
	return &out
}

// ViewAt is the incident as a check made as at day sees it: as it stood on day, or on its
// extract date when that is earlier (an event after the export counts as not yet happened).
func (in *Incident) ViewAt(day Date) *Incident {
	if !in.ExtractDate.IsZero() && (day.IsZero() || in.ExtractDate.Before(day)) {
		day = in.ExtractDate
	}
	return in.AsOf(day)
}

// pathProblems collects validation problems, each a path and what is wrong with it.
type pathProblems struct{ list []string }

func (p *pathProblems) add(path, problem string) { p.list = append(p.list, path+" "+problem) }

func (p *pathProblems) utf8(path, value string) {
	if !utf8.ValidString(value) {
		p.add(path, "is not valid UTF-8")
	}
}

func (p *pathProblems) enum(path, value string, allowed []string) {
	if value != "" && !slices.Contains(allowed, value) {
		p.add(path, "is not one of "+strings.Join(allowed, ", "))
	}
}

// err joins the problems in one error, one a line, as a case's validation does.
func (p *pathProblems) err() error {
	var errs []error
	for _, s := range p.list {
		errs = append(errs, errors.New(s))
	}
	return errors.Join(errs...)
}

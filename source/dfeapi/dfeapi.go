// Package dfeapi reads the children's social care payload that local authorities send to the
// Department for Education's API (data-to-insight/dfe-csc-api-data-flows, specification 0.8),
// which is built from the Standard Safeguarding Dataset: one JSON object per child, as a JSON
// array (a batch as it is posted), one object a line, or objects one after another.
//
// A full payload becomes a case record (see docs/import.md). The two other forms are reported,
// never checked: a purge (a deletion notice, "purge": true) says the child's record is to be
// removed, and a partial payload (changed fields only, recognised by having no top-level
// "purge" key, which every full payload has) lacks the unchanged episodes and fields, which
// would read as work not done.
package dfeapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source"
)

// Format is the provenance.format of the records this source makes.
const Format = "dfe-api"

// Lacks lists what the payload cannot record, as provenance.lacks paths with a reason each.
func Lacks() []source.Gap {
	return []source.Gap{
		{Path: "decision", Reason: "the payload gives a referral's date (referral_date), not the day the decision on the response was made"},
		{Path: "strategy_discussions.agencies", Reason: "the payload has no strategy discussions: each is a proxy dated on the section 47 start, with no record of who took part"},
		{Path: "assessments.seen", Reason: "child_and_family_assessments do not say whether the child was seen"},
		{Path: "assessments.seen_alone", Reason: "child_and_family_assessments do not say whether the child was seen alone"},
		{Path: "assessments.wishes_recorded", Reason: "the payload does not record the child's wishes and feelings"},
		{Path: "s47_enquiries.seen", Reason: "section_47_assessments do not say whether the child was seen"},
		{Path: "s47_enquiries.seen_alone", Reason: "section_47_assessments do not say whether the child was seen alone"},
		{Path: "s47_enquiries.wishes_recorded", Reason: "the payload does not record the child's wishes and feelings"},
		{Path: "s47_enquiries.not_seen_reason", Reason: "section_47_assessments do not say why a child was not seen"},
		{Path: "conferences.chair_independent", Reason: "the payload gives an initial conference's date (icpc_date) only"},
		{Path: "conferences.notified", Reason: "the payload has no transfer-in conferences"},
		{Path: "conferences.outcome", Reason: "the payload has no review conferences, nor any conference's outcome"},
		{Path: "plans.started", Reason: "the payload has no review conferences, so a plan's first review cannot be judged from its start (of the facts first-review-timeliness reads, a plan's start is the one no rule the payload can judge needs)"},
		{Path: "plans.core_groups", Reason: "the payload has no core group meetings"},
		{Path: "plans.visits", Reason: "the payload has no visits"},
		{Path: "plans.end_reason", Reason: "child_protection_plans give an end date, not why the plan ended"},
		{Path: "homeless", Reason: "the payload does not record homelessness"},
		{Path: "housing_referral", Reason: "the payload does not record a referral to the housing authority"},
		{Path: "housing_referral_refused", Reason: "the payload does not record a family's refusal of a housing referral"},
		{Path: "early_help_considered", Reason: "the payload has no early help"},
		{Path: "child.circumstances", Reason: "the payload's assessment factors are what an assessment found, not the early-help indicators known at the referral"},
	}
}

const proxyDiscussion = "strategy_discussions.date: the section 47 start date (start_date), which the SSD the payload is built from defines as the date of the strategy discussion that initiated the enquiry"

// InputFormat describes the source for the table of formats (package source/registry).
var InputFormat = source.Format{
	Name:        Format,
	Description: "the DfE children's social care API payload (JSON); purge and partial payloads are reported, not checked",
	Expect:      "the DfE children's social care API payload, as --input-format dfe-api says",
	Extensions:  []string{".json", ".ndjson", ".jsonl"},
	Gaps:        func(source.Options) []source.Gap { return Lacks() },
	Open: func(o source.Options) (source.Source, error) {
		opts := Options{ExtractDate: o.AsOf}
		if opts.ExtractDate.IsZero() {
			opts.ExtractDate = record.DateOf(time.Now()) // the payload has no extract date
		}
		return source.Func(func(in source.Input, fn func(source.Record) error) error {
			if in.Open == nil {
				return fn(source.Record{File: in.Name, Err: fmt.Errorf("open: %w", source.ErrNoOpen)})
			}
			f, err := in.Open()
			if err != nil {
				return fn(source.Record{File: in.Name, Err: fmt.Errorf("open: %w", err)})
			}
			defer f.Close()
			return Read(f, opts, func(rec Record) error {
				out := source.Record{File: in.Name, Index: rec.Index, CaseID: rec.ChildID, Case: rec.Case, Err: rec.Err, Warnings: rec.Warnings}
				if why := rec.NotChecked(); why != "" {
					out.Err = errors.New("not checked: " + why)
				}
				return fn(out)
			})
		}), nil
	},
}

// Options control a read.
type Options struct {
	// ExtractDate becomes every record's extract_date (the payload carries none): the
	// as-of date of the check, or today.
	ExtractDate record.Date
}

// Kind says what a payload object was.
type Kind int

const (
	// Full is a child's whole record: checked.
	Full Kind = iota
	// Purge is a deletion notice: reported, not checked.
	Purge
	// Partial is a payload of changed fields only: reported, not checked.
	Partial
)

// Record is one child object of a payload: a case record (Full), or the reason there is
// none (Err), or a purge or partial payload, which names its child and is not checked.
type Record struct {
	Index    int // 1-based position of the object in the input
	ChildID  string
	Kind     Kind
	Case     *record.Case
	Err      error
	Warnings []record.Warning
}

// NotChecked says why a purge or partial payload was not checked.
func (r Record) NotChecked() string {
	switch r.Kind {
	case Purge:
		return "a purge: a notice that the child's record is to be deleted, not a record to check"
	case Partial:
		return "a partial payload (changed fields only, no top-level purge key): check the full payload, which holds the unchanged episodes too"
	}
	return ""
}

// Read streams the child objects of one input to fn, in order. A malformed object is a
// record with Err, named by its place; text that cannot be read as JSON at all ends the input
// with a record with Err and Index 0.
func Read(r io.Reader, opts Options, fn func(Record) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	// The first byte decides: an array is one batch as posted; anything else is objects
	// one after another (one a line, or an envelope {"Children": […]} each).
	var first byte
	for {
		b, err := br.Peek(1)
		if err != nil {
			return nil // empty
		}
		if b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' {
			_, _ = br.Discard(1)
			continue
		}
		first = b[0]
		break
	}
	dec := json.NewDecoder(br)
	index := 0
	each := func(raw json.RawMessage) error {
		index++
		return fn(decode(raw, index, opts))
	}
	broken := func(err error) error {
		return fn(Record{Err: fmt.Errorf("after object %d: not JSON (%v): the rest of the input was not read", index, err)})
	}
	if first == '[' {
		if _, err := dec.Token(); err != nil {
			return broken(err)
		}
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return broken(err)
			}
			if err := each(raw); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return broken(err)
		}
		return nil
	}
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return broken(err)
		}
		var env struct {
			Children json.RawMessage `json:"Children"`
		}
		if json.Unmarshal(raw, &env) == nil && len(env.Children) > 0 {
			var list []json.RawMessage
			if json.Unmarshal(env.Children, &list) != nil {
				list = []json.RawMessage{env.Children}
			}
			for _, c := range list {
				if err := each(c); err != nil {
					return err
				}
			}
			continue
		}
		if err := each(raw); err != nil {
			return err
		}
	}
}

// The payload's child object, as far as wtcheck reads it. Dates stay text, to be parsed with
// their paths; unknown keys are ignored.
type child struct {
	LAChildID    *string         `json:"la_child_id"`
	Purge        *bool           `json:"purge"`
	ChildDetails *details        `json:"child_details"`
	Episodes     []*episode      `json:"social_care_episodes"`
	Health       json.RawMessage `json:"health_and_wellbeing"`
}

type details struct {
	DateOfBirth         string   `json:"date_of_birth"`
	ExpectedDateOfBirth string   `json:"expected_date_of_birth"`
	Disabilities        []string `json:"disabilities"`
}

type episode struct {
	ID          string        `json:"social_care_episode_id"`
	Referral    string        `json:"referral_date"`
	Source      string        `json:"referral_source"`
	NFA         *bool         `json:"referral_no_further_action_flag"`
	Closure     string        `json:"closure_date"`
	Assessments []*assessment `json:"child_and_family_assessments"`
	CINPlans    []*plan       `json:"child_in_need_plans"`
	S47         []*s47        `json:"section_47_assessments"`
	CPPlans     []*plan       `json:"child_protection_plans"`
	Purge       bool          `json:"purge"`
}

type assessment struct {
	ID            string `json:"child_and_family_assessment_id"`
	Start         string `json:"start_date"`
	Authorisation string `json:"authorisation_date"`
	Purge         bool   `json:"purge"`
}

type plan struct {
	CINID string `json:"child_in_need_plan_id"`
	CPID  string `json:"child_protection_plan_id"`
	Start string `json:"start_date"`
	End   string `json:"end_date"`
	Purge bool   `json:"purge"`
}

type s47 struct {
	ID           string `json:"section_47_assessment_id"`
	Start        string `json:"start_date"`
	ICPCRequired *bool  `json:"icpc_required_flag"`
	ICPCDate     string `json:"icpc_date"`
	End          string `json:"end_date"`
	Purge        bool   `json:"purge"`
}

// decode makes the record of one child object.
func decode(raw json.RawMessage, index int, opts Options) Record {
	rec := Record{Index: index}
	var ch child
	if err := json.Unmarshal(raw, &ch); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return Record{Index: index, Err: fmt.Errorf("%s: a value of the wrong type (want %s)", te.Field, te.Type)}
		}
		return Record{Index: index, Err: errors.New("not a JSON object")}
	}
	if ch.LAChildID == nil || strings.TrimSpace(*ch.LAChildID) == "" {
		return Record{Index: index, Err: errors.New("la_child_id: is required")}
	}
	id := strings.TrimSpace(*ch.LAChildID)
	rec.ChildID = id
	switch {
	case ch.Purge != nil && *ch.Purge:
		rec.Kind = Purge
		return rec
	case ch.Purge == nil:
		rec.Kind = Partial
		return rec
	}
	var problems []error
	date := func(path, s string) record.Date {
		if s == "" {
			return record.Date{}
		}
		d, err := record.ParseDate(s)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: is not a date in the form YYYY-MM-DD from 1900 to 2200", path))
		}
		return d
	}
	lacks := make([]string, 0, 24)
	for _, g := range Lacks() {
		lacks = append(lacks, g.Path)
	}
	c := &record.Case{
		Format: record.CaseFormat, CaseID: id, ExtractDate: opts.ExtractDate,
		Child:      record.Child{ID: id},
		Referrals:  []*record.Referral{},
		Provenance: record.Provenance{Format: Format, Lacks: lacks, Proxies: []string{proxyDiscussion}},
	}
	if d := ch.ChildDetails; d != nil {
		c.Child.BirthDate = date("child_details.date_of_birth", d.DateOfBirth)
		c.Child.ExpectedBirthDate = date("child_details.expected_date_of_birth", d.ExpectedDateOfBirth)
		for _, code := range d.Disabilities {
			if code = strings.TrimSpace(code); code != "" && !strings.EqualFold(code, "NONE") {
				c.Child.Disabled = true
			}
		}
	}
	for i, e := range ch.Episodes {
		p := fmt.Sprintf("social_care_episodes[%d]", i)
		if e == nil || e.Purge {
			continue
		}
		r := &record.Referral{
			ID: e.ID, Received: date(p+".referral_date", e.Referral), Source: e.Source, Closed: date(p+".closure_date", e.Closure),
			Assessments: []*record.Assessment{}, StrategyDiscussions: []*record.StrategyDiscussion{},
			S47Enquiries: []*record.S47Enquiry{}, Conferences: []*record.Conference{}, Plans: []*record.Plan{},
		}
		if e.ID == "" {
			problems = append(problems, fmt.Errorf("%s.social_care_episode_id: is required", p))
		}
		if e.Referral == "" {
			problems = append(problems, fmt.Errorf("%s.referral_date: is required", p))
		}
		if e.NFA != nil && *e.NFA {
			r.Outcome = "no_further_action"
		}
		for j, a := range e.Assessments {
			if a == nil || a.Purge {
				continue
			}
			ap := fmt.Sprintf("%s.child_and_family_assessments[%d]", p, j)
			r.Assessments = append(r.Assessments, &record.Assessment{ID: a.ID, Kind: "single",
				Started: date(ap+".start_date", a.Start), Completed: date(ap+".authorisation_date", a.Authorisation)})
		}
		for j, s := range e.S47 {
			if s == nil || s.Purge {
				continue
			}
			sp := fmt.Sprintf("%s.section_47_assessments[%d]", p, j)
			q := &record.S47Enquiry{ID: s.ID, Started: date(sp+".start_date", s.Start), Completed: date(sp+".end_date", s.End)}
			if s.ICPCRequired != nil {
				q.Outcome = "no_further_action"
				if *s.ICPCRequired {
					q.Outcome = "icpc"
				}
			}
			if !q.Started.IsZero() {
				sd := &record.StrategyDiscussion{ID: "SD-" + s.ID, Date: q.Started}
				q.StrategyDiscussionID = sd.ID
				r.StrategyDiscussions = append(r.StrategyDiscussions, sd)
			}
			r.S47Enquiries = append(r.S47Enquiries, q)
			if k := date(sp+".icpc_date", s.ICPCDate); !k.IsZero() {
				r.Conferences = append(r.Conferences, &record.Conference{ID: "icpc:" + s.ID, Kind: "initial", S47ID: s.ID, Date: k})
			}
		}
		for j, pl := range e.CINPlans {
			if pl == nil || pl.Purge {
				continue
			}
			pp := fmt.Sprintf("%s.child_in_need_plans[%d]", p, j)
			r.Plans = append(r.Plans, &record.Plan{ID: "cin:" + pl.CINID, Kind: "child_in_need",
				Started: date(pp+".start_date", pl.Start), Ended: date(pp+".end_date", pl.End)})
		}
		for j, pl := range e.CPPlans {
			if pl == nil || pl.Purge {
				continue
			}
			pp := fmt.Sprintf("%s.child_protection_plans[%d]", p, j)
			r.Plans = append(r.Plans, &record.Plan{ID: "cp:" + pl.CPID, Kind: "child_protection",
				Started: date(pp+".start_date", pl.Start), Ended: date(pp+".end_date", pl.End)})
		}
		c.Referrals = append(c.Referrals, r)
	}
	if len(problems) > 0 {
		rec.Err = errors.Join(problems...)
		return rec
	}
	slices.SortStableFunc(c.Referrals, func(a, b *record.Referral) int { return strings.Compare(a.Received.String(), b.Received.String()) })
	if err := record.Validate(c); err != nil {
		rec.Err = err
		return rec
	}
	rec.Case = c
	rec.Warnings = record.Warnings(c)
	return rec
}

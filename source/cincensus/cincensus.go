package cincensus

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source"
)

// Options control the import.
type Options struct {
	// S47StartAsStrategyDiscussion fills each section 47 enquiry's strategy discussion with one
	// dated on the enquiry's start date (S47ActualStartDate), the proxy the DfE's published
	// statistics use for the initial conference timescale. Off by default: without it strategy
	// discussions are lacking.
	S47StartAsStrategyDiscussion bool
}

// Format is the provenance.format of imported records.
const Format = "cin-census"

// InputFormat describes the source for the table of formats (package source/registry).
var InputFormat = source.Format{
	Name:        Format,
	Description: "a Children in Need census return (XML), imported into case records; what it cannot record gives insufficient_data",
	Expect:      "a CIN census return, as --input-format cin-census says",
	Extensions:  []string{".xml"},
	Gaps: func(o source.Options) []source.Gap {
		return Lacks(Options{S47StartAsStrategyDiscussion: o.S47StartAsStrategyDiscussion})
	},
	Open: func(o source.Options) (source.Source, error) {
		opts := Options{S47StartAsStrategyDiscussion: o.S47StartAsStrategyDiscussion}
		return source.Func(func(in source.Input, fn func(source.Record) error) error {
			if in.Open == nil {
				return fn(source.Record{File: in.Name, Err: fmt.Errorf("open: %w", source.ErrNoOpen)})
			}
			f, err := in.Open()
			if err != nil {
				return fn(source.Record{File: in.Name, Err: fmt.Errorf("open: %w", err)})
			}
			defer f.Close()
			return Read(f, in.Name, opts, fn)
		}), nil
	},
}

// proxyNote is the provenance.proxies entry of the strategy discussion proxy.
const proxyNote = "strategy_discussions.date: section 47 start date (S47ActualStartDate), as in the DfE's statistics"

// Lacks lists what a census return cannot record (provenance.lacks), with a reason each, for
// `wtcheck import --coverage`.
func Lacks(opts Options) []source.Gap {
	discussions := source.Gap{Path: "strategy_discussions", Reason: "the census has no strategy discussions: a section 47 enquiry is recorded from its start date (S47ActualStartDate) alone"}
	if opts.S47StartAsStrategyDiscussion {
		discussions = source.Gap{Path: "strategy_discussions.agencies", Reason: "the strategy discussions are a proxy dated on the section 47 start date; the census does not say who took part"}
	}
	return []source.Gap{
		{Path: "decision", Reason: "the census records the day a referral was received (CINreferralDate), not the day the decision on the type of response was made"},
		discussions,
		{Path: "assessments.seen", Reason: "the census records when an assessment started and was authorised, not the days the child was seen"},
		{Path: "assessments.seen_alone", Reason: "the census does not record whether the child was seen alone during an assessment"},
		{Path: "assessments.wishes_recorded", Reason: "the census does not record whether the child's wishes and feelings were recorded in an assessment"},
		{Path: "s47_enquiries.completed", Reason: "the census records when a section 47 enquiry started and its initial conference, not when the enquiry was completed"},
		{Path: "s47_enquiries.seen", Reason: "the census does not record when the child was seen during a section 47 enquiry"},
		{Path: "s47_enquiries.seen_alone", Reason: "the census does not record whether the child was seen alone during a section 47 enquiry"},
		{Path: "s47_enquiries.wishes_recorded", Reason: "the census does not record whether the child's wishes and feelings were recorded in a section 47 enquiry"},
		{Path: "s47_enquiries.not_seen_reason", Reason: "the census does not record why a child was not seen during a section 47 enquiry"},
		{Path: "conferences.chair_independent", Reason: "the census records the dates of conferences, not who chaired them"},
		{Path: "conferences.notified", Reason: "the census has no transfer-in conferences, nor the day a move was notified"},
		{Path: "plans.core_groups", Reason: "the census records a child protection plan's start, end and review conferences, not its core group meetings"},
		{Path: "plans.visits", Reason: "the census does not record visits to a child on a plan"},
		{Path: "plans.end_reason", Reason: "the census records the day a plan ended (CPPendDate, CINPlanEndDate), not why it ended"},
		{Path: "homeless", Reason: "the census does not record whether the family is homeless or threatened with homelessness"},
		{Path: "housing_referral", Reason: "the census does not record a referral to the housing authority"},
		{Path: "housing_referral_refused", Reason: "the census does not record a family's refusal of consent to a housing referral"},
		{Path: "early_help_considered", Reason: "the census does not record when early help was considered"},
		{Path: "child.circumstances", Reason: "the census records disabilities, but not the other early-help indicators (young carer, parent in custody, …)"},
	}
}

func lackPaths(opts Options) []string {
	gaps := Lacks(opts)
	out := make([]string, len(gaps))
	for i, g := range gaps {
		out[i] = g.Path
	}
	return out
}

// ReadFile imports a census XML file, streaming: one source.Record per Child, in order, Index =
// 1-based child position, CaseID = LAchildID. Problems with a child, or with the file, reach
// fn as records with Err set; an error returned by fn stops the reading and is returned.
func ReadFile(path string, opts Options, fn func(source.Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fn(source.Record{File: path, Err: fmt.Errorf("open: %w", err)})
	}
	defer f.Close()
	return Read(f, path, opts, fn)
}

// MaxChildBytes bounds the XML of one Child, so that a hostile or corrupt return (one Child
// that never ends) cannot exhaust memory: a real child's record is a few kilobytes.
const MaxChildBytes = 16 << 20

// MaxOutsideBytes bounds the XML outside any Child: the header before the first, what lies
// between two (white space, comments, other elements) and what follows the last. A return's
// header is under a kilobyte; without a bound, a gigabyte of white space or one endless
// comment would be read into a single token in memory.
const MaxOutsideBytes = 1 << 20

// errOverBudget stops the decoder when a Child, or the XML between two, outgrows its bound.
var errOverBudget = errors.New("over budget")

// errChildTooLong words errOverBudget within a Child.
var errChildTooLong = fmt.Errorf("a Child is longer than %d bytes", MaxChildBytes)

// readAhead is what the buffered reader below the decoder may have read past the token it
// hands on: every budget allows for it.
const readAhead = 64 << 10

// Read is ReadFile on a reader; name is used in errors and Record.File.
func Read(r io.Reader, name string, opts Options, fn func(source.Record) error) error {
	bound := source.NewBudget(r, errOverBudget)
	bound.Allow(MaxOutsideBytes + readAhead)
	br := bufio.NewReaderSize(bound, readAhead)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	dec := newDecoder(br)
	b := builder{opts: opts, lacks: lackPaths(opts)}
	haveRef := false
	index := 0
	fileErr := func(index int, err error) error {
		return fn(source.Record{File: name, Index: index, Err: err})
	}
	from := 1 // where the text or comments now being read began, for an error that ends them
	for {
		tok, err := dec.Token()
		switch tok.(type) {
		case nil, xml.CharData, xml.Comment:
		default:
			from, _ = dec.InputPos()
		}
		if err == io.EOF {
			if !haveRef {
				return fileErr(0, errNoReferenceDate)
			}
			return nil
		}
		if err != nil {
			return fileErr(index+1, fmt.Errorf("%s; the rest of the file could not be read", describeOutsideError(err, from, index)))
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch start.Name.Local {
		case "ReferenceDate":
			if haveRef {
				continue // the first one is the return's
			}
			var f xText
			if err := f.UnmarshalXML(dec, start); err != nil {
				return fileErr(index+1, fmt.Errorf("%s; the rest of the file could not be read", describeOutsideError(err, from, index)))
			}
			d, problem := parseDate(f.s)
			if problem == "" && d.IsZero() {
				problem = "is empty"
			}
			if problem != "" {
				return fileErr(0, fmt.Errorf("line %d: ReferenceDate %s: every record needs the return's as-of date, so nothing was read", f.line, problem))
			}
			b.ref, haveRef = d, true
		case "Child":
			if !haveRef {
				return fileErr(0, errNoReferenceDate)
			}
			index++
			line, _ := dec.InputPos()
			var ch child
			bound.Allow(MaxChildBytes + readAhead)
			err := dec.DecodeElement(&ch, &start)
			bound.Allow(MaxOutsideBytes + readAhead)
			from, _ = dec.InputPos()
			if errors.Is(err, errOverBudget) {
				return fn(source.Record{File: name, Index: index, Err: fmt.Errorf("%v, in the Child that starts on line %d; the rest of the file could not be read", errChildTooLong, line)})
			}
			if err != nil {
				return fn(source.Record{File: name, Index: index, CaseID: strings.TrimSpace(ch.Identifiers.LAchildID.s),
					Err: fmt.Errorf("%s, in the Child that starts on line %d; the rest of the file could not be read", describeReadError(err), line)})
			}
			rec := b.record(&ch, line)
			rec.File, rec.Index = name, index
			if err := fn(rec); err != nil {
				return err
			}
		}
	}
}

// describeOutsideError words an error of the decoder outside any Child: the bound passed
// (by the token that starts on line), or the XML's own error.
func describeOutsideError(err error, line, children int) string {
	if !errors.Is(err, errOverBudget) {
		return describeReadError(err)
	}
	where := fmt.Sprintf("after Child %d", children)
	if children == 0 {
		where = "before the first Child"
	}
	return fmt.Sprintf("from line %d: more than %d MiB of XML outside any Child (header, comments, white space), %s", line, MaxOutsideBytes>>20, where)
}

var errNoReferenceDate = errors.New("no ReferenceDate (Message/Header/CollectionDetails/ReferenceDate) before the first Child: every record needs the return's as-of date, so nothing was read")

// describeReadError words an error of the XML decoder without quoting the file's text: the
// decoder's own messages can include a fragment of a value (an entity name, say).
func describeReadError(err error) string {
	var syn *xml.SyntaxError
	if !errors.As(err, &syn) {
		return fmt.Sprintf("read: %v", err)
	}
	what := "the XML is not well formed"
	switch m := syn.Msg; {
	case m == "unexpected EOF":
		what = "the file ends in the middle of an element (is it cut short?)"
	case strings.Contains(m, "closed by"):
		what = "an element is closed by the end tag of another"
	case strings.HasPrefix(m, "unexpected end element"):
		what = "an end tag matches no start tag"
	case strings.Contains(m, "entity"):
		what = "an unknown or malformed character entity (&…;)"
	case strings.Contains(m, "UTF-8"):
		what = "the text is not valid UTF-8 (is the declared encoding right?)"
	case strings.Contains(m, "illegal character"):
		what = "a character that XML does not allow"
	}
	return fmt.Sprintf("line %d: malformed XML: %s", syn.Line, what)
}

// The census elements read, by local name. Elements not named here are passed over.
type child struct {
	Identifiers struct {
		LAchildID         xText `xml:"LAchildID"`
		BirthDate         xText `xml:"PersonBirthDate"`
		ExpectedBirthDate xText `xml:"ExpectedPersonBirthDate"`
	} `xml:"ChildIdentifiers"`
	Disabilities []xText   `xml:"ChildCharacteristics>Disabilities>Disability"`
	Details      []details `xml:"CINdetails"`
}

type details struct {
	line         int
	ReferralDate xText        `xml:"CINreferralDate"`
	Source       xText        `xml:"ReferralSource"`
	ClosureDate  xText        `xml:"CINclosureDate"`
	InitialCPC   xText        `xml:"DateOfInitialCPC"`
	NFA          xText        `xml:"ReferralNFA"`
	Assessments  []assessment `xml:"Assessments"`
	CINPlans     []cinPlan    `xml:"CINPlanDates"`
	Section47    []section47  `xml:"Section47"`
	CPPlans      []cpPlan     `xml:"ChildProtectionPlans"`
}

// detailsFields is details without its UnmarshalXML, to decode the body into.
type detailsFields details

// UnmarshalXML keeps the line of the CINdetails element, for a CINreferralDate that is missing.
func (d *details) UnmarshalXML(dec *xml.Decoder, start xml.StartElement) error {
	d.line, _ = dec.InputPos()
	return dec.DecodeElement((*detailsFields)(d), &start)
}

type assessment struct {
	Started   xText `xml:"AssessmentActualStartDate"`
	Completed xText `xml:"AssessmentAuthorisationDate"`
}

type cinPlan struct {
	Started xText `xml:"CINPlanStartDate"`
	Ended   xText `xml:"CINPlanEndDate"`
}

type section47 struct {
	Started     xText `xml:"S47ActualStartDate"`
	InitialCPC  xText `xml:"DateOfInitialCPC"`
	NotRequired xText `xml:"ICPCnotRequired"`
}

type cpPlan struct {
	Started  xText   `xml:"CPPstartDate"`
	Ended    xText   `xml:"CPPendDate"`
	Category xText   `xml:"LatestCategoryOfAbuse"`
	Reviews  []xText `xml:"Reviews>CPPreviewDate"`
}

// xText is the text of a leaf element and the line it is on.
type xText struct {
	line int
	s    string
}

// UnmarshalXML reads the element's text (nested elements are passed over) and its line.
func (t *xText) UnmarshalXML(dec *xml.Decoder, start xml.StartElement) error {
	t.line, _ = dec.InputPos()
	return dec.DecodeElement(&t.s, &start)
}

// categories maps the census categories of abuse to the case format's plan categories.
var categories = map[string]string{"NEG": "neglect", "PHY": "physical", "EMO": "emotional", "SAB": "sexual", "MUL": "multiple"}

// builder turns one decoded child into a case record.
type builder struct {
	opts     Options
	ref      record.Date
	lacks    []string
	problems []problem
	warnings []warning
}

// warning is a data warning of the child, with the line it is on for ordering.
type warning struct {
	line int
	record.Warning
}

type problem struct {
	line int
	text string
}

// where names an element of a child, relative to the Child, for an error: formatted only when
// there is a problem.
type where struct {
	detail int    // 1-based CINdetails, 0 for ChildIdentifiers
	group  string // an element repeated inside CINdetails (Section47, …), or ""
	gi     int    // its 1-based position
	elem   string // the element itself, or "" for the group (or CINdetails) as a whole
	ei     int    // 1-based position of a repeated leaf (CPPreviewDate), or 0
}

func (w where) String() string {
	var b strings.Builder
	if w.detail == 0 {
		b.WriteString("ChildIdentifiers")
	} else {
		b.WriteString("CINdetails[" + strconv.Itoa(w.detail) + "]")
	}
	if w.group != "" {
		b.WriteString("/" + w.group + "[" + strconv.Itoa(w.gi) + "]")
	}
	if w.elem != "" {
		b.WriteString("/" + w.elem)
		if w.ei > 0 {
			b.WriteString("[" + strconv.Itoa(w.ei) + "]")
		}
	}
	return b.String()
}

func (b *builder) add(line int, w where, what string) {
	b.problems = append(b.problems, problem{line, fmt.Sprintf("line %d: %s %s", line, w, what)})
}

// date reads a date element; an absent or empty one is not recorded. An event (anything but a
// planned date) after the return's reference date is kept, and warned of: the check counts it
// as not yet happened, as for any extract (case-format.md, "The as-of date").
func (b *builder) date(t xText, event bool, w where) record.Date {
	d, problem := parseDate(t.s)
	switch {
	case problem != "":
		b.add(t.line, w, problem)
	case event && d.After(b.ref):
		b.warnings = append(b.warnings, warning{t.line, record.Warning{Path: w.String(),
			Warning: fmt.Sprintf("on line %d %s", t.line, futureDatedWarning)}})
	}
	return d
}

// futureDatedWarning is what a warning about an event after the return's ReferenceDate says.
const futureDatedWarning = "is after the return's ReferenceDate: counted as not yet happened"

// yes reads a yes/no element: true/false, TRUE/FALSE or 1/0, in any case; absent or empty is
// not recorded, which is false.
func (b *builder) yes(t xText, w where) bool {
	s := strings.TrimSpace(t.s)
	switch {
	case s == "", s == "0", strings.EqualFold(s, "false"):
		return false
	case s == "1", strings.EqualFold(s, "true"):
		return true
	}
	b.add(t.line, w, "is not a yes/no value (true/false, TRUE/FALSE or 1/0)")
	return false
}

// parseDate reads YYYY-MM-DD, allowing the zone suffix xs:date permits; "" gives the zero
// date. The reason it gives for a bad date never quotes the text.
func parseDate(s string) (record.Date, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return record.Date{}, ""
	}
	if len(s) > 10 {
		zone := s[10:]
		if zone == "Z" || (len(zone) == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' && digits(zone[1:3]) && digits(zone[4:])) {
			s = s[:10]
		}
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s[:4]) || !digits(s[5:7]) || !digits(s[8:]) {
		return record.Date{}, "is not a date in the form YYYY-MM-DD"
	}
	d, err := record.ParseDate(s)
	if err != nil {
		return record.Date{}, "is not a real calendar date from 1900 to 2200"
	}
	return d, ""
}

func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// record builds and validates the case record of one child; line is the Child's.
func (b *builder) record(ch *child, line int) source.Record {
	b.problems = b.problems[:0]
	b.warnings = b.warnings[:0]
	id := strings.TrimSpace(ch.Identifiers.LAchildID.s)
	rec := source.Record{CaseID: id}
	if id == "" {
		b.problems = append(b.problems, problem{line, fmt.Sprintf("line %d: Child has no LAchildID", line)})
	}
	c := &record.Case{
		Format:      record.CaseFormat,
		CaseID:      id,
		ExtractDate: b.ref,
		Child: record.Child{
			ID:                id,
			BirthDate:         b.date(ch.Identifiers.BirthDate, true, where{elem: "PersonBirthDate"}),
			ExpectedBirthDate: b.date(ch.Identifiers.ExpectedBirthDate, false, where{elem: "ExpectedPersonBirthDate"}),
		},
		Referrals:  make([]*record.Referral, 0, len(ch.Details)),
		Provenance: record.Provenance{Format: Format, Lacks: slices.Clone(b.lacks)},
	}
	for _, d := range ch.Disabilities {
		if s := strings.TrimSpace(d.s); s != "" && !strings.EqualFold(s, "NONE") {
			c.Child.Disabled = true
		}
	}
	if b.opts.S47StartAsStrategyDiscussion {
		c.Provenance.Proxies = []string{proxyNote}
	}
	for i := range ch.Details {
		c.Referrals = append(c.Referrals, b.referral(&ch.Details[i], i+1))
	}
	if len(b.problems) > 0 {
		slices.SortStableFunc(b.problems, func(x, y problem) int { return x.line - y.line })
		errs := make([]error, len(b.problems))
		for i, p := range b.problems {
			errs[i] = errors.New(p.text)
		}
		rec.Err = errors.Join(errs...)
		return rec
	}
	// Everything Validate checks is built to hold; this is the safety net.
	if err := record.Validate(c); err != nil {
		rec.Err = fmt.Errorf("line %d: Child: %w", line, err)
		return rec
	}
	rec.Case = c
	// Events after the ReferenceDate are named by their elements and lines, where the return
	// is corrected; impossible orders by the case record's paths, as for any record.
	slices.SortStableFunc(b.warnings, func(x, y warning) int { return x.line - y.line })
	for _, w := range b.warnings {
		rec.Warnings = append(rec.Warnings, w.Warning)
	}
	rec.Warnings = append(rec.Warnings, record.ImpossibleOrders(c)...)
	return rec
}

// referral builds the referral of the n-th CINdetails.
func (b *builder) referral(det *details, n int) *record.Referral {
	r := &record.Referral{
		ID:           "R" + strconv.Itoa(n),
		Source:       strings.TrimSpace(det.Source.s),
		Assessments:  make([]*record.Assessment, 0, len(det.Assessments)),
		S47Enquiries: make([]*record.S47Enquiry, 0, len(det.Section47)),
		Conferences:  []*record.Conference{},
		Plans:        make([]*record.Plan, 0, len(det.CINPlans)+len(det.CPPlans)),
	}
	at := func(group string, gi int, elem string) where {
		return where{detail: n, group: group, gi: gi, elem: elem}
	}
	if strings.TrimSpace(det.ReferralDate.s) == "" {
		b.add(det.line, at("", 0, ""), "has no CINreferralDate")
	} else {
		r.Received = b.date(det.ReferralDate, true, at("", 0, "CINreferralDate"))
	}
	r.Closed = b.date(det.ClosureDate, true, at("", 0, "CINclosureDate"))
	if b.yes(det.NFA, at("", 0, "ReferralNFA")) {
		r.Outcome = "no_further_action"
	}
	episodeICPC := b.date(det.InitialCPC, true, at("", 0, "DateOfInitialCPC"))

	for i, a := range det.Assessments {
		r.Assessments = append(r.Assessments, &record.Assessment{
			ID:        "A" + strconv.Itoa(i+1),
			Kind:      "single",
			Started:   b.date(a.Started, true, at("Assessments", i+1, "AssessmentActualStartDate")),
			Completed: b.date(a.Completed, true, at("Assessments", i+1, "AssessmentAuthorisationDate")),
		})
	}

	if b.opts.S47StartAsStrategyDiscussion {
		r.StrategyDiscussions = make([]*record.StrategyDiscussion, 0, len(det.Section47))
	}
	conference := func(k *record.Conference) {
		k.ID = "K" + strconv.Itoa(len(r.Conferences)+1)
		r.Conferences = append(r.Conferences, k)
	}
	notRequired := make([]bool, len(det.Section47))
	s47HasICPC := false
	for i, s := range det.Section47 {
		e := &record.S47Enquiry{
			ID:      "S" + strconv.Itoa(i+1),
			Started: b.date(s.Started, true, at("Section47", i+1, "S47ActualStartDate")),
		}
		r.S47Enquiries = append(r.S47Enquiries, e)
		if b.opts.S47StartAsStrategyDiscussion && !e.Started.IsZero() {
			sd := &record.StrategyDiscussion{ID: "SD-" + e.ID, Date: e.Started}
			r.StrategyDiscussions = append(r.StrategyDiscussions, sd)
			e.StrategyDiscussionID = sd.ID
		}
		notRequired[i] = b.yes(s.NotRequired, at("Section47", i+1, "ICPCnotRequired"))
		held := b.date(s.InitialCPC, true, at("Section47", i+1, "DateOfInitialCPC"))
		if strings.TrimSpace(s.InitialCPC.s) != "" {
			s47HasICPC = true
		}
		switch {
		case notRequired[i]:
			e.Outcome = "no_further_action"
		case !held.IsZero():
			e.Outcome = "icpc"
		}
		if !held.IsZero() {
			conference(&record.Conference{Kind: "initial", S47ID: e.ID, Date: held})
		}
	}
	if !episodeICPC.IsZero() && !s47HasICPC {
		k := &record.Conference{Kind: "initial", Date: episodeICPC}
		var tied *record.S47Enquiry
		for i, e := range r.S47Enquiries {
			if notRequired[i] || e.Started.IsZero() || e.Started.After(episodeICPC) {
				continue
			}
			if tied == nil || !e.Started.Before(tied.Started) {
				tied = e
			}
		}
		if tied != nil {
			k.S47ID, tied.Outcome = tied.ID, "icpc"
		}
		conference(k)
	}

	plan := func(p *record.Plan) *record.Plan {
		p.ID = "P" + strconv.Itoa(len(r.Plans)+1)
		r.Plans = append(r.Plans, p)
		return p
	}
	for i, p := range det.CINPlans {
		plan(&record.Plan{
			Kind:    "child_in_need",
			Started: b.date(p.Started, true, at("CINPlanDates", i+1, "CINPlanStartDate")),
			Ended:   b.date(p.Ended, true, at("CINPlanDates", i+1, "CINPlanEndDate")),
		})
	}
	for i, p := range det.CPPlans {
		pl := plan(&record.Plan{
			Kind:     "child_protection",
			Started:  b.date(p.Started, true, at("ChildProtectionPlans", i+1, "CPPstartDate")),
			Ended:    b.date(p.Ended, true, at("ChildProtectionPlans", i+1, "CPPendDate")),
			Category: categories[strings.ToUpper(strings.TrimSpace(p.Category.s))],
		})
		for j, rv := range p.Reviews {
			w := at("ChildProtectionPlans", i+1, "Reviews/CPPreviewDate")
			w.ei = j + 1
			if d := b.date(rv, true, w); !d.IsZero() {
				conference(&record.Conference{Kind: "review", PlanID: pl.ID, Date: d})
			}
		}
	}
	return r
}

package checker

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wtcheck/wtcheck/record"
)

// Pack is one edition's rules, as written in a YAML rule pack.
type Pack struct {
	ID       string  // stable pack id, such as wt2018
	Edition  string  // the edition's year, such as "2018"
	Title    string  // the guidance's title
	Version  string  // the pack's own version, bumped when a rule changes
	Document string  // how citations name the guidance, such as "Working Together 2018"
	Source   string  // where the guidance is published
	InForce  InForce // when the edition was in force
	Params   []*Param
	Rules    []*Rule
	File     string // where the pack was read from, for messages
	// Local marks a pack a user gave (wtcheck check --pack), an overlay or a pack of its
	// own: it names itself in every finding and report, with its file and SHA256, so that a
	// local variant is never taken for the shipped pack.
	Local bool
	// SHA256 is the hex SHA-256 of the pack file as read (of the overlay's file, for an
	// overlay): it tells two versions of a local pack apart.
	SHA256 string
	// Base names the shipped pack an overlay was built on, and its version ("wt2023 0.1.0").
	Base string
	// LocalArrangements names who sets local procedures under the edition (the LSCB in 2010,
	// the safeguarding partners from 2018), which `rules diff` reports.
	LocalArrangements string
	// Note says what of the pack could not be verified against the published text of its
	// edition, such as a pack that copies the previous edition's timescales.
	Note string
	// Extends names the pack an overlay builds on; Disable lists inherited rules it drops.
	Extends string
	Disable []string
	// Changed lists, for an overlay, the rules it replaced or added and Overridden the base
	// parameters whose default it changed: the base's examples do not hold for those rules,
	// nor for the rules that read those parameters.
	Changed    []string
	Overridden []string
}

// InForce is the period an edition was in force; To is zero for the edition in force now.
type InForce struct {
	From record.Date
	To   record.Date
}

// Covers reports whether the edition was in force on d.
func (f InForce) Covers(d record.Date) bool {
	return !d.Before(f.From) && (f.To.IsZero() || !d.After(f.To))
}

// Param is a number or setting that local procedures may set, such as how often a child on a
// plan is visited. Rules read it as params.<name>, so a local authority changes it without
// editing the rule.
type Param struct {
	Name    string
	Type    ParamType
	Default any // int64, string, bool or Date
	Doc     string
	// Min and Max bound an int parameter (nil: no bound on that side), so that no value set
	// with --set or an overlay can make a rule meaningless or run away: a visit interval of
	// 2,147,483,648 working days, or of -5.
	Min, Max *int64
	Pos      Position // where the parameter is declared
	// DefaultPos is where its default is written, for an error about the default.
	DefaultPos Position
}

// CheckValue reports a value outside the parameter's range, naming the range and where it is
// declared.
func (p *Param) CheckValue(v any) error {
	n, ok := v.(int64)
	if !ok || (p.Min == nil || n >= *p.Min) && (p.Max == nil || n <= *p.Max) {
		return nil
	}
	return fmt.Errorf("%d is outside the parameter's range, %s (declared at %s)", n, p.RangeText(), p.Pos)
}

// RangeText describes the parameter's range: "1 to 260", "at least 1", or "" for none.
func (p *Param) RangeText() string {
	switch {
	case p.Min != nil && p.Max != nil:
		return fmt.Sprintf("%d to %d", *p.Min, *p.Max)
	case p.Min != nil:
		return fmt.Sprintf("at least %d", *p.Min)
	case p.Max != nil:
		return fmt.Sprintf("at most %d", *p.Max)
	}
	return ""
}

// ParamType is the type of a pack parameter.
type ParamType string

// Parameter types.
const (
	ParamInt    ParamType = "int"
	ParamString ParamType = "string"
	ParamBool   ParamType = "bool"
	ParamDate   ParamType = "date"
)

// Severity says how strongly the guidance puts a requirement: breach for what it says must
// happen or gives a timescale for, warning for what it says should happen, info for good
// practice. It is separate from a finding's status.
type Severity string

// Severities, weakest first.
const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityBreach  Severity = "breach"
)

// Rank orders severities: info < warning < breach. Unknown severities rank 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityInfo:
		return 1
	case SeverityWarning:
		return 2
	case SeverityBreach:
		return 3
	}
	return 0
}

// Scope names the kind of object a rule is evaluated for: it gets one finding per object of
// that kind (or one per interval, for a rule with `each`).
type Scope string

// Scopes.
const (
	ScopeCase               Scope = "case"
	ScopeReferral           Scope = "referral"
	ScopeAssessment         Scope = "assessment"
	ScopeStrategyDiscussion Scope = "strategy_discussion"
	ScopeS47Enquiry         Scope = "s47_enquiry"
	ScopeConference         Scope = "conference"
	ScopePlan               Scope = "plan"
	// ScopeIncident and ScopeArrangements are the records beyond the case file
	// (incident-format.md): one finding per incident record, or per area's arrangements.
	ScopeIncident     Scope = "incident"
	ScopeArrangements Scope = "arrangements"
)

// Scopes lists every scope in evaluation order.
var Scopes = scopeOrder[:]

// scopeOrder is Scopes as an array, whose length is a constant: an evaluator keeps each
// scope's targets at the scope's index in it.
var scopeOrder = [...]Scope{ScopeCase, ScopeReferral, ScopeAssessment, ScopeStrategyDiscussion, ScopeS47Enquiry, ScopeConference, ScopePlan, ScopeIncident, ScopeArrangements}

// scopeVariable is the CEL variable holding a scope's object (it is also `object`).
var scopeVariable = map[Scope]string{
	ScopeCase:               "case",
	ScopeReferral:           "referral",
	ScopeAssessment:         "assessment",
	ScopeStrategyDiscussion: "discussion",
	ScopeS47Enquiry:         "s47",
	ScopeConference:         "conference",
	ScopePlan:               "plan",
	ScopeIncident:           "incident",
	ScopeArrangements:       "arrangements",
}

// RecordKind names the kind of record a scope's objects are in: the case record for the
// case-level scopes, else the incident or the arrangements record.
type RecordKind string

// Kinds of record.
const (
	KindCase         RecordKind = "case"
	KindIncident     RecordKind = "incident"
	KindArrangements RecordKind = "arrangements"
)

// Kind is the kind of record the scope's objects are in.
func (s Scope) Kind() RecordKind {
	switch s {
	case ScopeIncident:
		return KindIncident
	case ScopeArrangements:
		return KindArrangements
	}
	return KindCase
}

// Kind is the kind of record the rule reads (every scope of a rule is of one kind).
func (r *Rule) Kind() RecordKind {
	if len(r.Scopes) == 0 {
		return KindCase
	}
	return r.Scopes[0].Kind()
}

// Citation says where in the guidance a requirement is.
type Citation struct {
	Document  string   // defaults to the pack's Document
	Chapter   string   // such as "1" or "5"
	Section   string   // the heading, such as "Initial child protection conferences"
	Paragraph string   // such as "81" or "5.38"; several as "5.38–5.40"
	Also      []string // further sources, such as "Children Act 1989 s47(5A)"
}

// String renders the citation for a finding.
func (c Citation) String() string {
	var b strings.Builder
	b.WriteString(c.Document)
	if c.Chapter != "" {
		fmt.Fprintf(&b, ", chapter %s", c.Chapter)
	}
	if c.Paragraph != "" {
		if strings.ContainsAny(c.Paragraph, ",–-") {
			fmt.Fprintf(&b, ", paragraphs %s", c.Paragraph)
		} else {
			fmt.Fprintf(&b, ", paragraph %s", c.Paragraph)
		}
	}
	if c.Section != "" {
		fmt.Fprintf(&b, " (%s)", c.Section)
	}
	for _, a := range c.Also {
		fmt.Fprintf(&b, "; %s", a)
	}
	return b.String()
}

// Rule is one requirement of one edition. A rule is either an assertion (Assert) or a
// deadline (Deadline), evaluated for every object of each of its Scopes.
type Rule struct {
	ID          string   // stable across editions: the same requirement has the same id
	Title       string   // one line
	Description string   // what the guidance requires, in the project's words
	Severity    Severity // breach (must), warning (should) or info
	Citation    Citation
	// Scopes are the kinds of object the rule is evaluated for, usually one. A rule with
	// several (the child's wishes, in assessments and enquiries alike) reads the object as
	// `object`, so the same expressions type-check for each.
	Scopes []Scope
	Needs  []string // facts the rule reads that some sources cannot record (see provenance.lacks)
	// CompareAs names the requirement of another edition this rule answers to, when its id
	// differs: 2010's initial and core assessments compare with assessment-timeliness.
	CompareAs string

	When    Expr // bool: does the rule apply to this object; empty means always
	Each    Expr // list: one finding per item (an interval rule); the item is `item`
	Subject Expr // string: the subject id of an item; required with Each
	// ItemWhen is a bool over `item`: where false, the item opens no interval and gets a
	// not_applicable finding of its own subject (a review that ends the plan), so that every
	// item is accounted for. Empty means every item opens one.
	ItemWhen Expr
	Assert   Expr // bool: the requirement is met
	// PendingWhile is a bool: while true, a false assertion is pending rather than a breach,
	// because the work is still open and the requirement can still be met.
	PendingWhile Expr
	Deadline     *Deadline
	Message      Expr // string: the finding's message; a default is built when empty

	Pos Position // where the rule starts in its pack file

	lines []string // its pack file's lines, for the caret under an error
}

// Deadline is the shape "event B within some time of event A". The engine, not the rule,
// turns the dates into a status with the as-of date, so every rule treats "not yet due" alike.
type Deadline struct {
	Start Expr // timestamp or null: when the clock starts
	// Within is the timescale, such as "15 working days" or "3 months"; the engine computes
	// the due date from it. A rule whose due date needs more than a timescale gives Due
	// instead.
	Within *Timescale
	Due    Expr // timestamp: the due date, computed from `start`
	// DueOn is a fixed due date (due_on), the same for every subject: the day a transition
	// ends, say. Due then holds it as an expression; it need not read start.
	DueOn record.Date
	Done  Expr // timestamp or null: when the awaited event happened
	// Lapse is a timestamp or null: the day the thing the obligation protects ended (a
	// referral closed, a plan ended). Without the event, an obligation that lapsed on or
	// before its due date does not apply, and one that lapsed later is a breach.
	Lapse Expr
}

// Timescale is a period counted from a deadline's start: N working days, calendar days or
// calendar months, where N is a number or a pack parameter.
type Timescale struct {
	N     int
	Param string // set when the period is a parameter's value
	Unit  TimeUnit
	Pos   Position
}

// TimeUnit is the unit of a timescale.
type TimeUnit string

// Time units.
const (
	WorkingDays TimeUnit = "working days"
	Days        TimeUnit = "days"
	Months      TimeUnit = "months"
	// Years are birthdays: someone born on 29 February has theirs on 1 March in other years.
	Years TimeUnit = "years"
)

// String writes the timescale as a pack does: "15 working days", "3 months".
func (t Timescale) String() string {
	n := strconv.Itoa(t.N)
	if t.Param != "" {
		n = t.Param
	}
	unit := string(t.Unit)
	if t.N == 1 && t.Param == "" {
		unit = strings.TrimSuffix(unit, "s")
	}
	return n + " " + unit
}

// dueExpr is the CEL expression that computes a due date from the timescale.
func (t Timescale) dueExpr() string {
	n := strconv.Itoa(t.N)
	if t.Param != "" {
		n = "params." + t.Param
	}
	fn := map[TimeUnit]string{WorkingDays: "addWorkingDays", Days: "addDays", Months: "addMonths", Years: "anniversary"}[t.Unit]
	return fmt.Sprintf("%s(start, %s)", fn, n)
}

// parseTimescale reads "15 working days", "1 working day", "3 months", "10 days", "18 years", or the
// same with a parameter name in place of the number.
func parseTimescale(text string) (*Timescale, error) {
	fields := strings.Fields(text)
	if len(fields) < 2 {
		return nil, fmt.Errorf("timescale %q: want a number and a unit, such as \"15 working days\" or \"3 months\"", text)
	}
	t := &Timescale{}
	if n, err := strconv.Atoi(fields[0]); err == nil {
		if n < 0 {
			return nil, fmt.Errorf("timescale %q: the number must not be negative", text)
		}
		t.N = n
	} else if paramNamePattern.MatchString(fields[0]) {
		t.Param = fields[0]
	} else {
		return nil, fmt.Errorf("timescale %q: %q is neither a number nor a parameter name", text, fields[0])
	}
	switch strings.Join(fields[1:], " ") {
	case "working days", "working day":
		t.Unit = WorkingDays
	case "days", "day":
		t.Unit = Days
	case "months", "month":
		t.Unit = Months
	case "years", "year":
		t.Unit = Years
	default:
		return nil, fmt.Errorf("timescale %q: the unit must be working days, days, months or years", text)
	}
	return t, nil
}

// ReadsParam reports whether the rule's timescale or any of its expressions reads the pack
// parameter name.
func (r *Rule) ReadsParam(name string) bool {
	if d := r.Deadline; d != nil && d.Within != nil && d.Within.Param == name {
		return true
	}
	exprs := []Expr{r.When, r.Each, r.Subject, r.ItemWhen, r.Assert, r.PendingWhile, r.Message}
	if d := r.Deadline; d != nil {
		exprs = append(exprs, d.Start, d.Due, d.Done, d.Lapse)
	}
	for _, e := range exprs {
		if paramRef(name).MatchString(e.Source) {
			return true
		}
	}
	return false
}

// paramRef matches params.<name> as a whole name (params.visit, not params.visit_interval).
func paramRef(name string) *regexp.Regexp {
	return regexp.MustCompile(`\bparams\.` + regexp.QuoteMeta(name) + `\b`)
}

// Expr is a CEL expression in a pack, with where it was written.
type Expr struct {
	Source string
	Pos    Position
	// blockIndent is the column (1-based) of the text of a block scalar, where the
	// expression's own columns start; 0 for an expression on the key's line.
	blockIndent int
	quoted      bool
}

// IsZero reports whether the expression was left out.
func (e Expr) IsZero() bool { return strings.TrimSpace(e.Source) == "" }

// Position is a place in a file, 1-based.
type Position struct {
	File   string
	Line   int
	Column int
}

func (p Position) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Extend builds an overlay on its base: the overlay's rules replace the base's rules of the
// same id and add the others, Disable drops inherited rules, parameters of the same name
// take the overlay's default (with the same type, and the base's range unless the overlay
// gives one), and whatever the overlay leaves out of its header comes from the base. Neither
// pack is changed.
func Extend(base, overlay *Pack) (*Pack, error) {
	if overlay.Extends != base.ID {
		return nil, fmt.Errorf("%s: extends %q, not %q", overlay.File, overlay.Extends, base.ID)
	}
	out := *base
	out.ID, out.File, out.Extends, out.Disable = overlay.ID, overlay.File, overlay.Extends, overlay.Disable
	out.Local, out.SHA256, out.Base = overlay.Local, overlay.SHA256, strings.TrimSpace(base.ID+" "+base.Version)
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&out.Edition, overlay.Edition}, {&out.Title, overlay.Title}, {&out.Version, overlay.Version},
		{&out.Document, overlay.Document}, {&out.Source, overlay.Source}, {&out.LocalArrangements, overlay.LocalArrangements},
		{&out.Note, overlay.Note},
	} {
		if f.src != "" {
			*f.dst = f.src
		}
	}
	if !overlay.InForce.From.IsZero() {
		out.InForce = overlay.InForce
	}
	var errs []string
	out.Params = nil
	overridden := map[string]*Param{}
	for _, p := range overlay.Params {
		overridden[p.Name] = p
	}
	for _, p := range base.Params {
		if o, ok := overridden[p.Name]; ok {
			if o.Type != p.Type {
				errs = append(errs, fmt.Sprintf("parameter %s is %s in %s, not %s", p.Name, p.Type, base.ID, o.Type))
			}
			if o.Min == nil && o.Max == nil && (p.Min != nil || p.Max != nil) {
				inherited := *o
				inherited.Min, inherited.Max, inherited.Pos = p.Min, p.Max, p.Pos
				o = &inherited
			}
			out.Params = append(out.Params, o)
			if o.Default != p.Default {
				out.Overridden = append(out.Overridden, p.Name)
			}
			delete(overridden, p.Name)
			continue
		}
		out.Params = append(out.Params, p)
	}
	for _, p := range overlay.Params {
		if _, added := overridden[p.Name]; added {
			out.Params = append(out.Params, p)
		}
	}
	disabled := map[string]bool{}
	for _, id := range overlay.Disable {
		disabled[id] = true
	}
	replaced := map[string]*Rule{}
	out.Changed = nil
	for _, r := range overlay.Rules {
		replaced[r.ID] = r
		out.Changed = append(out.Changed, r.ID)
	}
	out.Rules = nil
	for _, r := range base.Rules {
		switch {
		case disabled[r.ID]:
			delete(disabled, r.ID)
		case replaced[r.ID] != nil:
			out.Rules = append(out.Rules, withDocument(replaced[r.ID], out.Document))
			delete(replaced, r.ID)
		default:
			out.Rules = append(out.Rules, r)
		}
	}
	for _, r := range overlay.Rules {
		if replaced[r.ID] != nil {
			out.Rules = append(out.Rules, withDocument(r, out.Document))
		}
	}
	for id := range disabled {
		errs = append(errs, fmt.Sprintf("disables %s, which %s does not have", id, base.ID))
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		return nil, fmt.Errorf("%s: %s", overlay.File, strings.Join(errs, "; "))
	}
	return &out, nil
}

func withDocument(r *Rule, document string) *Rule {
	if r.Citation.Document != "" {
		return r
	}
	c := *r
	c.Citation.Document = document
	return &c
}

// paramNamePattern is what a parameter's name may be: a CEL identifier in lower case, so that
// params.NAME reads in a rule and a --set names it without quoting.
var paramNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

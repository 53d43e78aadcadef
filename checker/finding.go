package checker

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/record"
)

// Status is what a check found for one rule and one subject.
type Status string

// Statuses.
const (
	StatusBreach           Status = "breach"            // the requirement was not met
	StatusMet              Status = "met"               // the requirement was met
	StatusPending          Status = "pending"           // not yet due, and not yet done
	StatusNotApplicable    Status = "not_applicable"    // the rule does not apply here
	StatusInsufficientData Status = "insufficient_data" // applies, but the record cannot show it
)

// Statuses lists every status in report order.
var Statuses = []Status{StatusBreach, StatusPending, StatusMet, StatusNotApplicable, StatusInsufficientData}

// Finding is one rule's verdict on one subject of one case under one edition.
type Finding struct {
	// CaseID is the case the finding is about; on an incident, the case it names, if any.
	CaseID string `json:"case_id,omitempty"`
	// IncidentID and AreaID are set on the findings of an incident and of an area's
	// arrangements (incident-format.md): the record's own id.
	IncidentID string `json:"incident_id,omitempty"`
	AreaID     string `json:"area_id,omitempty"`
	Edition    string `json:"edition"`
	Rule       string `json:"rule"`
	Subject    string `json:"subject"`
	Referral   string `json:"referral,omitempty"`
	// Pack names the pack that made the finding when a reader could not tell it from the
	// edition alone: a pack loaded with --pack (an overlay or a local pack), or one of two
	// packs of the same edition. Empty for a shipped pack that is its edition's only one.
	Pack     string   `json:"pack,omitempty"`
	Status   Status   `json:"status"`
	Severity Severity `json:"severity"`

	Start record.Date `json:"start,omitzero"`
	Due   record.Date `json:"due,omitzero"`
	Done  record.Date `json:"done,omitzero"`
	// LateWorkingDays and LateDays say how late a breached deadline was met, or how overdue
	// it is at the as-of date (or at the day the obligation lapsed).
	LateWorkingDays *int `json:"late_working_days,omitempty"`
	LateDays        *int `json:"late_days,omitempty"`
	// WorkingDaysLeft is set on pending deadlines: working days from the as-of date to the
	// due date. DueSoon marks those within the due-soon threshold.
	WorkingDaysLeft *int `json:"working_days_left,omitempty"`
	DueSoon         bool `json:"due_soon,omitempty"`

	Message  string `json:"message"`
	Citation string `json:"citation"`
	// ProjectedHolidays lists the bank holidays the finding's working-day counts skipped that
	// were projected by the standard rules for a year after the last published list, not
	// published: a count that may change when that year's list is published.
	ProjectedHolidays []record.Date `json:"projected_holidays,omitempty"`
	// Proxies names the stand-ins (provenance.proxies) the finding was built on, if any.
	Proxies []string `json:"proxies,omitempty"`
	// Note explains a finding further: in --edition in-force, one checked under the edition
	// of its referral although its deadline fell after the next edition came in.
	Note string `json:"note,omitempty"`

	// Closed is the day the work the finding is about ended without its event: the day its
	// obligation lapsed (deadline.lapse), else the day its referral was closed, on or before
	// the as-of date. A breach with a Closed date is history, not open work: the audit's
	// overdue list leaves it out. Not part of the JSON finding (the message says it).
	Closed record.Date `json:"-"`

	// Team is the case's team, for grouping in reports; File and Record say where the case's
	// record was read from, for formats that point at a location (SARIF, GitLab, GitHub).
	// None is part of the JSON finding.
	Team   string `json:"-"`
	File   string `json:"-"`
	Record int    `json:"-"`
}

// Key is the finding's identity across runs (findings-format.md, "Finding identity"): case,
// edition, rule, referral and subject, and the pack where the finding names one. Object ids
// repeat across referrals (A1 in R1 and A1 in R2), so the referral is part of it. It holds
// ids only, never personal data, so it can be kept in a baseline. Baselines, SARIF and
// GitLab fingerprints and the comparison all recognise a finding by it.
func (f *Finding) Key() string {
	return findingKey(f.CaseID, f.Edition, f.Rule, f.Referral, f.Subject, f.Pack)
}

// findingKey is the identity of Finding.Key from its parts, which a baseline's entries hold
// too: the one definition of it.
func findingKey(caseID, edition, rule, referral, subject, pack string) string {
	k := caseID + "\x1f" + edition + "\x1f" + rule + "\x1f" + referral + "\x1f" + subject
	if pack != "" {
		k += "\x1f" + pack
	}
	return k
}

// Kind is the kind of record the finding is about.
func (f *Finding) Kind() RecordKind {
	switch {
	case f.AreaID != "":
		return KindArrangements
	case f.IncidentID != "":
		return KindIncident
	}
	return KindCase
}

// RecordID is the id of the record the finding is about: the case, the incident or the area.
// Reports show it where they show a case id.
func (f *Finding) RecordID() string {
	switch {
	case f.AreaID != "":
		return f.AreaID
	case f.IncidentID != "":
		return f.IncidentID
	}
	return f.CaseID
}

// rank orders the kinds of record in a report: case findings first, then incidents, then
// arrangements (incident-format.md).
func (k RecordKind) rank() int {
	switch k {
	case KindIncident:
		return 1
	case KindArrangements:
		return 2
	}
	return 0
}

// Fails reports whether the finding is a breach of a rule at or above the given severity.
func (f *Finding) Fails(level Severity) bool {
	return f.Status == StatusBreach && level.Rank() > 0 && f.Severity.Rank() >= level.Rank()
}

// SortFindings orders findings by case, edition, rule, referral and subject (then pack, for
// two packs of one edition), so that the same input always gives the same output.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, CompareFindings)
}

// CompareFindings is the order of SortFindings, for sorting findings kept elsewhere: it is
// the one definition of that order, which the merge of findings sorted in runs on disk
// (package batch) follows too, so the two can never disagree.
func CompareFindings(a, b Finding) int { return CompareFindingsAt(&a, &b) }

// CompareFindingsAt is CompareFindings on findings by address: a batch sorts hundreds of
// thousands, and copying two findings into every comparison cost more than comparing them.
// Each key is compared only when the ones before it tie.
func CompareFindingsAt(a, b *Finding) int {
	if c := cmp.Compare(a.Kind().rank(), b.Kind().rank()); c != 0 {
		return c
	}
	for _, k := range [...][2]string{{a.RecordID(), b.RecordID()}, {a.Edition, b.Edition}, {a.Rule, b.Rule},
		{a.Referral, b.Referral}, {a.Subject, b.Subject}, {a.Pack, b.Pack}} {
		if c := strings.Compare(k[0], k[1]); c != 0 {
			return c
		}
	}
	return 0
}

// RecordError is a record that could not be checked, or a rule that could not be evaluated
// on one. It names where the record is, never what it holds.
type RecordError struct {
	File   string `json:"file"`
	Record int    `json:"record"` // 1-based position of the record in its file
	CaseID string `json:"case_id,omitempty"`
	Rule   string `json:"rule,omitempty"` // set for an evaluation error
	Error  string `json:"error"`
}

// RecordWarning is something doubtful in a record that was still checked: an event dated
// after the extract date, say. Like RecordError it names where, never what the record holds.
// A warning about the run as a whole (an --as-of after records' extract dates) has no file.
type RecordWarning struct {
	File    string `json:"file,omitempty"`
	Record  int    `json:"record,omitempty"` // 1-based position of the record in its file
	CaseID  string `json:"case_id,omitempty"`
	Path    string `json:"path,omitempty"` // the field, e.g. referrals[0].conferences[1].date
	Warning string `json:"warning"`
}

// Summary counts what a check read and found.
type Summary struct {
	RecordsRead int `json:"records_read"`
	Cases       int `json:"cases"`
	// Incidents and Arrangements count the records of those kinds checked
	// (incident-format.md); RecordsRead = Cases + Incidents + Arrangements + RecordsSkipped.
	Incidents      int            `json:"incidents,omitempty"`
	Arrangements   int            `json:"arrangements,omitempty"`
	RecordsSkipped int            `json:"records_skipped"`
	Findings       map[Status]int `json:"findings"`
	// EvaluationErrors counts rule evaluations that failed on a record; each is in Errors.
	EvaluationErrors int `json:"evaluation_errors,omitempty"`
	// RulesOverBudget counts the evaluation errors of rules stopped for going over their cost
	// budget on a record (see CostError): a broken pack, which makes the check exit 2.
	RulesOverBudget int `json:"rules_over_budget,omitempty"`
	// ReferralsNotCovered counts, with --edition in-force, referrals no loaded pack covers.
	ReferralsNotCovered int `json:"referrals_not_covered,omitempty"`
	// Warnings counts data warnings; each is in Report.Warnings. Like records_skipped it is
	// always written, so a consumer can rely on it.
	Warnings int `json:"warnings"`
}

// Exit codes of a check.
const (
	ExitOK     = 0 // no finding at or above the --fail-on level
	ExitFailed = 1 // a finding at or above the --fail-on level (or, with --strict, a data error or warning)
	ExitUsage  = 2 // the command could not run as asked, or a rule went over its cost budget
)

// FailOnNone is the --fail-on level at which no finding fails a check.
const FailOnNone Severity = "none"

// ExitCode says how a check ends: 2 when a rule went over its cost budget (the pack is broken,
// so the check is not what was asked); 1 when failing findings (breaches at or above the
// --fail-on level) were found, or when strict is set and a record was skipped, a rule could
// not be evaluated, a referral was not covered by any loaded pack or a data warning was
// given; otherwise 0. Without strict, warnings never change the exit code.
func ExitCode(failing int, s Summary, strict bool) int {
	if s.RulesOverBudget > 0 {
		return ExitUsage
	}
	if failing > 0 || (strict && (s.RecordsSkipped > 0 || s.EvaluationErrors > 0 || s.ReferralsNotCovered > 0 || s.Warnings > 0)) {
		return ExitFailed
	}
	return ExitOK
}

// ParseFailOn reads a --fail-on level: none, info, warning or breach.
func ParseFailOn(s string) (Severity, error) {
	switch Severity(s) {
	case FailOnNone, SeverityInfo, SeverityWarning, SeverityBreach:
		return Severity(s), nil
	}
	return "", fmt.Errorf("--fail-on %q: want none, info, warning or breach", s)
}

// Tool names the program that made a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// PackInfo names a pack a report used. A local pack (given with --pack) also gives its file,
// the SHA-256 of its content and, for an overlay, the shipped pack it extends, so that a
// reader can tell a local variant from the shipped pack and one version of it from another.
type PackInfo struct {
	ID      string `json:"id"`
	Edition string `json:"edition"`
	Version string `json:"version"`
	Extends string `json:"extends,omitempty"` // the shipped pack and version an overlay builds on
	File    string `json:"file,omitempty"`
	SHA256  string `json:"sha256,omitempty"`
}

// PackInfoOf describes a pack for a report.
func PackInfoOf(p *Pack) PackInfo {
	info := PackInfo{ID: p.ID, Edition: p.Edition, Version: p.Version}
	if p.Local {
		info.Extends, info.File, info.SHA256 = p.Base, p.File, p.SHA256
	}
	return info
}

// Label names the pack in one line for a person: "wt2023 0.1.0", or for a local pack
// "la-e09000099 0.1.0 (local.yaml, sha256 1a2b3c4d5e6f, extends wt2023 0.1.0)".
func (p PackInfo) Label() string {
	s := strings.TrimSpace(p.ID + " " + p.Version)
	if p.File == "" {
		return s
	}
	var parts []string
	parts = append(parts, p.File)
	if p.SHA256 != "" {
		parts = append(parts, "sha256 "+p.SHA256[:min(12, len(p.SHA256))])
	}
	if p.Extends != "" {
		parts = append(parts, "extends "+p.Extends)
	}
	return s + " (" + strings.Join(parts, ", ") + ")"
}

// Report is the result of checking a batch: what the JSON output holds.
type Report struct {
	Tool    Tool        `json:"tool"`
	AsOf    record.Date `json:"as_of,omitzero"` // set when every record was checked as at the same day
	Packs   []PackInfo  `json:"packs"`
	Summary Summary     `json:"summary"`
	// Findings are the listed findings, sorted; the JSON writer streams them in this place.
	Findings FindingList   `json:"-"`
	Errors   []RecordError `json:"errors"`
	// Warnings are data warnings: the record was still checked (case-format.md, "The as-of
	// date"). Like Errors, always written, as [] when there is none.
	Warnings []RecordWarning `json:"warnings"`
	// Baseline is set when the check compared its breaches with a baseline.
	Baseline *BaselineSummary `json:"baseline,omitempty"`
	// NotCovered lists, with --edition in-force, the referrals received when no loaded pack
	// was in force: they were not checked.
	NotCovered []NotCovered `json:"not_covered,omitempty"`
	// DueDates lists where a source system's own due dates (the SSD's) differ from the ones
	// the rules compute: a system set up with the wrong timescale, never a breach.
	DueDates []DueDisagreement `json:"due_dates,omitempty"`
	// Failing counts findings at or above the --fail-on level, listed or not.
	Failing int `json:"-"`
	// Rules describes every rule of the packs used, for formats that document the rules
	// alongside the results (SARIF); not part of the JSON report.
	Rules []RuleInfo `json:"-"`
}

// RuleInfo describes one rule of one pack in a report.
type RuleInfo struct {
	Pack, Edition, ID, Title, Description string
	Severity                              Severity
	Citation                              string
}

// RuleInfos describes the rules of compiled packs, in pack and rule order.
func RuleInfos(packs []*CompiledPack) []RuleInfo {
	var out []RuleInfo
	for _, cp := range packs {
		for _, r := range cp.Pack.Rules {
			out = append(out, RuleInfo{Pack: cp.Pack.ID, Edition: cp.Pack.Edition, ID: r.ID, Title: r.Title,
				Description: r.Description, Severity: r.Severity, Citation: r.Citation.String()})
		}
	}
	return out
}

// BaselineSummary says how a check compared with a baseline of known breaches.
type BaselineSummary struct {
	Known      int `json:"known"`      // breaches in the baseline
	Suppressed int `json:"suppressed"` // known breaches still breached, not listed
	Fixed      int `json:"fixed"`      // known breaches of cases checked in this run, no longer breached
	New        int `json:"new"`        // breaches not in the baseline
	// NotInBatch counts known breaches of cases this run did not check: nothing is known of
	// them, so they are not counted as fixed.
	NotInBatch int `json:"not_in_batch"`
	// Outdated is set for a baseline in the v1 format, which leaves out the referral: it was
	// read, but none of its entries hid a breach (checker.ParseBaseline).
	Outdated bool `json:"outdated,omitempty"`
}

// NotCovered is a referral that no loaded pack was in force for, in InForce mode: counted
// and reported, never silently dropped.
type NotCovered struct {
	// IncidentID is set for an incident no pack covers: one with no aware day, or one before
	// the first edition (Referral is then empty, and Received is its aware day).
	IncidentID string      `json:"incident_id,omitempty"`
	CaseID     string      `json:"case_id"`
	Referral   string      `json:"referral"`
	Received   record.Date `json:"received"`
	// File and Record say where the case's record was read from, for formats that point at
	// a location; neither is part of the JSON.
	File   string `json:"-"`
	Record int    `json:"-"`
}

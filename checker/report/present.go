package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/compare"
)

// This file is what several writers present alike: the words for a status and for lateness,
// the one-line forms of a finding's error, a warning, the summary and the baseline, rates,
// editions and plurals. A writer that shows one of these uses the function here, so that the
// same report reads the same in every format.

// StatusLabel is a finding's status as a person reads it: a breach of a rule the guidance
// puts as "should" is a warning (or info), not a breach.
func StatusLabel(f *checker.Finding) string {
	if f.Status == checker.StatusBreach && f.Severity != checker.SeverityBreach {
		return string(f.Severity)
	}
	return strings.ReplaceAll(string(f.Status), "_", " ")
}

// Lateness says how late, how overdue, or how long is left, and marks a count that crossed
// bank holidays projected by rule rather than published.
func Lateness(f *checker.Finding) string { return string(appendLateness(nil, f)) }

// appendLateness appends what Lateness says. strconv, not fmt, and no string made: this is a
// cell of every row of a large text report.
func appendLateness(b []byte, f *checker.Finding) []byte {
	switch {
	case f.LateWorkingDays != nil && !f.Done.IsZero():
		b = append(strconv.AppendInt(b, int64(*f.LateWorkingDays), 10), " wd late"...)
	case f.LateWorkingDays != nil:
		b = append(strconv.AppendInt(b, int64(*f.LateWorkingDays), 10), " wd overdue"...)
	case f.WorkingDaysLeft != nil && f.DueSoon:
		b = append(strconv.AppendInt(b, int64(*f.WorkingDaysLeft), 10), " wd left (due soon)"...)
	case f.WorkingDaysLeft != nil:
		b = append(strconv.AppendInt(b, int64(*f.WorkingDaysLeft), 10), " wd left"...)
	default:
		return append(b, '-')
	}
	if len(f.ProjectedHolidays) > 0 {
		b = append(b, " (projected holidays)"...)
	}
	return b
}

// ErrorLine describes one error entry on a line, its file name, case id and message made
// safe for one line (see plain).
func ErrorLine(e checker.RecordError) string {
	where := plain(e.File)
	if e.Record > 0 {
		where = fmt.Sprintf("%s record %d", where, e.Record)
	}
	if e.CaseID != "" {
		where += " (" + plain(e.CaseID) + ")"
	}
	return where + ": " + plain(e.Error)
}

// WarningLine describes one data warning on a line: where the record is, then the field and
// what is doubtful about it. A warning about the whole run has no record.
func WarningLine(w checker.RecordWarning) string {
	what := w.Warning
	if w.Path != "" {
		what = w.Path + " " + w.Warning
	}
	if w.File == "" {
		return what
	}
	where := plain(w.File)
	if w.Record > 0 {
		where = fmt.Sprintf("%s record %d", where, w.Record)
	}
	if w.CaseID != "" {
		where += " (" + plain(w.CaseID) + ")"
	}
	return where + ": " + what
}

// RecordsChecked counts the records checked by kind: "32 cases", or, when the batch held
// incidents or arrangements, "32 cases, 7 incidents and 2 areas' arrangements".
func RecordsChecked(s checker.Summary) string {
	if s.Incidents == 0 && s.Arrangements == 0 {
		return fmt.Sprintf("%d %s", s.Cases, plural(s.Cases, "case", "cases"))
	}
	var parts []string
	if s.Cases > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", s.Cases, plural(s.Cases, "case", "cases")))
	}
	if s.Incidents > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", s.Incidents, plural(s.Incidents, "incident", "incidents")))
	}
	if s.Arrangements > 0 {
		parts = append(parts, fmt.Sprintf("%d %s arrangements", s.Arrangements, plural(s.Arrangements, "area's", "areas'")))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// SummaryLine counts what was checked and found.
func SummaryLine(r *checker.Report) string {
	s := r.Summary
	var b strings.Builder
	b.WriteString(RecordsChecked(s))
	b.WriteString(" checked")
	if !r.AsOf.IsZero() {
		fmt.Fprintf(&b, " as at %s", r.AsOf)
	}
	fmt.Fprintf(&b, " (%d %s read, %d skipped", s.RecordsRead, plural(s.RecordsRead, "record", "records"), s.RecordsSkipped)
	if s.Warnings > 0 {
		fmt.Fprintf(&b, ", %d %s", s.Warnings, plural(s.Warnings, "warning", "warnings"))
	}
	if s.EvaluationErrors > 0 {
		fmt.Fprintf(&b, ", %d evaluation %s", s.EvaluationErrors, plural(s.EvaluationErrors, "error", "errors"))
	}
	if s.RulesOverBudget > 0 {
		fmt.Fprintf(&b, ", %d over the cost limit", s.RulesOverBudget)
	}
	if s.ReferralsNotCovered > 0 {
		fmt.Fprintf(&b, ", %d %s not covered", s.ReferralsNotCovered, plural(s.ReferralsNotCovered, "referral", "referrals"))
	}
	b.WriteString("): ")
	var parts []string
	for _, st := range checker.Statuses {
		parts = append(parts, fmt.Sprintf("%d %s", s.Findings[st], strings.ReplaceAll(string(st), "_", " ")))
	}
	b.WriteString(strings.Join(parts, ", "))
	return b.String()
}

// BaselineLine says how a check compared with its baseline.
func BaselineLine(b *checker.BaselineSummary) string {
	if b.Outdated {
		return fmt.Sprintf("baseline: %d new %s (a v1 baseline: none of its %d known %s was used)", b.New, plural(b.New, "breach", "breaches"), b.Known, plural(b.Known, "breach", "breaches"))
	}
	s := fmt.Sprintf("baseline: %d new %s, %d known not listed, %d known no longer breached", b.New, plural(b.New, "breach", "breaches"), b.Suppressed, b.Fixed)
	if b.NotInBatch > 0 {
		s += fmt.Sprintf(", %d known in cases not in this batch", b.NotInBatch)
	}
	return s
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// statusKind groups a finding for drawing: a breach of a rule the guidance puts as "should"
// draws as a warning, as StatusLabel names it.
func statusKind(status checker.Status, severity checker.Severity) string {
	switch status {
	case checker.StatusMet:
		return "met"
	case checker.StatusBreach:
		if severity != "" && severity != checker.SeverityBreach {
			return "warning"
		}
		return "breach"
	case checker.StatusPending:
		return "pending"
	case checker.StatusInsufficientData:
		return "insufficient"
	}
	return "na"
}

// num writes a coordinate with at most one decimal, the same on every platform.
func num(x float64) string {
	s := strconv.FormatFloat(math.Round(x*10)/10, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}

// rateText is a compliance rate as a person reads it: "67% (2/3)", "-" when none was decided.
func rateText(met, breach int) string {
	t := checker.Tally{Met: met, Breach: breach}
	pct, ok := t.Percent()
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.0f%% (%d/%d)", pct, met, t.Decided())
}

// percentText is the rate alone: "67%", or "-".
func percentText(met, breach int) string {
	pct, ok := checker.Tally{Met: met, Breach: breach}.Percent()
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", pct)
}

// RateText shows a cell's compliance rate with what it is made of: "83% (5/6)", or "-" when
// nothing was decided and "n/a" when the edition lacks the rule.
func RateText(c compare.Cell) string {
	if !c.Present {
		return "n/a"
	}
	rate, ok := c.Rate()
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.0f%% (%d/%d)", rate*100, c.Met, c.Met+c.Breach)
}

// EditionLabel is a finding's edition as reports show it: "2023", or "2023 la-e09000099" for
// a finding that names its pack (a local pack, or one of two packs of one edition), so that
// a local variant is never read as the shipped pack.
func EditionLabel(f *checker.Finding) string {
	if f.Pack == "" {
		return f.Edition
	}
	return f.Edition + " " + f.Pack
}

// localPacks lists, one line each, the packs of a report that were given with --pack.
func localPacks(r *checker.Report) []string {
	var out []string
	for _, p := range r.Packs {
		if p.File != "" {
			out = append(out, p.Label())
		}
	}
	return out
}

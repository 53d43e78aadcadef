package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/wtcheck/wtcheck/checker"
)

// Text writes a table for a person at a terminal: one finding a row, then the errors and the
// data warnings, then a summary line.
func Text(w io.Writer, r *checker.Report) error {
	ew := &errWriter{w: w}
	proxies := false
	if r.ListedLen() > 0 {
		// The table is laid out as text/tabwriter would (each column as wide as its widest
		// cell, in runes, and two spaces), but from two walks of the list, one to measure
		// and one to write, because tabwriter holds every row until the end, which for a
		// large report is more than the findings themselves.
		header := []string{"CASE", "EDITION", "RULE", "SUBJECT", "STATUS", "DUE", "DONE", "LATE / LEFT"}
		widths := make([]int, len(header)-1)
		measure := func(row []string) {
			for i := range widths {
				widths[i] = max(widths[i], utf8.RuneCountInString(row[i]))
			}
		}
		measure(header)
		for f := range r.Listed() {
			measure(textRow(f))
			proxies = proxies || len(f.Proxies) > 0
		}
		var line []byte
		write := func(row []string) {
			line = line[:0]
			for i, cell := range row[:len(widths)] {
				line = append(line, cell...)
				for range widths[i] + 2 - utf8.RuneCountInString(cell) {
					line = append(line, ' ')
				}
			}
			line = append(line, row[len(widths)]...)
			line = append(line, '\n')
			ew.Write(line)
		}
		write(header)
		for f := range r.Listed() {
			write(textRow(f))
		}
		if proxies {
			fmt.Fprintln(ew, "(proxy): the finding rests on a stand-in the import was asked for; the JSON report names it.")
		}
		fmt.Fprintln(ew)
	}
	if len(r.NotCovered) > 0 {
		fmt.Fprintf(ew, "Not covered: %d %s received when no loaded pack was in force, not checked:\n", len(r.NotCovered), plural(len(r.NotCovered), "referral", "referrals"))
		for _, n := range r.NotCovered {
			fmt.Fprintf(ew, "  %s %s, received %s\n", plain(n.CaseID), plain(n.Referral), n.Received)
		}
		fmt.Fprintln(ew)
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(ew, "Errors (%d):\n", len(r.Errors))
		for _, e := range r.Errors {
			fmt.Fprintf(ew, "  %s\n", ErrorLine(e))
		}
		fmt.Fprintln(ew)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(ew, "Warnings (%d):\n", len(r.Warnings))
		for _, w := range r.Warnings {
			fmt.Fprintf(ew, "  %s\n", WarningLine(w))
		}
		fmt.Fprintln(ew)
	}
	if len(r.DueDates) > 0 {
		fmt.Fprintf(ew, "Due dates the source system set that differ from the guidance (%d; not breaches):\n", len(r.DueDates))
		for _, d := range r.DueDates {
			fmt.Fprintf(ew, "  %s\n", DueDateLine(d))
		}
		fmt.Fprintln(ew)
	}
	for _, p := range localPacks(r) {
		fmt.Fprintf(ew, "Local pack: %s\n", p)
	}
	fmt.Fprintln(ew, SummaryLine(r))
	return ew.err
}

// DueDateLine describes one due date a source system set that differs from the one the rule
// computes: the case, edition, rule and subject, both dates, and where the system's was read.
func DueDateLine(d checker.DueDisagreement) string {
	return fmt.Sprintf("%s %s %s %s: the system's due date %s, the guidance's %s (%s) [%s]", plain(d.CaseID), plain(d.Edition), d.Rule, plain(d.Subject),
		d.SystemDue, d.Due, dayDiff(d.Days), plain(d.Where))
}

// dayDiff says how far a system's due date is from the guidance's.
func dayDiff(days int) string {
	switch {
	case days < 0:
		return fmt.Sprintf("%d %s earlier", -days, plural(-days, "day", "days"))
	case days > 0:
		return fmt.Sprintf("%d %s later", days, plural(days, "day", "days"))
	}
	return "the same day"
}

// textRow is a finding's row of the text table.
func textRow(f *checker.Finding) []string {
	status := StatusLabel(f)
	if len(f.Proxies) > 0 {
		status += " (proxy)"
	}
	return []string{plain(f.CaseID), plain(EditionLabel(f)), f.Rule, plain(f.Subject), status, dash(f.Due.String()), dash(f.Done.String()), Lateness(f)}
}

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
func Lateness(f *checker.Finding) string {
	s := lateness(f)
	if len(f.ProjectedHolidays) > 0 && s != "-" {
		s += " (projected holidays)"
	}
	return s
}

func lateness(f *checker.Finding) string {
	switch {
	case f.LateWorkingDays != nil && !f.Done.IsZero():
		return fmt.Sprintf("%d wd late", *f.LateWorkingDays)
	case f.LateWorkingDays != nil:
		return fmt.Sprintf("%d wd overdue", *f.LateWorkingDays)
	case f.WorkingDaysLeft != nil && f.DueSoon:
		return fmt.Sprintf("%d wd left (due soon)", *f.WorkingDaysLeft)
	case f.WorkingDaysLeft != nil:
		return fmt.Sprintf("%d wd left", *f.WorkingDaysLeft)
	}
	return "-"
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

// SummaryLine counts what was checked and found.
func SummaryLine(r *checker.Report) string {
	s := r.Summary
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s checked", s.Cases, plural(s.Cases, "case", "cases"))
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

// errWriter keeps the first write error, so a long report is not checked line by line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

package report

import (
	"fmt"
	"io"
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

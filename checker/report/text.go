package report

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// Text writes a table for a person at a terminal: one finding a row, then the errors and the
// data warnings, then a summary line.
func Text(w io.Writer, r *checker.Report) error { return text(w, r, false) }

// ColourText is Text for a terminal: each status in the colour a person scans the table for
// (a breach red, a should-rule's warning and a deadline due soon yellow, met green), and the
// errors' and warnings' headings likewise. The command uses it only when standard output is
// a terminal and NO_COLOR is not set: the escape codes would be noise in a file or a pipe.
func ColourText(w io.Writer, r *checker.Report) error {
	if err := text(w, r, true); err != nil {
		return err
	}
	return r.ListErr()
}

// ANSI SGR sequences; the table is padded by the width of the text, not of these.
const (
	red    = "\x1b[1;31m"
	yellow = "\x1b[33m"
	green  = "\x1b[32m"
	faint  = "\x1b[2m"
	reset  = "\x1b[0m"
)

// statusColour is the colour of a finding's status cell, "" for none.
func statusColour(f *checker.Finding) string {
	switch {
	case f.Status == checker.StatusBreach && f.Severity == checker.SeverityBreach:
		return red
	case f.Status == checker.StatusBreach, f.Status == checker.StatusPending && f.DueSoon:
		return yellow
	case f.Status == checker.StatusMet:
		return green
	case f.Status == checker.StatusNotApplicable:
		return faint
	}
	return ""
}

// TextLayout is what the text table needs to know of the whole list before its first row:
// each column's width and whether any finding rests on a proxy. A check can measure it as it
// lists the findings (batch.Options.Listing, one TextLayout a worker, merged), on the workers,
// so that the table is written in one walk of the list; without it the writer walks the list
// once more to measure it, which for a list kept on disk decodes every finding twice.
type TextLayout struct {
	widths  [textColumns - 1]int // the last column is not padded
	proxies bool
	n       int // findings measured: a layout is used only for a list of as many
}

// textColumns is the number of columns of the text table.
const textColumns = 8

// Add measures one listed finding.
func (l *TextLayout) Add(f *checker.Finding) {
	measureRow(f, l.widths[:])
	l.proxies = l.proxies || len(f.Proxies) > 0
	l.n++
}

// Merge adds what another layout measured (another worker's findings) to l.
func (l *TextLayout) Merge(o *TextLayout) {
	for i, w := range o.widths {
		l.widths[i] = max(l.widths[i], w)
	}
	l.proxies = l.proxies || o.proxies
	l.n += o.n
}

// TextWith is Text (or, with colour, ColourText) laid out with a layout measured as the
// report's findings were listed, so that the list is walked once. A layout that did not
// measure as many findings as the report lists (it was measured for another list) is not
// trusted: the writer then measures the list itself, and the table is the same.
func TextWith(l *TextLayout, colour bool) Writer {
	return checkList(func(w io.Writer, r *checker.Report) error { return textLaidOut(w, r, colour, l) })
}

func text(w io.Writer, r *checker.Report, colour bool) error { return textLaidOut(w, r, colour, nil) }

func textLaidOut(w io.Writer, r *checker.Report, colour bool, layout *TextLayout) error {
	paint := func(code, s string) string {
		if !colour || code == "" {
			return s
		}
		return code + s + reset
	}
	ew := &errWriter{w: w}
	if n := r.ListedLen(); n > 0 {
		// The table is laid out as text/tabwriter would (each column as wide as its widest
		// cell, in runes, and two spaces), but from a layout measured beforehand, not by
		// holding every row until the end, as tabwriter does, which for a large report is more
		// than the findings themselves.
		header := []string{"CASE", "EDITION", "RULE", "SUBJECT", "STATUS", "DUE", "DONE", "LATE / LEFT"}
		if layout == nil || layout.n != n {
			layout = new(TextLayout)
			for f := range r.Scanned() {
				layout.Add(f)
			}
		}
		widths := layout.widths
		for i := range widths {
			widths[i] = max(widths[i], utf8.RuneCountInString(header[i]))
		}
		proxies := layout.proxies
		var line []byte
		write := func(row []string, status string) {
			line = line[:0]
			for i, cell := range row[:len(widths)] {
				if i == statusColumn && status != "" {
					line = append(line, status...)
					line = append(line, cell...)
					line = append(line, reset...)
				} else {
					line = append(line, cell...)
				}
				for range widths[i] + 2 - utf8.RuneCountInString(cell) {
					line = append(line, ' ')
				}
			}
			line = append(line, row[len(widths)]...)
			line = append(line, '\n')
			ew.Write(line)
		}
		write(header, "")
		row := func(buf []byte, f *checker.Finding) []byte {
			status := ""
			if colour {
				status = statusColour(f)
			}
			return appendTextRow(buf, f, &widths, status)
		}
		// About a row's bytes, to size the buffers the stretches are laid out in.
		rowBytes := 2*len(widths) + len("12 working days late") + 1
		for _, w := range widths {
			rowBytes += w
		}
		if segs := parallelSegments(r, n); len(segs) > 1 && n/len(segs)*rowBytes <= maxStretchBytes {
			layOutInOrder(ew, segs, n/len(segs)*rowBytes*5/4, row)
		} else {
			for f := range r.Scanned() {
				line = row(line[:0], f)
				ew.Write(line)
			}
		}
		if proxies {
			fmt.Fprintln(ew, "(proxy): the finding rests on a stand-in the import was asked for; the JSON report names it.")
		}
		fmt.Fprintln(ew)
	}
	if len(r.NotCovered) > 0 {
		fmt.Fprintf(ew, "Not covered: %d %s received when no loaded pack was in force, not checked:\n", len(r.NotCovered), plural(len(r.NotCovered), "referral", "referrals"))
		for _, n := range r.NotCovered {
			if n.IncidentID != "" {
				fmt.Fprintf(ew, "  incident %s, aware %s\n", plain(n.IncidentID), dash(n.Received.String()))
				continue
			}
			fmt.Fprintf(ew, "  %s %s, received %s\n", plain(n.CaseID), plain(n.Referral), n.Received)
		}
		fmt.Fprintln(ew)
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(ew, "%s\n", paint(red, fmt.Sprintf("Errors (%d):", len(r.Errors))))
		for _, e := range r.Errors {
			fmt.Fprintf(ew, "  %s\n", ErrorLine(e))
		}
		fmt.Fprintln(ew)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(ew, "%s\n", paint(yellow, fmt.Sprintf("Warnings (%d):", len(r.Warnings))))
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

// statusColumn is the index of STATUS in a row of the text table.
const statusColumn = 4

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
	return []string{plain(f.RecordID()), plain(EditionLabel(f)), f.Rule, plain(f.Subject), status, dash(f.Due.String()), dash(f.Done.String()), Lateness(f)}
}

// appendTextRow appends f's row of the table, padded to widths, with the status cell in
// the colour status ("" for none), as write lays out textRow's cells, but writes the dates
// and the lateness into the line instead of making strings of them: three allocations a row
// of a large report.
func appendTextRow(line []byte, f *checker.Finding, widths *[textColumns - 1]int, status string) []byte {
	pad := func(i, n int) {
		line = appendSpaces(line, widths[i]+2-n)
	}
	cell := func(i int, s string) {
		line = append(line, s...)
		pad(i, utf8.RuneCountInString(s))
	}
	cell(0, plain(f.RecordID()))
	cell(1, plain(EditionLabel(f)))
	cell(2, f.Rule)
	cell(3, plain(f.Subject))
	label := StatusLabel(f)
	if len(f.Proxies) > 0 {
		label += " (proxy)"
	}
	if status != "" {
		line = append(line, status...)
		line = append(line, label...)
		line = append(line, reset...)
		pad(statusColumn, utf8.RuneCountInString(label))
	} else {
		cell(statusColumn, label)
	}
	for i, d := range [2]record.Date{f.Due, f.Done} {
		if !d.InRange() { // not recorded ("-"), or out of the calendar's range
			cell(5+i, dash(d.String()))
			continue
		}
		start := len(line)
		line = appendDate(line, d)
		pad(5+i, len(line)-start)
	}
	line = appendLateness(line, f)
	return append(line, '\n')
}

// spaces is what appendSpaces appends from.
var spaces = []byte("                                                                ")

// appendSpaces appends n spaces (none when n < 1), a slice at a time rather than a byte.
func appendSpaces(b []byte, n int) []byte {
	for n > len(spaces) {
		b = append(b, spaces...)
		n -= len(spaces)
	}
	if n > 0 {
		b = append(b, spaces[:n]...)
	}
	return b
}

// measureRow widens widths to the cells of f's row, as textRow makes them, the last cell
// excepted (it is not padded), without making them: the walk that measures a large report
// builds no strings.
func measureRow(f *checker.Finding, widths []int) {
	width := func(i int, s string) {
		if needsQuoting(s) {
			s = plain(s)
		}
		widths[i] = max(widths[i], utf8.RuneCountInString(s))
	}
	width(0, f.RecordID())
	if f.Pack == "" {
		width(1, f.Edition)
	} else {
		width(1, EditionLabel(f))
	}
	widths[2] = max(widths[2], utf8.RuneCountInString(f.Rule))
	width(3, f.Subject)
	status := len(f.Status)
	if f.Status == checker.StatusBreach && f.Severity != checker.SeverityBreach {
		status = utf8.RuneCountInString(string(f.Severity))
	}
	if len(f.Proxies) > 0 {
		status += len(" (proxy)")
	}
	widths[4] = max(widths[4], status)
	for i, d := range []record.Date{f.Due, f.Done} {
		n := len("-")
		switch {
		case d.InRange():
			n = len("2006-01-02") // every year of the calendar's range has four digits
		case !d.IsZero():
			n = utf8.RuneCountInString(d.String())
		}
		widths[5+i] = max(widths[5+i], n)
	}
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

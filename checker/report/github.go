package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/wtcheck/wtcheck/checker"
)

// GitHub writes GitHub Actions workflow commands: an annotation for each breach (error for a
// breach of a must, warning for a should, notice for good practice) and a notice for each
// pending deadline due soon, pointing at the record's file and position; a warning for each
// record that could not be checked and each data warning; then the summary.
func GitHub(w io.Writer, r *checker.Report) error {
	ew := &errWriter{w: w}
	for f := range r.Scanned() {
		var level string
		switch {
		case f.Status == checker.StatusBreach && f.Severity == checker.SeverityBreach:
			level = "error"
		case f.Status == checker.StatusBreach && f.Severity == checker.SeverityWarning:
			level = "warning"
		case f.Status == checker.StatusBreach, f.Status == checker.StatusPending && f.DueSoon:
			level = "notice"
		default:
			continue
		}
		props := []string{}
		if f.File != "" && f.File != "-" {
			props = append(props, "file="+ghProperty(f.File))
			if f.Record > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Record))
			}
		}
		props = append(props, "title="+ghProperty(fmt.Sprintf("%s %s (%s)", f.Rule, f.Status, EditionLabel(f))))
		msg := fmt.Sprintf("%s %s: %s [%s]", f.RecordID(), f.Subject, f.Message, f.Citation)
		fmt.Fprintf(ew, "::%s %s::%s\n", level, strings.Join(props, ","), ghData(msg))
	}
	for _, e := range r.Errors {
		fmt.Fprintf(ew, "::warning file=%s,title=%s::%s\n", ghProperty(e.File), ghProperty("wtcheck could not check a record"), ghData(ErrorLine(e)))
	}
	for _, n := range r.NotCovered {
		props := ""
		if n.File != "" && n.File != "-" {
			props = "file=" + ghProperty(n.File) + ","
			if n.Record > 0 {
				props += fmt.Sprintf("line=%d,", n.Record)
			}
		}
		fmt.Fprintf(ew, "::warning %stitle=%s::%s\n", props, ghProperty("wtcheck: referral not covered"), ghData(n.CaseID+" "+n.Referral+": "+NotCoveredMessage(n)))
	}
	for _, w := range r.Warnings {
		props := []string{}
		if w.File != "" && w.File != "-" {
			props = append(props, "file="+ghProperty(w.File))
			if w.Record > 0 {
				props = append(props, fmt.Sprintf("line=%d", w.Record))
			}
		}
		props = append(props, "title="+ghProperty("wtcheck data warning"))
		fmt.Fprintf(ew, "::warning %s::%s\n", strings.Join(props, ","), ghData(WarningLine(w)))
	}
	fmt.Fprintf(ew, "::notice title=wtcheck::%s\n", ghData(SummaryLine(r)))
	return ew.err
}

// ghData escapes a workflow command's message as the runner requires: "%", "\r" and "\n"
// become %25, %0D and %0A, which it decodes, so a value can never end the command or start
// another. Any other control character (an escape sequence, a tab) is written the same way,
// which the runner shows as it is rather than acting on.
func ghData(s string) string { return ghEscape(s, false) }

// ghProperty escapes a workflow command's property value: as ghData, and ":" and "," as
// %3A and %2C.
func ghProperty(s string) string { return ghEscape(s, true) }

func ghEscape(s string, property bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '%', r == '\r', r == '\n', property && (r == ':' || r == ','), unicode.IsControl(r):
			for _, c := range []byte(string(r)) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
)

// GitHub writes GitHub Actions workflow commands: an annotation for each breach (error for a
// breach of a must, warning for a should, notice for good practice) and a notice for each
// pending deadline due soon, pointing at the record's file and position; a warning for each
// record that could not be checked and each data warning; then the summary.
func GitHub(w io.Writer, r *checker.Report) error {
	ew := &errWriter{w: w}
	for f := range r.Listed() {
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
		props = append(props, "title="+ghProperty(fmt.Sprintf("%s %s (%s)", f.Rule, f.Status, f.Edition)))
		msg := fmt.Sprintf("%s %s: %s [%s]", f.CaseID, f.Subject, f.Message, f.Citation)
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

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

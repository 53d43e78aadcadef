package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/wtcheck/wtcheck/checker"
)

// csvHeader names the columns of the CSV format, one finding a row.
var csvHeader = []string{"case_id", "edition", "rule", "subject", "referral", "status", "severity",
	"start", "due", "done", "late_working_days", "late_days", "working_days_left", "due_soon", "team", "message", "citation", "pack", "incident_id", "area_id"}

// CSV writes one finding a row under a header, for a spreadsheet. It starts with a UTF-8
// byte-order mark, which Excel needs to read the file as UTF-8; dates are ISO (YYYY-MM-DD),
// which Excel reads as dates; and a cell that a spreadsheet would take for a formula is
// prefixed with an apostrophe, because case data must not run as a formula.
func CSV(w io.Writer, r *checker.Report) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for f := range r.Scanned() {
		row := []string{f.CaseID, f.Edition, f.Rule, f.Subject, f.Referral, string(f.Status), string(f.Severity),
			f.Start.String(), f.Due.String(), f.Done.String(), intCell(f.LateWorkingDays), intCell(f.LateDays),
			intCell(f.WorkingDaysLeft), strconv.FormatBool(f.DueSoon), f.Team, f.Message, f.Citation, f.Pack, f.IncidentID, f.AreaID}
		for j, cell := range row {
			row[j] = defuseFormula(plain(cell))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	// A referral no loaded pack covered was not checked: say so in a row of its own, so a
	// spreadsheet of the findings cannot pass for a complete check.
	for _, n := range r.NotCovered {
		row := []string{n.CaseID, "", "", n.Referral, n.Referral, "not_covered", "", n.Received.String(), "", "", "", "", "", "false", "",
			NotCoveredMessage(n), "", "", n.IncidentID, ""} // as many cells as the header: no citation, no pack
		for j, cell := range row {
			row[j] = defuseFormula(plain(cell))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// NotCoveredMessage says why a referral was not checked.
func NotCoveredMessage(n checker.NotCovered) string {
	return "received " + n.Received.String() + ", when no loaded pack was in force: not checked"
}

func intCell(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// defuseFormula stops a spreadsheet from evaluating a cell that starts like a formula.
func defuseFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.Atoi(s); err == nil {
			return s // a negative number is a number
		}
		return "'" + s
	}
	return s
}

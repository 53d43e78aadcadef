package report

import (
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/wtcheck/wtcheck/checker"
)

// findingColumns are the Findings and Due soon sheets' columns.
var findingColumns = []string{"Case", "Edition", "Rule", "Subject", "Referral", "Status", "Severity",
	"Start", "Due", "Done", "Late (working days)", "Late (days)", "Working days left", "Team", "Message", "Citation"}

// XLSX writes an Excel workbook: a Summary sheet, a Findings sheet (every finding, filterable,
// header frozen, dates as real Excel dates), one sheet per edition when editions were compared,
// a Due soon sheet of the pending deadlines within the due-soon window, a Not covered sheet of
// the referrals no loaded pack was in force for, and a Warnings sheet of the data warnings,
// each when there are any.
func XLSX(w io.Writer, a *Audit) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxBook{f: f}
	x.summary(a)
	x.findings("Findings", a.Report.Listed())
	if c := a.Comparison; c != nil {
		for _, ed := range c.Editions {
			x.edition(a, ed)
		}
	}
	x.findings("Due soon", slices.Values(a.DueSoonList()))
	if x.err == nil {
		x.err = a.Report.ListErr()
	}
	if len(a.Report.NotCovered) > 0 {
		x.notCovered(a.Report.NotCovered)
	}
	if len(a.Report.Warnings) > 0 {
		x.warnings(a.Report.Warnings)
	}
	if x.err != nil {
		return x.err
	}
	f.SetActiveSheet(0)
	// Workbooks carry their own timestamps; fixed properties keep the file the same for the
	// same input.
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "wtcheck", Created: "2000-01-01T00:00:00Z", Modified: "2000-01-01T00:00:00Z", Title: "wtcheck audit"}); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

// xlsxBook keeps the first error, so the sheets can be written without checking every cell.
type xlsxBook struct {
	f      *excelize.File
	err    error
	date   int
	bold   int
	styles bool
}

func (x *xlsxBook) check(err error) {
	if x.err == nil && err != nil {
		x.err = err
	}
}

func (x *xlsxBook) ensureStyles() {
	if x.styles {
		return
	}
	x.styles = true
	var err error
	x.date, err = x.f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: ptr("yyyy-mm-dd")})
	x.check(err)
	x.bold, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDE4EE"}, Pattern: 1}})
	x.check(err)
}

func ptr[T any](v T) *T { return &v }

func (x *xlsxBook) sheet(name string) {
	if name == "Summary" {
		x.check(x.f.SetSheetName("Sheet1", name))
		return
	}
	_, err := x.f.NewSheet(name)
	x.check(err)
}

func (x *xlsxBook) row(sheet string, row int, values ...any) {
	cell, err := excelize.CoordinatesToCellName(1, row)
	x.check(err)
	x.check(x.f.SetSheetRow(sheet, cell, &values))
}

func (x *xlsxBook) header(sheet string, columns []string) {
	x.ensureStyles()
	vals := make([]any, len(columns))
	for i, c := range columns {
		vals[i] = c
	}
	x.row(sheet, 1, vals...)
	last, _ := excelize.ColumnNumberToName(len(columns))
	x.check(x.f.SetCellStyle(sheet, "A1", last+"1", x.bold))
	x.check(x.f.SetPanes(sheet, &excelize.Panes{Freeze: true, Split: false, XSplit: 0, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
}

func (x *xlsxBook) summary(a *Audit) {
	const sheet = "Summary"
	x.sheet(sheet)
	x.ensureStyles()
	r := a.Report
	s := r.Summary
	rows := [][]any{
		{"wtcheck audit", r.Tool.Version},
		{"As at", dateCell(r.AsOf)},
		{"Records read", s.RecordsRead},
		{"Cases checked", s.Cases},
		{"Records skipped", s.RecordsSkipped},
		{"Data warnings", s.Warnings},
	}
	if s.ReferralsNotCovered > 0 {
		rows = append(rows, []any{"Referrals not covered (no loaded pack in force; not checked, listed in the sheet Not covered)", s.ReferralsNotCovered})
	}
	for _, st := range checker.Statuses {
		rows = append(rows, []any{"Findings: " + strings.ReplaceAll(string(st), "_", " "), s.Findings[st]})
	}
	rows = append(rows, []any{"Overdue", len(a.Overdue())}, []any{fmt.Sprintf("Due in the next %d working days", a.DueSoon), len(a.DueSoonList())})
	if a.Redacted {
		rows = append(rows, []any{"Case ids", "redacted (keyed hashes)"})
	}
	for _, p := range localPacks(r) {
		rows = append(rows, []any{"Local pack", p})
	}
	for i, row := range rows {
		x.row(sheet, i+1, row...)
	}
	x.check(x.f.SetCellStyle(sheet, "B2", "B2", x.date))
	next := len(rows) + 2
	x.row(sheet, next, "Edition", "Rule", "Title", "Met", "Breach", "Pending", "Compliance", "Citation")
	x.check(x.f.SetCellStyle(sheet, fmt.Sprintf("A%d", next), fmt.Sprintf("H%d", next), x.bold))
	for i, c := range a.Compliance() {
		rate := any("")
		if v, ok := c.Rate(); ok {
			rate = v
		}
		x.row(sheet, next+1+i, c.Edition, c.Rule, c.Title, c.Met, c.Breach, c.Pending, rate, c.Citation)
	}
	pct, err := x.f.NewStyle(&excelize.Style{NumFmt: 9})
	x.check(err)
	x.check(x.f.SetCellStyle(sheet, fmt.Sprintf("G%d", next+1), fmt.Sprintf("G%d", next+len(a.Compliance())), pct))
	x.check(x.f.SetColWidth(sheet, "A", "A", 24))
	x.check(x.f.SetColWidth(sheet, "B", "C", 32))
}

func dateCell(d checker.Date) any {
	if d.IsZero() {
		return ""
	}
	return d.Time()
}

func intCellValue(p *int) any {
	if p == nil {
		return ""
	}
	return *p
}

// findings writes a sheet of findings with real dates, an autofilter and a frozen header.
func (x *xlsxBook) findings(sheet string, fs iter.Seq[*checker.Finding]) {
	x.sheet(sheet)
	x.header(sheet, findingColumns)
	n := 0
	for f := range fs {
		n++
		x.row(sheet, n+1, f.CaseID, EditionLabel(f), f.Rule, f.Subject, f.Referral, string(f.Status), string(f.Severity),
			dateCell(f.Start), dateCell(f.Due), dateCell(f.Done), intCellValue(f.LateWorkingDays), intCellValue(f.LateDays),
			intCellValue(f.WorkingDaysLeft), f.Team, f.Message, f.Citation)
	}
	last := n + 1
	if n > 0 {
		x.check(x.f.SetCellStyle(sheet, "H2", fmt.Sprintf("J%d", last), x.date))
	}
	lastCol, _ := excelize.ColumnNumberToName(len(findingColumns))
	x.check(x.f.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", lastCol, last), nil))
	x.check(x.f.SetColWidth(sheet, "A", "G", 14))
	x.check(x.f.SetColWidth(sheet, "C", "C", 30))
	x.check(x.f.SetColWidth(sheet, "H", "J", 12))
	x.check(x.f.SetColWidth(sheet, "O", "P", 60))
}

// notCovered lists the referrals no loaded pack was in force for: they were not checked.
func (x *xlsxBook) notCovered(ns []checker.NotCovered) {
	const sheet = "Not covered"
	x.sheet(sheet)
	x.ensureStyles()
	x.header(sheet, []string{"Case", "Referral", "Received", "Why"})
	for i, n := range ns {
		x.row(sheet, i+2, n.CaseID, n.Referral, dateCell(n.Received), NotCoveredMessage(n))
	}
	if len(ns) > 0 {
		x.check(x.f.SetCellStyle(sheet, "C2", fmt.Sprintf("C%d", len(ns)+1), x.date))
	}
}

// warnings writes the data warnings, one a row, where they are and what is doubtful.
func (x *xlsxBook) warnings(ws []checker.RecordWarning) {
	const sheet = "Warnings"
	x.sheet(sheet)
	x.header(sheet, []string{"File", "Record", "Case", "Field", "Warning"})
	// A warning about the run has no file, record, case or field: those cells stay blank.
	text := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for i, w := range ws {
		record := any(nil)
		if w.Record > 0 {
			record = w.Record
		}
		x.row(sheet, i+2, text(w.File), record, text(w.CaseID), text(w.Path), w.Warning)
	}
	x.check(x.f.AutoFilter(sheet, fmt.Sprintf("A1:E%d", len(ws)+1), nil))
	x.check(x.f.SetColWidth(sheet, "A", "A", 40))
	x.check(x.f.SetColWidth(sheet, "C", "D", 30))
	x.check(x.f.SetColWidth(sheet, "E", "E", 80))
}

// edition writes one edition's column of the comparison: each rule's counts and rate.
func (x *xlsxBook) edition(a *Audit, edition string) {
	sheet := "Edition " + edition
	x.sheet(sheet)
	x.header(sheet, []string{"Rule", "In this edition", "Timescale", "Applicable", "Met", "Breach", "Pending", "Not applicable", "Insufficient data", "Compliance"})
	for i, row := range a.Comparison.Rules {
		c := row.Cells[edition]
		rate := any("")
		if v, ok := c.Rate(); ok {
			rate = v
		}
		x.row(sheet, i+2, row.Rule, c.Present, c.Timescale, c.Applicable, c.Met, c.Breach, c.Pending, c.NotApplicable, c.InsufficientData, rate)
	}
	x.check(x.f.SetColWidth(sheet, "A", "A", 32))
}

package report

import (
	"archive/zip"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"iter"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// findingColumns are the Findings, Overdue and Due soon sheets' columns.
var findingColumns = []string{"Case", "Edition", "Rule", "Subject", "Referral", "Status", "Severity",
	"Start", "Due", "Done", "Late (working days)", "Late (days)", "Working days left", "Team", "Message", "Citation"}

// xlsxMaxRows is the most rows a worksheet holds (Excel's limit), header included.
const xlsxMaxRows = 1_048_576

// XLSX writes an Excel workbook: a Summary sheet (the distinct headline counts and compliance
// per rule), a Findings sheet (every finding, filterable, header frozen, dates as real Excel
// dates), one sheet per edition when editions were compared, the Overdue and Due soon sheets
// of open work, a Not covered sheet of the referrals no loaded pack was in force for, and a
// Warnings sheet of the data warnings, each of the last two when there are any. A cell with
// nothing to say is left out, not written as an empty string, and every sheet declares the
// range it uses. The finding sheets are streamed, so a large batch does not hold every cell
// in memory; a sheet stops at Excel's row limit, and the Summary says so.
func XLSX(w io.Writer, a *Audit) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxBook{f: f}
	x.ensureStyles()
	findings := a.Report.ListedLen()
	overdue := func(f *checker.Finding) bool { return isOverdue(f) }
	soon := func(f *checker.Finding) bool { return isDueSoon(f, a.DueSoon) }
	x.summary(a, findings)
	x.findings("Findings", findings, a.Report.Listed())
	if c := a.Comparison; c != nil {
		for _, ed := range c.Editions {
			x.edition(a, ed)
		}
	}
	x.findings("Overdue", count(a.Report.Listed(), overdue), filter(a.Report.Listed(), overdue))
	x.findings("Due soon", count(a.Report.Listed(), soon), filter(a.Report.Listed(), soon))
	// The records beyond the case file, each kind on a sheet of its own when the batch has
	// any: every finding but those that do not apply.
	for _, k := range []struct {
		sheet string
		kind  checker.RecordKind
	}{{"Incidents", checker.KindIncident}, {"Arrangements", checker.KindArrangements}} {
		of := func(f *checker.Finding) bool { return f.Kind() == k.kind && f.Status != checker.StatusNotApplicable }
		if n := count(a.Report.Listed(), of); n > 0 {
			x.findings(k.sheet, n, filter(a.Report.Listed(), of))
		}
	}
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
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	return writeZipSorted(w, buf.Bytes())
}

// writeZipSorted copies a zip archive with its entries in name order ([Content_Types].xml
// first, as Office writes it). The library writes streamed sheets in the order of a map, so
// without this the same audit would not give the same bytes.
func writeZipSorted(w io.Writer, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	files := slices.Clone(zr.File)
	first := func(f *zip.File) int {
		if f.Name == "[Content_Types].xml" {
			return 0
		}
		return 1
	}
	slices.SortFunc(files, func(a, b *zip.File) int { return cmp.Or(cmp.Compare(first(a), first(b)), cmp.Compare(a.Name, b.Name)) })
	zw := zip.NewWriter(w)
	for _, zf := range files {
		raw, err := zf.OpenRaw()
		if err != nil {
			return fmt.Errorf("write workbook: %w", err)
		}
		hdr := zf.FileHeader
		out, err := zw.CreateRaw(&hdr)
		if err != nil {
			return fmt.Errorf("write workbook: %w", err)
		}
		if _, err := io.Copy(out, raw); err != nil {
			return fmt.Errorf("write workbook: %w", err)
		}
	}
	return zw.Close()
}

func filter(fs iter.Seq[*checker.Finding], keep func(*checker.Finding) bool) iter.Seq[*checker.Finding] {
	return func(yield func(*checker.Finding) bool) {
		for f := range fs {
			if keep(f) && !yield(f) {
				return
			}
		}
	}
}

func count(fs iter.Seq[*checker.Finding], keep func(*checker.Finding) bool) int {
	n := 0
	for f := range fs {
		if keep(f) {
			n++
		}
	}
	return n
}

// xlsxBook keeps the first error, so the sheets can be written without checking every cell.
type xlsxBook struct {
	f          *excelize.File
	err        error
	date, bold int
	pct        int
}

func (x *xlsxBook) check(err error) {
	if x.err == nil && err != nil {
		x.err = err
	}
}

func (x *xlsxBook) ensureStyles() {
	var err error
	x.date, err = x.f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: ptr("yyyy-mm-dd")})
	x.check(err)
	x.bold, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDE4EE"}, Pattern: 1}})
	x.check(err)
	x.pct, err = x.f.NewStyle(&excelize.Style{NumFmt: 9})
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

// row writes one row of a sheet kept in memory; a nil value leaves its cell out.
func (x *xlsxBook) row(sheet string, row int, values ...any) {
	cell, err := excelize.CoordinatesToCellName(1, row)
	x.check(err)
	x.check(x.f.SetSheetRow(sheet, cell, &values))
}

// dimension declares the range a sheet uses: columns by rows, from A1.
func (x *xlsxBook) dimension(sheet string, columns, rows int) {
	last, err := excelize.CoordinatesToCellName(max(columns, 1), max(rows, 1))
	x.check(err)
	x.check(x.f.SetSheetDimension(sheet, "A1:"+last))
}

func (x *xlsxBook) summary(a *Audit, findings int) {
	const sheet = "Summary"
	x.sheet(sheet)
	r := a.Report
	s := r.Summary
	h := a.Headline()
	_, overdue := a.Overdue()
	_, soon := a.DueSoonList()
	basis := "each finding once"
	switch {
	case a.InForce:
		basis = "each referral under the edition in force when it was received; each finding once"
	case len(r.Packs) > 1:
		basis = "a finding the same under several editions counted once"
	}
	rows := [][]any{
		{"wtcheck audit", r.Tool.Version},
		{"As at", dateCell(r.AsOf)},
		{"Records read", s.RecordsRead},
		{"Cases checked", s.Cases},
		{"Records skipped", s.RecordsSkipped},
		{"Data warnings", s.Warnings},
		{"Counted", basis},
		{"Breaches of a must", h.Breach},
		{"Breaches of a should (warnings)", h.Warning},
		{"Breaches of good practice", h.Info},
		{"Pending", h.Pending},
		{"Met", h.Met},
		{"Not applicable", h.NotApplicable},
		{"Insufficient data", h.Insufficient},
		{"Overdue (open work past its due date)", overdue},
		{fmt.Sprintf("Due in the next %d working days", a.DueSoon), soon},
	}
	if s.ReferralsNotCovered > 0 {
		rows = append(rows, []any{"Referrals not covered (no loaded pack in force; not checked, listed in the sheet Not covered)", s.ReferralsNotCovered})
	}
	if findings > xlsxMaxRows-1 {
		rows = append(rows, []any{"Findings sheet", fmt.Sprintf("the first %d of %d findings (Excel's row limit); wtcheck check --show all --format csv lists them all", xlsxMaxRows-1, findings)})
	}
	if a.Redacted {
		rows = append(rows, []any{"Ids", "redacted: keyed hashes; files named by their position in the batch; no date of birth"})
	}
	for _, p := range localPacks(r) {
		rows = append(rows, []any{"Local pack", p})
	}
	for i, row := range rows {
		x.row(sheet, i+1, row...)
	}
	if !r.AsOf.IsZero() {
		x.check(x.f.SetCellStyle(sheet, "B2", "B2", x.date))
	}
	next := len(rows) + 2
	header := []any{"Edition", "Rule", "Title", "Met", "Breach", "Pending", "Compliance", "Citation"}
	x.row(sheet, next, header...)
	x.check(x.f.SetCellStyle(sheet, fmt.Sprintf("A%d", next), fmt.Sprintf("H%d", next), x.bold))
	compliance := a.Compliance()
	for i, c := range compliance {
		var rate any
		v, ok := c.Rate()
		if ok {
			rate = v
		}
		x.row(sheet, next+1+i, c.Edition, c.Rule, c.Title, c.Met, c.Breach, c.Pending, rate, textCell(c.Citation))
		if ok {
			ref := fmt.Sprintf("G%d", next+1+i)
			x.check(x.f.SetCellStyle(sheet, ref, ref, x.pct))
		}
	}
	x.check(x.f.SetColWidth(sheet, "A", "A", 34))
	x.check(x.f.SetColWidth(sheet, "B", "C", 32))
	x.dimension(sheet, len(header), next+len(compliance))
}

// dateCell is a date as Excel reads it, or nil (no cell) for none.
func dateCell(d record.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

// intCellValue is a number, or nil (no cell) for none.
func intCellValue(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// textCell is a text, or nil (no cell) for an empty one.
func textCell(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// findings streams a sheet of n findings with real dates, an autofilter and a frozen header.
func (x *xlsxBook) findings(sheet string, n int, fs iter.Seq[*checker.Finding]) {
	if x.err != nil {
		return
	}
	x.sheet(sheet)
	n = min(n, xlsxMaxRows-1)
	lastCol, _ := excelize.ColumnNumberToName(len(findingColumns))
	// The range and the filter are set before the stream starts: the stream writes them
	// from the sheet as it stands then.
	x.dimension(sheet, len(findingColumns), n+1)
	x.check(x.f.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", lastCol, n+1), nil))
	if x.err != nil {
		return
	}
	sw, err := x.f.NewStreamWriter(sheet)
	if err != nil {
		x.check(err)
		return
	}
	x.check(sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	for _, w := range []struct {
		from, to int
		width    float64
	}{{1, 7, 14}, {3, 3, 30}, {8, 10, 12}, {15, 16, 60}} {
		x.check(sw.SetColWidth(w.from, w.to, w.width))
	}
	header := make([]any, len(findingColumns))
	for i, c := range findingColumns {
		header[i] = excelize.Cell{StyleID: x.bold, Value: c}
	}
	x.check(sw.SetRow("A1", header))
	date := func(d record.Date) any {
		if d.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: x.date, Value: d.Time()}
	}
	row := 1
	for f := range fs {
		if row > n {
			break
		}
		row++
		cell, _ := excelize.CoordinatesToCellName(1, row)
		x.check(sw.SetRow(cell, []any{f.RecordID(), EditionLabel(f), f.Rule, textCell(f.Subject), textCell(f.Referral), string(f.Status), string(f.Severity),
			date(f.Start), date(f.Due), date(f.Done), intCellValue(f.LateWorkingDays), intCellValue(f.LateDays),
			intCellValue(f.WorkingDaysLeft), textCell(f.Team), textCell(f.Message), textCell(f.Citation)}))
	}
	x.check(sw.Flush())
}

// header writes the header row of a sheet kept in memory, bold, and freezes it.
func (x *xlsxBook) header(sheet string, columns []string) {
	vals := make([]any, len(columns))
	for i, c := range columns {
		vals[i] = c
	}
	x.row(sheet, 1, vals...)
	last, _ := excelize.ColumnNumberToName(len(columns))
	x.check(x.f.SetCellStyle(sheet, "A1", last+"1", x.bold))
	x.check(x.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
}

// notCovered lists the referrals no loaded pack was in force for: they were not checked.
func (x *xlsxBook) notCovered(ns []checker.NotCovered) {
	const sheet = "Not covered"
	x.sheet(sheet)
	columns := []string{"Case", "Referral", "Received", "Why"}
	x.header(sheet, columns)
	for i, n := range ns {
		x.row(sheet, i+2, textCell(n.CaseID), textCell(n.Referral), dateCell(n.Received), NotCoveredMessage(n))
	}
	if len(ns) > 0 {
		x.check(x.f.SetCellStyle(sheet, "C2", fmt.Sprintf("C%d", len(ns)+1), x.date))
	}
	x.dimension(sheet, len(columns), len(ns)+1)
}

// warnings writes the data warnings, one a row, where they are and what is doubtful.
func (x *xlsxBook) warnings(ws []checker.RecordWarning) {
	const sheet = "Warnings"
	x.sheet(sheet)
	columns := []string{"File", "Record", "Case", "Field", "Warning"}
	x.header(sheet, columns)
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
	x.dimension(sheet, len(columns), len(ws)+1)
}

// edition writes one edition's column of the comparison: each rule's counts and rate.
func (x *xlsxBook) edition(a *Audit, edition string) {
	sheet := "Edition " + edition
	x.sheet(sheet)
	header := []string{"Rule", "In this edition", "Timescale", "Applicable", "Met", "Breach", "Pending", "Not applicable", "Insufficient data", "Compliance"}
	x.header(sheet, header)
	for i, row := range a.Comparison.Rules {
		c := row.Cells[edition]
		var rate any
		v, ok := c.Rate()
		if ok {
			rate = v
		}
		x.row(sheet, i+2, row.Rule, c.Present, textCell(c.Timescale), c.Applicable, c.Met, c.Breach, c.Pending, c.NotApplicable, c.InsufficientData, rate)
		if ok {
			ref := fmt.Sprintf("J%d", i+2)
			x.check(x.f.SetCellStyle(sheet, ref, ref, x.pct))
		}
	}
	x.check(x.f.SetColWidth(sheet, "A", "A", 32))
	x.dimension(sheet, len(header), len(a.Comparison.Rules)+1)
}

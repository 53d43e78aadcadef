package report

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestXLSXReopens writes the workbook and reads it back with the library: the sheets, the
// summary numbers, real dates, the frozen header and the filter.
func TestXLSXReopens(t *testing.T) {
	a := &Audit{Report: sampleReport(), DueSoon: 5}
	var buf bytes.Buffer
	if err := XLSX(&buf, a); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 4 || got[0] != "Summary" || got[1] != "Findings" || got[2] != "Due soon" || got[3] != "Warnings" {
		t.Fatalf("sheets = %v", got)
	}
	cell := func(sheet, ref string) string {
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if cell("Summary", "A4") != "Cases checked" || cell("Summary", "B4") != "2" || cell("Summary", "B3") != "3" {
		t.Errorf("summary: %q %q %q", cell("Summary", "A4"), cell("Summary", "B4"), cell("Summary", "B3"))
	}
	if cell("Summary", "A6") != "Data warnings" || cell("Summary", "B6") != "2" {
		t.Errorf("summary warnings: %q %q", cell("Summary", "A6"), cell("Summary", "B6"))
	}
	// The run's warning has no file or record; the record's names both, the case and the field.
	if cell("Warnings", "A2") != "" || cell("Warnings", "B2") != "" || cell("Warnings", "A3") != "extracts/cases.ndjson" ||
		cell("Warnings", "B3") != "3" || cell("Warnings", "C3") != "C-2" || cell("Warnings", "D3") != "referrals[0].conferences[1].date" {
		t.Errorf("warnings sheet: %q %q %q %q %q %q", cell("Warnings", "A2"), cell("Warnings", "B2"), cell("Warnings", "A3"),
			cell("Warnings", "B3"), cell("Warnings", "C3"), cell("Warnings", "D3"))
	}
	// Row 2 is the first finding: C-1's icpc-timeliness, due 25 January 2024, as a real date.
	if cell("Findings", "A2") != "C-1" || cell("Findings", "C2") != "icpc-timeliness" || cell("Findings", "K2") != "2" {
		t.Errorf("findings row 2: %q %q %q", cell("Findings", "A2"), cell("Findings", "C2"), cell("Findings", "K2"))
	}
	raw, err := f.GetCellValue("Findings", "I2", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	due, err := excelize.ExcelDateToTime(mustFloat(t, raw), false)
	if err != nil || !due.Equal(time.Date(2024, 1, 25, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("due is stored as %q (%v), want the Excel date of 2024-01-25", raw, due)
	}
	if cell("Findings", "I2") != "2024-01-25" {
		t.Errorf("due shows as %q", cell("Findings", "I2"))
	}
	panes, err := f.GetPanes("Findings")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v", panes, err)
	}
	if cell("Due soon", "A2") != "C-2" || cell("Due soon", "C2") != "referral-decision-timeliness" || cell("Due soon", "A3") != "" {
		t.Errorf("due soon: %q %q %q", cell("Due soon", "A2"), cell("Due soon", "C2"), cell("Due soon", "A3"))
	}
	// The same audit gives the same bytes.
	var again bytes.Buffer
	if err := XLSX(&again, a); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	_ = XLSX(&first, a)
	if !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Error("the workbook differs between two writes of the same audit")
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatalf("%q is not a number: %v", s, err)
	}
	return v
}

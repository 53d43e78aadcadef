package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
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
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "Summary,Findings,Overdue,Due soon,Warnings" {
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
	// The distinct headline: the sample's 3 breach findings are 2 of a must and 1 of a should;
	// its one overdue breach (C-2's assessment) is the Overdue count.
	for ref, want := range map[string]string{"A8": "Breaches of a must", "B8": "2", "A9": "Breaches of a should (warnings)", "B9": "1", "B11": "1", "A15": "Overdue (open work past its due date)", "B15": "1"} {
		if got := cell("Summary", ref); got != want {
			t.Errorf("Summary!%s = %q, want %q", ref, got, want)
		}
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
	if cell("Overdue", "A2") != "C-2" || cell("Overdue", "C2") != "assessment-timeliness" || cell("Overdue", "A3") != "" {
		t.Errorf("overdue: %q %q %q", cell("Overdue", "A2"), cell("Overdue", "C2"), cell("Overdue", "A3"))
	}
	// The same audit gives the same bytes.
	var again bytes.Buffer
	if err := XLSX(&again, a); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("the workbook differs between two writes of the same audit")
	}
}

// sheetXML is what the test reads of a worksheet's XML: its declared range and its cells.
type sheetXML struct {
	Dimension struct {
		Ref string `xml:"ref,attr"`
	} `xml:"dimension"`
	Rows []struct {
		R     int `xml:"r,attr"`
		Cells []struct {
			R      string `xml:"r,attr"`
			T      string `xml:"t,attr"`
			V      string `xml:"v"`
			Inline string `xml:"is>t"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
}

// TestXLSXSheetsAreTrue reads the workbook's XML itself: every sheet declares the range it
// really uses (not "A1"), and no cell holds an empty string where it should be blank.
func TestXLSXSheetsAreTrue(t *testing.T) {
	a := auditFixture(t)
	var buf bytes.Buffer
	if err := XLSX(&buf, a); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var shared struct {
		SI []struct {
			T string `xml:"t"`
		} `xml:"si"`
	}
	sheets := 0
	for _, zf := range zr.File {
		if zf.Name == "xl/sharedStrings.xml" {
			readXML(t, zf, &shared)
		}
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		sheets++
		var ws sheetXML
		readXML(t, zf, &ws)
		maxCol, maxRow := 0, 0
		for _, row := range ws.Rows {
			for _, c := range row.Cells {
				col, r, err := excelize.CellNameToCoordinates(c.R)
				if err != nil {
					t.Fatal(err)
				}
				maxCol, maxRow = max(maxCol, col), max(maxRow, r)
				empty := false
				switch c.T {
				case "s":
					var i int
					fmt.Sscan(c.V, &i)
					empty = i < len(shared.SI) && shared.SI[i].T == ""
				case "inlineStr", "str":
					empty = c.Inline == "" && c.V == ""
				}
				if empty {
					t.Errorf("%s %s holds an empty string: a blank cell should be left out", zf.Name, c.R)
				}
			}
		}
		want, _ := excelize.CoordinatesToCellName(maxCol, maxRow)
		if ws.Dimension.Ref != "A1:"+want {
			t.Errorf("%s declares %q, but its cells run to %s", zf.Name, ws.Dimension.Ref, want)
		}
	}
	// Summary, Findings, the two editions, Overdue and Due soon.
	if sheets != 6 {
		t.Errorf("%d worksheets, want 6", sheets)
	}
}

func readXML(t *testing.T, zf *zip.File, v any) {
	t.Helper()
	rc, err := zf.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", zf.Name, err)
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

package annexa

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/source"
	"github.com/xuri/excelize/v2"
)

// TestTextIsNeverASerialDate: a text cell "16" in a date column is a data error naming the
// cell, not 16 January 1900; the same 16 as a number is Excel's serial 16.
func TestTextIsNeverASerialDate(t *testing.T) {
	path := writeBook(t, sheet{name: "List 3", header: head3, rows: [][]any{
		{"T1", nil, nil, nil, nil, "16", nil, "No"},
		{"T2", nil, nil, nil, nil, "45293", nil, "No"},
		{"T3", nil, nil, nil, nil, serial("2024-01-02"), nil, "No"},
		{"T4", nil, nil, nil, nil, "02/01/2024", nil, "No"},
	}})
	recs := read(t, path, "2024-03-31")
	var got []string
	for _, r := range recs {
		if r.Err != nil {
			got = append(got, r.CaseID+": "+r.Err.Error())
		} else {
			got = append(got, r.CaseID+": received "+r.Case.Referrals[0].Received.String())
		}
	}
	want := []string{
		"T1: List 3!F2 (Date of referral) is not a date: want DD/MM/YYYY, YYYY-MM-DD or an Excel date",
		"T2: List 3!F3 (Date of referral) is not a date: want DD/MM/YYYY, YYYY-MM-DD or an Excel date",
		"T3: received 2024-01-02",
		"T4: received 2024-01-02",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// bookParts is a workbook in Excel's own layout with the sheets given (name, then the rows'
// XML), its text written as inline strings.
func bookParts(sheets ...[2]string) map[string]string {
	parts := map[string]string{
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
	}
	var list, rels strings.Builder
	for i, s := range sheets {
		fmt.Fprintf(&list, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s[0], i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		parts[fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)] = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + s[1] + `</sheetData></worksheet>`
	}
	parts["xl/workbook.xml"] = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + list.String() + `</sheets></workbook>`
	parts["xl/_rels/workbook.xml.rels"] = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`
	return parts
}

// text is an inline-string cell.
func text(ref, v string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + v + `</t></is></c>`
}

// farColumnParts is the workbook of issue 12: about 32 KB zipped, with a value in column XFD
// (16,384) on each of 5,000 rows of List 3, and a good List 7. (Written by hand: excelize's
// own writer lays each row out to its last column and takes minutes.)
func farColumnParts() map[string]string {
	var l3 strings.Builder
	l3.WriteString(`<row r="1">` + text("A1", "Child Unique ID") + text("B1", "Date of referral") + `</row>`)
	for r := 2; r <= 5001; r++ {
		fmt.Fprintf(&l3, `<row r="%d">%s<c r="B%d"><v>45293</v></c>%s</row>`, r, text(fmt.Sprintf("A%d", r), fmt.Sprintf("F%d", r)), r, text(fmt.Sprintf("XFD%d", r), "x"))
	}
	l7 := `<row r="1">` + text("A1", "Child Unique ID") + text("B1", "Child Protection Plan Start Date") + text("C1", "Date of latest review conference") + text("D1", "Child Protection Plan End Date") + `</row>` +
		`<row r="2">` + text("A2", "P1") + `<c r="B2"><v>45293</v></c></row>`
	return bookParts([2]string{"List 3", l3.String()}, [2]string{"List 7", l7})
}

func TestValuePastTheLastColumnIsRefused(t *testing.T) {
	path := zipBook(t, farColumnParts())
	recs := read(t, path, "2024-03-31")
	var got []string
	for _, r := range recs {
		got = append(got, fmt.Sprintf("%d %s %v", r.Index, r.CaseID, r.Err))
	}
	want := []string{
		"0  List 3!XFD2 holds a value past column ZZ, the last a list may use: the list was not read",
		"1 P1 <nil>",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestValuePastTheLastRowIsRefused(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "List 3")
	f.SetSheetRow("List 3", "A1", &[]any{"Child Unique ID", "Date of referral"})
	f.SetSheetRow("List 3", "A2", &[]any{"R1", 45293})
	f.SetSheetRow("List 3", fmt.Sprintf("A%d", MaxRows), &[]any{"R2", 45293})
	f.SetCellValue("List 3", fmt.Sprintf("C%d", MaxRows+1), "stray")
	path := filepath.Join(t.TempDir(), "long.xlsx")
	must(t, f.SaveAs(path))
	f.Close()
	recs := read(t, path, "2024-03-31")
	if len(recs) != 1 || recs[0].Err == nil || recs[0].Err.Error() != "List 3!C100001 holds a value past row 100000, the last a list may use: the list was not read" {
		t.Errorf("records %+v", recs)
	}
}

// zipBook writes a workbook by hand, part by part, for what excelize does not write.
func zipBook(t testing.TB, parts map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[n]))
	}
	zw.Close()
	path := filepath.Join(t.TempDir(), "hand.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// handParts is a minimal workbook whose List 3 is the sheet XML given: the package's
// relationships point at a workbook in another folder, by an absolute target.
func handParts(sheetXML string) map[string]string {
	return map[string]string{
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/book/main.xml"/></Relationships>`,
		"book/main.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<workbookPr date1904="true"/><sheets><sheet name="List 3" sheetId="1" r:id="rIdS"/></sheets></workbook>`,
		"book/_rels/main.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="sheets/s.xml"/>` +
			`<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>` +
			`<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/></Relationships>`,
		"book/strings.xml": `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			`<si><t>Child Unique ID</t></si>` +
			`<si><r><rPr><b/></rPr><t xml:space="preserve">Date of </t></r><r><t>referral</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>` +
			`<si><t>H1</t></si></sst>`,
		"book/sheets/s.xml": `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			sheetXML + `</sheetData></worksheet>`,
	}
}

// TestHandWrittenWorkbook reads what other tools write: rows and cells without references,
// inline strings, rich text, a workbook outside xl/, the 1904 date system, and styled empty
// cells far to the right (which hold nothing, so are no error).
func TestHandWrittenWorkbook(t *testing.T) {
	path := zipBook(t, handParts(
		`<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>`+
			`<row><c t="s"><v>2</v></c><c><v>43831</v></c><c r="XFD2" s="3"/></row>`+
			`<row r="5"><c r="A5" t="inlineStr"><is><t>H2</t></is></c><c r="B5" t="inlineStr"><is><r><t>02/01/</t></r><r><t>2024</t></r></is></c></row>`+
			`<row r="6"><c r="A6" t="inlineStr"><is><t>H3</t></is></c><c r="B6" t="d"><v>2024-01-03T00:00:00</v></c></row>`))
	recs := read(t, path, "2024-03-31")
	var got []string
	for _, r := range recs {
		if r.Err != nil {
			got = append(got, r.CaseID+": "+r.Err.Error())
			continue
		}
		got = append(got, r.CaseID+": "+r.Case.Referrals[0].Received.String())
	}
	// 43831 in the 1904 system is 2024-01-02 (43831 - 1462 in the 1900 system... + 1462).
	want := []string{"H1: 2024-01-02", "H2: 2024-01-02", "H3: 2024-01-03"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestBadWorkbookParts(t *testing.T) {
	header := `<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>`
	tests := []struct {
		name, sheet, want string
	}{
		{"a shared string the workbook does not have", header + `<row><c t="s"><v>99</v></c></row>`,
			"0  sheet List 3 could not be read: the cell A2 refers to a shared string the workbook does not have"},
		{"a cell outside its row", header + `<row r="2"><c r="A3" t="s"><v>2</v></c></row>`,
			"0  sheet List 3 could not be read: the cell A3 is not in its row (2)"},
		{"a cell reference that is not one", header + `<row r="2"><c r="2A" t="s"><v>2</v></c></row>`,
			"0  sheet List 3 could not be read: a cell's reference is not one (row 2)"},
		{"a row number that is not one", header + `<row r="x"/>`,
			`0  sheet List 3 could not be read: a row is numbered "x", which is not a row number`},
		{"malformed XML", header + `<row><c><v>1</c></row>`,
			"0  sheet List 3 could not be read: the cell A2: malformed XML on line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := read(t, zipBook(t, handParts(tt.sheet)), "2024-03-31")
			var got []string
			for _, r := range recs {
				got = append(got, fmt.Sprintf("%d %s %v", r.Index, r.CaseID, r.Err))
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPartsAreBounded: a part that unzips past its bound (a zip bomb), and shared strings past
// theirs, stop there with an error, the bounds lowered for the test.
func TestPartsAreBounded(t *testing.T) {
	defer func(p int64, s int) { partLimit, sharedLimit = p, s }(partLimit, sharedLimit)
	partLimit, sharedLimit = 64<<10, 1<<20
	big := `<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>` + strings.Repeat(`<row/>`, 20<<10)
	recs := read(t, zipBook(t, handParts(big)), "2024-03-31")
	if len(recs) != 1 || recs[0].Err == nil || recs[0].Err.Error() != "sheet List 3 could not be read: it unzips to more than 256 MiB, the most a part of a workbook may be" {
		t.Errorf("records %+v", recs)
	}
	partLimit, sharedLimit = MaxPartBytes, 10
	recs = read(t, zipBook(t, handParts(`<row/>`)), "2024-03-31")
	if len(recs) != 1 || recs[0].Err == nil || recs[0].Err.Error() != "sheet List 3 could not be read: the shared strings hold more than 64 MiB of text" {
		t.Errorf("records %+v", recs)
	}
}

// BenchmarkFarColumnWorkbook reads the 32 KB workbook with a value in column XFD on 5,000
// rows (2.45 GB with excelize's row reader, which lays each row out to its last column): B/op
// is what it costs now.
func BenchmarkFarColumnWorkbook(b *testing.B) {
	path := zipBook(b, farColumnParts())
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := ReadFile(path, Options{AsOf: d("2024-03-31")}, func(source.Record) error { n++; return nil })
		if err != nil || n != 2 {
			b.Fatalf("%v, %d records", err, n)
		}
	}
}

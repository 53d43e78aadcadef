package annexa

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source"
)

// fuzzRead imports a workbook held in memory and checks what every import promises: each
// record is a valid case or an error, never both; a child's error names a cell; nothing
// panics.
func fuzzRead(t *testing.T, data []byte) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return
	}
	wb, err := newWorkbook(zr, io.NopCloser(nil))
	if err != nil {
		return
	}
	err = readBook(wb, "fuzz.xlsx", Options{AsOf: d("2024-03-31")}, func(r source.Record) error {
		if (r.Err == nil) == (r.Case == nil) || r.File != "fuzz.xlsx" {
			t.Fatalf("record %d: err %v, case %v", r.Index, r.Err, r.Case != nil)
		}
		if r.Case != nil {
			if err := record.Validate(r.Case); err != nil || r.Case.CaseID != r.CaseID || r.CaseID == "" {
				t.Fatalf("record %d (%q): a case that does not validate: %v", r.Index, r.CaseID, err)
			}
		}
		if r.Index > 0 && r.Err != nil && !strings.Contains(r.Err.Error(), "!") {
			t.Fatalf("record %d: a child's error that names no cell: %v", r.Index, r.Err)
		}
		return nil
	})
	if err != nil && !strings.Contains(err.Error(), "no sheet is named List 3 to List 7") && !strings.Contains(err.Error(), "it has no sheets") {
		t.Fatalf("readBook: %v", err)
	}
}

// zipBytes zips parts in memory.
func zipBytes(parts map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, body := range parts {
		w, _ := zw.Create(n)
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}

// FuzzReadWorkbook fuzzes whole workbooks (mostly the zip's own checks, which stop early).
func FuzzReadWorkbook(f *testing.F) {
	for _, name := range []string{"../../../../shared/data/annex-a/annex-a-sample-liia-tools.xlsx", "../../../../shared/data/annex-a/annex-a-ofsted-template-2019-08.xlsx"} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add(zipBytes(farColumnParts()))
	f.Add(zipBytes(handParts(`<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row><row><c t="s"><v>2</v></c><c><v>43831</v></c></row>`)))
	f.Fuzz(fuzzRead)
}

// FuzzReadSheet fuzzes the XML of a List 3 sheet and of the shared strings, in a valid zip:
// where the reader's own parsing is.
func FuzzReadSheet(f *testing.F) {
	f.Add(`<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row><row><c t="s"><v>2</v></c><c><v>43831</v></c><c r="XFD2" s="3"/></row>`,
		`<si><t>Child Unique ID</t></si><si><r><t>Date of </t></r><r><t>referral</t></r><rPh><t>x</t></rPh></si><si><t>H1</t></si>`)
	f.Add(`<row r="1">`+text("A1", "Child Unique ID")+text("B1", "Date of referral")+text("C1", "Referral NFA?")+`</row><row r="2">`+text("A2", "C1")+text("B2", "16")+text("C2", "a) Yes")+`</row>`, ``)
	f.Add(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="ZZZ1" t="s"><v>1</v></c></row><row r="100001"><c r="A100001" t="b"><v>1</v></c></row>`, `<si><t>Child Unique ID</t></si>`)
	f.Fuzz(func(t *testing.T, sheetXML, shared string) {
		parts := handParts(sheetXML)
		parts["book/strings.xml"] = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + shared + `</sst>`
		fuzzRead(t, zipBytes(parts))
	})
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReportWritesHTMLAndWorkbook(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	// The sample has breaches: exit 1, as every format gives for them.
	code, _, stderr := run(t, "", "report", "-o", html, "../../fixtures/sample")
	if code != 1 || !strings.Contains(stderr, "wrote "+html) {
		t.Fatalf("html: exit %d, %s", code, stderr)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("C-0026")) || !bytes.Contains(page, []byte(`id="case-`)) {
		t.Error("the page lists no overdue case with its timeline")
	}
	xlsx := filepath.Join(dir, "report.xlsx")
	if code, _, stderr := run(t, "", "check", "--format", "xlsx", "-o", xlsx, "../../fixtures/sample"); code != 1 {
		t.Fatalf("xlsx: exit %d, %s", code, stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Summary", "Findings", "Edition 2010", "Edition 2013", "Edition 2015", "Edition 2018", "Edition 2023", "Edition 2026", "Edition in-force", "Overdue", "Due soon", "Incidents", "Arrangements"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sheets = %v, want %v", got, want)
	}
	if v, _ := f.GetCellValue("Summary", "B4"); v != "32" {
		t.Errorf("cases checked = %q", v)
	}
	if code, _, stderr := run(t, "", "report", "--format", "xlsx", "../../fixtures/sample"); code != 2 || !strings.Contains(stderr, "give the file with -o") {
		t.Errorf("xlsx to stdout: exit %d, %s", code, stderr)
	}
}

// headline reads a number of the page's headline by its id.
func headline(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `">([^<]*)<`).FindStringSubmatch(page)
	if m == nil {
		t.Errorf("no #%s on the page", id)
		return ""
	}
	return m[1]
}

// TestAuditHeadlineIsQuotable: by default the audit checks each referral (and each incident)
// under the edition in force when it was received, so the sample's cases give 31 distinct
// breaches, 16 of a must and 15 of a should, and its incidents and areas' arrangements 13
// more, 10 of a must and 3 of a should; the overdue list holds open work only (not C-0005's
// decision, missed on a referral closed in 2012; INC-2024-005's local review, a year
// overdue, is); the trend ends at the as-of date (not at an 18th birthday in the 2030s).
func TestAuditHeadlineIsQuotable(t *testing.T) {
	_, stdout, stderr := run(t, "", "report", "../../fixtures/sample")
	page := stdout
	if !strings.Contains(page, "</html>") {
		t.Fatalf("no page: %s", stderr)
	}
	for id, want := range map[string]string{
		"summary-breach": "26", "summary-warning": "18", "summary-pending": "25", "summary-met": "450",
		"summary-overdue": "3", "summary-due-soon": "2",
	} {
		if got := headline(t, page, id); got != want {
			t.Errorf("#%s = %s, want %s", id, got, want)
		}
	}
	overdue := page[strings.Index(page, `id="overdue-table"`):]
	overdue = overdue[:strings.Index(overdue, "</table>")]
	if strings.Contains(overdue, "C-0005") || !strings.Contains(overdue, "C-0026") || !strings.Contains(overdue, "C-0032") || !strings.Contains(overdue, "INC-2024-005") {
		t.Error("the overdue list is not INC-2024-005's local review, C-0032's visit and C-0026's assessment")
	}
	trend := page[strings.Index(page, `id="trend-table"`):]
	trend = trend[:strings.Index(trend, "</table>")]
	months := regexp.MustCompile(`<td class="nowrap">(\d{4}-\d{2})</td>`).FindAllStringSubmatch(trend, -1)
	if len(months) == 0 || months[len(months)-1][1] != "2025-03" {
		t.Errorf("the trend does not end in the as-of month: %v", months[len(months)-1:])
	}
	// The other editions are in the comparison, with the in-force column.
	if !strings.Contains(page, `id="comparison-table"`) || !strings.Contains(page, `<th scope="col" class="num">in-force</th>`) {
		t.Error("the page does not compare the editions")
	}
	// Asked for every edition, the headline still counts each finding once: the cases' 176
	// breach findings are 34 distinct breaches, 18 of a must and 16 of a should (and the
	// incidents and arrangements add 13 and 4), and an overdue item is one item whatever the
	// editions that find it.
	_, stdout, _ = run(t, "", "report", "--edition", "2010,2013,2015,2018,2023,2026", "../../fixtures/sample")
	for id, want := range map[string]string{"summary-breach": "31", "summary-warning": "20", "summary-overdue": "5"} {
		if got := headline(t, stdout, id); got != want {
			t.Errorf("three editions: #%s = %s, want %s", id, got, want)
		}
	}
}

// TestAuditPageStatesItsLimits: a page cut to a few rows and timelines says so, and where
// the rest is; only the cases shown are linked.
func TestAuditPageStatesItsLimits(t *testing.T) {
	_, page, stderr := run(t, "", "report", "--max-rows", "1", "--max-timelines", "2", "../../fixtures/sample")
	for _, want := range []string{
		"Showing the first 1 of 3 items, the oldest due date first,",
		"every finding is in the downloadable data",
		"20 cases have breaches or work due soon; the page shows the timelines of 2 of them (at most 2)",
	} {
		if !strings.Contains(strings.ToLower(page), strings.ToLower(want)) {
			t.Errorf("the page does not say %q (%s)", want, stderr)
		}
	}
	if n := strings.Count(page, `<section class="case"`); n != 2 {
		t.Errorf("%d timelines, want 2", n)
	}
	// The two kept are the cases with open work overdue, oldest first.
	for _, id := range []string{"case-C-0032", "case-C-0026"} {
		if !strings.Contains(page, `<section class="case" id="`+id+`"`) {
			t.Errorf("no timeline of %s", id)
		}
	}
}

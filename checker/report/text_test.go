package report

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// TestTextTableAsTabwriter: the text table, laid out from two walks of the list, is byte for
// byte what text/tabwriter (which the format used to hold every row in) made of the same rows,
// with ids of several widths, in several scripts, and a finding resting on a proxy.
func TestTextTableAsTabwriter(t *testing.T) {
	n := func(v int) *int { return &v }
	findings := checker.FindingSlice{
		{CaseID: "C-1", Edition: "2018", Rule: "icpc-timeliness", Subject: "S1", Status: checker.StatusBreach, Severity: checker.SeverityBreach,
			Due: record.MustDate("2024-01-25"), Done: record.MustDate("2024-01-29"), LateWorkingDays: n(2)},
		{CaseID: "C-élan-测试-0000000000002", Edition: "2023", Rule: "cp-visit-interval", Subject: "P1@2024-03-27", Status: checker.StatusPending,
			Severity: checker.SeverityBreach, Due: record.MustDate("2024-04-12"), WorkingDaysLeft: n(3), DueSoon: true, Proxies: []string{"s47"}},
		{CaseID: "Ω", Edition: "2010", Rule: "r", Subject: "", Status: checker.StatusBreach, Severity: checker.SeverityWarning},
	}
	rep := &checker.Report{Findings: findings, Summary: checker.Summary{Findings: map[checker.Status]int{}}}
	var got bytes.Buffer
	if err := Text(&got, rep); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tEDITION\tRULE\tSUBJECT\tSTATUS\tDUE\tDONE\tLATE / LEFT")
	for f := range findings.All() {
		fmt.Fprintln(tw, strings.Join(textRow(f), "\t"))
	}
	tw.Flush()
	table, _, _ := strings.Cut(got.String(), "\n(proxy)")
	if table+"\n" != want.String() {
		t.Errorf("table:\n%s\nwant (tabwriter):\n%s", table, want.String())
	}
	if !strings.Contains(got.String(), "\n(proxy): the finding rests on a stand-in") {
		t.Errorf("no proxy note in:\n%s", got.String())
	}
}

// TestMeasureRowAsTextRow: the widths the first walk measures without making the cells are
// those of the cells textRow makes, one finding at a time, for ids in several scripts and
// needing quotes, a pack's name, a "should" breach, a proxy, dates missing and out of range.
func TestMeasureRowAsTextRow(t *testing.T) {
	findings := variedFindings()
	for i := range findings {
		f := &findings[i]
		got, want := make([]int, 7), make([]int, 7)
		measureRow(f, got)
		for j, cell := range textRow(f)[:7] {
			want[j] = utf8.RuneCountInString(cell)
		}
		if !slices.Equal(got, want) {
			t.Errorf("finding %+v: measured %v, the cells are %v wide", *f, got, want)
		}
	}
}

// TestTextRowsAsTabwriter: the rows the table writes straight into its lines are, with the
// findings of every kind of TestMeasureRowAsTextRow (and lateness of every kind), what
// text/tabwriter makes of textRow's cells, plain and, codes taken out, in colour.
func TestTextRowsAsTabwriter(t *testing.T) {
	n := func(v int) *int { return &v }
	findings := checker.FindingSlice(variedFindings())
	due, done := record.MustDate("2024-01-25"), record.MustDate("2024-01-29")
	findings = append(findings,
		checker.Finding{CaseID: "C-9", Edition: "2018", Rule: "r", Status: checker.StatusBreach, Severity: checker.SeverityBreach, Due: due, LateWorkingDays: n(-3)},
		checker.Finding{CaseID: "C-9", Edition: "2018", Rule: "r", Status: checker.StatusPending, Severity: checker.SeverityBreach, Due: due, WorkingDaysLeft: n(12345), DueSoon: true},
		checker.Finding{CaseID: "C-9", Edition: "2018", Rule: "r", Status: checker.StatusPending, Severity: checker.SeverityBreach, Due: due, WorkingDaysLeft: n(0),
			ProjectedHolidays: []record.Date{due}},
		checker.Finding{CaseID: "C-9", Edition: "2018", Rule: "r", Status: checker.StatusMet, Severity: checker.SeverityBreach, Due: due, Done: done,
			ProjectedHolidays: []record.Date{due}},
		checker.Finding{CaseID: "C-9", Edition: "2018", Rule: "r", Status: checker.StatusBreach, Severity: checker.SeverityBreach, Due: due, Done: done,
			LateWorkingDays: n(2), ProjectedHolidays: []record.Date{due}},
	)
	rep := &checker.Report{Findings: findings, Summary: checker.Summary{Findings: map[checker.Status]int{}}}
	var want bytes.Buffer
	tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tEDITION\tRULE\tSUBJECT\tSTATUS\tDUE\tDONE\tLATE / LEFT")
	for f := range findings.All() {
		fmt.Fprintln(tw, strings.Join(textRow(f), "\t"))
	}
	tw.Flush()
	for _, write := range []Writer{Text, ColourText} {
		var got bytes.Buffer
		if err := write(&got, rep); err != nil {
			t.Fatal(err)
		}
		table, _, _ := strings.Cut(got.String(), "\n(proxy)")
		for _, code := range []string{red, yellow, green, faint, reset} {
			table = strings.ReplaceAll(table, code, "")
		}
		if table+"\n" != want.String() {
			t.Errorf("table:\n%s\nwant (tabwriter):\n%s", table, want.String())
		}
	}
}

// variedFindings are findings of every kind a cell of the text table can be: ids in several
// scripts, ids that need quotes, packs, proxies, missing and out-of-range dates.
func variedFindings() []checker.Finding {
	n := func(v int) *int { return &v }
	var findings []checker.Finding
	for _, id := range []string{"C-1", "C-élan-测试-0000000000002", "Ω", "::set-output", "tab\there", "##[group]x", ""} {
		for _, f := range []checker.Finding{
			{Edition: "2018", Rule: "icpc-timeliness", Subject: id, Status: checker.StatusBreach, Severity: checker.SeverityBreach,
				Due: record.MustDate("2024-01-25"), Done: record.MustDate("2024-01-29"), LateWorkingDays: n(2)},
			{Edition: "2023", Pack: "local-é", Rule: "cp-visit-interval", Subject: "P1@2024-03-27", Status: checker.StatusNotApplicable,
				Severity: checker.SeverityBreach, Due: record.DateFromDayNumber(-800000), Proxies: []string{"s47"}},
			{Edition: "2010", Rule: "r", Status: checker.StatusBreach, Severity: checker.SeverityWarning, Done: record.DateFromDayNumber(3000000)},
			{IncidentID: "I\u2028" + id, Edition: "2026", Rule: "scr-held", Status: checker.StatusInsufficientData, Severity: checker.SeverityInfo},
		} {
			f.CaseID = id
			findings = append(findings, f)
		}
	}
	return findings
}

// TestColourText: the coloured table is the plain one, to the byte, once its escape codes are
// taken out (so the columns still line up), and each status has its colour.
func TestColourText(t *testing.T) {
	n := func(v int) *int { return &v }
	findings := checker.FindingSlice{
		{CaseID: "C-1", Edition: "2018", Rule: "icpc-timeliness", Subject: "S1", Status: checker.StatusBreach, Severity: checker.SeverityBreach,
			Due: record.MustDate("2024-01-25"), Done: record.MustDate("2024-01-29"), LateWorkingDays: n(2)},
		{CaseID: "C-élan-2", Edition: "2023", Rule: "cp-visit-interval", Subject: "P1@2024-03-27", Status: checker.StatusPending,
			Severity: checker.SeverityBreach, Due: record.MustDate("2024-04-12"), WorkingDaysLeft: n(3), DueSoon: true},
		{CaseID: "C-3", Edition: "2023", Rule: "plan-ends-by-18", Subject: "P1", Status: checker.StatusPending, Severity: checker.SeverityBreach,
			Due: record.MustDate("2033-06-01"), WorkingDaysLeft: n(2318)},
		{CaseID: "Ω", Edition: "2010", Rule: "r", Subject: "", Status: checker.StatusBreach, Severity: checker.SeverityWarning},
		{CaseID: "C-4", Edition: "2010", Rule: "m", Subject: "A1", Status: checker.StatusMet, Severity: checker.SeverityBreach},
	}
	rep := &checker.Report{Findings: findings, Summary: checker.Summary{Findings: map[checker.Status]int{}},
		Errors:   []checker.RecordError{{File: "bad.ndjson", Record: 2, Error: "malformed JSON"}},
		Warnings: []checker.RecordWarning{{File: "a.json", Record: 1, Path: "referrals[0].decision", Warning: "is after the extract date"}}}
	var plain, coloured bytes.Buffer
	if err := Text(&plain, rep); err != nil {
		t.Fatal(err)
	}
	if err := ColourText(&coloured, rep); err != nil {
		t.Fatal(err)
	}
	stripped := coloured.String()
	for _, code := range []string{red, yellow, green, faint, reset} {
		stripped = strings.ReplaceAll(stripped, code, "")
	}
	if stripped != plain.String() {
		t.Errorf("coloured, without its codes:\n%s\nplain:\n%s", stripped, plain.String())
	}
	for _, want := range []string{
		"  " + red + "breach" + reset + "   2024-01-25",
		"  " + yellow + "pending" + reset + "  2024-04-12",
		"  pending  2033-06-01",
		"  " + yellow + "warning" + reset + "  -",
		"  " + green + "met" + reset + "      -",
		red + "Errors (1):" + reset + "\n",
		yellow + "Warnings (1):" + reset + "\n",
	} {
		if !strings.Contains(coloured.String(), want) {
			t.Errorf("no %q in:\n%q", want, coloured.String())
		}
	}
	if strings.Contains(plain.String(), "\x1b") {
		t.Errorf("escape codes in the plain table:\n%q", plain.String())
	}
}

func TestTextDueDates(t *testing.T) {
	r := &checker.Report{DueDates: []checker.DueDisagreement{
		{CaseID: "P-1", Edition: "2023", Rule: "first-review-timeliness", Subject: "cp:1", SystemDue: record.MustDate("2024-07-28"), Due: record.MustDate("2024-04-28"), Days: 91, Where: "ssd_cp_reviews row R-1, cppr_cp_review_due"},
		{CaseID: "P-2", Edition: "2023", Rule: "icpc-timeliness", Subject: "S-1", SystemDue: record.MustDate("2024-01-23"), Due: record.MustDate("2024-01-24"), Days: -1, Where: "w"},
	}}
	var b strings.Builder
	if err := Text(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "Due dates the source system set that differ from the guidance (2; not breaches):\n" +
		"  P-1 2023 first-review-timeliness cp:1: the system's due date 2024-07-28, the guidance's 2024-04-28 (91 days later) [ssd_cp_reviews row R-1, cppr_cp_review_due]\n" +
		"  P-2 2023 icpc-timeliness S-1: the system's due date 2024-01-23, the guidance's 2024-01-24 (1 day earlier) [w]\n\n"
	if !strings.HasPrefix(b.String(), want) {
		t.Fatalf("got:\n%s\nwant it to begin:\n%s", b.String(), want)
	}
}

// TestTextWithLayout: a table laid out from a layout measured finding by finding, in any
// order and split between workers, is the table Text and ColourText measure for themselves,
// and a layout measured for another list (here, part of it, so narrower) is not used.
func TestTextWithLayout(t *testing.T) {
	n := func(v int) *int { return &v }
	findings := checker.FindingSlice{
		{CaseID: "C-1", Edition: "2018", Rule: "icpc-timeliness", Subject: "S1", Status: checker.StatusBreach, Severity: checker.SeverityBreach,
			Due: record.MustDate("2024-01-25"), Done: record.MustDate("2024-01-29"), LateWorkingDays: n(2)},
		{CaseID: "C-élan-测试-0000000000002", Edition: "2023", Pack: "local", Rule: "cp-visit-interval", Subject: "P1@2024-03-27", Status: checker.StatusPending,
			Severity: checker.SeverityBreach, Due: record.MustDate("2024-04-12"), WorkingDaysLeft: n(3), DueSoon: true, Proxies: []string{"s47"}},
		{CaseID: "tab\there", Edition: "2010", Rule: "r", Subject: "", Status: checker.StatusBreach, Severity: checker.SeverityWarning},
	}
	rep := &checker.Report{Findings: findings, Summary: checker.Summary{Findings: map[checker.Status]int{}}}
	for _, colour := range []bool{false, true} {
		var want bytes.Buffer
		plainWriter := Text
		if colour {
			plainWriter = ColourText
		}
		if err := plainWriter(&want, rep); err != nil {
			t.Fatal(err)
		}
		// Two workers' layouts, each given findings out of order, merged.
		var a, b TextLayout
		b.Add(&findings[2])
		a.Add(&findings[1])
		b.Add(&findings[0])
		a.Merge(&b)
		var got bytes.Buffer
		if err := TextWith(&a, colour)(&got, rep); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("colour %v: laid out beforehand:\n%s\nmeasured by the writer:\n%s", colour, got.String(), want.String())
		}
		var part TextLayout
		part.Add(&findings[0])
		got.Reset()
		if err := TextWith(&part, colour)(&got, rep); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("colour %v: with a layout of one finding of three:\n%s\nwant:\n%s", colour, got.String(), want.String())
		}
	}
	// The narrower layout, were it used, would give another table: the test above can fail.
	var part TextLayout
	part.Add(&findings[0])
	var wide TextLayout
	for f := range findings.All() {
		wide.Add(f)
	}
	if part.widths == wide.widths {
		t.Fatal("one finding's layout is as wide as the three's: the fallback is not tested")
	}
}

// TestAppendSpaces: padding of any width, past the slice it is cut from too, and none for a
// cell as wide as its column or wider.
func TestAppendSpaces(t *testing.T) {
	for n := -2; n <= 3*len(spaces)+1; n++ {
		got := string(appendSpaces([]byte("x"), n))
		if want := "x" + strings.Repeat(" ", max(n, 0)); got != want {
			t.Fatalf("appendSpaces(%d): %d bytes %q, want %d", n, len(got), got, len(want))
		}
	}
}

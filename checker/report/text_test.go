package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"

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

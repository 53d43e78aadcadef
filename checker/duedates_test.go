package checker

import (
	"reflect"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

func TestCompareDue(t *testing.T) {
	findings := []Finding{
		{CaseID: "P-1", Edition: "2023", Rule: "icpc-timeliness", Subject: "S-1", Due: record.MustDate("2024-01-25")},
		{CaseID: "P-1", Edition: "2018", Rule: "icpc-timeliness", Subject: "S-1", Due: record.MustDate("2024-01-25")},
		{CaseID: "P-1", Edition: "2023", Rule: "first-review-timeliness", Subject: "cp:1", Due: record.MustDate("2024-04-29")},
		{CaseID: "P-1", Edition: "2023", Rule: "review-interval", Subject: "review:1"}, // not judged: no due date
	}
	due := []record.SystemDue{
		{Rule: "icpc-timeliness", Subject: "S-1", Due: record.MustDate("2024-01-18"), Where: "t line 2, c"},
		{Rule: "first-review-timeliness", Subject: "cp:1", Due: record.MustDate("2024-04-29"), Where: "r line 3, d"}, // agrees
		{Rule: "review-interval", Subject: "review:1", Due: record.MustDate("2024-10-29"), Where: "r line 4, d"},
		{Rule: "icpc-timeliness", Subject: "S-9", Due: record.MustDate("2024-01-18"), Where: "t line 9, c"}, // no finding
	}
	got := CompareDue("P-1", due, findings)
	want := []DueDisagreement{
		{CaseID: "P-1", Edition: "2018", Rule: "icpc-timeliness", Subject: "S-1", SystemDue: record.MustDate("2024-01-18"), Due: record.MustDate("2024-01-25"), Days: -7, Where: "t line 2, c"},
		{CaseID: "P-1", Edition: "2023", Rule: "icpc-timeliness", Subject: "S-1", SystemDue: record.MustDate("2024-01-18"), Due: record.MustDate("2024-01-25"), Days: -7, Where: "t line 2, c"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if CompareDue("P-1", nil, findings) != nil {
		t.Fatal("no system due dates gave disagreements")
	}
}

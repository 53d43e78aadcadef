package ssd

import (
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct{ in, want, reason string }{
		{"", "", ""},
		{"2024-02-01", "2024-02-01", ""},
		{"2024-02-01 14:30:00", "2024-02-01", ""},
		{"2024-02-01 14:30:00.000", "2024-02-01", ""},
		{"2024-02-01T14:30:00Z", "2024-02-01", ""},
		{"2024-02-01T23:30:00+01:00", "2024-02-01", ""}, // the date as written, never converted
		{"2024/02/01", "2024-02-01", ""},
		{"01/02/2024", "2024-02-01", ""},
		{"01/02/2024 14:30", "2024-02-01", ""},
		{"01/02/2024 2:30:00 PM", "2024-02-01", ""},
		{"1900-01-01", "", ""},
		{"1900-01-01 00:00:00.000", "", ""},
		{"1900/01/01", "", ""},
		{"1899-12-31", "", "is not a real calendar date from 1900 to 2200"},
		{"2024-02-30", "", "is not a real calendar date from 1900 to 2200"},
		{"31/02/2024", "", "is not a real calendar date from 1900 to 2200"},
		{"2024-02-01x", "", "is not a date (YYYY-MM-DD or DD/MM/YYYY, with or without a time)"},
		{"2024-02-01 soon", "", "is not a date: what follows the date is not a time of day"},
		{"yesterday", "", "is not a date (YYYY-MM-DD or DD/MM/YYYY, with or without a time)"},
		{"2024-2-1", "", "is not a date (YYYY-MM-DD or DD/MM/YYYY, with or without a time)"},
	} {
		d, reason := parseDate(tc.in)
		got := ""
		if !d.IsZero() {
			got = d.String()
		}
		if got != tc.want || reason != tc.reason {
			t.Errorf("parseDate(%q) = %q, %q; want %q, %q", tc.in, got, reason, tc.want, tc.reason)
		}
	}
}

func TestCleanAndFlags(t *testing.T) {
	for in, want := range map[string]string{"": "", " NULL ": "", "null": "", "\x00": "", " Y    ": "Y", "NULLS": "NULLS"} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q; want %q", in, got, want)
		}
	}
	for in, want := range map[string]flag{"": flagNull, "Y": flagYes, "yes": flagYes, "1": flagYes, "TRUE": flagYes, "n": flagNo, "No": flagNo, "0": flagNo, "false": flagNo} {
		if got, reason := parseFlag(in); got != want || reason != "" {
			t.Errorf("parseFlag(%q) = %v, %q; want %v", in, got, reason, want)
		}
	}
	if _, reason := parseFlag("maybe"); reason != "is not a Y/N flag" {
		t.Errorf("parseFlag(maybe): %q", reason)
	}
}

func TestOutcomes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]bool
		ok   bool
	}{
		{`{"SINGLE_ASSESSMENT_FLAG": "Y", "NFA_FLAG": "N", "NUMBER_OF_OUTCOMES": 1, "COMMENTS": ""}`, map[string]bool{"SINGLE_ASSESSMENT_FLAG": true}, true},
		{`{"OUTCOME_CP_CONFERENCE_FLAG": "y ", "TOTAL_NO_OF_OUTCOMES": " "}`, map[string]bool{"CP_CONFERENCE_FLAG": true}, true},
		{`{"NFA_FLAG": "Y", "OUTCOME_CP_FLAG": "N", "COMMENTS": "said "no""}`, map[string]bool{"NFA_FLAG": true}, false},
		{``, nil, true},
	} {
		got, ok := outcomes(tc.in)
		if ok != tc.ok || len(got) != len(tc.want) {
			t.Errorf("outcomes(%s) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			continue
		}
		for k := range tc.want {
			if !got[k] {
				t.Errorf("outcomes(%s): no %s", tc.in, k)
			}
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-02-01", "2024-02-01 14:30:00.000", "01/02/2024 2:30 PM", "1900-01-01", "2024-02-01T23:30:00+01:00", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, reason := parseDate(s)
		if reason != "" && !d.IsZero() {
			t.Fatalf("parseDate(%q) gave a date and a reason", s)
		}
		if !d.IsZero() && (d.Before(record.MinDate) || d.After(record.MaxDate)) {
			t.Fatalf("parseDate(%q) = %s, out of range", s, d)
		}
	})
}

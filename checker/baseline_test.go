package checker

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// TestWriteSortedBaselineBytes holds the streamed baseline to the bytes json.Encoder writes
// for the whole file, sorted and without repeats, which is what baselines were before they
// streamed: an existing baseline must not change because of how it is written.
func TestWriteSortedBaselineBytes(t *testing.T) {
	entries := []BaselineEntry{
		{CaseID: "C-2", Edition: "2018", Rule: "icpc-timeliness", Subject: "S1"},
		{CaseID: "C-1", Edition: "2023", Rule: "plan-ends-by-18", Subject: "P1"},
		{CaseID: "C-<&>", Edition: "2018", Rule: "cp-visit-interval", Subject: "P1@2024-03-27"},
		{CaseID: "C-2", Edition: "2018", Rule: "icpc-timeliness", Subject: "S1"},
		{CaseID: "C-é\u2028", Edition: "2010", Rule: "r", Subject: "\"q\""},
		{CaseID: "C-2", Edition: "2018", Rule: "icpc-timeliness", Referral: "R2", Subject: "S1"},
		{CaseID: "C-2", Edition: "2018", Rule: "icpc-timeliness", Referral: "R2", Subject: "S1", Pack: "local"},
	}
	for _, tc := range []struct {
		name    string
		asOf    record.Date
		entries []BaselineEntry
	}{
		{"none", record.Date{}, nil},
		{"none with a day", record.MustDate("2024-03-31"), nil},
		{"one", record.MustDate("2024-03-31"), entries[:1]},
		{"several with a repeat", record.Date{}, entries},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := slices.Clone(tc.entries)
			slices.SortFunc(want, CompareBaselineEntries)
			want = slices.Compact(want)
			if want == nil {
				want = []BaselineEntry{}
			}
			var ref bytes.Buffer
			enc := json.NewEncoder(&ref)
			enc.SetIndent("", "  ")
			if err := enc.Encode(baselineFile{Format: BaselineFormat, AsOf: tc.asOf, Breaches: want}); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := WriteBaseline(&got, tc.asOf, tc.entries); err != nil {
				t.Fatal(err)
			}
			if got.String() != ref.String() {
				t.Errorf("WriteBaseline wrote\n%s\nwant\n%s", got.String(), ref.String())
			}
		})
	}
}

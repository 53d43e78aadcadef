package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/record"
)

// comparisonOf is a small comparison with n differences, some of whose strings need escaping
// in JSON (and one HTML would escape, which the report does not).
func comparisonOf(n int) *compare.Comparison {
	var ds []compare.Difference
	for i := range n {
		ds = append(ds, compare.Difference{CaseID: "C-<" + strings.Repeat("é", i) + ">&\"q\"", Referral: "R1", Subject: "A1",
			Requirement: "assessment-timeliness", Outcomes: []compare.Outcome{
				{Edition: "2010", Rule: "core", Status: checker.StatusBreach, Timescale: "35 working days", Due: record.MustDate("2019-04-24")},
				{Edition: "2018", Rule: "assessment-timeliness", Status: checker.StatusMet, Done: record.MustDate("2019-05-01")}}})
	}
	return &compare.Comparison{Editions: []string{"2010", "2018"}, AsOf: record.MustDate("2020-01-01"),
		Rules:       []compare.Row{{Rule: "core", Title: "Core", Cells: map[string]compare.Cell{"2010": {Present: true, Met: 1}}}},
		OnlyIn:      map[string][]string{"core": {"2010"}},
		Differences: compare.DifferencesOf(ds),
		NotCovered:  []checker.NotCovered{{CaseID: "C-9", Referral: "R2", Received: record.MustDate("2009-01-01")}},
		Errors:      []checker.RecordError{{File: "a.ndjson", Record: 2, Error: "bad <date>"}},
	}
}

// TestComparisonJSONStreamsTheWholeDocument: the differences streamed one by one into the
// document give the bytes of encoding the whole comparison at once.
func TestComparisonJSONStreamsTheWholeDocument(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		c := comparisonOf(n)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(c); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := ComparisonJSON(&got, c); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d differences: streamed\n%s\nwhole\n%s", n, got.String(), want.String())
		}
		if n > 0 && !strings.Contains(got.String(), `"reason": "breach under 2010 (core, 35 working days, due 2019-04-24); met under 2018 (assessment-timeliness)"`) {
			t.Errorf("%d differences: no reason made:\n%s", n, got.String())
		}
		var back compare.Comparison
		if err := json.Unmarshal(got.Bytes(), &back); err != nil || back.Differences.Len() != n {
			t.Errorf("%d differences: read back %v, error %v", n, back.Differences, err)
		}
	}
}

// failingList is differences whose walk stops at a run that cannot be read back.
type failingList struct{ ds []compare.Difference }

func (l *failingList) Len() int { return len(l.ds) + 1 }
func (l *failingList) All() iter.Seq[*compare.Difference] {
	return func(yield func(*compare.Difference) bool) {
		for i := range l.ds {
			if !yield(&l.ds[i]) {
				return
			}
		}
	}
}
func (l *failingList) Err() error {
	return errors.New("read back sorted differences (run 2 of 2): unexpected EOF")
}
func (l *failingList) Close() error { return nil }

type failingSpill struct{ ds []compare.Difference }

func (s failingSpill) NewSorter() compare.Sorter { return nil }
func (s failingSpill) Merge([]compare.Sorter) (compare.SortedList, error) {
	return &failingList{s.ds}, nil
}

// TestComparisonWritersFailOnARunNotRead: a report whose differences could not all be read
// back is an error in every format that lists them, never a shorter report.
func TestComparisonWritersFailOnARunNotRead(t *testing.T) {
	a := compare.NewAggregator(nil, false, nil)
	a.SpillTo(failingSpill{comparisonOf(2).Differences.Slice()})
	c := a.Result(&checker.Report{})
	for _, format := range []string{"text", "json", "markdown"} {
		write, err := LookupComparison(format)
		if err != nil {
			t.Fatal(err)
		}
		if err := write(&bytes.Buffer{}, c); err == nil || !strings.Contains(err.Error(), "run 2 of 2") {
			t.Errorf("%s: error %v, want the run's", format, err)
		}
	}
}

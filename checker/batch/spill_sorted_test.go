package batch

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
)

// TestSortedInputKeepsItsOrder: values added already in order (a batch read in case order)
// are not sorted again, and come out as added, ties too; one value out of place is sorted, in
// memory and in a run alike.
func TestSortedInputKeepsItsOrder(t *testing.T) {
	for _, budget := range []int64{-1, 4 * findingSize(&checker.Finding{})} {
		cfg := &spillConfig[checker.Finding]{what: "findings", cmp: checker.CompareFindingsAt, size: findingSize,
			codec: findingCodec, budget: budget, dir: t.TempDir()}
		for _, displaced := range []bool{false, true} {
			s := newSorter(cfg)
			var added []checker.Finding
			for i := range 30 {
				f := checker.Finding{CaseID: fmt.Sprintf("C-%02d", i/3), Edition: "2018", Rule: "r", Subject: "A1",
					Message: fmt.Sprintf("added %d", i)} // three equal findings a case
				if displaced && i == 7 {
					f.CaseID = "C-99" // out of place: must be sorted to the end
				}
				s.add(&f)
				added = append(added, f)
			}
			got, want := mergedAndStableSorted(t, cfg, s, added, func(f *checker.Finding) string { return f.CaseID + " " + f.Message })
			if !slices.Equal(got, want) {
				t.Errorf("budget %d, displaced %v:\n got %q\nwant %q", budget, displaced, got, want)
			}
		}
	}
}

// mergedAndStableSorted merges what the sorter s holds and gives the findings it yields, and
// those a stable sort of added gives, each as key shows it.
func mergedAndStableSorted(t *testing.T, cfg *spillConfig[checker.Finding], s *sorter[checker.Finding], added []checker.Finding,
	key func(*checker.Finding) string) (got, want []string) {
	t.Helper()
	list, err := mergeSorters(cfg, []*sorter[checker.Finding]{s})
	if err != nil {
		t.Fatal(err)
	}
	for f := range list.All() {
		got = append(got, key(f))
	}
	if err := list.Close(); err != nil {
		t.Fatal(err)
	}
	sorted := slices.Clone(added)
	slices.SortStableFunc(sorted, checker.CompareFindings)
	for i := range sorted {
		want = append(want, key(&sorted[i]))
	}
	return got, want
}

// TestVouchedOrderIsComparedAtRecords: a caller that vouches for the order of each record's
// values after the first (addAfter) still has its records compared with one another, so
// records added out of order are sorted, in memory and in a run alike; records added in
// order are not, and come out as added.
func TestVouchedOrderIsComparedAtRecords(t *testing.T) {
	for _, budget := range []int64{-1, 7 * findingSize(&checker.Finding{})} {
		cfg := &spillConfig[checker.Finding]{what: "findings", cmp: checker.CompareFindingsAt, size: findingSize,
			codec: findingCodec, budget: budget, dir: t.TempDir()}
		for _, records := range [][]int{{0, 1, 2, 3, 4, 5}, {0, 1, 4, 2, 3, 5}, {5, 4, 3, 2, 1, 0}} {
			s := newSorter(cfg)
			var added []checker.Finding
			for _, r := range records {
				for i, rule := range []string{"a", "b", "b", "c"} { // sorted within the record
					f := checker.Finding{CaseID: fmt.Sprintf("C-%02d", r), Edition: "2018", Rule: rule, Subject: "A1",
						Message: fmt.Sprintf("record %d, added %d", r, i)}
					s.addAfter(&f, i > 0)
					added = append(added, f)
				}
			}
			got, want := mergedAndStableSorted(t, cfg, s, added, func(f *checker.Finding) string { return f.Message })
			if !slices.Equal(got, want) {
				t.Errorf("budget %d, records added %v:\n got %q\nwant %q", budget, records, got, want)
			}
		}
	}
}

// TestSortFindingsAsChecker: a record's findings sorted on the worker come out as
// checker.SortFindings gives them, ties in the order given, whether they came in order or not.
func TestSortFindingsAsChecker(t *testing.T) {
	var fs []checker.Finding
	for i := range 24 {
		fs = append(fs, checker.Finding{CaseID: "C-1", Edition: []string{"2018", "2023"}[i%2], Rule: fmt.Sprintf("r%d", i%5),
			Subject: "A1", Message: fmt.Sprintf("given %d", i)}) // ties, told apart by message
	}
	sorted := slices.Clone(fs)
	checker.SortFindings(sorted)
	for name, in := range map[string][]checker.Finding{"shuffled": fs, "sorted": sorted, "one": fs[:1], "none": nil} {
		got, want := slices.Clone(in), slices.Clone(in)
		sortFindings(got)
		checker.SortFindings(want)
		if !slices.EqualFunc(got, want, func(a, b checker.Finding) bool { return a.Message == b.Message }) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
}

// TestOpenRunTakesValuesInOrder: once a run is written, the values that follow in order are
// written to it as they come, however many budgets' worth (one run, no chunks kept); a value
// out of order closes it, and everything still comes back in order, ties in the order added,
// also when the caller vouched for a value that follows the last added but not the last
// written (a run that had to be sorted ends with its largest value, not its last added).
func TestOpenRunTakesValuesInOrder(t *testing.T) {
	const budget = 10
	cfg := &spillConfig[checker.Finding]{what: "findings", cmp: checker.CompareFindingsAt,
		size: func(*checker.Finding) int64 { return 1 }, codec: findingCodec, budget: budget, dir: t.TempDir()}
	type add struct {
		c       int
		follows bool
	}
	var inOrder []add
	for i := range 50 * chunkLen {
		inOrder = append(inOrder, add{i / 3, i%3 > 0}) // three a case, ties
	}
	for _, tc := range []struct {
		name      string
		adds      []add
		runs      int  // at most
		chunkless bool // the sorter has let its chunks go
	}{
		{"in order", inOrder, 1, true},
		{"a value out of order", append(append(inOrder[:100:100], add{5, false}), inOrder[100:200]...), 3, false},
		{"vouched after a sorted run", append([]add{{9, false}, {1, false}, {8, false}, {2, false}, {7, false}, {3, false},
			{6, false}, {4, false}, {5, false}, {0, false}}, add{0, true}, add{2, true}, add{20, false}, add{1, false}), 4, false},
	} {
		s := newSorter(cfg)
		var added []checker.Finding
		for i, a := range tc.adds {
			f := checker.Finding{CaseID: fmt.Sprintf("C-%05d", a.c), Edition: "2018", Rule: "r", Message: fmt.Sprintf("added %d", i)}
			s.addAfter(&f, a.follows)
			added = append(added, f)
		}
		if tc.chunkless && s.vals.c != nil {
			t.Errorf("%s: the sorter keeps %d chunks", tc.name, len(s.vals.c))
		}
		list, err := mergeSorters(cfg, []*sorter[checker.Finding]{s})
		if err != nil {
			t.Fatal(err)
		}
		if runs := len(list.sources); runs > tc.runs {
			t.Errorf("%s: %d runs, want %d at most", tc.name, runs, tc.runs)
		}
		var got []string
		for f := range list.All() {
			got = append(got, f.Message)
		}
		if err := errors.Join(list.Err(), list.Close()); err != nil {
			t.Fatal(err)
		}
		slices.SortStableFunc(added, checker.CompareFindings)
		var want []string
		for _, f := range added {
			want = append(want, f.Message)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d values, not in order:\n got %.200q\nwant %.200q", tc.name, len(got), got, want)
		}
	}
}

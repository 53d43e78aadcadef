package batch

import (
	"cmp"
	"reflect"
	"slices"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/rules"
)

// TestListingSeesEveryListedFinding: Options.Listing is asked once for each worker, and
// between them its functions are given exactly the findings the report lists (no finding of a
// status not shown, none known to the baseline), however the workers share the batch and
// whether the list goes to disk or not.
func TestListingSeesEveryListedFinding(t *testing.T) {
	engine, err := rules.Engine()
	if err != nil {
		t.Fatal(err)
	}
	path := generated(t, 120)
	for _, tc := range []struct {
		name    string
		workers int
		budget  int64
		spills  bool
	}{
		{"one worker, in memory", 1, -1, false},
		{"three workers, on disk", 3, 16 << 10, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen [][]checker.Finding
			opts := Options{FailOn: checker.SeverityBreach, Workers: tc.workers, SortMemory: tc.budget, TempDir: t.TempDir(),
				Listing: func() func(*checker.Finding) {
					seen = append(seen, nil)
					i := len(seen) - 1
					return func(f *checker.Finding) { seen[i] = append(seen[i], *f) }
				}}
			rep, err := Check(engine, &Reader{}, []string{path}, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer rep.Close()
			if onDisk(rep) != tc.spills {
				t.Errorf("findings on disk: %v, want %v", onDisk(rep), tc.spills)
			}
			if len(seen) != tc.workers {
				t.Errorf("Listing asked %d times, want once for each of %d workers", len(seen), tc.workers)
			}
			listed, err := checker.CollectFindings(rep.Findings)
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Concat(seen...)
			if len(listed) < 1000 || len(got) != len(listed) {
				t.Fatalf("Listing was given %d findings, the report lists %d (want over a thousand)", len(got), len(listed))
			}
			order := func(a, b checker.Finding) int {
				return cmp.Or(checker.CompareFindings(a, b), cmp.Compare(a.File, b.File), cmp.Compare(a.Record, b.Record))
			}
			slices.SortFunc(got, order)
			slices.SortFunc(listed, order)
			for i := range listed {
				if !reflect.DeepEqual(got[i], listed[i]) {
					t.Fatalf("finding %d given to Listing:\n%+v\nlisted:\n%+v", i, got[i], listed[i])
				}
				if listed[i].Status != checker.StatusBreach && listed[i].Status != checker.StatusPending {
					t.Fatalf("finding %d listed with status %s, not shown by default", i, listed[i].Status)
				}
			}
		})
	}
}

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

// TestWithoutMessages: a check asked to keep its listed findings without their messages and
// notes lists the same findings, in the same order, with the same counts, with only those two
// fields empty, in memory and on disk.
func TestWithoutMessages(t *testing.T) {
	engine, err := rules.Assemble(rules.Options{Editions: []string{"in-force"}})
	if err != nil {
		t.Fatal(err)
	}
	path := generated(t, 400)
	for _, budget := range []int64{-1, 16 << 10} {
		check := func(without bool) (*checker.Report, []checker.Finding) {
			opts := Options{Show: checker.Statuses, FailOn: checker.SeverityBreach, Workers: 2, SortMemory: budget,
				TempDir: t.TempDir(), WithoutMessages: without}
			rep, err := Check(engine, &Reader{}, []string{path}, opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { rep.Close() })
			if onDisk(rep) != (budget > 0) {
				t.Fatalf("budget %d: findings on disk: %v", budget, onDisk(rep))
			}
			fs, err := checker.CollectFindings(rep.Findings)
			if err != nil {
				t.Fatal(err)
			}
			return rep, fs
		}
		fullRep, full := check(false)
		bareRep, bare := check(true)
		if !reflect.DeepEqual(fullRep.Summary, bareRep.Summary) {
			t.Errorf("budget %d: the summary changed:\n%+v\n%+v", budget, fullRep.Summary, bareRep.Summary)
		}
		if len(full) < 1000 || len(bare) != len(full) {
			t.Fatalf("budget %d: %d findings without messages, %d with (want over a thousand)", budget, len(bare), len(full))
		}
		notes := 0
		for i := range full {
			f, b := full[i], bare[i]
			if f.Message == "" || b.Message != "" || b.Note != "" {
				t.Fatalf("budget %d: finding %d: message %q, then %q and note %q", budget, i, f.Message, b.Message, b.Note)
			}
			if f.Note != "" {
				notes++
			}
			f.Message, f.Note = "", ""
			if !reflect.DeepEqual(f, b) {
				t.Fatalf("budget %d: finding %d differs beyond its message and note:\n%+v\n%+v", budget, i, f, b)
			}
		}
		if notes == 0 {
			t.Errorf("budget %d: no finding had a note to drop", budget)
		}
	}
}

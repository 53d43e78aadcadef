package batch

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
)

// segmentedList adds perSorter findings to each of sorters sorters, as workers taking cases
// a slot of 32 at a time would (each sorter's in order, the sorters' interleaved), three
// findings a case that compare equal but for their messages, and merges them. shuffled adds
// each sorter's findings out of order instead, so that it writes many short runs. It returns
// the list and the findings' keys in the order a stable sort of them all gives.
func segmentedList(t *testing.T, sorters, perSorter int, budget int64, shuffled bool) (*sortedList[checker.Finding], []string) {
	t.Helper()
	cfg := &spillConfig[checker.Finding]{what: "findings", cmp: checker.CompareFindingsAt, size: findingSize,
		codec: findingCodec, budget: budget, dir: t.TempDir()}
	ss := make([]*sorter[checker.Finding], sorters)
	added := make([][]checker.Finding, sorters)
	for i := range ss {
		ss[i] = newSorter(cfg)
	}
	var all []checker.Finding
	for n := range sorters * perSorter {
		f, slot := slotFinding(n)
		added[slot%sorters] = append(added[slot%sorters], f)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i, fs := range added {
		if shuffled {
			rng.Shuffle(len(fs), func(a, b int) { fs[a], fs[b] = fs[b], fs[a] })
		}
		for k := range fs {
			ss[i].add(&fs[k])
		}
		all = append(all, fs...) // equal findings come out sorter by sorter, each's as added
	}
	l, err := mergeSorters(cfg, ss)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, stableKeys(all)
}

// slotFinding is the nth finding of a batch: three a case, equal but for their messages, and
// the slot of 32 cases it is in.
func slotFinding(n int) (f checker.Finding, slot int) {
	c := n / 3
	return checker.Finding{CaseID: fmt.Sprintf("C-%07d", c), Edition: "2018", Rule: "A1", Subject: "assessment",
		Status: checker.StatusBreach, Message: fmt.Sprintf("m%d", n), Record: c}, c / 32
}

// key tells findings apart in a test's lists.
func key(f *checker.Finding) string { return f.CaseID + " " + f.Message }

// stableKeys are the keys of the findings in the order a stable sort of them gives.
func stableKeys(all []checker.Finding) []string {
	slices.SortStableFunc(all, checker.CompareFindings)
	want := make([]string, len(all))
	for i := range all {
		want[i] = key(&all[i])
	}
	return want
}

// walkAtOnce walks the stretches each on a goroutine of its own, all at once, and gives the
// keys of each.
func walkAtOnce(segs []iter.Seq[*checker.Finding]) [][]string {
	got := make([][]string, len(segs))
	var wg sync.WaitGroup
	for i, seg := range segs {
		wg.Go(func() {
			for f := range seg {
				got[i] = append(got[i], key(f))
			}
		})
	}
	wg.Wait()
	return got
}

// TestSegmentsAreTheListInOrder: a list cut into stretches walked at once, each on a
// goroutine of its own, yields the list's findings in the list's order, ties included, with
// none lost or yielded twice: from runs on disk that restart many times, and with a part of
// the list still in memory beside them.
func TestSegmentsAreTheListInOrder(t *testing.T) {
	const perSorter = 4 * passOverShare * restartEvery
	for _, tc := range []struct {
		name string
		list func(t *testing.T) (*sortedList[checker.Finding], []string)
	}{
		{"three workers' runs", func(t *testing.T) (*sortedList[checker.Finding], []string) {
			return segmentedList(t, 3, perSorter, 256*findingSize(&checker.Finding{}), false)
		}},
		{"a run and a part in memory", func(t *testing.T) (*sortedList[checker.Finding], []string) {
			return mixedList(t, perSorter)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, want := tc.list(t)
			size := perSorter / 4
			segs := l.Segments(size)
			if len(segs) < 2 {
				t.Fatalf("%d stretches of %d findings; want the list cut", len(segs), l.Len())
			}
			got := walkAtOnce(segs)
			var joined []string
			for i, g := range got {
				if len(g) == 0 {
					t.Errorf("stretch %d of %d is empty", i+1, len(segs))
				}
				joined = append(joined, g...)
			}
			if err := l.Err(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(joined, want) {
				t.Fatalf("the stretches joined give %d findings, want %d in the order of a stable sort; first difference at %d",
					len(joined), len(want), firstDifference(joined, want))
			}
			// The whole list, walked as before, is the same.
			var serial []string
			for f := range l.Scan() {
				serial = append(serial, key(f))
			}
			if !slices.Equal(serial, want) {
				t.Fatalf("Scan differs at %d", firstDifference(serial, want))
			}
		})
	}
}

// mixedList is a list of two sources: one sorter's findings in a run on disk, the other's
// held in memory.
func mixedList(t *testing.T, perSorter int) (*sortedList[checker.Finding], []string) {
	t.Helper()
	cfg := &spillConfig[checker.Finding]{what: "findings", cmp: checker.CompareFindingsAt, size: findingSize,
		codec: findingCodec, budget: -1, dir: t.TempDir()}
	disk, mem := newSorter(cfg), newSorter(cfg)
	var all []checker.Finding
	for n := range 2 * perSorter {
		f, slot := slotFinding(n)
		all = append(all, f)
		if slot%2 == 0 {
			disk.add(&f)
		} else {
			mem.add(&f)
		}
	}
	disk.spill()
	l, err := mergeSorters(cfg, []*sorter[checker.Finding]{disk, mem})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if len(l.sources) != 2 || l.sources[0].mem != nil || l.sources[1].mem == nil {
		t.Fatalf("sources %d; want a run on disk and a part in memory", len(l.sources))
	}
	if len(l.sources[0].run.restarts) < passOverShare {
		t.Fatalf("the run restarts %d times; want many", len(l.sources[0].run.restarts))
	}
	return l, stableKeys(all)
}

// TestSegmentsOfAListFarOutOfOrder: a list of many short runs (a batch far out of case
// order) is not cut, since each stretch would read most of every run to pass it over; the one
// stretch is the whole list.
func TestSegmentsOfAListFarOutOfOrder(t *testing.T) {
	l, want := segmentedList(t, 2, 4*passOverShare*restartEvery, 64*findingSize(&checker.Finding{}), true)
	if len(l.sources) < 100 {
		t.Fatalf("%d runs; want many", len(l.sources))
	}
	segs := l.Segments(1000)
	if len(segs) != 1 {
		t.Fatalf("%d stretches; want the list whole", len(segs))
	}
	got := walkAtOnce(segs)
	if !slices.Equal(got[0], want) {
		t.Fatalf("the list differs at %d", firstDifference(got[0], want))
	}
}

// TestSegmentsOfADamagedRun: a run cut short fails the stretches that read it, with the run
// named, and never passes for a shorter list; cut short before the cuts are found, every
// stretch is empty and Err says why.
func TestSegmentsOfADamagedRun(t *testing.T) {
	const perSorter = 4 * passOverShare * restartEvery
	for _, before := range []bool{false, true} {
		t.Run(fmt.Sprintf("damaged before cutting %v", before), func(t *testing.T) {
			l, want := segmentedList(t, 2, perSorter, 256*findingSize(&checker.Finding{}), false)
			damage := func() {
				if err := l.files[0].f.Truncate(l.sources[0].run.size / 2); err != nil {
					t.Fatal(err)
				}
			}
			if before {
				damage()
			}
			segs := l.Segments(perSorter / 4)
			if !before {
				if len(segs) < 2 {
					t.Fatalf("%d stretches; want the list cut", len(segs))
				}
				damage()
			}
			n := 0
			for _, g := range walkAtOnce(segs) {
				n += len(g)
			}
			err := l.Err()
			if err == nil || n >= len(want) {
				t.Fatalf("walked %d of %d findings, error %v; want an error and fewer", n, len(want), err)
			}
			if !strings.Contains(err.Error(), "read back sorted findings (run 1 of 2)") || !strings.Contains(err.Error(), "unexpected EOF") {
				t.Errorf("error %q; want the run named, and unexpected EOF", err)
			}
		})
	}
}

// TestSegmentsOfAShortList: a list under two stretches' worth is one stretch, the whole list.
func TestSegmentsOfAShortList(t *testing.T) {
	l, want := segmentedList(t, 2, 3000, 256*findingSize(&checker.Finding{}), false)
	segs := l.Segments(l.Len())
	if len(segs) != 1 {
		t.Fatalf("%d stretches; want one", len(segs))
	}
	if got := walkAtOnce(segs); !slices.Equal(got[0], want) {
		t.Fatalf("the list differs at %d", firstDifference(got[0], want))
	}
}

// firstDifference is the index of the first key where got and want differ.
func firstDifference(got, want []string) int {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return i
		}
	}
	return min(len(got), len(want))
}

package batch

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/internal/testgen"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// generated writes n generated cases (copies of the sample) to a file in a test's folder.
func generated(t testing.TB, n int) string {
	t.Helper()
	g, err := testgen.New("../..")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cases.ndjson")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Write(f, n); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// checked runs a check of every shipped edition listing every status, with the given budget
// and workers, and returns its findings (walked twice, to show that a list on disk can be)
// and its breaches.
func checked(t *testing.T, engine *checker.Engine, path string, budget int64, workers int) (*checker.Report, []checker.Finding, []checker.BaselineEntry) {
	t.Helper()
	var breaches Breaches
	opts := Options{Show: checker.Statuses, FailOn: checker.SeverityBreach, Workers: workers,
		SortMemory: budget, TempDir: t.TempDir(), Breaches: &breaches}
	rep, err := Check(engine, &Reader{}, []string{path}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := rep.Close(); err != nil {
			t.Error(err)
		}
		if err := breaches.Close(); err != nil {
			t.Error(err)
		}
	})
	first, err := checker.CollectFindings(rep.Findings)
	if err != nil {
		t.Fatal(err)
	}
	again, err := checker.CollectFindings(rep.Findings)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, again) {
		t.Fatal("a second walk of the findings differs from the first")
	}
	var bs []checker.BaselineEntry
	for e := range breaches.All() {
		bs = append(bs, e)
	}
	if err := breaches.Err(); err != nil {
		t.Fatal(err)
	}
	if len(bs) != breaches.Len() {
		t.Fatalf("%d breaches walked, Len says %d", len(bs), breaches.Len())
	}
	return rep, first, bs
}

// onDisk reports whether a report's findings were written to runs on disk.
func onDisk(rep *checker.Report) bool {
	l, ok := rep.Findings.(*sortedList[checker.Finding])
	return ok && len(l.files) > 0
}

// TestSpilledSameAsInMemory: a check whose findings are sorted in runs on disk and merged
// gives exactly the findings, in exactly the order, of one held in memory and sorted at once,
// whatever the budget (down to one finding a run) and the number of workers.
func TestSpilledSameAsInMemory(t *testing.T) {
	engine, err := rules.Engine()
	if err != nil {
		t.Fatal(err)
	}
	path := generated(t, 150)
	ref, want, wantBreaches := checked(t, engine, path, -1, 1)
	if onDisk(ref) {
		t.Fatal("with no budget the findings went to disk")
	}
	if len(want) < 7000 || !slices.IsSortedFunc(want, checker.CompareFindings) {
		t.Fatalf("reference: %d findings, sorted %v; want thousands, sorted", len(want), slices.IsSortedFunc(want, checker.CompareFindings))
	}
	if !slices.IsSortedFunc(wantBreaches, checker.CompareBaselineEntries) || len(wantBreaches) < 500 {
		t.Fatalf("reference: %d breaches, want hundreds, sorted", len(wantBreaches))
	}
	for _, tc := range []struct {
		budget  int64
		workers int
		spills  bool
	}{
		{1, 1, true},         // a run per finding
		{1, 3, true},         // and per worker
		{1 << 10, 2, true},   // many small runs
		{200 << 10, 2, true}, // runs that split cases, and a tail in memory
		{3 << 20, 1, true},   // one run and a tail
		{0, 2, false},        // the default: all of it fits
		{-1, 2, false},       // never on disk
	} {
		t.Run(fmt.Sprintf("budget=%d,workers=%d", tc.budget, tc.workers), func(t *testing.T) {
			rep, got, gotBreaches := checked(t, engine, path, tc.budget, tc.workers)
			if onDisk(rep) != tc.spills {
				t.Errorf("findings on disk: %v, want %v", onDisk(rep), tc.spills)
			}
			if len(got) != len(want) || rep.ListedLen() != len(want) {
				t.Fatalf("%d findings (Len %d), want %d", len(got), rep.ListedLen(), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("finding %d:\n got %+v\nwant %+v", i, got[i], want[i])
				}
			}
			if !reflect.DeepEqual(gotBreaches, wantBreaches) {
				t.Errorf("breaches differ from those kept in memory (%d, want %d)", len(gotBreaches), len(wantBreaches))
			}
			if !reflect.DeepEqual(rep.Summary, ref.Summary) {
				t.Errorf("summary %+v, want %+v", rep.Summary, ref.Summary)
			}
		})
	}
}

// TestSpilledEqualFindingsKeepTheirOrder: findings that compare equal come out of the merge in
// the order they were added, even when a run boundary falls between them, as a stable sort
// of them all would give.
func TestSpilledEqualFindingsKeepTheirOrder(t *testing.T) {
	cfg := &spillConfig[checker.Finding]{what: "findings", cmp: checker.CompareFindingsAt, size: findingSize,
		codec: findingCodec, budget: 3 * findingSize(&checker.Finding{}), dir: t.TempDir()}
	var all []checker.Finding
	var sorters []*sorter[checker.Finding]
	for w := range 2 {
		s := newSorter(cfg)
		for i := range 20 {
			// Five cases, each with four findings equal in case, edition, rule and subject,
			// told apart by their message.
			f := checker.Finding{CaseID: fmt.Sprintf("C-%d", (i*7)%5), Edition: "2018", Rule: "r", Subject: "A1",
				Message: fmt.Sprintf("worker %d, added %d", w, i)}
			s.add(&f)
			all = append(all, f)
		}
		sorters = append(sorters, s)
	}
	list, err := mergeSorters(cfg, sorters)
	if err != nil {
		t.Fatal(err)
	}
	defer list.Close()
	if len(list.sources) < 10 {
		t.Fatalf("%d sources, want many runs", len(list.sources))
	}
	checker.SortFindings(all)
	got, err := checker.CollectFindings(list)
	if err != nil {
		t.Fatal(err)
	}
	for i := range all {
		if got[i].CaseID != all[i].CaseID || got[i].Message != all[i].Message {
			t.Fatalf("finding %d is %s %q, want %s %q", i, got[i].CaseID, got[i].Message, all[i].CaseID, all[i].Message)
		}
	}
}

// fillFields sets every field of the struct v points to a value that differs with seed, and
// fails on a field of a kind it does not know, so that a new kind of field is seen to.
func fillFields(t *testing.T, v reflect.Value, seed int) {
	t.Helper()
	for i := range v.NumField() {
		fillValue(t, v.Type().Field(i).Name, v.Field(i), seed+i)
	}
}

func fillValue(t *testing.T, name string, v reflect.Value, seed int) {
	t.Helper()
	dates := []string{"2024-01-25", "1999-12-31", "2000-01-01", "2155-06-30", "1900-01-01"}
	switch {
	case v.Type() == reflect.TypeOf(record.Date{}):
		v.Set(reflect.ValueOf(record.MustDate(dates[seed%len(dates)])))
	case v.Kind() == reflect.String:
		v.SetString(fmt.Sprintf("%s %d «é»", name, seed))
	case v.Kind() == reflect.Int:
		v.SetInt(int64(seed*37 - 100))
	case v.Kind() == reflect.Bool:
		v.SetBool(true)
	case v.Kind() == reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillValue(t, name, v.Elem(), seed)
	case v.Kind() == reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fillValue(t, name, v.Index(0), seed)
		fillValue(t, name, v.Index(1), seed+1)
	case v.Kind() == reflect.Struct:
		fillFields(t, v, seed)
	default:
		t.Fatalf("field %s is a %s: teach fillValue, and the run codec (codec.go), about it", name, v.Type())
	}
}

// writeRun writes values as one run, and gives a reader of it.
func writeRun[T any](t *testing.T, codec runCodec[T], values []T) *bufio.Reader {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	enc := codec.encoder()
	for i := range values {
		enc(w, &values[i])
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return bufio.NewReader(&buf)
}

// roundTrip writes values as one run and reads them back.
func roundTrip[T any](t *testing.T, codec runCodec[T], values []T) []T {
	t.Helper()
	r := writeRun(t, codec, values)
	dec := codec.decoder()
	out := make([]T, len(values))
	for i := range out {
		if err := dec(r, &out[i], nil); err != nil {
			t.Fatalf("value %d: %v", i, err)
		}
	}
	if rest, _ := r.Peek(1); len(rest) > 0 {
		t.Fatal("bytes left after the last value")
	}
	return out
}

// roundTripReuse writes values to a run and reads them back into one value, as a walk that
// keeps nothing does, handing each to check before the next is read.
func roundTripReuse[T any](t *testing.T, codec runCodec[T], values []T, check func(i int, got *T)) {
	t.Helper()
	r := writeRun(t, codec, values)
	dec := codec.decoder()
	var v T
	var spare valueSpare
	for i := range values {
		if err := dec(r, &v, &spare); err != nil {
			t.Fatalf("value %d: %v", i, err)
		}
		check(i, &v)
	}
	if rest, _ := r.Peek(1); len(rest) > 0 {
		t.Fatal("bytes left after the last value")
	}
}

// everyFieldAlone returns, for each field of T, a value with only that field set, between
// values with every field set.
func everyFieldAlone[T any](t *testing.T) (values []T, names []string) {
	var full1, full2 T
	fillFields(t, reflect.ValueOf(&full1).Elem(), 1)
	fillFields(t, reflect.ValueOf(&full2).Elem(), 50)
	values = append(values, full1, full1, full2)
	names = append(names, "every field", "every field again", "every field, other values")
	typ := reflect.TypeFor[T]()
	for i := range typ.NumField() {
		var one T
		fillValue(t, typ.Field(i).Name, reflect.ValueOf(&one).Elem().Field(i), 3)
		var zero T
		values = append(values, one, zero, full1)
		names = append(names, typ.Field(i).Name+" alone", "nothing, after "+typ.Field(i).Name, "every field, after "+typ.Field(i).Name)
	}
	return values, names
}

// TestRunCodecWritesEveryField: every field of a finding and of a baseline entry comes back
// from a run as it went in, alone or beside others, so that a field added to either type
// and not to the codec fails here rather than vanish from large reports only.
func TestRunCodecWritesEveryField(t *testing.T) {
	t.Run("Finding", func(t *testing.T) {
		values, names := everyFieldAlone[checker.Finding](t)
		// A finding with no proxies has nil proxies, and one with an empty list keeps it.
		values = append(values, checker.Finding{Proxies: []string{}})
		names = append(names, "empty proxies")
		got := roundTrip(t, findingCodec, values)
		for i := range values {
			if !reflect.DeepEqual(got[i], values[i]) {
				t.Errorf("%s:\n got %+v\nwant %+v", names[i], got[i], values[i])
			}
		}
		// Read to reuse, as Scan reads, into one finding: each is as written when read.
		roundTripReuse(t, findingCodec, values, func(i int, got *checker.Finding) {
			if !reflect.DeepEqual(*got, values[i]) {
				t.Errorf("%s, read to reuse:\n got %+v\nwant %+v", names[i], *got, values[i])
			}
		})
	})
	t.Run("BaselineEntry", func(t *testing.T) {
		values, names := everyFieldAlone[checker.BaselineEntry](t)
		got := roundTrip(t, breachCodec, values)
		for i := range values {
			if !reflect.DeepEqual(got[i], values[i]) {
				t.Errorf("%s:\n got %+v\nwant %+v", names[i], got[i], values[i])
			}
		}
	})
}

// spilledReport checks the generated cases with a budget small enough to write runs.
func spilledReport(t *testing.T, n int) (*checker.Report, *sortedList[checker.Finding]) {
	t.Helper()
	engine := testEngine(t)
	rep, err := Check(engine, &Reader{}, []string{generated(t, n)}, Options{Show: checker.Statuses,
		FailOn: checker.SeverityBreach, Workers: 2, SortMemory: 64 << 10, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	list, ok := rep.Findings.(*sortedList[checker.Finding])
	if !ok || !onDisk(rep) {
		t.Fatalf("findings are a %T, not on disk; want runs on disk", rep.Findings)
	}
	return rep, list
}

// TestSpilledRunDamaged: a run that cannot be read back (here cut short under the check's
// feet) ends the walk with an error naming the run, never a short list taken for a whole one.
func TestSpilledRunDamaged(t *testing.T) {
	rep, list := spilledReport(t, 40)
	defer rep.Close()
	if err := list.files[0].f.Truncate(list.sources[0].run.size / 2); err != nil {
		t.Fatal(err)
	}
	n := 0
	for range rep.Listed() {
		n++
	}
	err := rep.ListErr()
	if err == nil || n >= rep.ListedLen() {
		t.Fatalf("walked %d of %d findings, error %v; want an error before the end", n, rep.ListedLen(), err)
	}
	if want := "read back sorted findings (run "; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Errorf("error %q, want %q … unexpected EOF", err, want)
	}
	// The error stays: a writer that walks again still fails.
	for range rep.Listed() {
	}
	if rep.ListErr() == nil {
		t.Error("a second walk cleared the error")
	}
}

// TestSpilledRunFiles: runs leave no file behind, even before Close, and Close releases
// them (on Unix the name is removed as soon as the file is made; the space comes back when it
// is closed, or when the process ends however it ends).
func TestSpilledRunFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows cannot remove an open file: its runs are removed by Close")
	}
	rep, list := spilledReport(t, 40)
	dir := filepath.Dir(list.files[0].f.Name())
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 0 {
		t.Errorf("the temporary folder holds %d entries (%v), want none", len(entries), err)
	}
	f := list.files[0].f
	if err := rep.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Stat(); err == nil {
		t.Error("a run's file is still open after Close")
	}
	if err := rep.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// TestSpillTempDirMissing: a folder for runs that does not exist is an error of the check,
// naming what was being sorted, not a crash or a silent report in memory.
func TestSpillTempDirMissing(t *testing.T) {
	engine := testEngine(t)
	_, err := Check(engine, &Reader{}, []string{generated(t, 40)}, Options{Show: checker.Statuses,
		FailOn: checker.SeverityBreach, Workers: 2, SortMemory: 64 << 10, TempDir: filepath.Join(t.TempDir(), "missing")})
	if err == nil || !strings.Contains(err.Error(), "sort findings on disk: ") || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("error %v, want sort findings on disk: … missing …", err)
	}
}

// TestFirstSeen: where a case id was first read survives its packing, and a position past
// what the packing holds is "not known", never another record's.
func TestFirstSeen(t *testing.T) {
	for _, tc := range []struct {
		file, index int
		ok          bool
	}{
		{0, 0, true}, {0, 1, true}, {3, 77, true}, {1<<24 - 1, 1<<40 - 2, true},
		{1 << 24, 1, false}, {0, 1<<40 - 1, false}, {-1, 1, false}, {2, -1, false},
	} {
		file, index, ok := seenAt(tc.file, tc.index).at()
		if ok != tc.ok || ok && (file != tc.file || index != tc.index) {
			t.Errorf("seenAt(%d, %d).at() = %d, %d, %v", tc.file, tc.index, file, index, ok)
		}
	}
}

// TestSortInPlaceIsAStableSort checks the cycle-following permutation against
// slices.SortStableFunc on lists with many equal keys, of every length up to 300 and of
// lengths that end in, on and past chunk boundaries.
func TestSortInPlaceIsAStableSort(t *testing.T) {
	type kv struct{ key, seq int }
	lengths := []int{chunkLen - 1, chunkLen, chunkLen + 1, 2*chunkLen + 7, 3 * chunkLen}
	for n := range 300 {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		values := make([]kv, n)
		var held chunks[kv]
		for i := range values {
			values[i] = kv{key: (i * 7919) % 13, seq: i}
			held.add(&values[i])
		}
		want := slices.Clone(values)
		slices.SortStableFunc(want, func(a, b kv) int { return a.key - b.key })
		sortInPlace(&held, func(a, b *kv) int { return a.key - b.key })
		got := make([]kv, held.n)
		for i := range got {
			got[i] = *held.at(i)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: got %v, want %v", n, got, want)
		}
	}
}

// TestSorterReusesItsChunks: a sorter writes a run each time its budget is spent, exactly as
// before values were held in chunks (a run every budget's worth, the rest in memory), and
// holds no more chunks than one budget needs however many runs it writes; the merge gives
// every value, in order.
func TestSorterReusesItsChunks(t *testing.T) {
	const perRun, total = 1000, 5300
	cfg := &spillConfig[checker.Finding]{what: "findings", cmp: checker.CompareFindingsAt,
		size: func(*checker.Finding) int64 { return 1 }, codec: findingCodec, budget: perRun, dir: t.TempDir()}
	s := newSorter(cfg)
	for i := range total {
		s.add(&checker.Finding{CaseID: fmt.Sprintf("C-%05d", (i*7919)%total), Edition: "2018", Rule: "r"})
	}
	if len(s.runs) != total/perRun || s.vals.n != total%perRun {
		t.Fatalf("%d runs and %d values held, want %d and %d", len(s.runs), s.vals.n, total/perRun, total%perRun)
	}
	if want := (perRun + chunkLen - 1) / chunkLen; len(s.vals.c) != want {
		t.Errorf("%d chunks, want %d: chunks are not reused after a run", len(s.vals.c), want)
	}
	for _, r := range s.runs {
		if r.n != perRun {
			t.Errorf("a run of %d values, want %d", r.n, perRun)
		}
	}
	list, err := mergeSorters(cfg, []*sorter[checker.Finding]{s})
	if err != nil {
		t.Fatal(err)
	}
	defer list.Close()
	got, err := checker.CollectFindings(list)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != total {
		t.Fatalf("%d findings, want %d", len(got), total)
	}
	for i, f := range got {
		if want := fmt.Sprintf("C-%05d", i); f.CaseID != want {
			t.Fatalf("finding %d is %s, want %s", i, f.CaseID, want)
		}
	}
}

package report

import (
	"bytes"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wtcheck/wtcheck/checker"
)

// cutSlice is a list in memory that cuts itself into stretches of size findings, as a list
// kept in runs does (checker.FindingSegmenter), counting the stretches walked.
type cutSlice struct {
	checker.FindingSlice
	cuts, walked atomic.Int32
	long         int // when set, the stretches' length instead of size (a list in many runs)
}

func (s *cutSlice) Scan() iter.Seq[*checker.Finding] { return s.All() }

func (s *cutSlice) Segments(size int) []iter.Seq[*checker.Finding] {
	s.cuts.Add(1)
	if s.long > 0 {
		size = s.long
	}
	var segs []iter.Seq[*checker.Finding]
	for lo := 0; lo < len(s.FindingSlice); lo += size {
		part := s.FindingSlice[lo:min(lo+size, len(s.FindingSlice))]
		segs = append(segs, func(yield func(*checker.Finding) bool) {
			s.walked.Add(1)
			for i := range part {
				if !yield(&part[i]) {
					return
				}
			}
		})
	}
	return segs
}

// manyFindings is at least n varied findings.
func manyFindings(n int) checker.FindingSlice {
	var fs checker.FindingSlice
	for i := 0; len(fs) < n; i++ {
		for _, f := range variedFindings() {
			f.CaseID = fmt.Sprintf("%s-%d", f.CaseID, i)
			fs = append(fs, f)
		}
	}
	return fs
}

// TestTextLaidOutOnEveryCore: a long table laid out in stretches on two cores, plain and in
// colour, is byte for byte the table one walk lays out, each stretch walked once.
func TestTextLaidOutOnEveryCore(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	findings := manyFindings(5 * segmentFindings / 2)
	for _, colour := range []bool{false, true} {
		var layout TextLayout
		for f := range findings.All() {
			layout.Add(f)
		}
		var want bytes.Buffer
		one := &checker.Report{Findings: findings, Summary: checker.Summary{Findings: map[checker.Status]int{}}}
		if err := TextWith(&layout, colour)(&want, one); err != nil {
			t.Fatal(err)
		}
		cut := &cutSlice{FindingSlice: findings}
		rep := &checker.Report{Findings: cut, Summary: checker.Summary{Findings: map[checker.Status]int{}}}
		var got bytes.Buffer
		if err := TextWith(&layout, colour)(&got, rep); err != nil {
			t.Fatal(err)
		}
		stretches := (len(findings) + segmentFindings - 1) / segmentFindings
		if cut.cuts.Load() != 1 || int(cut.walked.Load()) != stretches {
			t.Fatalf("cut %d times, %d stretches walked; want one cut and %d stretches", cut.cuts.Load(), cut.walked.Load(), stretches)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("colour %v: the table laid out in stretches (%d bytes) differs from one walk's (%d bytes)", colour, got.Len(), want.Len())
		}
	}
	// On one core the list is walked where the writer is, uncut.
	runtime.GOMAXPROCS(1)
	cut := &cutSlice{FindingSlice: findings}
	if err := Text(new(bytes.Buffer), &checker.Report{Findings: cut, Summary: checker.Summary{Findings: map[checker.Status]int{}}}); err != nil {
		t.Fatal(err)
	}
	if cut.cuts.Load() != 0 {
		t.Error("on one core the list was cut")
	}
}

// failAfter takes n bytes and then fails every write.
type failAfter struct{ n int }

var errFull = errors.New("disk full")

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errFull
	}
	w.n -= len(p)
	return len(p), nil
}

// TestTextLaidOutOnEveryCoreFails: a write that fails part way through a table laid out in
// stretches fails the report with its error, and the goroutines laying it out end.
func TestTextLaidOutOnEveryCoreFails(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	findings := manyFindings(10 * segmentFindings)
	cut := &cutSlice{FindingSlice: findings}
	rep := &checker.Report{Findings: cut, Summary: checker.Summary{Findings: map[checker.Status]int{}}}
	before := runtime.NumGoroutine()
	if err := Text(&failAfter{n: 100_000}, rep); !errors.Is(err, errFull) {
		t.Fatalf("error %v; want %v", err, errFull)
	}
	if walked := int(cut.walked.Load()); walked >= (len(findings)+segmentFindings-1)/segmentFindings {
		t.Errorf("%d stretches laid out after the write failed; want fewer than all", walked)
	}
	if after := goroutinesSettled(before); after > before {
		t.Errorf("%d goroutines after, %d before", after, before)
	}
}

// goroutinesSettled returns how many goroutines there are once no more than want remain, or
// after two seconds. A goroutine that has told its WaitGroup it is done may not have exited
// yet when Wait returns, and runtime.NumGoroutine still counts it: CI's race-detector run on
// two cores once saw one more than before, a moment too soon.
func goroutinesSettled(want int) int {
	deadline := time.Now().Add(2 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(time.Millisecond)
	}
}

// TestTextStretchesTooLongAreWalkedWhereTheWriterIs: a list cut only into stretches longer
// than a buffer may hold (maxStretchBytes) is walked on one goroutine, uncut, and the table is
// the same.
func TestTextStretchesTooLongAreWalkedWhereTheWriterIs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	findings := manyFindings(2 * maxStretchBytes / 50)
	var want bytes.Buffer
	if err := Text(&want, &checker.Report{Findings: findings, Summary: checker.Summary{Findings: map[checker.Status]int{}}}); err != nil {
		t.Fatal(err)
	}
	cut := &cutSlice{FindingSlice: findings, long: len(findings) / 2}
	var got bytes.Buffer
	if err := Text(&got, &checker.Report{Findings: cut, Summary: checker.Summary{Findings: map[checker.Status]int{}}}); err != nil {
		t.Fatal(err)
	}
	if rowBytes := want.Len() / len(findings); rowBytes*len(findings)/2 <= maxStretchBytes {
		t.Fatalf("rows of %d bytes: a stretch of %d is not past the bound; the test tests nothing", rowBytes, len(findings)/2)
	}
	if cut.cuts.Load() != 1 || cut.walked.Load() != 0 {
		t.Errorf("cut %d times, %d stretches walked; want the cut refused and the list walked whole", cut.cuts.Load(), cut.walked.Load())
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Error("the table differs from one walk's")
	}
}

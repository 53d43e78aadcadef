package report

import (
	"iter"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/wtcheck/wtcheck/checker"
)

// segmentFindings is how many findings a stretch of a report laid out on several cores
// holds at the least: about 1.7 MiB of the text table, so that the stretches held at once
// (layOutInOrder) stay a few MiB beside a check's peak. Where the runs restart (the batch's
// Segments) can make them longer: a million cases' table in force is about thirty
// stretches of some 35,000 rows, about 4 MB each.
const segmentFindings = 1 << 14

// maxStretchBytes bounds a stretch's text, and maxLayoutWorkers the goroutines laying the
// stretches out, so that what layOutInOrder holds (a buffer a goroutine, and one more) stays
// under 40 MiB on any machine, and under 25 MiB on two cores. A list in many runs (many
// workers) is cut into few, long stretches (the batch's Segments reads each run from a
// restart before each cut, and keeps what that costs small by keeping the stretches long):
// past the bound, the table is walked on one core as before (four workers' million cases
// would hold 7 MB stretches, and peaked 20 MiB higher). More goroutines would hold more
// buffers for the one goroutine that writes them all (two cores were all this was measured
// on).
const (
	maxStretchBytes  = 6 << 20
	maxLayoutWorkers = 4
)

// parallelSegments cuts the report's list, of n findings, into stretches to lay out at once
// when the process has more than one core and the list is long enough to pay
// (checker.FindingSegmenter); otherwise it returns at most one, and the list is walked where
// the writer is.
func parallelSegments(r *checker.Report, n int) []iter.Seq[*checker.Finding] {
	if runtime.GOMAXPROCS(0) < 2 || n < 2*segmentFindings {
		return nil
	}
	return r.Segments(segmentFindings)
}

// layOutInOrder lays out each stretch of findings (row appends a finding's row to a buffer)
// on as many goroutines as the process has cores, maxLayoutWorkers at most, and writes the
// buffers to ew in the stretches' order: the report is byte for byte what one walk gives. A goroutine takes a buffer before
// it takes the next stretch, and the writer gives it back once written, so one stretch more
// than there are goroutines is held at once, and the stretch the writer waits for always has
// a buffer (every stretch before it has been written, or is being laid out). The buffers are
// made once, sizeHint bytes each, and reused: grown by appending, each stretch's buffer left
// large arrays behind that raised a million cases' peak by up to 35 MiB. After a failed write
// the stretches left are not laid out.
func layOutInOrder(ew *errWriter, segs []iter.Seq[*checker.Finding], sizeHint int, row func(buf []byte, f *checker.Finding) []byte) {
	workers := min(runtime.GOMAXPROCS(0), maxLayoutWorkers, len(segs))
	buffers := make(chan []byte, workers+1)
	for range cap(buffers) {
		buffers <- make([]byte, 0, sizeHint)
	}
	done := make([]chan []byte, len(segs))
	for i := range done {
		done[i] = make(chan []byte, 1)
	}
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				buf := <-buffers
				i := int(next.Add(1)) - 1
				if i >= len(segs) {
					buffers <- buf
					return
				}
				if failed.Load() {
					done[i] <- buf[:0]
					continue
				}
				buf = buf[:0]
				for f := range segs[i] {
					buf = row(buf, f)
				}
				done[i] <- buf
			}
		})
	}
	for i := range segs {
		buf := <-done[i]
		ew.Write(buf)
		if ew.err != nil {
			failed.Store(true)
		}
		buffers <- buf
	}
	wg.Wait()
}

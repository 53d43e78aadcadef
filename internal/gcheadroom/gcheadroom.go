// Package gcheadroom paces Go's garbage collector by a fixed allowance of new allocation while
// the heap that survives a collection is small, and as Go's default does once it is large.
//
// With Go's default (GOGC=100) a collection starts once the heap has grown by as much as
// survived the last one. A check keeps little from record to record (tens of megabytes), so
// it collected every 40 to 50 milliseconds, 81 times in a million cases. That costs more than
// the collector's own CPU: with two workers in one process each cycle slows the workers
// themselves, which two processes of one worker each do not feel (docs/performance.md, "Tenth
// round"). Asking for at least a fixed headroom of new allocation between collections makes
// them a third as many, for a higher peak of memory that does not grow with the batch.
package gcheadroom

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Headroom is the allocation a check is allowed between two collections while the heap that
// survived the last one is smaller: 64 MiB. A check of a million cases under the edition in
// force then collected 28 to 30 times, not 81, and peaked at 155 to 160 MiB, not 143 to 149;
// at 100,000 cases it collected 4 or 5 times, not 18, and peaked at 110 to 128 MiB, not 80.
const Headroom = 64 << 20

// MaxPercent bounds the percent: the heap may grow to five times what survived a collection,
// and no more, however little that was. The percent in force when a collection ends sets the
// next one's goal, and the cleanup that sets it from what survived runs some time later, on
// the runtime's goroutine: with one worker on one core it ran once after two collections and
// 1.4 seconds, and a percent made for the empty heap at the start (1,600) had let the heap
// grow to 283 MB by then. 400 keeps that to 75 MB, and a check's heap, which keeps 12 to 60
// MB from record to record, is paced by its headroom all the same.
const MaxPercent = 400

// PercentFor is the GOGC percent that makes the next collection start after headroom bytes of
// new allocation, given what the last one found live (the heap, and the stacks and globals
// it scanned, as the runtime's pacer counts them), between Go's default of 100 (a large heap
// is collected as Go collects it, so memory grows with it in the same proportion) and
// MaxPercent.
func PercentFor(headroom, live uint64) int {
	if live == 0 {
		return MaxPercent
	}
	return int(min(max(float64(headroom)*100/float64(live), 100), MaxPercent))
}

// Start paces the collector by headroom until stop is called, unless GOGC or GOMEMLIMIT is set
// in the environment: a user who set either chose how the collector runs, and keeps it.
// After each collection, the percent is set from what it found live (PercentFor), by a
// cleanup that the runtime runs once the collection is over. stop puts back the percent in
// force before Start.
func Start(headroom uint64) (stop func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	return start(headroom)
}

// pacer is what Start runs: its lock keeps a cleanup that runs as stop is called from setting
// the percent after stop has put it back.
type pacer struct {
	mu       sync.Mutex
	stopped  bool
	headroom uint64
	before   int
	samples  []metrics.Sample
}

// sentinel is made to be collected: the cleanup attached to it runs after each collection. It
// holds a pointer so that it is not a tiny allocation, whose cleanup may never run.
type sentinel struct{ _ *byte }

func start(headroom uint64) (stop func()) {
	p := &pacer{headroom: headroom, samples: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"},
	}}
	p.mu.Lock()
	p.before = debug.SetGCPercent(PercentFor(headroom, p.live()))
	p.mu.Unlock()
	p.arm()
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.stopped {
			p.stopped = true
			debug.SetGCPercent(p.before)
		}
	}
}

// live is what the last collection found live, as the pacer counts it.
func (p *pacer) live() uint64 {
	metrics.Read(p.samples)
	var n uint64
	for _, s := range p.samples {
		if s.Value.Kind() == metrics.KindUint64 {
			n += s.Value.Uint64()
		}
	}
	return n
}

// arm attaches the cleanup to a new sentinel, unreachable at once, so that the next
// collection frees it and the runtime runs the cleanup after it.
func (p *pacer) arm() {
	runtime.AddCleanup(new(sentinel), func(p *pacer) { p.collected() }, p)
}

func (p *pacer) collected() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	debug.SetGCPercent(PercentFor(p.headroom, p.live()))
	p.arm()
}

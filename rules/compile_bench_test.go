package rules_test

import (
	"runtime"
	"testing"

	"github.com/wtcheck/wtcheck/rules"
)

// BenchmarkCompileShippedPacks measures parsing and compiling every shipped pack with the
// shipped calendar: what every command pays before it reads a record. ns/op is all six packs.
// It also reports what the compiled packs keep on the heap (kept-B, kept-objects): a check
// keeps them for its whole run, and the collector marks them on every one of its cycles.
func BenchmarkCompileShippedPacks(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.Engine(); err != nil {
			b.Fatal(err)
		}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e, err := rules.Engine()
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)), "kept-B")
	b.ReportMetric(float64(int64(after.HeapObjects)-int64(before.HeapObjects)), "kept-objects")
	runtime.KeepAlive(e)
}

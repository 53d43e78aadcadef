package rules_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/wtcheck/wtcheck/rules"
)

// BenchmarkCompileShippedPacks measures parsing and compiling every shipped pack with the
// shipped calendar: what every command pays before it reads a record. ns/op is all six packs.
func BenchmarkCompileShippedPacks(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.Engine(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCollectWithShippedPacks measures what the compiled packs cost the garbage
// collector: a check keeps them for its whole run, and the collector marks every object they
// hold on each of its cycles (about a hundred and thirty in a check of a million cases).
// ns/op is one full collection with the packs alive; it reports the bytes and objects the
// packs keep, and the same collection without them (base-ns/op).
func BenchmarkCollectWithShippedPacks(b *testing.B) {
	collect := func(n int) time.Duration {
		start := time.Now()
		for range n {
			runtime.GC()
		}
		return time.Since(start) / time.Duration(n)
	}
	base := collect(20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	e, err := rules.Engine()
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	for b.Loop() {
		runtime.GC()
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc), "kept-B")
	b.ReportMetric(float64(after.HeapObjects-before.HeapObjects), "kept-objects")
	b.ReportMetric(float64(base.Nanoseconds()), "base-ns/op")
	runtime.KeepAlive(e)
}

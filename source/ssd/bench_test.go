package ssd_test

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source/ssd"
	"github.com/wtcheck/wtcheck/source/ssd/ssdgen"
)

// benchFolder writes n synthetic people as an SSD folder, in person order or reversed (so
// that every table has to be sorted on disk).
func benchFolder(b *testing.B, n int, reversed bool) string {
	cases := ssdgen.Synthetic(n, 11, extract)
	if reversed {
		slices.Reverse(cases)
	}
	return writeSSD(b, cases, ssdgen.Options{Times: true})
}

func folderSize(b *testing.B, dir string) int64 {
	var n int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, _ := os.Stat(filepath.Join(dir, e.Name()))
		n += fi.Size()
	}
	return n
}

// benchRead reads the folder and reports the peak live heap sampled every 1,000 people, so
// that bounded memory shows as a figure that does not grow with the folder.
func benchRead(b *testing.B, n int, reversed bool) {
	dir := benchFolder(b, n, reversed)
	b.SetBytes(folderSize(b, dir))
	b.ResetTimer()
	var peak uint64
	for b.Loop() {
		r, err := ssd.OpenDir(dir, ssd.Options{ExtractDate: extract, SortMemory: 1 << 20})
		if err != nil {
			b.Fatal(err)
		}
		people := 0
		err = r.Read(func(rec ssd.Record) error {
			if rec.Err != nil {
				b.Fatal(rec.Err)
			}
			people++
			if people%1000 == 0 {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
			return nil
		})
		if err != nil || people != n {
			b.Fatal(err, people)
		}
		r.Close()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	_ = record.Date{}
}

func BenchmarkReadOrdered10k(b *testing.B)  { benchRead(b, 10000, false) }
func BenchmarkReadOrdered40k(b *testing.B)  { benchRead(b, 40000, false) }
func BenchmarkReadUnsorted10k(b *testing.B) { benchRead(b, 10000, true) }
func BenchmarkReadUnsorted40k(b *testing.B) { benchRead(b, 40000, true) }

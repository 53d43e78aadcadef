package report

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/internal/testgen"
	"github.com/wtcheck/wtcheck/rules"
)

// BenchmarkWriteReport writes the report of 5,000 generated cases checked under every edition
// (the default listing: 26,000 findings), kept in sorted runs on disk as a large batch's are
// (a sort memory of 1 MiB), in the common formats, as the command does: the text table laid
// out from widths the check measured as it listed the findings. ns/finding is one finding
// read back, merged and written; the check itself is not timed.
func BenchmarkWriteReport(b *testing.B) {
	g, err := testgen.New("../..")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "cases.ndjson")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := g.Write(f, 5000); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	engine, err := rules.Engine()
	if err != nil {
		b.Fatal(err)
	}
	var layouts []*TextLayout
	rep, err := batch.Check(engine, &batch.Reader{}, []string{path}, batch.Options{FailOn: checker.SeverityBreach, Workers: 2,
		SortMemory: 1 << 20, TempDir: b.TempDir(), Listing: func() func(*checker.Finding) {
			l := new(TextLayout)
			layouts = append(layouts, l)
			return l.Add
		}})
	if err != nil {
		b.Fatal(err)
	}
	defer rep.Close()
	var layout TextLayout
	for _, l := range layouts {
		layout.Merge(l)
	}
	for _, format := range []string{"text", "json", "csv"} {
		write, err := Lookup(format)
		if err != nil {
			b.Fatal(err)
		}
		if format == "text" {
			write = TextWith(&layout, false)
		}
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := write(io.Discard, rep); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rep.ListedLen()), "ns/finding")
		})
	}
}

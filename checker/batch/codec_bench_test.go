package batch

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"encoding/json"
	"io"
	"iter"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/internal/runcodec"
	"github.com/wtcheck/wtcheck/rules"
)

// wireFinding is a Finding with every field exported in a form gob and encoding/json can
// write (Date keeps its day unexported; File, Team and Record are not in a finding's JSON):
// what a run would hold were it written with either.
type wireFinding struct {
	CaseID, Edition, Rule, Subject, Referral, Status, Severity string
	Start, Due, Done                                           int
	LateWorkingDays, LateDays, WorkingDaysLeft                 *int
	DueSoon                                                    bool
	Message, Citation                                          string
	Proxies                                                    []string
	Note, Team, File                                           string
	Record                                                     int
}

func toWire(f *checker.Finding) wireFinding {
	return wireFinding{f.CaseID, f.Edition, f.Rule, f.Subject, f.Referral, string(f.Status), string(f.Severity),
		runcodec.DayZero.DaysUntil(f.Start), runcodec.DayZero.DaysUntil(f.Due), runcodec.DayZero.DaysUntil(f.Done),
		f.LateWorkingDays, f.LateDays, f.WorkingDaysLeft, f.DueSoon, f.Message, f.Citation, f.Proxies,
		f.Note, f.Team, f.File, f.Record}
}

func fromWire(w *wireFinding) checker.Finding {
	return checker.Finding{CaseID: w.CaseID, Edition: w.Edition, Rule: w.Rule, Subject: w.Subject, Referral: w.Referral,
		Status: checker.Status(w.Status), Severity: checker.Severity(w.Severity),
		Start: runcodec.DayZero.AddDays(w.Start), Due: runcodec.DayZero.AddDays(w.Due), Done: runcodec.DayZero.AddDays(w.Done),
		LateWorkingDays: w.LateWorkingDays, LateDays: w.LateDays, WorkingDaysLeft: w.WorkingDaysLeft, DueSoon: w.DueSoon,
		Message: w.Message, Citation: w.Citation, Proxies: w.Proxies, Note: w.Note, Team: w.Team, File: w.File, Record: w.Record}
}

// benchFindings is the findings a check of 2,000 generated cases lists by default, sorted:
// what a run holds.
func benchFindings(b *testing.B) []checker.Finding {
	b.Helper()
	engine, err := rules.Engine()
	if err != nil {
		b.Fatal(err)
	}
	rep, err := Check(engine, &Reader{}, []string{generated(b, 2000)}, Options{FailOn: checker.SeverityBreach, SortMemory: -1})
	if err != nil {
		b.Fatal(err)
	}
	fs, err := checker.CollectFindings(rep.Findings)
	if err != nil {
		b.Fatal(err)
	}
	return fs
}

// BenchmarkRunCodec compares ways of writing a run of findings and reading it back: the
// codec of codec.go, gob and JSON lines. ns/op is one finding written and read; B/finding is
// the run's size on disk per finding.
func BenchmarkRunCodec(b *testing.B) {
	fs := benchFindings(b)
	type codec struct {
		name   string
		encode func(w *bufio.Writer, fs []checker.Finding)
		decode func(r *bufio.Reader, n int) []checker.Finding
	}
	codecs := []codec{
		{"binary", func(w *bufio.Writer, fs []checker.Finding) {
			enc := findingCodec.encoder()
			for i := range fs {
				enc(w, &fs[i])
			}
		}, func(r *bufio.Reader, n int) []checker.Finding {
			dec := findingCodec.decoder()
			out := make([]checker.Finding, n)
			for i := range out {
				if err := dec(r, &out[i], nil); err != nil {
					b.Fatal(err)
				}
			}
			return out
		}},
		{"gob", func(w *bufio.Writer, fs []checker.Finding) {
			enc := gob.NewEncoder(w)
			for i := range fs {
				if err := enc.Encode(toWire(&fs[i])); err != nil {
					b.Fatal(err)
				}
			}
		}, func(r *bufio.Reader, n int) []checker.Finding {
			dec := gob.NewDecoder(r)
			out := make([]checker.Finding, n)
			for i := range out {
				var w wireFinding
				if err := dec.Decode(&w); err != nil {
					b.Fatal(err)
				}
				out[i] = fromWire(&w)
			}
			return out
		}},
		{"jsonlines", func(w *bufio.Writer, fs []checker.Finding) {
			enc := json.NewEncoder(w)
			for i := range fs {
				if err := enc.Encode(toWire(&fs[i])); err != nil {
					b.Fatal(err)
				}
			}
		}, func(r *bufio.Reader, n int) []checker.Finding {
			dec := json.NewDecoder(r)
			out := make([]checker.Finding, n)
			for i := range out {
				var w wireFinding
				if err := dec.Decode(&w); err != nil {
					b.Fatal(err)
				}
				out[i] = fromWire(&w)
			}
			return out
		}},
	}
	for _, c := range codecs {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			size := 0
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				w := bufio.NewWriter(&buf)
				c.encode(w, fs)
				if err := w.Flush(); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
				got := c.decode(bufio.NewReader(&buf), len(fs))
				if got[len(got)-1].Message != fs[len(fs)-1].Message {
					b.Fatal("read back a different finding")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(fs)), "ns/finding")
			b.ReportMetric(float64(size)/float64(len(fs)), "B/finding")
		})
	}
}

// BenchmarkListWalk walks a list of findings kept in sorted runs on disk, as a report writer
// does after a check: the findings 2,000 generated cases list under every edition, added in
// the order the check found them (by case) to sorters of two workers with a budget small
// enough to write a few runs each. ns/finding is one finding read back and merged.
func BenchmarkListWalk(b *testing.B) {
	fs := benchFindings(b)
	cfg := &spillConfig[checker.Finding]{what: "findings", cmp: func(a, b *checker.Finding) int { return checker.CompareFindings(*a, *b) },
		size: findingSize, codec: findingCodec, budget: 512 << 10, dir: b.TempDir()}
	sorters := []*sorter[checker.Finding]{newSorter(cfg), newSorter(cfg)}
	for i := range fs {
		sorters[i/64%2].add(&fs[i])
	}
	list, err := mergeSorters(cfg, sorters)
	if err != nil {
		b.Fatal(err)
	}
	defer list.Close()
	runs := 0
	for _, s := range list.sources {
		if s.mem == nil {
			runs++
		}
	}
	for _, walk := range []struct {
		name string
		seq  func() iter.Seq[*checker.Finding]
	}{{"All", list.All}, {"Scan", list.Scan}} {
		b.Run(walk.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				for f := range walk.seq() {
					n += len(f.Message)
				}
				if n == 0 || list.Err() != nil {
					b.Fatal("nothing read", list.Err())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*list.Len()), "ns/finding")
			b.ReportMetric(float64(runs), "runs")
		})
	}
}

// BenchmarkFindingCodec measures the codec of codec.go each way alone, on the findings a
// check of 2,000 generated cases lists (a run of them, sorted): encode writes a run as a
// sorter spills one (a fresh encoder a run, to a buffered file), decode reads it back into
// one finding, as Scan does. ns/finding is one finding.
func BenchmarkFindingCodec(b *testing.B) {
	fs := benchFindings(b)
	var run bytes.Buffer
	w := bufio.NewWriterSize(&run, maxRunBuffer)
	enc := findingCodec.encoder()
	for i := range fs {
		enc(w, &fs[i])
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	b.Run("encode", func(b *testing.B) {
		w := bufio.NewWriterSize(io.Discard, maxRunBuffer)
		b.ReportAllocs()
		for b.Loop() {
			enc := findingCodec.encoder()
			for i := range fs {
				enc(w, &fs[i])
			}
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(fs)), "ns/finding")
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		var f checker.Finding
		var spare valueSpare
		for b.Loop() {
			r := bufio.NewReaderSize(bytes.NewReader(run.Bytes()), maxRunBuffer)
			dec := findingCodec.decoder()
			for range fs {
				if err := dec(r, &f, &spare); err != nil {
					b.Fatal(err)
				}
			}
		}
		if f.Message != fs[len(fs)-1].Message {
			b.Fatal("read back a different finding")
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(fs)), "ns/finding")
	})
}

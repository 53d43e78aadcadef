package batch

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"encoding/json"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
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
		dayZero.DaysUntil(f.Start), dayZero.DaysUntil(f.Due), dayZero.DaysUntil(f.Done),
		f.LateWorkingDays, f.LateDays, f.WorkingDaysLeft, f.DueSoon, f.Message, f.Citation, f.Proxies,
		f.Note, f.Team, f.File, f.Record}
}

func fromWire(w *wireFinding) checker.Finding {
	return checker.Finding{CaseID: w.CaseID, Edition: w.Edition, Rule: w.Rule, Subject: w.Subject, Referral: w.Referral,
		Status: checker.Status(w.Status), Severity: checker.Severity(w.Severity),
		Start: dayZero.AddDays(w.Start), Due: dayZero.AddDays(w.Due), Done: dayZero.AddDays(w.Done),
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
				if err := dec(r, &out[i]); err != nil {
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

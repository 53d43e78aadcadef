package batch

import (
	"bytes"
	"os"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// benchEngine compiles every shipped pack.
func benchEngine(b *testing.B) *checker.Engine {
	b.Helper()
	e, err := rules.Engine()
	if err != nil {
		b.Fatal(err)
	}
	return e
}

func sampleLines(b *testing.B) [][]byte {
	b.Helper()
	data, err := os.ReadFile("../../fixtures/sample/cases.ndjson")
	if err != nil {
		b.Fatal(err)
	}
	return bytes.Split(bytes.TrimSpace(data), []byte("\n"))
}

// BenchmarkCheckCase measures evaluating every shipped pack on one sample case (decoded
// once, outside the timer); ns/op is per case.
func BenchmarkCheckCase(b *testing.B) {
	e := benchEngine(b)
	cases := decodeLines(b, sampleLines(b), "sample")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e.Check(cases[i%len(cases)], record.Date{})
	}
}

// BenchmarkDecodeCase measures decoding and validating one sample record; ns/op is per record.
func BenchmarkDecodeCase(b *testing.B) {
	lines := sampleLines(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, _, err := record.Decode(lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckBatch checks a batch of 5,000 cases (the sample's 32 repeated under new case
// ids) from an NDJSON file under every shipped pack, with one worker and with two; ns/op is
// the whole batch, so per case is ns/op / 5,000.
func BenchmarkCheckBatch(b *testing.B) {
	e := benchEngine(b)
	lines := sampleLines(b)
	const n = 5000
	var buf bytes.Buffer
	for i := range n {
		line := lines[i%len(lines)]
		// The case_id is the record's first key in the sample: give each copy its own.
		id := []byte(`"case_id":"B-` + strconv.Itoa(i) + `"`)
		start := bytes.Index(line, []byte(`"case_id":"`))
		end := start + bytes.IndexByte(line[start+len(`"case_id":"`):], '"') + len(`"case_id":"`) + 1
		buf.Write(line[:start])
		buf.Write(id)
		buf.Write(line[end:])
		buf.WriteByte('\n')
	}
	path := b.TempDir() + "/batch.ndjson"
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		b.Run("workers="+strconv.Itoa(workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep, err := Check(e, &Reader{}, []string{path}, Options{Workers: workers, FailOn: checker.SeverityBreach})
				if err != nil || rep.Summary.Cases != n {
					b.Fatalf("%v, %d cases", err, rep.Summary.Cases)
				}
			}
		})
	}
}

// BenchmarkCheckGenerated checks 5,000 generated cases with one worker, under the edition in
// force and under every shipped edition, listing what a check lists by default: the
// benchmark to profile (-cpuprofile, -memprofile) when looking for the engine's hot spots.
func BenchmarkCheckGenerated(b *testing.B) {
	const n = 5000
	path := generated(b, n)
	for _, mode := range []string{"in-force", "every-edition"} {
		b.Run(mode, func(b *testing.B) {
			e := benchEngine(b)
			e.InForce = mode == "in-force"
			b.ReportAllocs()
			for b.Loop() {
				rep, err := Check(e, &Reader{}, []string{path}, Options{Workers: 1, FailOn: checker.SeverityBreach})
				if err != nil || rep.Summary.Cases != n {
					b.Fatalf("%v, %d cases", err, rep.Summary.Cases)
				}
				if err := rep.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/case")
		})
	}
}

// BenchmarkEngineParallel checks 4,000 generated cases, decoded once outside the timer, under
// the edition in force on every goroutine of -cpu at once, each from its own place in the
// list; ns/op is per case. Run it with -cpu 1 held to one CPU (taskset), then with -cpu 2, and
// then as two -cpu 1 processes at once: with Go's default GOGC the one process lost a quarter
// of its speed to the other's that two processes did not (docs/performance.md, "Tenth round").
func BenchmarkEngineParallel(b *testing.B) {
	cases := decodedGenerated(b, 4000)
	e := benchEngine(b)
	e.InForce = true
	show := checker.StatusSetOf(DefaultShow...)
	var start atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var tally checker.StatusCounts
		var dst []checker.Finding
		for i := int(start.Add(1)) * 1999; pb.Next(); i++ {
			dst, _, _ = e.CheckListedAppend(dst, cases[i%len(cases)], record.Date{}, show, &tally)
		}
	})
}

// decodedGenerated is n generated cases, decoded.
func decodedGenerated(b *testing.B, n int) []*record.Case {
	b.Helper()
	data, err := os.ReadFile(generated(b, n))
	if err != nil {
		b.Fatal(err)
	}
	return decodeLines(b, bytes.Split(bytes.TrimSpace(data), []byte("\n")), "generated")
}

// decodeLines decodes each line as a case record; what names the lines in an error.
func decodeLines(b *testing.B, lines [][]byte, what string) []*record.Case {
	b.Helper()
	cases := make([]*record.Case, 0, len(lines))
	for i, line := range lines {
		c, _, err := record.Decode(line)
		if err != nil {
			b.Fatalf("%s record %d: %v", what, i+1, err)
		}
		cases = append(cases, c)
	}
	return cases
}

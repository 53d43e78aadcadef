package batch

import (
	"bytes"
	"os"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/rules"
)

// benchEngine compiles every shipped pack.
func benchEngine(b *testing.B) *checker.Engine {
	b.Helper()
	hols, first, last, err := checker.ParseHolidays("bank-holidays.yaml", rules.Holidays())
	if err != nil {
		b.Fatal(err)
	}
	cal := checker.NewCalendar(hols, first, last)
	e := &checker.Engine{Calendar: cal}
	for _, ed := range rules.Editions() {
		name, data, err := rules.Pack(ed)
		if err != nil {
			b.Fatal(err)
		}
		p, err := checker.ParsePack(name, data)
		if err != nil {
			b.Fatal(err)
		}
		cp, err := checker.Compile(p, cal, nil)
		if err != nil {
			b.Fatal(err)
		}
		e.Packs = append(e.Packs, cp)
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
	var cases []*checker.Case
	for i, line := range sampleLines(b) {
		rec := decode("sample", i+1, line)
		if rec.Err != nil {
			b.Fatal(rec.Err)
		}
		cases = append(cases, rec.Case)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e.Check(cases[i%len(cases)], checker.Date{})
	}
}

// BenchmarkDecodeCase measures decoding and validating one sample record; ns/op is per record.
func BenchmarkDecodeCase(b *testing.B) {
	lines := sampleLines(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if rec := decode("sample", 1, lines[i%len(lines)]); rec.Err != nil {
			b.Fatal(rec.Err)
		}
	}
}

package checker

import (
	"bytes"
	"os"
	"testing"

	"github.com/wtcheck/wtcheck/internal/testgen"
	"github.com/wtcheck/wtcheck/record"
)

// testCalendar is the shipped England and Wales calendar, read from the rules folder (the
// rules package embeds it, but importing it here would be an import cycle).
func testCalendar(t testing.TB) *Calendar {
	t.Helper()
	data, err := os.ReadFile("../rules/bank-holidays.yaml")
	if err != nil {
		t.Fatal(err)
	}
	hols, first, last, err := ParseHolidays("bank-holidays.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return NewCalendar(hols, first, last)
}

// compileTestPack parses and compiles a pack written in a test.
func compileTestPack(t testing.TB, yamlText string) *CompiledPack {
	t.Helper()
	p, err := ParsePack("test.yaml", []byte(yamlText))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	cp, err := Compile(p, testCalendar(t), nil)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return cp
}

func intPtr(n int) *int { return &n }

// generatedAndSample is n generated cases (testgen, seed) and the sample's valid cases.
func generatedAndSample(t testing.TB, n int, seed uint64) []*record.Case {
	t.Helper()
	var gen bytes.Buffer
	if err := testgen.WriteCases(&gen, n, seed); err != nil {
		t.Fatal(err)
	}
	sample, err := os.ReadFile("../fixtures/sample/cases.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	var cases []*record.Case
	for line := range bytes.Lines(append(gen.Bytes(), sample...)) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		c, _, err := record.Decode(line)
		if err != nil {
			continue // the sample holds records that are meant to be refused
		}
		cases = append(cases, c)
	}
	if len(cases) < n {
		t.Fatalf("read %d cases, want at least %d", len(cases), n)
	}
	return cases
}

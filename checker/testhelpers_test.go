package checker

import (
	"os"
	"testing"
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

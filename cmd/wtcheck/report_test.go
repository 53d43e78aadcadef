package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReportWritesHTMLAndWorkbook(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	// The sample has breaches: exit 1, as every format gives for them.
	code, _, stderr := run(t, "", "report", "-o", html, "../../fixtures/sample")
	if code != 1 || !strings.Contains(stderr, "wrote "+html) {
		t.Fatalf("html: exit %d, %s", code, stderr)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("C-0026")) || !bytes.Contains(page, []byte(`id="case-`)) {
		t.Error("the page lists no overdue case with its timeline")
	}
	xlsx := filepath.Join(dir, "report.xlsx")
	if code, _, stderr := run(t, "", "check", "--format", "xlsx", "-o", xlsx, "../../fixtures/sample"); code != 1 {
		t.Fatalf("xlsx: exit %d, %s", code, stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Summary", "Findings", "Edition 2010", "Edition 2013", "Edition 2015", "Edition 2018", "Edition 2023", "Edition 2026", "Due soon"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sheets = %v, want %v", got, want)
	}
	if v, _ := f.GetCellValue("Summary", "B4"); v != "32" {
		t.Errorf("cases checked = %q", v)
	}
	if code, _, stderr := run(t, "", "report", "--format", "xlsx", "../../fixtures/sample"); code != 2 || !strings.Contains(stderr, "give the file with -o") {
		t.Errorf("xlsx to stdout: exit %d, %s", code, stderr)
	}
}

func TestRedact(t *testing.T) {
	t.Setenv(redactKeyEnv, "")
	if code, _, stderr := run(t, "", "check", "--redact", icpcLate); code != 2 || !strings.Contains(stderr, "needs a key") {
		t.Errorf("no key: exit %d, %s", code, stderr)
	}
	t.Setenv(redactKeyEnv, "a-key-for-the-tests-only")
	for _, args := range [][]string{
		{"check", "--redact", "--format", "json", icpcLate},
		{"check", "--redact", "--format", "csv", icpcLate},
		{"check", "--redact", "--format", "sarif", icpcLate},
		{"report", "--redact", "../../fixtures/sample"},
		{"compare", "--redact", "--format", "json", "../../fixtures/sample"},
	} {
		code, out, stderr := run(t, "", args...)
		if code > 1 {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
			continue
		}
		if strings.Contains(out, "C-000123") || strings.Contains(out, "C-00") {
			t.Errorf("%v: a case id is still in the output", args)
		}
		if !strings.Contains(out, "R-") {
			t.Errorf("%v: no hashed id in the output", args)
		}
	}
	_, a, _ := run(t, "", "check", "--redact", "--format", "ndjson", icpcLate)
	_, b, _ := run(t, "", "check", "--redact", "--format", "ndjson", icpcLate)
	if a != b || a == "" {
		t.Error("the same key gave different hashes")
	}
}

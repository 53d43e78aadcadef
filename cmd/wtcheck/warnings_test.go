package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/wtcheck/wtcheck/checker/redact"
	"github.com/wtcheck/wtcheck/checker/report"
)

// bookedReview is one case with a review conference booked after its extract date.
const bookedReview = "../../fixtures/scenarios/booked-review"

// bookedPath is the field the warning names.
const bookedPath = "referrals[0].conferences[1].date"

// formatOutput runs check in one format, into a file for the audit formats, and returns the
// exit code, what the format wrote (for xlsx, the Warnings sheet's rows as lines) and stderr.
func formatOutput(t *testing.T, format string, extra ...string) (int, string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report."+format)
	args := append([]string{"check", "--edition", "2023", "--format", format, "-o", out}, extra...)
	code, _, stderr := run(t, "", append(args, bookedReview)...)
	if format != "xlsx" {
		data, _ := os.ReadFile(out)
		return code, string(data), stderr
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatalf("xlsx: %v (%s)", err, stderr)
	}
	defer f.Close()
	rows, err := f.GetRows("Warnings")
	if err != nil {
		t.Fatalf("xlsx has no Warnings sheet: %v", err)
	}
	var lines []string
	for _, r := range rows {
		lines = append(lines, strings.Join(r, "\t"))
	}
	return code, strings.Join(lines, "\n"), stderr
}

// TestEveryFormatShowsWarnings: a record with a future-dated event is checked, and its warning
// is listed in every format that lists anything beside findings (CSV and NDJSON hold one
// finding a row, so the summary on standard error counts it); the exit code is unchanged
// unless --strict is given, which fails on a warning alone.
func TestEveryFormatShowsWarnings(t *testing.T) {
	formats := append(report.Formats(), report.AuditFormats()...)
	if len(formats) != 11 {
		t.Fatalf("formats %v: a new format needs a row here", formats)
	}
	for _, format := range formats {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := formatOutput(t, format)
			if code != 0 {
				t.Fatalf("exit %d, want 0 (warnings never fail without --strict): %s", code, stderr)
			}
			if !strings.Contains(stderr, "(1 record read, 0 skipped, 1 warning)") {
				t.Errorf("the summary on standard error does not count the warning: %s", stderr)
			}
			switch format {
			case "csv", "ndjson":
				if strings.Contains(out, bookedPath) {
					t.Errorf("%s holds findings only, but lists the warning", format)
				}
			default:
				if !strings.Contains(out, bookedPath) {
					t.Errorf("%s does not list the warning:\n%s", format, out)
				}
			}
			if format == "text" || format == "markdown" {
				if !strings.Contains(out, "(1 record read, 0 skipped, 1 warning)") {
					t.Errorf("%s summary does not count the warning", format)
				}
			}
			if code, _, _ := formatOutput(t, format, "--strict"); code != 1 {
				t.Errorf("--strict with a warning only: exit %d, want 1", code)
			}
		})
	}
}

// TestReadmeCaseFormatExample: the README's own case-format example (a review conference
// booked three weeks after its extract date) is accepted and checked, with exactly one
// warning, for that conference's date.
func TestReadmeCaseFormatExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	i := strings.Index(section, "## The case format")
	if i < 0 {
		t.Fatal("README has no case format section")
	}
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindStringSubmatch(section[i:])
	if m == nil {
		t.Fatal("the case format section has no JSON example")
	}
	file := filepath.Join(t.TempDir(), "example.json")
	if err := os.WriteFile(file, []byte(m[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, "", "check", "--format", "json", "--fail-on", "none", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Summary struct {
			RecordsRead    int `json:"records_read"`
			Cases          int
			RecordsSkipped int `json:"records_skipped"`
			Warnings       int
		}
		Errors   []json.RawMessage
		Warnings []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if s := rep.Summary; s.RecordsRead != 1 || s.Cases != 1 || s.RecordsSkipped != 0 || s.Warnings != 1 || len(rep.Errors) != 0 {
		t.Errorf("summary %+v, %d errors: want the example checked, with one warning", s, len(rep.Errors))
	}
	want := map[string]any{"file": file, "record": 1.0, "case_id": "C-000123", "path": bookedPath,
		"warning": "is after the extract date: counted as not yet happened"}
	if len(rep.Warnings) != 1 || !equalJSON(rep.Warnings[0], want) {
		t.Errorf("warnings %v, want [%v]", rep.Warnings, want)
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestRedactedWarnings: with --redact, a warning's case id is hashed in every format, as the
// findings' are, and the real id appears nowhere.
func TestRedactedWarnings(t *testing.T) {
	const key = "a-key-for-the-tests-only"
	t.Setenv(redactKeyEnv, key)
	red, err := redact.New(key)
	if err != nil {
		t.Fatal(err)
	}
	hashed := red.ID("C-BOOKED")
	for _, format := range append(report.Formats(), report.AuditFormats()...) {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := formatOutput(t, format, "--redact")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if strings.Contains(out, "C-BOOKED") || strings.Contains(stderr, "C-BOOKED") {
				t.Errorf("the real case id survives redaction in %s", format)
			}
			if format != "csv" && format != "ndjson" && (!strings.Contains(out, hashed) || !strings.Contains(out, bookedPath)) {
				t.Errorf("%s does not name the warning's case by its hash %s:\n%s", format, hashed, out)
			}
		})
	}
}

// TestCompareCountsWarnings: compare counts and lists the warnings of the records it compared.
func TestCompareCountsWarnings(t *testing.T) {
	code, out, stderr := run(t, "", "compare", "--editions", "2018,2023", bookedReview)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "Warnings (1):\n  ../../fixtures/scenarios/booked-review/case.json record 1 (C-BOOKED): "+bookedPath) ||
		!strings.Contains(out, "read, 0 skipped, 1 warning)") {
		t.Errorf("compare does not list or count the warning:\n%s", out)
	}
	_, out, _ = run(t, "", "compare", "--editions", "2018,2023", "--format", "json", bookedReview)
	var c struct {
		Summary  struct{ Warnings int }
		Warnings []struct{ Path string }
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.Summary.Warnings != 1 || len(c.Warnings) != 1 || c.Warnings[0].Path != bookedPath {
		t.Errorf("compare JSON: %+v", c)
	}
}

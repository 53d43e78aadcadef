package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker/report"
)

// A missing extract never goes green: every input that yields no case record exits 2 with a
// message naming it, unless --allow-empty.
func TestEmptyInputExits2(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	empty := write("empty.ndjson", "")
	blank := write("blank.json", "\n  \n")
	array := write("array.json", "[]\n")
	noCases := filepath.Join(dir, "no-cases")
	write("no-cases/README.md", "not a case\n")
	csv := write("extract.csv", "case_id,received\nC-1,2024-01-02\n")
	xml := write("return.xml", "<Message><Header/></Message>\n")
	good := "../../fixtures/scenarios/icpc-late/case.json"
	tests := []struct {
		name string
		args []string
		says string
	}{
		{"an empty file", []string{"check", empty}, empty + ": no records in it (an empty file or an empty array)"},
		{"a file of blank lines", []string{"check", blank}, blank + ": no records in it"},
		{"an empty array", []string{"check", array}, array + ": no records in it"},
		{"a directory with no case files", []string{"check", noCases}, noCases + ": no case files (.json, .ndjson, .jsonl, .json.gz, .ndjson.gz, .jsonl.gz) in it"},
		{"an empty input beside a good one", []string{"check", good, empty}, "nothing to check: " + empty + ": no records in it"},
		{"a CSV given as case records", []string{"check", csv}, csv + ": no case in it: its 1 record could not be read (is it case records (wtcheck/case/v1), the default --input-format?)"},
		{"a CSV given as cin-census", []string{"check", "--input-format", "cin-census", csv}, csv + ": no case in it: its 1 record could not be read (is it a CIN census return, as --input-format cin-census says?)"},
		{"an XML given as annex-a", []string{"check", "--input-format", "annex-a", "--as-of", "2024-03-31", xml}, xml + ": no case in it: its 1 record could not be read (is it an Annex A workbook, as --input-format annex-a says?)"},
		{"an empty file, as an audit report", []string{"report", "-o", filepath.Join(dir, "r.html"), empty}, empty + ": no records in it"},
		{"an empty file, compared", []string{"compare", empty}, empty + ": no records in it"},
		{"an empty file on standard input", []string{"check", "-"}, "-: no records in it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := run(t, "", tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.says) || !strings.Contains(stderr, "give --allow-empty if an empty batch is expected") {
				t.Errorf("exit %d, stderr:\n%s", code, stderr)
			}
			if out != "" {
				t.Errorf("a report was written for an empty batch:\n%s", out)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "r.html")); err == nil {
		t.Error("report wrote a file for an empty batch")
	}
	// The data errors that refused every record are shown, with their place.
	code, _, stderr := run(t, "", "check", "--input-format", "annex-a", "--as-of", "2024-03-31", xml)
	if code != 2 || !strings.Contains(stderr, "wtcheck: "+xml+": read Annex A workbook "+xml+": not an Excel workbook (.xlsx)") {
		t.Errorf("exit %d: %s", code, stderr)
	}

	// --allow-empty: the rare job that means it.
	for _, args := range [][]string{{"check", "--allow-empty", empty}, {"check", "--allow-empty", noCases}, {"compare", "--allow-empty", array}, {"report", "--allow-empty", "-o", filepath.Join(dir, "r.html"), array}} {
		if code, _, stderr := run(t, "", args...); code != 0 {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
	code, out, _ := run(t, "", "check", "--allow-empty", empty)
	if code != 0 || !strings.Contains(out, "0 cases checked (0 records read, 0 skipped)") {
		t.Errorf("--allow-empty: exit %d, %s", code, out)
	}
}

// With a baseline, an empty run fails rather than saying every known breach was fixed.
func TestEmptyInputWithABaseline(t *testing.T) {
	dir := t.TempDir()
	baseline := filepath.Join(dir, "baseline.json")
	if code, _, stderr := run(t, "", "check", "--fail-on", "none", "--write-baseline", baseline, "../../fixtures/sample/cases.ndjson"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	empty := filepath.Join(dir, "extract.ndjson")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "", "check", "--baseline", baseline, empty)
	if code != 2 || strings.Contains(stderr, "no longer breached") || !strings.Contains(stderr, empty+": no records in it") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	code, _, stderr = run(t, "", "check", "--allow-empty", "--baseline", baseline, empty)
	if code != 0 || !regexp.MustCompile(`baseline: 0 new breaches, 0 known not listed, 0 known no longer breached, [1-9][0-9]* known in cases not in this batch`).MatchString(stderr) {
		t.Errorf("--allow-empty: exit %d: %s", code, stderr)
	}
}

// import of a file that is not there, or that holds no child, writes nothing.
func TestImportOfNothingWritesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cases.ndjson")
	code, _, stderr := run(t, "", "import", "cin-census", filepath.Join(dir, "missing.xml"), "-o", out)
	if code != 2 || !strings.Contains(stderr, "import "+filepath.Join(dir, "missing.xml")+": no such file") {
		t.Errorf("missing file: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output file was written for a missing input")
	}
	csv := filepath.Join(dir, "extract.csv")
	if err := os.WriteFile(csv, []byte("case_id,received\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "", "import", "cin-census", csv)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "import "+csv+": no child could be imported (1 read, 1 skipped), so nothing was written") {
		t.Errorf("a CSV as cin-census: exit %d, %q, %s", code, stdout, stderr)
	}
	code, _, stderr = run(t, "", "import", "cin-census", csv, "-o", out)
	if _, err := os.Stat(out); code != 2 || err == nil {
		t.Errorf("a CSV as cin-census with -o: exit %d (%s), and the output file exists: %v", code, stderr, err == nil)
	}
	code, _, _ = run(t, "", "import", "--allow-empty", "cin-census", csv, "-o", out)
	if _, err := os.Stat(out); code != 0 || err != nil {
		t.Errorf("--allow-empty: exit %d, %v", code, err)
	}
}

// The same findings give the same exit code in every format, the audit reports included.
func TestEveryFormatGivesTheSameExitCode(t *testing.T) {
	dir := t.TempDir()
	formats := append(report.Formats(), report.AuditFormats()...)
	if len(formats) < 11 {
		t.Fatalf("formats = %v", formats)
	}
	for _, format := range formats {
		for _, tt := range []struct {
			failOn string
			want   int
		}{{"breach", 1}, {"warning", 1}, {"none", 0}} {
			out := filepath.Join(dir, "report."+format)
			code, _, stderr := run(t, "", "check", "--format", format, "--fail-on", tt.failOn, "-o", out, icpcLate)
			if code != tt.want {
				t.Errorf("check --format %s --fail-on %s: exit %d, want %d (%s)", format, tt.failOn, code, tt.want, stderr)
			}
		}
		// Before the conference was due nothing is late: 0 in every format.
		if code, _, stderr := run(t, "", "check", "--format", format, "--as-of", "2024-01-22", "-o", filepath.Join(dir, "early."+format), icpcLate); code != 0 {
			t.Errorf("check --format %s before anything was due: exit %d (%s)", format, code, stderr)
		}
	}
	for _, format := range report.AuditFormats() {
		out := filepath.Join(dir, "audit."+format)
		if code, _, stderr := run(t, "", "report", "--format", format, "-o", out, icpcLate); code != 1 {
			t.Errorf("report --format %s: exit %d, want 1 (%s)", format, code, stderr)
		}
		if code, _, stderr := run(t, "", "report", "--format", format, "--fail-on", "none", "-o", out, icpcLate); code != 0 {
			t.Errorf("report --format %s --fail-on none: exit %d, want 0 (%s)", format, code, stderr)
		}
	}
	if code, _, stderr := run(t, "", "check", "--format", "html", "--baseline", "b.json", icpcLate); code != 2 || !strings.Contains(stderr, "use --baseline and --write-baseline with a list format") {
		t.Errorf("html with a baseline: exit %d, %s", code, stderr)
	}
}

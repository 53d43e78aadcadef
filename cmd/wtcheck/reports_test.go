package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// countingReader counts the bytes read from it: a batch read once reads each byte once.
type countingReader struct {
	r     io.Reader
	bytes int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.bytes += n
	return n, err
}

// sampleNDJSON is the sample's cases, one NDJSON stream.
func sampleNDJSON(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../fixtures/sample/cases.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestOutputsOnePass: one check with three -o FORMAT=PATH reads its input once (every byte of
// standard input read exactly once, which a second pass could not do) and writes three
// reports that are, byte for byte, what three checks with --format write, with the same exit
// status.
func TestOutputsOnePass(t *testing.T) {
	input := sampleNDJSON(t)
	dir := t.TempDir()
	stdin := &countingReader{r: strings.NewReader(input)}
	var stdout, stderr bytes.Buffer
	args := []string{"check", "--edition", "2018,2023", "-o", "sarif=" + filepath.Join(dir, "out.sarif"),
		"--output", "junit=" + filepath.Join(dir, "out.xml"), "-o", "json=" + filepath.Join(dir, "out.json"), "-"}
	code := execute(args, stdin, &stdout, &stderr)
	if stdin.bytes != len(input) {
		t.Errorf("read %d bytes of standard input, want %d", stdin.bytes, len(input))
	}
	wantCode, wantText, _ := run(t, input, "check", "--edition", "2018,2023", "-")
	if code != wantCode || code != 1 {
		t.Errorf("exit %d, want %d (a breach)", code, wantCode)
	}
	if stdout.String() != wantText {
		t.Errorf("the --format text report on standard output differs from a check's own:\n%s\nwant:\n%s", stdout.String(), wantText)
	}
	for format, file := range map[string]string{"sarif": "out.sarif", "junit": "out.xml", "json": "out.json"} {
		_, want, _ := run(t, input, "check", "--edition", "2018,2023", "--format", format, "-")
		got, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s: %d bytes, differs from check --format %s (%d bytes)\n%s", file, len(got), format, len(want), firstDifference(want, string(got)))
		}
	}
}

// TestOutputsWithBaselineAndFailOn: the baseline, the baseline written and the exit status of
// a check with several reports are those of a check with one.
func TestOutputsWithBaselineAndFailOn(t *testing.T) {
	sample := "../../fixtures/sample"
	dir := t.TempDir()
	base := filepath.Join(dir, "base.json")
	if code, _, stderr := run(t, "", "check", "--edition", "2010", "--write-baseline", base, sample); code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	common := []string{"check", "--baseline", base, "--fail-on", "warning", "--show", "breach,pending,met"}
	one := filepath.Join(dir, "one.json")
	code, _, stderr := run(t, "", append(common, "-o", "csv="+filepath.Join(dir, "out.csv"), "-o", "gitlab="+filepath.Join(dir, "out.gitlab"),
		"--format", "json", "-o", one, "--write-baseline", filepath.Join(dir, "new.json"), sample)...)
	if !strings.Contains(stderr, "baseline: ") {
		t.Errorf("no baseline line: %s", stderr)
	}
	for _, f := range []struct{ format, file, baseline string }{
		{"csv", "out.csv", ""}, {"gitlab", "out.gitlab", ""}, {"json", "one.json", "new.json"},
	} {
		args := append(common, "--format", f.format)
		if f.baseline != "" {
			args = append(args, "--write-baseline", filepath.Join(dir, "again.json"))
		}
		wantCode, want, _ := run(t, "", append(args, sample)...)
		if code != wantCode || code != 1 {
			t.Errorf("exit %d, want %d", code, wantCode)
		}
		got, _ := os.ReadFile(filepath.Join(dir, f.file))
		if string(got) != want || want == "" {
			t.Errorf("%s differs from check --format %s\n%s", f.file, f.format, firstDifference(want, string(got)))
		}
		if f.baseline != "" {
			a, _ := os.ReadFile(filepath.Join(dir, f.baseline))
			b, _ := os.ReadFile(filepath.Join(dir, "again.json"))
			if !bytes.Equal(a, b) || len(a) == 0 {
				t.Errorf("the baseline written beside several reports differs from one written beside one")
			}
		}
	}
}

// TestOutputsAllOrNothing: a report that cannot be written leaves every report file as it was.
func TestOutputsAllOrNothing(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full to fail a write")
	}
	dir := t.TempDir()
	sarif, junit := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "out.xml")
	for _, p := range []string{sarif, junit} {
		if err := os.WriteFile(p, []byte("last night's"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := run(t, "", "check", "-o", "sarif="+sarif, "-o", "junit="+junit, "-o", "ndjson=/dev/full", icpcLate)
	if code != 2 || !strings.Contains(stderr, "write /dev/full: ") {
		t.Errorf("exit %d, stderr %q; want 2 and the write error", code, stderr)
	}
	for _, p := range []string{sarif, junit} {
		if data, _ := os.ReadFile(p); string(data) != "last night's" {
			t.Errorf("%s was replaced by a run that failed: %.40q", p, data)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestOutputsRefused(t *testing.T) {
	dir := t.TempDir()
	caseFile, _ := filepath.Abs(filepath.Join(icpcLate, "case.json"))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a misspelt format", []string{"-o", "jsn=out.json"}, `wtcheck: -o jsn=out.json: unknown format "jsn" (want FORMAT=PATH with one of csv, github, gitlab, json, junit, markdown, ndjson, sarif, text, or a path; write ./jsn=out.json for a file of that name)`},
		{"two plain paths", []string{"-o", "a.txt", "-o", "b.txt"}, "wtcheck: -o a.txt and -o b.txt: the --format report goes to one file; name the format of each other report (-o sarif=b.txt)"},
		{"an audit format", []string{"-o", "html=a.html"}, "wtcheck: -o html=a.html: html is an audit report, written by a pass of its own (wtcheck report --format html, or check --format html -o PATH)"},
		{"two to standard output", []string{"-o", "json=-"}, "wtcheck: -o: 2 reports to standard output would be mixed into one: give each but one a file"},
		{"no file", []string{"-o", "sarif="}, "wtcheck: -o sarif=: no file named"},
		{"one file twice", []string{"-o", "sarif=" + dir + "/x", "-o", "junit=" + dir + "/x"}, "wtcheck: -o " + dir + "/x and -o " + dir + "/x: are the same file: one would overwrite the other"},
		{"the case file", []string{"-o", "sarif=" + caseFile}, "wtcheck: -o " + caseFile + ": is the case file " + caseFile + ": writing there would overwrite it; nothing was checked"},
		{"with an audit --format", []string{"--format", "html", "-o", "r.html", "-o", "sarif=x.sarif"}, "wtcheck: --format html writes an audit report in a pass of its own: write the -o FORMAT=PATH reports with --format text, json, …"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, "", append(append([]string{"check"}, tt.args...), caseFile)...)
			if code != 2 || stdout != "" || strings.TrimSpace(stderr) != tt.want {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, stdout, stderr, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left: %v", entries)
	}
}

// TestConfigOutputs: the outputs of wtcheck.yaml are written, relative to the file.
func TestConfigOutputs(t *testing.T) {
	dir, fixture := inDir(t, map[string]string{"ci/wtcheck.yaml": "editions: [2018]\noutputs:\n  sarif: out/wtcheck.sarif\n  json: out/wtcheck.json\n"})
	if err := os.Mkdir(filepath.Join(dir, "ci", "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "", "check", "--config", "ci/wtcheck.yaml", fixture)
	_, want, _ := run(t, "", "check", "--edition", "2018", fixture)
	if code != 1 || stdout != want {
		t.Errorf("exit %d, stdout %s; stderr %s", code, stdout, stderr)
	}
	_, wantJSON, _ := run(t, "", "check", "--edition", "2018", "--format", "json", fixture)
	if got, _ := os.ReadFile(filepath.Join(dir, "ci", "out", "wtcheck.json")); string(got) != wantJSON {
		t.Errorf("ci/out/wtcheck.json:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "ci", "out", "wtcheck.sarif")); err != nil {
		t.Error(err)
	}
	// -o on the command line replaces the file's outputs.
	code, _, _ = run(t, "", "check", "--config", "ci/wtcheck.yaml", "-o", "csv="+filepath.Join(dir, "x.csv"), fixture)
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); code != 1 || err != nil {
		t.Errorf("exit %d, %v", code, err)
	}
}

package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// recipeLine finds a wtcheck command line in docs/ci.md: in a shell block, a `run:` step or a
// GitLab `script:` item.
var recipeLine = regexp.MustCompile(`^\s*(?:- |run: )?(wtcheck check .*)$`)

// TestCIRecipes runs every wtcheck command line of docs/ci.md, in order, in a folder holding
// the sample cases as extracts/latest.ndjson.gz, and checks what each produces.
func TestCIRecipes(t *testing.T) {
	doc, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	sample, err := os.ReadFile("../../fixtures/sample/cases.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(doc), "\n") {
		if m := recipeLine.FindStringSubmatch(l); m != nil {
			lines = append(lines, m[1])
		}
	}
	// The baseline, five reports and the gate; the action and the template run the same
	// commands, tested in tools/ci.
	if len(lines) < 7 {
		t.Fatalf("found %d wtcheck command lines in docs/ci.md", len(lines))
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "extracts"), 0o755); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(sample)
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "extracts", "latest.ndjson.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, line := range lines {
		args := strings.Fields(line)[1:]
		// Reports never fail, and the gate passes on the extract its baseline was written
		// from: every line exits 0.
		if code, _, stderr := run(t, "", args...); code != 0 {
			t.Errorf("%s\nexit %d, want 0: %s", line, code, stderr)
		}
	}
	// What the recipes promise to leave behind, each readable by its consumer.
	var baseline struct{ Breaches []any }
	readJSON(t, "wtcheck-baseline.json", &baseline)
	if len(baseline.Breaches) == 0 {
		t.Error("the baseline holds no breaches")
	}
	// The SARIF upload takes the full run (code scanning tracks alerts itself): every
	// breach, though the baseline knows them all; and nothing but breaches.
	var sarif struct {
		Version string
		Runs    []struct {
			Results []struct{ Level string }
		}
	}
	readJSON(t, "wtcheck.sarif", &sarif)
	results := 0
	for _, r := range sarif.Runs {
		for _, res := range r.Results {
			results++
			if res.Level != "error" && res.Level != "warning" {
				t.Errorf("a %s result in the code scanning upload", res.Level)
			}
		}
	}
	if sarif.Version != "2.1.0" || results == 0 {
		t.Errorf("sarif version %q, %d results", sarif.Version, results)
	}
	var junit struct {
		Tests int `xml:"tests,attr"`
	}
	data, err := os.ReadFile("wtcheck-junit.xml")
	if err != nil || xml.Unmarshal(data, &junit) != nil || junit.Tests == 0 {
		t.Errorf("junit report: %v, %d tests", err, junit.Tests)
	}
	var quality []any
	readJSON(t, "gl-code-quality-report.json", &quality)
	if summary, err := os.ReadFile("wtcheck-summary.md"); err != nil || !bytes.HasPrefix(summary, []byte("## wtcheck")) {
		t.Errorf("job summary: %v", err)
	}

	// The gate fails on a breach that is not in the baseline.
	extra := `{"case_id":"C-NEW","extract_date":"2025-03-31","referrals":[{"id":"R1","received":"2025-03-03","decision":"2025-03-07"}]}` + "\n"
	var gz2 bytes.Buffer
	zw = gzip.NewWriter(&gz2)
	zw.Write(append(sample, []byte(extra)...))
	zw.Close()
	if err := os.WriteFile(filepath.Join("extracts", "latest.ndjson.gz"), gz2.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	gate := lines[len(lines)-1]
	if code, _, stderr := run(t, "", strings.Fields(gate)[1:]...); code != 1 || !strings.Contains(stderr, "1 new breach,") {
		t.Errorf("%s\nwith one new breach: exit %d, %s", gate, code, stderr)
	}

	// An extract that arrived empty fails the gate (exit 2) and the reports alike, and the
	// gate never says the known breaches were fixed.
	var empty bytes.Buffer
	zw = gzip.NewWriter(&empty)
	zw.Close()
	if err := os.WriteFile(filepath.Join("extracts", "latest.ndjson.gz"), empty.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, line := range lines[1:] {
		code, _, stderr := run(t, "", strings.Fields(line)[1:]...)
		if code != 2 || !strings.Contains(stderr, "extracts/latest.ndjson.gz: no records in it") || strings.Contains(stderr, "no longer breached") {
			t.Errorf("%s\nwith an empty extract: exit %d, %s", line, code, stderr)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Errorf("%s: %v", path, err)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = execute(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

const icpcLate = "../../fixtures/scenarios/icpc-late"

func TestCheckExitCodes(t *testing.T) {
	malformed := "../../fixtures/scenarios/malformed-batch"
	tests := []struct {
		name string
		args []string
		want int
		says string // on stderr
	}{
		{"a breach fails at the default level", []string{"check", "--edition", "2018", icpcLate}, 1, ""},
		{"nothing fails with --fail-on none", []string{"check", "--edition", "2018", "--fail-on", "none", icpcLate}, 0, ""},
		{"as of before the conference nothing is late", []string{"check", "--edition", "2018", "--as-of", "2024-01-22", icpcLate}, 0, ""},
		{"skipped records do not fail by default", []string{"check", "--edition", "2023", malformed}, 0, ""},
		{"skipped records fail with --strict", []string{"check", "--edition", "2023", "--strict", malformed}, 1, ""},
		{"unknown edition", []string{"check", "--edition", "2014", icpcLate}, 2, `no shipped pack for edition "2014"`},
		{"bad as-of", []string{"check", "--as-of", "2024-02-30", icpcLate}, 2, "--as-of"},
		{"bad format", []string{"check", "--format", "pdf", icpcLate}, 2, "unknown format"},
		{"bad fail-on", []string{"check", "--fail-on", "sometimes", icpcLate}, 2, "--fail-on"},
		{"bad show", []string{"check", "--show", "late", icpcLate}, 2, "--show"},
		{"missing path", []string{"check", "no/such/dir"}, 2, "no/such/dir"},
		{"no path", []string{"check"}, 2, "requires at least 1 arg"},
		{"a pack that does not compile", []string{"check", "--pack", "testdata/misspelt.yaml", icpcLate}, 2, "testdata/misspelt.yaml:14:22"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.want, stderr)
			}
			if !strings.Contains(stderr, tt.says) {
				t.Errorf("stderr %q does not say %q", stderr, tt.says)
			}
		})
	}
}

func TestCheckReadsStandardInput(t *testing.T) {
	record := `{"case_id":"C-1","extract_date":"2024-03-31","referrals":[{"id":"R1","received":"2024-03-01","decision":"2024-03-05"}]}`
	code, stdout, _ := run(t, record+"\n", "check", "--edition", "2023", "--format", "ndjson", "-")
	if code != 1 {
		t.Errorf("exit %d, want 1 (decision 1 working day late)", code)
	}
	var f map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout)), &f); err != nil {
		t.Fatalf("ndjson output %q: %v", stdout, err)
	}
	if f["rule"] != "referral-decision-timeliness" || f["late_working_days"] != float64(1) {
		t.Errorf("finding = %v", f)
	}
}

func TestCheckWritesOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := run(t, "", "check", "--edition", "2018", "--format", "json", "-o", out, icpcLate)
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	if !strings.Contains(stderr, "1 case checked as at 2024-03-31") {
		t.Errorf("summary line missing from stderr: %q", stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Findings []struct{ Rule, Status string }
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	breaches := 0
	for _, f := range rep.Findings {
		if f.Status == "breach" {
			breaches++
			if f.Rule != "icpc-timeliness" {
				t.Errorf("unexpected breach of %s", f.Rule)
			}
		}
	}
	if breaches != 1 {
		t.Errorf("%d breaches in %+v, want the one of icpc-timeliness", breaches, rep.Findings)
	}
}

func TestCheckHolidaysFlag(t *testing.T) {
	// Two made-up holidays, 10 and 11 January 2024, move the conference's due date from
	// Thursday 25 to Monday 29 January, the day it was held: the breach becomes met.
	hols := filepath.Join(t.TempDir(), "extra.yaml")
	if err := os.WriteFile(hols, []byte("holidays: [2024-01-10, 2024-01-11]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "", "check", "--edition", "2018", "--holidays", hols, "--show", "all", "--format", "ndjson", icpcLate)
	if code != 0 {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	if !strings.Contains(stdout, `"rule":"icpc-timeliness","subject":"S1","referral":"R1","status":"met"`) {
		t.Errorf("icpc-timeliness not met with the extra holiday:\n%s", stdout)
	}
}

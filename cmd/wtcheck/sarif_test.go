package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// sarifDoc is what the tests read of a SARIF file.
type sarifDoc struct {
	Runs []struct {
		AutomationDetails struct{ ID string }
		Results           []struct {
			Kind, Level string
			Properties  struct{ Status, Edition, Due string }
		}
		Properties struct {
			Found   int `json:"results_found"`
			Written int `json:"results_written"`
			Dropped int `json:"results_dropped"`
		}
	}
}

// TestSARIFListsBreachesByDefault: check --format sarif lists what should be an alert, the
// breaches; pending deadlines only when --show asks, as notes.
func TestSARIFListsBreachesByDefault(t *testing.T) {
	for show, want := range map[string]string{"": "error warning", "breach,pending": "error note warning"} {
		args := []string{"check", "--fail-on", "none", "--format", "sarif", "../../fixtures/sample/cases.ndjson"}
		if show != "" {
			args = append(args, "--show", show)
		}
		_, out, stderr := run(t, "", args...)
		var doc sarifDoc
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v: %v: %s", args, err, stderr)
		}
		levels := map[string]bool{}
		for _, r := range doc.Runs {
			for _, res := range r.Results {
				levels[res.Level] = true
			}
		}
		var got []string
		for l := range levels {
			got = append(got, l)
		}
		slices.Sort(got)
		if strings.Join(got, " ") != want {
			t.Errorf("--show %q: levels %v, want %s", show, got, want)
		}
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateSample validates the bundled sample: its three bad records are refused with
// their reasons, the rest are valid, and the exit status says a record was refused.
func TestValidateSample(t *testing.T) {
	code, out, _ := run(t, "", "validate", "../../fixtures/sample")
	want := `error: ../../fixtures/sample/bad.ndjson record 1 (C-9001): referrals[0].decision is not a real calendar date (YYYY-MM-DD)
error: ../../fixtures/sample/bad.ndjson record 2: malformed JSON at byte 387 of the record: unexpected end of JSON input
error: ../../fixtures/sample/bad.ndjson record 3 (C-9003): referrals[0].s47_enquiries[0].strategy_discussion_id names no strategy discussion of this referral
44 records read: 41 valid, 3 refused for a data error
`
	if code != 1 || out != want {
		t.Errorf("exit %d, output:\n%s\nwant exit 1 and:\n%s", code, out, want)
	}
}

// TestValidateWarningsAndStrict: a record with an event after its extract date is valid,
// with a warning that names the field; only --strict makes the warning fail.
func TestValidateWarningsAndStrict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cases.ndjson")
	rec := `{"case_id":"V-1","extract_date":"2024-03-31","child":{"id":"CH","birth_date":"2015-01-01"},"referrals":[{"id":"R1","received":"2024-05-02"}]}` + "\n" +
		`{"case_id":"V-1","extract_date":"2024-03-31","child":{"id":"CH","birth_date":"2015-01-01"},"referrals":[]}` + "\n"
	if err := os.WriteFile(path, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "", "validate", "--format", "json", path)
	if code != 1 {
		t.Errorf("exit %d, want 1 (the duplicate id is a data error)", code)
	}
	var v validation
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v in:\n%s", err, out)
	}
	wantSummary := validationSummary{RecordsRead: 2, Valid: 1, RecordsSkipped: 1, Warnings: 1}
	if v.Summary != wantSummary {
		t.Errorf("summary %+v, want %+v", v.Summary, wantSummary)
	}
	if len(v.Errors) != 1 || v.Errors[0].Record != 2 || !strings.Contains(v.Errors[0].Error, "case_id duplicates that of record 1") {
		t.Errorf("errors %+v, want record 2's duplicate id", v.Errors)
	}
	if len(v.Warnings) != 1 || v.Warnings[0].Record != 1 || v.Warnings[0].Path != "referrals[0].received" {
		t.Errorf("warnings %+v, want record 1's referrals[0].received", v.Warnings)
	}

	// The first record alone: valid with a warning, which fails only under --strict.
	if err := os.WriteFile(path, []byte(strings.SplitAfter(rec, "\n")[0]), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(t, "", "validate", path); code != 0 || !strings.HasSuffix(out, "1 record read: 1 valid, 0 refused for a data error, 1 warning\n") {
		t.Errorf("exit %d, output:\n%s\nwant exit 0 and one warning", code, out)
	}
	if code, _, _ := run(t, "", "validate", "--strict", path); code != 1 {
		t.Errorf("--strict: exit %d, want 1", code)
	}
}

// TestValidateCannotRun: a bad flag, a missing path and an empty input exit 2.
func TestValidateCannotRun(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.ndjson")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "--format", "xml", empty}, `--format "xml": want text or json`},
		{[]string{"validate", filepath.Join(t.TempDir(), "missing.ndjson")}, "no such file or directory"},
		{[]string{"validate", empty}, "nothing to check"},
	} {
		code, _, errOut := run(t, "", tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

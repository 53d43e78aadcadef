package batch

import (
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// TestIDsDifferingInInvalidBytes shows two case ids that differ only in bytes that are not
// UTF-8 ("X-\xff", "X-\xfe") both refused as data errors, where they used to decode alike
// and the second be dropped as a false duplicate of the first.
func TestIDsDifferingInInvalidBytes(t *testing.T) {
	engine := testEngine(t)
	root := t.TempDir()
	path := writeFile(t, root, "ids.ndjson", []byte(rec("X-\xff")+"\n"+rec("X-\xfe")+"\n"+rec("X-\ufffd")+"\n"))
	report, err := Check(engine, &Reader{}, []string{path}, checkOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s := report.Summary; s.RecordsRead != 3 || s.Cases != 1 || s.RecordsSkipped != 2 {
		t.Errorf("read %d, checked %d, skipped %d; want 3, 1, 2", s.RecordsRead, s.Cases, s.RecordsSkipped)
	}
	if len(report.Errors) != 2 {
		t.Fatalf("errors %+v", report.Errors)
	}
	for i, e := range report.Errors {
		if e.Record != i+1 || e.Error != "case_id is not valid UTF-8" || e.CaseID != "" || strings.Contains(e.Error, "duplicate") {
			t.Errorf("error %d = %+v", i, e)
		}
	}
}

// TestValidateRefusesInvalidUTF8IDs covers cases built other than from JSON (an importer's),
// which the decoder's check does not see.
func TestValidateRefusesInvalidUTF8IDs(t *testing.T) {
	c := &record.Case{CaseID: "X-\xff", Referrals: []*record.Referral{{ID: "R\xfe", Received: record.MustDate("2024-01-02"),
		Plans: []*record.Plan{{ID: "P\xff", Kind: "child_protection"}}}}}
	err := record.Validate(c)
	for _, want := range []string{"case_id is not valid UTF-8", "referrals[0].id is not valid UTF-8", "referrals[0].plans[0].id is not valid UTF-8"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v; want %q", err, want)
		}
	}
}

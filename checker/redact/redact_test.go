package redact

import (
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/rules"
)

func TestIDIsStableKeyedAndOpaque(t *testing.T) {
	a, err := New("a-secret-key-of-enough-length")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New("another-secret-key-of-length")
	again, _ := New("a-secret-key-of-enough-length")
	if a.ID("C-0001") != again.ID("C-0001") {
		t.Error("the same id and key gave different hashes")
	}
	if a.ID("C-0001") == a.ID("C-0002") || a.ID("C-0001") == b.ID("C-0001") {
		t.Error("hashes collide across ids or keys")
	}
	if h := a.ID("C-0001"); !strings.HasPrefix(h, "R-") || len(h) != 18 || strings.Contains(h, "0001") {
		t.Errorf("hash %q", h)
	}
	if a.ID("") != "" {
		t.Error("an empty id was hashed")
	}
	if _, err := New("short"); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestBatchRedactsBeforeSorting(t *testing.T) {
	r, _ := New("a-secret-key-of-enough-length")
	engine, err := rules.Engine("2018")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := batch.Check(engine, &batch.Reader{}, []string{"../../fixtures/sample"},
		batch.Options{Show: checker.Statuses, FailOn: checker.SeverityBreach, Redact: r})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := checker.CollectFindings(rep.Findings)
	if err != nil || len(fs) == 0 {
		t.Fatalf("%d findings, %v", len(fs), err)
	}
	for _, f := range fs {
		switch f.Kind() {
		case checker.KindArrangements:
			// An area's code is public and names no one: it is kept.
		case checker.KindIncident:
			if !strings.HasPrefix(f.IncidentID, "R-") || !strings.HasPrefix(f.Subject, "R-") || (f.CaseID != "" && !strings.HasPrefix(f.CaseID, "R-")) {
				t.Errorf("incident finding %q (case %q, subject %q) not redacted", f.IncidentID, f.CaseID, f.Subject)
			}
		default:
			if !strings.HasPrefix(f.CaseID, "R-") {
				t.Errorf("finding case id %q not redacted", f.CaseID)
			}
		}
	}
	for i := 1; i < len(fs); i++ {
		if checker.CompareFindings(fs[i-1], fs[i]) > 0 {
			t.Fatalf("findings not in the order of the hashed ids: %q before %q", fs[i-1].RecordID(), fs[i].RecordID())
		}
	}
	if len(rep.Errors) == 0 {
		t.Fatal("the sample's bad records gave no error entries")
	}
	for _, e := range rep.Errors {
		if e.CaseID != "" && !strings.HasPrefix(e.CaseID, "R-") {
			t.Errorf("error case id %q not redacted", e.CaseID)
		}
	}
}

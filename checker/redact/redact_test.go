package redact

import (
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
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

func TestReportLeavesNoCaseID(t *testing.T) {
	r, _ := New("a-secret-key-of-enough-length")
	rep := &checker.Report{
		Findings:   []checker.Finding{{CaseID: "C-2", Rule: "x"}, {CaseID: "C-1", Rule: "x"}},
		Errors:     []checker.RecordError{{CaseID: "C-3"}},
		NotCovered: []checker.NotCovered{{CaseID: "C-4"}},
	}
	r.Report(rep)
	for _, id := range []string{rep.Findings[0].CaseID, rep.Findings[1].CaseID, rep.Errors[0].CaseID, rep.NotCovered[0].CaseID} {
		if !strings.HasPrefix(id, "R-") {
			t.Errorf("id %q not redacted", id)
		}
	}
	if rep.Findings[0].CaseID > rep.Findings[1].CaseID {
		t.Error("findings not sorted by the hashed ids")
	}
}

package testgen

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestWrite checks that the copies are records of their own: every case id once, in an order
// that is not sorted, dates moved back whole weeks, and the same bytes every time.
func TestWrite(t *testing.T) {
	g, err := New("../..")
	if err != nil {
		t.Fatal(err)
	}
	const n = 100
	var a, b bytes.Buffer
	if err := g.Write(&a, n); err != nil {
		t.Fatal(err)
	}
	if err := g.Write(&b, n); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatal("two writes of the same n differ")
	}
	lines := strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d records, want %d", len(lines), n)
	}
	seen := map[string]bool{}
	sorted := true
	prev := ""
	for i, line := range lines {
		var rec struct {
			CaseID      string `json:"case_id"`
			ExtractDate string `json:"extract_date"`
			Child       struct {
				ID string `json:"id"`
			} `json:"child"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
		if seen[rec.CaseID] || !strings.HasPrefix(rec.CaseID, "G-") || len(rec.CaseID) != 12 {
			t.Errorf("record %d: case id %q repeated or malformed", i+1, rec.CaseID)
		}
		seen[rec.CaseID] = true
		if rec.Child.ID != "GC-"+strings.TrimLeft(rec.CaseID[2:], "0") && !(rec.Child.ID == "GC-0" && rec.CaseID == "G-0000000000") {
			t.Errorf("record %d: child id %q for case %q", i+1, rec.Child.ID, rec.CaseID)
		}
		// The sample's extract date is 2025-03-31; each copy of the 32 is a week earlier
		// than the one before.
		want := []string{"2025-03-31", "2025-03-24", "2025-03-17", "2025-03-10"}[i/32]
		if rec.ExtractDate != want {
			t.Errorf("record %d: extract date %s, want %s", i+1, rec.ExtractDate, want)
		}
		sorted = sorted && rec.CaseID > prev
		prev = rec.CaseID
	}
	if sorted {
		t.Error("the records are in case id order; the generator is meant to shuffle them")
	}
}

package checker

import (
	"cmp"
	"testing"
)

// TestCompareFindingsAtAsCmpOr: comparing field by field until one differs gives the order of
// every comparison made and the first that differs taken (cmp.Or), on findings that differ in
// each field of the order, alone and together.
func TestCompareFindingsAtAsCmpOr(t *testing.T) {
	want := func(a, b *Finding) int {
		return cmp.Or(
			cmp.Compare(a.Kind().rank(), b.Kind().rank()),
			cmp.Compare(a.RecordID(), b.RecordID()),
			cmp.Compare(a.Edition, b.Edition),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Referral, b.Referral),
			cmp.Compare(a.Subject, b.Subject),
			cmp.Compare(a.Pack, b.Pack),
		)
	}
	var findings []Finding
	for i := range 1 << 9 {
		bit := func(k int, one, other string) string {
			if i>>k&1 == 1 {
				return one
			}
			return other
		}
		f := Finding{CaseID: bit(0, "C-2", "C-1"), Edition: bit(1, "2018", "2010"), Rule: bit(2, "b", "a"),
			Referral: bit(3, "R2", "R1"), Subject: bit(4, "S2", "S1"), Pack: bit(5, "local", ""),
			IncidentID: bit(6, "I-1", ""), AreaID: bit(7, "A-1", ""), Message: bit(8, "m", "")}
		findings = append(findings, f)
	}
	for i := range findings {
		for j := range findings {
			a, b := &findings[i], &findings[j]
			if got, w := CompareFindingsAt(a, b), want(a, b); got != w {
				t.Fatalf("CompareFindingsAt(%+v, %+v) = %d, want %d", *a, *b, got, w)
			}
			if got := CompareFindings(*a, *b); got != want(a, b) {
				t.Fatalf("CompareFindings(%+v, %+v) = %d, want %d", *a, *b, got, want(a, b))
			}
		}
	}
}

package record

import (
	"strings"
	"testing"
)

// TestKnownValuesAreWhatValidateAccepts: every value KnownValues lists passes validation in
// its field, and a value it does not list is a data error naming that field, so the help
// page built from KnownValues says what validation enforces.
func TestKnownValuesAreWhatValidateAccepts(t *testing.T) {
	record := func(path, kind string) (*Case, string) {
		r := &Referral{ID: "R1", Received: MustDate("2024-01-02")}
		c := &Case{CaseID: "C-1", Referrals: []*Referral{r}}
		switch path {
		case "referrals[].assessments[].kind":
			r.Assessments = []*Assessment{{ID: "A1", Kind: kind}}
			return c, "referrals[0].assessments[0].kind"
		case "referrals[].conferences[].kind":
			r.Conferences = []*Conference{{ID: "K1", Kind: kind}}
			return c, "referrals[0].conferences[0].kind"
		case "referrals[].plans[].kind":
			r.Plans = []*Plan{{ID: "P1", Kind: kind}}
			return c, "referrals[0].plans[0].kind"
		}
		t.Fatalf("no record for %s: add it to the test", path)
		return nil, ""
	}
	known := KnownValues()
	if len(known) != 3 {
		t.Errorf("KnownValues lists %d fields, the test knows 3", len(known))
	}
	for path, values := range known {
		for _, v := range values {
			c, field := record(path, v)
			if err := Validate(c); err != nil && strings.Contains(err.Error(), field) {
				t.Errorf("%s %q is listed but rejected: %v", path, v, err)
			}
		}
		c, field := record(path, "bogus")
		if err := Validate(c); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s \"bogus\" is not rejected: %v", path, err)
		}
	}
	known["referrals[].plans[].kind"][0] = "changed"
	if KnownValues()["referrals[].plans[].kind"][0] == "changed" {
		t.Error("KnownValues hands out the validator's own lists")
	}
}

package casejson

import "testing"

// TestInvalidUTF8IsADataError shows a string that is not UTF-8, anywhere in a record, refused
// with the path of the string, the record's position and never its bytes.
func TestInvalidUTF8IsADataError(t *testing.T) {
	for _, tc := range []struct {
		name, record string
		want, caseID string
	}{
		{"case id", `{"case_id":"X-` + "\xff" + `","referrals":[{"id":"R1","received":"2024-01-02"}]}`, "case_id is not valid UTF-8", ""},
		{"referral id", `{"case_id":"C-1","referrals":[{"id":"R` + "\xfe" + `","received":"2024-01-02"}]}`, "referrals[0].id is not valid UTF-8", "C-1"},
		{"a plan's id, after other lists", `{"case_id":"C-1","child":{"circumstances":["missing"]},"referrals":[{"id":"R1","received":"2024-01-02",` +
			`"assessments":[],"plans":[{"id":"P1","kind":"child_protection","started":"2024-01-03"},{"id":"P` + "\xc3" + `","kind":"child_protection"}]}]}`,
			"referrals[0].plans[1].id is not valid UTF-8", "C-1"},
		{"a visit's key", `{"case_id":"C-1","referrals":[{"id":"R1","received":"2024-01-02","plans":[{"id":"P1","visits":[{"da` + "\xff" + `te":"2024-01-05"}]}]}]}`,
			"a key of referrals[0].plans[0].visits[0] is not valid UTF-8", "C-1"},
		{"a top-level key", `{"case_id":"C-1","` + "\xff" + `":1}`, "a key of the record is not valid UTF-8", "C-1"},
		{"a team name", `{"case_id":"C-1","organisation":{"team":"T` + "\xed\xa0\x80" + `"},"referrals":[]}`, "organisation.team is not valid UTF-8", "C-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := decode("cases.ndjson", 7, []byte(tc.record))
			if got.Err == nil || got.Err.Error() != tc.want || got.CaseID != tc.caseID || got.Index != 7 {
				t.Errorf("error %v, case id %q, record %d; want %q, %q, 7", got.Err, got.CaseID, got.Index, tc.want, tc.caseID)
			}
		})
	}
	// Valid UTF-8 beyond ASCII is a string like any other.
	if got := decode("cases.ndjson", 1, []byte(rec("C-Ölçü"))); got.Err != nil || got.CaseID != "C-Ölçü" {
		t.Errorf("a UTF-8 id: %v %q", got.Err, got.CaseID)
	}
}

package casejson

import (
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// rec is a valid minimal record with the given case_id.
func rec(id string) string {
	return `{"case_id":"` + id + `","extract_date":"2024-03-31","referrals":[{"id":"R1","received":"2024-01-02"}]}`
}

// recWithReferral is a record whose single referral is the JSON object body given (without
// braces), with id R1 added in front.
func recWithReferral(id, referral string) string {
	return `{"case_id":"` + id + `","extract_date":"2024-03-31","referrals":[{"id":"R1",` + referral + `}]}`
}

// ---- fuzzing ----

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		rec("C-1"),
		recWithReferral("C-2", `"received":"2023-02-30"`),
		recWithReferral("C-3", `"received":"2024-01-02","homeless":"yes"`),
		recWithReferral("C-4", `"received":"2024-01-02","assessments":[null,{"id":"A","kind":"x","seen":["2024-01-03",null,7]}],"plans":[{"id":"A","visits":[null]}],"conferences":[{"id":"K","kind":"review","plan_id":"Q","s47_id":"S"}]`),
		`{"case_id":"C-5","referrals":[null]}`,
		`{"case_id":"C-6","extract_date":"2024-03-31","child":{"birth_date":"1899-12-31","expected_birth_date":"2200-13-01"}}`,
		`{"case_id":"C-7",`,
		`[1,2,3]`,
		`42`,
		`null`,
		`""`,
		`{}`,
		"\xef\xbb\xbf{}",
		`{"case_id":{"x":1}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := decode("f", 1, data)
		if r.File != "f" || r.Index != 1 {
			t.Fatalf("File, Index = %q, %d", r.File, r.Index)
		}
		if (r.Case == nil) == (r.Err == nil) {
			t.Fatalf("case=%v err=%v: want exactly one", r.Case != nil, r.Err)
		}
		if r.Err != nil && r.Err.Error() == "" {
			t.Fatal("an empty error")
		}
		if r.Case != nil {
			if r.CaseID == "" || r.CaseID != r.Case.CaseID {
				t.Fatalf("CaseID %q, case's %q", r.CaseID, r.Case.CaseID)
			}
			if err := record.Validate(r.Case); err != nil {
				t.Fatalf("a decoded case does not validate: %v", err)
			}
		}
	})
}

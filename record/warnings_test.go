package record

import (
	"encoding/json"
	"slices"
	"testing"
)

func decodeCase(t *testing.T, s string) *Case {
	t.Helper()
	var c Case
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		t.Fatal(err)
	}
	if err := Validate(&c); err != nil {
		t.Fatalf("validate: %v", err)
	}
	return &c
}

// TestWarnings: every event after the extract date and every impossible order is a warning
// with the field's path, in the record's order, and a valid record is still valid.
func TestWarnings(t *testing.T) {
	c := decodeCase(t, `{"case_id":"C-1","extract_date":"2024-03-31",
		"child":{"birth_date":"2024-12-01","expected_birth_date":"2025-01-01"},
		"referrals":[{"id":"R1","received":"2024-01-02","decision":"2024-01-01","closed":"2023-12-31",
			"assessments":[{"id":"A1","kind":"single","started":"2024-01-10","completed":"2024-01-09","seen":["2024-04-02"]}],
			"strategy_discussions":[{"id":"SD1","date":"2024-01-04"}],
			"s47_enquiries":[{"id":"S1","strategy_discussion_id":"SD1","started":"2024-01-04","completed":"2024-01-03"}],
			"conferences":[{"id":"K1","kind":"initial","s47_id":"S1","date":"2024-01-03","outcome":"plan"},
			               {"id":"K2","kind":"review","plan_id":"P1","date":"2024-01-20"}],
			"plans":[{"id":"P1","kind":"child_protection","started":"2024-01-24","ended":"2024-01-23"}]}]}`)
	var got []string
	for _, w := range Warnings(c) {
		got = append(got, w.Path+" "+w.Warning)
	}
	want := []string{
		// The child is born after the extract date: an event; the expected birth date is a plan.
		"child.birth_date is after the extract date: counted as not yet happened",
		"referrals[0].assessments[0].seen[0] is after the extract date: counted as not yet happened",
		"referrals[0].received is more than 40 weeks before the child's birth date",
		"referrals[0].decision is before the referral was received",
		"referrals[0].closed is before the referral was received",
		"referrals[0].assessments[0].completed is before the assessment started",
		"referrals[0].s47_enquiries[0].completed is before the enquiry started",
		"referrals[0].plans[0].ended is before the plan started",
		"referrals[0].conferences[0].date is before its section 47 enquiry started",
		"referrals[0].conferences[1].date is before its plan started",
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n got %q\nwant %q", got, want)
	}

	// A pre-birth referral 40 weeks (280 days) of the (expected) birth is not doubtful, nor are
	// dates on the same day or in order, nor a planned date after the extract date.
	ok := decodeCase(t, `{"case_id":"C-2","extract_date":"2024-03-31","child":{"expected_birth_date":"2024-06-01"},
		"referrals":[{"id":"R1","received":"2023-08-26","decision":"2023-08-26","closed":"2024-03-31",
			"assessments":[{"id":"A1","kind":"single","started":"2023-09-01","completed":"2023-09-01"}],
			"plans":[{"id":"P1","kind":"child_protection","started":"2024-01-24","ended":"2024-01-24"}]}]}`)
	if ws := Warnings(ok); len(ws) != 0 {
		t.Errorf("warnings for a record in order: %+v", ws)
	}
	early := decodeCase(t, `{"case_id":"C-3","extract_date":"2024-03-31","child":{"expected_birth_date":"2024-06-01"},
		"referrals":[{"id":"R1","received":"2023-08-25"}]}`)
	if ws := Warnings(early); len(ws) != 1 || ws[0].Path != "referrals[0].received" {
		t.Errorf("a referral 281 days before the expected birth: %+v, want one warning", ws)
	}
}

// TestViewAtExtractDate: a check as at a day after the extract date still sees the record as
// it stood on its extract date, while an earlier day shows it as it stood then.
func TestViewAtExtractDate(t *testing.T) {
	c := decodeCase(t, `{"case_id":"C-1","extract_date":"2024-03-31",
		"referrals":[{"id":"R1","received":"2024-01-02",
			"conferences":[{"id":"K1","kind":"review","plan_id":"P1","date":"2024-04-22"}],
			"plans":[{"id":"P1","kind":"child_protection","started":"2024-01-24","visits":[{"date":"2024-03-01"}]}]}]}`)
	for _, tc := range []struct {
		day                 string
		conferences, visits int
	}{
		{"2025-01-01", 0, 1}, // later: as at the extract date
		{"2024-03-31", 0, 1}, // the extract date
		{"2024-02-01", 0, 0}, // earlier: as it stood then
	} {
		v := c.ViewAt(MustDate(tc.day))
		r := v.Referrals[0]
		if len(r.Conferences) != tc.conferences || len(r.Plans[0].Visits) != tc.visits {
			t.Errorf("as at %s: %d conferences, %d visits; want %d, %d", tc.day, len(r.Conferences), len(r.Plans[0].Visits), tc.conferences, tc.visits)
		}
	}
	if len(c.Referrals[0].Conferences) != 1 {
		t.Error("ViewAt changed the record")
	}
	// A record with no extract date is seen as at the day asked.
	c.ExtractDate = Date{}
	if v := c.ViewAt(MustDate("2025-01-01")); len(v.Referrals[0].Conferences) != 1 {
		t.Error("no extract date: the conference before the day is gone")
	}
}

package rules_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// inForceEngine is the engine of `check --edition in-force`: every shipped pack, each
// referral checked under the edition in force on the day it was received.
func inForceEngine(t *testing.T) *checker.Engine {
	t.Helper()
	e, err := rules.Engine()
	if err != nil {
		t.Fatal(err)
	}
	e.InForce = true
	return e
}

// decodeCase reads a record as the loader does.
func decodeCase(t *testing.T, raw string) *record.Case {
	t.Helper()
	var c record.Case
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	if err := record.Validate(&c); err != nil {
		t.Fatalf("validate %s: %v", raw, err)
	}
	return &c
}

// editionOn is the edition in force on a day, written out from the editions table of the
// rule catalogue rather than read from the packs, so that a wrong in_force date in a pack
// fails this test.
func editionOn(d record.Date) string {
	for _, e := range []struct{ from, edition string }{
		{"2026-03-18", "2026"}, {"2023-12-15", "2023"}, {"2018-07-04", "2018"},
		{"2015-03-26", "2015"}, {"2013-04-15", "2013"}, {"2010-04-01", "2010"},
	} {
		if !d.Before(record.MustDate(e.from)) {
			return e.edition
		}
	}
	return ""
}

// TestInForceCoversEveryReferralSinceApril2010 checks one referral a month from April 2010 to
// November 2026, and one on each side of every change of edition: none is not covered, each
// has findings, and every finding names the edition in force on its referral's day.
func TestInForceCoversEveryReferralSinceApril2010(t *testing.T) {
	e := inForceEngine(t)
	var days []record.Date
	for m := time.Date(2010, 4, 15, 0, 0, 0, 0, time.UTC); m.Before(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
		days = append(days, record.DateOf(m))
	}
	for _, s := range []string{"2010-04-01", "2013-04-14", "2013-04-15", "2015-03-25", "2015-03-26", "2018-07-03", "2018-07-04",
		"2023-12-14", "2023-12-15", "2026-03-17", "2026-03-18"} {
		days = append(days, record.MustDate(s))
	}
	if len(days) != 200+11 {
		t.Fatalf("%d referrals, want 200 monthly and 11 on the changes", len(days))
	}
	perEdition := map[string]int{}
	for i, d := range days {
		// Each referral has a decision the next day and an assessment of the edition's
		// model (a single assessment, which the 2010 pack does not judge, and an initial one).
		raw := fmt.Sprintf(`{"case_id":"C-%03d","extract_date":"2026-12-31","child":{"birth_date":"2009-01-05","circumstances":["young_carer"]},`+
			`"referrals":[{"id":"R1","received":"%s","decision":"%s","outcome":"assessment","closed":"%s",`+
			`"assessments":[{"id":"A1","kind":"single","started":"%s","completed":"%s","seen":["%s"],"wishes_recorded":true},`+
			`{"id":"A2","kind":"initial","started":"%s","completed":"%s","seen":["%s"],"wishes_recorded":true}]}]}`,
			i, d, d.AddDays(1), d.AddDays(20), d.AddDays(1), d.AddDays(14), d.AddDays(2), d.AddDays(1), d.AddDays(7), d.AddDays(2))
		c := decodeCase(t, raw)
		findings, errs, uncovered := e.CheckInForce(c, record.Date{})
		if len(errs) > 0 || len(uncovered) > 0 {
			t.Fatalf("referral of %s: errors %v, not covered %v", d, errs, uncovered)
		}
		want := editionOn(d)
		if len(findings) == 0 {
			t.Errorf("referral of %s: no findings", d)
		}
		for _, f := range findings {
			if f.Edition != want {
				t.Errorf("referral of %s: %s finding under %s, want %s", d, f.Rule, f.Edition, want)
			}
		}
		perEdition[want]++
	}
	if len(perEdition) != 6 {
		t.Errorf("referrals per edition = %v, want all six editions", perEdition)
	}
	// The day before the 2010 edition is the only kind of referral not covered.
	c := decodeCase(t, `{"case_id":"C-OLD","extract_date":"2026-11-30","referrals":[{"id":"R1","received":"2010-03-31","decision":"2010-04-01"}]}`)
	findings, _, uncovered := e.CheckInForce(c, record.Date{})
	if len(findings) != 0 || len(uncovered) != 1 || uncovered[0].Referral != "R1" || uncovered[0].Received.String() != "2010-03-31" {
		t.Errorf("referral of 31 March 2010: findings %v, not covered %v; want none, and R1 not covered", findings, uncovered)
	}
}

// TestSingleAssessmentOfMay2014 is judged under the 2013 edition: 45 working days from the
// referral (Monday 12 May 2014, the spring bank holiday of 26 May skipped: due Tuesday 15 July),
// and the 2010 initial assessment rule gives no finding.
func TestSingleAssessmentOfMay2014(t *testing.T) {
	e := inForceEngine(t)
	c := decodeCase(t, `{"case_id":"C-2014","extract_date":"2014-09-30","child":{"birth_date":"2008-11-03"},`+
		`"referrals":[{"id":"R1","received":"2014-05-12","decision":"2014-05-13","assessments":[{"id":"A1","kind":"single","started":"2014-05-13","completed":"2014-07-17"}]}]}`)
	findings, errs, _ := e.CheckInForce(c, record.Date{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got *checker.Finding
	for i, f := range findings {
		if f.Rule == "initial-assessment-timeliness" || f.Rule == "core-assessment-timeliness" {
			t.Errorf("a %s finding under %s", f.Rule, f.Edition)
		}
		if f.Rule == "assessment-timeliness" {
			got = &findings[i]
		}
	}
	if got == nil {
		t.Fatal("no assessment-timeliness finding")
	}
	if got.Edition != "2013" || got.Status != checker.StatusBreach || got.Start.String() != "2014-05-12" || got.Due.String() != "2014-07-15" ||
		*got.LateWorkingDays != 2 || got.Citation != "Working Together to Safeguard Children 2013, chapter 1 (Timeliness)" {
		t.Errorf("assessment-timeliness = %+v", *got)
	}
}

// TestFamilyHelpMeetsEarlyHelpUnder2026: a referral of 1 June 2026 whose outcome is family
// help meets early-help-considered under the 2026 edition.
func TestFamilyHelpMeetsEarlyHelpUnder2026(t *testing.T) {
	e := inForceEngine(t)
	c := decodeCase(t, `{"case_id":"C-2026","extract_date":"2026-09-30","child":{"birth_date":"2014-02-10","circumstances":["young_carer"]},`+
		`"referrals":[{"id":"R1","received":"2026-06-01","decision":"2026-06-02","outcome":"family_help","closed":"2026-06-05"}]}`)
	findings, errs, _ := e.CheckInForce(c, record.Date{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	i := slices.IndexFunc(findings, func(f checker.Finding) bool { return f.Rule == "early-help-considered" })
	if i < 0 {
		t.Fatal("no early-help-considered finding")
	}
	if f := findings[i]; f.Edition != "2026" || f.Status != checker.StatusMet {
		t.Errorf("early-help-considered = %s under %s, want met under 2026", f.Status, f.Edition)
	}
}

// TestDeadlineIn2028CountsProjectedHolidays: 2028 is after the last published year. A
// referral of Thursday 13 April 2028 is due a decision the next working day; Good Friday (14
// April) and Easter Monday (17 April) are computed, so it is due Tuesday 18 April, and the
// finding names both as projected. The assessment's 45 working days skip the projected early
// May and spring holidays too.
func TestDeadlineIn2028CountsProjectedHolidays(t *testing.T) {
	e := inForceEngine(t)
	c := decodeCase(t, `{"case_id":"C-2028","extract_date":"2028-07-31","child":{"birth_date":"2019-03-01"},`+
		`"referrals":[{"id":"R1","received":"2028-04-13","decision":"2028-04-18","assessments":[{"id":"A1","kind":"single","started":"2028-04-18"}]}]}`)
	findings, errs, _ := e.CheckInForce(c, record.Date{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	byRule := map[string]checker.Finding{}
	for _, f := range findings {
		byRule[f.Rule] = f
	}
	dec := byRule["referral-decision-timeliness"]
	if dec.Edition != "2026" || dec.Status != checker.StatusMet || dec.Due.String() != "2028-04-18" ||
		fmt.Sprint(dec.ProjectedHolidays) != "[2028-04-14 2028-04-17]" {
		t.Errorf("referral-decision-timeliness = %s under %s, due %s, projected %v; want met under 2026, due 2028-04-18, projected [2028-04-14 2028-04-17]",
			dec.Status, dec.Edition, dec.Due, dec.ProjectedHolidays)
	}
	// Apr 18-21 (4) [14 and 17 Easter], 24-28 (9), May 2-5 (13) [1 early May], 8-12 (18),
	// 15-19 (23), 22-26 (28), May 30-Jun 2 (32) [29 spring], Jun 5-9 (37), 12-16 (42), 19-21
	// (45): due Wednesday 21 June; still open on 31 July, 28 working days overdue.
	as := byRule["assessment-timeliness"]
	if as.Due.String() != "2028-06-21" || as.Status != checker.StatusBreach || *as.LateWorkingDays != 28 ||
		fmt.Sprint(as.ProjectedHolidays) != "[2028-04-14 2028-04-17 2028-05-01 2028-05-29]" {
		t.Errorf("assessment-timeliness = %s, due %s, projected %v", as.Status, as.Due, as.ProjectedHolidays)
	}
	// A deadline within the published years names no projected holiday.
	c = decodeCase(t, `{"case_id":"C-2027","extract_date":"2027-04-30","referrals":[{"id":"R1","received":"2027-03-25","decision":"2027-03-30"}]}`)
	findings, _, _ = e.CheckInForce(c, record.Date{})
	for _, f := range findings {
		if f.ProjectedHolidays != nil {
			t.Errorf("%s in 2027 names projected holidays %v", f.Rule, f.ProjectedHolidays)
		}
	}
}

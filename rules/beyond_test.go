package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// The records beyond the case file (incident-format.md) under the shipped packs: the issue's
// own examples, and the settled points of the rule catalogue on which edition judges what.

func everyEdition(t *testing.T) *checker.Engine {
	t.Helper()
	e, err := rules.Engine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func incident(t *testing.T, raw string) *record.Incident {
	t.Helper()
	in, err := record.DecodeIncident([]byte(raw))
	if err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return in
}

func arrangements(t *testing.T, raw string) *record.Arrangements {
	t.Helper()
	a, err := record.DecodeArrangements([]byte(raw))
	if err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return a
}

// line renders a finding for an exact comparison.
func line(f checker.Finding) string {
	s := fmt.Sprintf("%s %s %s %s", f.Edition, f.Rule, f.Subject, f.Status)
	if !f.Due.IsZero() {
		s += fmt.Sprintf(" start %s due %s done %s", f.Start, f.Due, f.Done)
	}
	if f.LateWorkingDays != nil {
		s += fmt.Sprintf(" late %d wd %d days", *f.LateWorkingDays, *f.LateDays)
	}
	return s
}

func lines(fs []checker.Finding, keep func(checker.Finding) bool) []string {
	var out []string
	for _, f := range fs {
		if keep(f) {
			out = append(out, line(f))
		}
	}
	return out
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

// The first example: aware on Monday 3 June 2024, the Panel notified on Wednesday 12
// June, 7 working days after. A breach of serious-incident-notified under 2018, 2023 and 2026,
// 2 working days late; no finding of that rule under 2010, whose rules for the incident are
// scr-held and scr-timeliness.
func TestSeriousIncidentNotifiedSevenWorkingDaysAfter(t *testing.T) {
	in := incident(t, `{"format": "wtcheck/incident/v1", "incident_id": "INC-1", "extract_date": "2024-12-31",
		"event": "death", "abuse_or_neglect": "suspected", "occurred": "2024-06-01", "aware": "2024-06-03",
		"notified": {"panel": "2024-06-12"}}`)
	findings, errs, covered := everyEdition(t).CheckIncident(in, record.Date{}, nil)
	if len(errs) > 0 || !covered {
		t.Fatalf("errors %v, covered %v", errs, covered)
	}
	sameLines(t, "serious-incident-notified", lines(findings, func(f checker.Finding) bool { return f.Rule == "serious-incident-notified" }), []string{
		"2018 serious-incident-notified INC-1 breach start 2024-06-03 due 2024-06-10 done 2024-06-12 late 2 wd 2 days",
		"2023 serious-incident-notified INC-1 breach start 2024-06-03 due 2024-06-10 done 2024-06-12 late 2 wd 2 days",
		"2026 serious-incident-notified INC-1 breach start 2024-06-03 due 2024-06-10 done 2024-06-12 late 2 wd 2 days",
	})
	for _, f := range findings {
		if f.Rule == "serious-incident-notified" && f.Message != "The Panel was notified 7 working days after the local authority became aware (limit 5)" {
			t.Errorf("message %q", f.Message)
		}
		if f.IncidentID != "INC-1" || f.CaseID != "" || f.AreaID != "" {
			t.Errorf("finding ids: incident %q case %q area %q", f.IncidentID, f.CaseID, f.AreaID)
		}
	}
	sameLines(t, "2010", lines(findings, func(f checker.Finding) bool { return f.Edition == "2010" }), []string{
		"2010 child-death-rapid-response INC-1 breach",
		"2010 child-death-reviewed INC-1 pending",
		"2010 scr-held INC-1 pending",
		"2010 scr-timeliness INC-1 not_applicable",
	})
}

// The second example: a baby born alive at 21 weeks' gestation who died is outside
// the 2010 panel's criteria (not applicable) and within 2018's, where every live-born baby's
// death is reviewed (pending until the panel has reviewed it).
func TestChildDeathReviewedBabyOf21Weeks(t *testing.T) {
	in := incident(t, `{"format": "wtcheck/incident/v1", "incident_id": "INC-2", "extract_date": "2024-12-31",
		"child": {"birth_date": "2024-09-10", "gestation_weeks": 21}, "event": "death", "expected_death": true,
		"occurred": "2024-09-10", "aware": "2024-09-11"}`)
	findings, errs, _ := everyEdition(t).CheckIncident(in, record.Date{}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	sameLines(t, "child-death-reviewed", lines(findings, func(f checker.Finding) bool { return f.Rule == "child-death-reviewed" }), []string{
		"2010 child-death-reviewed INC-2 not_applicable",
		"2013 child-death-reviewed INC-2 not_applicable",
		"2015 child-death-reviewed INC-2 not_applicable",
		"2018 child-death-reviewed INC-2 pending",
		"2023 child-death-reviewed INC-2 pending",
		"2026 child-death-reviewed INC-2 pending",
	})
}

// With --edition in-force an incident is judged by the edition in force on its aware day;
// one of the transition (4 July 2018 to 29 September 2019) that its area became aware of
// before its safeguarding partners published their arrangements stays with the LSCB, under
// wt2015, when the batch holds the area's arrangements.
func TestIncidentInForceByAwareDayAndTheTransition(t *testing.T) {
	e := everyEdition(t)
	e.InForce = true
	raw := `{"format": "wtcheck/incident/v1", "incident_id": "INC-3", "extract_date": "2025-03-31",
		"organisation": {"la_code": "E1"}, "event": "death", "abuse_or_neglect": "known", "aware": %s}`
	for _, tc := range []struct {
		aware     string
		published checker.Published
		want      string
	}{
		{"2012-05-14", nil, "2010"},
		{"2016-05-16", nil, "2015"},
		{"2019-05-13", checker.Published{"E1": record.MustDate("2019-06-28")}, "2015"},
		{"2019-05-13", checker.Published{"E1": {}}, "2015"}, // an area that had not published
		{"2019-07-01", checker.Published{"E1": record.MustDate("2019-06-28")}, "2018"},
		{"2019-05-13", nil, "2018"}, // no arrangements record of the area
		{"2019-05-13", checker.Published{"E2": record.MustDate("2019-06-28")}, "2018"}, // another area's
		{"2019-10-01", checker.Published{"E1": {}}, "2018"},                            // after the transition
		{"2024-06-03", nil, "2023"},
	} {
		findings, _, covered := e.CheckIncident(incident(t, fmt.Sprintf(raw, `"`+tc.aware+`"`)), record.Date{}, tc.published)
		editions := map[string]bool{}
		for _, f := range findings {
			editions[f.Edition] = true
		}
		if !covered || len(editions) != 1 || !editions[tc.want] {
			t.Errorf("aware %s, published %v: editions %v (covered %v), want only %s", tc.aware, tc.published, editions, covered, tc.want)
		}
	}
	// Before April 2010, or with no aware day, no edition covers it: not covered, no finding.
	for _, aware := range []string{`"2009-12-01"`, "null"} {
		in := incident(t, fmt.Sprintf(raw, aware))
		if findings, _, covered := e.CheckIncident(in, record.Date{}, nil); covered || len(findings) != 0 {
			t.Errorf("aware %q: covered %v, %d findings", aware, covered, len(findings))
		}
	}
}

// An area's arrangements in force: each report interval is judged by the edition in force on
// the day it opened, an LSCB's after 3 July 2018 by wt2015, the last edition with LSCB rules;
// any other finding by each edition whose period meets the record's history.
func TestArrangementsInForce(t *testing.T) {
	e := everyEdition(t)
	e.InForce = true
	a := arrangements(t, `{"format": "wtcheck/arrangements/v1", "area_id": "E1", "extract_date": "2024-03-31",
		"lscb": {"ended": "2019-09-29", "independent_chair": true, "lay_members": 2, "annual_reports": ["2014-06-27", "2015-06-26", "2016-06-24", "2017-06-30", "2018-07-13"]},
		"partners": {"published": "2019-06-28", "members": ["local_authority", "police", "ccg"], "independent_scrutiny": true, "yearly_reports": ["2020-06-26", "2021-06-25", "2022-06-24", "2023-06-30"]}}`)
	findings, errs := e.CheckArrangements(a, record.Date{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	sameLines(t, "in force", lines(findings, func(checker.Finding) bool { return true }), []string{
		"2013 lscb-annual-report E1@2014-06-27 met start 2014-06-27 due 2015-06-27 done 2015-06-26",
		"2013 lscb-independent-chair E1 met",
		"2013 lscb-lay-members E1 met",
		"2015 lscb-annual-report E1@2015-06-26 met start 2015-06-26 due 2016-06-26 done 2016-06-24",
		"2015 lscb-annual-report E1@2016-06-24 breach start 2016-06-24 due 2017-06-24 done 2017-06-30 late 5 wd 6 days",
		"2015 lscb-annual-report E1@2017-06-30 breach start 2017-06-30 due 2018-06-30 done 2018-07-13 late 10 wd 13 days",
		// Opened after 3 July 2018: judged by wt2015 all the same, up to the LSCB standing
		// down on 29 September 2019, after the report was due: overdue to that day.
		"2015 lscb-annual-report E1@2018-07-13 breach start 2018-07-13 due 2019-07-13 done  late 54 wd 78 days",
		"2015 lscb-independent-chair E1 met",
		"2015 lscb-lay-members E1 met",
		"2018 partners-arrangements-published E1 met start 2018-07-04 due 2019-09-29 done 2019-06-28",
		"2018 partners-independent-scrutiny E1 met",
		"2018 partners-statutory-members E1 met",
		"2018 partners-yearly-report E1@2019-06-28 met start 2019-06-28 due 2020-06-28 done 2020-06-26",
		"2018 partners-yearly-report E1@2020-06-26 met start 2020-06-26 due 2021-06-26 done 2021-06-25",
		"2018 partners-yearly-report E1@2021-06-25 met start 2021-06-25 due 2022-06-25 done 2022-06-24",
		"2018 partners-yearly-report E1@2022-06-24 breach start 2022-06-24 due 2023-06-24 done 2023-06-30 late 5 wd 6 days",
		// Opened on 30 June 2023, under 2018: the 2023 edition came in on 15 December.
		"2018 partners-yearly-report E1@2023-06-30 pending start 2023-06-30 due 2024-06-30 done ",
		// The record's history reaches into 2023's period: its other findings are judged
		// there too, and the partners still name a clinical commissioning group.
		"2023 partners-independent-scrutiny E1 met",
		"2023 partners-statutory-members E1 breach",
	})
}

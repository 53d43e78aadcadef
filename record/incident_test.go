package record

import (
	"strings"
	"testing"
)

const sampleIncident = `{
  "format": "wtcheck/incident/v1",
  "incident_id": "INC-2024-007",
  "extract_date": "2025-03-31",
  "organisation": { "la_code": "E09000030", "partnership": "Tower Hamlets" },
  "case_id": "C-000123",
  "child": { "id": "CH-77", "birth_date": "2015-06-01", "gestation_weeks": null, "resident": true },
  "event": "death",
  "occurred": "2024-06-03",
  "aware": "2024-06-04",
  "abuse_or_neglect": "suspected",
  "agency_concern": true,
  "in_custody": false,
  "expected_death": false,
  "notified": { "panel": "2024-06-07", "ofsted": null, "lscb": null },
  "rapid_review": { "completed": "2024-06-21", "sent_to_panel": "2024-06-24", "decision": "local_review" },
  "serious_case_review": null,
  "local_review": { "decided": "2024-06-24", "completed": null, "published": null },
  "child_death_review": { "notified_cdop": "2024-06-04", "rapid_response": "2024-06-04",
                          "key_worker": true, "cdr_meeting": null, "panel_review": null }
}`

// The specification's own example decodes, validates and keeps every field.
func TestDecodeIncidentSpecExample(t *testing.T) {
	in, err := DecodeIncident([]byte(sampleIncident))
	if err != nil {
		t.Fatalf("DecodeIncident: %v", err)
	}
	got := []string{in.IncidentID, in.CaseID, in.Organisation.LACode, in.Event, in.Aware.String(),
		in.Notified.Panel.String(), in.RapidReview.Completed.String(), in.RapidReview.Decision,
		in.LocalReview.Decided.String(), in.ChildDeathReview.RapidResponse.String()}
	want := []string{"INC-2024-007", "C-000123", "E09000030", "death", "2024-06-04",
		"2024-06-07", "2024-06-21", "local_review", "2024-06-24", "2024-06-04"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("decoded\n got %v\nwant %v", got, want)
	}
	if !in.Serious() || !in.Child.Resident() || in.Child.GestationWeeks != nil || !in.ChildDeathReview.KeyWorker || in.ExpectedDeath {
		t.Errorf("serious %v, resident %v, gestation %v, key worker %v, expected %v",
			in.Serious(), in.Child.Resident(), in.Child.GestationWeeks, in.ChildDeathReview.KeyWorker, in.ExpectedDeath)
	}
	if w := IncidentWarnings(in); len(w) != 0 {
		t.Errorf("warnings: %v", w)
	}
}

// Not recorded counts as the catalogue's settled points say: abuse or neglect as "no" (so not
// a serious incident), the child as resident, the death as unexpected, no agency concern, not
// in custody.
func TestIncidentNotRecordedDefaults(t *testing.T) {
	in, err := DecodeIncident([]byte(`{"incident_id": "I1", "event": "death"}`))
	if err != nil {
		t.Fatal(err)
	}
	if in.AbuseOrNeglectOr() != "no" || in.Serious() || !in.Child.Resident() || in.ExpectedDeath || in.AgencyConcern || in.InCustody {
		t.Errorf("abuse %q serious %v resident %v expected %v concern %v custody %v",
			in.AbuseOrNeglectOr(), in.Serious(), in.Child.Resident(), in.ExpectedDeath, in.AgencyConcern, in.InCustody)
	}
	out, err := DecodeIncident([]byte(`{"incident_id": "I2", "event": "serious_harm", "abuse_or_neglect": "known", "child": {"resident": false}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !out.Serious() || out.Child.Resident() {
		t.Errorf("serious %v resident %v", out.Serious(), out.Child.Resident())
	}
}

// Every problem is reported at once, each with the field's path and never the value.
func TestValidateIncidentErrors(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"no id, no event", `{"format": "wtcheck/incident/v1"}`, "incident_id is required\nevent is required"},
		{"wrong format", `{"format": "wtcheck/case/v1", "incident_id": "I", "event": "death"}`, "format is not wtcheck/incident/v1"},
		{"unknown values", `{"incident_id": "I", "event": "murder", "abuse_or_neglect": "maybe", "rapid_review": {"decision": "later"}}`,
			"event is not one of death, serious_harm\nabuse_or_neglect is not one of known, suspected, no\nrapid_review.decision is not one of local_review, no_review, national_review_referred"},
		{"bad dates", `{"incident_id": "I", "event": "death", "aware": "2024-02-30", "child_death_review": {"panel_review": "soon"}}`,
			"aware is not a real calendar date (YYYY-MM-DD)\nchild_death_review.panel_review is not in the form YYYY-MM-DD"},
		{"gestation", `{"incident_id": "I", "event": "death", "child": {"gestation_weeks": 90}}`, "child.gestation_weeks is outside 0 to 45 weeks"},
		{"wrong type", `{"incident_id": "I", "event": "death", "in_custody": "yes"}`, "in_custody: want true or false, got a JSON string"},
		{"gestation not a whole number", `{"incident_id": "I", "event": "death", "child": {"gestation_weeks": "21"}}`, "child.gestation_weeks: want a whole number, got a JSON string"},
		{"not an object", `[1]`, "the record is a JSON array, not an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeIncident([]byte(tc.json))
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n got %v\nwant %s", err, tc.want)
			}
			for _, value := range []string{"murder", "maybe", "later", "soon", "2024-02-30", "yes"} {
				if err != nil && strings.Contains(tc.json, value) && strings.Contains(err.Error(), value) {
					t.Errorf("the error quotes the value %q", value)
				}
			}
		})
	}
}

// A date after the extract date is a warning and counts as not yet happened; dates in an
// order that cannot be are warnings too.
func TestIncidentWarnings(t *testing.T) {
	in, err := DecodeIncident([]byte(`{"incident_id": "I", "event": "death", "extract_date": "2024-06-30",
		"occurred": "2024-06-05", "aware": "2024-06-04", "notified": {"panel": "2024-06-03"},
		"child_death_review": {"panel_review": "2024-09-01"}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range IncidentWarnings(in) {
		got = append(got, w.Path+" "+w.Warning)
	}
	want := []string{
		"child_death_review.panel_review is after the extract date: counted as not yet happened",
		"aware is before the incident occurred",
		"notified.panel is before the local authority became aware",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings\n got %q\nwant %q", got, want)
	}
	if v := in.ViewAt(Date{}); !v.ChildDeathReview.PanelReview.IsZero() || v.Notified.Panel.String() != "2024-06-03" {
		t.Errorf("view at the extract date: panel review %s, notified %s", v.ChildDeathReview.PanelReview, v.Notified.Panel)
	}
}

// As at an earlier day, later events have not happened, with what was decided on them; an
// incident the area was not yet aware of is nothing to check.
func TestIncidentAsOf(t *testing.T) {
	in, err := DecodeIncident([]byte(sampleIncident))
	if err != nil {
		t.Fatal(err)
	}
	d := MustDate("2024-06-10")
	v := in.AsOf(d)
	if v.Notified.Panel.String() != "2024-06-07" || !v.RapidReview.Completed.IsZero() || v.RapidReview.Decision != "" ||
		!v.LocalReview.Decided.IsZero() || v.ExtractDate.String() != "2024-06-10" {
		t.Errorf("as at 10 June: %+v", v)
	}
	if in.RapidReview.Decision != "local_review" || in.ExtractDate.String() != "2025-03-31" {
		t.Error("AsOf changed its receiver")
	}
	if got := in.AsOf(MustDate("2024-06-03")); got != nil {
		t.Errorf("as at the day before the area was aware: %+v, want nil", got)
	}
	if got := in.AsOf(MustDate("2025-01-01")); got != in {
		t.Error("nothing happened after 1 January 2025: want the record itself")
	}
	if got := in.ViewAt(MustDate("2026-01-01")); got != in {
		t.Error("a later day sees the record as at its extract date: want the record itself")
	}
}

// A record names its kind by its format tag; a case needs none, and a tag in a value other
// than format does not count.
func TestFormatOf(t *testing.T) {
	for raw, want := range map[string]string{
		sampleIncident:                        IncidentFormat,
		sampleArrangements:                    ArrangementsFormat,
		`{"case_id": "C-1", "referrals": []}`: "",
		`{"format": "wtcheck/case/v1", "case_id": "wtcheck/incident/v1"}`:             "",
		`{"format": "wtcheck/incident/v1", "incident_id": "I", "event": "death", "x"`: "",
	} {
		if got := FormatOf([]byte(raw)); got != want {
			t.Errorf("FormatOf(%.60s…) = %q, want %q", raw, got, want)
		}
	}
}

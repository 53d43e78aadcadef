package record

import (
	"strings"
	"testing"
)

const sampleArrangements = `{
  "format": "wtcheck/arrangements/v1",
  "area_id": "E09000030",
  "extract_date": "2025-03-31",
  "lscb": { "ended": "2019-09-29", "independent_chair": true, "lay_members": 2,
            "annual_reports": ["2017-09-30", "2018-10-15"] },
  "partners": { "published": "2019-06-28",
                "members": ["local_authority", "police", "icb"],
                "independent_scrutiny": true,
                "yearly_reports": ["2020-09-30", "2021-09-28", "2022-10-31", "2023-09-29", "2024-09-30"] }
}`

func TestDecodeArrangementsSpecExample(t *testing.T) {
	a, err := DecodeArrangements([]byte(sampleArrangements))
	if err != nil {
		t.Fatalf("DecodeArrangements: %v", err)
	}
	if a.AreaID != "E09000030" || a.LSCB == nil || a.LSCB.LayMembers != 2 || !a.LSCB.IndependentChair ||
		a.LSCB.Ended.String() != "2019-09-29" || a.Partners == nil || a.Partners.Published.String() != "2019-06-28" ||
		strings.Join(a.Partners.Members, ",") != "local_authority,police,icb" || len(a.Partners.YearlyReports) != 5 {
		t.Errorf("decoded %+v %+v %+v", a, a.LSCB, a.Partners)
	}
	if w := ArrangementsWarnings(a); len(w) != 0 {
		t.Errorf("warnings: %v", w)
	}
	// An area with no LSCB part (a new area, or an extract of the partners only) has none.
	b, err := DecodeArrangements([]byte(`{"area_id": "E1", "lscb": null, "partners": {"published": "2019-09-01"}}`))
	if err != nil || b.LSCB != nil || b.Partners == nil {
		t.Errorf("partners only: %+v, %v", b, err)
	}
}

func TestValidateArrangementsErrors(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"no area", `{"format": "wtcheck/arrangements/v1"}`, "area_id is required"},
		{"wrong format", `{"format": "wtcheck/incident/v1", "area_id": "A"}`, "format is not wtcheck/arrangements/v1"},
		{"members", `{"area_id": "A", "partners": {"members": ["local_authority", "mayor", "police", "police"]}}`,
			"partners.members[1] is not one of local_authority, police, ccg, icb\npartners.members[3] repeats another member"},
		{"lay members", `{"area_id": "A", "lscb": {"lay_members": -1}}`, "lscb.lay_members is negative"},
		{"dates", `{"area_id": "A", "lscb": {"annual_reports": ["2018-01-01", "2018-13-01"]}, "partners": {"published": 2019}}`,
			"lscb.annual_reports[1] is not a real calendar date (YYYY-MM-DD)\npartners.published is not a string: want a date \"YYYY-MM-DD\""},
		{"wrong type", `{"area_id": "A", "lscb": {"annual_reports": "2018-01-01"}}`, "lscb.annual_reports: want a list, got a JSON string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeArrangements([]byte(tc.json))
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n got %v\nwant %s", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "mayor") {
				t.Error("the error quotes a value")
			}
		})
	}
}

func TestArrangementsWarningsAndAsOf(t *testing.T) {
	a, err := DecodeArrangements([]byte(`{"area_id": "A", "extract_date": "2024-03-31",
		"lscb": {"ended": "2019-09-29", "annual_reports": ["2018-10-15", "2017-09-30", "2017-09-30"]},
		"partners": {"published": "2019-06-28", "yearly_reports": ["2019-05-01", "2020-09-30", "2024-09-30"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ArrangementsWarnings(a) {
		got = append(got, w.Path+" "+w.Warning)
	}
	want := []string{
		"partners.yearly_reports[2] is after the extract date: counted as not yet happened",
		"partners.yearly_reports[0] is before the arrangements were published",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings\n got %q\nwant %q", got, want)
	}
	if got := a.LSCB.AnnualReportDays(); len(got) != 2 || got[0].String() != "2017-09-30" || got[1].String() != "2018-10-15" {
		t.Errorf("annual report days %v: want 2017-09-30, 2018-10-15", got)
	}
	v := a.ViewAt(Date{})
	if n := len(v.Partners.YearlyReports); n != 2 {
		t.Errorf("as at the extract date: %d yearly reports, want 2", n)
	}
	old := a.AsOf(MustDate("2019-07-01"))
	if !old.LSCB.Ended.IsZero() || old.Partners.Published.String() != "2019-06-28" || len(old.Partners.YearlyReports) != 1 ||
		len(old.LSCB.AnnualReports) != 3 || old.ExtractDate.String() != "2019-07-01" {
		t.Errorf("as at 1 July 2019: %+v %+v", old.LSCB, old.Partners)
	}
	if a.LSCB.Ended.IsZero() || len(a.Partners.YearlyReports) != 3 {
		t.Error("AsOf changed its receiver")
	}
	if earlier := a.AsOf(MustDate("2019-06-01")); !earlier.Partners.Published.IsZero() {
		t.Errorf("as at 1 June 2019 the arrangements were not yet published: %s", earlier.Partners.Published)
	}
}

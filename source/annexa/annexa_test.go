package annexa

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
	"github.com/wtcheck/wtcheck/source"
)

// The headers of Lists 3 to 7 as Ofsted's August 2019 template spells them.
var (
	head3 = []string{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Date of referral", "Referral Source", "Referral NFA?", "Number of Referrals in Last 12 Months", "Allocated Team", "Allocated Worker"}
	head4 = []string{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Does the Child have a Disability", "Continuous Assessment Start Date", "Child Seen During Continuous Assessment", "Continuous Assessment Date of Authorisation", "Was the child assessed as requiring LA children’s social care support", "Allocated Team", "Allocated Worker"}
	head5 = []string{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Does the Child have a Disability", "Strategy discussion initiating Section 47 Enquiry Start Date", "Was an Initial Child Protection Conference deemed unnecessary?", "Date of Initial Child Protection Conference", "Did the Initial Child Protection Conference Result in a Child Protection Plan", "Number of Section 47 Enquiries in the last 12 months", "Number of ICPCs in the last 12 months", "Allocated Team", "Allocated Worker"}
	head6 = []string{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Does the Child have a Disability", "CIN Start Date", "Primary Need Code", "Date Child Was Last Seen", "CIN Closure Date", "Reason for Closure", "Case status", "Allocated Team", "Allocated Worker"}
	head7 = []string{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Does the Child have a Disability", "Child Protection Plan Start Date", "Initial Category of Abuse", "Latest Category of Abuse", "Date of the Last Statutory Visit", "Was the Child Seen Alone?", "Date of latest review conference", "Child Protection Plan End Date", "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)", "Number of Previous Child Protection Plans", "Allocated Team", "Allocated Worker"}
)

// sheet is one sheet of a test workbook: an optional title row above the headers, as in
// Ofsted's template, then the rows. A cell is a string, a number (an Excel serial date or a
// count), a time.Time (a real date cell), a bool, nil (empty) or a formula.
type sheet struct {
	name   string
	title  string
	header []string
	rows   [][]any
}

// formula is a formula cell with its cached value.
type formula struct {
	expr   string
	cached any
}

func writeBook(t *testing.T, sheets ...sheet) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for _, s := range sheets {
		if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		row := 1
		if s.title != "" {
			must(t, f.SetCellValue(s.name, "A1", s.title))
			row = 2
		}
		for j, h := range s.header {
			must(t, f.SetCellValue(s.name, ref(t, j, row), h))
		}
		for i, r := range s.rows {
			for j, v := range r {
				at := ref(t, j, row+1+i)
				switch v := v.(type) {
				case nil:
				case formula:
					must(t, f.SetCellValue(s.name, at, v.cached))
					must(t, f.SetCellFormula(s.name, at, v.expr))
				default:
					must(t, f.SetCellValue(s.name, at, v))
				}
			}
		}
	}
	must(t, f.DeleteSheet("Sheet1"))
	path := filepath.Join(t.TempDir(), "annex-a.xlsx")
	must(t, f.SaveAs(path))
	return path
}

func ref(t *testing.T, col, row int) string {
	t.Helper()
	r, err := excelize.CoordinatesToCellName(col+1, row)
	must(t, err)
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// read imports a workbook and returns every record.
func read(t *testing.T, path, asOf string) []source.Record {
	t.Helper()
	var out []source.Record
	err := ReadFile(path, Options{AsOf: record.MustDate(asOf)}, func(r source.Record) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	return out
}

// only returns the one record of a child, failing on an error record.
func only(t *testing.T, recs []source.Record, id string) *record.Case {
	t.Helper()
	for _, r := range recs {
		if r.CaseID == id {
			if r.Err != nil {
				t.Fatalf("child %s: %v", id, r.Err)
			}
			return r.Case
		}
	}
	t.Fatalf("no record for child %s", id)
	return nil
}

// serial is the Excel serial number of a date (1900 date system).
func serial(s string) float64 {
	return float64(record.MustDate("1900-01-01").DaysUntil(record.MustDate(s)) + 2)
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	must(t, err)
	return string(b)
}

func lacks(extra ...string) []string {
	var out []string
	for _, g := range Lacks() {
		out = append(out, g.Path)
	}
	return append(out, extra...)
}

var d = record.MustDate

// TestTemplateLayoutEveryColumn reads every mapped column of Lists 3 to 7 from sheets named
// as in Ofsted's template (List_3), with a title in row 1 and headers in row 2.
func TestTemplateLayoutEveryColumn(t *testing.T) {
	path := writeBook(t,
		sheet{name: "List_3", title: "List 3: Referral", header: head3, rows: [][]any{
			{"C1", "a) Male", "a) WBRI", serial("2015-06-01"), 8, serial("2024-01-02"), "q) 6: Police", "b) No", 1, "Duty Team", "Jane Worker"},
			{"C1", "a) Male", "a) WBRI", serial("2015-06-01"), 8, serial("2023-11-01"), "e) 2A: Schools", "a) Yes", 1, "Duty Team", "Jane Worker"},
		}},
		sheet{name: "List_4", title: "List 4: Assessments", header: head4, rows: [][]any{
			{"C1", "a) Male", "a) WBRI", serial("2015-06-01"), 8, "a) Yes", serial("2024-01-03"), "a) Yes", serial("2024-02-20"), "a) Yes", "Assessment Team", "Jane Worker"},
		}},
		sheet{name: "List_5", title: "List 5: Section 47 enquiries and Initial Child Protection Conferences", header: head5, rows: [][]any{
			{"C1", "a) Male", "a) WBRI", serial("2015-06-01"), 8, "a) Yes", serial("2024-01-04"), "b) No", serial("2024-01-24"), "a) Yes", 1, 0, "Assessment Team", "Jane Worker"},
		}},
		sheet{name: "List_6", title: "List 6: Children in Need", header: head6, rows: [][]any{
			{"C1", "a) Male", "a) WBRI", serial("2015-06-01"), 8, "a) Yes", serial("2024-01-02"), "N1 - Abuse or neglect", serial("2024-04-02"), nil, nil, "b) Child Protection plan", "CP Team", "Jane Worker"},
			{"C2", "b) Female", "a) WBRI", serial("2010-02-03"), 14, "b) No", serial("2023-06-01"), "N4", serial("2024-04-02"), nil, nil, "c) Child in need plan", "CIN Team", "Jane Worker"},
			{"C3", "b) Female", "a) WBRI", serial("2012-07-08"), 11, "c) Unknown", serial("2023-02-01"), "N5", serial("2023-09-01"), serial("2023-09-30"), "RC7", "e) Closed episode", "CIN Team", "Jane Worker"},
		}},
		sheet{name: "List_7", title: "List 7: Child protection", header: head7, rows: [][]any{
			{"C1", "a) Male", "a) WBRI", serial("2015-06-01"), 8, "a) Yes", serial("2024-01-24"), "a) Neglect", "e) Multiple/not recommended", serial("2024-03-20"), "a) Yes", serial("2024-04-15"), nil, "b) No", 0, "CP Team", "Jane Worker"},
		}},
	)
	recs := read(t, path, "2024-04-30")
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3", len(recs))
	}
	for i, r := range recs {
		if r.Index != i+1 || r.File != path || r.Err != nil {
			t.Errorf("record %d: index %d, file %s, err %v", i, r.Index, r.File, r.Err)
		}
	}
	want := &record.Case{
		CaseID:       "C1",
		ExtractDate:  d("2024-04-30"),
		Organisation: record.Organisation{Team: "CP Team"},
		Child:        record.Child{ID: "C1", BirthDate: d("2015-06-01"), Disabled: true},
		Referrals: []*record.Referral{
			{ID: "R1", Received: d("2023-11-01"), Source: "schools", Outcome: "no_further_action"},
			{
				ID: "R2", Received: d("2024-01-02"), Source: "police",
				Assessments:         []*record.Assessment{{ID: "A1", Kind: "single", Started: d("2024-01-03"), Completed: d("2024-02-20")}},
				StrategyDiscussions: []*record.StrategyDiscussion{{ID: "SD1", Date: d("2024-01-04")}},
				S47Enquiries:        []*record.S47Enquiry{{ID: "S1", StrategyDiscussionID: "SD1", Outcome: "icpc"}},
				Conferences: []*record.Conference{
					{ID: "K1", Kind: "initial", S47ID: "S1", Date: d("2024-01-24"), Outcome: "plan"},
					{ID: "K2", Kind: "review", PlanID: "P1", Date: d("2024-04-15")},
				},
				Plans: []*record.Plan{{
					ID: "P1", Kind: "child_protection", Started: d("2024-01-24"), Category: "multiple",
					Visits: []*record.Visit{{Date: d("2024-03-20"), Seen: true, SeenAlone: true}},
				}},
			},
		},
		Provenance: record.Provenance{Format: "annex-a", Lacks: lacks()},
	}
	if got := jsonOf(t, recs[0].Case); got != jsonOf(t, want) {
		t.Errorf("C1:\n got %s\nwant %s", got, jsonOf(t, want))
	}
	if strings.Contains(jsonOf(t, recs), "Jane") {
		t.Error("the allocated worker's name reached the output")
	}
	c2 := only(t, recs, "C2")
	if got, want := jsonOf(t, c2.Referrals), jsonOf(t, []*record.Referral{{
		ID: "R1", Received: d("2023-06-01"), Plans: []*record.Plan{{ID: "P1", Kind: "child_in_need"}},
	}}); got != want {
		t.Errorf("C2 referrals:\n got %s\nwant %s", got, want)
	}
	if c2.Child.Disabled || c2.Organisation.Team != "CIN Team" {
		t.Errorf("C2: disabled %v, team %q", c2.Child.Disabled, c2.Organisation.Team)
	}
	c3 := only(t, recs, "C3")
	if got, want := jsonOf(t, c3.Referrals), jsonOf(t, []*record.Referral{{ID: "R1", Received: d("2023-02-01"), Closed: d("2023-09-30")}}); got != want {
		t.Errorf("C3 referrals:\n got %s\nwant %s", got, want)
	}
}

// TestSampleLayoutAndVariants reads sheets named "List 3" with headers in row 1 and the
// spellings, codes and date forms real workbooks use.
func TestSampleLayoutAndVariants(t *testing.T) {
	h3 := []string{"CHILD UNIQUE ID ", "Date of Birth", "Age", "Date of Referral", "Referral Source", "Referral NFA", "Allocated Team", "Allocated Worker"}
	h4 := []string{"Child Unique ID", "Date of Birth", "Age", "Does the Child have a Disability", "Continuous Assessment Start Date", "Child Seen During Continuous Assessment", "Continuous Assessment Date of Authorisation", "Was the child assessed as requiring LA children's social care support?", "Allocated Team"}
	h5 := []string{"Child Unique ID", "Date of Birth", "Age", "Strategy Discussion Initiating Section 47 Enquiry Start Date", "Was an Initial Child Protection Conference Deemed Unnecessary", "Date of Initial Child Protection Conference ", "Did the Initial Child Protection Conference Result in a Child Protection Plan?"}
	h6 := []string{"Child Unique ID", "Date of Birth", "Age", "CIN Start Date", "CIN Closure Date", "Case Status", "Allocated Team"}
	h7 := []string{"Child Unique ID", "Date of Birth", "Age", "Child Protection Plan Start Date", "Latest Category of Abuse", "Date of Last Statutory Visit", "Was the child seen alone", "Date of Latest Review Conference", "Child Protection Plan End Date", "Allocated Team"}
	path := writeBook(t,
		sheet{name: "List 3", header: h3, rows: [][]any{
			// A real date cell, a bare source, a bare NFA flag.
			{"V1", time.Date(2012, 5, 6, 0, 0, 0, 0, time.UTC), 11.9, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), "Police", "No", "Team A", "Someone"},
			// Text dates, as the SSD extract writes them.
			{"V2", "06/05/2012", "11", "2/1/2024", "j) 3D: Health services", "Y", "#N/A", "Someone"},
			{"V3", "2012-05-06", "11", "2024-01-02T00:00:00", "Other legal agency", "yes", "", ""},
			{"V4", "2012-05-06", "11", "2024-01-02 00:00:00", nil, "#N/A", "Team D", nil},
		}},
		sheet{name: "List 4", header: h4, rows: [][]any{
			{"V1", nil, nil, "Y", "2024-01-03", "Yes", formula{"=E2+30", serial("2024-02-02")}, "Yes", "Team A"},
			{"V2", nil, nil, "#N/A", serial("2024-01-03"), "No", "#N/A", nil, nil},
		}},
		sheet{name: "List 5", header: h5, rows: [][]any{
			{"V1", nil, nil, "04/01/2024", "No", "24/01/2024", "No"},
			{"V2", nil, nil, serial("2024-01-04"), "a) Yes", nil, nil},
			{"V3", nil, nil, "#N/A", nil, "", ""},
		}},
		sheet{name: "List 6", header: h6, rows: [][]any{
			{"V1", nil, nil, "2024-01-02", "#N/A", "d) Open assessment", "#N/A"},
		}},
		sheet{name: "List 7", header: h7, rows: [][]any{
			{"V1", nil, nil, "24/01/2024", "Neglect", "15/02/2024", "No", "#N/A", "''", "Team G"},
		}},
	)
	recs := read(t, path, "2024-03-31")
	if len(recs) != 4 {
		t.Fatalf("got %d records, want 4: %v", len(recs), recs)
	}
	v1 := only(t, recs, "V1")
	want := []*record.Referral{{
		ID: "R1", Received: d("2024-01-02"), Source: "police",
		Assessments:         []*record.Assessment{{ID: "A1", Kind: "single", Started: d("2024-01-03"), Completed: d("2024-02-02")}},
		StrategyDiscussions: []*record.StrategyDiscussion{{ID: "SD1", Date: d("2024-01-04")}},
		S47Enquiries:        []*record.S47Enquiry{{ID: "S1", StrategyDiscussionID: "SD1", Outcome: "icpc"}},
		Conferences:         []*record.Conference{{ID: "K1", Kind: "initial", S47ID: "S1", Date: d("2024-01-24"), Outcome: "no_plan"}},
		Plans: []*record.Plan{{
			ID: "P1", Kind: "child_protection", Started: d("2024-01-24"), Category: "neglect",
			Visits: []*record.Visit{{Date: d("2024-02-15")}},
		}},
	}}
	if got := jsonOf(t, v1.Referrals); got != jsonOf(t, want) {
		t.Errorf("V1 referrals:\n got %s\nwant %s", got, jsonOf(t, want))
	}
	if v1.Child.BirthDate != d("2012-05-06") || !v1.Child.Disabled || v1.Organisation.Team != "Team G" {
		t.Errorf("V1 child %+v team %q", v1.Child, v1.Organisation.Team)
	}

	v2 := only(t, recs, "V2")
	want = []*record.Referral{
		{ID: "R1", Received: d("2024-01-02"), Source: "health_services", Outcome: "no_further_action"},
		// Its only referral is NFA, so the assessment and the enquiry stand under stand-ins.
		{ID: "U1", Received: d("2024-01-03"), Assessments: []*record.Assessment{{ID: "A1", Kind: "single", Started: d("2024-01-03")}}},
		{ID: "U2", Received: d("2024-01-04"),
			StrategyDiscussions: []*record.StrategyDiscussion{{ID: "SD1", Date: d("2024-01-04")}},
			S47Enquiries:        []*record.S47Enquiry{{ID: "S1", StrategyDiscussionID: "SD1", Outcome: "no_icpc"}}},
	}
	if got := jsonOf(t, v2.Referrals); got != jsonOf(t, want) {
		t.Errorf("V2 referrals:\n got %s\nwant %s", got, jsonOf(t, want))
	}
	if v2.Child.BirthDate != d("2012-05-06") || v2.Child.Disabled || v2.Organisation.Team != "" {
		t.Errorf("V2 child %+v team %q", v2.Child, v2.Organisation.Team)
	}
	if !slices.Equal(v2.Provenance.Lacks, lacks("received")) {
		t.Errorf("V2 lacks %v", v2.Provenance.Lacks)
	}

	// V3's enquiry has no date at all, and V3 has no referral it could follow (its only one
	// is NFA): an error naming the cell.
	if r := recs[2]; r.CaseID != "V3" || r.Index != 3 || r.Err == nil || !strings.Contains(r.Err.Error(), "List 5!D4 (Strategy discussion initiating Section 47 Enquiry Start Date) is blank, and so is the conference date") {
		t.Errorf("V3: got %+v", r)
	}
	v4 := only(t, recs, "V4")
	if got, want := jsonOf(t, v4.Referrals), jsonOf(t, []*record.Referral{{ID: "R1", Received: d("2024-01-02")}}); got != want {
		t.Errorf("V4 referrals:\n got %s\nwant %s", got, want)
	}
	if v4.Organisation.Team != "Team D" || !slices.Equal(v4.Provenance.Lacks, lacks()) {
		t.Errorf("V4 team %q lacks %v", v4.Organisation.Team, v4.Provenance.Lacks)
	}
}

// TestBadCellNamesSheetCellAndChild: a bad cell makes an error for its child that names the
// sheet, the cell and (as the record's case id) the child, never the value; the other
// children are imported. A date after the as-of date is kept, with a warning naming the cell.
func TestBadCellNamesSheetCellAndChild(t *testing.T) {
	row := func(id string, discussion any) []any {
		return []any{id, "a) Male", "a) WBRI", serial("2015-06-01"), 8, "b) No", discussion, "a) Yes", nil, nil, 0, 0, "Team", "Worker"}
	}
	path := writeBook(t, sheet{name: "List 5", header: head5, rows: [][]any{
		row("B1", serial("2024-01-04")),
		row("B2", "31/02/2024"),
		row("B3", "04/01/2024"),
		row("B4", "next Tuesday"),
		row("B5", "#REF!"),
		row("B6", "2024-05-01"),
	}})
	recs := read(t, path, "2024-03-31")
	if len(recs) != 6 {
		t.Fatalf("got %d records, want 6", len(recs))
	}
	wantErr := map[string]string{
		"B2": "List 5!G3 (Strategy discussion initiating Section 47 Enquiry Start Date) is not a real calendar date",
		"B4": "List 5!G5 (Strategy discussion initiating Section 47 Enquiry Start Date) is not a date: want DD/MM/YYYY, YYYY-MM-DD or an Excel date",
		"B5": "List 5!G6 (Strategy discussion initiating Section 47 Enquiry Start Date) holds a spreadsheet error, not a date",
	}
	wantDiscussion := map[string]record.Date{"B1": d("2024-01-04"), "B3": d("2024-01-04"), "B6": d("2024-05-01")}
	for i, r := range recs {
		id := fmt.Sprintf("B%d", i+1)
		if r.CaseID != id || r.Index != i+1 {
			t.Errorf("record %d: case %q index %d", i, r.CaseID, r.Index)
		}
		want, bad := wantErr[id]
		switch {
		case bad && (r.Err == nil || r.Err.Error() != want):
			t.Errorf("%s: error %v, want %q", id, r.Err, want)
		case bad && r.Case != nil:
			t.Errorf("%s: an error record carries a case", id)
		case !bad && (r.Err != nil || r.Case == nil):
			t.Errorf("%s: %v", id, r.Err)
		case !bad && r.Case.Referrals[0].StrategyDiscussions[0].Date != wantDiscussion[id]:
			t.Errorf("%s: discussion %v", id, r.Case.Referrals[0].StrategyDiscussions[0].Date)
		}
		var wantWarnings []record.Warning
		if id == "B6" {
			wantWarnings = []record.Warning{{Path: "List 5!G7 (Strategy discussion initiating Section 47 Enquiry Start Date)",
				Warning: "is after the as-of date: counted as not yet happened"}}
		}
		if !slices.Equal(r.Warnings, wantWarnings) {
			t.Errorf("%s: warnings %+v, want %+v", id, r.Warnings, wantWarnings)
		}
		if r.Err != nil {
			for _, value := range []string{"31/02/2024", "next Tuesday", "2024-05-01"} {
				if strings.Contains(r.Err.Error(), value) {
					t.Errorf("%s: the error quotes the cell's value: %v", id, r.Err)
				}
			}
		}
	}
}

// TestManyBadCellsOfOneChild: every bad cell of a child is reported at once.
func TestManyBadCellsOfOneChild(t *testing.T) {
	path := writeBook(t,
		sheet{name: "List 3", header: head3, rows: [][]any{
			{"M1", nil, nil, "yesterday", nil, nil, nil, "perhaps", nil, nil, nil},
		}},
		sheet{name: "List 7", header: head7, rows: [][]any{
			{"M1", nil, nil, "01/01/2015", 9, "b) No", serial("2024-02-01"), nil, "f) Bullying", nil, nil, serial("2024-01-15"), nil},
		}},
	)
	recs := read(t, path, "2024-03-31")
	want := strings.Join([]string{
		"List 3!D2 (Date of Birth) is not a date: want DD/MM/YYYY, YYYY-MM-DD or an Excel date",
		"List 3!F2 (Date of referral) is blank: a referral needs its date",
		"List 3!H2 (Referral NFA?) is not a yes/no code: want a) Yes, b) No or c) Unknown",
		"List 7!I2 (Latest Category of Abuse) is not a category of abuse: want a) Neglect, b) Physical abuse, c) Sexual abuse, d) Emotional abuse or e) Multiple/not recommended",
		"List 7!L2 (Date of latest review conference) is before the plan's start date",
	}, "\n")
	if len(recs) != 1 || recs[0].Err == nil || recs[0].Err.Error() != want {
		t.Fatalf("got %+v\nwant %s", recs, want)
	}
}

func TestAsOfIsRequired(t *testing.T) {
	called := false
	err := ReadFile(filepath.Join(t.TempDir(), "absent.xlsx"), Options{}, func(source.Record) error {
		called = true
		return nil
	})
	if err == nil || err.Error() != "Annex A has no reference date: give --as-of" || called {
		t.Fatalf("err %v, called %v", err, called)
	}
}

func TestNotAWorkbook(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "cases.xlsx")
	must(t, os.WriteFile(text, []byte("Child Unique ID,Date of referral\n1,02/01/2024\n"), 0o600))
	opts := Options{AsOf: d("2024-03-31")}
	none := func(r source.Record) error { return fmt.Errorf("unexpected record %+v", r) }
	err := ReadFile(text, opts, none)
	if err == nil || !strings.Contains(err.Error(), "not an Excel workbook (.xlsx)") {
		t.Errorf("text file: %v", err)
	}
	if err := ReadFile(filepath.Join(dir, "absent.xlsx"), opts, none); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: %v", err)
	}
	// A workbook with none of Lists 3 to 7 is not an Annex A workbook.
	other := writeBook(t, sheet{name: "Cases", header: []string{"Child Unique ID"}, rows: [][]any{{"1"}}})
	if err := ReadFile(other, opts, none); err == nil || !strings.Contains(err.Error(), "no sheet is named List 3 to List 7") {
		t.Errorf("other workbook: %v", err)
	}
}

// TestUnbornChild: age -1, or a date of birth after the as-of date, is an expected birth date.
func TestUnbornChild(t *testing.T) {
	path := writeBook(t, sheet{name: "List 3", header: head3, rows: [][]any{
		{"U1", "c) Not stated/recorded (or unborn)", nil, serial("2024-06-10"), -1, serial("2024-03-01"), "g) 3A: Health services", "b) No"},
		{"U2", nil, nil, "2024-05-01", nil, serial("2024-03-01"), nil, nil},
		{"U3", nil, nil, "2024-03-15", "-1", serial("2024-03-01"), nil, nil},
		{"U4", nil, nil, nil, -1, serial("2024-03-01"), nil, nil},
	}})
	recs := read(t, path, "2024-03-31")
	for id, want := range map[string]record.Child{
		"U1": {ID: "U1", ExpectedBirthDate: d("2024-06-10")},
		"U2": {ID: "U2", ExpectedBirthDate: d("2024-05-01")},
		"U3": {ID: "U3", ExpectedBirthDate: d("2024-03-15")},
		"U4": {ID: "U4"},
	} {
		if got := only(t, recs, id).Child; jsonOf(t, got) != jsonOf(t, want) {
			t.Errorf("%s: got %+v, want %+v", id, got, want)
		}
	}
}

// TestBornAfterAnUnbornRow: a child unborn at the referral and born by the plan has a birth
// date; the lists disagreeing on a birth date is an error.
func TestBornAfterAnUnbornRow(t *testing.T) {
	path := writeBook(t,
		sheet{name: "List 3", header: head3, rows: [][]any{
			{"N1", nil, nil, serial("2024-02-20"), -1, serial("2023-12-01"), nil, "No"},
			{"N2", nil, nil, serial("2020-01-01"), 4, serial("2023-12-01"), nil, "No"},
		}},
		sheet{name: "List 7", header: head7, rows: [][]any{
			{"N1", nil, nil, serial("2024-02-18"), 0, nil, serial("2024-01-10"), nil, nil, nil, nil, nil, nil},
			{"N2", nil, nil, serial("2020-01-02"), 4, nil, serial("2024-01-10"), nil, nil, nil, nil, nil, nil},
		}},
	)
	recs := read(t, path, "2024-03-31")
	if c := only(t, recs, "N1").Child; c.BirthDate != d("2024-02-18") || !c.ExpectedBirthDate.IsZero() {
		t.Errorf("N1: %+v", c)
	}
	want := "List 7!D3 (Date of Birth) differs from List 3!D3: the lists disagree on the child's date of birth"
	if recs[1].CaseID != "N2" || recs[1].Err == nil || recs[1].Err.Error() != want {
		t.Errorf("N2: %+v", recs[1])
	}
}

// TestRoundTripCount: every child in the lists comes out as one record, in first-seen order,
// however many lists and rows name them.
func TestRoundTripCount(t *testing.T) {
	var l3, l4, l5, l6, l7 [][]any
	var want []string
	for i := range 40 {
		id := fmt.Sprintf("K%03d", i)
		want = append(want, id)
		switch i % 5 {
		case 0:
			l3 = append(l3, []any{id, nil, nil, nil, nil, serial("2024-01-02"), nil, "No"}, []any{id, nil, nil, nil, nil, serial("2024-02-02"), nil, "No"})
			l4 = append(l4, []any{id, nil, nil, nil, nil, nil, serial("2024-01-05"), "Yes", nil})
		case 1:
			l4 = append(l4, []any{id, nil, nil, nil, nil, nil, serial("2024-01-05"), "Yes", nil})
		case 2:
			l5 = append(l5, []any{id, nil, nil, nil, nil, nil, serial("2024-01-05"), "No", nil})
			l7 = append(l7, []any{id, nil, nil, nil, nil, nil, serial("2024-01-25"), nil, nil, nil, nil, nil, nil})
		case 3:
			l6 = append(l6, []any{id, nil, nil, nil, nil, nil, serial("2023-01-05"), nil, nil, nil})
		case 4:
			l7 = append(l7, []any{id, nil, nil, nil, nil, nil, serial("2023-01-25"), nil, nil, nil, nil, serial("2024-03-01"), nil})
		}
	}
	path := writeBook(t,
		sheet{name: "List 3", header: head3, rows: l3},
		sheet{name: "List 4", header: head4, rows: l4},
		sheet{name: "List 5", header: head5, rows: l5},
		sheet{name: "List 6", header: head6, rows: l6},
		sheet{name: "List 7", header: head7, rows: l7},
	)
	recs := read(t, path, "2024-03-31")
	// First seen: List 3's children, then List 4's, 5's, 6's and 7's new ones.
	var order []string
	for _, rem := range []int{0, 1, 2, 3, 4} {
		for i := range 40 {
			if i%5 == rem {
				order = append(order, fmt.Sprintf("K%03d", i))
			}
		}
	}
	var got []string
	for i, r := range recs {
		if r.Err != nil || r.Case == nil || r.Index != i+1 || r.Case.CaseID != r.CaseID {
			t.Errorf("record %d: %+v", i, r)
		}
		got = append(got, r.CaseID)
	}
	if !slices.Equal(got, order) {
		t.Errorf("children out %v, want %v", got, order)
	}
	if len(recs) != len(want) {
		t.Errorf("%d children in, %d records out", len(want), len(recs))
	}
}

// TestMissingListsAndBadSheets: a list that is not there is not an error; a sheet that cannot
// be read as its list, and a row with no child id, are reported with index 0, and the rest is
// read.
func TestMissingListsAndBadSheets(t *testing.T) {
	path := writeBook(t,
		sheet{name: "List 3", header: head3, rows: [][]any{
			{"X1", nil, nil, nil, nil, serial("2024-01-02"), nil, "No"},
			{nil, nil, nil, nil, nil, serial("2024-01-03"), nil, "No"},
			{},
			{"#N/A", "a) Male"},
		}},
		// No Child Unique ID header in the first rows.
		sheet{name: "List 4", header: []string{"Child", "Start"}, rows: [][]any{{"X1", serial("2024-01-05")}}},
		// The conference date column is missing: read, it would give false breaches.
		sheet{name: "List 5", header: head5[:8], rows: [][]any{{"X1", nil, nil, nil, nil, nil, serial("2024-01-05"), "No"}}},
	)
	recs := read(t, path, "2024-03-31")
	var got []string
	for _, r := range recs {
		got = append(got, fmt.Sprintf("%d %s %v", r.Index, r.CaseID, r.Err))
	}
	want := []string{
		"0  List 3!A3 (Child Unique ID) is blank: the row was not read",
		"0  List 3!A5 (Child Unique ID) is blank: the row was not read",
		"0  sheet List 4 has no header row (a row with Child Unique ID in the first 10 rows): the list was not read",
		"0  sheet List 5 has no column Date of Initial Child Protection Conference (headers in row 1): the list was not read",
		"1 X1 <nil>",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c := recs[4].Case; len(c.Referrals) != 1 || len(c.Referrals[0].Assessments) != 0 || len(c.Referrals[0].S47Enquiries) != 0 {
		t.Errorf("X1: %s", jsonOf(t, c))
	}
}

// TestJoins: assessments, enquiries and plans go under the referral Annex A implies.
func TestJoins(t *testing.T) {
	path := writeBook(t,
		sheet{name: "List 3", header: head3, rows: [][]any{
			{"J1", nil, nil, nil, nil, serial("2024-01-10"), nil, "No"},
			{"J1", nil, nil, nil, nil, serial("2024-02-01"), nil, "Yes"},
			{"J1", nil, nil, nil, nil, serial("2024-02-20"), nil, "No"},
		}},
		sheet{name: "List 4", header: head4, rows: [][]any{
			// After the NFA referral of 1 February: under 10 January's.
			{"J1", nil, nil, nil, nil, nil, serial("2024-02-05"), "Yes", nil},
			// Under 20 February's.
			{"J1", nil, nil, nil, nil, nil, serial("2024-02-20"), "Yes", nil},
			// Under the episode of List 6 (its CIN start is a referral date).
			{"J2", nil, nil, nil, nil, nil, serial("2023-05-02"), "Yes", serial("2023-06-01")},
			// Before any referral of the child: a stand-in, and "received" is lacking.
			{"J3", nil, nil, nil, nil, nil, serial("2023-05-02"), "Yes", nil},
		}},
		sheet{name: "List 5", header: head5, rows: [][]any{
			{"J2", nil, nil, nil, nil, nil, serial("2023-05-03"), "No", serial("2023-05-20"), "Yes"},
		}},
		sheet{name: "List 6", header: head6, rows: [][]any{
			{"J2", nil, nil, nil, nil, nil, serial("2023-05-01"), nil, nil, nil},
			{"J3", nil, nil, nil, nil, nil, serial("2023-06-01"), nil, nil, nil},
		}},
		sheet{name: "List 7", header: head7, rows: [][]any{
			// Starts on the day of J2's initial conference: under that conference's referral.
			{"J2", nil, nil, nil, nil, nil, serial("2023-05-20"), nil, nil, nil, nil, serial("2023-08-01"), serial("2023-12-01")},
		}},
	)
	recs := read(t, path, "2024-03-31")
	j1 := only(t, recs, "J1")
	var where []string
	for _, r := range j1.Referrals {
		for _, a := range r.Assessments {
			where = append(where, r.ID+"/"+r.Received.String()+"/"+a.ID)
		}
	}
	if want := []string{"R1/2024-01-10/A1", "R3/2024-02-20/A2"}; !slices.Equal(where, want) {
		t.Errorf("J1 assessments under %v, want %v", where, want)
	}
	if !slices.Equal(j1.Provenance.Lacks, lacks()) {
		t.Errorf("J1 lacks %v", j1.Provenance.Lacks)
	}
	j2 := only(t, recs, "J2")
	if len(j2.Referrals) != 1 {
		t.Fatalf("J2: %s", jsonOf(t, j2.Referrals))
	}
	r := j2.Referrals[0]
	if r.ID != "R1" || r.Received != d("2023-05-01") || len(r.Assessments) != 1 || len(r.S47Enquiries) != 1 || len(r.Plans) != 1 || len(r.Conferences) != 2 {
		t.Errorf("J2: %s", jsonOf(t, r))
	}
	j3 := only(t, recs, "J3")
	if got := []string{j3.Referrals[0].ID, j3.Referrals[1].ID}; !slices.Equal(got, []string{"U1", "R1"}) || len(j3.Referrals[0].Assessments) != 1 {
		t.Errorf("J3: %s", jsonOf(t, j3.Referrals))
	}
	if !slices.Equal(j3.Provenance.Lacks, lacks("received")) {
		t.Errorf("J3 lacks %v", j3.Provenance.Lacks)
	}
}

// engine compiles the shipped 2023 pack.
func engine(t *testing.T) *checker.Engine {
	t.Helper()
	e, err := rules.Engine("2023")
	must(t, err)
	return e
}

// statuses checks a case and gives "rule subject status" for the rules named.
func statuses(t *testing.T, e *checker.Engine, c *record.Case, ruleIDs ...string) []string {
	t.Helper()
	fs, errs := e.Check(c, record.Date{})
	if len(errs) > 0 {
		t.Fatalf("%s: %v", c.CaseID, errs)
	}
	var out []string
	for _, f := range fs {
		if slices.Contains(ruleIDs, f.Rule) {
			out = append(out, f.Rule+" "+f.Subject+" "+string(f.Status))
		}
	}
	return out
}

// TestTruncatedHistoryGivesNoFalseBreach: List 7 keeps only a plan's latest review and latest
// visit. Checked with the shipped 2023 pack, what cannot be known is insufficient_data, and
// what can (a first review on time; the interval after the latest review) is judged.
func TestTruncatedHistoryGivesNoFalseBreach(t *testing.T) {
	path := writeBook(t,
		sheet{name: "List 3", header: head3, rows: [][]any{
			{"H1", nil, nil, "01/01/2015", 9, "02/01/2024", nil, "No"},
			{"H2", nil, nil, "01/01/2015", 9, "02/01/2023", nil, "No"},
			{"H3", nil, nil, "01/01/2015", 9, "02/01/2024", nil, "No"},
		}},
		sheet{name: "List 4", header: head4, rows: [][]any{
			{"H1", nil, nil, nil, nil, nil, "03/01/2024", "Yes", "20/02/2024"},
		}},
		sheet{name: "List 5", header: head5, rows: [][]any{
			// An initial conference 17 working days after the discussion: a breach Annex A shows.
			{"H1", nil, nil, nil, nil, nil, "04/01/2024", "No", "29/01/2024", "Yes"},
		}},
		sheet{name: "List 7", header: head7, rows: [][]any{
			// The latest review within 3 months of the start: the first review was on time.
			{"H1", nil, nil, nil, nil, nil, "29/01/2024", nil, "a) Neglect", "20/03/2024", "b) No", "22/04/2024", nil},
			// The latest review long after the start: when the first was held is unknown.
			// Plan open, no review for more than 6 months: the last interval is a breach.
			{"H2", nil, nil, nil, nil, nil, "01/02/2023", nil, "a) Neglect", "20/03/2024", "a) Yes", "01/08/2023", nil},
			// No review at all, past the 3 months: a breach Annex A shows.
			{"H3", nil, nil, nil, nil, nil, "05/01/2024", nil, "a) Neglect", nil, nil, nil, nil},
		}},
	)
	recs := read(t, path, "2024-05-31")
	e := engine(t)
	check := []string{"icpc-timeliness", "assessment-timeliness", "referral-decision-timeliness", "first-review-timeliness", "review-interval", "cp-visit-interval", "core-group-timeliness", "plan-ends-by-18", "s47-child-seen", "strategy-discussion-before-s47", "strategy-discussion-agencies", "conference-chair-independent", "assessment-child-seen"}
	want := map[string][]string{
		"H1": {
			"assessment-child-seen A1 insufficient_data",
			"assessment-timeliness A1 met",
			"conference-chair-independent K1 insufficient_data",
			"conference-chair-independent K2 insufficient_data",
			"core-group-timeliness P1 insufficient_data",
			"cp-visit-interval P1@2024-01-29 insufficient_data",
			"first-review-timeliness P1 met",
			"icpc-timeliness S1 breach",
			"plan-ends-by-18 P1 pending",
			"referral-decision-timeliness R1 insufficient_data",
			"review-interval K2 pending",
			"s47-child-seen S1 insufficient_data",
			"strategy-discussion-agencies SD1 insufficient_data",
			"strategy-discussion-before-s47 S1 insufficient_data",
		},
		"H2": {
			"conference-chair-independent K1 insufficient_data",
			"core-group-timeliness P1 insufficient_data",
			"cp-visit-interval P1@2023-02-01 insufficient_data",
			"first-review-timeliness P1 insufficient_data",
			"plan-ends-by-18 P1 pending",
			"referral-decision-timeliness R1 insufficient_data",
			"review-interval K1 breach",
		},
		"H3": {
			"core-group-timeliness P1 insufficient_data",
			"cp-visit-interval P1@2024-01-05 insufficient_data",
			"first-review-timeliness P1 breach",
			"plan-ends-by-18 P1 pending",
			"referral-decision-timeliness R1 insufficient_data",
			"review-interval P1 not_applicable",
		},
	}
	for id, w := range want {
		c := only(t, recs, id)
		if got := statuses(t, e, c, check...); !slices.Equal(got, w) {
			t.Errorf("%s:\n got %s\nwant %s", id, strings.Join(got, "\n     "), strings.Join(w, "\n     "))
		}
	}
	if got := only(t, recs, "H2").Provenance.Lacks; !slices.Equal(got, lacks("plans.started")) {
		t.Errorf("H2 lacks %v", got)
	}
}

// TestEnquiryOfAChildAlreadyOnAPlan: the template asks for "No" (a conference not deemed
// unnecessary) also where the child is already on a plan and no initial conference follows,
// so such an enquiry is not taken to need one.
func TestEnquiryOfAChildAlreadyOnAPlan(t *testing.T) {
	path := writeBook(t,
		sheet{name: "List 5", header: head5, rows: [][]any{
			{"P1", nil, nil, nil, nil, nil, "04/03/2024", "b) No", nil, nil},
			{"P2", nil, nil, nil, nil, nil, "04/03/2024", "b) No", nil, nil},
		}},
		sheet{name: "List 7", header: head7, rows: [][]any{
			{"P1", nil, nil, nil, nil, nil, "10/01/2024", nil, nil, nil, nil, "05/04/2024", nil},
			{"P2", nil, nil, nil, nil, nil, "10/01/2023", nil, nil, nil, nil, "05/07/2023", "01/12/2023"},
		}},
	)
	recs := read(t, path, "2024-05-31")
	e := engine(t)
	for id, want := range map[string]string{
		"P1": "icpc-timeliness S1 not_applicable",
		"P2": "icpc-timeliness S1 breach",
	} {
		if got := statuses(t, e, only(t, recs, id), "icpc-timeliness"); !slices.Equal(got, []string{want}) {
			t.Errorf("%s: %v, want %s", id, got, want)
		}
	}
}

func TestLacks(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range Lacks() {
		if g.Path == "" || g.Reason == "" || seen[g.Path] {
			t.Errorf("gap %+v", g)
		}
		seen[g.Path] = true
	}
	for _, p := range []string{"decision", "plans.visits", "plans.core_groups", "s47_enquiries.started", "assessments.seen"} {
		if !seen[p] {
			t.Errorf("Lacks() misses %s", p)
		}
	}
	// The facts Annex A does record are not lacking.
	for _, p := range []string{"received", "closed", "plans.started", "plans.ended", "conferences.date", "strategy_discussions", "strategy_discussions.date", "assessments.completed"} {
		if seen[p] {
			t.Errorf("Lacks() lists %s, which Annex A records", p)
		}
	}
	if Format != "annex-a" {
		t.Errorf("Format %q", Format)
	}
}

const sharedData = "../../../../shared/data/annex-a/"

// TestLiiaToolsSample reads the liia-tools synthetic workbook: sheets "List 3", headers in
// row 1, #N/A error cells, dates as serial numbers.
func TestLiiaToolsSample(t *testing.T) {
	path := sharedData + "annex-a-sample-liia-tools.xlsx"
	if _, err := os.Stat(path); err != nil {
		t.Skip("the shared Annex A sample is not here")
	}
	recs := read(t, path, "2021-03-31")
	if len(recs) != 27 {
		t.Errorf("got %d records, want 27 (the children of Lists 3 to 7)", len(recs))
	}
	for _, r := range recs {
		if r.Err != nil {
			t.Errorf("record %d (%s): %v", r.Index, r.CaseID, r.Err)
		}
	}
	// Child 6537810: List 3 row 2 (referral 44090, 16 September 2020) and List 5 row 3, whose
	// strategy discussion column (G3) holds 44090 and conference column (I3) 44109.
	c := only(t, recs, "6537810")
	if len(c.Referrals) != 1 {
		t.Fatalf("6537810: %s", jsonOf(t, c.Referrals))
	}
	r := c.Referrals[0]
	want := &record.Referral{
		ID: "R1", Received: d("2020-09-16"), Source: "other",
		StrategyDiscussions: []*record.StrategyDiscussion{{ID: "SD1", Date: d("2020-09-16")}},
		S47Enquiries:        []*record.S47Enquiry{{ID: "S1", StrategyDiscussionID: "SD1", Outcome: "icpc"}},
		Conferences:         []*record.Conference{{ID: "K1", Kind: "initial", S47ID: "S1", Date: d("2020-10-05"), Outcome: "plan"}},
	}
	if jsonOf(t, r) != jsonOf(t, want) {
		t.Errorf("6537810:\n got %s\nwant %s", jsonOf(t, r), jsonOf(t, want))
	}
	if c.Child.BirthDate != d("2004-07-18") || c.Organisation.Team != "Locality 3 Duty Team" {
		t.Errorf("6537810: %+v, team %q", c.Child, c.Organisation.Team)
	}
	// List 6's Allocated Team cells are #N/A error cells: not recorded.
	if c := only(t, recs, "12598894"); c.Organisation.Team != "" || c.Referrals[0].Received != d("2010-06-09") {
		t.Errorf("12598894: team %q, %s", c.Organisation.Team, jsonOf(t, c.Referrals))
	}
	e := engine(t)
	if got := statuses(t, e, c, "icpc-timeliness"); !slices.Equal(got, []string{"icpc-timeliness S1 met"}) {
		t.Errorf("6537810: %v", got)
	}
}

// TestOfstedTemplate reads Ofsted's template: sheets "List_3", a title in row 1, headers in
// row 2, five dummy referrals.
func TestOfstedTemplate(t *testing.T) {
	path := sharedData + "annex-a-ofsted-template-2019-08.xlsx"
	if _, err := os.Stat(path); err != nil {
		t.Skip("the shared Annex A template is not here")
	}
	recs := read(t, path, "2015-03-31")
	var got []string
	for _, r := range recs {
		if r.Err != nil {
			t.Fatalf("record %d: %v", r.Index, r.Err)
		}
		ref := r.Case.Referrals[0]
		got = append(got, fmt.Sprintf("%s %s %s %s %s %s", r.CaseID, r.Case.Child.BirthDate, ref.Received, ref.Source, ref.Outcome, r.Case.Organisation.Team))
	}
	want := []string{
		"1 2014-01-01 2015-03-15 schools no_further_action AT",
		"2 2014-01-01 2015-03-15 health_services  AT",
		"3 2014-01-01 2015-03-15 police no_further_action AT",
		"4 2014-01-01 2015-03-15 schools  AT",
		"5 2014-01-01 2015-03-15 schools  AT",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestFold(t *testing.T) {
	for _, pair := range [][2]string{
		{"Was the child assessed as requiring LA children’s social care support", "Was the child assessed as requiring LA children's social care support?"},
		{"LA In Touch ", "LA in Touch"},
		{"Subject to EPO (Y/N))", "Subject to EPO (Y/N)"},
		{"Date of referral", "DATE OF REFERRAL"},
	} {
		if fold(pair[0]) != fold(pair[1]) {
			t.Errorf("%q and %q fold apart", pair[0], pair[1])
		}
	}
	for _, name := range []string{"List 3", "List_3", "list3", "List 3 - Referrals"} {
		if names, at := sheetFor([]string{"Sheet1", name, "List 30"}, 3); at != 1 || len(names) != 1 {
			t.Errorf("sheet %q not found as List 3 (got %q, %d)", name, names, at)
		}
	}
}

// TestDate1904: a workbook saved in the 1904 date system counts serial dates from 1904.
func TestDate1904(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	on := true
	must(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}))
	must(t, f.SetSheetName("Sheet1", "List 3"))
	must(t, f.SetSheetRow("List 3", "A1", &[]any{"Child Unique ID", "Date of referral"}))
	must(t, f.SetSheetRow("List 3", "A2", &[]any{"D1", serial("2024-01-02") - 1462}))
	path := filepath.Join(t.TempDir(), "1904.xlsx")
	must(t, f.SaveAs(path))
	if got := only(t, read(t, path, "2024-03-31"), "D1").Referrals[0].Received; got != d("2024-01-02") {
		t.Errorf("received %s, want 2024-01-02", got)
	}
}

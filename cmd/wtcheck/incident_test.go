package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
)

// TestExplainIncident: explain takes an incident_id as it takes a case id, and judges the
// incident in force as check does, by the batch's arrangements: INC-2019-004, of the
// transition before its area published, under 2015.
func TestExplainIncident(t *testing.T) {
	code, out, stderr := run(t, "", "explain", "INC-2019-004", "../../fixtures/sample")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Incident INC-2019-004 (case C-0012), as at 2025-03-31\n",
		"  2019-05-13       INC-2019-004 the local authority became aware\n",
		"  2015 scr-timeliness INC-2019-004: from 2019-05-28, due 2019-11-28, 2019-12-20: breach\n",
		"  2015 scr-held INC-2019-004: met: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, " 2018 ") {
		t.Errorf("explained under 2018 too:\n%s", out)
	}
	code, out, _ = run(t, "", "explain", "--edition", "2023", "E08000025", "../../fixtures/sample")
	if code != 0 || !strings.Contains(out, "Arrangements of area E08000025, as at 2025-03-31\n") ||
		!strings.Contains(out, "  2023 partners-statutory-members E08000025: breach: ") {
		t.Errorf("explain an area: exit %d\n%s", code, out)
	}
}

// TestMixedBatchCountsEachKind: a batch of cases, incidents and arrangements counts each kind
// checked; a bad incident is a data error naming its file, record, id and field, never a
// value; a repeated incident_id is a duplicate of its own kind only (a case may share the id).
func TestMixedBatchCountsEachKind(t *testing.T) {
	dir := t.TempDir()
	batch := strings.Join([]string{
		`{"format": "wtcheck/case/v1", "case_id": "X-1", "extract_date": "2024-12-31", "referrals": [{"id": "R1", "received": "2024-06-03", "decision": "2024-06-04"}]}`,
		`{"format": "wtcheck/incident/v1", "incident_id": "X-1", "extract_date": "2024-12-31", "event": "death", "abuse_or_neglect": "suspected", "aware": "2024-06-03", "notified": {"panel": "2024-06-12"}}`,
		`{"format": "wtcheck/incident/v1", "incident_id": "X-1", "extract_date": "2024-12-31", "event": "death", "aware": "2024-06-03"}`,
		`{"format": "wtcheck/incident/v1", "incident_id": "X-2", "extract_date": "2024-12-31", "event": "drowning", "aware": "2024-13-03"}`,
		`{"format": "wtcheck/arrangements/v1", "area_id": "E1", "extract_date": "2024-12-31", "partners": {"published": "2019-06-28", "members": ["local_authority", "police", "icb"], "independent_scrutiny": true}}`,
	}, "\n") + "\n"
	path := filepath.Join(dir, "mixed.ndjson")
	if err := os.WriteFile(path, []byte(batch), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, "", "check", "--edition", "2023", "--format", "json", path)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep checker.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	s := rep.Summary
	if s.RecordsRead != 5 || s.Cases != 1 || s.Incidents != 1 || s.Arrangements != 1 || s.RecordsSkipped != 2 {
		t.Errorf("summary %+v", s)
	}
	var errs []string
	for _, e := range rep.Errors {
		errs = append(errs, e.CaseID+": "+e.Error)
	}
	want := []string{
		"X-1: incident_id duplicates that of record 2, which was checked",
		"X-2: event is not one of death, serious_harm; aware is not a real calendar date (YYYY-MM-DD)",
	}
	if strings.Join(errs, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s", strings.Join(errs, "\n"))
	}
	if strings.Contains(out, "drowning") {
		t.Error("an error quotes a value of the record")
	}
	_, text, _ := run(t, "", "check", "--edition", "2023", path)
	if !strings.Contains(text, "1 case, 1 incident and 1 area's arrangements checked as at 2024-12-31 (5 records read, 2 skipped)") ||
		!strings.Contains(text, "\nX-1   2023     serious-incident-notified   X-1            breach   2024-06-10  2024-06-12  2 wd late\n") {
		t.Errorf("text report:\n%s", text)
	}
}

// TestAuditShowsIncidentsAndArrangements: the audit page counts the incidents and areas
// checked and has a section for each kind; the workbook a sheet for each.
func TestAuditShowsIncidentsAndArrangements(t *testing.T) {
	_, page, stderr := run(t, "", "report", "../../fixtures/sample")
	if !strings.Contains(page, "</html>") {
		t.Fatalf("no page: %s", stderr)
	}
	if headline(t, page, "summary-incidents") != "7" || headline(t, page, "summary-arrangements") != "2" {
		t.Error("the headline does not count 7 incidents and 2 areas")
	}
	table := func(id string) string {
		i := strings.Index(page, `id="`+id+`"`)
		if i < 0 {
			t.Fatalf("no #%s", id)
		}
		return page[i : i+strings.Index(page[i:], "</table>")]
	}
	incidents, areas := table("incidents-table"), table("arrangements-table")
	for _, want := range []string{`<th scope="col">Incident</th>`, "<td>2023</td><td><code>serious-incident-notified</code></td><td>INC-2024-005</td>", "<td>2015</td><td><code>scr-timeliness</code></td><td>INC-2019-004</td>"} {
		if !strings.Contains(incidents, want) {
			t.Errorf("the incidents section lacks %q", want)
		}
	}
	for _, want := range []string{`<th scope="col">Area</th>`, "<td>2018</td><td><code>partners-arrangements-published</code></td><td>E08000025</td>"} {
		if !strings.Contains(areas, want) {
			t.Errorf("the arrangements section lacks %q", want)
		}
	}
	if strings.Contains(incidents, "not applicable") || strings.Contains(incidents, "C-00") {
		t.Error("the incidents section lists a finding that does not apply, or a case")
	}
}

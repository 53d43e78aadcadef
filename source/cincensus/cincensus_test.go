package cincensus

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
	"github.com/wtcheck/wtcheck/source"
)

// sharedDir holds the project's reference census files; tests that read them are skipped
// where it is absent.
const sharedDir = "../../../../shared/data/cin-census/"

func readString(t testing.TB, name, data string, opts Options) []source.Record {
	t.Helper()
	var recs []source.Record
	err := Read(strings.NewReader(data), name, opts, func(r source.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return recs
}

func readTestdata(t testing.TB, name string, opts Options) []source.Record {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return readString(t, name, string(data), opts)
}

// outcome is a record as the tests compare it: position, id, and the case as JSON or the
// error's text.
type outcome struct {
	Index  int
	CaseID string
	Err    string
}

func outcomes(recs []source.Record) []outcome {
	out := make([]outcome, len(recs))
	for i, r := range recs {
		out[i] = outcome{Index: r.Index, CaseID: r.CaseID}
		if r.Err != nil {
			out[i].Err = r.Err.Error()
		}
	}
	return out
}

// warningsOf lists the records' data warnings, one a line: "record N: path warning".
func warningsOf(recs []source.Record) []string {
	var out []string
	for _, r := range recs {
		for _, w := range r.Warnings {
			out = append(out, fmt.Sprintf("record %d: %s %s", r.Index, w.Path, w.Warning))
		}
	}
	return out
}

func sameWarnings(t *testing.T, got []source.Record, want []string) {
	t.Helper()
	if g := warningsOf(got); !slices.Equal(g, want) {
		t.Errorf("warnings:\n got %q\nwant %q", g, want)
	}
}

func sameOutcomes(t *testing.T, got []source.Record, want []outcome) {
	t.Helper()
	g := outcomes(got)
	if !slices.Equal(g, want) {
		t.Errorf("records:\n got %#v\nwant %#v", g, want)
	}
}

// sameJSON compares a value, written as JSON, with the JSON wanted.
func sameJSON(t *testing.T, what string, got any, want string) {
	t.Helper()
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: the wanted JSON does not parse: %v", what, err)
	}
	gb, _ := json.MarshalIndent(g, "", "  ")
	wb, _ := json.MarshalIndent(w, "", "  ")
	if !bytes.Equal(gb, wb) {
		t.Errorf("%s:\n got %s\nwant %s", what, gb, wb)
	}
}

var wantLacks = []string{
	"decision", "strategy_discussions",
	"assessments.seen", "assessments.seen_alone", "assessments.wishes_recorded",
	"s47_enquiries.completed", "s47_enquiries.seen", "s47_enquiries.seen_alone",
	"s47_enquiries.wishes_recorded", "s47_enquiries.not_seen_reason",
	"conferences.chair_independent", "conferences.notified",
	"plans.core_groups", "plans.visits", "plans.end_reason",
	"homeless", "housing_referral", "housing_referral_refused", "early_help_considered", "child.circumstances",
}

func wantLacksWithProxy() []string {
	out := slices.Clone(wantLacks)
	out[1] = "strategy_discussions.agencies"
	return out
}

func TestLacks(t *testing.T) {
	if Format != "cin-census" {
		t.Errorf("Format = %q", Format)
	}
	for _, tc := range []struct {
		opts Options
		want []string
	}{{Options{}, wantLacks}, {Options{S47StartAsStrategyDiscussion: true}, wantLacksWithProxy()}} {
		gaps := Lacks(tc.opts)
		var paths []string
		for _, g := range gaps {
			paths = append(paths, g.Path)
			if !strings.HasPrefix(g.Reason, "the ") || strings.HasSuffix(g.Reason, ".") {
				t.Errorf("%s: reason %q: want a clause starting with \"the\", no full stop", g.Path, g.Reason)
			}
		}
		if !slices.Equal(paths, tc.want) {
			t.Errorf("Lacks(%+v) paths:\n got %q\nwant %q", tc.opts, paths, tc.want)
		}
	}
}

// The three children of testdata/full.xml, every mapped element, as case records.
const (
	wantFull1 = `{
  "format": "wtcheck/case/v1", "case_id": "C-FULL-1", "extract_date": "2024-03-31", "organisation": {},
  "child": {"id": "C-FULL-1", "birth_date": "2015-06-01", "expected_birth_date": null, "disabled": true, "circumstances": null},
  "referrals": [
    {"id": "R1", "received": "2024-01-02", "decision": null, "source": "6", "closed": null,
     "assessments": [
       {"id": "A1", "kind": "single", "started": "2024-01-03", "completed": "2024-02-20", "seen": null, "seen_alone": false, "wishes_recorded": false},
       {"id": "A2", "kind": "single", "started": "2024-03-01", "completed": null, "seen": null, "seen_alone": false, "wishes_recorded": false}],
     "strategy_discussions": null,
     "s47_enquiries": [
       {"id": "S1", "started": "2024-01-04", "completed": null, "seen": null, "seen_alone": false, "wishes_recorded": false, "outcome": "icpc"},
       {"id": "S2", "started": "2024-03-10", "completed": null, "seen": null, "seen_alone": false, "wishes_recorded": false}],
     "conferences": [
       {"id": "K1", "kind": "initial", "s47_id": "S1", "notified": null, "date": "2024-01-24", "chair_independent": false},
       {"id": "K2", "kind": "review", "plan_id": "P2", "notified": null, "date": "2024-03-20", "chair_independent": false}],
     "plans": [
       {"id": "P1", "kind": "child_in_need", "started": "2024-02-21", "ended": null, "core_groups": null, "visits": null},
       {"id": "P2", "kind": "child_protection", "started": "2024-01-24", "ended": null, "category": "emotional", "core_groups": null, "visits": null}],
     "housing_referral": null, "housing_referral_refused": false, "homeless": false, "early_help_considered": null},
    {"id": "R2", "received": "2022-05-03", "decision": null, "source": "1A", "closed": "2022-08-30",
     "assessments": [],
     "strategy_discussions": null,
     "s47_enquiries": [
       {"id": "S1", "started": "2022-05-05", "completed": null, "seen": null, "seen_alone": false, "wishes_recorded": false, "outcome": "no_further_action"},
       {"id": "S2", "started": "2022-06-01", "completed": null, "seen": null, "seen_alone": false, "wishes_recorded": false, "outcome": "icpc"}],
     "conferences": [
       {"id": "K1", "kind": "initial", "s47_id": "S2", "notified": null, "date": "2022-06-20", "chair_independent": false},
       {"id": "K2", "kind": "review", "plan_id": "P1", "notified": null, "date": "2022-08-01", "chair_independent": false},
       {"id": "K3", "kind": "review", "plan_id": "P1", "notified": null, "date": "2022-08-30", "chair_independent": false}],
     "plans": [
       {"id": "P1", "kind": "child_protection", "started": "2022-06-20", "ended": "2022-08-30", "category": "multiple", "core_groups": null, "visits": null}],
     "housing_referral": null, "housing_referral_refused": false, "homeless": false, "early_help_considered": null},
    {"id": "R3", "received": "2023-04-01", "decision": null, "source": "2A", "outcome": "no_further_action", "closed": "2023-04-02",
     "assessments": [], "strategy_discussions": null, "s47_enquiries": [], "conferences": [], "plans": [],
     "housing_referral": null, "housing_referral_refused": false, "homeless": false, "early_help_considered": null}],
  "provenance": {"format": "cin-census", "lacks": LACKS}
}`
	wantFull2 = `{
  "format": "wtcheck/case/v1", "case_id": "C-FULL-2", "extract_date": "2024-03-31", "organisation": {},
  "child": {"id": "C-FULL-2", "birth_date": null, "expected_birth_date": "2024-06-15", "disabled": false, "circumstances": null},
  "referrals": [
    {"id": "R1", "received": "2024-02-01", "decision": null, "source": "3B", "outcome": "no_further_action", "closed": null,
     "assessments": [], "strategy_discussions": null, "s47_enquiries": [],
     "conferences": [{"id": "K1", "kind": "initial", "notified": null, "date": "2024-02-20", "chair_independent": false}],
     "plans": [],
     "housing_referral": null, "housing_referral_refused": false, "homeless": false, "early_help_considered": null},
    {"id": "R2", "received": "2024-03-01", "decision": null, "source": "5A", "closed": null,
     "assessments": [], "strategy_discussions": null,
     "s47_enquiries": [
       {"id": "S1", "started": "2024-03-02", "completed": null, "seen": null, "seen_alone": false, "wishes_recorded": false, "outcome": "no_further_action"}],
     "conferences": [{"id": "K1", "kind": "initial", "s47_id": "S1", "notified": null, "date": "2024-03-20", "chair_independent": false}],
     "plans": [],
     "housing_referral": null, "housing_referral_refused": false, "homeless": false, "early_help_considered": null}],
  "provenance": {"format": "cin-census", "lacks": LACKS}
}`
	wantFull3 = `{
  "format": "wtcheck/case/v1", "case_id": "C-FULL-3", "extract_date": "2024-03-31", "organisation": {},
  "child": {"id": "C-FULL-3", "birth_date": "2008-02-29", "expected_birth_date": null, "disabled": false, "circumstances": null},
  "referrals": [
    {"id": "R1", "received": "2023-10-01", "decision": null, "source": "10", "closed": "2023-11-30",
     "assessments": [], "strategy_discussions": null, "s47_enquiries": [], "conferences": [],
     "plans": [{"id": "P1", "kind": "child_in_need", "started": "2023-10-15", "ended": "2023-11-30", "core_groups": null, "visits": null}],
     "housing_referral": null, "housing_referral_refused": false, "homeless": false, "early_help_considered": null}],
  "provenance": {"format": "cin-census", "lacks": LACKS}
}`
)

func withLacks(want string, lacks []string) string {
	b, _ := json.Marshal(lacks)
	return strings.Replace(want, "LACKS", string(b), 1)
}

func TestEveryMappedElement(t *testing.T) {
	recs := readTestdata(t, "full.xml", Options{})
	sameOutcomes(t, recs, []outcome{{1, "C-FULL-1", ""}, {2, "C-FULL-2", ""}, {3, "C-FULL-3", ""}})
	if len(recs) != 3 {
		t.FailNow()
	}
	for i, want := range []string{wantFull1, wantFull2, wantFull3} {
		if recs[i].File != "full.xml" || recs[i].Case == nil {
			t.Fatalf("record %d: File %q, Case %v", i+1, recs[i].File, recs[i].Case)
		}
		sameJSON(t, recs[i].CaseID, recs[i].Case, withLacks(want, wantLacks))
		if err := record.Validate(recs[i].Case); err != nil {
			t.Errorf("%s: %v", recs[i].CaseID, err)
		}
	}
}

func TestStrategyDiscussionProxy(t *testing.T) {
	recs := readTestdata(t, "full.xml", Options{S47StartAsStrategyDiscussion: true})
	sameOutcomes(t, recs, []outcome{{1, "C-FULL-1", ""}, {2, "C-FULL-2", ""}, {3, "C-FULL-3", ""}})
	if len(recs) != 3 {
		t.FailNow()
	}
	// The same records, with a discussion per enquiry that has a start date, named by it.
	want := withLacks(wantFull1, wantLacksWithProxy())
	for _, r := range []struct{ from, to string }{
		{`"strategy_discussions": null,
     "s47_enquiries": [
       {"id": "S1", "started": "2024-01-04",`, `"strategy_discussions": [{"id": "SD-S1", "date": "2024-01-04", "agencies": null}, {"id": "SD-S2", "date": "2024-03-10", "agencies": null}],
     "s47_enquiries": [
       {"id": "S1", "strategy_discussion_id": "SD-S1", "started": "2024-01-04",`},
		{`{"id": "S2", "started": "2024-03-10",`, `{"id": "S2", "strategy_discussion_id": "SD-S2", "started": "2024-03-10",`},
		{`"strategy_discussions": null,
     "s47_enquiries": [
       {"id": "S1", "started": "2022-05-05",`, `"strategy_discussions": [{"id": "SD-S1", "date": "2022-05-05", "agencies": null}, {"id": "SD-S2", "date": "2022-06-01", "agencies": null}],
     "s47_enquiries": [
       {"id": "S1", "strategy_discussion_id": "SD-S1", "started": "2022-05-05",`},
		{`{"id": "S2", "started": "2022-06-01",`, `{"id": "S2", "strategy_discussion_id": "SD-S2", "started": "2022-06-01",`},
		{`"assessments": [], "strategy_discussions": null, "s47_enquiries": []`, `"assessments": [], "strategy_discussions": [], "s47_enquiries": []`},
		{`"provenance": {"format": "cin-census",`, `"provenance": {"proxies": ["strategy_discussions.date: section 47 start date (S47ActualStartDate), as in the DfE's statistics"], "format": "cin-census",`},
	} {
		if !strings.Contains(want, r.from) {
			t.Fatalf("the wanted record has no %q", r.from)
		}
		want = strings.Replace(want, r.from, r.to, 1)
	}
	sameJSON(t, "C-FULL-1 with the proxy", recs[0].Case, want)

	// An enquiry with no start date gets no discussion.
	recs = readString(t, "nostart.xml", censusXML("2024-03-31", childXML("N-1", `<CINdetails><CINreferralDate>2024-01-02</CINreferralDate>
		<Section47><ICPCnotRequired>false</ICPCnotRequired></Section47><ReferralNFA>false</ReferralNFA></CINdetails>`)), Options{S47StartAsStrategyDiscussion: true})
	sameOutcomes(t, recs, []outcome{{1, "N-1", ""}})
	if r := recs[0].Case.Referrals[0]; len(r.StrategyDiscussions) != 0 || r.StrategyDiscussions == nil || r.S47Enquiries[0].StrategyDiscussionID != "" {
		t.Errorf("discussions %v, enquiry %+v", r.StrategyDiscussions, r.S47Enquiries[0])
	}
}

// censusXML wraps children in a return with the reference date given, one element a line.
func censusXML(ref string, children ...string) string {
	return "<Message>\n<Header>\n<CollectionDetails>\n<ReferenceDate>" + ref + "</ReferenceDate>\n</CollectionDetails>\n</Header>\n<Children>\n" +
		strings.Join(children, "\n") + "\n</Children>\n</Message>\n"
}

// childXML is a Child with an id and the CINdetails given.
func childXML(id, details string) string {
	return "<Child>\n<ChildIdentifiers>\n<LAchildID>" + id + "</LAchildID>\n<PersonBirthDate>2015-01-01</PersonBirthDate>\n<GenderCurrent>1</GenderCurrent>\n</ChildIdentifiers>\n" +
		"<ChildCharacteristics>\n<Ethnicity>WBRI</Ethnicity>\n</ChildCharacteristics>\n" + details + "\n</Child>"
}

func TestCensusYears(t *testing.T) {
	want := `{
  "format": "wtcheck/case/v1", "case_id": "Y-1", "extract_date": "2019-03-31", "organisation": {},
  "child": {"id": "Y-1", "birth_date": "2012-09-14", "expected_birth_date": null, "disabled": true, "circumstances": null},
  "referrals": [
    {"id": "R1", "received": "2018-10-01", "decision": null, "source": "2A", "closed": null,
     "assessments": [{"id": "A1", "kind": "single", "started": "2018-10-02", "completed": "2018-11-20", "seen": null, "seen_alone": false, "wishes_recorded": false}],
     "strategy_discussions": null,
     "s47_enquiries": [{"id": "S1", "started": "2018-10-03", "completed": null, "seen": null, "seen_alone": false, "wishes_recorded": false, "outcome": "icpc"}],
     "conferences": [
       {"id": "K1", "kind": "initial", "s47_id": "S1", "notified": null, "date": "2018-10-29", "chair_independent": false},
       {"id": "K2", "kind": "review", "plan_id": "P1", "notified": null, "date": "2019-01-28", "chair_independent": false}],
     "plans": [{"id": "P1", "kind": "child_protection", "started": "2018-10-29", "ended": null, "category": "neglect", "core_groups": null, "visits": null}],
     "housing_referral": null, "housing_referral_refused": false, "homeless": false, "early_help_considered": null}],
  "provenance": {"format": "cin-census", "lacks": LACKS}
}`
	for _, file := range []string{"year2018.xml", "year2024.xml", "year2026.xml"} {
		t.Run(file, func(t *testing.T) {
			recs := readTestdata(t, file, Options{})
			sameOutcomes(t, recs, []outcome{{1, "Y-1", ""}})
			if len(recs) == 1 {
				sameJSON(t, file, recs[0].Case, withLacks(want, wantLacks))
			}
		})
	}
}

func TestYesNo(t *testing.T) {
	nfa := func(v string) string {
		return childXML("YN", "<CINdetails>\n<CINreferralDate>2024-01-02</CINreferralDate>\n<ReferralNFA>"+v+"</ReferralNFA>\n</CINdetails>")
	}
	notRequired := func(v string) string {
		return childXML("YN", "<CINdetails>\n<CINreferralDate>2024-01-02</CINreferralDate>\n<Section47>\n<S47ActualStartDate>2024-01-03</S47ActualStartDate>\n<ICPCnotRequired>"+v+"</ICPCnotRequired>\n</Section47>\n<ReferralNFA>0</ReferralNFA>\n</CINdetails>")
	}
	for _, tc := range []struct {
		value string
		yes   bool
	}{
		{"true", true}, {"false", false}, {"TRUE", true}, {"FALSE", false}, {"1", true}, {"0", false},
		{"True", true}, {"fAlSe", false}, {" true ", true}, {"\r\n\t0\r\n", false}, {"", false},
	} {
		recs := readString(t, "yn.xml", censusXML("2024-03-31", nfa(tc.value), notRequired(tc.value)), Options{})
		sameOutcomes(t, recs, []outcome{{1, "YN", ""}, {2, "YN", ""}})
		if len(recs) != 2 {
			continue
		}
		want := ""
		if tc.yes {
			want = "no_further_action"
		}
		if got := recs[0].Case.Referrals[0].Outcome; got != want {
			t.Errorf("ReferralNFA %q: outcome %q, want %q", tc.value, got, want)
		}
		if got := recs[1].Case.Referrals[0].S47Enquiries[0].Outcome; got != want {
			t.Errorf("ICPCnotRequired %q: outcome %q, want %q", tc.value, got, want)
		}
	}
	for _, bad := range []string{"yes", "Y", "2", "-1", "true false", "01"} {
		recs := readString(t, "yn.xml", censusXML("2024-03-31", nfa(bad), notRequired(bad)), Options{})
		sameOutcomes(t, recs, []outcome{
			{1, "YN", "line 19: CINdetails[1]/ReferralNFA is not a yes/no value (true/false, TRUE/FALSE or 1/0)"},
			{2, "YN", "line 35: CINdetails[1]/Section47[1]/ICPCnotRequired is not a yes/no value (true/false, TRUE/FALSE or 1/0)"},
		})
		for _, r := range recs {
			if r.Err != nil && strings.Contains(strings.TrimPrefix(r.Err.Error(), "line "), ">"+bad+"<") {
				t.Errorf("the error quotes the value %q: %v", bad, r.Err)
			}
		}
	}
}

func TestDates(t *testing.T) {
	received := func(v string) string {
		return childXML("D", "<CINdetails>\n<CINreferralDate>"+v+"</CINreferralDate>\n<ReferralNFA>0</ReferralNFA>\n</CINdetails>")
	}
	for _, tc := range []struct{ value, want, err string }{
		{"2024-01-02", "2024-01-02", ""},
		{" \r\n2024-01-02\t", "2024-01-02", ""},
		{"2024-01-02Z", "2024-01-02", ""},
		{"2024-01-02+01:00", "2024-01-02", ""},
		{"2024-01-02-05:00", "2024-01-02", ""},
		{"2024-03-31", "2024-03-31", ""}, // the reference date itself
		{"2024-04-01", "2024-04-01", ""}, // after it: kept, with a warning
		{"2024-1-2", "", "is not a date in the form YYYY-MM-DD"},
		{"02/01/2024", "", "is not a date in the form YYYY-MM-DD"},
		{"2024-01-02T00:00:00", "", "is not a date in the form YYYY-MM-DD"},
		{"2024-01-02+1:00", "", "is not a date in the form YYYY-MM-DD"},
		{"2023-02-29", "", "is not a real calendar date from 1900 to 2200"},
		{"1899-12-31", "", "is not a real calendar date from 1900 to 2200"},
		{"", "", "line 17: CINdetails[1] has no CINreferralDate"},
	} {
		recs := readString(t, "dates.xml", censusXML("2024-03-31", received(tc.value)), Options{})
		if tc.err != "" {
			want := tc.err
			if !strings.HasPrefix(want, "line") {
				want = "line 18: CINdetails[1]/CINreferralDate " + want
			}
			sameOutcomes(t, recs, []outcome{{1, "D", want}})
			continue
		}
		sameOutcomes(t, recs, []outcome{{1, "D", ""}})
		var warnings []string
		if tc.value == "2024-04-01" {
			warnings = []string{"record 1: CINdetails[1]/CINreferralDate on line 18 is after the return's ReferenceDate: counted as not yet happened"}
		}
		sameWarnings(t, recs, warnings)
		if len(recs) == 1 && recs[0].Case != nil {
			if got := recs[0].Case.Referrals[0].Received.String(); got != tc.want {
				t.Errorf("%q: received %s, want %s", tc.value, got, tc.want)
			}
		}
	}
}

// TestQuirks reads full.xml as real returns come: a byte-order mark, CRLF line ends, text
// between elements, comments, a default namespace and white space around values.
func TestQuirks(t *testing.T) {
	data, err := os.ReadFile("testdata/full.xml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, r := range []struct{ from, to string }{
		{"<Message>", `<Message xmlns="http://www.example.org/cin-census">`},
		{"</UPN>", "</UPN>PersonBirthDate"},
		{"</LAchildID>", "</LAchildID> stray text &amp; more "},
		{"</CINreferralDate>", "</CINreferralDate><!-- a comment -->x"},
		{"<CPPstartDate>2024-01-24", "<CPPstartDate>\n\t 2024-01-24 \n"},
		{"</Assessments>", "</Assessments>Assessments"},
		{"</Section47>", "</Section47>\n  1\n"},
		{"</Children>", "</Children>trailing"},
	} {
		if !strings.Contains(s, r.from) {
			t.Fatalf("full.xml has no %q", r.from)
		}
		s = strings.ReplaceAll(s, r.from, r.to)
	}
	s = "\xef\xbb\xbf" + strings.ReplaceAll(s, "\n", "\r\n")
	got := readString(t, "quirks.xml", s, Options{})
	want := readTestdata(t, "full.xml", Options{})
	sameOutcomes(t, got, outcomes(want))
	for i := range min(len(got), len(want)) {
		wb, _ := json.Marshal(want[i].Case)
		sameJSON(t, got[i].CaseID, got[i].Case, string(wb))
	}
}

func TestEncodings(t *testing.T) {
	doc := func(enc, id string) string {
		return `<?xml version="1.0" encoding="` + enc + `"?>` + "\n" + censusXML("2024-03-31", childXML(id, "<CINdetails>\n<CINreferralDate>2024-01-02</CINreferralDate>\n<ReferralNFA>0</ReferralNFA>\n</CINdetails>"))
	}
	for _, tc := range []struct{ enc, id, want string }{
		{"UTF-8", "C\u00e91", "C\u00e91"},
		{"utf-8", "C1", "C1"},
		{"US-ASCII", "C1", "C1"},
		{"ISO-8859-1", "C\xe91", "C\u00e91"},
		{"latin1", "C\x85\xe91", "C\u0085\u00e91"},
		{"windows-1252", "C\x80\xe9\x851", "C\u20ac\u00e9\u20261"},
	} {
		recs := readString(t, tc.enc, doc(tc.enc, tc.id), Options{})
		sameOutcomes(t, recs, []outcome{{1, tc.want, ""}})
	}
	recs := readString(t, "ebcdic.xml", doc("EBCDIC-US", "C1"), Options{})
	sameOutcomes(t, recs, []outcome{{1, "", `read: xml: opening charset "EBCDIC-US": the encoding is not one the importer reads (UTF-8, US-ASCII, ISO-8859-1, windows-1252): save the return as UTF-8; the rest of the file could not be read`}})
	recs = readString(t, "latin1-as-utf8.xml", doc("UTF-8", "C\xe91"), Options{})
	sameOutcomes(t, recs, []outcome{{1, "", "line 11: malformed XML: the text is not valid UTF-8 (is the declared encoding right?), in the Child that starts on line 9; the rest of the file could not be read"}})
}

func TestDataErrorsSkipOneChild(t *testing.T) {
	recs := readTestdata(t, "malformed.xml", Options{})
	sameOutcomes(t, recs, []outcome{
		{1, "OK-1", ""},
		{2, "BAD-DATE", "line 24: ChildIdentifiers/PersonBirthDate is not a real calendar date from 1900 to 2200\n" +
			"line 28: CINdetails[1]/CINclosureDate is not a date in the form YYYY-MM-DD"},
		{3, "BAD-YESNO", "line 41: CINdetails[1]/Section47[1]/ICPCnotRequired is not a yes/no value (true/false, TRUE/FALSE or 1/0)\n" +
			"line 43: CINdetails[1]/ReferralNFA is not a yes/no value (true/false, TRUE/FALSE or 1/0)"},
		{4, "", "line 46: Child has no LAchildID"},
		{5, "NO-REFERRAL-DATE", "line 64: CINdetails[2] has no CINreferralDate"},
		{6, "AFTER-REFERENCE-DATE", ""}, // events after the ReferenceDate: checked, with warnings
		{7, "OK-2", ""},
	})
	sameWarnings(t, recs, []string{
		"record 6: CINdetails[1]/CINPlanDates[1]/CINPlanStartDate on line 76 is after the return's ReferenceDate: counted as not yet happened",
		"record 6: CINdetails[1]/ChildProtectionPlans[1]/Reviews/CPPreviewDate[2] on line 83 is after the return's ReferenceDate: counted as not yet happened",
	})
	for _, r := range recs {
		if (r.Err == nil) == (r.Case == nil) {
			t.Errorf("record %d: want a case or an error, not both or neither", r.Index)
		}
		if r.Err != nil {
			for _, value := range []string{"2015-02-30", "10/02/2024", "maybe", ">yes<", "2024-04-01", "2025-03-01", "A123456789012"} {
				if strings.Contains(r.Err.Error(), value) {
					t.Errorf("record %d: the error quotes a value: %v", r.Index, r.Err)
				}
			}
		}
	}
}

func TestMalformedXMLStopsTheFile(t *testing.T) {
	data, err := os.ReadFile("testdata/full.xml")
	if err != nil {
		t.Fatal(err)
	}
	full := string(data)
	cut := func(at string) string {
		i := strings.Index(full, at)
		if i < 0 {
			t.Fatalf("full.xml has no %q", at)
		}
		return full[:i]
	}
	for _, tc := range []struct {
		name, data string
		want       []outcome
	}{{
		"truncated inside a child",
		cut("<ExpectedPersonBirthDate>"),
		[]outcome{{1, "C-FULL-1", ""}, {2, "C-FULL-2", "line 115: malformed XML: the file ends in the middle of an element (is it cut short?), in the Child that starts on line 111; the rest of the file could not be read"}},
	}, {
		"truncated between children",
		cut("    <Child>\n      <ChildIdentifiers>\n        <LAchildID> C-FULL-2"),
		[]outcome{{1, "C-FULL-1", ""}, {2, "", "line 111: malformed XML: the file ends in the middle of an element (is it cut short?); the rest of the file could not be read"}},
	}, {
		"truncated inside a tag",
		cut("<LAchildID>C-FULL-3") + "<LAch",
		[]outcome{{1, "C-FULL-1", ""}, {2, "C-FULL-2", ""}, {3, "", "line 143: malformed XML: the file ends in the middle of an element (is it cut short?), in the Child that starts on line 141; the rest of the file could not be read"}},
	}, {
		"mismatched end tag",
		strings.Replace(full, "</UPNunknown>", "</UPNUnknown>", 1),
		[]outcome{{1, "C-FULL-1", ""}, {2, "C-FULL-2", "line 114: malformed XML: an element is closed by the end tag of another, in the Child that starts on line 111; the rest of the file could not be read"}},
	}, {
		"unknown entity in a value",
		strings.Replace(full, "C-FULL-2", "C-&Smith;", 1),
		[]outcome{{1, "C-FULL-1", ""}, {2, "", "line 113: malformed XML: an unknown or malformed character entity (&…;), in the Child that starts on line 111; the rest of the file could not be read"}},
	}, {
		"end tag closing another",
		strings.Replace(full, "</Child>\n    <Child>", "</Child></CINdetails>\n    <Child>", 1),
		[]outcome{{1, "C-FULL-1", ""}, {2, "", "line 110: malformed XML: an element is closed by the end tag of another; the rest of the file could not be read"}},
	}, {
		"end tag with no start",
		full + "</Extra>\n",
		[]outcome{{1, "C-FULL-1", ""}, {2, "C-FULL-2", ""}, {3, "C-FULL-3", ""}, {4, "", "line 165: malformed XML: an end tag matches no start tag; the rest of the file could not be read"}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			recs := readString(t, "bad.xml", tc.data, Options{})
			sameOutcomes(t, recs, tc.want)
			for _, r := range recs {
				if r.Err != nil && strings.Contains(r.Err.Error(), "Smith") {
					t.Errorf("the error quotes the file: %v", r.Err)
				}
			}
		})
	}
}

func TestReferenceDateRequired(t *testing.T) {
	one := childXML("C-1", "<CINdetails>\n<CINreferralDate>2024-01-02</CINreferralDate>\n<ReferralNFA>0</ReferralNFA>\n</CINdetails>")
	noRef := "no ReferenceDate (Message/Header/CollectionDetails/ReferenceDate) before the first Child: every record needs the return's as-of date, so nothing was read"
	for _, tc := range []struct{ name, data, err string }{
		{"none", "<Message><Header><CollectionDetails><Year>2024</Year></CollectionDetails></Header><Children>" + one + one + "</Children></Message>", noRef},
		{"after the children", "<Message><Children>" + one + "</Children><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header></Message>", noRef},
		{"empty file", "", noRef},
		{"not XML", `{"case_id": "C-1"}`, noRef},
		{"not a date", "<Message>\n<Header>\n<CollectionDetails>\n<ReferenceDate>31/03/2024</ReferenceDate></CollectionDetails></Header><Children>" + one + "</Children></Message>",
			"line 4: ReferenceDate is not a date in the form YYYY-MM-DD: every record needs the return's as-of date, so nothing was read"},
		{"empty", "<Message><Header><CollectionDetails><ReferenceDate/></CollectionDetails></Header><Children>" + one + "</Children></Message>",
			"line 1: ReferenceDate is empty: every record needs the return's as-of date, so nothing was read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sameOutcomes(t, readString(t, "ref.xml", tc.data, Options{}), []outcome{{0, "", tc.err}})
		})
	}
	// With a reference date and no children, there is nothing to report.
	if recs := readString(t, "empty.xml", censusXML("2024-03-31"), Options{}); len(recs) != 0 {
		t.Errorf("a return with no children gave %v", outcomes(recs))
	}
}

func TestCallbackErrorStops(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	f, err := os.Open("testdata/full.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = Read(f, "full.xml", Options{}, func(source.Record) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("err %v after %d calls; want stop after 1", err, calls)
	}
}

func TestReadFile(t *testing.T) {
	var recs []source.Record
	collect := func(r source.Record) error { recs = append(recs, r); return nil }
	if err := ReadFile("testdata/full.xml", Options{}, collect); err != nil {
		t.Fatal(err)
	}
	sameOutcomes(t, recs, []outcome{{1, "C-FULL-1", ""}, {2, "C-FULL-2", ""}, {3, "C-FULL-3", ""}})
	if recs[0].File != "testdata/full.xml" {
		t.Errorf("File %q", recs[0].File)
	}
	recs = nil
	if err := ReadFile("testdata/no-such-file.xml", Options{}, collect); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Index != 0 || recs[0].File != "testdata/no-such-file.xml" || recs[0].Err == nil ||
		!strings.HasPrefix(recs[0].Err.Error(), "open: ") {
		t.Errorf("a missing file gave %v", outcomes(recs))
	}
}

// generated writes a return of n children; bad says which child has which defect: "" for
// none, "date", "yesno", "id" (no LAchildID) or "late" (an event after the reference date).
func generated(w io.Writer, n int, bad func(i int) string) {
	fmt.Fprint(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n      <Collection>CIN</Collection>\n      <Year>2024</Year>\n      <ReferenceDate>2024-03-31</ReferenceDate>\n    </CollectionDetails>\n  </Header>\n  <Children>\n")
	for i := 1; i <= n; i++ {
		writeChild(w, i, bad(i))
	}
	fmt.Fprint(w, "  </Children>\n</Message>\n")
}

func writeChild(w io.Writer, i int, defect string) {
	id, birth, nfa, review := fmt.Sprintf("<LAchildID>G%07d</LAchildID>", i), "2016-05-17", "false", "2023-12-14"
	switch defect {
	case "date":
		birth = "2016-13-17"
	case "yesno":
		nfa = "no"
	case "id":
		id = ""
	case "late":
		review = "2024-12-14"
	}
	fmt.Fprintf(w, `    <Child>
      <ChildIdentifiers>
        %s
        <UPN>A%012d</UPN>
        <PersonBirthDate>%s</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2023-09-01</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>2023-09-04</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2023-10-20</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>3A</AssessmentFactors></FactorsIdentifiedAtAssessment>
        </Assessments>
        <Section47>
          <S47ActualStartDate>2023-09-05</S47ActualStartDate>
          <InitialCPCtarget>2023-09-26</InitialCPCtarget>
          <DateOfInitialCPC>2023-09-25</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ReferralNFA>%s</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2023-09-25</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews><CPPreviewDate>%s</CPPreviewDate><CPPreviewDate>2024-03-14</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
`, id, i, birth, nfa, review)
}

func defectOf(i int) string {
	switch {
	case i%29 == 0:
		return "id"
	case i%13 == 0:
		return "late"
	case i%7 == 0:
		return "yesno"
	case i%5 == 0:
		return "date"
	}
	return ""
}

// TestNoChildLost: every child in gives exactly one record out, in order, errors counted; a
// review dated after the ReferenceDate is a warning on a record still read.
func TestNoChildLost(t *testing.T) {
	const n = 1000
	var buf bytes.Buffer
	generated(&buf, n, defectOf)
	recs := readString(t, "generated.xml", buf.String(), Options{})
	if len(recs) != n {
		t.Fatalf("%d children in, %d records out", n, len(recs))
	}
	wantErrs, errs, wantLate, late := 0, 0, 0, 0
	for i, r := range recs {
		defect := defectOf(i + 1)
		bad := defect != "" && defect != "late"
		if bad {
			wantErrs++
		}
		if defect == "late" {
			wantLate++
		}
		if r.Err != nil {
			errs++
		}
		late += len(r.Warnings)
		wantID := fmt.Sprintf("G%07d", i+1)
		if defect == "id" {
			wantID = ""
		}
		if r.Index != i+1 || r.CaseID != wantID || (r.Err != nil) != bad || (r.Case == nil) != bad || (len(r.Warnings) == 1) != (defect == "late") {
			t.Errorf("record %d: index %d, id %q, err %v, %d warnings; want defect %q", i+1, r.Index, r.CaseID, r.Err, len(r.Warnings), defect)
		}
	}
	if errs != wantErrs || wantErrs != 315 {
		t.Errorf("%d errors, want %d (315)", errs, wantErrs)
	}
	if late != wantLate || wantLate != 74 {
		t.Errorf("%d warnings, want %d (74)", late, wantLate)
	}
}

// childStream generates a return of n children as it is read, so that a test can read more
// children than it could hold.
type childStream struct {
	n, next int
	buf     bytes.Buffer
}

func (s *childStream) Read(p []byte) (int, error) {
	for s.buf.Len() < len(p) && s.next <= s.n+1 {
		switch {
		case s.next == 0:
			fmt.Fprint(&s.buf, "<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header><Children>\n")
		case s.next <= s.n:
			writeChild(&s.buf, s.next, "")
		default:
			fmt.Fprint(&s.buf, "</Children></Message>\n")
		}
		s.next++
	}
	if s.buf.Len() == 0 {
		return 0, io.EOF
	}
	return s.buf.Read(p)
}

// TestMemoryDoesNotGrow reads 6,000 children (about 9 MB) and checks that the heap after the
// last is no bigger than after the 1,000th: keeping as little as 100 bytes a child would fail.
func TestMemoryDoesNotGrow(t *testing.T) {
	const n = 6000
	var early, late runtime.MemStats
	records := 0
	err := Read(&childStream{n: n}, "stream.xml", Options{}, func(r source.Record) error {
		records++
		if r.Err != nil {
			return r.Err
		}
		switch r.Index {
		case 1000:
			runtime.GC()
			runtime.ReadMemStats(&early)
		case n:
			runtime.GC()
			runtime.ReadMemStats(&late)
		}
		return nil
	})
	if err != nil || records != n {
		t.Fatalf("err %v, %d records", err, records)
	}
	t.Logf("heap after child 1,000: %d bytes; after child %d: %d bytes", early.HeapAlloc, n, late.HeapAlloc)
	if growth := int64(late.HeapAlloc) - int64(early.HeapAlloc); growth > 400<<10 {
		t.Errorf("the heap grew by %d bytes from child 1,000 to child %d", growth, n)
	}
}

// TestChecksCensusRecords runs the 2023 pack on an imported child: what the census cannot
// record gives insufficient_data, and the proxy makes the conference timescale checkable.
func TestChecksCensusRecords(t *testing.T) {
	e, err := rules.Engine("2023")
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ rule, referral, subject string }
	statuses := func(opts Options) map[key]checker.Status {
		recs := readTestdata(t, "full.xml", opts)
		findings, evalErrs := e.Check(recs[0].Case, record.Date{})
		if len(evalErrs) > 0 {
			t.Fatalf("evaluation errors: %v", evalErrs)
		}
		out := map[key]checker.Status{}
		for _, f := range findings {
			out[key{f.Rule, f.Referral, f.Subject}] = f.Status
		}
		return out
	}
	for _, tc := range []struct {
		opts Options
		want map[key]checker.Status
	}{{Options{}, map[key]checker.Status{
		{"referral-decision-timeliness", "R1", "R1"}:   checker.StatusInsufficientData,
		{"assessment-timeliness", "R1", "A1"}:          checker.StatusMet,
		{"icpc-timeliness", "R1", "S1"}:                checker.StatusInsufficientData,
		{"strategy-discussion-before-s47", "R1", "S1"}: checker.StatusInsufficientData,
		{"s47-child-seen", "R1", "S1"}:                 checker.StatusInsufficientData,
		{"first-review-timeliness", "R1", "P2"}:        checker.StatusMet,
		{"core-group-timeliness", "R1", "P2"}:          checker.StatusInsufficientData,
		{"conference-chair-independent", "R1", "K1"}:   checker.StatusInsufficientData,
	}}, {Options{S47StartAsStrategyDiscussion: true}, map[key]checker.Status{
		// 2024-01-04 to 2024-01-24 is 14 working days.
		{"icpc-timeliness", "R1", "S1"}:                 checker.StatusMet,
		{"strategy-discussion-before-s47", "R1", "S1"}:  checker.StatusMet,
		{"strategy-discussion-agencies", "R1", "SD-S1"}: checker.StatusInsufficientData,
		{"icpc-timeliness", "R2", "S2"}:                 checker.StatusMet,
		{"icpc-timeliness", "R2", "S1"}:                 checker.StatusNotApplicable,
	}}} {
		got := statuses(tc.opts)
		for k, want := range tc.want {
			if got[k] != want {
				t.Errorf("%+v %+v: %q, want %q", tc.opts, k, got[k], want)
			}
		}
	}
}

func TestSharedCensusFiles(t *testing.T) {
	if _, err := os.Stat(sharedDir); err != nil {
		t.Skip("the shared census files are not here")
	}
	late := "is after the return's ReferenceDate: counted as not yet happened"
	t.Run("fake_CIN_data.xml", func(t *testing.T) {
		var recs []source.Record
		if err := ReadFile(sharedDir+"fake_CIN_data.xml", Options{}, func(r source.Record) error { recs = append(recs, r); return nil }); err != nil {
			t.Fatal(err)
		}
		var warned []string
		warnings := 0
		for i, r := range recs {
			if r.Index != i+1 || r.CaseID == "" {
				t.Errorf("record %d: index %d, id %q", i+1, r.Index, r.CaseID)
			}
			if r.Err != nil {
				t.Errorf("%s: %v", r.CaseID, r.Err)
				continue
			}
			if r.Case.ExtractDate.String() != "2022-07-21" {
				t.Errorf("%s: extract date %s", r.CaseID, r.Case.ExtractDate)
			}
			for _, w := range r.Warnings {
				if !strings.HasSuffix(w.Warning, late) {
					t.Errorf("%s: %s %s", r.CaseID, w.Path, w.Warning)
				}
			}
			if len(r.Warnings) > 0 {
				warned = append(warned, r.CaseID)
				warnings += len(r.Warnings)
			}
		}
		if len(recs) != 332 {
			t.Errorf("%d records, want 332", len(recs))
		}
		want := []string{"RND000319972816", "RND000628165525", "RND000606201353", "RND000627202323", "RND000929817765",
			"RND000730290306", "RND000823431582", "RND000138103658", "RND000917307767"}
		if !slices.Equal(warned, want) || warnings != 23 {
			t.Errorf("children with warnings: %q (%d warnings), want the 9 with events after 2022-07-21: %q (23)", warned, warnings, want)
		}
	})
	for _, file := range []string{"CIN_Census_2024.xml", "CIN_Census_2026.xml"} {
		t.Run(file, func(t *testing.T) {
			var recs []source.Record
			if err := ReadFile(sharedDir+file, Options{}, func(r source.Record) error { recs = append(recs, r); return nil }); err != nil {
				t.Fatal(err)
			}
			second := 87
			if file == "CIN_Census_2026.xml" {
				second = 99 // the pre-proceedings module comes first
			}
			// Both children are read: the DfE's examples date an assessment and a referral
			// after the ReferenceDate, and the first authorises its assessment before it began.
			sameOutcomes(t, recs, []outcome{{1, "DfEX0000001", ""}, {2, "child_fails_assessments", ""}})
			sameWarnings(t, recs, []string{
				"record 1: CINdetails[1]/Assessments[1]/AssessmentActualStartDate on line 42 " + late,
				"record 1: referrals[0].assessments[0].completed is before the assessment started",
				fmt.Sprintf("record 2: CINdetails[1]/CINreferralDate on line %d %s", second, late),
				fmt.Sprintf("record 2: CINdetails[1]/CINclosureDate on line %d %s", second+3, late),
			})
		})
	}
}

// walk counts the children of a return the way Read must, with the decoder alone: how many
// Child elements it meets, and whether it stopped for want of a reference date or at
// malformed XML.
func walk(data []byte) (children int, noRef, malformed bool) {
	dec := newDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	haveRef, depth := false, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return children, !haveRef, false
		}
		if err != nil {
			return children, false, true
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch {
			case depth > 0:
				depth++
			case tok.Name.Local == "Child":
				if !haveRef {
					return children, true, false
				}
				children++
				depth = 1
			case tok.Name.Local == "ReferenceDate" && !haveRef:
				var s string
				if err := dec.DecodeElement(&s, &tok); err != nil {
					return children, false, true
				}
				if d, problem := parseDate(s); problem != "" || d.IsZero() {
					return children, true, false
				}
				haveRef = true
			}
		case xml.EndElement:
			if depth > 0 {
				depth--
			}
		}
	}
}

func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	var buf bytes.Buffer
	generated(&buf, 12, defectOf)
	f.Add(buf.Bytes())
	f.Add([]byte("\xef\xbb\xbf<Message>\r\n<Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header>x<Children><Child/><Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers><CINdetails/></Child></Children></Message>"))
	f.Add([]byte(censusXML("2024-03-31", childXML("F", "<CINdetails><CINreferralDate>2024-01-01</CINreferralDate><Section47><S47ActualStartDate>2024-01-02</S47ActualStartDate><ICPCnotRequired>TRUE</ICPCnotRequired><DateOfInitialCPC>2024-01-09</DateOfInitialCPC></Section47><DateOfInitialCPC>2024-01-10</DateOfInitialCPC><ReferralNFA>1</ReferralNFA></CINdetails>"))))
	f.Fuzz(func(t *testing.T, data []byte) {
		var recs []source.Record
		opts := Options{S47StartAsStrategyDiscussion: len(data)%2 == 0}
		if err := Read(bytes.NewReader(data), "fuzz.xml", opts, func(r source.Record) error {
			recs = append(recs, r)
			return nil
		}); err != nil {
			t.Fatalf("Read returned %v", err)
		}
		for _, r := range recs {
			if r.File != "fuzz.xml" || (r.Err == nil) == (r.Case == nil) {
				t.Fatalf("record %d: file %q, err %v, case %v", r.Index, r.File, r.Err, r.Case != nil)
			}
			if r.Case != nil {
				if err := record.Validate(r.Case); err != nil || r.Case.CaseID != r.CaseID || r.CaseID == "" {
					t.Fatalf("record %d (%q): a case that does not validate: %v", r.Index, r.CaseID, err)
				}
			} else if !strings.HasPrefix(r.Err.Error(), "line ") && !strings.HasPrefix(r.Err.Error(), "from line ") && !strings.HasPrefix(r.Err.Error(), "no ReferenceDate") && !strings.HasPrefix(r.Err.Error(), "read: ") {
				t.Fatalf("record %d: an error that names no line: %v", r.Index, r.Err)
			}
		}
		children, noRef, malformed := walk(data)
		if noRef {
			if len(recs) != 1 || recs[0].Index != 0 || children != 0 {
				t.Fatalf("no reference date: want one record of index 0, got %v", outcomes(recs))
			}
			return
		}
		// Every Child gives exactly one record, in order; malformed XML outside a child adds
		// one more, saying where the reading stopped.
		want := children
		if malformed && (len(recs) == children+1) {
			want = children + 1
		}
		if len(recs) != want {
			t.Fatalf("%d children (malformed %v), %d records: %v", children, malformed, len(recs), outcomes(recs))
		}
		for i, r := range recs {
			if r.Index != i+1 {
				t.Fatalf("record %d has index %d", i+1, r.Index)
			}
		}
		if malformed && (len(recs) == 0 || recs[len(recs)-1].Err == nil || !strings.HasSuffix(recs[len(recs)-1].Err.Error(), "the rest of the file could not be read")) {
			t.Fatalf("malformed XML, but the last record does not say the rest could not be read: %v", outcomes(recs))
		}
	})
}

// BenchmarkReadCensus imports a generated return of 5,000 children, each with a referral, an
// assessment, a section 47 enquiry with its conference, and a plan with two reviews.
func BenchmarkReadCensus(b *testing.B) {
	const n = 5000
	var buf bytes.Buffer
	generated(&buf, n, func(int) string { return "" })
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		records := 0
		err := Read(bytes.NewReader(data), "bench.xml", Options{}, func(r source.Record) error {
			if r.Err != nil {
				return r.Err
			}
			records++
			return nil
		})
		if err != nil || records != n {
			b.Fatalf("err %v, %d records", err, records)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/child")
}

// TestEndlessChildIsBounded: a Child that never ends is reported, not read into memory whole.
func TestEndlessChildIsBounded(t *testing.T) {
	head := `<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header><Children>` +
		`<Child><ChildIdentifiers><LAchildID>OK-1</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-01-02</CINreferralDate></CINdetails></Child>` +
		`<Child><ChildIdentifiers><LAchildID>ENDLESS</LAchildID></ChildIdentifiers>`
	endless := io.MultiReader(strings.NewReader(head), &repeater{chunk: []byte("<Stray>x</Stray>"), left: 3 * MaxChildBytes})
	var recs []source.Record
	err := Read(endless, "endless.xml", Options{}, func(r source.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Err != nil || recs[1].Err == nil || !strings.Contains(recs[1].Err.Error(), "a Child is longer than") {
		t.Fatalf("records = %+v", recs)
	}
}

// repeater yields a chunk over and over, left bytes in all.
type repeater struct {
	chunk []byte
	left  int
	pos   int
}

func (r *repeater) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.left > 0 {
		p[n] = r.chunk[r.pos%len(r.chunk)]
		r.pos++
		n++
		r.left--
	}
	return n, nil
}

// TestXMLOutsideChildrenIsBounded: a gigabyte of white space or comment outside the children
// (before the header, between two children, after the last) is reported after MaxOutsideBytes,
// not read into one token in memory. The stream is generated as it is read: 1 GiB each.
func TestXMLOutsideChildrenIsBounded(t *testing.T) {
	header := "<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header><Children>\n"
	one := childXML("OK-1", "<CINdetails><CINreferralDate>2024-01-02</CINreferralDate></CINdetails>")
	gig := func(chunk string) io.Reader { return &repeater{chunk: []byte(chunk), left: 1 << 30} }
	tests := []struct {
		name string
		in   io.Reader
		want []outcome
	}{
		{"white space before the header", io.MultiReader(strings.NewReader("<?xml version=\"1.0\"?>\n"), gig(" \n\t"), strings.NewReader(header+one)),
			[]outcome{{Index: 1, Err: "from line 1: more than 1 MiB of XML outside any Child (header, comments, white space), before the first Child; the rest of the file could not be read"}}},
		{"white space between children", io.MultiReader(strings.NewReader(header+one), gig("\n"), strings.NewReader(one)),
			[]outcome{{Index: 1, CaseID: "OK-1"}, {Index: 2, Err: "from line 12: more than 1 MiB of XML outside any Child (header, comments, white space), after Child 1; the rest of the file could not be read"}}},
		{"an endless comment in the header", io.MultiReader(strings.NewReader("<Message><Header><!--"), gig("blah "), strings.NewReader("-->")),
			[]outcome{{Index: 1, Err: "from line 1: more than 1 MiB of XML outside any Child (header, comments, white space), before the first Child; the rest of the file could not be read"}}},
		{"an endless element after the last child", io.MultiReader(strings.NewReader(header+one+"<Trailer>"), gig("<x/>")),
			[]outcome{{Index: 1, CaseID: "OK-1"}, {Index: 2, Err: "from line 12: more than 1 MiB of XML outside any Child (header, comments, white space), after Child 1; the rest of the file could not be read"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recs []source.Record
			err := Read(tt.in, "big.xml", Options{}, func(r source.Record) error {
				recs = append(recs, r)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got := outcomes(recs)
			for i := range got {
				if recs[i].Err == nil {
					got[i].CaseID = recs[i].CaseID
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("records:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// BenchmarkWhiteSpaceOutsideChildren reads a return whose children are separated by a gigabyte
// of white space: B/op shows what it costs (a few MiB, whatever the gigabyte).
func BenchmarkWhiteSpaceOutsideChildren(b *testing.B) {
	header := "<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header><Children>\n"
	b.ReportAllocs()
	for b.Loop() {
		in := io.MultiReader(strings.NewReader(header), &repeater{chunk: []byte(" "), left: 1 << 30})
		n := 0
		Read(in, "big.xml", Options{}, func(source.Record) error { n++; return nil })
		if n != 1 {
			b.Fatalf("%d records", n)
		}
	}
}

package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wtcheck/wtcheck/checker"
)

func render(t *testing.T, w Writer) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := w(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The SARIF schema is the OASIS one, kept outside the repository in the shared data folder.
const sarifSchemaPath = "../../../shared/data/schemas/sarif-schema-2.1.0.json"

func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	schemaFile, err := os.Open(sarifSchemaPath)
	if err != nil {
		t.Skipf("SARIF schema not found beside the repository (%v)", err)
	}
	defer schemaFile.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(render(t, SARIF)))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("SARIF output does not validate: %v", err)
	}
	// And the content: one run for the pack, a descriptor per rule, a result per finding.
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string
						Properties map[string]any
					}
				}
			}
			Results []struct {
				RuleID, Kind, Level string
				RuleIndex           int
			}
		}
	}
	if err := json.Unmarshal(render(t, SARIF), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(log.Runs) != 1 || len(run.Tool.Driver.Rules) != 5 || len(run.Results) != 5 {
		t.Fatalf("runs %d, rules %d, results %d", len(log.Runs), len(run.Tool.Driver.Rules), len(run.Results))
	}
	for _, r := range run.Results {
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result for %s points at descriptor %d", r.RuleID, r.RuleIndex)
		}
	}
	first := run.Results[0]
	if first.RuleID != "icpc-timeliness" || first.Kind != "fail" || first.Level != "error" {
		t.Errorf("first result = %+v", first)
	}
	// A pending deadline listed on request is a note, of SARIF's default kind (fail), as a
	// note must be.
	if run.Results[3].Level != "warning" || run.Results[4].Level != "note" || run.Results[4].Kind != "" {
		t.Errorf("warning and pending results = %+v, %+v", run.Results[3], run.Results[4])
	}
}

func TestJUnitParses(t *testing.T) {
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name      string    `xml:"name,attr"`
				Classname string    `xml:"classname,attr"`
				Failure   *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(render(t, JUnit), &doc); err != nil {
		t.Fatal(err)
	}
	// Five tests of findings, and two passing tests of data warnings in a suite of their own.
	if doc.Tests != 7 || doc.Failures != 3 || len(doc.Suites) != 2 || doc.Suites[0].Name != "Working Together 2018" || doc.Suites[1].Name != "wtcheck data warnings" {
		t.Fatalf("junit = %+v", doc)
	}
	c := doc.Suites[0].Cases[0]
	if c.Name != "icpc-timeliness" || c.Classname != "C-1" || c.Failure == nil {
		t.Errorf("first test case = %+v", c)
	}
	if w := doc.Suites[1].Cases[1]; w.Name != "referrals[0].conferences[1].date" || w.Classname != "C-2" || w.Failure != nil {
		t.Errorf("data warning test case = %+v", w)
	}
}

func TestCSVReadsBack(t *testing.T) {
	out := render(t, CSV)
	if !bytes.HasPrefix(out, []byte("\ufeff")) {
		t.Error("no byte-order mark for Excel")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	first := rows[1]
	if first[0] != "C-1" || first[8] != "2024-01-25" || first[10] != "2" || !strings.Contains(first[16], "chapter 1") {
		t.Errorf("first row = %v", first)
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	for in, want := range map[string]string{"=HYPERLINK(1)": "'=HYPERLINK(1)", "+1+1": "'+1+1", "@SUM(A1)": "'@SUM(A1)", "-12": "-12", "C-1": "C-1", "": "",
		"\tx": "'\tx", "\rx": "'\rx", "-x": "'-x", "é=": "é="} {
		if got := defuseFormula(in); got != want {
			t.Errorf("defuseFormula(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGitLabFingerprintsAreStableAndDistinct(t *testing.T) {
	var issues []struct {
		CheckName   string `json:"check_name"`
		Fingerprint string
		Severity    string
	}
	if err := json.Unmarshal(render(t, GitLab), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != 4 {
		t.Fatalf("%d issues, want one per breach (3) and one per data warning about a record (1)", len(issues))
	}
	again := render(t, GitLab)
	if !bytes.Equal(again, render(t, GitLab)) {
		t.Error("the report differs between runs")
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if len(is.Fingerprint) != 32 || seen[is.Fingerprint] {
			t.Errorf("fingerprint %q is malformed or repeated", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
	if issues[2].Severity != "minor" {
		t.Errorf("a warning's severity = %s, want minor", issues[2].Severity)
	}
	if issues[3].CheckName != "data-warning" || issues[3].Severity != "info" {
		t.Errorf("the data warning's issue = %+v, want data-warning, info", issues[3])
	}
}

func TestGitHubEscapes(t *testing.T) {
	if got := ghData("50% done\nnext"); got != "50%25 done%0Anext" {
		t.Errorf("ghData = %q", got)
	}
	if got := ghProperty("a:b,c"); got != "a%3Ab%2Cc" {
		t.Errorf("ghProperty = %q", got)
	}
	out := string(render(t, GitHub))
	if !strings.Contains(out, "::error file=extracts/cases.ndjson,line=1,title=icpc-timeliness breach (2018)::C-1 S1:") {
		t.Errorf("github output:\n%s", out)
	}
}

// Object ids repeat across referrals: A1 of R1 and A1 of R2 are two findings, with two
// fingerprints, and SARIF and GitLab give each the same one (there is one fingerprint).
func TestFingerprintsNameTheReferral(t *testing.T) {
	rep := &checker.Report{
		Tool:  checker.Tool{Name: "wtcheck", Version: "test"},
		Packs: []checker.PackInfo{{ID: "wt2023", Edition: "2023", Version: "0.1.0"}},
		Rules: []checker.RuleInfo{{Pack: "wt2023", Edition: "2023", ID: "assessment-timeliness", Severity: "breach"}},
		Findings: checker.FindingSlice{
			{CaseID: "C-7", Edition: "2023", Rule: "assessment-timeliness", Referral: "R1", Subject: "A1", Status: "breach", Severity: "breach"},
			{CaseID: "C-7", Edition: "2023", Rule: "assessment-timeliness", Referral: "R2", Subject: "A1", Status: "breach", Severity: "breach"},
		},
	}
	var gl bytes.Buffer
	if err := GitLab(&gl, rep); err != nil {
		t.Fatal(err)
	}
	var issues []struct{ Fingerprint string }
	if err := json.Unmarshal(gl.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	var sr bytes.Buffer
	if err := SARIF(&sr, rep); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			}
		}
	}
	if err := json.Unmarshal(sr.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if len(issues) != 2 || len(log.Runs) != 1 || len(log.Runs[0].Results) != 2 {
		t.Fatalf("%d issues, %+v", len(issues), log)
	}
	if issues[0].Fingerprint == issues[1].Fingerprint {
		t.Error("A1 of R1 and A1 of R2 have the same GitLab fingerprint")
	}
	for i, res := range log.Runs[0].Results {
		if got := res.PartialFingerprints["wtcheckFinding/v2"]; got != issues[i].Fingerprint {
			t.Errorf("result %d: SARIF fingerprint %q, GitLab %q", i, got, issues[i].Fingerprint)
		}
	}
}

// A local pack is named in every format: findings carry its id, and the reports its file
// and content hash, so that a local variant is never read as the shipped pack.
func TestLocalPackIsNamedInEveryFormat(t *testing.T) {
	rep := &checker.Report{
		Tool: checker.Tool{Name: "wtcheck", Version: "test"},
		Packs: []checker.PackInfo{{ID: "la-e09000099", Edition: "2023", Version: "0.1.0", Extends: "wt2023 0.1.0", File: "local.yaml",
			SHA256: "922e09d2791e281541584850fdaa87ad1b82f57fed5d2169796e250679412611"}},
		Summary: checker.Summary{Findings: map[checker.Status]int{"breach": 1}},
		Rules:   []checker.RuleInfo{{Pack: "la-e09000099", Edition: "2023", ID: "icpc-timeliness", Severity: "breach"}},
		Findings: checker.FindingSlice{
			{CaseID: "C-1", Edition: "2023", Pack: "la-e09000099", Rule: "icpc-timeliness", Referral: "R1", Subject: "S1", Status: "breach", Severity: "breach",
				Message: "late", File: "cases.ndjson", Record: 1},
		},
		Errors: []checker.RecordError{},
	}
	want := map[string][]string{
		"text":     {"C-1   2023 la-e09000099", "Local pack: la-e09000099 0.1.0 (local.yaml, sha256 922e09d2791e, extends wt2023 0.1.0)"},
		"json":     {`"pack": "la-e09000099"`, `"file": "local.yaml"`, `"sha256": "922e09d2791e281541584850fdaa87ad1b82f57fed5d2169796e250679412611"`, `"extends": "wt2023 0.1.0"`},
		"ndjson":   {`"pack":"la-e09000099"`},
		"csv":      {",la-e09000099,,\r\n"},
		"markdown": {"Local pack: la-e09000099 0.1.0 (local.yaml, sha256 922e09d2791e, extends wt2023 0.1.0)", "| C-1 | 2023 la-e09000099 |"},
		"junit":    {`name="Working Together 2023 la-e09000099"`},
		"sarif":    {`"id": "wtcheck/la-e09000099/"`, `"file": "local.yaml"`, `"sha256": "922e09d2791e281541584850fdaa87ad1b82f57fed5d2169796e250679412611"`},
		"github":   {"title=icpc-timeliness breach (2023 la-e09000099)"},
		"gitlab":   {"(Working Together 2023 la-e09000099)"},
	}
	for _, format := range Formats() {
		w, err := Lookup(format)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := w(&buf, rep); err != nil {
			t.Fatal(err)
		}
		if len(want[format]) == 0 {
			t.Errorf("%s: no expectation", format)
		}
		for _, s := range want[format] {
			if !strings.Contains(buf.String(), s) {
				t.Errorf("%s lacks %q:\n%s", format, s, buf.String())
			}
		}
	}
}

// TestSARIFNotificationsAreBounded: past 1,000 data warnings the first run's notifications
// stop, and one more says how many were left out.
func TestSARIFNotificationsAreBounded(t *testing.T) {
	r := sampleReport()
	r.Warnings = nil
	for i := range 1005 {
		r.Warnings = append(r.Warnings, checker.RecordWarning{File: "cases.ndjson", Record: i + 1, CaseID: "C-1", Path: "referrals[0].closed", Warning: "is after the extract date"})
	}
	var buf bytes.Buffer
	if err := SARIF(&buf, r); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Invocations []struct {
				ToolExecutionNotifications []struct{ Message struct{ Text string } }
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	notes := log.Runs[0].Invocations[0].ToolExecutionNotifications
	if len(notes) != 1001 || !strings.HasPrefix(notes[1000].Message.Text, "5 more referrals not covered and data warnings are left out") {
		t.Errorf("%d notifications, the last %q", len(notes), notes[len(notes)-1].Message.Text)
	}
}

// TestFormatsSayWhetherTheyShowMessages holds each list format's Messages to what it writes: a
// report whose findings have no message or note is written byte for byte alike by a format
// that shows neither, and differently by one that shows them. A check keeps its listed
// findings without them when every report it writes is of a format without them.
func TestFormatsSayWhetherTheyShowMessages(t *testing.T) {
	for _, f := range AllFormats() {
		if f.Write == nil {
			if !f.Messages {
				t.Errorf("%s: an audit format shows messages, and says so", f.Name)
			}
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			write := func(r *checker.Report) []byte {
				var buf bytes.Buffer
				if err := f.Write(&buf, r); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes()
			}
			full, bare := sampleReport(), sampleReport()
			full.Findings.(checker.FindingSlice)[0].Note = "checked under the 2018 edition, in force when the referral was received"
			fs := bare.Findings.(checker.FindingSlice)
			for i := range fs {
				fs[i].Message, fs[i].Note = "", ""
			}
			if shown := !bytes.Equal(write(full), write(bare)); shown != f.Messages {
				t.Errorf("Messages is %v, but a report's findings with and without messages and notes are written %s", f.Messages, map[bool]string{true: "differently", false: "alike"}[shown])
			}
			if ShowsMessages(f.Name) != f.Messages {
				t.Errorf("ShowsMessages(%q) = %v", f.Name, ShowsMessages(f.Name))
			}
		})
	}
	if !ShowsMessages("no-such-format") {
		t.Error("an unknown format is not taken to show messages")
	}
}

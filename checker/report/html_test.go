package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/explain"
	"github.com/wtcheck/wtcheck/checker/ruledoc"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// auditPackTemplate is a small pack with the rules the audit fixture's findings name; the
// 2023 edition adds a rule and asks more of the strategy discussion.
const auditPackTemplate = `id: wt{{ED}}
edition: "{{ED}}"
title: Working Together to Safeguard Children {{ED}}
version: 0.1.0
document: Working Together to Safeguard Children {{ED}}
in_force: {from: {{FROM}}}
rules:
  - id: referral-decision-timeliness
    title: Decision on the type of response within one working day of the referral
    severity: breach
    citation: {chapter: "{{CH}}", section: Responding to a referral}
    scope: referral
    deadline: {start: referral.received, within: 1 working day, done: referral.decision}
  - id: assessment-timeliness
    title: Assessment concluded within 45 working days of the referral
    severity: breach
    citation: {chapter: "{{CH}}", section: Timeliness of assessments}
    scope: assessment
    deadline: {start: referral.received, within: 45 working days, done: assessment.completed}
  - id: icpc-timeliness
    title: Initial child protection conference within 15 working days of the strategy discussion
    severity: breach
    citation: {chapter: "{{CH}}", section: Initial child protection conferences}
    scope: s47_enquiry
    deadline:
      start: latest(referral.discussionsFor(s47).map(d, d.date))
      within: 15 working days
      done: earliest(referral.conferencesFor(s47).map(k, k.date))
  - id: core-group-timeliness
    title: First core group meeting within 10 working days of the initial conference
    severity: breach
    citation: {chapter: "{{CH}}", section: The child protection plan and core group}
    scope: plan
    deadline: {start: plan.started, within: 10 working days, done: earliest(plan.core_groups)}
  - id: first-review-timeliness
    title: First review conference within 3 months of the initial conference
    severity: breach
    citation: {chapter: "{{CH}}", section: Child protection review conferences}
    scope: plan
    deadline: {start: plan.started, within: 3 months, done: 'earliest(referral.reviewsOf(plan).map(k, k.date))'}
  - id: strategy-discussion-agencies
    title: The strategy discussion involves the agencies the guidance names
    severity: {{SDSEV}}
    citation: {chapter: "{{CH}}", section: Strategy discussions}
    scope: strategy_discussion
    assert: "{{AGENCIES}}.all(a, a in discussion.agencies)"
{{EXTRA}}`

const earlyHelpRule = `  - id: early-help-considered
    title: Early help is considered for a child with an early-help indicator
    severity: warning
    citation: {chapter: "3", section: Early help}
    scope: referral
    assert: referral.early_help_considered != null
`

// auditPacks compiles the fixture's two editions with the shipped bank-holiday calendar.
func auditPacks(t testing.TB) ([]*checker.CompiledPack, *checker.Calendar) {
	t.Helper()
	hols, first, last, err := checker.ParseHolidays(rules.HolidaysFile, rules.Holidays())
	if err != nil {
		t.Fatal(err)
	}
	cal := checker.NewCalendar(hols, first, last)
	var packs []*checker.CompiledPack
	for _, ed := range []struct{ ed, from, ch, sev, agencies, extra string }{
		{"2018", "2018-07-04", "1", "breach", "['police', 'health']", ""},
		{"2023", "2023-12-15", "3", "warning", "['police', 'health', 'education']", earlyHelpRule},
	} {
		src := strings.NewReplacer("{{ED}}", ed.ed, "{{FROM}}", ed.from, "{{CH}}", ed.ch, "{{SDSEV}}", ed.sev,
			"{{AGENCIES}}", ed.agencies, "{{EXTRA}}", ed.extra).Replace(auditPackTemplate)
		p, err := checker.ParsePack("wt"+ed.ed+".yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		cp, err := checker.Compile(p, cal, nil)
		if err != nil {
			t.Fatal(err)
		}
		packs = append(packs, cp)
	}
	return packs, cal
}

// auditCases are the fixture's case records: what the timelines and the comparison read.
func auditCases() []*record.Case {
	d := record.MustDate
	return []*record.Case{
		{CaseID: "C-1", ExtractDate: d("2024-03-31"), Organisation: record.Organisation{Team: "Assessment Team 1"},
			Referrals: []*record.Referral{{
				ID: "R1", Received: d("2023-12-20"), Decision: d("2023-12-21"), Outcome: "assessment", EarlyHelpConsidered: d("2023-12-20"),
				Assessments:         []*record.Assessment{{ID: "A1", Kind: "single", Started: d("2023-12-21"), Seen: []record.Date{d("2023-12-22")}}},
				StrategyDiscussions: []*record.StrategyDiscussion{{ID: "SD1", Date: d("2024-01-04"), Agencies: []string{"social_care", "police", "health"}}},
				S47Enquiries:        []*record.S47Enquiry{{ID: "S1", StrategyDiscussionID: "SD1", Started: d("2024-01-04"), Seen: d("2024-01-05"), Outcome: "icpc"}},
				Conferences:         []*record.Conference{{ID: "K1", Kind: "initial", S47ID: "S1", Date: d("2024-01-29"), Outcome: "plan"}},
				Plans: []*record.Plan{{ID: "P1", Kind: "child_protection", Started: d("2024-01-29"), CoreGroups: []record.Date{d("2024-02-09")},
					Visits: []*record.Visit{{Date: d("2024-02-05"), Seen: true, SeenAlone: true}, {Date: d("2024-02-19"), Seen: true}, {Date: d("2024-03-04")}}}},
			}}},
		{CaseID: "C-2", ExtractDate: d("2024-03-31"), Organisation: record.Organisation{Team: "Assessment Team 2"},
			Referrals: []*record.Referral{
				{ID: "R1", Received: d("2023-11-01"), Decision: d("2023-11-02"), Outcome: "assessment",
					Assessments: []*record.Assessment{{ID: "A1", Kind: "single", Started: d("2023-11-02"), Completed: d("2024-01-15")}}},
				{ID: "R2", Received: d("2024-03-28")},
			}},
		{CaseID: "C/3 <&>", ExtractDate: d("2024-03-31"), Provenance: record.Provenance{Lacks: []string{"early_help_considered"}},
			Referrals: []*record.Referral{{ID: "R1", Received: d("2024-01-15"), Decision: d("2024-01-16"), Outcome: "assessment",
				Assessments: []*record.Assessment{{ID: "A1", Kind: "single", Started: d("2024-01-16")}}}}},
		{CaseID: "C-4", ExtractDate: d("2024-03-31"), Organisation: record.Organisation{Team: "Assessment Team 1"},
			Referrals: []*record.Referral{{ID: "R1", Received: d("2024-01-15"), Decision: d("2024-01-15"), Outcome: "assessment",
				Assessments: []*record.Assessment{{ID: "A1", Kind: "single", Started: d("2024-01-15"), Completed: d("2024-03-01")}}}}},
	}
}

// auditFixture is an audit of four cases under two editions, as at Sunday 31 March 2024
// (Good Friday and Easter Monday either side): two overdue assessments under each edition,
// a decision due in one working day, a warning, an outcome that differs between editions,
// a record skipped, and a case id and a message with HTML special characters. The findings
// are written out by hand; the comparison and the timelines are built from them as
// wtcheck builds them.
func auditFixture(t testing.TB) *Audit {
	t.Helper()
	packs, cal := auditPacks(t)
	infos := checker.RuleInfos(packs)
	citation := map[string]string{}
	severity := map[string]checker.Severity{}
	for _, ri := range infos {
		citation[ri.Edition+"/"+ri.ID] = ri.Citation
		severity[ri.Edition+"/"+ri.ID] = ri.Severity
	}
	d := func(s string) record.Date {
		if s == "" {
			return record.Date{}
		}
		return record.MustDate(s)
	}
	type spec struct {
		caseID, team, rule, subject, referral string
		status                                checker.Status
		start, due, done                      string
		late, lateDays, left                  int // -1: not set
		message                               string
		only                                  string // the one edition that has it, or "" for both
	}
	const no = -1
	specs := []spec{
		{"C-1", "Assessment Team 1", "referral-decision-timeliness", "R1", "R1", "met", "2023-12-20", "2023-12-21", "2023-12-21", no, no, no,
			"Decision on the type of response within one working day of the referral: met", ""},
		{"C-1", "Assessment Team 1", "assessment-timeliness", "A1", "R1", "breach", "2023-12-20", "2024-02-26", "", 23, 34, no,
			"Assessment concluded within 45 working days of the referral: not done, 23 working days overdue at 2024-03-31; due by 2024-02-26", ""},
		{"C-1", "Assessment Team 1", "icpc-timeliness", "S1", "R1", "breach", "2024-01-04", "2024-01-25", "2024-01-29", 2, 4, no,
			"Initial child protection conference held 17 working days after the strategy discussion (limit 15)", ""},
		{"C-1", "Assessment Team 1", "core-group-timeliness", "P1", "R1", "met", "2024-01-29", "2024-02-12", "2024-02-09", no, no, no,
			"First core group meeting within 10 working days of the initial conference: met", ""},
		{"C-1", "Assessment Team 1", "first-review-timeliness", "P1", "R1", "pending", "2024-01-29", "2024-04-29", "", no, no, 20,
			"First review conference within 3 months of the initial conference: due by 2024-04-29, 20 working days left", ""},
		{"C-1", "Assessment Team 1", "strategy-discussion-agencies", "SD1", "R1", "met", "", "", "", no, no, no,
			"The strategy discussion involves the agencies the guidance names: met", "2018"},
		{"C-1", "Assessment Team 1", "strategy-discussion-agencies", "SD1", "R1", "breach", "", "", "", no, no, no,
			"The strategy discussion involves the agencies the guidance names: not met", "2023"},
		{"C-1", "Assessment Team 1", "early-help-considered", "R1", "R1", "met", "", "", "", no, no, no,
			"Early help is considered for a child with an early-help indicator: met", "2023"},

		{"C-2", "Assessment Team 2", "referral-decision-timeliness", "R1", "R1", "met", "2023-11-01", "2023-11-02", "2023-11-02", no, no, no,
			"Decision on the type of response within one working day of the referral: met", ""},
		{"C-2", "Assessment Team 2", "assessment-timeliness", "A1", "R1", "breach", "2023-11-01", "2024-01-08", "2024-01-15", 5, 7, no,
			"Assessment concluded within 45 working days of the referral: done 5 working days late", ""},
		{"C-2", "Assessment Team 2", "referral-decision-timeliness", "R2", "R2", "pending", "2024-03-28", "2024-04-02", "", no, no, 1,
			"Decision on the type of response <b>& due by 2024-04-02, 1 working day left", ""},
		{"C-2", "Assessment Team 2", "early-help-considered", "R1", "R1", "breach", "", "", "", no, no, no,
			"Early help is considered for a child with an early-help indicator: not met", "2023"},
		{"C-2", "Assessment Team 2", "early-help-considered", "R2", "R2", "breach", "", "", "", no, no, no,
			"Early help is considered for a child with an early-help indicator: not met", "2023"},

		{"C/3 <&>", "", "referral-decision-timeliness", "R1", "R1", "met", "2024-01-15", "2024-01-16", "2024-01-16", no, no, no,
			"Decision on the type of response within one working day of the referral: met", ""},
		{"C/3 <&>", "", "assessment-timeliness", "A1", "R1", "breach", "2024-01-15", "2024-03-18", "", 8, 13, no,
			"Assessment concluded within 45 working days of the referral: not done, 8 working days overdue at 2024-03-31; due by 2024-03-18", ""},
		{"C/3 <&>", "", "early-help-considered", "R1", "R1", "insufficient_data", "", "", "", no, no, no,
			"The record's source cannot record early_help_considered", "2023"},

		{"C-4", "Assessment Team 1", "referral-decision-timeliness", "R1", "R1", "met", "2024-01-15", "2024-01-16", "2024-01-15", no, no, no,
			"Decision on the type of response within one working day of the referral: met", ""},
		{"C-4", "Assessment Team 1", "assessment-timeliness", "A1", "R1", "met", "2024-01-15", "2024-03-18", "2024-03-01", no, no, no,
			"Assessment concluded within 45 working days of the referral: met", ""},
		{"C-4", "Assessment Team 1", "early-help-considered", "R1", "R1", "not_applicable", "", "", "", no, no, no,
			"Early help is considered for a child with an early-help indicator: does not apply", "2023"},
	}
	ptr := func(n int) *int {
		if n == no {
			return nil
		}
		return &n
	}
	var findings []checker.Finding
	for _, s := range specs {
		for _, ed := range []string{"2018", "2023"} {
			if s.only != "" && s.only != ed {
				continue
			}
			f := checker.Finding{CaseID: s.caseID, Edition: ed, Rule: s.rule, Subject: s.subject, Referral: s.referral,
				Status: s.status, Severity: severity[ed+"/"+s.rule], Start: d(s.start), Due: d(s.due), Done: d(s.done),
				LateWorkingDays: ptr(s.late), LateDays: ptr(s.lateDays), WorkingDaysLeft: ptr(s.left),
				Message: s.message, Citation: citation[ed+"/"+s.rule], Team: s.team, File: "extract.ndjson"}
			f.DueSoon = f.WorkingDaysLeft != nil && *f.WorkingDaysLeft <= 5
			findings = append(findings, f)
		}
	}
	checker.SortFindings(findings)

	counts := map[checker.Status]int{}
	for _, st := range checker.Statuses {
		counts[st] = 0
	}
	for _, f := range findings {
		counts[f.Status]++
	}
	asOf := record.MustDate("2024-03-31")
	rep := &checker.Report{
		Tool:     checker.Tool{Name: "wtcheck", Version: "test"},
		AsOf:     asOf,
		Packs:    []checker.PackInfo{{ID: "wt2018", Edition: "2018", Version: "0.1.0"}, {ID: "wt2023", Edition: "2023", Version: "0.1.0"}},
		Summary:  checker.Summary{RecordsRead: 5, Cases: 4, RecordsSkipped: 1, Findings: counts},
		Findings: checker.FindingSlice(findings),
		Errors:   []checker.RecordError{{File: "extract.ndjson", Record: 5, CaseID: "C-9", Error: "referrals[0].received is not a real calendar date (YYYY-MM-DD)"}},
		Rules:    infos,
	}

	agg := compare.NewAggregator(packs, false, ruledoc.Timescale)
	a := &Audit{Report: rep, DueSoon: 5}
	set := &TimelineSet{DueSoon: a.DueSoon}
	for _, c := range auditCases() {
		var mine []checker.Finding
		for _, f := range findings {
			if f.CaseID == c.CaseID {
				mine = append(mine, f)
			}
		}
		agg.Add(c, mine)
		set.Offer(c.CaseID, mine, func() *explain.Timeline { return explain.Build(c, asOf, mine, cal, packs) })
	}
	a.Timelines, a.TimelineCases = set.Timelines()
	a.Comparison = agg.Result(rep)
	return a
}

func renderHTML(t *testing.T, a *Audit) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := HTML(&buf, a); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHTMLGolden(t *testing.T) {
	got := renderHTML(t, auditFixture(t))
	golden := filepath.Join("testdata", "audit.html")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the page differs from %s; run go test ./checker/report -run TestHTMLGolden -update and review the diff", golden)
	}
}

// TestHTMLIsDeterministic renders the same audit twice, the timelines' map filled in
// different orders, and wants the same bytes.
func TestHTMLIsDeterministic(t *testing.T) {
	a := auditFixture(t)
	first := renderHTML(t, a)
	b := *a
	b.Timelines = map[string]*explain.Timeline{}
	ids := []string{"C/3 <&>", "C-2", "C-1"}
	for _, id := range ids {
		b.Timelines[id] = a.Timelines[id]
	}
	for range 5 {
		if second := renderHTML(t, &b); !bytes.Equal(first, second) {
			t.Fatal("two renderings of the same audit differ")
		}
	}
}

// parsePage parses the page and indexes its elements by id.
func parsePage(t *testing.T, page []byte) (*html.Node, map[string]*html.Node) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]*html.Node{}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if id := attr(n, "id"); id != "" {
			if ids[id] != nil {
				t.Errorf("id %q is used twice", id)
			}
			ids[id] = n
		}
	}
	return doc, ids
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// external is any reference that leaves the document: anything but a fragment (#id) or a
// data: URI.
func external(ref string) bool {
	ref = strings.TrimSpace(strings.Trim(strings.TrimSpace(ref), `'"`))
	return ref != "" && !strings.HasPrefix(ref, "#") && !strings.HasPrefix(strings.ToLower(ref), "data:")
}

var cssURL = regexp.MustCompile(`(?i)url\(\s*([^)]*)\)`)

func TestHTMLIsSelfContained(t *testing.T) {
	page := renderHTML(t, auditFixture(t))
	doc, _ := parsePage(t, page)
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "script", "iframe", "object", "embed", "base":
			if hasAttr(n, "src") || n.Data != "script" {
				t.Errorf("<%s %v> in the page", n.Data, n.Attr)
			}
		case "link":
			t.Errorf("<link %v> in the page", n.Attr)
		}
		for _, a := range n.Attr {
			switch a.Key {
			case "src", "srcset", "poster", "action", "formaction", "background", "xlink:href", "href":
				if external(a.Val) {
					t.Errorf("<%s %s=%q> points outside the document", n.Data, a.Key, a.Val)
				}
			case "style":
				for _, m := range cssURL.FindAllStringSubmatch(a.Val, -1) {
					if external(m[1]) {
						t.Errorf("<%s style> has url(%s)", n.Data, m[1])
					}
				}
			}
			if a.Namespace == "xlink" && external(a.Val) {
				t.Errorf("<%s xlink:%s=%q> points outside the document", n.Data, a.Key, a.Val)
			}
		}
		if n.Data == "style" {
			css := textOf(n)
			for _, m := range cssURL.FindAllStringSubmatch(css, -1) {
				if external(m[1]) {
					t.Errorf("style sheet has url(%s)", m[1])
				}
			}
			if strings.Contains(css, "@import") {
				t.Error("style sheet has @import")
			}
		}
		// SVG paint attributes (fill="url(#…)") may only name patterns in the page.
		for _, a := range n.Attr {
			for _, m := range cssURL.FindAllStringSubmatch(a.Val, -1) {
				if external(m[1]) {
					t.Errorf("<%s %s> has url(%s)", n.Data, a.Key, m[1])
				}
			}
		}
	}
}

// headlineIDs are the ids of the page's headline numbers and what each should hold.
func headlineIDs(a *Audit) map[string]int {
	s := a.Report.Summary
	h := a.Headline()
	_, overdue := a.Overdue()
	_, soon := a.DueSoonList()
	return map[string]int{
		"summary-cases": s.Cases, "summary-records": s.RecordsRead, "summary-skipped": s.RecordsSkipped,
		"summary-overdue": overdue, "summary-due-soon": soon,
		"summary-breach": h.Breach, "summary-warning": h.Warning, "summary-pending": h.Pending, "summary-met": h.Met,
		"summary-not-applicable": h.NotApplicable, "summary-insufficient-data": h.Insufficient,
	}
}

func TestHTMLSummaryNumbers(t *testing.T) {
	a := auditFixture(t)
	_, ids := parsePage(t, renderHTML(t, a))
	for id, n := range headlineIDs(a) {
		el := ids[id]
		if el == nil {
			t.Errorf("no element with id %q", id)
			continue
		}
		got, err := strconv.Atoi(strings.TrimSpace(textOf(el)))
		if err != nil || got != n {
			t.Errorf("#%s = %q, want %d", id, textOf(el), n)
		}
	}
	// The fixture's own numbers, so that a wrong fixture cannot pass unnoticed: 11 breach
	// findings under the two editions are 7 distinct breaches, 4 of a must (C-1 A1 and S1,
	// C-2 A1, C/3 A1) and 3 of a should (C-1 SD1 under 2023, C-2's early help twice); the 4
	// overdue findings are 2 items of open work, and the 2 due soon 1.
	h := a.Headline()
	if a.Report.Summary.Findings[checker.StatusBreach] != 11 || h != (Headline{Breach: 4, Warning: 3, Pending: 2, Met: 8, NotApplicable: 1, Insufficient: 1}) {
		t.Errorf("fixture: %d breach findings, headline %+v", a.Report.Summary.Findings[checker.StatusBreach], h)
	}
	overdue, n := a.Overdue()
	if n != 2 || len(overdue) != 2 || overdue[0].CaseID != "C-1" || strings.Join(overdue[0].Editions, ",") != "2018,2023" || overdue[1].CaseID != "C/3 <&>" {
		t.Errorf("overdue: %d, %+v", n, overdue)
	}
	if _, n := a.DueSoonList(); n != 1 {
		t.Errorf("due soon: %d, want 1", n)
	}
	if el := ids["summary-as-of"]; el == nil || textOf(el) != "2024-03-31" {
		t.Errorf("as-at date missing or wrong")
	}
	if el := ids["summary-compliance-2018"]; el == nil || textOf(el) != "64%" { // 7 met of 11 decided
		t.Errorf("2018 compliance missing or wrong")
	}
}

func TestHTMLChartsAreAccessible(t *testing.T) {
	doc, ids := parsePage(t, renderHTML(t, auditFixture(t)))
	charts := 0
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "svg" {
			continue
		}
		charts++
		if attr(n, "role") != "img" {
			t.Errorf("<svg> without role=img: %v", n.Attr)
		}
		var title, desc *html.Node
		for c := range n.ChildNodes() {
			if c.Type == html.ElementNode && c.Data == "title" && title == nil {
				title = c
			}
			if c.Type == html.ElementNode && c.Data == "desc" && desc == nil {
				desc = c
			}
		}
		if title == nil || strings.TrimSpace(textOf(title)) == "" || desc == nil || strings.TrimSpace(textOf(desc)) == "" {
			t.Errorf("<svg %s> lacks a <title> or a <desc>", attr(n, "aria-labelledby"))
			continue
		}
		for _, ref := range strings.Fields(attr(n, "aria-labelledby")) {
			if ids[ref] == nil {
				t.Errorf("aria-labelledby names %q, which is not in the page", ref)
			}
		}
		// The text alternative: a table follows the chart in the same section.
		if !tableAfter(n) {
			t.Errorf("chart %s has no table after it", attr(n, "aria-labelledby"))
		}
	}
	// Compliance, trend, teams, and one timeline per case in the lists.
	if charts != 6 {
		t.Errorf("%d charts, want 6", charts)
	}
}

// tableAfter reports whether a table follows n within its section.
func tableAfter(n *html.Node) bool {
	var section *html.Node
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == "section" {
			section = p
			break
		}
	}
	if section == nil {
		return false
	}
	seen := false
	for c := range section.Descendants() {
		if c == n {
			seen = true
		}
		if seen && c.Type == html.ElementNode && c.Data == "table" {
			return true
		}
	}
	return false
}

func TestHTMLCaseLinksHaveSections(t *testing.T) {
	a := auditFixture(t)
	doc, ids := parsePage(t, renderHTML(t, a))
	overdue := ids["overdue-table"]
	if overdue == nil {
		t.Fatal("no overdue table")
	}
	links := 0
	for n := range overdue.Descendants() {
		if n.Type == html.ElementNode && n.Data == "a" {
			href := attr(n, "href")
			if !strings.HasPrefix(href, "#case-") {
				t.Errorf("case link %q", href)
				continue
			}
			links++
			if ids[href[1:]] == nil {
				t.Errorf("%s links to %s, which is not in the page", textOf(n), href)
			}
		}
	}
	if overdue, _ := a.Overdue(); links != len(overdue) {
		t.Errorf("%d case links in the overdue list, want %d", links, len(overdue))
	}
	// Every link in the page that stays in it goes somewhere.
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "a" {
			if href := attr(n, "href"); strings.HasPrefix(href, "#") && ids[href[1:]] == nil {
				t.Errorf("link to %s, which is not in the page", href)
			}
		}
	}
	// The case id with special characters is shown as it is and anchored safely.
	sec := ids[caseAnchor("C/3 <&>")]
	if sec == nil || !strings.Contains(textOf(sec), "Case C/3 <&>") {
		t.Errorf("section of C/3 <&> missing or mislabelled")
	}
	if !regexp.MustCompile(`^case-[A-Za-z0-9_-]+$`).MatchString(caseAnchor("C/3 <&>")) || caseAnchor("C/3") == caseAnchor("C_2f3") {
		t.Errorf("anchors: %q, %q, %q", caseAnchor("C/3 <&>"), caseAnchor("C/3"), caseAnchor("C_2f3"))
	}
}

func TestHTMLEscapesText(t *testing.T) {
	page := renderHTML(t, auditFixture(t))
	doc, _ := parsePage(t, page)
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "b" {
			t.Fatalf("a <b> element made it into the page: the message was not escaped")
		}
	}
	if !bytes.Contains(page, []byte("response &lt;b&gt;&amp; due by")) {
		t.Error("the message with <b>& is not escaped as text")
	}
	if !strings.Contains(textOf(doc), "Decision on the type of response <b>& due by 2024-04-02") {
		t.Error("the message with <b>& does not read as written")
	}
	// In the charts too (the SVG is built by hand).
	if bytes.Contains(page, []byte("C/3 <&>")) {
		t.Error("the case id C/3 <&> appears unescaped")
	}
}

func TestHTMLSections(t *testing.T) {
	a := auditFixture(t)
	_, ids := parsePage(t, renderHTML(t, a))
	for _, id := range []string{"summary", "compliance", "trend", "teams", "overdue", "due-soon", "editions", "errors", "cases",
		"compliance-table", "trend-table", "team-table", "due-soon-table", "comparison-table", "differences-table"} {
		if ids[id] == nil {
			t.Errorf("no #%s", id)
		}
	}
	if diff := ids["differences-table"]; diff != nil && !strings.Contains(textOf(diff), "met under 2018 (strategy-discussion-agencies); breach under 2023") {
		t.Errorf("differences: %s", textOf(diff))
	}

	// One edition, no teams, nothing to act on, no timelines: the page says so.
	b := *a
	b.Comparison, b.Timelines = nil, nil
	rep := *a.Report
	rep.Findings = nil
	rep.Errors = nil
	b.Report = &rep
	doc, ids := parsePage(t, renderHTML(t, &b))
	for _, id := range []string{"teams", "editions", "errors", "cases", "overdue-table"} {
		if ids[id] != nil {
			t.Errorf("#%s shown with nothing in it", id)
		}
	}
	for _, want := range []string{"Nothing is overdue.", "Nothing is due in the next 5 working days.", "No deadline has been met or breached yet."} {
		if !strings.Contains(textOf(doc), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestHTMLRedacted(t *testing.T) {
	a := auditFixture(t)
	a.Redacted = true
	_, ids := parsePage(t, renderHTML(t, a))
	if ids["redacted"] == nil {
		t.Error("a redacted audit does not say its case ids are hashes")
	}
	if err := HTML(&bytes.Buffer{}, &Audit{}); err == nil {
		t.Error("an audit without a report gave no error")
	}
}

// TestHTMLDueDates: a source system's due dates that differ from the guidance's get their own
// section, linked from the contents, apart from the findings; with none, neither shows.
func TestHTMLDueDates(t *testing.T) {
	a := auditFixture(t)
	_, ids := parsePage(t, renderHTML(t, a))
	if ids["due-dates"] != nil {
		t.Fatal("#due-dates shown with no due dates")
	}
	rep := *a.Report
	rep.DueDates = []checker.DueDisagreement{{CaseID: "P-1", Edition: "2023", Rule: "icpc-timeliness", Subject: "S-1",
		SystemDue: record.MustDate("2024-01-17"), Due: record.MustDate("2024-01-24"), Days: -7, Where: "ssd_initial_cp_conference row K-1, icpc_icpc_target_date"}}
	b := *a
	b.Report = &rep
	page := renderHTML(t, &b)
	_, ids = parsePage(t, page)
	sec := ids["due-dates"]
	if sec == nil {
		t.Fatal("no #due-dates")
	}
	want := "P-1 2023 icpc-timeliness S-1: the system's due date 2024-01-17, the guidance's 2024-01-24 (7 days earlier) [ssd_initial_cp_conference row K-1, icpc_icpc_target_date]"
	if !strings.Contains(textOf(sec), want) {
		t.Errorf("section: %s", textOf(sec))
	}
	if !bytes.Contains(page, []byte(`<a href="#due-dates">System due dates (1)</a>`)) {
		t.Error("no link to #due-dates in the contents")
	}
}

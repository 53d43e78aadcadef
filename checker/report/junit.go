package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit writes JUnit XML, which GitLab and Jenkins show as test reports: one test suite per
// edition, one test case per case and rule. A rule breached on any subject of the case fails
// with each breach's message and citation; a rule that applied nowhere is skipped; pending
// deadlines pass and are named in the test's output. Data warnings are a last suite, one
// passing test per warning with the warning as its output: GitLab and Jenkins show a test
// case's output, and nothing at the level of a suite, and a warning does not fail a check.
func JUnit(w io.Writer, r *checker.Report) error {
	type caseRule struct{ edition, caseID, rule string }
	groups := map[caseRule][]*checker.Finding{}
	for f := range r.Listed() {
		k := caseRule{EditionLabel(f), f.RecordID(), f.Rule}
		groups[k] = append(groups[k], f)
	}
	keys := make([]caseRule, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.edition != b.edition {
			return a.edition < b.edition
		}
		if a.caseID != b.caseID {
			return a.caseID < b.caseID
		}
		return a.rule < b.rule
	})
	out := junitSuites{Name: "wtcheck"}
	suiteOf := map[string]int{}
	for _, k := range keys {
		idx, ok := suiteOf[k.edition]
		if !ok {
			out.Suites = append(out.Suites, junitSuite{Name: "Working Together " + k.edition})
			idx = len(out.Suites) - 1
			suiteOf[k.edition] = idx
		}
		s := &out.Suites[idx]
		tc := junitCase{Name: k.rule, Classname: k.caseID, Time: "0"}
		var breaches, notes []string
		applied := false
		for _, f := range groups[k] {
			if f.Status != checker.StatusNotApplicable {
				applied = true
			}
			switch f.Status {
			case checker.StatusBreach:
				breaches = append(breaches, fmt.Sprintf("%s: %s\n%s", f.Subject, f.Message, f.Citation))
			case checker.StatusPending, checker.StatusInsufficientData:
				notes = append(notes, fmt.Sprintf("%s %s: %s", f.Subject, f.Status, f.Message))
			}
		}
		switch {
		case len(breaches) > 0:
			first := groups[k][0]
			for _, f := range groups[k] {
				if f.Status == checker.StatusBreach {
					first = f
					break
				}
			}
			tc.Failure = &junitFailure{Message: first.Message, Type: string(first.Severity), Text: strings.Join(breaches, "\n\n")}
			s.Failures++
		case !applied:
			tc.Skipped = &junitSkipped{}
			s.Skipped++
		}
		tc.SystemOut = strings.Join(notes, "\n")
		s.Tests++
		s.Cases = append(s.Cases, tc)
	}
	// Referrals no loaded pack covered were not checked: a suite of skipped tests says so.
	if len(r.NotCovered) > 0 {
		s := junitSuite{Name: "Not covered: no loaded pack in force"}
		for _, n := range r.NotCovered {
			s.Cases = append(s.Cases, junitCase{Name: n.Referral, Classname: n.CaseID, Time: "0",
				Skipped: &junitSkipped{Message: NotCoveredMessage(n)}})
			s.Tests++
			s.Skipped++
		}
		out.Suites = append(out.Suites, s)
	}
	if len(r.Warnings) > 0 {
		s := junitSuite{Name: "wtcheck data warnings"}
		for _, w := range r.Warnings {
			tc := junitCase{Name: w.Path, Classname: w.CaseID, Time: "0", SystemOut: WarningLine(w)}
			if tc.Name == "" {
				tc.Name = "data warning"
			}
			if tc.Classname == "" {
				tc.Classname = "wtcheck"
			}
			s.Cases = append(s.Cases, tc)
			s.Tests++
		}
		out.Suites = append(out.Suites, s)
	}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

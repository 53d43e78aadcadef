package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/wtcheck/wtcheck/checker"
)

type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
}

// GitLab writes a GitLab code quality report: one issue per breach, with a fingerprint that
// stays the same from run to run for the same finding (its identity: case, edition, rule,
// referral, subject, and pack where it names one), so GitLab can tell new breaches from old
// ones. Each data warning about a record is an issue of severity info (below the minor of a
// "should" rule, since a warning never fails a check) named data-warning; a warning about
// the whole run has no file to point at and is left to the summary line.
func GitLab(w io.Writer, r *checker.Report) error {
	// The issues are written one at a time, in the bytes json.Encoder would write for the
	// whole array, so that a large report's are never held at once.
	jw := &jsonWriter{w: w}
	jw.raw("[")
	n := 0
	emit := func(issue gitlabIssue) {
		if n > 0 {
			jw.raw(",")
		}
		n++
		jw.raw("\n  ")
		jw.value(issue, "  ")
	}
	for f := range r.Scanned() {
		if f.Status != checker.StatusBreach {
			continue
		}
		path := f.File
		if path == "" || path == "-" {
			path = "stdin"
		}
		emit(gitlabIssue{
			Description: fmt.Sprintf("%s %s (Working Together %s): %s", f.RecordID(), f.Subject, EditionLabel(f), f.Message),
			CheckName:   f.Rule,
			Fingerprint: fingerprint(f),
			Severity:    gitlabSeverity(f.Severity),
			Location:    gitlabLocation{Path: path, Lines: gitlabLines{Begin: max(f.Record, 1)}},
		})
	}
	// A referral no loaded pack covered was not checked: an issue of its own, so a merge
	// request cannot show a clean report for work that was never checked.
	for _, n := range r.NotCovered {
		path := n.File
		if path == "" || path == "-" {
			path = "stdin"
		}
		sum := sha256.Sum256([]byte("not-covered\x00" + n.CaseID + "\x00" + n.Referral))
		emit(gitlabIssue{
			Description: n.CaseID + " " + n.Referral + ": " + NotCoveredMessage(n),
			CheckName:   "not-covered",
			Fingerprint: hex.EncodeToString(sum[:16]),
			Severity:    "minor",
			Location:    gitlabLocation{Path: path, Lines: gitlabLines{Begin: max(n.Record, 1)}},
		})
	}
	for _, wn := range r.Warnings {
		if wn.File == "" {
			continue
		}
		path := wn.File
		if path == "-" {
			path = "stdin"
		}
		// Positions move between extracts; the case, the field and the doubt do not.
		sum := sha256.Sum256([]byte("data-warning\x00" + wn.CaseID + "\x00" + wn.Path + "\x00" + wn.Warning))
		emit(gitlabIssue{
			Description: WarningLine(wn),
			CheckName:   "data-warning",
			Fingerprint: hex.EncodeToString(sum[:16]),
			Severity:    "info",
			Location:    gitlabLocation{Path: path, Lines: gitlabLines{Begin: max(wn.Record, 1)}},
		})
	}
	if n > 0 {
		jw.raw("\n")
	}
	jw.raw("]\n")
	return jw.err
}

func gitlabSeverity(s checker.Severity) string {
	switch s {
	case checker.SeverityBreach:
		return "major"
	case checker.SeverityWarning:
		return "minor"
	}
	return "info"
}

// fingerprint identifies a finding from run to run by its identity (checker.Finding.Key), for
// the formats that track results across runs (GitLab code quality, SARIF): the one place a
// fingerprint is made, so that both always agree with the baseline.
func fingerprint(f *checker.Finding) string {
	sum := sha256.Sum256([]byte(f.Key()))
	return hex.EncodeToString(sum[:16])
}

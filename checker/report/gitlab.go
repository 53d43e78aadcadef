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
// stays the same from run to run for the same case, edition, rule and subject, so GitLab can
// tell new breaches from old ones.
func GitLab(w io.Writer, r *checker.Report) error {
	// The issues are written one at a time, in the bytes json.Encoder would write for the
	// whole array, so that a large report's are never held at once.
	jw := &jsonWriter{w: w}
	jw.raw("[")
	n := 0
	for f := range r.Listed() {
		if f.Status != checker.StatusBreach {
			continue
		}
		path := f.File
		if path == "" || path == "-" {
			path = "stdin"
		}
		if n > 0 {
			jw.raw(",")
		}
		n++
		jw.raw("\n  ")
		jw.value(gitlabIssue{
			Description: fmt.Sprintf("%s %s (Working Together %s): %s", f.CaseID, f.Subject, f.Edition, f.Message),
			CheckName:   f.Rule,
			Fingerprint: fingerprint(f),
			Severity:    gitlabSeverity(f.Severity),
			Location:    gitlabLocation{Path: path, Lines: gitlabLines{Begin: max(f.Record, 1)}},
		}, "  ")
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

// fingerprint identifies a finding from run to run (case, edition, rule and subject), for the
// formats that track results across runs (GitLab code quality, SARIF).
func fingerprint(f *checker.Finding) string {
	sum := sha256.Sum256([]byte(f.Key()))
	return hex.EncodeToString(sum[:16])
}

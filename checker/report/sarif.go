package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
)

// informationURI is where people learn about the tool, named in SARIF's tool description.
const informationURI = "https://github.com/wtcheck/wtcheck"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails map[string]string `json:"automationDetails"`
	Invocations       []sarifInvocation `json:"invocations,omitempty"`
	Results           []sarifResult     `json:"results"`
	// Properties name a local pack's file and content hash, so that its results are never
	// taken for the shipped pack's.
	Properties map[string]any `json:"properties,omitempty"`
}

// sarifInvocation carries what belongs to no edition's results as tool execution
// notifications (referrals not covered, data warnings): code scanning shows them on its tool
// status page, not as alerts.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Descriptor map[string]string `json:"descriptor,omitempty"`
	Level      string            `json:"level"`
	Message    sarifText         `json:"message"`
	Locations  []sarifLocation   `json:"locations,omitempty"`
	Properties map[string]any    `json:"properties"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string            `json:"name"`
	Version        string            `json:"version"`
	InformationURI string            `json:"informationUri"`
	Rules          []sarifDescriptor `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifDescriptor struct {
	ID                   string            `json:"id"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration map[string]string `json:"defaultConfiguration"`
	Properties           map[string]any    `json:"properties"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Kind                string            `json:"kind"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical   `json:"physicalLocation,omitempty"`
	LogicalLocations []map[string]any `json:"logicalLocations"`
}

type sarifPhysical struct {
	ArtifactLocation map[string]string `json:"artifactLocation"`
	Region           map[string]int    `json:"region,omitempty"`
}

// SARIF writes SARIF 2.1.0, which code-scanning dashboards read: one run per pack, with a
// reporting descriptor for each of its rules (title, text, citation) and a result for each
// finding listed. A breach is a result of kind "fail" at the level of the rule's severity;
// the other statuses are kept with their SARIF kinds (pass, open, notApplicable, review).
func SARIF(w io.Writer, r *checker.Report) error {
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{}}
	runOf, runOfEdition := map[string]int{}, map[string]int{} // by pack id; by edition, for findings that name no pack
	ruleIndex := map[string]map[string]int{}
	for _, p := range r.Packs {
		run := sarifRun{
			Tool:              sarifTool{Driver: sarifDriver{Name: "wtcheck", Version: r.Tool.Version, InformationURI: informationURI, Rules: []sarifDescriptor{}}},
			AutomationDetails: map[string]string{"id": "wtcheck/" + p.ID + "/"},
			Results:           []sarifResult{},
		}
		if p.File != "" {
			run.Properties = map[string]any{"pack": p.ID, "file": p.File, "sha256": p.SHA256}
			if p.Extends != "" {
				run.Properties["extends"] = p.Extends
			}
		}
		ruleIndex[p.ID] = map[string]int{}
		for _, ri := range r.Rules {
			if ri.Pack != p.ID {
				continue
			}
			ruleIndex[p.ID][ri.ID] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifDescriptor{
				ID:               ri.ID,
				ShortDescription: sarifText{Text: ri.Title},
				FullDescription:  sarifText{Text: oneLineText(ri.Description)},
				Help: sarifText{
					Text:     oneLineText(ri.Description) + " Source: " + ri.Citation + ".",
					Markdown: "**" + ri.Title + "**\n\n" + oneLineText(ri.Description) + "\n\nSource: " + ri.Citation + ".",
				},
				DefaultConfiguration: map[string]string{"level": sarifLevel(ri.Severity)},
				Properties:           map[string]any{"citation": ri.Citation, "edition": ri.Edition, "severity": string(ri.Severity), "tags": []string{"working-together-" + ri.Edition}},
			})
		}
		runOf[p.ID] = len(log.Runs)
		if _, dup := runOfEdition[p.Edition]; !dup {
			runOfEdition[p.Edition] = len(log.Runs)
		}
		log.Runs = append(log.Runs, run)
	}
	for f := range r.Listed() {
		ri, ok := runOfEdition[f.Edition]
		if f.Pack != "" {
			ri, ok = runOf[f.Pack]
		}
		if !ok {
			continue
		}
		run := &log.Runs[ri]
		packID := strings.TrimSuffix(strings.TrimPrefix(run.AutomationDetails["id"], "wtcheck/"), "/")
		kind, level := sarifKind(f)
		loc := sarifLocation{LogicalLocations: []map[string]any{{
			"fullyQualifiedName": f.CaseID + "/" + f.Referral + "/" + f.Subject, "kind": "object"}}}
		if f.File != "" && f.File != "-" {
			loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: map[string]string{"uri": fileURI(f.File)}}
			if f.Record > 0 {
				loc.PhysicalLocation.Region = map[string]int{"startLine": f.Record}
			}
		}
		props := map[string]any{"case_id": f.CaseID, "edition": f.Edition, "subject": f.Subject, "status": string(f.Status), "citation": f.Citation}
		for k, d := range map[string]checker.Date{"start": f.Start, "due": f.Due, "done": f.Done} {
			if !d.IsZero() {
				props[k] = d.String()
			}
		}
		for k, n := range map[string]*int{"late_working_days": f.LateWorkingDays, "late_days": f.LateDays, "working_days_left": f.WorkingDaysLeft} {
			if n != nil {
				props[k] = *n
			}
		}
		run.Results = append(run.Results, sarifResult{
			RuleID: f.Rule, RuleIndex: ruleIndex[packID][f.Rule], Kind: kind, Level: level,
			Message:             sarifText{Text: f.CaseID + " " + f.Subject + ": " + f.Message},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{"wtcheckFinding/v2": fingerprint(f)},
			Properties:          props,
		})
	}
	// Referrals no loaded pack covered were not checked: the first run's invocation says so,
	// one warning notification per referral, since they belong to no edition's run.
	if len(r.NotCovered) > 0 && len(log.Runs) > 0 {
		inv := sarifInvocation{ExecutionSuccessful: true}
		for _, n := range r.NotCovered {
			note := sarifNotification{Level: "warning", Message: sarifText{Text: n.CaseID + " " + n.Referral + ": " + NotCoveredMessage(n)},
				Properties: map[string]any{"case_id": n.CaseID, "referral": n.Referral, "received": n.Received.String(), "status": "not_covered"}}
			if n.File != "" && n.File != "-" {
				loc := sarifLocation{PhysicalLocation: &sarifPhysical{ArtifactLocation: map[string]string{"uri": fileURI(n.File)}},
					LogicalLocations: []map[string]any{{"fullyQualifiedName": n.CaseID + "/" + n.Referral, "kind": "object"}}}
				if n.Record > 0 {
					loc.PhysicalLocation.Region = map[string]int{"startLine": n.Record}
				}
				note.Locations = []sarifLocation{loc}
			}
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, note)
		}
		log.Runs[0].Invocations = []sarifInvocation{inv}
	}
	if len(r.Warnings) > 0 && len(log.Runs) > 0 {
		// On the first run only, beside the referrals not covered: a warning is about a
		// record, not an edition, and repeating it in every run would count it once per edition.
		if len(log.Runs[0].Invocations) == 0 {
			log.Runs[0].Invocations = []sarifInvocation{{ExecutionSuccessful: true}}
		}
		inv := &log.Runs[0].Invocations[0]
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifWarnings(r.Warnings)...)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// sarifWarnings writes data warnings as notifications, each located at its record.
func sarifWarnings(ws []checker.RecordWarning) []sarifNotification {
	out := make([]sarifNotification, 0, len(ws))
	for _, w := range ws {
		props := map[string]any{"status": "data_warning"}
		if w.CaseID != "" {
			props["case_id"] = w.CaseID
		}
		if w.Path != "" {
			props["path"] = w.Path
		}
		n := sarifNotification{Descriptor: map[string]string{"id": "data-warning"}, Level: "warning", Message: sarifText{Text: WarningLine(w)},
			Properties: props}
		if w.File != "" {
			loc := sarifLocation{LogicalLocations: []map[string]any{}}
			if w.CaseID != "" {
				loc.LogicalLocations = append(loc.LogicalLocations, map[string]any{"fullyQualifiedName": w.CaseID + "/" + w.Path, "kind": "object"})
			}
			if w.File != "-" {
				loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: map[string]string{"uri": fileURI(w.File)}}
				if w.Record > 0 {
					loc.PhysicalLocation.Region = map[string]int{"startLine": w.Record}
				}
			}
			n.Locations = []sarifLocation{loc}
		}
		out = append(out, n)
	}
	return out
}

func sarifLevel(s checker.Severity) string {
	switch s {
	case checker.SeverityBreach:
		return "error"
	case checker.SeverityWarning:
		return "warning"
	}
	return "note"
}

// sarifKind maps a status to SARIF's result kind; only a failure carries a level.
func sarifKind(f *checker.Finding) (kind, level string) {
	switch f.Status {
	case checker.StatusBreach:
		return "fail", sarifLevel(f.Severity)
	case checker.StatusMet:
		return "pass", "none"
	case checker.StatusPending:
		return "open", "none"
	case checker.StatusNotApplicable:
		return "notApplicable", "none"
	}
	return "review", "none"
}

// fileURI writes a path as a relative URI reference.
func fileURI(path string) string {
	parts := strings.Split(filepath.ToSlash(path), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

package report

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"container/heap"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
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
	// Properties count the results found and written, say what was left out, and name a
	// local pack's file and content hash, so that its results are never taken for the
	// shipped pack's.
	Properties map[string]any `json:"properties"`
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
	Kind                string            `json:"kind,omitempty"`
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

// Code scanning's limits on a SARIF upload (GitHub's documentation, "SARIF results exceed one
// or more limits" and "SARIF file is too large"): at most 20 runs a file; at most 25,000
// results a run, of which only the top 5,000 are kept; 25,000 rules a run; 1,000 locations a
// result and 20 tags a rule; and 10 MB for the gzip-compressed file. wtcheck writes one
// location a result and one tag a rule, and keeps within the rest itself, so that what is
// left out is chosen here, said, and the same from run to run.
const (
	sarifMaxRuns          = 20
	sarifMaxResultsPerRun = 5_000
	sarifMaxRulesPerRun   = 25_000
	// sarifMaxNotifications bounds the tool notifications (referrals not covered, data
	// warnings) of the first run, which code scanning shows on its tool status page.
	sarifMaxNotifications = 1_000
	// sarifMaxBytes is the most a file may take gzip-compressed, as an upload sends it
	// (10 MB, with room to spare for a different compressor).
	sarifMaxBytes = 9_000_000
)

// SARIF writes SARIF 2.1.0 for code scanning: one run per pack, with a reporting descriptor
// for each of its rules (title, text, citation) and a result for each finding listed. By
// default the check lists breaches only, which is what should be an alert; a breach is a
// result at the level of its rule's severity (error, warning, note), a pending deadline
// listed on request a note, and other statuses listed on request are kept with their SARIF
// kinds (pass, notApplicable, review) and level none. It stays within code scanning's limits
// (see sarifMaxResultsPerRun): when a run has more results than code scanning keeps, or the
// file would pass 10 MB, it keeps the most severe results, then those due longest ago, and
// says what it left out in the run's properties.
func SARIF(w io.Writer, r *checker.Report) error { return writeSARIF(w, r, nil) }

// SARIFWithNotes is SARIF that also tells notify what it left out to stay within code
// scanning's limits, for the command to print on standard error.
func SARIFWithNotes(notify func(string)) Writer {
	return func(w io.Writer, r *checker.Report) error { return writeSARIF(w, r, notify) }
}

// sarifCandidate is a result waiting to be kept or dropped.
type sarifCandidate struct {
	run, seq int
	level    int    // 0 error, 1 warning, 2 note, 3 none: the lower the more severe
	due      string // "" for none, which comes after every date
	result   sarifResult
}

func (c *sarifCandidate) before(d *sarifCandidate) bool {
	due := func(s string) string { return cmp.Or(s, "9999") }
	return cmp.Or(cmp.Compare(c.level, d.level), cmp.Compare(due(c.due), due(d.due)), cmp.Compare(c.run, d.run), cmp.Compare(c.seq, d.seq)) < 0
}

// candidateHeap is a max-heap: its top is the candidate to drop first.
type candidateHeap []*sarifCandidate

func (h candidateHeap) Len() int           { return len(h) }
func (h candidateHeap) Less(i, j int) bool { return h[j].before(h[i]) }
func (h candidateHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *candidateHeap) Push(x any)        { *h = append(*h, x.(*sarifCandidate)) }
func (h *candidateHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func writeSARIF(w io.Writer, r *checker.Report, notify func(string)) error {
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{}}
	runOf, runOfEdition := map[string]int{}, map[string]int{} // by pack id; by edition, for findings that name no pack
	packOf := []string{}
	ruleIndex := map[string]map[string]int{}
	var packsLeft []string
	for _, p := range r.Packs {
		if len(log.Runs) == sarifMaxRuns {
			packsLeft = append(packsLeft, p.ID)
			continue
		}
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
			if ri.Pack != p.ID || len(run.Tool.Driver.Rules) == sarifMaxRulesPerRun {
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
		packOf = append(packOf, p.ID)
		log.Runs = append(log.Runs, run)
	}

	// Each run keeps its most severe results, the oldest due first, up to what code
	// scanning keeps; the findings are walked once.
	found := make([]int, len(log.Runs))
	kept := make([]candidateHeap, len(log.Runs))
	seq := 0
	for f := range r.Listed() {
		seq++
		ri, ok := runOfEdition[f.Edition]
		if f.Pack != "" {
			ri, ok = runOf[f.Pack]
		}
		if !ok {
			continue
		}
		found[ri]++
		c := &sarifCandidate{run: ri, seq: seq, level: levelRank(f), due: f.Due.String()}
		h := &kept[ri]
		if h.Len() == sarifMaxResultsPerRun {
			if !c.before((*h)[0]) {
				continue
			}
			heap.Pop(h)
		}
		c.result = sarifResultOf(f, ruleIndex[packOf[ri]][f.Rule])
		heap.Push(h, c)
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
	// Notifications count toward the file's size, and code scanning only lists them: past
	// sarifMaxNotifications the rest are counted in one more, which says where they are.
	if len(log.Runs) > 0 && len(log.Runs[0].Invocations) > 0 {
		inv := &log.Runs[0].Invocations[0]
		if n := len(inv.ToolExecutionNotifications); n > sarifMaxNotifications {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications[:sarifMaxNotifications], sarifNotification{Level: "warning",
				Message:    sarifText{Text: fmt.Sprintf("%d more referrals not covered and data warnings are left out of this file; wtcheck check --format json lists them all", n-sarifMaxNotifications)},
				Properties: map[string]any{"notifications_dropped": n - sarifMaxNotifications}})
		}
	}

	// The whole file within sarifMaxBytes once compressed: should the results kept make it
	// larger, the least severe and most recent tenth is dropped, until it fits.
	var all []*sarifCandidate
	for _, h := range kept {
		all = append(all, h...)
	}
	slices.SortFunc(all, func(a, b *sarifCandidate) int {
		if a.before(b) {
			return -1
		}
		return 1
	})
	var out []byte
	var written []int
	for n := len(all); ; n = n * 9 / 10 {
		written = make([]int, len(log.Runs))
		chosen := slices.Clone(all[:n])
		slices.SortFunc(chosen, func(a, b *sarifCandidate) int { return cmp.Or(cmp.Compare(a.run, b.run), cmp.Compare(a.seq, b.seq)) })
		for i := range log.Runs {
			log.Runs[i].Results = []sarifResult{}
		}
		for _, c := range chosen {
			log.Runs[c.run].Results = append(log.Runs[c.run].Results, c.result)
			written[c.run]++
		}
		dropped := sarifDropped(log.Runs, found, written, nil)
		var err error
		if out, err = encodeSARIF(log); err != nil {
			return err
		}
		if n == 0 || gzipSize(out) <= sarifMaxBytes {
			if dropped {
				sarifDropped(log.Runs, found, written, notify) // say it, once, for what is written
			}
			break
		}
	}
	if len(packsLeft) > 0 && notify != nil {
		notify(fmt.Sprintf("sarif: code scanning takes at most %d runs a file: packs %s left out", sarifMaxRuns, strings.Join(packsLeft, ", ")))
	}
	_, err := w.Write(out)
	return err
}

// sarifDropped sets each run's properties (results found and written, and what was left out
// and why) and reports whether anything was left out, telling notify when it is set.
func sarifDropped(runs []sarifRun, found, written []int, notify func(string)) bool {
	droppedAny := false
	for i := range runs {
		props := runs[i].Properties // a local pack's file and hash, kept
		if props == nil {
			props = map[string]any{}
		}
		props["results_found"], props["results_written"] = found[i], written[i]
		delete(props, "results_dropped")
		delete(props, "dropped")
		if dropped := found[i] - written[i]; dropped > 0 {
			droppedAny = true
			why := fmt.Sprintf("code scanning keeps at most %d results a run", sarifMaxResultsPerRun)
			if written[i] < min(found[i], sarifMaxResultsPerRun) {
				why = fmt.Sprintf("code scanning takes files of at most 10 MB compressed (and keeps at most %d results a run)", sarifMaxResultsPerRun)
			}
			props["results_dropped"] = dropped
			props["dropped"] = fmt.Sprintf("%d of %d results left out: %s; kept the breaches of a must first, then of a should, then notes, each the longest overdue (the oldest due date) first. The full list: wtcheck check --format json or csv.", dropped, found[i], why)
			if notify != nil {
				notify(fmt.Sprintf("sarif: run %s: wrote %d of %d results; %s", runs[i].AutomationDetails["id"], written[i], found[i], props["dropped"]))
			}
		}
		runs[i].Properties = props
	}
	return droppedAny
}

func encodeSARIF(log sarifLog) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	err := enc.Encode(log)
	return buf.Bytes(), err
}

// gzipSize is the size of data compressed as an upload compresses it.
func gzipSize(data []byte) int {
	var n countWriter
	zw := gzip.NewWriter(&n)
	zw.Write(data)
	zw.Close()
	return int(n)
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// levelRank orders results by how much they matter: errors, warnings, notes, then the rest.
func levelRank(f *checker.Finding) int {
	_, level := sarifKind(f)
	switch level {
	case "error":
		return 0
	case "warning":
		return 1
	case "note":
		return 2
	}
	return 3
}

// sarifResultOf is the result of one finding.
func sarifResultOf(f *checker.Finding, ruleIndex int) sarifResult {
	kind, level := sarifKind(f)
	loc := sarifLocation{LogicalLocations: []map[string]any{{
		"fullyQualifiedName": f.RecordID() + "/" + f.Referral + "/" + f.Subject, "kind": "object"}}}
	if f.File != "" && f.File != "-" {
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: map[string]string{"uri": fileURI(f.File)}}
		if f.Record > 0 {
			loc.PhysicalLocation.Region = map[string]int{"startLine": f.Record}
		}
	}
	props := map[string]any{"case_id": f.CaseID, "edition": f.Edition, "subject": f.Subject, "status": string(f.Status)}
	if f.IncidentID != "" {
		props["incident_id"] = f.IncidentID
	}
	if f.AreaID != "" {
		props["area_id"] = f.AreaID
	}
	if f.Referral != "" {
		props["referral"] = f.Referral
	}
	for k, d := range map[string]record.Date{"start": f.Start, "due": f.Due, "done": f.Done} {
		if !d.IsZero() {
			props[k] = d.String()
		}
	}
	for k, n := range map[string]*int{"late_working_days": f.LateWorkingDays, "late_days": f.LateDays, "working_days_left": f.WorkingDaysLeft} {
		if n != nil {
			props[k] = *n
		}
	}
	return sarifResult{
		RuleID: f.Rule, RuleIndex: ruleIndex, Kind: kind, Level: level,
		Message:             sarifText{Text: f.RecordID() + " " + f.Subject + ": " + f.Message},
		Locations:           []sarifLocation{loc},
		PartialFingerprints: map[string]string{"wtcheckFinding/v2": fingerprint(f)},
		Properties:          props,
	}
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

// sarifKind maps a status to SARIF's result kind and level. Only a failure carries a level
// other than none (SARIF 3.27.9), so a pending deadline, listed as a note to act on, is of
// the default kind, fail; its status property says it is pending.
func sarifKind(f *checker.Finding) (kind, level string) {
	switch f.Status {
	case checker.StatusBreach:
		return "fail", sarifLevel(f.Severity)
	case checker.StatusMet:
		return "pass", "none"
	case checker.StatusPending:
		return "", "note"
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

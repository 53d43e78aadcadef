package checker

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
)

// BaselineFormat tags a baseline file.
const BaselineFormat = "wtcheck/baseline/v1"

// BaselineEntry names one known breach by ids alone: no dates, no messages, nothing about the
// child, so a baseline can live in a repository beside the pipeline that uses it.
type BaselineEntry struct {
	CaseID  string `json:"case_id"`
	Edition string `json:"edition"`
	Rule    string `json:"rule"`
	Subject string `json:"subject"`
}

func (e BaselineEntry) key() string {
	return e.CaseID + "\x1f" + e.Edition + "\x1f" + e.Rule + "\x1f" + e.Subject
}

type baselineFile struct {
	Format   string          `json:"format"`
	AsOf     Date            `json:"as_of,omitzero"`
	Breaches []BaselineEntry `json:"breaches"`
}

// Baseline is a set of known breaches. A check with a baseline lists only breaches not in it.
type Baseline struct {
	keys map[string]bool
}

// Len is the number of known breaches.
func (b *Baseline) Len() int { return len(b.keys) }

// Has reports whether a finding is a known breach.
func (b *Baseline) Has(f *Finding) bool { return b.keys[f.Key()] }

// ParseBaseline reads a baseline file.
func ParseBaseline(name string, data []byte) (*Baseline, error) {
	var f baselineFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("read baseline %s: %w", name, err)
	}
	if f.Format != BaselineFormat {
		return nil, fmt.Errorf("read baseline %s: format is %q, want %q", name, f.Format, BaselineFormat)
	}
	b := &Baseline{keys: map[string]bool{}}
	for i, e := range f.Breaches {
		if e.CaseID == "" || e.Rule == "" || e.Subject == "" {
			return nil, fmt.Errorf("read baseline %s: breach %d lacks case_id, rule or subject", name, i+1)
		}
		b.keys[e.key()] = true
	}
	return b, nil
}

// CompareBaselineEntries is the order of a baseline's breaches. It is the one definition of
// that order: WriteBaseline sorts by it, and so does a check that keeps its breaches sorted in
// runs on disk (package batch) for WriteSortedBaseline.
func CompareBaselineEntries(a, b BaselineEntry) int { return strings.Compare(a.key(), b.key()) }

// WriteBaseline writes the breaches among findings as a baseline, sorted, so that the same
// breaches always give the same file.
func WriteBaseline(w io.Writer, asOf Date, breaches []BaselineEntry) error {
	entries := slices.Clone(breaches)
	slices.SortFunc(entries, CompareBaselineEntries)
	return WriteSortedBaseline(w, asOf, slices.Values(entries))
}

// WriteSortedBaseline writes a baseline from breaches already in CompareBaselineEntries
// order, dropping repeats, one entry at a time so that a batch's breaches never need to be in
// memory at once. The bytes are those of WriteBaseline.
func WriteSortedBaseline(w io.Writer, asOf Date, breaches iter.Seq[BaselineEntry]) error {
	// The layout is that of json.Encoder with a two-space indent over baselineFile, written
	// by hand around the entries so that they can stream; TestWriteSortedBaselineBytes holds
	// the two equal.
	bw := bufio.NewWriter(w)
	format, _ := json.Marshal(BaselineFormat)
	bw.WriteString("{\n  \"format\": ")
	bw.Write(format)
	if !asOf.IsZero() {
		day, _ := json.Marshal(asOf)
		bw.WriteString(",\n  \"as_of\": ")
		bw.Write(day)
	}
	bw.WriteString(",\n  \"breaches\": [")
	var prev BaselineEntry
	n := 0
	for e := range breaches {
		if n > 0 && CompareBaselineEntries(prev, e) == 0 {
			continue
		}
		if n > 0 {
			bw.WriteString(",")
		}
		b, err := json.MarshalIndent(e, "    ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString("\n    ")
		bw.Write(b)
		prev = e
		n++
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

// BaselineEntryOf names a finding in a baseline.
func BaselineEntryOf(f *Finding) BaselineEntry {
	return BaselineEntry{CaseID: f.CaseID, Edition: f.Edition, Rule: f.Rule, Subject: f.Subject}
}

package checker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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

// ParseBaseline reads a baseline file held in memory.
func ParseBaseline(name string, data []byte) (*Baseline, error) {
	return ReadBaseline(name, bytes.NewReader(data))
}

// ReadBaseline reads a baseline file as a stream, so that one that is not a baseline fails at
// its first bytes, and one larger than the reader allows fails where the reader stops.
func ReadBaseline(name string, r io.Reader) (*Baseline, error) {
	var f baselineFile
	dec := json.NewDecoder(r)
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

// WriteBaseline writes the breaches among findings as a baseline, sorted, so that the same
// breaches always give the same file.
func WriteBaseline(w io.Writer, asOf Date, breaches []BaselineEntry) error {
	entries := slices.Clone(breaches)
	slices.SortFunc(entries, func(a, b BaselineEntry) int { return strings.Compare(a.key(), b.key()) })
	entries = slices.CompactFunc(entries, func(a, b BaselineEntry) bool { return a.key() == b.key() })
	if entries == nil {
		entries = []BaselineEntry{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(baselineFile{Format: BaselineFormat, AsOf: asOf, Breaches: entries})
}

// BaselineEntryOf names a finding in a baseline.
func BaselineEntryOf(f *Finding) BaselineEntry {
	return BaselineEntry{CaseID: f.CaseID, Edition: f.Edition, Rule: f.Rule, Subject: f.Subject}
}

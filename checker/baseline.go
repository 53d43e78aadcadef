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

	"github.com/wtcheck/wtcheck/record"
)

// BaselineFormat tags a baseline file. v2 names each breach by the whole finding identity,
// referral included; v1 (BaselineFormatV1) left the referral out.
const BaselineFormat = "wtcheck/baseline/v2"

// BaselineFormatV1 is the format of baselines written before v2. Its entries lack the
// referral, so an entry for A1 cannot tell A1 of R1 from A1 of R2: a v1 baseline is read, but
// none of its entries hides a breach (see ParseBaseline).
const BaselineFormatV1 = "wtcheck/baseline/v1"

// BaselineEntry names one known breach by ids alone: no dates, no messages, nothing about the
// child, so a baseline can live in a repository beside the pipeline that uses it. It holds the
// finding's identity (findings-format.md, "Finding identity").
type BaselineEntry struct {
	CaseID   string `json:"case_id"`
	Edition  string `json:"edition"`
	Rule     string `json:"rule"`
	Referral string `json:"referral,omitempty"` // empty for a finding about the case as a whole
	Subject  string `json:"subject"`
	Pack     string `json:"pack,omitempty"` // set where the finding names its pack (Finding.Pack)
}

func (e BaselineEntry) key() string {
	return findingKey(e.CaseID, e.Edition, e.Rule, e.Referral, e.Subject, e.Pack)
}

type baselineFile struct {
	Format   string          `json:"format"`
	AsOf     record.Date     `json:"as_of,omitzero"`
	Breaches []BaselineEntry `json:"breaches"`
}

// Baseline is a set of known breaches. A check with a baseline lists only breaches not in it.
type Baseline struct {
	keys    map[string]bool
	entries []BaselineEntry
	// Legacy is set for a v1 baseline: read, counted, and matched against nothing.
	Legacy bool
}

// Len is the number of known breaches.
func (b *Baseline) Len() int { return len(b.entries) }

// Has reports whether a finding is a known breach. Nothing is known in a v1 baseline.
func (b *Baseline) Has(f *Finding) bool { return b.keys[f.Key()] }

// Unmatched counts the known breaches that a run did not find breached again (matched holds
// the keys it did), split by whether their case was checked in the run (checked says): those
// of a checked case are no longer breached; the others were not in the batch, and nothing
// can be said of them.
func (b *Baseline) Unmatched(matched map[string]bool, checked func(caseID string) bool) (fixed, notInBatch int) {
	if b.Legacy {
		return 0, 0 // nothing was matched against it, so nothing can be said of its entries
	}
	for _, e := range b.entries {
		switch {
		case matched[e.key()]:
		case checked(e.CaseID):
			fixed++
		default:
			notInBatch++
		}
	}
	return fixed, notInBatch
}

// ParseBaseline reads a baseline file held in memory; see ReadBaseline. A v2 baseline is used as it is. A v1 baseline, from
// before the referral was part of a finding's identity, is read but hides nothing: its entry
// for A1 could stand for a new breach of A1 in another referral, and a baseline must never
// hide a new breach. Every breach is then listed and fails the check until the baseline is
// written again with --write-baseline (Legacy tells the caller to say so).
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
	if f.Format != BaselineFormat && f.Format != BaselineFormatV1 {
		return nil, fmt.Errorf("read baseline %s: format is %q, want %q", name, f.Format, BaselineFormat)
	}
	b := &Baseline{keys: map[string]bool{}, Legacy: f.Format == BaselineFormatV1}
	seen := map[string]bool{}
	for i, e := range f.Breaches {
		// An area's arrangements (and an incident recorded with no case) have no case id:
		// their subject names the record.
		if e.Rule == "" || e.Subject == "" {
			return nil, fmt.Errorf("read baseline %s: breach %d lacks a rule or a subject", name, i+1)
		}
		if b.Legacy && (e.Referral != "" || e.Pack != "") {
			return nil, fmt.Errorf("read baseline %s: breach %d has a referral or pack, which %s does not", name, i+1, BaselineFormatV1)
		}
		if seen[e.key()] {
			continue
		}
		seen[e.key()] = true
		b.entries = append(b.entries, e)
		if !b.Legacy {
			b.keys[e.key()] = true
		}
	}
	return b, nil
}

// CompareBaselineEntries is the order of a baseline's breaches. It is the one definition of
// that order: WriteBaseline sorts by it, and so does a check that keeps its breaches sorted in
// runs on disk (package batch) for WriteSortedBaseline.
func CompareBaselineEntries(a, b BaselineEntry) int { return strings.Compare(a.key(), b.key()) }

// WriteBaseline writes the breaches among findings as a baseline, sorted, so that the same
// breaches always give the same file.
func WriteBaseline(w io.Writer, asOf record.Date, breaches []BaselineEntry) error {
	entries := slices.Clone(breaches)
	slices.SortFunc(entries, CompareBaselineEntries)
	return WriteSortedBaseline(w, asOf, slices.Values(entries))
}

// WriteSortedBaseline writes a baseline from breaches already in CompareBaselineEntries
// order, dropping repeats, one entry at a time so that a batch's breaches never need to be in
// memory at once. The bytes are those of WriteBaseline.
func WriteSortedBaseline(w io.Writer, asOf record.Date, breaches iter.Seq[BaselineEntry]) error {
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
	return BaselineEntry{CaseID: f.CaseID, Edition: f.Edition, Rule: f.Rule, Referral: f.Referral, Subject: f.Subject, Pack: f.Pack}
}

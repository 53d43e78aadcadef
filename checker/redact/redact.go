// Package redact replaces case ids with stable keyed hashes, so a report can be shared
// beyond the team that holds the cases: the same id and key always give the same hash, so
// reports of the same key can still be joined and compared, but without the key a hash
// cannot be turned back into an id, nor an id guessed and checked.
package redact

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/explain"
)

// MinKeyLength keeps keys long enough that hashes of guessable ids cannot be found by trying
// keys.
const MinKeyLength = 16

// Redactor hashes ids with one key.
type Redactor struct {
	key []byte
}

// New makes a redactor from a secret key.
func New(key string) (*Redactor, error) {
	key = strings.TrimSpace(key)
	if len(key) < MinKeyLength {
		return nil, errors.New("the redaction key must be at least 16 characters: keep it secret, and the same from report to report")
	}
	return &Redactor{key: []byte(key)}, nil
}

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// ID hashes one id: "R-" and 16 characters of base32 of HMAC-SHA256(key, id).
func (r *Redactor) ID(id string) string {
	if id == "" {
		return ""
	}
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte(id))
	return "R-" + encoding.EncodeToString(m.Sum(nil))[:16]
}

// Finding hashes a finding's case id. It is given to the batch check (batch.Options.Redact),
// which redacts each entry before sorting, so that a redacted report is in hash order and its
// order tells nothing of the ids.
func (r *Redactor) Finding(f *checker.Finding) { f.CaseID = r.ID(f.CaseID) }

// RecordError hashes an error entry's case id.
func (r *Redactor) RecordError(e *checker.RecordError) { e.CaseID = r.ID(e.CaseID) }

// NotCovered hashes the case id of a referral not covered.
func (r *Redactor) NotCovered(n *checker.NotCovered) { n.CaseID = r.ID(n.CaseID) }

// Warning hashes a data warning's case id.
func (r *Redactor) Warning(w *checker.RecordWarning) { w.CaseID = r.ID(w.CaseID) }

// Comparison hashes the case ids a comparison gathered itself (its differences and referrals
// not covered) and sorts them again; its errors come from a batch check that redacted them
// already.
func (r *Redactor) Comparison(c *compare.Comparison) {
	for i := range c.Differences {
		c.Differences[i].CaseID = r.ID(c.Differences[i].CaseID)
	}
	for i := range c.NotCovered {
		c.NotCovered[i].CaseID = r.ID(c.NotCovered[i].CaseID)
	}
	c.Sort()
}

// Timelines hashes the case ids of timelines, returning them keyed by the hashed ids.
func (r *Redactor) Timelines(ts map[string]*explain.Timeline) map[string]*explain.Timeline {
	out := make(map[string]*explain.Timeline, len(ts))
	for _, t := range ts {
		t.CaseID = r.ID(t.CaseID)
		out[t.CaseID] = t
	}
	return out
}

// BaselineEntries hashes the case ids of baseline entries in place.
func (r *Redactor) BaselineEntries(es []checker.BaselineEntry) {
	for i := range es {
		es[i].CaseID = r.ID(es[i].CaseID)
	}
}

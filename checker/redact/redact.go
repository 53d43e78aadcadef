// Package redact takes out of a report what could identify a child, so that it can be shared
// beyond the team that holds the cases:
//
//   - every identifier (the case id, referral ids, the ids of assessments, enquiries,
//     conferences and plans, wherever they appear: fields, subjects, messages and error text)
//     becomes a stable keyed hash: the same id and key always give the same hash, so reports
//     of the same key can still be joined and compared, but without the key a hash cannot be
//     turned back into an id, nor an id guessed and checked;
//   - a file's path (one file per case is often named by its case id) becomes its position
//     in the batch, "file 3";
//   - no date of birth is shown: a deadline counted from the birth date (the 18th birthday)
//     loses its dates, which would give the birth date away, and says the child's age in
//     years at the as-of date instead.
//
// A date that merely falls on the birth date (a referral received on the day a child was
// born) is taken out of messages and error text as well, but kept in the finding's own date
// fields, where it is the date of that event.
package redact

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/explain"
	"github.com/wtcheck/wtcheck/record"
)

// MinKeyLength keeps keys long enough that hashes of guessable ids cannot be found by trying
// keys.
const MinKeyLength = 16

// Redactor hashes ids with one key. It is safe for concurrent use.
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

// Subject hashes the id of a finding's subject: "A1" or "R1" or a case id whole, and the
// object of an interval subject ("P1@2024-03-27") before its date.
func (r *Redactor) Subject(s string) string {
	id, at, ok := strings.Cut(s, "@")
	if !ok {
		return r.ID(s)
	}
	return r.ID(id) + "@" + at
}

// File names a file by its position in the batch: its path may hold a case id.
func (r *Redactor) File(path string, position int) string {
	if path == "" || path == "-" {
		return path // standard input has no name to hide
	}
	return fmt.Sprintf("file %d", position)
}

// Record returns what redacts one record's entries. It is given to the batch check
// (batch.Options.Redact), which redacts each entry before sorting, so that a redacted report
// is in hash order and its order tells nothing of the ids.
func (r *Redactor) Record(file string, position int, caseID string, c *record.Case, asOf record.Date) batch.EntryRedactor {
	return r.record(file, position, caseID, c, asOf)
}

func (r *Redactor) record(file string, position int, caseID string, c *record.Case, asOf record.Date) *entries {
	rr := &entries{r: r, path: file, file: r.File(file, position), asOf: asOf}
	ids := []string{caseID}
	if c != nil {
		ids = append(ids, c.CaseID, c.Child.ID)
		rr.birth = c.Child.BirthDate
		if rr.birth.IsZero() {
			rr.birth, rr.unborn = c.Child.ExpectedBirthDate, true
		}
		for _, ref := range c.Referrals {
			if ref == nil {
				continue
			}
			ids = append(ids, ref.ID)
			for _, o := range ref.Objects() {
				ids = append(ids, o.ObjectID())
			}
		}
	}
	// Longest first, so that an id that contains another is replaced whole.
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == "" })
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	rr.ids = slices.Compact(ids)
	return rr
}

// entries redacts the entries of one record: it knows the record's ids, its file and its
// child's date of birth.
type entries struct {
	r          *Redactor
	path, file string
	ids        []string
	birth      record.Date // the birth date, or the expected one for an unborn child
	unborn     bool
	asOf       record.Date
}

// Finding hashes a finding's ids, names its file by position, and takes out the dates of a
// deadline counted from the birth date.
func (rr *entries) Finding(f *checker.Finding) {
	if rr.fromBirth(f.Start) {
		f.Message = rr.ageMessage(f.Message, f.Rule, f.Status)
		f.Start, f.Due = record.Date{}, record.Date{}
		f.LateWorkingDays, f.LateDays, f.WorkingDaysLeft = nil, nil, nil
	} else {
		f.Message = rr.text(f.Message)
	}
	f.CaseID = rr.r.ID(f.CaseID)
	f.IncidentID = rr.r.ID(f.IncidentID)
	f.Referral = rr.r.ID(f.Referral)
	// An area's code is public and names no one: an arrangements finding keeps it, in its
	// subject as in its area_id.
	if f.AreaID == "" {
		f.Subject = rr.r.Subject(f.Subject)
	}
	f.Note = rr.text(f.Note)
	if f.File != "" {
		f.File = rr.file
	}
}

// RecordError hashes an error entry's case id, names its file by position, and takes every
// id, the file's path and the birth date out of its text.
func (rr *entries) RecordError(e *checker.RecordError) {
	e.CaseID = rr.r.ID(e.CaseID)
	e.File = rr.file
	e.Error = rr.text(e.Error)
}

// NotCovered hashes the ids of a referral not covered and names its file by position.
func (rr *entries) NotCovered(n *checker.NotCovered) {
	n.CaseID = rr.r.ID(n.CaseID)
	n.Referral = rr.r.ID(n.Referral)
	if n.File != "" {
		n.File = rr.file
	}
}

// Warning hashes a data warning's case id, names its file by position and cleans its text.
func (rr *entries) Warning(w *checker.RecordWarning) {
	w.CaseID = rr.r.ID(w.CaseID)
	w.File = rr.file
	w.Warning = rr.text(w.Warning)
}

// fromBirth reports whether a deadline starts from the child's (expected) birth date: its
// dates would give the birth date away.
func (rr *entries) fromBirth(start record.Date) bool {
	return !rr.birth.IsZero() && start == rr.birth
}

// text takes the file's path, every id and the birth date out of a message.
func (rr *entries) text(s string) string {
	if s == "" {
		return s
	}
	if rr.path != "" && rr.path != "-" {
		s = strings.ReplaceAll(s, rr.path, rr.file)
	}
	for _, id := range rr.ids {
		s = replaceID(s, id, rr.r.ID(id))
	}
	if !rr.birth.IsZero() {
		s = strings.ReplaceAll(s, rr.birth.String(), "[date of birth]")
	}
	return s
}

// ageMessage is the message of a deadline counted from the birth date: what the rule found,
// and the child's age at the as-of date instead of the dates.
func (rr *entries) ageMessage(message, rule string, status checker.Status) string {
	title := rule
	if before, _, ok := strings.Cut(message, ": "); ok {
		title = rr.text(before)
	}
	what := map[checker.Status]string{
		checker.StatusMet:              "met",
		checker.StatusBreach:           "not met",
		checker.StatusPending:          "not due yet",
		checker.StatusNotApplicable:    "does not apply",
		checker.StatusInsufficientData: "cannot be judged",
	}[status]
	return fmt.Sprintf("%s: %s; %s (dates counted from the date of birth are redacted)", title, what, rr.age())
}

// age says how old the child is at the as-of date, in whole years.
func (rr *entries) age() string {
	if rr.asOf.IsZero() {
		return "age not known"
	}
	if rr.birth.After(rr.asOf) {
		return "not yet born at " + rr.asOf.String()
	}
	b, a := rr.birth.Time(), rr.asOf.Time()
	years := a.Year() - b.Year()
	if a.Month() < b.Month() || a.Month() == b.Month() && a.Day() < b.Day() {
		years--
	}
	born := "aged"
	if rr.unborn {
		born = "aged (from the expected date of birth)"
	}
	return fmt.Sprintf("the child is %s %d at %s", born, years, rr.asOf)
}

// replaceID replaces whole occurrences of an id: not where it is part of a longer word
// ("R1" in "R10" or "CR1").
func replaceID(s, id, with string) string {
	if id == "" || !strings.Contains(s, id) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, id)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(id)
		whole := (i == 0 || !idByte(s[i-1]) || !idByte(id[0])) && (end == len(s) || !idByte(s[end]) || !idByte(id[len(id)-1]))
		b.WriteString(s[:i])
		if whole {
			b.WriteString(with)
		} else {
			b.WriteString(id)
		}
		s = s[end:]
	}
}

func idByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// ForComparison gives the comparison of editions (package compare) what it aggregates, with
// the ids already hashed and no date counted from the birth date: a copy of the case with its
// case and referral ids hashed, and redacted copies of its findings. The comparison then
// gathers only redacted differences and referrals not covered.
func (r *Redactor) ForComparison(c *record.Case, asOf record.Date, findings []checker.Finding) (*record.Case, []checker.Finding) {
	rr := r.record("", 0, c.CaseID, c, asOf)
	out := *c
	out.CaseID = r.ID(c.CaseID)
	out.Referrals = make([]*record.Referral, len(c.Referrals))
	for i, ref := range c.Referrals {
		if ref == nil {
			continue
		}
		nr := *ref
		nr.ID = r.ID(ref.ID)
		out.Referrals[i] = &nr
	}
	fs := make([]checker.Finding, len(findings))
	for i, f := range findings {
		rr.Finding(&f)
		fs[i] = f
	}
	return &out, fs
}

// ForRecordComparison redacts the findings of an incident or an area's arrangements for a
// comparison, as a check's report redacts them.
func (r *Redactor) ForRecordComparison(id string, findings []checker.Finding) []checker.Finding {
	rr := r.record("", 0, id, nil, record.Date{})
	fs := make([]checker.Finding, len(findings))
	for i, f := range findings {
		rr.Finding(&f)
		fs[i] = f
	}
	return fs
}

// Timeline redacts a case's timeline (wtcheck explain, and the audit's timelines) as the
// findings are redacted: ids hashed, and the deadlines counted from the birth date without
// their dates, among the other requirements.
func (r *Redactor) Timeline(t *explain.Timeline, c *record.Case) {
	rr := r.record("", 0, c.CaseID, c, t.AsOf)
	t.CaseID = r.ID(t.CaseID)
	for i := range t.NotCovered {
		rr.NotCovered(&t.NotCovered[i])
		t.NotCovered[i].File = "" // explain names no file
	}
	for i := range t.Events {
		e := &t.Events[i]
		e.Referral, e.Subject, e.What = r.ID(e.Referral), r.Subject(e.Subject), rr.text(e.What)
	}
	for i := range t.Other {
		d := &t.Other[i]
		d.Subject, d.Message, d.Note = r.Subject(d.Subject), rr.text(d.Message), rr.text(d.Note)
	}
	var deadlines []explain.Deadline
	for _, d := range t.Deadlines {
		d.Subject = r.Subject(d.Subject)
		d.Note = rr.text(d.Note)
		if rr.fromBirth(d.Start) {
			d.Message = rr.ageMessage(d.Message, d.Rule, d.Status)
			d.Start, d.Due, d.HolidaysSkipped = record.Date{}, record.Date{}, nil
			t.Other = append(t.Other, d) // no dates left to draw
			continue
		}
		d.Message = rr.text(d.Message)
		deadlines = append(deadlines, d)
	}
	t.Deadlines = deadlines
	t.Refit()
}

// BaselineEntries hashes the case ids of baseline entries in place.
func (r *Redactor) BaselineEntries(es []checker.BaselineEntry) {
	for i := range es {
		es[i].CaseID = r.ID(es[i].CaseID)
	}
}

package compare

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"unsafe"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/internal/runcodec"
)

// Sorter keeps the differences one goroutine finds, sorted by CompareDifferences.
type Sorter interface {
	Add(d *Difference) // keeps a copy
}

// SortedList is differences in order, in memory or in runs on disk.
type SortedList interface {
	Len() int
	// All yields the differences in order; a difference yielded is valid until the walk
	// moves on. A run that cannot be read back ends the walk early and sets Err.
	All() iter.Seq[*Difference]
	Err() error
	Close() error
}

// Spill is where an aggregator keeps its differences: a sorter for each goroutine adding at
// once, merged into one list when the comparison is finished. The command line gives the
// runner's (batch.Spill, with the codec below), which writes runs to disk past a budget.
type Spill interface {
	NewSorter() Sorter
	Merge(sorters []Sorter) (SortedList, error)
}

// memorySpill keeps every difference in memory: the audit report's comparison, and tests.
type memorySpill struct{}

type memorySorter struct{ ds []Difference }

func (s *memorySorter) Add(d *Difference) { s.ds = append(s.ds, *d) }

func (memorySpill) NewSorter() Sorter { return &memorySorter{} }

func (memorySpill) Merge(sorters []Sorter) (SortedList, error) {
	var all []Difference
	for _, s := range sorters {
		all = append(all, s.(*memorySorter).ds...)
	}
	slices.SortStableFunc(all, func(x, y Difference) int { return CompareDifferences(&x, &y) })
	return &memoryList{all}, nil
}

type memoryList struct{ ds []Difference }

func (l *memoryList) Len() int     { return len(l.ds) }
func (l *memoryList) Err() error   { return nil }
func (l *memoryList) Close() error { return nil }
func (l *memoryList) All() iter.Seq[*Difference] {
	return func(yield func(*Difference) bool) {
		for i := range l.ds {
			if !yield(&l.ds[i]) {
				return
			}
		}
	}
}

// DifferenceList is a comparison's differences in order, held in memory or, past the
// aggregator's budget, in sorted runs on disk merged as they are read. Each is given its
// Reason as it is read. Close it when done.
type DifferenceList struct {
	list  SortedList // nil: items
	items []Difference
	err   error // a run that could not be written
}

// DifferencesOf lists differences already in memory (read back from a report, say), in
// the comparison's order.
func DifferencesOf(ds []Difference) *DifferenceList {
	ds = slices.Clone(ds)
	slices.SortStableFunc(ds, func(x, y Difference) int { return CompareDifferences(&x, &y) })
	return &DifferenceList{items: ds}
}

// Len is the number of differences.
func (l *DifferenceList) Len() int {
	if l.list != nil {
		return l.list.Len()
	}
	return len(l.items)
}

// All yields the differences in order, each with its reason; it may be walked any number of
// times. A difference yielded is valid until the walk moves on. A run that cannot be read
// back ends the walk early and sets Err.
func (l *DifferenceList) All() iter.Seq[*Difference] {
	return func(yield func(*Difference) bool) {
		var d Difference
		give := func(v *Difference) bool {
			d = *v
			if d.Reason == "" {
				d.Reason = d.reason()
			}
			return yield(&d)
		}
		if l.list == nil {
			for i := range l.items {
				if !give(&l.items[i]) {
					return
				}
			}
			return
		}
		for v := range l.list.All() {
			if !give(v) {
				return
			}
		}
	}
}

// Slice is every difference in memory: for a small comparison (tests, a report read back).
func (l *DifferenceList) Slice() []Difference {
	var out []Difference
	for d := range l.All() {
		out = append(out, *d)
	}
	return out
}

// Err is the first error writing or reading the differences' runs, or nil: a walk that
// ended early. Every writer checks it, so that no partial report passes for a whole one.
func (l *DifferenceList) Err() error {
	if l.err != nil {
		return l.err
	}
	if l.list != nil {
		return l.list.Err()
	}
	return nil
}

// Close removes the differences' temporary files; it is safe to call more than once.
func (l *DifferenceList) Close() error {
	if l == nil || l.list == nil {
		return nil
	}
	return l.list.Close()
}

// MarshalJSON writes the differences as a JSON array. The JSON report streams them instead
// (report.ComparisonJSON), with the same bytes.
func (l *DifferenceList) MarshalJSON() ([]byte, error) {
	ds := l.Slice()
	if err := l.Err(); err != nil {
		return nil, err
	}
	if ds == nil {
		ds = []Difference{}
	}
	// Unescaped: the encoder that called this escapes HTML, or not, as it was told to.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ds); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads a JSON array of differences, in the order given.
func (l *DifferenceList) UnmarshalJSON(b []byte) error {
	*l = DifferenceList{}
	return json.Unmarshal(b, &l.items)
}

// DifferenceSize is roughly what a difference holds in memory, for a Spill's budget.
func DifferenceSize(d *Difference) int64 {
	return int64(unsafe.Sizeof(*d)) + int64(len(d.CaseID)+len(d.IncidentID)+len(d.AreaID)+len(d.Referral)+len(d.Subject)) +
		int64(cap(d.Outcomes))*int64(unsafe.Sizeof(Outcome{}))
}

// Runs of differences are written by package runcodec, as the check's runs of findings are:
// the strings that come from the packs (edition, rule, status, timescale, the requirement)
// once per run and then by number, the ids whole, dates as day counts. The reason is not
// written: it is made from the outcomes when the difference is read.
// TestDifferenceCodecWritesEveryField holds it to every field of Difference and Outcome.

// maxRunString and maxOutcomes bound what is read back from a run: nothing in a difference
// is near them, so more means the run is damaged, and it must not become a huge allocation.
const (
	maxRunString = 1 << 20
	maxOutcomes  = 1 << 12
)

// NewDifferenceEncoder writes differences to one run of a Spill.
func NewDifferenceEncoder() func(*bufio.Writer, *Difference) {
	var rw *runcodec.Writer
	return func(w *bufio.Writer, d *Difference) {
		if rw == nil {
			rw = runcodec.NewWriter(w, 0)
		}
		rw.Str(d.CaseID)
		rw.Str(d.IncidentID)
		rw.Str(d.AreaID)
		rw.Str(d.Referral)
		rw.Str(d.Subject)
		rw.Known(d.Requirement)
		rw.Str(d.Reason)
		rw.Uvarint(uint64(len(d.Outcomes)))
		for i := range d.Outcomes {
			o := &d.Outcomes[i]
			rw.Known(o.Edition)
			rw.Known(o.Rule)
			rw.Known(string(o.Status))
			rw.Known(o.Timescale)
			rw.Date(o.Due)
			rw.Date(o.Done)
		}
		rw.End()
	}
}

// NewDifferenceDecoder reads back the differences of one run written by NewDifferenceEncoder.
func NewDifferenceDecoder() func(*bufio.Reader, *Difference) error {
	var rr *runcodec.Reader
	return func(r *bufio.Reader, v *Difference) error {
		if rr == nil {
			rr = runcodec.NewReader(r, 0, maxRunString)
		}
		v.CaseID = rr.Str()
		v.IncidentID = rr.Str()
		v.AreaID = rr.Str()
		v.Referral = rr.Str()
		v.Subject = rr.Str()
		v.Requirement = rr.Known()
		v.Reason = rr.Str()
		n := rr.Uvarint()
		if rr.Err() != nil {
			return rr.Err()
		}
		if n > maxOutcomes {
			return fmt.Errorf("%w: %d outcomes", runcodec.ErrDamaged, n)
		}
		v.Outcomes = make([]Outcome, n)
		for i := range v.Outcomes {
			o := &v.Outcomes[i]
			o.Edition = rr.Known()
			o.Rule = rr.Known()
			o.Status = checker.Status(rr.Known())
			o.Timescale = rr.Known()
			o.Due = rr.Date()
			o.Done = rr.Date()
			if err := rr.Err(); err != nil {
				return fmt.Errorf("outcome %d: %w", i+1, err)
			}
		}
		return nil
	}
}

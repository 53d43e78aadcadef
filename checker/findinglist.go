package checker

import (
	"io"
	"iter"
)

// FindingList is a report's listed findings, in their sorted order. A batch small enough
// keeps them in memory (FindingSlice); a larger one may keep them in sorted runs on disk.
// Writers walk the list with All, as many times as they need, and then check Err, so that
// no writer needs every finding in memory at once.
type FindingList interface {
	// Len is the number of findings listed.
	Len() int
	// All yields the findings in order. A yielded finding is the caller's to keep.
	All() iter.Seq[*Finding]
	// Err is the first error met while walking the list (reading back a run from disk),
	// or nil. A writer checks it after walking, and fails rather than write a partial report.
	Err() error
}

// FindingSlice is a FindingList held in memory.
type FindingSlice []Finding

// Len is the number of findings.
func (s FindingSlice) Len() int { return len(s) }

// All yields pointers into the slice, in order.
func (s FindingSlice) All() iter.Seq[*Finding] {
	return func(yield func(*Finding) bool) {
		for i := range s {
			if !yield(&s[i]) {
				return
			}
		}
	}
}

// Err is always nil: a slice cannot fail to be read.
func (s FindingSlice) Err() error { return nil }

// CollectFindings copies a list into memory, for tests and for small reports.
func CollectFindings(l FindingList) ([]Finding, error) {
	if l == nil {
		return nil, nil
	}
	out := make([]Finding, 0, l.Len())
	for f := range l.All() {
		out = append(out, *f)
	}
	return out, l.Err()
}

// Listed yields the report's listed findings in order; none when it has no list.
func (r *Report) Listed() iter.Seq[*Finding] {
	if r.Findings == nil {
		return func(func(*Finding) bool) {}
	}
	return r.Findings.All()
}

// ListedLen is the number of findings listed.
func (r *Report) ListedLen() int {
	if r.Findings == nil {
		return 0
	}
	return r.Findings.Len()
}

// ListErr is the error met walking the listed findings, if any (see FindingList.Err).
func (r *Report) ListErr() error {
	if r.Findings == nil {
		return nil
	}
	return r.Findings.Err()
}

// Close releases what the report's list holds: the temporary files of a list kept in sorted
// runs on disk. Every command that checks a batch defers it; it is safe to call on a report
// whose list is in memory, and more than once.
func (r *Report) Close() error {
	if c, ok := r.Findings.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// FindingScanner is a FindingList that can also be walked for a caller that keeps no finding
// past its turn: Scan yields the findings in All's order, but a finding, and what it points to
// (its numbers and lists), is the caller's only until it asks for the next, so a list kept on
// disk reads every finding into the same place instead of allocating each. A finding's
// strings may be kept.
type FindingScanner interface {
	Scan() iter.Seq[*Finding]
}

// ScanFindings walks a list as FindingScanner's Scan does when the list can, else with All.
func ScanFindings(l FindingList) iter.Seq[*Finding] {
	if s, ok := l.(FindingScanner); ok {
		return s.Scan()
	}
	return l.All()
}

// FindingSegmenter is a list that can be cut into stretches walked at once, each on a
// goroutine of its own, for a writer that lays out its report on every core.
type FindingSegmenter interface {
	// Segments cuts the list into stretches of about size findings (one, the whole list,
	// where cutting it would not pay): walked one after another, they yield what Scan
	// yields, with Scan's terms. Each may be walked once, on any goroutine, beside the
	// others; Err then holds the first error any of them met.
	Segments(size int) []iter.Seq[*Finding]
}

// Segments cuts the report's listed findings into stretches of about size findings, to be
// walked at once (FindingSegmenter); a list that cannot be cut is one stretch, Scanned.
func (r *Report) Segments(size int) []iter.Seq[*Finding] {
	if s, ok := r.Findings.(FindingSegmenter); ok {
		return s.Segments(size)
	}
	return []iter.Seq[*Finding]{r.Scanned()}
}

// Scanned yields the report's listed findings in order for a writer that keeps none past its
// turn (see FindingScanner): the JSON, CSV and text writers.
func (r *Report) Scanned() iter.Seq[*Finding] {
	if r.Findings == nil {
		return func(func(*Finding) bool) {}
	}
	return ScanFindings(r.Findings)
}

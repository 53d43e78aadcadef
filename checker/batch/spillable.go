package batch

import (
	"bufio"
	"iter"
)

// Spill is how values of one kind are sorted in bounded memory, for a caller outside this
// package that gathers values of its own beside a check (the comparison of editions gathers
// its differences): the same sorters, runs and merge as the report's listed findings.
type Spill[T any] struct {
	cfg spillConfig[T]
}

// SpillCodec writes values to a run and reads them back. Each run is written and read from
// its start with a fresh encoder and decoder, so either may keep state within a run. The
// decoder gives each value its own: SortedList.All, not Scan, is what a caller walks.
type SpillCodec[T any] struct {
	Encoder func() func(w *bufio.Writer, v *T)
	Decoder func() func(r *bufio.Reader, v *T) error
}

// NewSpill sorts values by cmp (equal values keep the order they were added in, sorter by
// sorter), holding up to budget bytes, as size counts them, in each sorter before it writes
// a run to a temporary file in dir ("" is os.TempDir); a negative budget never writes to disk.
// what names the values in errors: "differences".
func NewSpill[T any](what string, cmp func(a, b *T) int, size func(v *T) int64, codec SpillCodec[T], budget int64, dir string) *Spill[T] {
	return &Spill[T]{cfg: spillConfig[T]{what: what, cmp: cmp, size: size,
		codec: runCodec[T]{encoder: codec.Encoder, decoder: func() func(*bufio.Reader, *T, *valueSpare) error {
			decode := codec.Decoder()
			return func(r *bufio.Reader, v *T, _ *valueSpare) error { return decode(r, v) }
		}},
		budget: budget, dir: dir}}
}

// SorterBudget is one sorter's share of a budget of sort memory shared by workers sorters,
// as a check shares --sort-memory between its workers: an equal share, but no less than
// 1 MiB (unless the whole budget is less), so that many sorters do not make runs so small
// that merging them costs more than they save. 0 is DefaultSortMemory; a negative budget
// stays negative (never to disk).
func SorterBudget(budget int64, workers int) int64 {
	if budget == 0 {
		budget = DefaultSortMemory
	}
	if budget < 0 || workers < 1 {
		return budget
	}
	return max(budget/int64(workers), min(budget, minWorkerSortMemory))
}

// Sorter collects values on one goroutine at a time.
type Sorter[T any] struct {
	s *sorter[T]
}

// NewSorter makes a sorter of the spill's values.
func (sp *Spill[T]) NewSorter() *Sorter[T] { return &Sorter[T]{s: newSorter(&sp.cfg)} }

// Add keeps a copy of v, writing a run when the sorter's budget is spent. An error writing a
// run is kept and returned by Merge; values added after it are dropped.
func (s *Sorter[T]) Add(v *T) { s.s.add(v) }

// Merge gathers the sorters' values into one sorted list, which the caller closes. The
// sorters are emptied. On an error (a run that could not be written) every sorter's files are
// removed.
func (sp *Spill[T]) Merge(sorters []*Sorter[T]) (*SortedList[T], error) {
	ss := make([]*sorter[T], len(sorters))
	for i, s := range sorters {
		ss[i] = s.s
	}
	l, err := mergeSorters(&sp.cfg, ss)
	if err != nil {
		return nil, err
	}
	return &SortedList[T]{l: l}, nil
}

// Discard removes the sorters' files without reading them: a run that failed.
func (sp *Spill[T]) Discard(sorters []*Sorter[T]) error {
	ss := make([]*sorter[T], len(sorters))
	for i, s := range sorters {
		ss[i] = s.s
	}
	return discard(ss)
}

// SortedList is the values of a spill, sorted, in memory and in runs on disk.
type SortedList[T any] struct {
	l *sortedList[T]
}

// Len is the number of values.
func (l *SortedList[T]) Len() int { return l.l.Len() }

// All yields the values in order; it may be walked any number of times. A run that cannot be
// read back ends the walk early and sets Err. A value yielded is valid until the walk moves
// on: copy what must be kept.
func (l *SortedList[T]) All() iter.Seq[*T] { return l.l.All() }

// Err is the first error met reading a run back, or nil.
func (l *SortedList[T]) Err() error { return l.l.Err() }

// Close closes and removes the runs' files. It is safe to call more than once.
func (l *SortedList[T]) Close() error { return l.l.Close() }

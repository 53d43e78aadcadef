package batch

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"sort"
	"sync"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// DefaultSortMemory is how many bytes of listed findings a check holds before it writes them,
// sorted, to a temporary file (a run) and goes on; the runs are merged when the report is
// written. Measured (docs/performance.md): a check's peak resident memory is about twice its
// live heap, so each MiB held costs about 2.5 MiB of peak; 16 MiB keeps a check of a million
// cases, which lists about five million findings by default, near 200 MB (about 140 runs
// when they come out of order; in case order, one a worker, as the runs stay open: sorter),
// where 64 MiB would pass 300 MB. A batch listing up to some 40,000 findings never touches
// the disk. The same budget applies, separately, to the breaches kept for --write-baseline.
const DefaultSortMemory = 16 << 20

// minWorkerSortMemory is the least share of the sort memory a worker is given: with many
// workers, the budget held is then up to workers × 1 MiB.
const minWorkerSortMemory = 1 << 20

// Bounds of reading back a run: each run being merged has a read buffer, between these sizes
// so that many runs cost little memory and few runs read in large blocks.
const (
	minRunBuffer = 4 << 10
	maxRunBuffer = 64 << 10
)

// runCodec writes values of one kind to a run and reads them back. A run is written and read
// from its start, so an encoder or decoder may keep state within a run (a table of strings
// already written, say); each run has a fresh one. A decoder given a spare puts what the
// value points to (its numbers and lists) in the spare, reusing what the spare holds, so that
// a walk reading values into a few places again and again (Scan) allocates neither for each
// value; given nil, it gives each value its own. A value never points into the decoder, so
// values read into places with spares of their own stay true however many are read after.
type runCodec[T any] struct {
	encoder func() func(w *bufio.Writer, v *T)
	decoder func() func(r *bufio.Reader, v *T, spare *valueSpare) error
}

// spillConfig is how one kind of value is sorted in bounded memory.
type spillConfig[T any] struct {
	what   string            // what the values are, for errors: "findings"
	cmp    func(a, b *T) int // the order; equal values keep the order they were added in
	size   func(v *T) int64  // roughly what a value holds in memory, in bytes
	codec  runCodec[T]
	budget int64  // bytes one sorter holds before it writes a run; < 0: never
	dir    string // where runs are written; "" is os.TempDir
}

// restartEvery is how often a run starts its encoding afresh: every restartEvery values the
// encoder's state (the strings numbered, the fields written only when they change) is
// dropped, so that a run can be read from any of these points, not only from its start, and
// a list cut into stretches walked at once (Segments). Each restart writes the run's
// repeated strings whole again: at 2,048 values a million cases' runs grew 8% in force and
// 13% under every edition (docs/performance.md); restarting more often made them larger
// still, and less often would cut the list into fewer, longer stretches.
const restartEvery = 2048

// span is one sorted run: a stretch of a sorter's file.
type span struct {
	off, size int64
	n         int
	// restarts are where values 0, restartEvery, 2×restartEvery, … begin in the file: the
	// points the run can be read from, its start the first.
	restarts []int64
}

// runFile is a temporary file that holds one sorter's runs, one after another, so that a
// sorter keeps one file open however many runs it writes.
type runFile struct {
	f       *os.File
	name    string // set while the file still has to be removed at close
	w       *bufio.Writer
	written int64
}

// offset is where the next byte written will be in the file.
func (rf *runFile) offset() int64 { return rf.written + int64(rf.w.Buffered()) }

func (rf *runFile) Write(p []byte) (int, error) {
	n, err := rf.f.Write(p)
	rf.written += int64(n)
	return n, err
}

// createRunFile creates a run file and, where the system allows (Unix), removes its name at
// once: the open file stays readable, and the disk space comes back when it is closed or the
// process ends in any way, so that an interrupted or killed check never leaves a run behind.
func createRunFile(dir string) (*runFile, error) {
	f, err := os.CreateTemp(dir, "wtcheck-sort-*")
	if err != nil {
		return nil, err
	}
	rf := &runFile{f: f}
	if os.Remove(f.Name()) != nil {
		rf.name = f.Name() // Windows: removed at close instead
	}
	rf.w = bufio.NewWriterSize(rf, maxRunBuffer)
	return rf, nil
}

func (rf *runFile) close() error {
	err := rf.f.Close()
	if rf.name != "" {
		if rerr := os.Remove(rf.name); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
		rf.name = ""
	}
	return err
}

// chunkShift is the log2 of chunkLen: value i is in chunk i>>chunkShift.
const chunkShift = 9

// chunkLen is how many values a chunk holds: 512 findings are 136 KiB, small beside a
// worker's share of the sort memory (at least 1 MiB) and large enough that a chunk is rarely
// allocated.
const chunkLen = 1 << chunkShift

// chunks holds values in fixed-size arrays that are never moved or copied once a value is in
// them: appending 272-byte findings to one slice copied every value each time it doubled, and
// left the old arrays to the collector (7% of a check's CPU under the edition in force). A
// sorter's chunks are cleared and reused after each run it writes.
type chunks[T any] struct {
	c [][]T // each of length chunkLen; those past the values held are spare
	n int   // values held
}

// add keeps a copy of v and returns where it is.
func (c *chunks[T]) add(v *T) *T {
	i := c.n >> chunkShift
	if i == len(c.c) {
		c.c = append(c.c, make([]T, chunkLen))
	}
	p := &c.c[i][c.n&(chunkLen-1)]
	*p = *v
	c.n++
	return p
}

// at is the value at index i, which must be under c.n.
func (c *chunks[T]) at(i int) *T { return &c.c[i>>chunkShift][i&(chunkLen-1)] }

// sorted reports whether the values are already in order.
func (c *chunks[T]) sorted(cmp func(a, b *T) int) bool {
	for i := 1; i < c.n; i++ {
		if cmp(c.at(i-1), c.at(i)) > 0 {
			return false
		}
	}
	return true
}

// reset drops the values (and what they point to) and keeps the chunks for the next ones.
func (c *chunks[T]) reset() {
	for _, ch := range c.c[:(c.n+chunkLen-1)>>chunkShift] {
		clear(ch)
	}
	c.n = 0
}

// sorter collects values on one goroutine in bounded memory: past its budget it sorts what it
// holds and writes it as a run to its file.
type sorter[T any] struct {
	cfg  *spillConfig[T]
	vals chunks[T]
	// inOrder says the values held are in order: each was compared with the one before it
	// as it was added, or the caller vouched for it (add). A batch read in case order gives
	// its findings in the report's order (each record's are sorted as it is checked), and
	// then nothing is sorted, and a record's findings are compared only with the last of the
	// record before: looking over the values once more at each run was a fifth of spilling.
	inOrder bool
	held    int64
	order   []int32
	file    *runFile
	runs    []span
	err     error // the first error writing a run; values added after it are dropped
	// open is the run last written, kept open while the values that come after it come in
	// order (stream): they are written to it as they come, not held and written later.
	open openRun[T]
}

// openRun is a sorter's run still being written: where it starts, how many values it has, the
// encoder writing it (whose state, the strings already numbered, goes on from value to
// value) and the last value written, to compare the next with.
type openRun[T any] struct {
	on       bool
	start    int64
	n        int
	streamed int // values written to it as they came
	encode   func(*bufio.Writer, *T)
	restarts []int64 // see span
	last     T
	// lastAdded says the last value written is the last one added, of which a caller may
	// say the next follows (addAfter).
	lastAdded bool
}

// write encodes v at the run's end, the encoding begun afresh at each restart.
func (o *openRun[T]) write(rf *runFile, codec *runCodec[T], v *T) {
	if o.n%restartEvery == 0 {
		o.encode = codec.encoder()
		o.restarts = append(o.restarts, rf.offset())
	}
	o.encode(rf.w, v)
	o.n++
}

func newSorter[T any](cfg *spillConfig[T]) *sorter[T] { return &sorter[T]{cfg: cfg, inOrder: true} }

// add keeps a copy of *v, writing a run when the budget is spent. By address: a finding is
// 272 bytes, and was copied once more on its way in.
func (s *sorter[T]) add(v *T) { s.addAfter(v, false) }

// addAfter is add for a caller that may know that *v is not before the value it added just
// before (follows): a record's findings, sorted on the worker, after its first. The order is
// then not compared; a caller that says so wrongly gets a list out of order.
func (s *sorter[T]) addAfter(v *T, follows bool) {
	if s.err != nil {
		return
	}
	if o := &s.open; o.on {
		if follows && o.lastAdded || s.cfg.cmp(&o.last, v) <= 0 {
			o.write(s.file, &s.cfg.codec, v)
			o.streamed++
			o.last = *v
			o.lastAdded = true
			if s.vals.c != nil && o.streamed > len(s.vals.c)*chunkLen {
				// As many in order as the chunks hold: a batch in order, which will not need
				// them again. (A sorter whose runs break soon after they are written keeps
				// and reuses them.)
				s.vals = chunks[T]{}
			}
			return
		}
		s.closeRun()
		if s.err != nil {
			return
		}
		follows = false
	}
	if s.inOrder && !follows && s.vals.n > 0 && s.cfg.cmp(s.vals.at(s.vals.n-1), v) > 0 {
		s.inOrder = false
	}
	p := s.vals.add(v)
	if s.cfg.budget < 0 {
		return
	}
	s.held += s.cfg.size(p)
	if s.held >= s.cfg.budget {
		s.spill()
	}
}

// spill writes what the sorter holds as one sorted run. The values are sorted by index, so
// that a run is written without moving them. The run is left open: the values added next are
// written to it as they come for as long as they come in order (add), which a batch read in
// case order does to its end. They are then neither held nor looked at again (each was
// written while it was still in the processor's cache, not a budget's worth later), the
// sorter gives up its chunks once a chunks' worth have come in order, and the merge after
// the check has one run of each worker to merge instead of one every few megabytes.
func (s *sorter[T]) spill() {
	if s.file == nil {
		if s.file, s.err = createRunFile(s.cfg.dir); s.err != nil {
			s.err = fmt.Errorf("sort %s on disk: %w", s.cfg.what, s.err)
			return
		}
	}
	s.order = s.order[:0]
	for i := range s.vals.n {
		s.order = append(s.order, int32(i))
	}
	if !s.inOrder {
		slices.SortStableFunc(s.order, func(i, j int32) int { return s.cfg.cmp(s.vals.at(int(i)), s.vals.at(int(j))) })
	}
	s.open = openRun[T]{on: true, start: s.file.offset(), lastAdded: s.inOrder}
	for _, i := range s.order {
		s.open.write(s.file, &s.cfg.codec, s.vals.at(int(i)))
	}
	s.open.last = *s.vals.at(int(s.order[len(s.order)-1]))
	s.vals.reset()
	s.held = 0
	s.inOrder = true
}

// closeRun ends the open run: what is buffered is written, and the run is one to merge.
func (s *sorter[T]) closeRun() {
	o := &s.open
	if !o.on {
		return
	}
	if err := s.file.w.Flush(); err != nil {
		s.err = fmt.Errorf("sort %s on disk: %w", s.cfg.what, err)
	} else {
		s.runs = append(s.runs, span{off: o.start, size: s.file.written - o.start, n: o.n, restarts: o.restarts})
	}
	*o = openRun[T]{}
}

// mergeInput is one sorted input of a merge: a run on disk, or values in memory.
type mergeInput[T any] struct {
	file *runFile
	run  span
	mem  *chunks[T]
}

// fromRestart reads a run on disk from its restart k (0: its start) to its end.
func (m *mergeInput[T]) fromRestart(k int) *io.SectionReader {
	off := m.run.restarts[k]
	return io.NewSectionReader(m.file.f, off, m.run.off+m.run.size-off)
}

// sortedList is values sorted in runs, on disk and in memory, read back merged in order.
type sortedList[T any] struct {
	cfg     *spillConfig[T]
	sources []mergeInput[T]
	files   []*runFile
	n       int
	mu      sync.Mutex // guards err: the stretches of a list (segments) are walked at once
	err     error
}

// mergeSorters gathers the sorters' runs, and what each still holds, sorted, into one list.
// The sources are ordered sorter by sorter and run by run, and equal values are yielded in
// source order, so values that compare equal come out in the order they were added, as a
// stable sort of everything at once would give.
func mergeSorters[T any](cfg *spillConfig[T], sorters []*sorter[T]) (*sortedList[T], error) {
	l := &sortedList[T]{cfg: cfg}
	var errs []error
	for _, s := range sorters {
		if s.err == nil {
			s.closeRun()
		}
		if s.file != nil {
			l.files = append(l.files, s.file)
		}
		if s.err != nil {
			errs = append(errs, s.err)
			continue
		}
		for _, r := range s.runs {
			l.sources = append(l.sources, mergeInput[T]{file: s.file, run: r})
			l.n += r.n
		}
		if s.vals.n > 0 {
			tail := s.vals
			tail.c = tail.c[:(tail.n+chunkLen-1)>>chunkShift] // spare chunks go with the sorter
			if !s.inOrder {
				sortInPlace(&tail, cfg.cmp)
			}
			l.sources = append(l.sources, mergeInput[T]{mem: &tail})
			l.n += tail.n
		}
		s.vals, s.file = chunks[T]{}, nil
	}
	if err := errors.Join(errs...); err != nil {
		return nil, errors.Join(err, l.Close())
	}
	return l, nil
}

// sortInPlace sorts values stably. The order is found on indices, as spill does, and then
// applied by following its cycles, so no second copy of the values is held: sorting the
// values with slices.SortStableFunc would hand cmp the addresses of its by-value arguments,
// and Go would copy both to the heap on every comparison (a quarter of a check's allocated
// bytes, for findings of 272 bytes).
func sortInPlace[T any](values *chunks[T], cmp func(a, b *T) int) {
	if values.sorted(cmp) {
		return
	}
	order := make([]int32, values.n) // order[k]: the index of the value that belongs at k
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(i, j int32) int { return cmp(values.at(int(i)), values.at(int(j))) })
	for start := range order {
		if order[start] < 0 || int(order[start]) == start {
			continue
		}
		held := *values.at(start)
		k := start
		for {
			from := int(order[k])
			order[k] = -1
			if from == start {
				*values.at(k) = held
				break
			}
			*values.at(k) = *values.at(from)
			k = from
		}
	}
}

// discard closes the sorters' files without reading them: a check that fails.
func discard[T any](sorters []*sorter[T]) error {
	var errs []error
	for _, s := range sorters {
		if s.file != nil {
			errs = append(errs, s.file.close())
			s.file = nil
		}
		s.vals = chunks[T]{}
		s.open = openRun[T]{}
	}
	return errors.Join(errs...)
}

// Len is the number of values.
func (l *sortedList[T]) Len() int { return l.n }

// Err is the first error met reading a run back, or nil.
func (l *sortedList[T]) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Close closes and removes the runs' files. It is safe to call more than once.
func (l *sortedList[T]) Close() error {
	var errs []error
	for _, f := range l.files {
		if err := f.close(); err != nil && !errors.Is(err, os.ErrClosed) {
			errs = append(errs, err)
		}
	}
	l.files = nil
	return errors.Join(errs...)
}

// cursor reads one source in order.
type cursor[T any] struct {
	src    *mergeInput[T]
	next   int // the index in the source of the next value to read
	r      *bufio.Reader
	codec  *runCodec[T]
	decode func(*bufio.Reader, *T, *valueSpare) error // made afresh at each restart
	// slot is where each value from disk is read, with its spare; nil: into a new value each
	// time (All).
	slot *readSlot[T]
}

// read returns the source's next value, nil at its end or on an error.
func (c *cursor[T]) read() (*T, error) {
	if c.src.mem != nil {
		if c.next == c.src.mem.n {
			return nil, nil
		}
		c.next++
		return c.src.mem.at(c.next - 1), nil
	}
	if c.next == c.src.run.n {
		return nil, nil
	}
	if c.next%restartEvery == 0 {
		c.decode = c.codec.decoder()
	}
	c.next++
	var v *T
	var spare *valueSpare
	if c.slot != nil {
		v, spare = &c.slot.v, &c.slot.spare
	} else {
		v = new(T)
	}
	if err := c.decode(c.r, v, spare); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return v, nil
}

// All yields the values in order, merging the sources with a heap; it may be walked any number
// of times. A value from disk is newly allocated, so a caller may keep it. A run that cannot be
// read back ends the walk early and sets Err.
func (l *sortedList[T]) All() iter.Seq[*T] {
	return func(yield func(*T) bool) {
		l.walk(false, yield)
	}
}

// Scan is All for a caller that keeps no value past its turn: a value yielded, and what it
// points to, is the caller's only until it asks for the next, when a value from disk may be
// read into the same place. Its strings, never overwritten, may be kept. Walking a run this
// way allocates no value per finding (checker.FindingScanner).
//
// The merge runs on the caller's goroutine, each run read into one place that stays in the
// core's cache. Merging ahead of the caller on another goroutine, in batches, as Scan did
// from the fourth round to the seventh, was slower on two cores whatever was tried (the runs
// decoded on goroutines of their own beside it too): a million cases' text report took
// 0.30 s to walk here against 0.55 s ahead, and under every edition 2.35 s against 4.2 s
// (docs/performance.md).
func (l *sortedList[T]) Scan() iter.Seq[*T] {
	return func(yield func(*T) bool) { l.walk(true, yield) }
}

// valueSpare is where a value read from a run keeps what it points to (its numbers and
// lists), reused value after value (runCodec).
type valueSpare struct {
	ints  [3]int
	dates []record.Date
	strs  []string
}

// readSlot is a place a value is read into, with its spare.
type readSlot[T any] struct {
	v     T
	spare valueSpare
}

// walk merges the sources in order, giving yield each value: read from disk into a new one,
// or, reusing, each value of a run into the same place.
func (l *sortedList[T]) walk(reuse bool, yield func(v *T) bool) {
	l.walkStretch(stretch[T]{}, reuse, yield)
}

// stretch is the values from lo up to hi of a list (segments): each source is read from
// the first of its values not before lo (a nil lo: from its start), and the walk ends at the
// first value not before hi (nil: at the end). starts, where set, are each run's first
// values at its restarts, to find where to begin reading it.
type stretch[T any] struct {
	lo, hi *T
	starts [][]*T
}

// walkStretch is walk over a stretch of the list.
func (l *sortedList[T]) walkStretch(st stretch[T], reuse bool, yield func(v *T) bool) {
	if l.Err() != nil {
		return
	}
	disk := 0
	for _, s := range l.sources {
		if s.mem == nil {
			disk++
		}
	}
	bufSize := maxRunBuffer
	if disk > 0 {
		bufSize = int(min(max(l.cfg.budget/int64(disk), minRunBuffer), maxRunBuffer))
	}
	cursors := make([]cursor[T], len(l.sources))
	heads := make([]*T, len(l.sources))
	h := mergeHeap[T]{cmp: l.cfg.cmp, heads: heads}
	for i := range l.sources {
		c := &cursors[i]
		c.src = &l.sources[i]
		if c.src.mem == nil {
			k := 0
			if st.lo != nil {
				// Begin at the last restart of the run before lo: every value before it is
				// before lo too. Those from it up to lo are read and passed over below.
				k = max(sort.Search(len(st.starts[i]), func(k int) bool { return l.cfg.cmp(st.starts[i][k], st.lo) >= 0 })-1, 0)
				c.next = k * restartEvery
			}
			c.r = bufio.NewReaderSize(c.src.fromRestart(k), bufSize)
			c.codec = &l.cfg.codec
			if reuse {
				c.slot = new(readSlot[T])
			}
		} else if st.lo != nil {
			c.next = sort.Search(c.src.mem.n, func(k int) bool { return l.cfg.cmp(c.src.mem.at(k), st.lo) >= 0 })
		}
		v, err := c.read()
		for err == nil && v != nil && st.lo != nil && l.cfg.cmp(v, st.lo) < 0 {
			v, err = c.read()
		}
		if err != nil {
			l.fail(i, err)
			return
		}
		if v != nil {
			heads[i] = v
			h.push(i)
		}
	}
	for len(h.idx) > 0 {
		// The head is yielded before its source reads the next value, which may be read
		// into the same place.
		i := h.idx[0]
		c := &cursors[i]
		if st.hi != nil && l.cfg.cmp(heads[i], st.hi) >= 0 {
			return
		}
		if !yield(heads[i]) {
			return
		}
		next, err := c.read()
		if err != nil {
			l.fail(i, err)
			return
		}
		if next == nil {
			h.pop()
		} else {
			heads[i] = next
			h.fix0()
		}
	}
}

// fail keeps the first error reading source i back.
func (l *sortedList[T]) fail(i int, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = fmt.Errorf("read back sorted %s (run %d of %d): %w", l.cfg.what, i+1, len(l.sources), err)
	}
}

// mergeHeap is a min-heap of source indices by their current values, ties to the lower index.
type mergeHeap[T any] struct {
	cmp   func(a, b *T) int
	heads []*T
	idx   []int
}

func (h *mergeHeap[T]) less(a, b int) bool {
	i, j := h.idx[a], h.idx[b]
	if c := h.cmp(h.heads[i], h.heads[j]); c != 0 {
		return c < 0
	}
	return i < j
}

func (h *mergeHeap[T]) push(i int) {
	h.idx = append(h.idx, i)
	for c := len(h.idx) - 1; c > 0; {
		p := (c - 1) / 2
		if !h.less(c, p) {
			break
		}
		h.idx[c], h.idx[p] = h.idx[p], h.idx[c]
		c = p
	}
}

func (h *mergeHeap[T]) pop() {
	last := len(h.idx) - 1
	h.idx[0] = h.idx[last]
	h.idx = h.idx[:last]
	h.fix0()
}

// fix0 moves the top down to its place after its value changed.
func (h *mergeHeap[T]) fix0() {
	n := len(h.idx)
	for p := 0; ; {
		c := 2*p + 1
		if c >= n {
			return
		}
		if c+1 < n && h.less(c+1, c) {
			c++
		}
		if !h.less(c, p) {
			return
		}
		h.idx[c], h.idx[p] = h.idx[p], h.idx[c]
		p = c
	}
}

// A list of findings kept in runs can be walked without a finding allocated for each.
var _ checker.FindingScanner = (*sortedList[checker.Finding])(nil)

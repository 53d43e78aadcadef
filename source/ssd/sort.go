package ssd

import (
	"bufio"
	"container/heap"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
)

// DefaultSortMemory is how many bytes of a table's rows are held at once when a CSV file is
// not ordered by person and has to be sorted: past it, sorted runs go to temporary files and
// are merged. A row the source reads is a few hundred bytes, so 16 MiB holds some 50,000.
const DefaultSortMemory = 16 << 20

// ordered reads a table's file through once and reports whether its rows come ordered by
// person id. A file that is needs no sort and is streamed as it stands.
func ordered(fsys fs.FS, path string, t *table) (bool, error) {
	c, err := openCSV(fsys, path, t, nil)
	if err != nil {
		return false, err
	}
	defer c.close()
	prev, first := "", true
	for {
		r, err := c.next()
		if errors.Is(err, io.EOF) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		if !first && r.person() < prev {
			return false, nil
		}
		prev, first = r.person(), false
	}
}

// rowSize is roughly what a row holds in memory.
func rowSize(r *row) int64 {
	n := int64(64 + 16*len(r.vals))
	for _, v := range r.vals {
		n += int64(len(v))
	}
	return n
}

// sortedCSV reads a table's file in person order in bounded memory: an external merge sort.
// Rows are read into memory up to the budget, sorted by person id (stable, so rows keep their
// file order within a person) and written as a run to a temporary file in dir; the runs are
// then merged, holding one row of each. A table that fits in the budget is one run, held in
// memory: no temporary file, which a browser build has nowhere to write.
type sortedCSV struct {
	runs []*run
	h    runHeap
}

type run struct {
	f    *os.File
	r    *csv.Reader
	rows []*row // a run held in memory (f nil), sorted: what is left of it
	t    *table
	seq  int // the run's place, to keep the merge stable
	cur  *row
}

func (r *run) advance() error {
	if r.f == nil {
		r.cur = nil
		if len(r.rows) > 0 {
			r.cur, r.rows = r.rows[0], r.rows[1:]
		}
		return nil
	}
	rec, err := r.r.Read()
	if errors.Is(err, io.EOF) {
		r.cur = nil
		return nil
	}
	if err != nil {
		return fmt.Errorf("read back a sorted run of %s: %w", r.t.name, err)
	}
	line, _ := strconv.Atoi(rec[0])
	r.cur = &row{t: r.t, line: line, vals: slices.Clone(rec[1:])}
	return nil
}

type runHeap []*run

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	a, b := h[i].cur.person(), h[j].cur.person()
	if a != b {
		return a < b
	}
	return h[i].seq < h[j].seq
}
func (h runHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*run)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// sortCSV sorts a table's file into runs and returns the merge of them.
func sortCSV(fsys fs.FS, path string, t *table, budget int64, dir string, bad func(badRow)) (_ *sortedCSV, err error) {
	if budget <= 0 {
		budget = DefaultSortMemory
	}
	c, err := openCSV(fsys, path, t, bad)
	if err != nil {
		return nil, err
	}
	defer c.close()
	s := &sortedCSV{}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	var buf []*row
	var held int64
	flush := func(last bool) error {
		if len(buf) == 0 {
			return nil
		}
		slices.SortStableFunc(buf, func(a, b *row) int {
			switch {
			case a.person() < b.person():
				return -1
			case a.person() > b.person():
				return 1
			}
			return 0
		})
		if last && len(s.runs) == 0 {
			// The whole table fitted: it stays in memory, the one run.
			s.runs = append(s.runs, &run{t: t, rows: buf})
			return nil
		}
		f, err := os.CreateTemp(dir, "wtcheck-ssd-run-*.csv")
		if err != nil {
			return fmt.Errorf("sort %s: %w", t.name, err)
		}
		// Removed at once: the open file stays readable, and nothing is left behind if the
		// run is killed.
		os.Remove(f.Name())
		r := &run{f: f, t: t, seq: len(s.runs)}
		s.runs = append(s.runs, r)
		bw := bufio.NewWriter(f)
		w := csv.NewWriter(bw)
		rec := make([]string, 1+len(t.columns))
		for _, x := range buf {
			rec[0] = strconv.Itoa(x.line)
			copy(rec[1:], x.vals)
			if err := w.Write(rec); err != nil {
				return fmt.Errorf("sort %s: %w", t.name, err)
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return fmt.Errorf("sort %s: %w", t.name, err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("sort %s: %w", t.name, err)
		}
		buf, held = buf[:0], 0
		return nil
	}
	for {
		r, err := c.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		buf = append(buf, r)
		if held += rowSize(r); held >= budget {
			if err := flush(false); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(true); err != nil {
		return nil, err
	}
	for _, r := range s.runs {
		if r.f == nil {
			if err := r.advance(); err != nil {
				return nil, err
			}
			if r.cur != nil {
				s.h = append(s.h, r)
			}
			continue
		}
		if _, err := r.f.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("sort %s: %w", t.name, err)
		}
		r.r = csv.NewReader(bufio.NewReaderSize(r.f, 16<<10))
		r.r.FieldsPerRecord = 1 + len(t.columns)
		if err := r.advance(); err != nil {
			return nil, err
		}
		if r.cur != nil {
			s.h = append(s.h, r)
		}
	}
	heap.Init(&s.h)
	return s, nil
}

func (s *sortedCSV) next() (*row, error) {
	if len(s.h) == 0 {
		return nil, io.EOF
	}
	top := s.h[0]
	out := top.cur
	if err := top.advance(); err != nil {
		return nil, err
	}
	if top.cur == nil {
		heap.Pop(&s.h)
	} else {
		heap.Fix(&s.h, 0)
	}
	return out, nil
}

func (s *sortedCSV) close() error {
	var errs []error
	for _, r := range s.runs {
		if r.f != nil {
			errs = append(errs, r.f.Close())
		}
	}
	return errors.Join(errs...)
}

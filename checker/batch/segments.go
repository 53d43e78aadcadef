package batch

import (
	"bufio"
	"errors"
	"io"
	"iter"
	"slices"

	"github.com/wtcheck/wtcheck/checker"
)

// passOverShare bounds what a stretch may read only to pass over: a stretch begins reading
// each run at the run's last restart before the stretch's first value, up to restartEvery
// values early (half that on average), so a list is cut only into stretches that hold at
// least passOverShare × restartEvery of each run's values, and the values read twice stay
// under a sixteenth.
const passOverShare = 8

// Segments cuts the list into stretches of about size values, in order, for a caller that
// walks them at once on several goroutines (a report laid out on every core): walking them
// one after another yields what Scan yields, with Scan's terms, and each may be walked once,
// on any goroutine, beside the others. The cuts are at values the runs restart at
// (restartEvery), picked as quantiles of them, so stretches are of about size values and
// none is read twice but for the few values before each cut. A list that is short, or whose
// runs are too many or too short for the values read twice to stay few (a batch far out of
// order), is one stretch: Scan. A run that cannot be read back while the cuts are found
// sets Err, and every stretch is then empty.
func (l *sortedList[T]) Segments(size int) []iter.Seq[*T] {
	whole := []iter.Seq[*T]{l.Scan()}
	if size < 1 || l.n < 2*size || l.Err() != nil {
		return whole
	}
	n := (l.n + size - 1) / size
	for _, s := range l.sources {
		if s.mem == nil {
			n = min(n, s.run.n/(passOverShare*restartEvery))
		}
	}
	if n < 2 {
		return whole
	}
	// Each run's first values at each of its restarts (every restartEvery values for a
	// source in memory), read into values of their own.
	starts := make([][]*T, len(l.sources))
	var all []*T
	var r *bufio.Reader
	for i := range l.sources {
		s := &l.sources[i]
		if s.mem != nil {
			for k := 0; k < s.mem.n; k += restartEvery {
				all = append(all, s.mem.at(k))
			}
			continue
		}
		starts[i] = make([]*T, len(s.run.restarts))
		for k := range s.run.restarts {
			sr := s.fromRestart(k)
			if r == nil {
				r = bufio.NewReaderSize(sr, minRunBuffer)
			} else {
				r.Reset(sr)
			}
			v := new(T)
			if err := l.cfg.codec.decoder()(r, v, nil); err != nil {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				l.fail(i, err)
				return whole
			}
			starts[i][k] = v
			all = append(all, v)
		}
	}
	slices.SortStableFunc(all, l.cfg.cmp)
	// Each cut is after the one before it (after the first value, for the first), so that
	// no stretch is empty.
	var cuts []*T
	prev := all[0]
	for j := 1; j < n; j++ {
		if c := all[j*len(all)/n]; l.cfg.cmp(c, prev) > 0 {
			cuts = append(cuts, c)
			prev = c
		}
	}
	if len(cuts) == 0 {
		return whole
	}
	segs := make([]iter.Seq[*T], 0, len(cuts)+1)
	for j := range len(cuts) + 1 {
		st := stretch[T]{starts: starts}
		if j > 0 {
			st.lo = cuts[j-1]
		}
		if j < len(cuts) {
			st.hi = cuts[j]
		}
		segs = append(segs, func(yield func(*T) bool) { l.walkStretch(st, true, yield) })
	}
	return segs
}

// A list of findings kept in runs can be cut into stretches walked at once.
var _ checker.FindingSegmenter = (*sortedList[checker.Finding])(nil)

package batch

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source/casejson"
)

// Runs of findings are written in a small binary form of our own, chosen by measurement
// (BenchmarkRunCodec, docs/performance.md) over gob and JSON lines: it is the smallest on
// disk and the quickest both ways, because a sorted run repeats itself. Strings that come
// from the packs (edition, rule, pack, status, severity, citation, note, proxies) are written once
// per run and then by number; strings that repeat from one finding to the next in a sorted
// run (the case, its referral, team and file) are written only when they change; the rest
// (subject, message) are written whole. Dates are day counts, numbers varints.
//
// Every field of Finding and BaselineEntry must be written: TestRunCodecWritesEveryField
// fills each field by reflection and fails when a field added to either type is not written
// here.

// maxDictionary bounds the strings a run numbers, so that a pack (or an overlay) with very
// many distinct notes or citations cannot make a run's table large: past it, strings are
// written whole.
const maxDictionary = 4096

// maxRunString bounds a string read back from a run: nothing in a finding is near it, so a
// longer one means the run is damaged, and it must not become a huge allocation.
const maxRunString = casejson.DefaultMaxRecordBytes

// dayZero is the day dates are counted from in a run.
var dayZero = record.MustDate("2000-01-01")

var errDamagedRun = errors.New("damaged run")

// runWriter writes the parts of one run's values. A value is put together in buf and
// written at once (end): a call of the bufio.Writer for each part was a fifth of writing a run.
type runWriter struct {
	w    *bufio.Writer
	dict map[string]uint64
	prev []string // the last value of each field written only when it changes
	buf  []byte
}

func newRunWriter(w *bufio.Writer, changing int) *runWriter {
	return &runWriter{w: w, dict: map[string]uint64{}, prev: make([]string, changing)}
}

func (rw *runWriter) uvarint(x uint64) { rw.buf = binary.AppendUvarint(rw.buf, x) }
func (rw *runWriter) varint(x int64)   { rw.buf = binary.AppendVarint(rw.buf, x) }

// end writes the value put together.
func (rw *runWriter) end() {
	rw.w.Write(rw.buf)
	rw.buf = rw.buf[:0]
}

// str writes a string whole.
func (rw *runWriter) str(s string) {
	rw.uvarint(uint64(len(s)))
	rw.buf = append(rw.buf, s...)
}

// known writes a string that repeats across a run: its number once it has one, else 0 and
// the string, which then gets the next number.
func (rw *runWriter) known(s string) {
	if id, ok := rw.dict[s]; ok {
		rw.uvarint(id + 1)
		return
	}
	rw.uvarint(0)
	rw.str(s)
	if len(rw.dict) < maxDictionary {
		rw.dict[s] = uint64(len(rw.dict))
	}
}

// changed writes field k's string if it differs from the last one written (len + 1, then the
// string), else 0.
func (rw *runWriter) changed(k int, s string) {
	if s == rw.prev[k] {
		rw.uvarint(0)
		return
	}
	rw.uvarint(uint64(len(s)) + 1)
	rw.buf = append(rw.buf, s...)
	rw.prev[k] = s
}

// date writes a date as days after dayZero, 0 for a date not recorded (present dates are
// shifted by one so that they never write 0).
func (rw *runWriter) date(d record.Date) {
	if d.IsZero() {
		rw.varint(0)
		return
	}
	n := int64(dayZero.DaysUntil(d))
	if n >= 0 {
		n++
	}
	rw.varint(n)
}

// optInt writes a number that may be absent: 0 absent, else the number shifted as in date.
func (rw *runWriter) optInt(p *int) {
	if p == nil {
		rw.varint(0)
		return
	}
	n := int64(*p)
	if n >= 0 {
		n++
	}
	rw.varint(n)
}

// runReader reads back what a runWriter wrote, keeping the same state.
type runReader struct {
	r     *bufio.Reader
	table []string
	prev  []string
	err   error
}

// Strings read back are each allocated, also when the values are read to reuse: cut from
// blocks of 4 KiB, they saved two allocations a finding, but a block was kept as long as any
// of its strings was (the last file name of a run, a finding waiting in a batch), and the
// check of 100,000 cases listing every status peaked at 137–140 MiB instead of 127–129.

func newRunReader(r *bufio.Reader, changing int) *runReader {
	return &runReader{r: r, prev: make([]string, changing)}
}

// A runReader keeps its first error and reads zero values after it, so that a decoder checks
// once at the end.
func (rr *runReader) fail(err error) {
	if rr.err == nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		rr.err = err
	}
}

var errVarintOverflow = errors.New("varint overflows a 64-bit integer")

// uvarint reads a number as binary.ReadUvarint does, byte by byte from the bufio.Reader
// itself: binary.ReadUvarint's io.ByteReader made every byte an interface call, an eighth of
// reading a run back.
func (rr *runReader) uvarint() uint64 {
	if rr.err != nil {
		return 0
	}
	var x uint64
	var s uint
	for i := range binary.MaxVarintLen64 {
		b, err := rr.r.ReadByte()
		if err != nil {
			rr.fail(err)
			return 0
		}
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				break
			}
			return x | uint64(b)<<s
		}
		x |= uint64(b&0x7f) << s
		s += 7
	}
	rr.fail(fmt.Errorf("%w: %w", errDamagedRun, errVarintOverflow))
	return 0
}

func (rr *runReader) varint() int64 {
	ux := rr.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (rr *runReader) bytes(n uint64) string {
	if rr.err != nil {
		return ""
	}
	if n > maxRunString {
		rr.fail(fmt.Errorf("%w: a string of %d bytes", errDamagedRun, n))
		return ""
	}
	if n == 0 {
		return ""
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(rr.r, b); err != nil {
		rr.fail(err)
		return ""
	}
	return unsafe.String(&b[0], len(b)) // b is never written again
}

func (rr *runReader) str() string { return rr.bytes(rr.uvarint()) }

func (rr *runReader) known() string {
	id := rr.uvarint()
	if id == 0 {
		s := rr.str()
		if rr.err == nil && len(rr.table) < maxDictionary {
			rr.table = append(rr.table, s)
		}
		return s
	}
	if id > uint64(len(rr.table)) {
		rr.fail(fmt.Errorf("%w: string number %d of %d", errDamagedRun, id, len(rr.table)))
		return ""
	}
	return rr.table[id-1]
}

func (rr *runReader) changed(k int) string {
	n := rr.uvarint()
	if n == 0 {
		return rr.prev[k]
	}
	s := rr.bytes(n - 1)
	rr.prev[k] = s
	return s
}

func (rr *runReader) date() record.Date {
	n := rr.varint()
	switch {
	case n == 0:
		return record.Date{}
	case n > 0:
		n--
	}
	return dayZero.AddDays(int(n))
}

// optInt reads a number that may be absent, nil when it is.
func (rr *runReader) optInt() *int {
	n := rr.varint()
	switch {
	case n == 0:
		return nil
	case n > 0:
		n--
	}
	v := int(n)
	return &v
}

// optIntInto reads a number that may be absent into *into: nil when absent, else into.
func (rr *runReader) optIntInto(into *int) *int {
	n := rr.varint()
	switch {
	case n == 0:
		return nil
	case n > 0:
		n--
	}
	*into = int(n)
	return into
}

// The fields of a finding written only when they change, by index in runWriter.prev.
const (
	fCase = iota
	fIncident
	fArea
	fReferral
	fTeam
	fFile
	findingChanging
)

// findingCodec writes findings to runs.
var findingCodec = runCodec[checker.Finding]{
	encoder: func() func(*bufio.Writer, *checker.Finding) {
		var rw *runWriter
		return func(w *bufio.Writer, f *checker.Finding) {
			if rw == nil {
				rw = newRunWriter(w, findingChanging)
			}
			rw.changed(fCase, f.CaseID)
			rw.changed(fIncident, f.IncidentID)
			rw.changed(fArea, f.AreaID)
			rw.known(f.Edition)
			rw.known(f.Rule)
			rw.str(f.Subject)
			rw.changed(fReferral, f.Referral)
			rw.known(f.Pack)
			rw.known(string(f.Status))
			rw.known(string(f.Severity))
			rw.date(f.Start)
			rw.date(f.Due)
			rw.date(f.Done)
			rw.date(f.Closed)
			rw.optInt(f.LateWorkingDays)
			rw.optInt(f.LateDays)
			rw.optInt(f.WorkingDaysLeft)
			if f.DueSoon {
				rw.uvarint(1)
			} else {
				rw.uvarint(0)
			}
			rw.str(f.Message)
			rw.known(f.Citation)
			// nil and empty lists are told apart, so that a finding reads back exactly.
			if f.ProjectedHolidays == nil {
				rw.uvarint(0)
			} else {
				rw.uvarint(uint64(len(f.ProjectedHolidays)) + 1)
				for _, d := range f.ProjectedHolidays {
					rw.date(d)
				}
			}
			// nil and empty proxies are told apart, so that a finding reads back exactly.
			if f.Proxies == nil {
				rw.uvarint(0)
			} else {
				rw.uvarint(uint64(len(f.Proxies)) + 1)
				for _, p := range f.Proxies {
					rw.known(p)
				}
			}
			rw.known(f.Note)
			rw.changed(fTeam, f.Team)
			rw.changed(fFile, f.File)
			rw.varint(int64(f.Record))
			rw.end()
		}
	},
	decoder: func(reuse bool) func(*bufio.Reader, *checker.Finding) error {
		var rr *runReader
		// Reading to reuse, a finding's numbers and lists are read into these, every time.
		var ints [3]int
		var holidays []record.Date
		var proxies []string
		return func(r *bufio.Reader, f *checker.Finding) error {
			if rr == nil {
				rr = newRunReader(r, findingChanging)
			}
			f.CaseID = rr.changed(fCase)
			f.IncidentID = rr.changed(fIncident)
			f.AreaID = rr.changed(fArea)
			f.Edition = rr.known()
			f.Rule = rr.known()
			f.Subject = rr.str()
			f.Referral = rr.changed(fReferral)
			f.Pack = rr.known()
			f.Status = checker.Status(rr.known())
			f.Severity = checker.Severity(rr.known())
			f.Start = rr.date()
			f.Due = rr.date()
			f.Done = rr.date()
			f.Closed = rr.date()
			if reuse {
				f.LateWorkingDays = rr.optIntInto(&ints[0])
				f.LateDays = rr.optIntInto(&ints[1])
				f.WorkingDaysLeft = rr.optIntInto(&ints[2])
			} else {
				f.LateWorkingDays = rr.optInt()
				f.LateDays = rr.optInt()
				f.WorkingDaysLeft = rr.optInt()
			}
			f.DueSoon = rr.uvarint() == 1
			f.Message = rr.str()
			f.Citation = rr.known()
			f.ProjectedHolidays, f.Proxies = nil, nil
			if n := rr.uvarint(); n > 0 && rr.err == nil {
				if n-1 > maxDictionary {
					rr.fail(fmt.Errorf("%w: %d projected holidays", errDamagedRun, n-1))
				} else {
					if !reuse || holidays == nil || uint64(cap(holidays)) < n-1 {
						holidays = make([]record.Date, n-1)
					}
					f.ProjectedHolidays = holidays[:n-1]
					for i := range f.ProjectedHolidays {
						f.ProjectedHolidays[i] = rr.date()
					}
				}
			}
			if n := rr.uvarint(); n > 0 && rr.err == nil {
				if n-1 > maxDictionary {
					rr.fail(fmt.Errorf("%w: %d proxies", errDamagedRun, n-1))
				} else {
					if !reuse || proxies == nil || uint64(cap(proxies)) < n-1 {
						proxies = make([]string, n-1)
					}
					f.Proxies = proxies[:n-1]
					for i := range f.Proxies {
						f.Proxies[i] = rr.known()
					}
				}
			}
			f.Note = rr.known()
			f.Team = rr.changed(fTeam)
			f.File = rr.changed(fFile)
			f.Record = int(rr.varint())
			return rr.err
		}
	},
}

// cloneFinding copies src into dst with its numbers and lists in spare, so that dst stays
// true once src is read over (a run's next finding is read into the same place). Every field
// of Finding that points somewhere must be copied here: TestCloneFindingOwnsWhatItPointsTo
// fails on one that is not.
func cloneFinding(dst, src *checker.Finding, spare *valueSpare) {
	*dst = *src
	for i, p := range [...]**int{&dst.LateWorkingDays, &dst.LateDays, &dst.WorkingDaysLeft} {
		if *p != nil {
			spare.ints[i] = **p
			*p = &spare.ints[i]
		}
	}
	// An empty list stays empty, or nil, as it was, and shares nothing.
	if src.ProjectedHolidays != nil {
		spare.dates = append(spare.dates[:0], src.ProjectedHolidays...)
		dst.ProjectedHolidays = spare.dates[:len(src.ProjectedHolidays):len(src.ProjectedHolidays)]
		if len(src.ProjectedHolidays) == 0 {
			dst.ProjectedHolidays = []record.Date{}
		}
	}
	if src.Proxies != nil {
		spare.strs = append(spare.strs[:0], src.Proxies...)
		dst.Proxies = spare.strs[:len(src.Proxies):len(src.Proxies)]
		if len(src.Proxies) == 0 {
			dst.Proxies = []string{}
		}
	}
}

// findingSize is roughly what a listed finding holds in memory: the struct and the strings
// made for it. Strings shared with the pack (rule, citation) or the record (file, team) are not
// counted; the case id, shared by a case's findings, is, to err on the safe side.
func findingSize(f *checker.Finding) int64 {
	n := int64(unsafe.Sizeof(*f)) + int64(len(f.CaseID)+len(f.IncidentID)+len(f.AreaID)+len(f.Subject)+len(f.Referral)+len(f.Message)+len(f.Note))
	for _, p := range []*int{f.LateWorkingDays, f.LateDays, f.WorkingDaysLeft} {
		if p != nil {
			n += 8
		}
	}
	for _, p := range f.Proxies {
		n += int64(unsafe.Sizeof(p)) + int64(len(p))
	}
	n += int64(len(f.ProjectedHolidays)) * int64(unsafe.Sizeof(record.Date{}))
	return n
}

// The fields of a baseline entry written only when they change.
const (
	bCase = iota
	bReferral
	breachChanging
)

// breachCodec writes baseline entries to runs.
var breachCodec = runCodec[checker.BaselineEntry]{
	encoder: func() func(*bufio.Writer, *checker.BaselineEntry) {
		var rw *runWriter
		return func(w *bufio.Writer, e *checker.BaselineEntry) {
			if rw == nil {
				rw = newRunWriter(w, breachChanging)
			}
			rw.changed(bCase, e.CaseID)
			rw.known(e.Edition)
			rw.known(e.Rule)
			rw.changed(bReferral, e.Referral)
			rw.str(e.Subject)
			rw.known(e.Pack)
			rw.end()
		}
	},
	decoder: func(reuse bool) func(*bufio.Reader, *checker.BaselineEntry) error {
		var rr *runReader
		return func(r *bufio.Reader, e *checker.BaselineEntry) error {
			if rr == nil {
				rr = newRunReader(r, breachChanging)
			}
			e.CaseID = rr.changed(bCase)
			e.Edition = rr.known()
			e.Rule = rr.known()
			e.Referral = rr.changed(bReferral)
			e.Subject = rr.str()
			e.Pack = rr.known()
			return rr.err
		}
	},
}

func breachSize(e *checker.BaselineEntry) int64 {
	return int64(unsafe.Sizeof(*e)) + int64(len(e.CaseID)+len(e.Referral)+len(e.Subject))
}

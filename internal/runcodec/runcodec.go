// Package runcodec writes values to the runs a batch sorts on disk, and reads them back: the
// parts of a value (numbers as varints, dates as day counts, strings whole, by number once a
// run has seen them, or only when they change), in a form of our own chosen by measurement
// (docs/performance.md, BenchmarkRunCodec). The check's findings and breaches
// (checker/batch) and compare's differences (checker/compare) are written with it.
package runcodec

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/wtcheck/wtcheck/record"
)

// MaxDictionary bounds the strings a run numbers, so that a pack (or an overlay) with very
// many distinct notes or citations cannot make a run's table large: past it, strings are
// written whole.
const MaxDictionary = 4096

// DayZero is the day dates are counted from in a run.
var DayZero = record.MustDate("2000-01-01")

// ErrDamaged is a run that cannot be what a Writer wrote.
var ErrDamaged = errors.New("damaged run")

// Writer writes the parts of one run's values. A value is put together in buf and
// written at once (end): a call of the bufio.Writer for each part was a fifth of writing a run.
type Writer struct {
	w    *bufio.Writer
	dict map[string]uint64
	// seen remembers, by where its bytes are, the number of a string Known looked up: the
	// strings of a run that repeat (a pack's editions, rules, citations; the statuses) are
	// most often the very same string, and looking one up by address is cheaper than hashing
	// it (the map's look-ups were a third of writing a finding). Holding the address keeps
	// the string alive, so that no other string is ever at it.
	seen  [seenSlots]seenString
	empty uint64   // the empty string's number + 1, once it has one
	prev  []string // the last value of each field written only when it changes
	buf   []byte
}

// seenSlots is how many strings' numbers a Writer remembers by address: more than the
// strings a finding has that repeat, so that they seldom push each other out.
const seenSlots = 512

type seenString struct {
	p  *byte
	n  int
	id uint64
}

// NewWriter writes a run to w; changing is how many fields are written only when they change
// (Changed).
func NewWriter(w *bufio.Writer, changing int) *Writer {
	return &Writer{w: w, dict: map[string]uint64{}, prev: make([]string, changing)}
}

// Uvarint writes a number.
func (rw *Writer) Uvarint(x uint64) { rw.buf = binary.AppendUvarint(rw.buf, x) }

// Varint writes a signed number, zigzagged.
func (rw *Writer) Varint(x int64) { rw.buf = binary.AppendVarint(rw.buf, x) }

// End writes the value put together.
func (rw *Writer) End() {
	rw.w.Write(rw.buf)
	rw.buf = rw.buf[:0]
}

// Str writes a string whole.
func (rw *Writer) Str(s string) {
	rw.Uvarint(uint64(len(s)))
	rw.buf = append(rw.buf, s...)
}

// Pair writes two strings whole, to be read back in one allocation (Reader.Pair): a finding's
// subject and message, read back for every listed finding, were two of its allocations.
func (rw *Writer) Pair(a, b string) {
	rw.Uvarint(uint64(len(a)))
	rw.Uvarint(uint64(len(b)))
	rw.buf = append(rw.buf, a...)
	rw.buf = append(rw.buf, b...)
}

// Known writes a string that repeats across a run: its number once it has one, else 0 and
// the string, which then gets the next number.
func (rw *Writer) Known(s string) {
	if len(s) == 0 {
		// Empty strings (absent fields, most often) have no address of their own.
		if rw.empty == 0 {
			if id, ok := rw.known(s); ok {
				rw.empty = id + 1
			}
			return
		}
		rw.Uvarint(rw.empty)
		return
	}
	p := unsafe.StringData(s)
	slot := &rw.seen[uint64(uintptr(unsafe.Pointer(p)))*0x9E3779B97F4A7C15>>(64-9)]
	if slot.p == p && slot.n == len(s) {
		rw.Uvarint(slot.id + 1)
		return
	}
	if id, ok := rw.known(s); ok {
		*slot = seenString{p: p, n: len(s), id: id}
	}
}

// known writes s by the dictionary, and returns its number if it has one.
func (rw *Writer) known(s string) (uint64, bool) {
	if id, ok := rw.dict[s]; ok {
		rw.Uvarint(id + 1)
		return id, true
	}
	rw.Uvarint(0)
	rw.Str(s)
	if len(rw.dict) < MaxDictionary {
		id := uint64(len(rw.dict))
		rw.dict[s] = id
		return id, true
	}
	return 0, false
}

// Changed writes field k's string if it differs from the last one written (len + 1, then the
// string), else 0.
func (rw *Writer) Changed(k int, s string) {
	if s == rw.prev[k] {
		rw.Uvarint(0)
		return
	}
	rw.Uvarint(uint64(len(s)) + 1)
	rw.buf = append(rw.buf, s...)
	rw.prev[k] = s
}

// Date writes a date as days after DayZero, 0 for a date not recorded (present dates are
// shifted by one so that they never write 0).
func (rw *Writer) Date(d record.Date) {
	if d.IsZero() {
		rw.Varint(0)
		return
	}
	n := int64(DayZero.DaysUntil(d))
	if n >= 0 {
		n++
	}
	rw.Varint(n)
}

// OptInt writes a number that may be absent: 0 absent, else the number shifted as in date.
func (rw *Writer) OptInt(p *int) {
	if p == nil {
		rw.Varint(0)
		return
	}
	n := int64(*p)
	if n >= 0 {
		n++
	}
	rw.Varint(n)
}

// Reader reads back what a Writer wrote, keeping the same state.
type Reader struct {
	r         *bufio.Reader
	table     []string
	prev      []string
	err       error
	maxString uint64
	// win and pos are the Reader's window on r's buffer (Windowed): bytes peeked and not
	// yet discarded from r, of which the first pos are read. Without a window, win is empty
	// and every read is from r itself.
	win      []byte
	pos      int
	windowed bool
}

// Err is the first error met reading, or nil. A Reader reads zero values after one, so that a
// decoder checks once, at the end of a value.
func (rr *Reader) Err() error { return rr.err }

// Strings read back are each allocated, also when the values are read to reuse: cut from
// blocks of 4 KiB, they saved two allocations a finding, but a block was kept as long as any
// of its strings was (the last file name of a run, a finding waiting in a batch), and the
// check of 100,000 cases listing every status peaked at 137–140 MiB instead of 127–129.

// NewReader reads back a run a Writer wrote with as many changing fields; a string longer
// than maxString means the run is damaged (nothing the caller writes is near it), and is not
// allocated.
func NewReader(r *bufio.Reader, changing int, maxString uint64) *Reader {
	return &Reader{r: r, prev: make([]string, changing), maxString: maxString}
}

// Windowed makes the Reader read its values straight from r's buffer, which it peeks a
// buffer at a time, rather than through r's methods a byte or a string at a time: a number
// of one byte, most of a run, is then a look at a slice, where ReadByte's call was half of
// reading a run back (BenchmarkFindingCodec). What is read is discarded from r at End (and
// whenever the window is refilled), so a caller that reads r itself calls End first. It
// returns rr.
func (rr *Reader) Windowed() *Reader {
	rr.windowed = true
	return rr
}

// End discards from r what the Reader has read through its window, so that r is just past
// the last value read. Without a window it does nothing.
func (rr *Reader) End() {
	if rr.pos > 0 {
		rr.r.Discard(rr.pos) // never fails: the bytes are buffered
		rr.win = rr.win[rr.pos:]
		rr.pos = 0
	}
}

// refill discards what was read and peeks as much of r as its buffer holds; it reports
// whether at least need bytes are then in the window.
func (rr *Reader) refill(need int) bool {
	rr.End()
	win, err := rr.r.Peek(rr.r.Size())
	rr.win = win
	if len(win) >= need {
		return true
	}
	if err == nil || errors.Is(err, bufio.ErrBufferFull) {
		err = io.ErrUnexpectedEOF // cannot be: need is at most a buffer, which Peek fills
	}
	if len(win) > 0 && errors.Is(err, io.EOF) {
		return false // the caller takes what there is
	}
	rr.Fail(err)
	return false
}

// Fail keeps err as the Reader's first error, unless it has one: a Reader reads zero values
// after its first error, so that a decoder checks once at the end.
func (rr *Reader) Fail(err error) {
	if rr.err == nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		rr.err = err
		rr.win, rr.pos = nil, 0 // nothing more is read from the window
	}
}

var errVarintOverflow = errors.New("varint overflows a 64-bit integer")

// Uvarint reads a number as binary.ReadUvarint does. A number of one byte in the window is
// read here, inlined into the decoder; the rest by uvarint.
func (rr *Reader) Uvarint() uint64 {
	if p := rr.pos; p < len(rr.win) && rr.win[p] < 0x80 {
		rr.pos = p + 1
		return uint64(rr.win[p])
	}
	return rr.uvarint()
}

// uvarint reads a number from the window, or byte by byte from the bufio.Reader itself
// without one: binary.ReadUvarint's io.ByteReader made every byte an interface call.
func (rr *Reader) uvarint() uint64 {
	if rr.err != nil {
		return 0
	}
	if rr.windowed {
		if len(rr.win)-rr.pos < binary.MaxVarintLen64 {
			rr.refill(binary.MaxVarintLen64)
			if rr.err != nil {
				return 0
			}
		}
		x, n := binary.Uvarint(rr.win[rr.pos:])
		switch {
		case n > 0:
			rr.pos += n
			return x
		case n == 0 && len(rr.win)-rr.pos < binary.MaxVarintLen64:
			rr.Fail(io.ErrUnexpectedEOF) // the run ends inside the number
			return 0
		}
		// Ten bytes and more to come, or a tenth byte past 64 bits.
		rr.Fail(fmt.Errorf("%w: %w", ErrDamaged, errVarintOverflow))
		return 0
	}
	var x uint64
	var s uint
	for i := range binary.MaxVarintLen64 {
		b, err := rr.r.ReadByte()
		if err != nil {
			rr.Fail(err)
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
	rr.Fail(fmt.Errorf("%w: %w", ErrDamaged, errVarintOverflow))
	return 0
}

// Varint reads a signed number a Writer's Varint wrote.
func (rr *Reader) Varint() int64 {
	ux := rr.Uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

// Bytes reads n bytes as a string of its own.
func (rr *Reader) Bytes(n uint64) string {
	if rr.err != nil {
		return ""
	}
	if n > rr.maxString {
		rr.Fail(fmt.Errorf("%w: a string of %d bytes", ErrDamaged, n))
		return ""
	}
	if n == 0 {
		return ""
	}
	if rr.windowed && n <= uint64(len(rr.win)-rr.pos) {
		s := string(rr.win[rr.pos : rr.pos+int(n)])
		rr.pos += int(n)
		return s
	}
	b := make([]byte, n)
	// What the window holds of the string, then the rest from r.
	c := copy(b, rr.win[rr.pos:])
	rr.pos += c
	rr.End()
	rr.win = nil // r is read past the window's bytes below
	if _, err := io.ReadFull(rr.r, b[c:]); err != nil {
		rr.Fail(err)
		return ""
	}
	return unsafe.String(&b[0], len(b)) // b is never written again
}

// Str reads a string Str wrote.
func (rr *Reader) Str() string { return rr.Bytes(rr.Uvarint()) }

// Pair reads two strings Pair wrote, made in one allocation: they are kept, and dropped,
// together.
func (rr *Reader) Pair() (string, string) {
	na, nb := rr.Uvarint(), rr.Uvarint()
	if rr.err == nil && max(na, nb) > rr.maxString {
		rr.Fail(fmt.Errorf("%w: a string of %d bytes", ErrDamaged, max(na, nb)))
	}
	ab := rr.Bytes(na + nb) // each at most maxString, so the sum does not overflow
	if rr.err != nil {
		return "", ""
	}
	return ab[:na], ab[na:]
}

// Known reads a string Known wrote.
func (rr *Reader) Known() string {
	id := rr.Uvarint()
	if id == 0 {
		s := rr.Str()
		if rr.err == nil && len(rr.table) < MaxDictionary {
			rr.table = append(rr.table, s)
		}
		return s
	}
	if id > uint64(len(rr.table)) {
		rr.Fail(fmt.Errorf("%w: string number %d of %d", ErrDamaged, id, len(rr.table)))
		return ""
	}
	return rr.table[id-1]
}

// Changed reads field k's string as Changed wrote it.
func (rr *Reader) Changed(k int) string {
	n := rr.Uvarint()
	if n == 0 {
		return rr.prev[k]
	}
	s := rr.Bytes(n - 1)
	rr.prev[k] = s
	return s
}

// Date reads a date Date wrote.
func (rr *Reader) Date() record.Date {
	n := rr.Varint()
	switch {
	case n == 0:
		return record.Date{}
	case n > 0:
		n--
	}
	return DayZero.AddDays(int(n))
}

// OptInt reads a number that may be absent, nil when it is.
func (rr *Reader) OptInt() *int {
	v, ok := rr.OptIntValue()
	if !ok {
		return nil
	}
	return &v
}

// OptIntInto reads a number that may be absent into *into: nil when absent, else into.
func (rr *Reader) OptIntInto(into *int) *int {
	v, ok := rr.OptIntValue()
	if !ok {
		return nil
	}
	*into = v
	return into
}

// OptIntValue reads a number that may be absent (0), written + 1 when it is not negative.
func (rr *Reader) OptIntValue() (int, bool) {
	n := rr.Varint()
	switch {
	case n == 0:
		return 0, false
	case n > 0:
		n--
	}
	return int(n), true
}

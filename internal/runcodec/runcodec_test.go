package runcodec

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// part is one thing written to a run and what reading it back must give.
type part struct {
	kind string // "known", "str", "pair", "changed", "date", "int"
	s, t string
	k    int
	d    record.Date
	n    int64
}

// someParts is a run's worth of parts that exercise what a Writer remembers: the same
// strings at the same address and at others, the empty string, more strings than the
// address cache has slots and than the dictionary numbers, strings longer than a small
// read buffer, changing fields that change and do not, dates and numbers of every size.
func someParts() []part {
	long := strings.Repeat("a long citation, ", 40) // 680 bytes: longer than a small buffer
	var parts []part
	for i := range 3 * MaxDictionary {
		// Built afresh each time: the same content at another address.
		s := "rule-" + strconv.Itoa(i%(MaxDictionary+700))
		parts = append(parts,
			part{kind: "known", s: s},
			part{kind: "known", s: "edition-2018"}, // one address throughout
			part{kind: "known", s: ""},
			part{kind: "known", s: long[:i%len(long)]},
			part{kind: "pair", s: "P" + strconv.Itoa(i), t: long[i%len(long):]},
			part{kind: "pair", s: "", t: ""},
			part{kind: "str", s: strconv.Itoa(i * 7919)},
			part{kind: "changed", k: i % 2, s: "C-" + strconv.Itoa(i/3)},
			part{kind: "date", d: DayZero.AddDays(i - 2000)},
			part{kind: "date"},
			part{kind: "int", n: int64(i) << (i % 60)},
			part{kind: "int", n: -int64(i) << (i % 60)},
		)
	}
	return parts
}

func writeParts(t *testing.T, parts []part, size int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriterSize(&buf, size)
	rw := NewWriter(w, 2)
	for i, p := range parts {
		switch p.kind {
		case "known":
			rw.Known(p.s)
		case "str":
			rw.Str(p.s)
		case "pair":
			rw.Pair(p.s, p.t)
		case "changed":
			rw.Changed(p.k, p.s)
		case "date":
			rw.Date(p.d)
		case "int":
			rw.Varint(p.n)
			rw.Uvarint(uint64(p.n))
		}
		if i%5 == 4 {
			rw.End()
		}
	}
	rw.End()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readParts reads the parts back, checking each, and returns the reader's error.
func readParts(t *testing.T, parts []part, rr *Reader, name string) error {
	t.Helper()
	bad := 0
	for i, p := range parts {
		var got, want string
		switch p.kind {
		case "known":
			got, want = rr.Known(), p.s
		case "str":
			got, want = rr.Str(), p.s
		case "pair":
			a, b := rr.Pair()
			got, want = a+"|"+b, p.s+"|"+p.t
		case "changed":
			got, want = rr.Changed(p.k), p.s
		case "date":
			got, want = rr.Date().String(), p.d.String()
		case "int":
			n, u := rr.Varint(), rr.Uvarint()
			got, want = strconv.FormatInt(n, 10)+" "+strconv.FormatUint(u, 10), strconv.FormatInt(p.n, 10)+" "+strconv.FormatUint(uint64(p.n), 10)
		}
		if rr.Err() != nil {
			return rr.Err()
		}
		if got != want && bad < 5 {
			bad++
			t.Errorf("%s: part %d (%s): got %.40q, want %.40q", name, i, p.kind, got, want)
		}
		if i%5 == 4 {
			rr.End()
		}
	}
	rr.End()
	return rr.Err()
}

// TestRunRoundTrip: what a Writer writes reads back the same, through a window on the
// buffer of every size (a string or a number across the buffer's end, a string longer than
// the buffer) and without one, and the reader is left just past the last value.
func TestRunRoundTrip(t *testing.T) {
	parts := someParts()
	data := writeParts(t, parts, 4096)
	if again := writeParts(t, parts, 16); !bytes.Equal(again, data) {
		t.Fatal("the run's bytes depend on the writer's buffer")
	}
	for _, size := range []int{16, 17, 100, 4096, 64 << 10} {
		for _, windowed := range []bool{false, true} {
			name := "buffer " + strconv.Itoa(size)
			if windowed {
				name += ", windowed"
			}
			r := bufio.NewReaderSize(bytes.NewReader(append(data, 0xAB)), size)
			rr := NewReader(r, 2, 1<<20)
			if windowed {
				rr.Windowed()
			}
			if err := readParts(t, parts, rr, name); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if b, err := r.ReadByte(); err != nil || b != 0xAB {
				t.Errorf("%s: the reader is at %#x (%v), not just past the run", name, b, err)
			}
		}
	}
}

// TestKnownNumbersByContent: a string Known wrote is numbered by its content, wherever its
// bytes are, so a string at an address another string had is never taken for that one.
func TestKnownNumbersByContent(t *testing.T) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	rw := NewWriter(w, 0)
	b := []byte("first")
	s1 := string(b)
	rw.Known(s1)
	rw.Known(s1)
	b2 := []byte("other")
	s2 := string(b2)
	rw.Known(s2)
	rw.Known("first") // the same content at another address
	rw.End()
	w.Flush()
	rr := NewReader(bufio.NewReader(&buf), 0, 100).Windowed()
	var got []string
	for range 4 {
		got = append(got, rr.Known())
	}
	if want := "first first other first"; strings.Join(got, " ") != want || rr.Err() != nil {
		t.Errorf("read back %q (%v), want %q", got, rr.Err(), want)
	}
}

// TestWindowedReaderErrors: a run cut short, in a number, a string or a pair, or a length
// past the limit, is an error through a window as without one, never a value made up.
func TestWindowedReaderErrors(t *testing.T) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	rw := NewWriter(w, 0)
	rw.Uvarint(1 << 40)
	rw.Str(strings.Repeat("x", 300))
	rw.Pair("subject", strings.Repeat("m", 200))
	rw.End()
	w.Flush()
	data := buf.Bytes()
	for cut := range len(data) {
		for _, windowed := range []bool{false, true} {
			rr := NewReader(bufio.NewReaderSize(bytes.NewReader(data[:cut]), 16), 0, 1<<20)
			if windowed {
				rr.Windowed()
			}
			n := rr.Uvarint()
			s := rr.Str()
			a, b := rr.Pair()
			if !errors.Is(rr.Err(), io.ErrUnexpectedEOF) {
				t.Fatalf("cut at %d (windowed %v): %d %q %q, error %v; want %v", cut, windowed, n, s, a+b, rr.Err(), io.ErrUnexpectedEOF)
			}
		}
	}
	for _, windowed := range []bool{false, true} {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		rw := NewWriter(w, 0)
		rw.Pair("a", strings.Repeat("m", 200))
		rw.End()
		w.Flush()
		rr := NewReader(bufio.NewReader(&buf), 0, 100)
		if windowed {
			rr.Windowed()
		}
		if a, b := rr.Pair(); a != "" || b != "" || !errors.Is(rr.Err(), ErrDamaged) {
			t.Errorf("a pair past the limit (windowed %v): %q %q, error %v; want %v", windowed, a, b, rr.Err(), ErrDamaged)
		}
	}
}

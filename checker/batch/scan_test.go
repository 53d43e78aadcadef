package batch

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"iter"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/internal/runcodec"
	"github.com/wtcheck/wtcheck/record"
)

// scanCopy walks seq and copies each finding, with what it points to, as a caller of Scan
// must to keep it; it also returns each finding's message as yielded (a string may be kept),
// and the places the findings were yielded in.
func scanCopy(seq iter.Seq[*checker.Finding]) (got []checker.Finding, messages []string, places map[*checker.Finding]bool) {
	places = map[*checker.Finding]bool{}
	for f := range seq {
		got = append(got, *f)
		g := &got[len(got)-1]
		for _, p := range []**int{&g.LateWorkingDays, &g.LateDays, &g.WorkingDaysLeft} {
			if *p != nil {
				v := **p
				*p = &v
			}
		}
		if g.ProjectedHolidays != nil {
			g.ProjectedHolidays = append([]record.Date{}, g.ProjectedHolidays...)
		}
		if g.Proxies != nil {
			g.Proxies = append([]string{}, g.Proxies...)
		}
		messages = append(messages, f.Message)
		places[f] = true
	}
	return got, messages, places
}

// TestScanAsAll: Scan yields, in order, the findings All yields, reading each of a run's
// findings into one place, so that a walk allocates no finding for each; and the strings it
// yields stay true after the walk has moved on.
func TestScanAsAll(t *testing.T) {
	rep, list := spilledReport(t, 130)
	defer rep.Close()
	want, err := checker.CollectFindings(list)
	if err != nil {
		t.Fatal(err)
	}
	runs, mem := 0, 0
	for _, s := range list.sources {
		if s.mem != nil {
			mem += s.mem.n
		} else {
			runs++
		}
	}
	got, messages, places := scanCopy(list.Scan())
	if err := list.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) < 1000 {
		t.Fatalf("Scan gave %d findings, All %d (want over a thousand)", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("finding %d:\nScan %+v\n All %+v", i, got[i], want[i])
		}
		if messages[i] != want[i].Message {
			t.Fatalf("finding %d's message, kept from Scan, now reads %q; want %q", i, messages[i], want[i].Message)
		}
	}
	// One place a run, and each finding held in memory.
	if runs < 2 || len(places) > runs+mem {
		t.Errorf("findings yielded in %d places; want %d at most (%d runs, two or more)", len(places), runs+mem, runs)
	}
	all := testing.AllocsPerRun(3, func() {
		for range list.All() {
		}
	})
	scan := testing.AllocsPerRun(3, func() {
		for range list.Scan() {
		}
	})
	// Scan reads each finding of a run into one place (its strings are still made).
	if all < float64(len(want)) || scan > all-float64(len(want)) {
		t.Errorf("a walk of %d findings in %d runs allocates %.0f times with All, %.0f with Scan; want Scan to allocate one a finding fewer than All",
			len(want), runs, all, scan)
	}
	// A walk stopped early leaves the list whole for the next.
	n := 0
	for range list.Scan() {
		if n++; n == len(want)/2 {
			break
		}
	}
	if again, _, _ := scanCopy(list.Scan()); !reflect.DeepEqual(again, want) {
		t.Error("a whole walk after one stopped early differs from All")
	}
}

// TestScanRunDamaged: a run cut short ends a Scan with the error, as it ends All, on a short
// list and on a long one.
func TestScanRunDamaged(t *testing.T) {
	for _, cases := range []int{40, 100} {
		rep, list := spilledReport(t, cases)
		if err := list.files[0].f.Truncate(list.sources[0].run.size / 2); err != nil {
			t.Fatal(err)
		}
		n := 0
		for range rep.Scanned() {
			n++
		}
		if err := rep.ListErr(); err == nil || n >= rep.ListedLen() || !strings.Contains(err.Error(), "unexpected EOF") {
			t.Errorf("%d cases (%d findings): scanned %d, error %v; want unexpected EOF before the end", cases, rep.ListedLen(), n, err)
		}
		rep.Close()
	}
}

// TestDecodedFindingOwnsWhatItPointsTo holds the run codec to its word (runCodec): a finding
// read into a place with a spare of its own shares nothing with one read before it by the
// same decoder into another place. It covers every field that points somewhere (a field of
// such a kind added to Finding and not read into the spare fails here), lists empty and nil
// kept apart, and a spare reused when its place is read into again.
func TestDecodedFindingOwnsWhatItPointsTo(t *testing.T) {
	var full1, full2 checker.Finding
	fillFields(t, reflect.ValueOf(&full1).Elem(), 1)
	fillFields(t, reflect.ValueOf(&full2).Elem(), 50)
	empty := checker.Finding{ProjectedHolidays: []record.Date{}, Proxies: []string{}}
	// Empty lists first, into a spare that holds none yet; the last value into a slot read
	// into twice before.
	values := []checker.Finding{empty, full1, full2, full1, empty, {}, full2}
	r := writeRun(t, findingCodec, values)
	dec := findingCodec.decoder()
	slots := make([]readSlot[checker.Finding], 3)
	var read []*checker.Finding
	for i := range values {
		s := &slots[i%len(slots)] // the fourth value is read into the first slot again, and so on
		if err := dec(r, &s.v, &s.spare); err != nil {
			t.Fatalf("value %d: %v", i, err)
		}
		read = append(read, &s.v)
		// Every value still held (the last three) is as written.
		for j := max(0, i-len(slots)+1); j <= i; j++ {
			if !reflect.DeepEqual(*read[j], values[j]) {
				t.Fatalf("after reading value %d, value %d is\n%+v\nwant\n%+v", i, j, *read[j], values[j])
			}
		}
	}
	// The reused slot's lists are its spare's.
	last := &slots[(len(values)-1)%len(slots)]
	if got := last.v.Proxies; len(got) == 0 || &got[0] != &last.spare.strs[0] {
		t.Error("a value's proxies are not in its slot's spare")
	}
	if got := last.v.LateDays; got != &last.spare.ints[1] {
		t.Error("a value's numbers are not in its slot's spare")
	}
}

// TestRunReaderVarints: the run reader reads numbers as binary.ReadUvarint does, and a number
// cut short or longer than 64 bits is an error, not a wrong number.
func TestRunReaderVarints(t *testing.T) {
	var buf []byte
	unsigned := []uint64{0, 1, 127, 128, 300, 1 << 21, 1<<35 + 3, math.MaxUint32, math.MaxUint64}
	signed := []int64{0, -1, 1, -64, 64, math.MinInt64, math.MaxInt64}
	for _, x := range unsigned {
		buf = binary.AppendUvarint(buf, x)
	}
	for _, x := range signed {
		buf = binary.AppendVarint(buf, x)
	}
	rr := runcodec.NewReader(bufio.NewReader(bytes.NewReader(buf)), 0, maxRunString)
	for _, want := range unsigned {
		if got := rr.Uvarint(); got != want || rr.Err() != nil {
			t.Errorf("uvarint %d, error %v; want %d", got, rr.Err(), want)
		}
	}
	for _, want := range signed {
		if got := rr.Varint(); got != want || rr.Err() != nil {
			t.Errorf("varint %d, error %v; want %d", got, rr.Err(), want)
		}
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"cut short", []byte{0x80, 0x80}, io.ErrUnexpectedEOF},
		{"nothing", nil, io.ErrUnexpectedEOF},
		{"past 64 bits", bytes.Repeat([]byte{0xff}, 10), runcodec.ErrDamaged},
		{"eleven bytes", append(bytes.Repeat([]byte{0x80}, 10), 0), runcodec.ErrDamaged},
	} {
		rr := runcodec.NewReader(bufio.NewReader(bytes.NewReader(tc.in)), 0, maxRunString)
		if got := rr.Uvarint(); got != 0 || !errors.Is(rr.Err(), tc.want) {
			t.Errorf("%s: %d, error %v; want 0 and %v", tc.name, got, rr.Err(), tc.want)
		}
	}
}

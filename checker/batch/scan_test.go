package batch

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
)

// TestScanAsAll: Scan yields, in order, the findings All yields, reading each of a run's
// into one place (so that a walk allocates no finding for each), and the strings it yields
// stay true after the walk has moved on.
func TestScanAsAll(t *testing.T) {
	rep, list := spilledReport(t, 100)
	defer rep.Close()
	want, err := checker.CollectFindings(list)
	if err != nil {
		t.Fatal(err)
	}
	var got []checker.Finding
	var messages []string
	places := map[*checker.Finding]bool{}
	for f := range list.Scan() {
		got = append(got, *f)
		// Copied, as a caller of Scan must: the numbers may be read into the same place.
		g := &got[len(got)-1]
		for _, p := range []**int{&g.LateWorkingDays, &g.LateDays, &g.WorkingDaysLeft} {
			if *p != nil {
				v := **p
				*p = &v
			}
		}
		g.ProjectedHolidays = append(g.ProjectedHolidays[:0:0], g.ProjectedHolidays...)
		g.Proxies = append(g.Proxies[:0:0], g.Proxies...)
		messages = append(messages, f.Message)
		places[f] = true
	}
	if err := list.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) < 1000 {
		t.Fatalf("Scan yielded %d findings, All %d (want over a thousand)", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("finding %d:\nScan %+v\n All %+v", i, got[i], want[i])
		}
		if messages[i] != want[i].Message {
			t.Fatalf("finding %d's message, kept from Scan, now reads %q; want %q", i, messages[i], want[i].Message)
		}
	}
	// One place a run on disk, and each finding still held in memory its own.
	runs, mem := 0, 0
	for _, s := range list.sources {
		if s.mem != nil {
			mem += s.mem.n
		} else {
			runs++
		}
	}
	if runs < 2 || len(places) > runs+mem {
		t.Errorf("Scan yielded findings in %d places; want one for each of %d runs (two or more), and %d held in memory", len(places), runs, mem)
	}
	all := testing.AllocsPerRun(3, func() {
		for range list.All() {
		}
	})
	scan := testing.AllocsPerRun(3, func() {
		for range list.Scan() {
		}
	})
	// What a Scan allocates is for each run (its reader, decoder and tables), not for each
	// finding.
	if all < float64(len(want)) || scan > float64(24*runs+16) {
		t.Errorf("a walk of %d findings in %d runs allocates %.0f times with All, %.0f with Scan; want one a finding or more, and 24 a run at most",
			len(want), runs, all, scan)
	}
}

// TestScanRunDamaged: a run cut short ends a Scan with the error, as it ends All.
func TestScanRunDamaged(t *testing.T) {
	rep, list := spilledReport(t, 40)
	defer rep.Close()
	if err := list.files[0].f.Truncate(list.sources[0].run.size / 2); err != nil {
		t.Fatal(err)
	}
	n := 0
	for range rep.Scanned() {
		n++
	}
	if err := rep.ListErr(); err == nil || n >= rep.ListedLen() || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Fatalf("scanned %d of %d findings, error %v; want unexpected EOF before the end", n, rep.ListedLen(), err)
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
	rr := newRunReader(bufio.NewReader(bytes.NewReader(buf)), 0, false)
	for _, want := range unsigned {
		if got := rr.uvarint(); got != want || rr.err != nil {
			t.Errorf("uvarint %d, error %v; want %d", got, rr.err, want)
		}
	}
	for _, want := range signed {
		if got := rr.varint(); got != want || rr.err != nil {
			t.Errorf("varint %d, error %v; want %d", got, rr.err, want)
		}
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"cut short", []byte{0x80, 0x80}, io.ErrUnexpectedEOF},
		{"nothing", nil, io.ErrUnexpectedEOF},
		{"past 64 bits", bytes.Repeat([]byte{0xff}, 10), errDamagedRun},
		{"eleven bytes", append(bytes.Repeat([]byte{0x80}, 10), 0), errDamagedRun},
	} {
		rr := newRunReader(bufio.NewReader(bytes.NewReader(tc.in)), 0, false)
		if got := rr.uvarint(); got != 0 || !errors.Is(rr.err, tc.want) {
			t.Errorf("%s: %d, error %v; want 0 and %v", tc.name, got, rr.err, tc.want)
		}
	}
}

package batch

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// TestOneWorkerLargerThanEveryQueue: one worker both decodes and evaluates, and the accepting
// goroutine waits for the oldest slot's decoding while the queues (four slots of up to 32
// records each, for one worker) are full. A batch five times larger than every queue holds
// together, with duplicates, a record refused before decoding (too long) in the same slot as
// records to decode, one that does not decode and one that decodes but is invalid, ends, with
// every record counted and each error at its record, and the same report whatever the number
// of workers.
func TestOneWorkerLargerThanEveryQueue(t *testing.T) {
	const n = 2100
	var lines []string
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("C-%04d", i)
		switch i {
		case 57:
			lines = append(lines, rec("C-0010")) // a duplicate of record 10
		case 150:
			lines = append(lines, `{"case_id":"C-0150","referrals":[`) // does not decode
		case 151:
			lines = append(lines, padded(t, "C-0151", 2000)) // refused before decoding
		case 152:
			lines = append(lines, recWithReferral(id, `"received":"2024-02-30"`)) // no such day
		case n:
			lines = append(lines, rec("C-2099")) // a duplicate of the record before it
		default:
			lines = append(lines, rec(id))
		}
	}
	path := writeFile(t, t.TempDir(), "big.ndjson", []byte(strings.Join(lines, "\n")+"\n"))
	engine := testEngine(t)
	type pos struct {
		record int
		caseID string
		err    string
	}
	want := []pos{
		{57, "C-0010", "case_id duplicates that of record 10, which was checked"},
		{150, "", "malformed JSON at byte 33 of the record: unexpected end of JSON input"},
		{151, "", "the record is longer than 1000 bytes"},
		{152, "C-0152", "referrals[0].received is not a real calendar date (YYYY-MM-DD)"},
		{n, "C-2099", "case_id duplicates that of record 2099, which was checked"},
	}
	var reports []*checker.Report
	for _, workers := range []int{1, 2} {
		opts := checkOptions()
		opts.Workers = workers
		var progress []int
		opts.Progress = func(records int) { progress = append(progress, records) }
		type result struct {
			rep *checker.Report
			err error
		}
		done := make(chan result, 1)
		go func() {
			rep, err := Check(engine, &Reader{MaxRecordBytes: 1000}, []string{path}, opts)
			done <- result{rep, err}
		}()
		var res result
		select {
		case res = <-done:
		case <-time.After(2 * time.Minute):
			t.Fatalf("workers=%d: the check did not end in two minutes: the pipeline is stuck", workers)
		}
		if res.err != nil {
			t.Fatal(res.err)
		}
		rep := res.rep
		s := rep.Summary
		if s.RecordsRead != n || s.Cases != n-len(want) || s.RecordsSkipped != len(want) {
			t.Errorf("workers=%d: read=%d cases=%d skipped=%d, want %d, %d, %d", workers, s.RecordsRead, s.Cases, s.RecordsSkipped, n, n-len(want), len(want))
		}
		if len(rep.Errors) != len(want) {
			t.Fatalf("workers=%d: errors %+v, want %d", workers, rep.Errors, len(want))
		}
		for i, e := range rep.Errors {
			w := want[i]
			if e.File != path || e.Record != w.record || e.CaseID != w.caseID || e.Error != w.err {
				t.Errorf("workers=%d: error %d is %s #%d %q: %q; want #%d %q exactly %q", workers, i, e.File, e.Record, e.CaseID, e.Error, w.record, w.caseID, w.err)
			}
		}
		if !slices.Equal(progress, []int{1000, 2000}) {
			t.Errorf("workers=%d: progress %v, want every 1,000 records read", workers, progress)
		}
		reports = append(reports, rep)
	}
	one, err := checker.CollectFindings(reports[0].Findings)
	if err != nil {
		t.Fatal(err)
	}
	two, err := checker.CollectFindings(reports[1].Findings)
	if err != nil {
		t.Fatal(err)
	}
	if len(one) == 0 || !reflect.DeepEqual(one, two) {
		t.Errorf("one worker lists %d findings, two %d, or they differ", len(one), len(two))
	}
}

// TestSlotsAreBounded: the reader closes a slot at 32 records, or once its records' bytes
// reach 64 KiB, so a slot holds at most 64 KiB and one record more; and every record reaches
// accept once, in order.
func TestSlotsAreBounded(t *testing.T) {
	var lines []string
	for i := range 100 {
		lines = append(lines, rec(fmt.Sprintf("S-%03d", i))) // small: slots of 32
	}
	for i := range 7 {
		lines = append(lines, padded(t, fmt.Sprintf("L-%d", i), 40<<10)) // two a slot, at most
	}
	path := writeFile(t, t.TempDir(), "slots.ndjson", []byte(strings.Join(lines, "\n")+"\n"))
	r := &Reader{}
	rs := r.source().(rawSource)
	decode := make(chan *slot, pipelineDepth)
	type shape struct{ records, bytes int }
	var shapes []shape
	go func() {
		for s := range decode {
			n := 0
			for _, d := range s.data {
				n += len(d)
			}
			shapes = append(shapes, shape{len(s.recs), n})
			for i, d := range s.data {
				s.recs[i] = rs.Decode(s.recs[i].File, s.recs[i].Index, d)
			}
			close(s.done)
		}
	}()
	var ids []string
	slots := 0
	readDecoded(r, rs, []string{path}, []Entry{{Path: path}}, decode,
		func(_ int, rec Record, _ *[16]byte) { ids = append(ids, rec.CaseID) },
		func(_ int, err error) { t.Errorf("file error %v", err) },
		func() { slots++ })
	want := []shape{{32, 32 * len(lines[0])}, {32, 32 * len(lines[0])}, {32, 32 * len(lines[0])},
		{4 + 2, 4*len(lines[0]) + 80<<10}, {2, 80 << 10}, {2, 80 << 10}, {1, 40 << 10}}
	if !reflect.DeepEqual(shapes, want) {
		t.Errorf("slots (records, bytes) %v, want %v", shapes, want)
	}
	if slots != len(want) {
		t.Errorf("%d slots accepted, want %d", slots, len(want))
	}
	if len(ids) != len(lines) || ids[0] != "S-000" || ids[99] != "S-099" || ids[106] != "L-6" {
		t.Errorf("%d records accepted (%v…), want %d in order", len(ids), ids[:min(3, len(ids))], len(lines))
	}
}

// TestRecordBytesOutliveTheReadBuffer checks records whose bytes the reader hands on from a
// buffer it reads on into: short lines, lines longer than the read buffer (64 KiB), and
// slots that outgrow their array. Each record decodes as written, on one worker and on four:
// its own case id with its own referral's dates, however the lines after it were read.
func TestRecordBytesOutliveTheReadBuffer(t *testing.T) {
	const n = 700
	var lines []string
	for i := range n {
		id := fmt.Sprintf("C-%04d", i)
		decision := record.MustDate("2023-01-02").AddDays(i % 300).String() // before the extract date
		body := `"received":"2023-01-02","decision":"` + decision + `"`
		line := recWithReferral(id, body)
		if i%97 == 5 { // longer than the read buffer, padded with white space
			line = "{" + strings.Repeat(" ", 70<<10) + line[1:]
		}
		lines = append(lines, line)
	}
	path := writeFile(t, t.TempDir(), "long.ndjson", []byte(strings.Join(lines, "\n")+"\n"))
	engine := testEngine(t)
	for _, workers := range []int{1, 4} {
		opts := checkOptions()
		opts.Workers = workers
		reader := &Reader{MaxRecordBytes: 1 << 20}
		report, err := Check(engine, reader, []string{path}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if report.Summary.Cases != n || len(report.Errors) > 0 {
			t.Fatalf("%d workers: %d cases, errors %+v; want %d cases and no error", workers, report.Summary.Cases, report.Errors, n)
		}
		seen := map[string]bool{}
		for f := range report.Findings.All() {
			if f.Rule != "referral-decision-timeliness" {
				continue
			}
			var i int
			if _, err := fmt.Sscanf(f.CaseID, "C-%04d", &i); err != nil {
				t.Fatalf("case id %q", f.CaseID)
			}
			if want := record.MustDate("2023-01-02").AddDays(i % 300); f.Done != want {
				t.Fatalf("%d workers: %s decided %s, want %s: its bytes were overwritten", workers, f.CaseID, f.Done, want)
			}
			seen[f.CaseID] = true
		}
		if len(seen) != n {
			t.Fatalf("%d workers: a decision finding for %d cases, want %d", workers, len(seen), n)
		}
	}
}

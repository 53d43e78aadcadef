package batch

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wtcheck/wtcheck/checker"
)

// TestOneWorkerLargerThanEveryQueue: one worker both decodes and evaluates, and the accepting
// goroutine waits for the oldest record's decoding while the queues (four records each, for
// one worker) are full. A batch hundreds of times larger than every queue, with duplicates, a
// record refused before decoding (too long), one that does not decode and one that decodes
// but is invalid, ends, with every record counted and each error at its record, and the same
// report whatever the number of workers.
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

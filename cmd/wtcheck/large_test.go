//go:build !race

// Tests of size: they check what a large batch gives, not concurrency, so they run without
// the race detector (make unit runs them on their own), which would make them ten times as
// slow for nothing.

package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/rules"
)

// TestSARIFStaysWithinCodeScanningLimits takes 5,000 generated cases (the sample's mix, so
// 6,000 to 7,500 breaches under each edition) and writes their SARIF as check does, with
// breaches only (the default) and with pending deadlines too. It wants a file code scanning
// takes whole: at most 20 runs, 5,000 results a run and 10 MB compressed; the breaches of a
// must kept before those of a should, and notes last; what was left out counted in each
// run's properties and said on standard error.
//
// The generated cases repeat every 864 (32 sample cases, each moved back 0 to 26 weeks), so
// the first 864 are checked and each repeat gets the findings of its original under its own
// case id: the same findings as checking all 5,000, in a sixth of the time, which the race
// detector needs.
func TestSARIFStaysWithinCodeScanningLimits(t *testing.T) {
	const cases, distinct = 5000, 32 * 27
	engine, err := rules.Engine()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := batch.Check(engine, &batch.Reader{}, []string{generateCases(t, distinct)},
		batch.Options{Show: []checker.Status{checker.StatusBreach, checker.StatusPending}, FailOn: checker.FailOnNone})
	if err != nil {
		t.Fatal(err)
	}
	checked, err := checker.CollectFindings(rep.Findings)
	if err != nil {
		t.Fatal(err)
	}
	byCase := map[string][]checker.Finding{}
	for _, f := range checked {
		byCase[f.CaseID] = append(byCase[f.CaseID], f)
	}
	var all []checker.Finding
	for i := range cases {
		for _, f := range byCase[fmt.Sprintf("G-%06d", i%distinct)] {
			f.CaseID, f.Record = fmt.Sprintf("G-%06d", i), i+1
			all = append(all, f)
		}
	}
	checker.SortFindings(all)
	breaches := map[string]map[checker.Severity]int{} // edition -> severity -> count
	var breachesOnly checker.FindingSlice
	for _, f := range all {
		if f.Status == checker.StatusBreach {
			if breaches[f.Edition] == nil {
				breaches[f.Edition] = map[checker.Severity]int{}
			}
			breaches[f.Edition][f.Severity]++
			breachesOnly = append(breachesOnly, f)
		}
	}
	for _, list := range []checker.FindingSlice{breachesOnly, checker.FindingSlice(all)} {
		withPending := len(list) > len(breachesOnly)
		r := *rep
		r.Findings = list
		var buf, notes bytes.Buffer
		write := report.SARIFWithNotes(func(s string) { fmt.Fprintln(&notes, "wtcheck: "+s) })
		if err := write(&buf, &r); err != nil {
			t.Fatal(err)
		}
		out, stderr := buf.String(), notes.String()
		var zipped bytes.Buffer
		zw := gzip.NewWriter(&zipped)
		zw.Write(buf.Bytes())
		zw.Close()
		if zipped.Len() > 10_000_000 {
			t.Errorf("pending %v: %d bytes compressed, over code scanning's 10 MB", withPending, zipped.Len())
		}
		var doc sarifDoc
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Runs) != len(engine.Packs) {
			t.Fatalf("%d runs, want one per edition (%d)", len(doc.Runs), len(engine.Packs))
		}
		for _, run := range doc.Runs {
			p := run.Properties
			levels := map[string]int{}
			edition := ""
			for _, res := range run.Results {
				levels[res.Level]++
				edition = res.Properties.Edition
				if res.Level == "note" && (res.Properties.Status != "pending" || res.Kind != "") {
					t.Errorf("a note that is not a pending deadline: %+v", res)
				}
				if res.Kind == "pass" || res.Level == "none" {
					t.Errorf("%s result listed: %+v", res.Level, res)
				}
			}
			b := breaches[edition]
			t.Logf("pending %v, %s: %d found (%v), %d written (%v), %d dropped", withPending, run.AutomationDetails.ID, p.Found, b, p.Written, levels, p.Dropped)
			if len(run.Results) > 5000 || p.Written != len(run.Results) || p.Found != p.Written+p.Dropped {
				t.Errorf("%s: %d results, properties %+v", run.AutomationDetails.ID, len(run.Results), p)
			}
			if !withPending && (p.Found != b["breach"]+b["warning"]+b["info"] || levels["note"] > 0) {
				t.Errorf("%s: %d results found, want the %d breaches only", run.AutomationDetails.ID, p.Found, b["breach"]+b["warning"]+b["info"])
			}
			// The most severe first: all of a must before any of a should, and notes last.
			if p.Dropped == 0 || levels["warning"] > 0 && levels["error"] < b["breach"] || levels["note"] > 0 && levels["warning"] < b["warning"] {
				t.Errorf("%s: kept %v of %v: want 5,000 kept, the most severe first", run.AutomationDetails.ID, levels, b)
			}
			if !strings.Contains(stderr, fmt.Sprintf("sarif: run %s: wrote %d of %d results", run.AutomationDetails.ID, p.Written, p.Found)) {
				t.Errorf("%s: the notes do not say what was left out: %s", run.AutomationDetails.ID, stderr)
			}
		}
	}
}

package ssd_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
	"github.com/wtcheck/wtcheck/source/ssd"
	"github.com/wtcheck/wtcheck/source/ssd/ssdgen"
)

var extract = record.MustDate("2024-12-31")

// writeSSD writes cases as an SSD folder and returns it.
func writeSSD(t testing.TB, cases []*record.Case, opts ssdgen.Options) string {
	t.Helper()
	dir := t.TempDir()
	w, err := ssdgen.Create(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if err := w.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readAll reads every record of a reader.
func readAll(t testing.TB, r *ssd.Reader) []ssd.Record {
	t.Helper()
	var out []ssd.Record
	if err := r.Read(func(rec ssd.Record) error { out = append(out, rec); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// original maps a subject read back from the SSD to the original record's: the table
// prefixes and the case id the generator put before every id are taken off.
func original(caseID, subject string) string {
	for _, p := range []string{"icpc:", "review:", "cp:", "cin:", "SD-"} {
		subject = strings.TrimPrefix(subject, p)
	}
	subject = strings.TrimPrefix(subject, caseID+".")
	if i := strings.IndexByte(subject, '.'); i >= 0 && strings.HasPrefix(subject, "R") {
		subject = subject[i+1:] // the referral's id before an id within it
	}
	return subject
}

// comparable is a finding as the test compares it: everything but what the SSD names
// differently (the subject's and referral's ids, the proxies the source declares).
func comparable(f checker.Finding) string {
	f.Subject = original(f.CaseID, f.Subject)
	f.Referral = original(f.CaseID, f.Referral)
	f.Proxies = nil
	b, _ := json.Marshal(f)
	return string(b)
}

// TestRoundTripGivesTheOriginalFindings is the source's promise: synthetic case records
// written as SSD tables and read back give, on every rule the SSD can judge, exactly the
// findings of the original records; on every other rule, insufficient_data.
func TestRoundTripGivesTheOriginalFindings(t *testing.T) {
	cases := ssdgen.Synthetic(300, 1, extract)
	dir := writeSSD(t, cases, ssdgen.Options{Times: true})
	r, err := ssd.OpenDir(dir, ssd.Options{ExtractDate: extract})
	if err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, r)
	if len(recs) != len(cases) {
		t.Fatalf("read %d records from %d cases", len(recs), len(cases))
	}
	engine, err := rules.Engine()
	if err != nil {
		t.Fatal(err)
	}
	judged := map[string]bool{}
	var lacks []string
	for _, g := range ssd.Lacks() {
		lacks = append(lacks, g.Path)
	}
	for _, cp := range engine.Packs {
		for _, rule := range cp.Pack.Rules {
			judged[cp.Pack.ID+"/"+rule.ID] = len(cp.Lacking(rule.ID, lacks)) == 0
		}
	}
	counts := map[string]int{}
	for i, rec := range recs {
		if rec.Err != nil {
			t.Fatalf("record %d: %v", i+1, rec.Err)
		}
		c := cases[i]
		if rec.PersonID != c.CaseID || rec.Index != i+1 {
			t.Fatalf("record %d is %s (index %d); want %s", i+1, rec.PersonID, rec.Index, c.CaseID)
		}
		want, errs := engine.Check(c, record.Date{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		got, errs := engine.Check(rec.Case, record.Date{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		wantSet := map[string]int{}
		for _, f := range want {
			if judged[f.Edition+"/"+f.Rule] || judged["wt"+f.Edition+"/"+f.Rule] {
				wantSet[comparable(f)]++
			}
		}
		for _, f := range got {
			key := comparable(f)
			if !judged[f.Edition+"/"+f.Rule] && !judged["wt"+f.Edition+"/"+f.Rule] {
				if f.Status != checker.StatusInsufficientData && f.Status != checker.StatusNotApplicable {
					t.Errorf("%s: a rule the SSD cannot judge gave %s", key, f.Status)
				}
				continue
			}
			if wantSet[key] == 0 {
				t.Errorf("%s: not among the original's findings", key)
				continue
			}
			wantSet[key]--
			counts[f.Rule+" "+string(f.Status)]++
		}
		for key, n := range wantSet {
			if n > 0 {
				t.Errorf("%s: the original's finding is missing from the SSD's", key)
			}
		}
		if t.Failed() {
			orig, _ := json.Marshal(c)
			back, _ := json.Marshal(rec.Case)
			t.Fatalf("case %s\noriginal %s\nread back %s", c.CaseID, orig, back)
		}
	}
	// The test must judge something of each kind the issue names: visit intervals, the child
	// seen, reviews, assessments and initial conferences, met and breached.
	for _, rule := range []string{"cp-visit-interval", "assessment-child-seen", "first-review-timeliness", "review-interval", "assessment-timeliness", "icpc-timeliness"} {
		for _, st := range []string{"met", "breach"} {
			if counts[rule+" "+st] == 0 {
				t.Errorf("no %s finding of %s was compared", st, rule)
			}
		}
	}
	if testing.Verbose() {
		fmt.Fprintln(os.Stderr, counts)
	}
}

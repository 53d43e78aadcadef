package record_test

import (
	"bytes"
	"testing"

	"github.com/wtcheck/wtcheck/internal/testgen"
	"github.com/wtcheck/wtcheck/record"
)

// TestHasEventAfterAsWalkDates holds the typed loops of hasEventAfter to the event dates
// walkDates visits: on 2,000 generated cases, as at the day before, on and after each of a
// case's event dates (and with each event moved a year later, so that every field in turn is
// the only one after the day), both give the same answer.
func TestHasEventAfterAsWalkDates(t *testing.T) {
	var gen bytes.Buffer
	if err := testgen.WriteCases(&gen, 2000, 7); err != nil {
		t.Fatal(err)
	}
	want := func(c *record.Case, d record.Date) bool {
		for _, x := range record.EventDates(c) {
			if !x.IsZero() && x.After(d) {
				return true
			}
		}
		return false
	}
	checked := 0
	for line := range bytes.Lines(gen.Bytes()) {
		c, _, err := record.Decode(line)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range record.EventDates(c) {
			if x.IsZero() {
				continue
			}
			for _, d := range []record.Date{x.AddDays(-1), x, x.AddDays(1)} {
				if got := record.HasEventAfter(c, d); got != want(c, d) {
					t.Fatalf("case %s as at %s: hasEventAfter %v, walkDates %v", c.CaseID, d, got, want(c, d))
				}
				checked++
			}
		}
	}
	// Each event field alone after the day, on the case with the most dates (every kind of
	// object): a field the typed loops missed answers false.
	var richest []byte
	most := 0
	for line := range bytes.Lines(gen.Bytes()) {
		c, _, err := record.Decode(line)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(record.EventDates(c)); n > most {
			richest, most = line, n
		}
	}
	c, _, err := record.Decode(richest)
	if err != nil {
		t.Fatal(err)
	}
	latest := c.ExtractDate
	for _, x := range record.EventDates(c) {
		if x.After(latest) {
			latest = x
		}
	}
	for i := range most {
		if !record.HasEventAfter(moveEvent(t, richest, i, latest.AddDays(1)), latest) {
			t.Fatalf("case %s: event %d of %d moved past %s, hasEventAfter says no", c.CaseID, i, most, latest)
		}
		checked++
	}
	if checked < 10000 {
		t.Fatalf("only %d checks: the generated cases have too few dates", checked)
	}
}

// moveEvent decodes raw afresh and sets its i-th event date (in walkDates's order) to d,
// through the pointer walkDates hands out.
func moveEvent(t *testing.T, raw []byte, i int, d record.Date) *record.Case {
	t.Helper()
	c, _, err := record.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	record.MoveEvent(c, i, d)
	return c
}

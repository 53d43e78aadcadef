package checker

import "testing"

// TestTally: the rate is met over met and breached, pending and the rest not counted; none
// decided is no rate, not 0% or 100%; Percent multiplies before it divides.
func TestTally(t *testing.T) {
	if _, ok := (Tally{}).Rate(); ok {
		t.Error("an empty tally has a rate")
	}
	if _, ok := (Tally{}).Percent(); ok {
		t.Error("an empty tally has a percentage")
	}
	if r, ok := (Tally{Met: 3, Breach: 1}).Rate(); !ok || r != 0.75 {
		t.Errorf("Rate = %v, %v; want 0.75", r, ok)
	}
	if p, ok := (Tally{Met: 1, Breach: 199}).Percent(); !ok || p != 0.5 {
		t.Errorf("Percent = %v, %v; want exactly 0.5", p, ok)
	}
	if d := (Tally{Met: 2, Breach: 5}).Decided(); d != 7 {
		t.Errorf("Decided = %d, want 7", d)
	}
}

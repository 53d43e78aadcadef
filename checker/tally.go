package checker

// Tally counts the findings a compliance rate is made of: met, and breached. It is the one
// definition of the rate (met / (met + breach)) that every report, chart and comparison
// shows; pending, not applicable and insufficient data are not decided and do not count.
type Tally struct {
	Met, Breach int
}

// Decided is how many findings the rate is over: met and breached.
func (t Tally) Decided() int { return t.Met + t.Breach }

// Rate is met as a share of the findings decided, and false when none was.
func (t Tally) Rate() (float64, bool) {
	if t.Decided() == 0 {
		return 0, false
	}
	return float64(t.Met) / float64(t.Decided()), true
}

// Percent is the rate in percent, computed as met × 100 / decided (not Rate × 100, whose
// rounding can differ in the last place, and so in a rounded figure), and false when none
// was decided.
func (t Tally) Percent() (float64, bool) {
	if t.Decided() == 0 {
		return 0, false
	}
	return float64(t.Met) * 100 / float64(t.Decided()), true
}

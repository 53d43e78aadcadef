package checker

// StatusSet is a set of statuses: which findings a check builds in full. A finding of a
// status outside it is only counted, so that the met and not-applicable findings a report
// does not list cost neither a message nor a place in memory.
type StatusSet uint8

// AllStatuses is the set of every status.
const AllStatuses StatusSet = 1<<len(statusIndex) - 1

// statusIndex numbers the statuses in report order (Statuses).
var statusIndex = [...]Status{StatusBreach, StatusPending, StatusMet, StatusNotApplicable, StatusInsufficientData}

// indexOf is the index of s in statusIndex, or -1. A switch, not a search: every finding of
// a check is counted through it, and the statuses' names differ in length, which the
// compiled switch compares first (TestIndexOfIsStatusIndex).
func indexOf(s Status) int {
	switch s {
	case StatusBreach:
		return 0
	case StatusPending:
		return 1
	case StatusMet:
		return 2
	case StatusNotApplicable:
		return 3
	case StatusInsufficientData:
		return 4
	}
	return -1
}

// StatusSetOf is the set of the given statuses; an unknown status is left out.
func StatusSetOf(statuses ...Status) StatusSet {
	var set StatusSet
	for _, s := range statuses {
		if i := indexOf(s); i >= 0 {
			set |= 1 << i
		}
	}
	return set
}

// Has reports whether s is in the set.
func (set StatusSet) Has(s Status) bool {
	i := indexOf(s)
	return i >= 0 && set&(1<<i) != 0
}

// StatusCounts counts findings by status, in the order of Statuses: the engine counts there
// the findings it did not build.
type StatusCounts [len(statusIndex)]int

// Add counts one finding of status s, and reports whether s is one of Statuses (another is
// not counted).
func (t *StatusCounts) Add(s Status) bool {
	if i := indexOf(s); i >= 0 {
		t[i]++
		return true
	}
	return false
}

// AddAll adds the counts of o.
func (t *StatusCounts) AddAll(o *StatusCounts) {
	for i, n := range o {
		t[i] += n
	}
}

// Of is the count of one status.
func (t *StatusCounts) Of(s Status) int {
	if i := indexOf(s); i >= 0 {
		return t[i]
	}
	return 0
}

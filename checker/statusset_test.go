package checker

import "testing"

// TestIndexOfIsStatusIndex holds indexOf's switch to statusIndex, the one order of the
// statuses, and to -1 for anything else.
func TestIndexOfIsStatusIndex(t *testing.T) {
	for i, s := range statusIndex {
		if got := indexOf(s); got != i {
			t.Errorf("indexOf(%q) = %d, want %d", s, got, i)
		}
	}
	for _, s := range []Status{"", "Met", "breach ", "met\x00", "unknown"} {
		if got := indexOf(s); got != -1 {
			t.Errorf("indexOf(%q) = %d, want -1", s, got)
		}
	}
	if len(statusIndex) != 5 {
		t.Errorf("%d statuses: indexOf knows 5", len(statusIndex))
	}
}

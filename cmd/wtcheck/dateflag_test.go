package main

import (
	"strings"
	"testing"
)

// TestAsOfIsOneDateFlag: every command's --as-of is read by the one date flag, which refuses
// a day that is not in the calendar with exit status 2 and the same words, before anything
// is read.
func TestAsOfIsOneDateFlag(t *testing.T) {
	want := `invalid argument "2023-02-29" for "--as-of" flag: date "2023-02-29" is not a real calendar date (YYYY-MM-DD)`
	for _, args := range [][]string{
		{"check", "--as-of", "2023-02-29", "../../fixtures/sample"},
		{"report", "--as-of", "2023-02-29", "../../fixtures/sample"},
		{"compare", "--as-of", "2023-02-29", "../../fixtures/sample"},
		{"explain", "--as-of", "2023-02-29", "C-1", "../../fixtures/sample"},
		{"import", "annex-a", "--as-of", "2023-02-29", "x.xlsx"},
	} {
		code, _, stderr := run(t, "", args...)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", args[0], code, stderr, want)
		}
	}
}

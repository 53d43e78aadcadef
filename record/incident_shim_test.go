package record

import "github.com/wtcheck/wtcheck/checker"

// day is a date literal for tests; it goes with incident_shim.go.
func day(s string) Date { return checker.MustDate(s) }

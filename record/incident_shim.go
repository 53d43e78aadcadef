package record

import "github.com/wtcheck/wtcheck/checker"

// Until the case model moves into this package (the architecture issue), the incident and
// arrangements records borrow its date and provenance types; this file goes when they arrive.

// Date is a calendar day; see checker.Date.
type Date = checker.Date

// Provenance says where a record came from; see checker.Provenance.
type Provenance = checker.Provenance

// RecordWarning is a data warning about a record that is still checked.
type RecordWarning = checker.RecordWarning

// dateProblem says why a decoded date is not a date, or "" for a good or absent one.
func dateProblem(d Date) string {
	if d.IsZero() || d.InRange() {
		return ""
	}
	return "is not a real calendar date (YYYY-MM-DD)"
}

package record

// SystemDue is a due date that a source system recorded for itself (the SSD's initial
// conference target date, a review's due date). The runner sets it beside the due date the
// rule computes for the same finding, so that a system configured with the wrong timescale
// shows; it is never a breach.
type SystemDue struct {
	Rule    string // the rule whose due date it is
	Subject string // that rule's finding's subject
	Due     Date   // the system's due date
	Where   string // the source's table, row and column, for the report
}

package record

// Unmarshal lets the external tests (decode_compare_test.go) hold the decoder Decode,
// DecodeIncident and DecodeArrangements use against encoding/json.
func Unmarshal[T any](raw []byte, v *T) error { return unmarshal(raw, v) }

// HasEventAfter and EventDates let the external tests hold hasEventAfter's typed loops to the
// dates walkDates marks as events.
func HasEventAfter(c *Case, d Date) bool { return c.hasEventAfter(d) }

func EventDates(c *Case) []Date {
	var out []Date
	c.walkDates(false, func(_ string, d *Date, event bool) {
		if event {
			out = append(out, *d)
		}
	})
	return out
}

// MoveEvent sets the i-th event date of c (in walkDates's order) to d.
func MoveEvent(c *Case, i int, d Date) {
	k := 0
	c.walkDates(false, func(_ string, x *Date, event bool) {
		if event && k == i {
			*x = d
		}
		if event {
			k++
		}
	})
}

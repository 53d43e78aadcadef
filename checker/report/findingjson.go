package report

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// findingJSON writes findings in the bytes encoding/json writes for them (without HTML
// escaping, indented or not), without reflection: encoding a finding with encoding/json was
// nine tenths of writing a large JSON report, on one core after the check (2.4 s of 626,000
// findings). TestFindingJSONAsEncodingJSON holds the two to the same bytes, field by field
// (a field added to Finding and not written here fails it), and for strings of every kind;
// a string with anything but printable ASCII in it is escaped by encoding/json itself.
type findingJSON struct {
	prefix string // written after each newline; "" and compact for one finding a line
	indent bool
	buf    []byte
	// str encodes the strings the quick path does not: encoding/json, so that the bytes are
	// its own.
	str    bytes.Buffer
	strEnc *json.Encoder
}

func newFindingJSON(prefix string, indent bool) *findingJSON {
	e := &findingJSON{prefix: prefix, indent: indent}
	e.strEnc = json.NewEncoder(&e.str)
	e.strEnc.SetEscapeHTML(false)
	return e
}

// encode returns f's JSON, valid until the next call.
func (e *findingJSON) encode(f *checker.Finding) []byte { return e.encodeAfter("", f) }

// encodeAfter is encode with before written first: the separator of a list, so that a
// finding is one write, not three (two of them strings that an io.Writer without
// WriteString copied to bytes, an allocation each).
func (e *findingJSON) encodeAfter(before string, f *checker.Finding) []byte {
	b := append(append(e.buf[:0], before...), '{')
	first := true
	key := func(name string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = e.newline(b, 1)
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, '"', ':')
		if e.indent {
			b = append(b, ' ')
		}
	}
	str := func(name, s string) {
		key(name)
		b = e.appendString(b, s)
	}
	date := func(name string, d record.Date) {
		if !d.IsZero() { // omitzero
			key(name)
			b = appendDateJSON(b, d)
		}
	}
	num := func(name string, p *int) {
		if p != nil { // omitempty
			key(name)
			b = strconv.AppendInt(b, int64(*p), 10)
		}
	}
	if f.CaseID != "" {
		str("case_id", f.CaseID)
	}
	if f.IncidentID != "" {
		str("incident_id", f.IncidentID)
	}
	if f.AreaID != "" {
		str("area_id", f.AreaID)
	}
	str("edition", f.Edition)
	str("rule", f.Rule)
	str("subject", f.Subject)
	if f.Referral != "" {
		str("referral", f.Referral)
	}
	if f.Pack != "" {
		str("pack", f.Pack)
	}
	str("status", string(f.Status))
	str("severity", string(f.Severity))
	date("start", f.Start)
	date("due", f.Due)
	date("done", f.Done)
	num("late_working_days", f.LateWorkingDays)
	num("late_days", f.LateDays)
	num("working_days_left", f.WorkingDaysLeft)
	if f.DueSoon {
		key("due_soon")
		b = append(b, "true"...)
	}
	str("message", f.Message)
	str("citation", f.Citation)
	list := func(name string, n int, item func(i int)) {
		if n == 0 { // omitempty
			return
		}
		key(name)
		b = append(b, '[')
		for i := range n {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.newline(b, 2)
			item(i)
		}
		b = e.newline(b, 1)
		b = append(b, ']')
	}
	list("projected_holidays", len(f.ProjectedHolidays), func(i int) { b = appendDateJSON(b, f.ProjectedHolidays[i]) })
	list("proxies", len(f.Proxies), func(i int) { b = e.appendString(b, f.Proxies[i]) })
	if f.Note != "" {
		str("note", f.Note)
	}
	b = e.newline(b, 0)
	b = append(b, '}')
	e.buf = b
	return b
}

// newline starts a line at the depth given, when indenting.
func (e *findingJSON) newline(b []byte, depth int) []byte {
	if !e.indent {
		return b
	}
	b = append(b, '\n')
	b = append(b, e.prefix...)
	for range depth {
		b = append(b, "  "...)
	}
	return b
}

// appendString writes s quoted: as it is when every byte is printable ASCII other than a
// quote or a backslash (what encoding/json writes unchanged), else as encoding/json writes it.
func (e *findingJSON) appendString(b []byte, s string) []byte {
	for i := range len(s) {
		if !jsonPlain[s[i]] {
			e.str.Reset()
			if err := e.strEnc.Encode(s); err != nil { // a string always encodes
				panic(err)
			}
			return append(b, bytes.TrimSuffix(e.str.Bytes(), []byte("\n"))...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// jsonPlain marks the bytes encoding/json writes in a string as they are: printable ASCII but
// a quote and a backslash. A table: the four comparisons a byte were a third of writing a
// finding.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendDateJSON writes a recorded date as Date.MarshalJSON does: "YYYY-MM-DD" (every year of
// the calendar's range has four digits), and a date outside the range through MarshalJSON.
func appendDateJSON(b []byte, d record.Date) []byte {
	if !d.InRange() {
		j, err := d.MarshalJSON()
		if err != nil {
			panic(err) // a Date always marshals
		}
		return append(b, j...)
	}
	b = append(b, '"')
	b = appendDate(b, d)
	return append(b, '"')
}

// appendDate writes a date of the calendar's range as Date.String does, YYYY-MM-DD (every
// year of the range has four digits), without making a string of it.
func appendDate(b []byte, d record.Date) []byte {
	y, m, day := d.Time().Date()
	b = strconv.AppendInt(b, int64(y), 10)
	return append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}

package record

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// Date is a calendar day with no time and no zone, as every date in a case record is.
//
// It is stored as a day number so that working-day arithmetic is integer arithmetic, and
// the zero Date means "not recorded": the case format treats a missing date and null alike.
type Date struct {
	// day is days since 1970-01-01 plus dayOffset, so that every real date is positive and
	// the zero value means "not recorded" without a second field.
	day int32
}

// dayOffset keeps every date from the year 1 onwards above zero.
const dayOffset = 1 << 20

const dateLayout = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date and rejects anything that is not a real calendar day.
// The error quotes the input: use it for flags and pack files, not for case data.
func ParseDate(s string) (Date, error) {
	d, reason := parseDate(s)
	if reason != "" {
		return Date{}, fmt.Errorf("date %q %s", s, reason)
	}
	return d, nil
}

// parseDate returns the date, or why it is not one, without echoing the input, because case
// data must not reach logs.
func parseDate(s string) (Date, string) {
	if len(s) != len(dateLayout) || s[4] != '-' || s[7] != '-' {
		return Date{}, badDateReasons[badDateFormat]
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, badDateReasons[badDateCalendar]
	}
	if t.Year() < FirstYear || t.Year() > LastYear {
		return Date{}, badDateReasons[badDateRange]
	}
	return DateOf(t), ""
}

// The calendar's range. Every date wtcheck reads (case records, flags, packs, holiday files)
// and every date a rule computes falls in the years FirstYear to LastYear: far wider than any
// child's record, and narrow enough that date arithmetic can never overflow. A rule whose
// arithmetic leaves the range gets an error, never a date in the year -3,525,743.
const (
	FirstYear = 1900
	LastYear  = 2200
)

// MinDate and MaxDate are the first and last days of the calendar's range.
var (
	MinDate = DateOf(time.Date(FirstYear, 1, 1, 0, 0, 0, 0, time.UTC))
	MaxDate = DateOf(time.Date(LastYear, 12, 31, 0, 0, 0, 0, time.UTC))
)

// InRange reports whether a recorded date falls in the calendar's range.
func (d Date) InRange() bool { return !d.Before(MinDate) && !d.After(MaxDate) }

// RangeSpan is the number of days in the calendar's range: no count of days, working days or
// months that keeps a date inside it is larger.
var RangeSpan = MinDate.DaysUntil(MaxDate)

// MustDate is ParseDate for literals in tests and tables; it panics on a bad date.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	if t.Location() == time.UTC {
		// The common case, every timestamp a rule computes: the day is the Unix time
		// divided by a day's seconds, rounded down (before 1970 too), with no calendar
		// arithmetic.
		u := t.Unix()
		days := u / 86400
		if u%86400 < 0 {
			days--
		}
		return Date{day: int32(days) + dayOffset}
	}
	y, m, d := t.Date()
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date{day: int32(u.Unix()/86400) + dayOffset}
}

// DateFromDayNumber is the date n days after 1970-01-01: the inverse of DayNumber, for the
// calendar's integer arithmetic.
func DateFromDayNumber(n int32) Date { return Date{day: n + dayOffset} }

// DayNumber is days since 1970-01-01; only meaningful for a recorded date.
func (d Date) DayNumber() int32 { return d.day - dayOffset }

// IsZero reports whether the date was not recorded.
func (d Date) IsZero() bool { return d.day == 0 }

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time {
	return time.Unix(int64(d.DayNumber())*86400, 0).UTC()
}

// String gives YYYY-MM-DD, or the empty string for a date not recorded.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	var buf [len(dateLayout)]byte
	return string(d.AppendISO(buf[:0]))
}

// AppendISO appends the date as YYYY-MM-DD to b, or nothing for a date not recorded: String
// without a string of its own, for messages and reports built in one buffer. A year of four
// digits is written from the day number directly (the civil calendar's arithmetic, as
// time.Time.Format would find it, without the time package's general formatting); any other
// is left to time.Format.
func (d Date) AppendISO(b []byte) []byte {
	if d.IsZero() {
		return b
	}
	y, m, dd := civil(int64(d.DayNumber()))
	if y < 0 || y > 9999 {
		return d.Time().AppendFormat(b, dateLayout)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10))
}

// civil gives the proleptic Gregorian year, month and day of a day number (days since
// 1970-01-01), counting in eras of 400 years (146,097 days) from 0000-03-01 so that the leap
// day falls at the end of each counted year.
func civil(days int64) (year, month, day int64) {
	z := days + 719468 // days since 0000-03-01
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097                                  // day of the era, 0 to 146096
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // year of the era, 0 to 399
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // day of the year from March 1st
	mp := (5*doy + 2) / 153                                // month from March, 0 to 11
	day = doy - (153*mp+2)/5 + 1
	month = mp + 3
	if month > 12 {
		month -= 12
	}
	year = yoe + era*400
	if month <= 2 {
		year++
	}
	return year, month, day
}

// Weekday is the day of the week.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	return time.Weekday((int(d.DayNumber())%7 + 7 + 4) % 7)
}

// AddDays moves the date by n calendar days.
func (d Date) AddDays(n int) Date { return DateFromDayNumber(d.DayNumber() + int32(n)) }

// DaysUntil is the number of calendar days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.DayNumber() - d.DayNumber()) }

// Before reports whether d is strictly earlier than e.
func (d Date) Before(e Date) bool { return d.day < e.day }

// After reports whether d is strictly later than e.
func (d Date) After(e Date) bool { return d.day > e.day }

// MarshalJSON writes YYYY-MM-DD, or null for a date not recorded.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// Day numbers far outside any real date mark a value that was present but not a date. They
// let decoding go on so that validation can name the field's full path, which encoding/json
// cannot do for a custom type's error.
const (
	badDateFormat int32 = math.MinInt32 + iota
	badDateCalendar
	badDateRange
	badDateType
)

var badDateReasons = map[int32]string{
	badDateFormat:   "is not in the form YYYY-MM-DD",
	badDateCalendar: "is not a real calendar date (YYYY-MM-DD)",
	badDateRange:    fmt.Sprintf("is outside the years %d to %d", FirstYear, LastYear),
	badDateType:     "is not a string: want a date \"YYYY-MM-DD\"",
}

// invalidReason says why a decoded date is not a date, or "" for a good or absent one.
func (d Date) invalidReason() string { return badDateReasons[d.day] }

// UnmarshalJSON reads YYYY-MM-DD or null. A value that is not a date is kept as an invalid
// Date, for Validate to report with the field's path.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	// Almost every date is a plain quoted string: read it from the bytes, allocating nothing.
	// The nested json.Unmarshal this replaced was a third of decoding time.
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && plainASCII(b[1:len(b)-1]) {
		*d = dateFromBytes(b[1 : len(b)-1])
		return nil
	}
	*d = unquotedDate(b)
	return nil
}

// unquotedDate reads a date that is not a plain string: one with escapes or bytes beyond
// printable ASCII is unquoted by encoding/json, so that it reads exactly as JSON says; a value
// that is not a string at all is marked as such.
func unquotedDate(b []byte) Date {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return Date{day: badDateType}
	}
	return dateFromBytes([]byte(s))
}

// plainASCII reports whether a JSON string's body is printable ASCII without escapes, and so
// is its own text.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// dateFromBytes is parseDate for decoding: it gives the date, or an invalid Date carrying why
// it is not one, with the same verdict as parseDate (time.Parse with dateLayout, which
// FuzzParseDate checks) but without allocating.
func dateFromBytes(b []byte) Date {
	if len(b) != len(dateLayout) || b[4] != '-' || b[7] != '-' {
		return Date{day: badDateFormat}
	}
	num := func(b []byte) (int, bool) {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, oky := num(b[0:4])
	m, okm := num(b[5:7])
	day, okd := num(b[8:10])
	if !oky || !okm || !okd || m < 1 || m > 12 || day < 1 || day > daysIn(time.Month(m), y) {
		return Date{day: badDateCalendar}
	}
	if y < FirstYear || y > LastYear {
		return Date{day: badDateRange}
	}
	return Date{day: int32(dayNumberOf(int64(y), int64(m), int64(day))) + dayOffset}
}

// daysIn is the number of days in month m of year y, leap years as the Gregorian calendar
// counts them (as time.Parse does, for every year). Arithmetic, not time.Date: a record has
// twenty dates or so, and asking the time package for each month's end was two thirds of
// reading them.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// dayNumberOf is the day number (days since 1970-01-01) of a proleptic Gregorian date: the
// inverse of civil, counting the same eras of 400 years from 0000-03-01. The month and day
// must be a real date's.
func dayNumberOf(year, month, day int64) int64 {
	if month <= 2 {
		year-- // January and February end the counted year before
	}
	era := year / 400
	if year < 0 && year%400 != 0 {
		era--
	}
	yoe := year - era*400                  // year of the era, 0 to 399
	mp := (month + 9) % 12                 // month from March, 0 to 11
	doy := (153*mp+2)/5 + day - 1          // day of the year from March 1st
	doe := yoe*365 + yoe/4 - yoe/100 + doy // day of the era, 0 to 146096
	return era*146097 + doe - 719468
}

// MarshalYAML writes YYYY-MM-DD.
func (d Date) MarshalYAML() (any, error) { return d.String(), nil }

// AddMonths adds calendar months, clamping to the end of a shorter month: 31 January plus
// one month is the last day of February. The result may fall on a weekend, as the guidance's
// month timescales do.
func AddMonths(d Date, months int) Date {
	t := d.Time()
	y, m, day := t.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return DateOf(first.AddDate(0, 0, min(day, last)-1))
}

// Anniversary gives the day a person born on d turns years old. Someone born on 29 February
// has their birthday on 1 March in a year that is not a leap year, as English law counts it.
func Anniversary(d Date, years int) Date {
	t := d.Time()
	return DateOf(time.Date(t.Year()+years, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
}

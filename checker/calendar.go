package checker

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wtcheck/wtcheck/record"
	"go.yaml.in/yaml/v3"
)

// Calendar does working-day and calendar-month arithmetic over a set of bank holidays.
//
// The shipped list is published: complete from its first year to its last. Beyond the last
// published year the standard England and Wales bank holidays are projected by their rules
// (see ProjectedHolidays), so that a deadline in a later year is still counted over its bank
// holidays, and a finding can say which of those it counted were projected. Before the first
// year no holiday is known.
//
// A Calendar is immutable once built, so one value is shared by every goroutine evaluating
// records.
type Calendar struct {
	holidays  []int32 // sorted day numbers of the weekday bank holidays up to tableEnd
	names     map[int32]string
	projected map[int32]bool // the holidays that were projected, not published
	source    []Holiday      // what the calendar was built from, for WithHolidays
	firstYear int
	lastYear  int
	// projFrom is the day number of 1 January after the last published year: every holiday
	// from it on is projected unless a list added it. tableEnd is the day number of
	// 1 January after the last year held in holidays; later years are computed when asked.
	projFrom, tableEnd int32
}

// projectionTableYears is how many years after the last published one are projected when a
// calendar is built; later years are computed on demand, so no year runs out.
const projectionTableYears = 200

// Holiday is one bank holiday.
type Holiday struct {
	Date   record.Date
	Name   string
	OneOff bool
	// Projected marks a holiday computed by the standard rules for a year after the last
	// published one, not taken from a published list.
	Projected bool
}

type holidayFile struct {
	Region    string         `yaml:"region"`
	FirstYear int            `yaml:"first_year"`
	LastYear  int            `yaml:"last_year"`
	Holidays  []holidayEntry `yaml:"holidays"`
}

type holidayEntry struct {
	Date   string `yaml:"date"`
	Name   string `yaml:"name"`
	OneOff bool   `yaml:"one_off"`
	line   int
}

// UnmarshalYAML accepts either {date: …, name: …} or a bare date, so that a local file of
// extra holidays can be a plain list.
func (h *holidayEntry) UnmarshalYAML(n *yaml.Node) error {
	h.line = n.Line
	if n.Kind == yaml.ScalarNode {
		h.Date = n.Value
		return nil
	}
	// Decode does not carry the outer decoder's KnownFields setting, so a misspelt key in an
	// entry is caught here.
	if n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 {
			switch k := n.Content[i]; k.Value {
			case "date", "name", "one_off":
			default:
				return fmt.Errorf("line %d: unknown key %q in a holiday (known keys: date, name, one_off)", k.Line, k.Value)
			}
		}
	}
	type plain holidayEntry
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*h = holidayEntry(p)
	h.line = n.Line
	return nil
}

// ParseHolidays reads a bank-holiday file (see rules/bank-holidays.yaml). name is used in
// error messages.
func ParseHolidays(name string, data []byte) ([]Holiday, int, int, error) {
	var f holidayFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, 0, 0, fmt.Errorf("read holidays %s: %w", name, err)
	}
	var out []Holiday
	var errs []error
	for _, e := range f.Holidays {
		d, err := record.ParseDate(e.Date)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", name, e.line, err))
			continue
		}
		out = append(out, Holiday{Date: d, Name: e.Name, OneOff: e.OneOff})
	}
	if len(errs) > 0 {
		return nil, 0, 0, errors.Join(errs...)
	}
	return out, f.FirstYear, f.LastYear, nil
}

// NewCalendar builds a calendar from holidays. firstYear and lastYear say which years the
// list is complete for (published); years after lastYear get the projected standard holidays
// (with any listed there as well), and years before firstYear know no holidays.
func NewCalendar(holidays []Holiday, firstYear, lastYear int) *Calendar {
	c := &Calendar{names: map[int32]string{}, projected: map[int32]bool{}, firstYear: firstYear, lastYear: lastYear,
		source: slices.Clone(holidays)}
	c.projFrom = yearStart(lastYear + 1)
	lastTable := lastYear + projectionTableYears
	add := func(h Holiday, projected bool) {
		n := h.Date.DayNumber()
		if _, dup := c.names[n]; dup {
			return
		}
		c.names[n] = h.Name
		if projected {
			c.projected[n] = true
		}
		if isWeekday(n) {
			c.holidays = append(c.holidays, n)
		}
	}
	for _, h := range holidays {
		add(h, false)
		lastTable = max(lastTable, h.Date.Time().Year())
	}
	for y := lastYear + 1; y <= lastTable; y++ {
		for _, h := range ProjectedHolidays(y) {
			add(h, true)
		}
	}
	c.tableEnd = yearStart(lastTable + 1)
	slices.Sort(c.holidays)
	return c
}

// WithHolidays returns a copy of c with extra holidays added, for example one announced
// after a release. through is the last year the extra list is complete for (0 when it is
// not a complete list): years up to it are then published, no longer projected, and a year
// after it keeps its projected holidays beside the extra ones.
func (c *Calendar) WithHolidays(extra []Holiday, through int) *Calendar {
	all := append(slices.Clone(c.source), extra...)
	return NewCalendar(all, c.firstYear, max(c.lastYear, through))
}

// Years gives the first and last year the holiday list is complete for: the years published.
func (c *Calendar) Years() (first, last int) { return c.firstYear, c.lastYear }

// Covers reports whether d falls in a year the holiday list is complete for.
func (c *Calendar) Covers(d record.Date) bool {
	y := d.Time().Year()
	return y >= c.firstYear && y <= c.lastYear
}

// HolidayName gives the name of the bank holiday on d, or "" when d is not one. A projected
// holiday's name says so.
func (c *Calendar) HolidayName(d record.Date) string {
	n := d.DayNumber()
	if n >= c.tableEnd {
		for _, h := range ProjectedHolidays(d.Time().Year()) {
			if h.Date == d {
				return h.Name + " (projected)"
			}
		}
		return ""
	}
	name, ok := c.names[n]
	if ok && c.projected[n] {
		return name + " (projected)"
	}
	return name
}

// IsProjected reports whether d is a bank holiday projected by the standard rules rather than
// taken from a published list.
func (c *Calendar) IsProjected(d record.Date) bool {
	n := d.DayNumber()
	if n >= c.tableEnd {
		return slices.ContainsFunc(ProjectedHolidays(d.Time().Year()), func(h Holiday) bool { return h.Date == d })
	}
	return c.projected[n]
}

// HolidaysBetween lists the weekday bank holidays after a, up to and including b: the ones
// that working-day arithmetic from a to b skipped.
func (c *Calendar) HolidaysBetween(a, b record.Date) []record.Date {
	var out []record.Date
	for _, n := range c.holidaysIn(a.DayNumber()+1, b.DayNumber()+1) {
		out = append(out, record.DateFromDayNumber(n))
	}
	return out
}

// ProjectedBetween lists the projected weekday bank holidays after a, up to and including b:
// those that working-day arithmetic from a to b counted without a published list.
func (c *Calendar) ProjectedBetween(a, b record.Date) []record.Date {
	if b.DayNumber() < c.projFrom {
		return nil // the common case: nothing after the last published year
	}
	var out []record.Date
	for _, n := range c.holidaysIn(a.DayNumber()+1, b.DayNumber()+1) {
		if n >= c.tableEnd || c.projected[n] {
			out = append(out, record.DateFromDayNumber(n))
		}
	}
	return out
}

// holidaysIn lists the weekday holidays with day numbers in [x, y), from the table and, past
// its end, computed year by year.
func (c *Calendar) holidaysIn(x, y int32) []int32 {
	if y <= x {
		return nil
	}
	lo, _ := slices.BinarySearch(c.holidays, x)
	hi, _ := slices.BinarySearch(c.holidays, y)
	out := slices.Clone(c.holidays[lo:max(lo, hi)])
	if y > c.tableEnd {
		out = append(out, computedIn(max(x, c.tableEnd), y)...)
	}
	return out
}

// countHolidays counts the weekday holidays with day numbers in [x, y).
func (c *Calendar) countHolidays(x, y int32) int {
	lo, _ := slices.BinarySearch(c.holidays, x)
	hi, _ := slices.BinarySearch(c.holidays, y)
	n := max(hi-lo, 0)
	if y > c.tableEnd {
		n += len(computedIn(max(x, c.tableEnd), y))
	}
	return n
}

// computedIn lists the projected weekday holidays with day numbers in [x, y), for the years
// past a calendar's table.
func computedIn(x, y int32) []int32 {
	var out []int32
	for year := record.DateFromDayNumber(x).Time().Year(); year <= record.DateFromDayNumber(y-1).Time().Year(); year++ {
		for _, h := range ProjectedHolidays(year) {
			if n := h.Date.DayNumber(); n >= x && n < y && isWeekday(n) {
				out = append(out, n)
			}
		}
	}
	return out
}

func (c *Calendar) isHoliday(n int32) bool {
	if n >= c.tableEnd {
		return len(computedIn(n, n+1)) > 0
	}
	_, hol := slices.BinarySearch(c.holidays, n)
	return hol
}

// IsWorkingDay reports whether d is neither a weekend day nor a bank holiday.
func (c *Calendar) IsWorkingDay(d record.Date) bool {
	n := d.DayNumber()
	return isWeekday(n) && !c.isHoliday(n)
}

// AddWorkingDays returns the nth working day after d; d itself is day zero, so adding 10
// working days to Monday 1 March 2021 gives Monday 15 March 2021. A negative n counts back.
// The result is always a working day when n is not zero.
//
// It searches for the day rather than stepping through the days one by one, so that its work
// does not grow with n: a rule may ask for any count, and the cost of a rule must not depend
// on the numbers in it. Rules reach it through addWorkingDays, which keeps the count and the
// result inside the calendar's range.
func (c *Calendar) AddWorkingDays(d record.Date, n int) record.Date {
	x := d.DayNumber()
	switch {
	case n > 0:
		// The smallest day e after d with n working days in (d, e].
		hi := x + int32(n)
		for c.workingIn(x+1, hi+1) < n {
			hi = x + 2*(hi-x)
		}
		lo := x + 1
		for lo < hi {
			mid := lo + (hi-lo)/2
			if c.workingIn(x+1, mid+1) >= n {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		return record.DateFromDayNumber(lo)
	case n < 0:
		// The largest day e before d with -n working days in [e, d).
		m := -n
		lo := x - int32(m)
		for c.workingIn(lo, x) < m {
			lo = x - 2*(x-lo)
		}
		hi := x - 1
		for lo < hi {
			mid := hi - (hi-lo)/2
			if c.workingIn(mid, x) >= m {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return record.DateFromDayNumber(lo)
	}
	return d
}

// workingIn counts the working days with day numbers in [x, y): the weekdays less the weekday
// holidays, published or projected.
func (c *Calendar) workingIn(x, y int32) int {
	return int(weekdaysBefore(y)-weekdaysBefore(x)) - c.countHolidays(x, y)
}

// WorkingDaysBetween counts the working days after a, up to and including b; it is negative
// when b is before a. For a working day b on or after a it is the inverse of AddWorkingDays:
// AddWorkingDays(a, WorkingDaysBetween(a, b)) == b.
func (c *Calendar) WorkingDaysBetween(a, b record.Date) int {
	if b.Before(a) {
		return -c.WorkingDaysBetween(b, a)
	}
	return c.workingIn(a.DayNumber()+1, b.DayNumber()+1)
}

func isWeekday(n int32) bool {
	wd := record.DateFromDayNumber(n).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// weekdaysBefore counts Monday-to-Friday days with a day number below n. Day number 4
// (5 January 1970) was a Monday; the count is relative, so only differences mean anything.
func weekdaysBefore(n int32) int32 {
	k := int64(n) - 4
	weeks := floorDiv(k, 7)
	rest := k - weeks*7
	return int32(weeks*5 + min(rest, 5))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// ProjectedHolidays computes the standard England and Wales bank holidays of a year by their
// rules: New Year's Day, Good Friday, Easter Monday, the first and last Mondays of May, the
// last Monday of August, Christmas Day and Boxing Day, with a substitute weekday for one that
// falls on a weekend. It knows nothing of one-off or moved days (a jubilee, a royal wedding,
// the early May holiday moved to VE day), which only a published list has. Every holiday is
// marked Projected; it works for any year of the Gregorian calendar.
func ProjectedHolidays(year int) []Holiday {
	day := func(m time.Month, d int) record.Date {
		return record.DateOf(time.Date(year, m, d, 0, 0, 0, 0, time.UTC))
	}
	var out []Holiday
	add := func(d record.Date, name string) { out = append(out, Holiday{Date: d, Name: name, Projected: true}) }

	switch ny := day(time.January, 1); ny.Weekday() {
	case time.Saturday:
		add(ny.AddDays(2), "New Year's Day (substitute day)")
	case time.Sunday:
		add(ny.AddDays(1), "New Year's Day (substitute day)")
	default:
		add(ny, "New Year's Day")
	}
	easter := easterSunday(year)
	add(easter.AddDays(-2), "Good Friday")
	add(easter.AddDays(1), "Easter Monday")
	add(firstMonday(day(time.May, 1)), "Early May bank holiday")
	add(lastMonday(day(time.May, 31)), "Spring bank holiday")
	add(lastMonday(day(time.August, 31)), "Summer bank holiday")

	// Christmas and Boxing Day: a day on a weekend moves to the next weekday not already a
	// holiday, so a Saturday Christmas gives Monday and Tuesday, a Sunday Christmas Boxing
	// Day on Monday and Christmas's substitute on Tuesday.
	xmas, boxing := day(time.December, 25), day(time.December, 26)
	switch xmas.Weekday() {
	case time.Friday:
		add(xmas, "Christmas Day")
		add(boxing.AddDays(2), "Boxing Day (substitute day)")
	case time.Saturday:
		add(xmas.AddDays(2), "Christmas Day (substitute day)")
		add(boxing.AddDays(2), "Boxing Day (substitute day)")
	case time.Sunday:
		add(boxing, "Boxing Day")
		add(xmas.AddDays(2), "Christmas Day (substitute day)")
	default:
		add(xmas, "Christmas Day")
		add(boxing, "Boxing Day")
	}
	return out
}

// easterSunday is Easter Day in the Gregorian calendar (the anonymous Gregorian algorithm of
// Meeus, Jones and Butcher), for any year.
func easterSunday(year int) record.Date {
	a := floorMod(year, 19)
	b, c := floorDivInt(year, 100), floorMod(year, 100)
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := floorMod(19*a+b-d-g+15, 30)
	i, k := c/4, c%4
	l := floorMod(32+2*e+2*i-h-k, 7)
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	dayOfMonth := (h+l-7*m+114)%31 + 1
	return record.DateOf(time.Date(year, time.Month(month), dayOfMonth, 0, 0, 0, 0, time.UTC))
}

func firstMonday(d record.Date) record.Date {
	return d.AddDays((int(time.Monday) - int(d.Weekday()) + 7) % 7)
}

func lastMonday(d record.Date) record.Date {
	return d.AddDays(-((int(d.Weekday()) - int(time.Monday) + 7) % 7))
}

// yearStart is the day number of 1 January of a year.
func yearStart(year int) int32 {
	return record.DateOf(time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)).DayNumber()
}

func floorMod(a, b int) int { return a - floorDivInt(a, b)*b }

func floorDivInt(a, b int) int { return int(floorDiv(int64(a), int64(b))) }

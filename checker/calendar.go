package checker

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"
)

// Calendar does working-day and calendar-month arithmetic over a set of bank holidays.
//
// A Calendar is immutable once built, so one value is shared by every goroutine evaluating
// records.
type Calendar struct {
	holidays  []int32 // sorted day numbers of bank holidays that fall on a weekday
	names     map[int32]string
	firstYear int
	lastYear  int
}

// Holiday is one bank holiday.
type Holiday struct {
	Date   Date
	Name   string
	OneOff bool
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
		d, err := ParseDate(e.Date)
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
// list is complete for; arithmetic outside them still works but knows no holidays there.
func NewCalendar(holidays []Holiday, firstYear, lastYear int) *Calendar {
	c := &Calendar{names: map[int32]string{}, firstYear: firstYear, lastYear: lastYear}
	for _, h := range holidays {
		n := h.Date.dayNumber()
		if _, dup := c.names[n]; dup {
			continue
		}
		c.names[n] = h.Name
		if isWeekday(n) {
			c.holidays = append(c.holidays, n)
		}
	}
	slices.Sort(c.holidays)
	return c
}

// WithHolidays returns a copy of c with extra holidays added, for example one announced
// after a release.
func (c *Calendar) WithHolidays(extra []Holiday) *Calendar {
	all := make([]Holiday, 0, len(c.names)+len(extra))
	for n, name := range c.names {
		all = append(all, Holiday{Date: dateFromDayNumber(n), Name: name})
	}
	all = append(all, extra...)
	last := c.lastYear
	for _, h := range extra {
		if y := h.Date.Time().Year(); y > last {
			last = y
		}
	}
	return NewCalendar(all, c.firstYear, last)
}

// Years gives the first and last year the holiday list is complete for.
func (c *Calendar) Years() (first, last int) { return c.firstYear, c.lastYear }

// Covers reports whether d falls in a year the holiday list is complete for.
func (c *Calendar) Covers(d Date) bool {
	y := d.Time().Year()
	return y >= c.firstYear && y <= c.lastYear
}

// HolidayName gives the name of the bank holiday on d, or "" when d is not one.
func (c *Calendar) HolidayName(d Date) string { return c.names[d.dayNumber()] }

// HolidaysBetween lists the weekday bank holidays after a, up to and including b: the ones
// that working-day arithmetic from a to b skipped.
func (c *Calendar) HolidaysBetween(a, b Date) []Date {
	lo, _ := slices.BinarySearch(c.holidays, a.dayNumber()+1)
	hi, _ := slices.BinarySearch(c.holidays, b.dayNumber()+1)
	var out []Date
	for _, n := range c.holidays[lo:max(lo, hi)] {
		out = append(out, dateFromDayNumber(n))
	}
	return out
}

// IsWorkingDay reports whether d is neither a weekend day nor a bank holiday.
func (c *Calendar) IsWorkingDay(d Date) bool {
	n := d.dayNumber()
	if !isWeekday(n) {
		return false
	}
	_, hol := slices.BinarySearch(c.holidays, n)
	return !hol
}

// AddWorkingDays returns the nth working day after d; d itself is day zero, so adding 10
// working days to Monday 1 March 2021 gives Monday 15 March 2021. A negative n counts back.
// The result is always a working day when n is not zero.
//
// It searches for the day rather than stepping through the days one by one, so that its work
// does not grow with n: a rule may ask for any count, and the cost of a rule must not depend
// on the numbers in it. Rules reach it through addWorkingDays, which keeps the count and the
// result inside the calendar's range.
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	x := d.dayNumber()
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
		return dateFromDayNumber(lo)
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
		return dateFromDayNumber(lo)
	}
	return d
}

// workingIn counts the working days with day numbers in [x, y).
func (c *Calendar) workingIn(x, y int32) int {
	lo, _ := slices.BinarySearch(c.holidays, x)
	hi, _ := slices.BinarySearch(c.holidays, y)
	return int(weekdaysBefore(y)-weekdaysBefore(x)) - (hi - lo)
}

// WorkingDaysBetween counts the working days after a, up to and including b; it is negative
// when b is before a. For a working day b on or after a it is the inverse of AddWorkingDays:
// AddWorkingDays(a, WorkingDaysBetween(a, b)) == b.
func (c *Calendar) WorkingDaysBetween(a, b Date) int {
	if b.Before(a) {
		return -c.WorkingDaysBetween(b, a)
	}
	return c.workingIn(a.dayNumber()+1, b.dayNumber()+1)
}

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

func isWeekday(n int32) bool {
	wd := dateFromDayNumber(n).Weekday()
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

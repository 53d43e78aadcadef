package checker

import (
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wtcheck/wtcheck/record"
)

// shippedHolidaysPath is the shipped England and Wales calendar. Package rules embeds it but
// imports checker, so an internal test reads the file from disk instead.
const shippedHolidaysPath = "../rules/bank-holidays.yaml"

// shippedHolidays parses the shipped bank-holiday file.
func shippedHolidays(t testing.TB) (hols []Holiday, first, last int) {
	t.Helper()
	data, err := os.ReadFile(shippedHolidaysPath)
	if err != nil {
		t.Fatalf("read shipped calendar: %v", err)
	}
	hols, first, last, err = ParseHolidays("rules/bank-holidays.yaml", data)
	if err != nil {
		t.Fatalf("parse shipped calendar: %v", err)
	}
	return hols, first, last
}

// shippedCalendar builds the calendar the binary uses.
func shippedCalendar(t testing.TB) *Calendar {
	t.Helper()
	hols, first, last := shippedHolidays(t)
	return NewCalendar(hols, first, last)
}

func dates(ss ...string) []record.Date {
	var out []record.Date
	for _, s := range ss {
		out = append(out, record.MustDate(s))
	}
	return out
}

func TestCalendarShippedOneOffHolidays(t *testing.T) {
	hols, _, _ := shippedHolidays(t)
	cal := NewCalendar(hols, 2000, 2027)
	byDate := map[record.Date]Holiday{}
	for _, h := range hols {
		byDate[h.Date] = h
	}
	// One-off and moved days that published calendar libraries get wrong.
	for _, s := range []string{
		"2002-06-03", // Spring bank holiday moved for the Golden Jubilee
		"2002-06-04", // Golden Jubilee
		"2011-04-29", // Royal wedding
		"2012-06-04", // Spring bank holiday moved for the Diamond Jubilee
		"2012-06-05", // Diamond Jubilee
		"2020-05-08", // Early May bank holiday moved to VE day
		"2022-06-02", // Spring bank holiday moved for the Platinum Jubilee
		"2022-06-03", // Platinum Jubilee
		"2022-09-19", // State funeral of Queen Elizabeth II
		"2023-05-08", // Coronation of King Charles III
	} {
		t.Run(s, func(t *testing.T) {
			d := record.MustDate(s)
			if cal.IsWorkingDay(d) {
				t.Errorf("IsWorkingDay(%s) = true, want false (bank holiday)", s)
			}
			if cal.HolidayName(d) == "" {
				t.Errorf("HolidayName(%s) = \"\", want the holiday's name", s)
			}
			h, ok := byDate[d]
			if !ok {
				t.Fatalf("%s is missing from the shipped list", s)
			}
			if !h.OneOff {
				t.Errorf("%s: OneOff = false, want true", s)
			}
		})
	}
	// The usual days that the one-off ones displaced: ordinary working days in those years.
	for _, s := range []string{"2002-05-27", "2012-05-28", "2020-05-04", "2022-05-30"} {
		t.Run(s, func(t *testing.T) {
			d := record.MustDate(s)
			if d.Weekday() != time.Monday {
				t.Fatalf("%s is a %s, want a Monday (test data)", s, d.Weekday())
			}
			if !cal.IsWorkingDay(d) {
				t.Errorf("IsWorkingDay(%s) = false, want true (the holiday moved that year)", s)
			}
			if got := cal.HolidayName(d); got != "" {
				t.Errorf("HolidayName(%s) = %q, want \"\"", s, got)
			}
		})
	}
}

func TestCalendarShippedListShape(t *testing.T) {
	hols, first, last := shippedHolidays(t)
	if first != 2000 || last != 2027 {
		t.Errorf("years = %d..%d, want 2000..2027", first, last)
	}
	cal := NewCalendar(hols, first, last)
	if f, l := cal.Years(); f != 2000 || l != 2027 {
		t.Errorf("Years() = %d, %d; want 2000, 2027", f, l)
	}
	// Eight a year, plus the one-off days.
	extra := map[int]int{2002: 1, 2011: 1, 2012: 1, 2022: 2, 2023: 1}
	perYear := map[int]int{}
	seen := map[record.Date]bool{}
	for _, h := range hols {
		if seen[h.Date] {
			t.Errorf("%s is listed twice", h.Date)
		}
		seen[h.Date] = true
		if wd := h.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%s (%s) falls on a %s: list the substitute day instead", h.Date, h.Name, wd)
		}
		if h.Name == "" {
			t.Errorf("%s has no name", h.Date)
		}
		y := h.Date.Time().Year()
		if y < first || y > last {
			t.Errorf("%s is outside the covered years %d..%d", h.Date, first, last)
		}
		perYear[y]++
	}
	for y := 2000; y <= 2027; y++ {
		want := 8 + extra[y]
		if perYear[y] < 8 || perYear[y] != want {
			t.Errorf("%d has %d holidays, want %d", y, perYear[y], want)
		}
	}
	if !slices.IsSortedFunc(hols, func(a, b Holiday) int { return b.Date.DaysUntil(a.Date) }) {
		t.Errorf("the shipped list is not in date order")
	}
}

func TestCalendarCovers(t *testing.T) {
	cal := shippedCalendar(t)
	for _, tc := range []struct {
		d    string
		want bool
	}{
		{"1999-12-31", false},
		{"2000-01-01", true},
		{"2027-12-31", true},
		{"2028-01-01", false},
	} {
		if got := cal.Covers(record.MustDate(tc.d)); got != tc.want {
			t.Errorf("Covers(%s) = %v, want %v", tc.d, got, tc.want)
		}
	}
}

// TestCalendarIsWorkingDayExhaustive compares IsWorkingDay with a definition built from the time
// package and the parsed list, for every day from 1999 to 2030: the published list to 2027,
// the projected holidays after it, none before 2000.
func TestCalendarIsWorkingDayExhaustive(t *testing.T) {
	hols, first, last := shippedHolidays(t)
	cal := NewCalendar(hols, first, last)
	isHol := map[string]bool{}
	for _, h := range hols {
		isHol[h.Date.String()] = true
	}
	for y := 2028; y <= 2030; y++ {
		for _, h := range ProjectedHolidays(y) {
			isHol[h.Date.String()] = true
		}
	}
	for tm := time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() <= 2030; tm = tm.AddDate(0, 0, 1) {
		s := tm.Format("2006-01-02")
		wd := tm.Weekday()
		want := wd != time.Saturday && wd != time.Sunday && !isHol[s]
		if got := cal.IsWorkingDay(record.MustDate(s)); got != want {
			t.Fatalf("IsWorkingDay(%s, a %s) = %v, want %v", s, wd, got, want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	cal := shippedCalendar(t)
	for _, tc := range []struct {
		name  string
		start string
		n     int
		want  string
	}{
		// The spec's example: day zero is the start date.
		{"spec day zero", "2021-03-01", 10, "2021-03-15"},
		{"one day", "2021-03-01", 1, "2021-03-02"},
		{"Friday to Monday", "2021-03-05", 1, "2021-03-08"},
		// 21 Apr Thu (1), 22 Good Friday hol, 23-24 weekend, 25 Easter Monday hol, 26 (2),
		// 27 (3), 28 (4), 29 royal wedding hol, 30 Apr-1 May weekend, 2 May early May hol,
		// 3 May (5).
		{"Easter 2011 and the royal wedding", "2011-04-20", 5, "2011-05-03"},
		// 28 Apr (1), 29 hol, weekend, 2 May hol, 3 May (2).
		{"royal wedding", "2011-04-27", 2, "2011-05-03"},
		// 24 Dec Fri (1), 25-26 weekend, 27 and 28 substitute days, 29 (2), 30 (3).
		{"Christmas 2021", "2021-12-23", 3, "2021-12-30"},
		// 29 (1), 30 (2), 31 (3), 1-2 Jan weekend, 3 Jan substitute day, 4 (4), 5 (5).
		{"Christmas and New Year 2021", "2021-12-24", 5, "2022-01-05"},
		{"Golden Jubilee 2002", "2002-05-31", 1, "2002-06-05"},
		{"2002's usual spring Monday is a working day", "2002-05-24", 1, "2002-05-27"},
		{"Diamond Jubilee 2012", "2012-06-01", 1, "2012-06-06"},
		{"VE day 2020", "2020-05-07", 1, "2020-05-11"},
		{"4 May 2020 is a working day", "2020-05-01", 1, "2020-05-04"},
		{"state funeral 2022", "2022-09-16", 1, "2022-09-20"},
		{"coronation 2023", "2023-05-05", 1, "2023-05-09"},
		// A Saturday start: the Monday is day one.
		{"Saturday start", "2021-03-06", 1, "2021-03-08"},
		{"Saturday start, a week", "2021-03-06", 5, "2021-03-12"},
		{"Sunday start", "2021-03-07", 10, "2021-03-19"},
		{"holiday start", "2011-04-29", 1, "2011-05-03"},
		// n = 0 is the start itself, even when it is not a working day.
		{"zero", "2021-03-01", 0, "2021-03-01"},
		{"zero on a Saturday", "2021-03-06", 0, "2021-03-06"},
		{"zero on a holiday", "2011-04-29", 0, "2011-04-29"},
		// Negative n counts back.
		{"back: spec example", "2021-03-15", -10, "2021-03-01"},
		{"back: Monday to Friday", "2021-03-08", -1, "2021-03-05"},
		{"back: Sunday to Friday", "2021-03-07", -1, "2021-03-05"},
		// 2 May hol, weekend, 29 hol, 28 (1), 27 (2), 26 (3), 25 hol, weekend, 22 hol, 21 (4), 20 (5).
		{"back: over Easter 2011", "2011-05-03", -5, "2011-04-20"},
		// 3 Jan hol, weekend, 31 Dec (1).
		{"back: over New Year 2022", "2022-01-04", -1, "2021-12-31"},
		// 3 Jan hol, weekend, 31 (1), 30 (2), 29 (3), 28 and 27 hols, weekend, 24 (4).
		{"back: over Christmas 2021", "2022-01-04", -4, "2021-12-24"},
		// Outside the covered years only weekends are skipped.
		{"before 1970", "1969-12-26", 6, "1970-01-05"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cal.AddWorkingDays(record.MustDate(tc.start), tc.n)
			if got.String() != tc.want {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tc.start, tc.n, got, tc.want)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	cal := shippedCalendar(t)
	for _, tc := range []struct {
		name string
		a, b string
		want int
	}{
		{"same working day", "2021-03-01", "2021-03-01", 0},
		{"same Saturday", "2021-03-06", "2021-03-06", 0},
		{"same holiday", "2011-04-29", "2011-04-29", 0},
		{"spec example", "2021-03-01", "2021-03-15", 10},
		{"spec example reversed", "2021-03-15", "2021-03-01", -10},
		{"Easter 2011 and the royal wedding", "2011-04-20", "2011-05-03", 5},
		{"Easter 2011 reversed", "2011-05-03", "2011-04-20", -5},
		{"Christmas 2021", "2021-12-23", "2021-12-30", 3},
		// 2, 3, 4, 5 March; the weekend adds nothing.
		{"Saturday end", "2021-03-01", "2021-03-06", 4},
		{"Sunday end", "2021-03-01", "2021-03-07", 4},
		{"Saturday start", "2021-03-06", "2021-03-08", 1},
		{"Friday to Sunday", "2021-03-05", "2021-03-07", 0},
		{"Monday back to Friday", "2021-03-08", "2021-03-05", -1},
		{"Sunday back to Friday", "2021-03-07", "2021-03-05", 0},
		{"holiday end", "2011-04-28", "2011-04-29", 0},
		// 2021 has 261 weekdays (it starts on a Friday) and 8 bank holidays.
		{"all of 2021", "2020-12-31", "2021-12-31", 253},
		// 2022 has 260 weekdays (it starts on a Saturday) and 10 bank holidays.
		{"all of 2022", "2021-12-31", "2022-12-31", 250},
		// 2011 has 260 weekdays (it starts on a Saturday) and 9 bank holidays.
		{"all of 2011", "2010-12-31", "2011-12-31", 251},
		// 29, 30, 31 Dec 1969, 1, 2 and 5 Jan 1970: no holidays known there.
		{"across 1970", "1969-12-26", "1970-01-05", 6},
		{"across 1970 reversed", "1970-01-05", "1969-12-26", -6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cal.WorkingDaysBetween(record.MustDate(tc.a), record.MustDate(tc.b))
			if got != tc.want {
				t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

// randomDate gives a day from the first of January of year lo to the last of December of hi.
func randomDate(r *rand.Rand, lo, hi int) record.Date {
	from := record.MustDate(time.Date(lo, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02"))
	to := record.MustDate(time.Date(hi, 12, 31, 0, 0, 0, 0, time.UTC).Format("2006-01-02"))
	return from.AddDays(r.IntN(from.DaysUntil(to) + 1))
}

func TestWorkingDaysBetweenInverseOfAddWorkingDays(t *testing.T) {
	cal := shippedCalendar(t)
	r := rand.New(rand.NewPCG(20240229, 1))
	for range 5000 {
		a := randomDate(r, 2000, 2027)
		n := r.IntN(61)
		b := cal.AddWorkingDays(a, n)
		if got := cal.WorkingDaysBetween(a, b); got != n {
			t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(%s, %d) = %s) = %d, want %d", a, a, n, b, got, n)
		}
		if n > 0 && !cal.IsWorkingDay(b) {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, not a working day", a, n, b)
		}
		if n > 0 && !b.After(a) {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, not after the start", a, n, b)
		}
		// Counting back from a working day lands where we started from, for a working start.
		if cal.IsWorkingDay(a) {
			if back := cal.AddWorkingDays(b, -n); back != a {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", b, -n, back, a)
			}
		}
	}
	// The documented converse: for working days a and b, in either order,
	// AddWorkingDays(a, WorkingDaysBetween(a, b)) == b.
	for range 5000 {
		a := randomDate(r, 2000, 2027)
		b := a.AddDays(r.IntN(181) - 90)
		if !cal.IsWorkingDay(a) || !cal.IsWorkingDay(b) {
			continue
		}
		n := cal.WorkingDaysBetween(a, b)
		if got := cal.AddWorkingDays(a, n); got != b {
			t.Fatalf("AddWorkingDays(%s, WorkingDaysBetween(%s, %s) = %d) = %s, want %s", a, a, b, n, got, b)
		}
	}
}

// stepWorkingDays is AddWorkingDays done the slow way, a day at a time: what the search must
// agree with.
func stepWorkingDays(c *Calendar, d record.Date, n int) record.Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// TestAddWorkingDaysAgreesWithStepping checks the search against counting day by day, forward
// and back, from working days, weekends and bank holidays (Christmas and Easter included),
// for counts from none to several years.
func TestAddWorkingDaysAgreesWithStepping(t *testing.T) {
	cal := shippedCalendar(t)
	r := rand.New(rand.NewPCG(12, 2026))
	starts := []record.Date{record.MustDate("2020-12-24"), record.MustDate("2020-12-25"), record.MustDate("2021-04-02"), record.MustDate("2021-04-05"), record.MustDate("2024-03-30")}
	for range 3000 {
		starts = append(starts, randomDate(r, 1995, 2030))
	}
	for i, a := range starts {
		n := r.IntN(80) - 40
		if i%10 == 0 {
			n = r.IntN(2000) - 1000
		}
		if got, want := cal.AddWorkingDays(a, n), stepWorkingDays(cal, a, n); got != want {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", a, n, got, want)
		}
	}
}

// bruteWorkingDaysBetween counts day by day: the working days after a, up to and including b,
// negated when b is before a.
func bruteWorkingDaysBetween(c *Calendar, a, b record.Date) int {
	if b.Before(a) {
		return -bruteWorkingDaysBetween(c, b, a)
	}
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

func TestWorkingDaysBetweenBruteForce(t *testing.T) {
	cal := shippedCalendar(t)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		// Years before 1970 exercise negative day numbers; a few long spans cross many years.
		a := randomDate(r, 1965, 2030)
		span := 800
		if i%100 == 0 {
			span = 8000
		}
		b := a.AddDays(r.IntN(2*span+1) - span)
		want := bruteWorkingDaysBetween(cal, a, b)
		if got := cal.WorkingDaysBetween(a, b); got != want {
			t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d (day by day)", a, b, got, want)
		}
		if !b.Before(a) {
			// Every weekday after a up to b is either a working day or a skipped holiday.
			weekdays := 0
			for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
				if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
					weekdays++
				}
			}
			if h := len(cal.HolidaysBetween(a, b)); want+h != weekdays {
				t.Fatalf("(%s, %s]: %d working days + %d holidays, want %d weekdays", a, b, want, h, weekdays)
			}
		}
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		start  string
		months int
		want   string
	}{
		{"2024-01-31", 1, "2024-02-29"}, // leap year: clamps to 29 February
		{"2023-01-31", 1, "2023-02-28"}, // clamps to 28 February
		{"2024-03-31", 6, "2024-09-30"},
		{"2024-08-31", -6, "2024-02-29"},
		{"2024-12-15", 3, "2025-03-15"}, // across a year end
		{"2024-06-01", 3, "2024-09-01"}, // a Sunday: calendar-month dates stay on weekends
		{"2024-01-31", 0, "2024-01-31"},
		{"2024-01-31", 13, "2025-02-28"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2023-12-31", 2, "2024-02-29"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2024-05-31", -1, "2024-04-30"},
		{"2024-01-15", -1, "2023-12-15"},
		{"2024-02-29", 1, "2024-03-29"},
		{"1969-12-31", 2, "1970-02-28"},
		{"2099-12-31", 2, "2100-02-28"}, // 2100 is not a leap year
	} {
		got := record.AddMonths(record.MustDate(tc.start), tc.months)
		if got.String() != tc.want {
			t.Errorf("record.AddMonths(%s, %d) = %s, want %s", tc.start, tc.months, got, tc.want)
		}
	}
	if wd := record.AddMonths(record.MustDate("2024-06-01"), 3).Weekday(); wd != time.Sunday {
		t.Errorf("record.AddMonths(2024-06-01, 3) is a %s, want Sunday (not moved to a working day)", wd)
	}
}

func TestAnniversary(t *testing.T) {
	for _, tc := range []struct {
		born  string
		years int
		want  string
	}{
		{"2008-02-29", 18, "2026-03-01"}, // 2026 is not a leap year: 1 March
		{"2004-02-29", 16, "2020-02-29"}, // 2020 is a leap year
		{"2007-06-01", 18, "2025-06-01"},
		{"2004-02-29", 0, "2004-02-29"},
		{"2004-02-29", 1, "2005-03-01"},
		{"2000-02-29", 100, "2100-03-01"}, // 2100 is not a leap year
		{"1996-02-29", 4, "2000-02-29"},   // 2000 is
		{"2007-12-31", 18, "2025-12-31"},
		{"2007-02-28", 18, "2025-02-28"},
		{"1960-03-01", 18, "1978-03-01"},
	} {
		got := record.Anniversary(record.MustDate(tc.born), tc.years)
		if got.String() != tc.want {
			t.Errorf("record.Anniversary(%s, %d) = %s, want %s", tc.born, tc.years, got, tc.want)
		}
	}
}

func TestCalendarWithHolidays(t *testing.T) {
	base := shippedCalendar(t)
	made := record.MustDate("2027-06-07")  // a Monday, not a bank holiday
	later := record.MustDate("2030-01-02") // a Wednesday, after the shipped years
	if !base.IsWorkingDay(made) || !base.IsWorkingDay(later) {
		t.Fatalf("test data: %s and %s should be working days in the shipped calendar", made, later)
	}

	ext := base.WithHolidays([]Holiday{{Date: made, Name: "Made-up holiday", OneOff: true}}, 0)
	if ext.IsWorkingDay(made) {
		t.Errorf("with the extra holiday, IsWorkingDay(%s) = true, want false", made)
	}
	if got := ext.HolidayName(made); got != "Made-up holiday" {
		t.Errorf("HolidayName(%s) = %q, want %q", made, got, "Made-up holiday")
	}
	if got := ext.AddWorkingDays(record.MustDate("2027-06-04"), 1).String(); got != "2027-06-08" {
		t.Errorf("with the extra holiday, AddWorkingDays(2027-06-04, 1) = %s, want 2027-06-08", got)
	}
	if f, l := ext.Years(); f != 2000 || l != 2027 {
		t.Errorf("Years() = %d, %d; want 2000, 2027 (2027 was already covered)", f, l)
	}
	// The shipped holidays are kept.
	if ext.IsWorkingDay(record.MustDate("2011-04-29")) || ext.HolidayName(record.MustDate("2011-04-29")) != "Royal wedding" {
		t.Errorf("the copy lost the royal wedding")
	}
	if got := ext.WorkingDaysBetween(record.MustDate("2010-12-31"), record.MustDate("2011-12-31")); got != 251 {
		t.Errorf("the copy: working days in 2011 = %d, want 251", got)
	}

	// The original is unchanged.
	if !base.IsWorkingDay(made) || base.HolidayName(made) != "" {
		t.Errorf("WithHolidays changed the original calendar")
	}
	if got := base.AddWorkingDays(record.MustDate("2027-06-04"), 1).String(); got != "2027-06-07" {
		t.Errorf("original: AddWorkingDays(2027-06-04, 1) = %s, want 2027-06-07", got)
	}

	// A holiday after the published years, from a list that declares no complete year, is
	// added beside the projected ones; the published years stay as they were.
	ext2 := base.WithHolidays([]Holiday{{Date: later, Name: "Later"}}, 0)
	if f, l := ext2.Years(); f != 2000 || l != 2027 {
		t.Errorf("Years() = %d, %d; want 2000, 2027", f, l)
	}
	if ext2.IsWorkingDay(later) || ext2.IsProjected(later) || ext2.HolidayName(later) != "Later" {
		t.Errorf("%s: working day %v, projected %v, name %q; want false, false, Later", later, ext2.IsWorkingDay(later), ext2.IsProjected(later), ext2.HolidayName(later))
	}
	if d := record.MustDate("2030-01-01"); ext2.IsWorkingDay(d) || !ext2.IsProjected(d) {
		t.Errorf("the projected New Year's Day 2030 was lost beside an added holiday")
	}
	if !base.IsWorkingDay(later) {
		t.Errorf("original: IsWorkingDay(%s) = false, want true", later)
	}

	// A list complete to 2028 publishes 2028: its days replace the projected ones, so a
	// moved day is moved, and 2029 is still projected.
	moved := record.MustDate("2028-05-05") // a Friday in place of the projected Monday 1 May
	pub := base.WithHolidays([]Holiday{{Date: record.MustDate("2028-01-03"), Name: "New Year's Day (substitute day)"}, {Date: moved, Name: "Moved"}}, 2028)
	if f, l := pub.Years(); f != 2000 || l != 2028 {
		t.Errorf("Years() = %d, %d; want 2000, 2028", f, l)
	}
	if !pub.IsWorkingDay(record.MustDate("2028-05-01")) || pub.IsWorkingDay(moved) || pub.IsProjected(moved) {
		t.Errorf("a published 2028 kept the projected early May Monday, or lost the moved day")
	}
	if !pub.Covers(record.MustDate("2028-06-01")) || base.Covers(record.MustDate("2028-06-01")) {
		t.Errorf("Covers(2028-06-01): copy %v, original %v; want true, false", pub.Covers(record.MustDate("2028-06-01")), base.Covers(record.MustDate("2028-06-01")))
	}
	if d := record.MustDate("2029-01-01"); pub.IsWorkingDay(d) || !pub.IsProjected(d) {
		t.Errorf("2029 is no longer projected after publishing 2028")
	}
	if f, l := base.Years(); f != 2000 || l != 2027 {
		t.Errorf("original Years() = %d, %d; want 2000, 2027", f, l)
	}

	// Adding a day that is already a holiday does not count it twice.
	dup := base.WithHolidays([]Holiday{{Date: record.MustDate("2011-04-29"), Name: "Again"}}, 0)
	if got := dup.WorkingDaysBetween(record.MustDate("2010-12-31"), record.MustDate("2011-12-31")); got != 251 {
		t.Errorf("with a duplicate: working days in 2011 = %d, want 251", got)
	}
	if got := dup.HolidaysBetween(record.MustDate("2011-04-28"), record.MustDate("2011-04-29")); !slices.Equal(got, dates("2011-04-29")) {
		t.Errorf("with a duplicate: HolidaysBetween = %v, want [2011-04-29]", got)
	}

	// A weekend holiday is named but changes no count.
	sat := record.MustDate("2030-01-05")
	wk := base.WithHolidays([]Holiday{{Date: sat, Name: "Saturday holiday"}}, 0)
	if got := wk.HolidayName(sat); got != "Saturday holiday" {
		t.Errorf("HolidayName(%s) = %q, want %q", sat, got, "Saturday holiday")
	}
	if got := wk.WorkingDaysBetween(record.MustDate("2030-01-04"), record.MustDate("2030-01-07")); got != 1 {
		t.Errorf("WorkingDaysBetween over a Saturday holiday = %d, want 1", got)
	}
	if got := wk.HolidaysBetween(record.MustDate("2030-01-04"), record.MustDate("2030-01-07")); len(got) != 0 {
		t.Errorf("HolidaysBetween over a Saturday holiday = %v, want none", got)
	}
}

func TestHolidaysBetween(t *testing.T) {
	cal := shippedCalendar(t)
	for _, tc := range []struct {
		name string
		a, b string
		want []record.Date
	}{
		{"Easter 2011 and the royal wedding", "2011-04-20", "2011-05-03",
			dates("2011-04-22", "2011-04-25", "2011-04-29", "2011-05-02")},
		{"b is included", "2011-04-21", "2011-04-22", dates("2011-04-22")},
		{"a is excluded", "2011-04-22", "2011-04-25", dates("2011-04-25")},
		{"same day", "2011-04-22", "2011-04-22", nil},
		{"none", "2021-03-01", "2021-03-15", nil},
		{"Christmas 2021", "2021-12-24", "2022-01-04", dates("2021-12-27", "2021-12-28", "2022-01-03")},
		{"2022 jubilee and funeral", "2022-05-31", "2022-09-30", dates("2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19")},
		{"b before a", "2011-05-03", "2011-04-20", nil},
		{"before the covered years", "1999-01-01", "1999-12-31", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cal.HolidaysBetween(record.MustDate(tc.a), record.MustDate(tc.b))
			if !slices.Equal(got, tc.want) {
				t.Errorf("HolidaysBetween(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
	// A whole year gives that year's list.
	hols, _, _ := shippedHolidays(t)
	var want []record.Date
	for _, h := range hols {
		if h.Date.Time().Year() == 2022 {
			want = append(want, h.Date)
		}
	}
	if got := cal.HolidaysBetween(record.MustDate("2021-12-31"), record.MustDate("2022-12-31")); !slices.Equal(got, want) || len(got) != 10 {
		t.Errorf("HolidaysBetween over 2022 = %v, want %v (10 days)", got, want)
	}
}

func TestParseHolidaysBadDate(t *testing.T) {
	data := `region: test
first_year: 2030
last_year: 2030
holidays:
  - {date: 2030-01-01, name: "ok"}
  - {date: 2030-02-30, name: "bad"}
  - 2030-13-01
  - date: 30-01-01
    name: block style
`
	hols, first, last, err := ParseHolidays("extra.yaml", []byte(data))
	if err == nil {
		t.Fatalf("ParseHolidays accepted bad dates: %v", hols)
	}
	want := `extra.yaml:6: date "2030-02-30" is not a real calendar date (YYYY-MM-DD)` + "\n" +
		`extra.yaml:7: date "2030-13-01" is not a real calendar date (YYYY-MM-DD)` + "\n" +
		`extra.yaml:8: date "30-01-01" is not in the form YYYY-MM-DD`
	if err.Error() != want {
		t.Errorf("error =\n%s\nwant\n%s", err, want)
	}
	if hols != nil || first != 0 || last != 0 {
		t.Errorf("on error got %v, %d, %d; want nil, 0, 0", hols, first, last)
	}
}

func TestParseHolidaysBareDates(t *testing.T) {
	hols, first, last, err := ParseHolidays("extra.yaml", []byte("holidays: [2030-01-02]\n"))
	if err != nil {
		t.Fatalf("ParseHolidays: %v", err)
	}
	if want := []Holiday{{Date: record.MustDate("2030-01-02")}}; !slices.Equal(hols, want) {
		t.Errorf("holidays = %+v, want %+v", hols, want)
	}
	if first != 0 || last != 0 {
		t.Errorf("years = %d, %d; want 0, 0 (not given)", first, last)
	}

	mixed := `holidays:
  - 2030-01-02
  - {date: 2030-01-03, name: Extra, one_off: true}
  - date: 2030-01-04
    name: Block
`
	hols, _, _, err = ParseHolidays("mixed.yaml", []byte(mixed))
	if err != nil {
		t.Fatalf("ParseHolidays: %v", err)
	}
	want := []Holiday{
		{Date: record.MustDate("2030-01-02")},
		{Date: record.MustDate("2030-01-03"), Name: "Extra", OneOff: true},
		{Date: record.MustDate("2030-01-04"), Name: "Block"},
	}
	if !slices.Equal(hols, want) {
		t.Errorf("holidays = %+v, want %+v", hols, want)
	}
}

func TestParseHolidaysUnknownKeys(t *testing.T) {
	for _, tc := range []struct {
		name, data, field string
	}{
		{"top level", "regoin: england\nholidays: [2030-01-02]\n", "regoin"},
		{"flow entry", "holidays:\n  - {date: 2030-01-02, nmae: Typo}\n", "nmae"},
		{"block entry", "holidays:\n  - date: 2030-01-02\n    oneoff: true\n", "oneoff"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hols, _, _, err := ParseHolidays("extra.yaml", []byte(tc.data))
			if err == nil {
				t.Fatalf("ParseHolidays accepted unknown key %q: %+v", tc.field, hols)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "read holidays extra.yaml: ") || !strings.Contains(msg, tc.field) || !strings.Contains(msg, "line ") {
				t.Errorf("error = %q, want it to name extra.yaml, the line and field %s", msg, tc.field)
			}
		})
	}
}

// TestProjectedHolidaysMatchPublished computes every year 2000 to 2027 by the standard rules
// and compares it with the published list, date and name: they must be equal apart from the
// one-off and moved days, which are named here.
func TestProjectedHolidaysMatchPublished(t *testing.T) {
	hols, first, last := shippedHolidays(t)
	// Published days the rules cannot know: one-off holidays, and standard days moved.
	onlyPublished := map[string]string{
		"2002-06-03": "Spring bank holiday moved for the Golden Jubilee",
		"2002-06-04": "Golden Jubilee",
		"2011-04-29": "Royal wedding",
		"2012-06-04": "Spring bank holiday moved for the Diamond Jubilee",
		"2012-06-05": "Diamond Jubilee",
		"2020-05-08": "Early May bank holiday moved to VE day",
		"2022-06-02": "Spring bank holiday moved for the Platinum Jubilee",
		"2022-06-03": "Platinum Jubilee",
		"2022-09-19": "State funeral of Queen Elizabeth II",
		"2023-05-08": "Coronation of King Charles III",
	}
	// Standard days the rules give that were moved in those years.
	onlyProjected := map[string]string{
		"2002-05-27": "the last Monday of May, moved to 3 June",
		"2012-05-28": "the last Monday of May, moved to 4 June",
		"2020-05-04": "the first Monday of May, moved to 8 May",
		"2022-05-30": "the last Monday of May, moved to 2 June",
	}
	published := map[string]string{}
	for _, h := range hols {
		published[h.Date.String()] = h.Name
	}
	seen := map[string]bool{}
	for y := first; y <= last; y++ {
		for _, h := range ProjectedHolidays(y) {
			d := h.Date.String()
			seen[d] = true
			if !h.Projected {
				t.Errorf("%s: not marked projected", d)
			}
			name, ok := published[d]
			switch {
			case !ok && onlyProjected[d] == "":
				t.Errorf("%d: computed %s %q, which is not in the published list", y, d, h.Name)
			case ok && onlyProjected[d] != "":
				t.Errorf("%d: %s is named as moved but is in the published list", y, d)
			case ok && name != h.Name:
				t.Errorf("%s: computed %q, published %q", d, h.Name, name)
			}
		}
	}
	for d, name := range published {
		if !seen[d] && onlyPublished[d] == "" {
			t.Errorf("published %s %q was not computed", d, name)
		}
		if seen[d] && onlyPublished[d] != "" {
			t.Errorf("%s is named as one-off but was computed", d)
		}
	}
	for d := range onlyPublished {
		if _, ok := published[d]; !ok {
			t.Errorf("one-off %s is not in the published list", d)
		}
	}
}

// TestProjectedHolidays2028 checks the first projected year by hand: New Year's Day is a
// Saturday (substitute Monday 3 January) and Easter Day is 16 April.
func TestProjectedHolidays2028(t *testing.T) {
	var got []string
	for _, h := range ProjectedHolidays(2028) {
		got = append(got, h.Date.String()+" "+h.Name)
	}
	want := []string{
		"2028-01-03 New Year's Day (substitute day)",
		"2028-04-14 Good Friday",
		"2028-04-17 Easter Monday",
		"2028-05-01 Early May bank holiday",
		"2028-05-29 Spring bank holiday",
		"2028-08-28 Summer bank holiday",
		"2028-12-25 Christmas Day",
		"2028-12-26 Boxing Day",
	}
	if !slices.Equal(got, want) {
		t.Errorf("ProjectedHolidays(2028) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	cal := shippedCalendar(t)
	if d := record.MustDate("2028-04-14"); !cal.IsProjected(d) || cal.HolidayName(d) != "Good Friday (projected)" || cal.IsWorkingDay(d) {
		t.Errorf("2028-04-14: projected %v, name %q, working day %v", cal.IsProjected(d), cal.HolidayName(d), cal.IsWorkingDay(d))
	}
	if d := record.MustDate("2027-03-26"); cal.IsProjected(d) || cal.HolidayName(d) != "Good Friday" {
		t.Errorf("2027-03-26 (published): projected %v, name %q", cal.IsProjected(d), cal.HolidayName(d))
	}
	// Over 2028 the count skips its eight holidays: 260 weekdays, 252 working days.
	if got := cal.WorkingDaysBetween(record.MustDate("2027-12-31"), record.MustDate("2028-12-31")); got != 252 {
		t.Errorf("working days in 2028 = %d, want 252", got)
	}
	if got := cal.ProjectedBetween(record.MustDate("2027-12-01"), record.MustDate("2028-04-30")); !slices.Equal(got, dates("2028-01-03", "2028-04-14", "2028-04-17")) {
		t.Errorf("ProjectedBetween = %v, want the substitute New Year's Day, Good Friday and Easter Monday 2028", got)
	}
	if got := cal.ProjectedBetween(record.MustDate("2026-12-01"), record.MustDate("2027-12-31")); got != nil {
		t.Errorf("ProjectedBetween over published days = %v, want none", got)
	}
}

// TestProjectedHolidaysAnyYear checks years far from the list: Easter Day on its earliest and
// latest possible dates, and working-day arithmetic past the calendar's precomputed years,
// where holidays are computed when asked, agreeing with a day-by-day count.
func TestProjectedHolidaysAnyYear(t *testing.T) {
	for _, tc := range []struct {
		year int
		want string
	}{
		{1818, "1818-03-22"}, {2285, "2285-03-22"}, // the earliest Easter Day
		{1943, "1943-04-25"}, {2038, "2038-04-25"}, // the latest
		{2100, "2100-03-28"}, {2400, "2400-04-16"},
	} {
		if got := easterSunday(tc.year).String(); got != tc.want {
			t.Errorf("easterSunday(%d) = %s, want %s", tc.year, got, tc.want)
		}
	}
	cal := shippedCalendar(t)
	for _, year := range []int{2100, 2227, 2228, 2229, 2500, 9999} {
		hs := ProjectedHolidays(year)
		if len(hs) != 8 {
			t.Fatalf("ProjectedHolidays(%d): %d days, want 8", year, len(hs))
		}
		a := record.DateOf(time.Date(year-1, 12, 31, 0, 0, 0, 0, time.UTC))
		b := record.DateOf(time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC))
		want := 0
		for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
			wd := d.Weekday()
			isHol := slices.ContainsFunc(hs, func(h Holiday) bool { return h.Date == d })
			if wd != time.Saturday && wd != time.Sunday && !isHol {
				want++
			}
			if got := cal.IsWorkingDay(d); got != (wd != time.Saturday && wd != time.Sunday && !isHol) {
				t.Fatalf("IsWorkingDay(%s) = %v", d, got)
			}
		}
		if got := cal.WorkingDaysBetween(a, b); got != want {
			t.Errorf("working days in %d = %d, want %d", year, got, want)
		}
		if got := cal.AddWorkingDays(a, want); got != b && cal.IsWorkingDay(b) {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", a, want, got, b)
		}
		if got := len(cal.ProjectedBetween(a, b)); got != len(weekdayHolidays(hs)) {
			t.Errorf("ProjectedBetween over %d: %d days, want %d", year, got, len(weekdayHolidays(hs)))
		}
		if name := cal.HolidayName(hs[1].Date); name != "Good Friday (projected)" {
			t.Errorf("HolidayName(%s) = %q, want Good Friday (projected)", hs[1].Date, name)
		}
	}
	// A span across the end of the precomputed years counts both sides.
	a, b := record.DateOf(time.Date(2225, 6, 30, 0, 0, 0, 0, time.UTC)), record.DateOf(time.Date(2230, 6, 30, 0, 0, 0, 0, time.UTC))
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if cal.IsWorkingDay(d) {
			n++
		}
	}
	if got := cal.WorkingDaysBetween(a, b); got != n {
		t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", a, b, got, n)
	}
}

func weekdayHolidays(hs []Holiday) []Holiday {
	var out []Holiday
	for _, h := range hs {
		if wd := h.Date.Weekday(); wd != time.Saturday && wd != time.Sunday {
			out = append(out, h)
		}
	}
	return out
}

// BenchmarkWorkingDaysBetween counts working days within the published years, across the
// projected years (an 18th birthday), and past the precomputed table.
func BenchmarkWorkingDaysBetween(b *testing.B) {
	cal := shippedCalendar(b)
	for _, bc := range []struct{ name, a, c string }{
		{"published", "2024-01-04", "2024-03-07"},
		{"projected", "2024-03-31", "2033-06-01"},
	} {
		a, c := record.MustDate(bc.a), record.MustDate(bc.c)
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				cal.WorkingDaysBetween(a, c)
			}
		})
	}
	a, c := record.DateOf(time.Date(2230, 1, 1, 0, 0, 0, 0, time.UTC)), record.DateOf(time.Date(2231, 1, 1, 0, 0, 0, 0, time.UTC))
	b.Run("computed", func(b *testing.B) {
		for b.Loop() {
			cal.WorkingDaysBetween(a, c)
		}
	})
}

// BenchmarkNewCalendar builds the shipped calendar with its projected years.
func BenchmarkNewCalendar(b *testing.B) {
	hols, first, last := shippedHolidays(b)
	for b.Loop() {
		NewCalendar(hols, first, last)
	}
}

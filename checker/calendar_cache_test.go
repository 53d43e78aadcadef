package checker

import (
	"math/rand/v2"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// TestWorkingDayCacheAgreesWithSearch: the cached count and addition give exactly what the
// search gives, on random days and counts across the cache and past both its ends.
func TestWorkingDayCacheAgreesWithSearch(t *testing.T) {
	cal := NewCalendar([]Holiday{
		{Date: record.MustDate("2020-05-08"), Name: "VE Day"},
		{Date: record.MustDate("2024-12-25"), Name: "Christmas Day"},
		{Date: record.MustDate("2024-12-26"), Name: "Boxing Day"},
	}, 2010, 2025)
	if len(cal.working) == 0 {
		t.Fatal("no cache built")
	}
	r := rand.New(rand.NewPCG(1, 2))
	lo, hi := cal.ordBase-4000, cal.tableEnd+4000
	for range 20_000 {
		x := lo + r.Int32N(hi-lo)
		n := r.IntN(2000) - 1000
		if r.IntN(50) == 0 {
			n = r.IntN(20_000) - 10_000 // across the cache's ends
		}
		d := record.DateFromDayNumber(x)
		if got, want := cal.AddWorkingDays(d, n), cal.addWorkingDaysSearch(d, n); got != want {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, search gives %s", d, n, got, want)
		}
		y := x + int32(r.IntN(3000))
		if got, want := cal.workingIn(x, y), cal.workingInSearch(x, y); got != want {
			t.Fatalf("workingIn(%s, %s) = %d, search gives %d", d, record.DateFromDayNumber(y), got, want)
		}
	}
}

// BenchmarkCalendar measures the calendar functions the rules call most, on days spread over
// the years the packs judge.
func BenchmarkCalendar(b *testing.B) {
	cal := NewCalendar(nil, 2010, 2026)
	days := make([]record.Date, 1024)
	for i := range days {
		days[i] = record.MustDate("2010-04-01").AddDays(i * 6)
	}
	b.Run("AddWorkingDays", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			cal.AddWorkingDays(days[i%len(days)], 15)
		}
	})
	b.Run("WorkingDaysBetween", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			cal.WorkingDaysBetween(days[i%len(days)], days[(i+7)%len(days)])
		}
	})
	b.Run("AddWorkingDays/search", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			cal.addWorkingDaysSearch(days[i%len(days)], 15)
		}
	})
}

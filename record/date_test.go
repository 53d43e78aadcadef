package record

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const (
	reasonFormat   = "is not in the form YYYY-MM-DD"
	reasonCalendar = "is not a real calendar date (YYYY-MM-DD)"
	reasonRange    = "is outside the years 1900 to 2200"
	reasonType     = "is not a string: want a date \"YYYY-MM-DD\""
)

// parseDateCases also seed FuzzParseDate. reason is "" for a good date.
var parseDateCases = []struct {
	in     string
	reason string
}{
	{"2024-02-29", ""},
	{"2000-02-29", ""}, // divisible by 400: a leap year
	{"1900-01-01", ""},
	{"2200-12-31", ""},
	{"1969-12-31", ""},
	{"1970-01-01", ""},
	{"2023-12-31", ""},
	{"2023-02-29", reasonCalendar},
	{"1900-02-29", reasonCalendar}, // divisible by 100: not a leap year
	{"2100-02-29", reasonCalendar},
	{"2023-02-30", reasonCalendar},
	{"2023-04-31", reasonCalendar},
	{"2023-13-01", reasonCalendar},
	{"2023-00-10", reasonCalendar},
	{"2023-01-00", reasonCalendar},
	{"2023-01-32", reasonCalendar},
	{"abcd-ef-gh", reasonCalendar},
	{"2023-1-01", reasonFormat},
	{"2023-01-1", reasonFormat},
	{"", reasonFormat},
	{"20230101", reasonFormat},
	{"2023/01/01", reasonFormat},
	{"2023-01-01T00:00:00Z", reasonFormat},
	{" 2023-01-01", reasonFormat},
	{"2023-01-01 ", reasonFormat},
	{"01-01-2023", reasonFormat},
	{"1899-12-31", reasonRange},
	{"2201-01-01", reasonRange},
	{"0000-01-01", reasonRange},
	{"9999-12-31", reasonRange},
}

func TestParseDate(t *testing.T) {
	for _, tc := range parseDateCases {
		t.Run(fmt.Sprintf("%q", tc.in), func(t *testing.T) {
			d, err := ParseDate(tc.in)
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("ParseDate(%q): %v", tc.in, err)
				}
				if d.IsZero() || d.String() != tc.in {
					t.Errorf("ParseDate(%q) = %q (IsZero %v), want %q", tc.in, d, d.IsZero(), tc.in)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseDate(%q) = %s, want an error", tc.in, d)
			}
			want := fmt.Sprintf("date %q %s", tc.in, tc.reason)
			if err.Error() != want {
				t.Errorf("ParseDate(%q) error = %q, want %q", tc.in, err, want)
			}
			if !d.IsZero() {
				t.Errorf("ParseDate(%q) returned %v with its error, want the zero Date", tc.in, d)
			}
		})
	}
}

func TestMustDatePanicsOnABadDate(t *testing.T) {
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || err.Error() != `date "2023-02-29" `+reasonCalendar {
			t.Errorf("MustDate(2023-02-29) panicked with %v, want the ParseDate error", r)
		}
	}()
	MustDate("2023-02-29")
}

func TestDateZero(t *testing.T) {
	var z Date
	if !z.IsZero() {
		t.Errorf("Date{}.IsZero() = false")
	}
	if s := z.String(); s != "" {
		t.Errorf("Date{}.String() = %q, want \"\"", s)
	}
	if r := z.invalidReason(); r != "" {
		t.Errorf("Date{}.invalidReason() = %q, want \"\"", r)
	}
	if y, err := z.MarshalYAML(); err != nil || y != "" {
		t.Errorf("Date{}.MarshalYAML() = %v, %v; want \"\", nil", y, err)
	}
	d := MustDate("1970-01-01")
	if d.IsZero() {
		t.Errorf("1970-01-01 is the zero Date: it must be distinct from \"not recorded\"")
	}
	if y, err := d.MarshalYAML(); err != nil || y != "1970-01-01" {
		t.Errorf("MarshalYAML() = %v, %v; want 1970-01-01, nil", y, err)
	}
}

// 1969-12-31 is day number -1 and is stored as day+1 = 0: it must still not read as the zero
// Date, "not recorded", since the accepted years run from 1900.
func TestDate19691231IsNotTheZeroDate(t *testing.T) {
	d, err := ParseDate("1969-12-31")
	if err != nil {
		t.Fatalf("ParseDate: %v", err)
	}
	if d.IsZero() || d.String() != "1969-12-31" {
		t.Errorf("ParseDate(1969-12-31) = %q, IsZero %v; want \"1969-12-31\", false", d, d.IsZero())
	}
	if got := DateOf(time.Date(1969, 12, 31, 12, 0, 0, 0, time.UTC)); got.IsZero() {
		t.Errorf("DateOf(1969-12-31 12:00 UTC) is the zero Date")
	}
	if got := MustDate("1970-01-01").AddDays(-1); got.IsZero() || got.String() != "1969-12-31" {
		t.Errorf("1970-01-01 - 1 day = %q, IsZero %v; want \"1969-12-31\", false", got, got.IsZero())
	}
	var r dateRecord
	if err := json.Unmarshal([]byte(`{"born":"1969-12-31"}`), &r); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if r.Born.IsZero() {
		t.Errorf(`{"born":"1969-12-31"} decoded as not recorded`)
	}
	if b, _ := r.Born.MarshalJSON(); string(b) != `"1969-12-31"` {
		t.Errorf("MarshalJSON(1969-12-31) = %s, want \"1969-12-31\"", b)
	}
}

func TestDateWeekday(t *testing.T) {
	for _, tc := range []struct {
		d    string
		want time.Weekday
	}{
		{"1969-12-31", time.Wednesday},
		{"1969-12-25", time.Thursday},
		{"1969-12-28", time.Sunday},
		{"1970-01-01", time.Thursday},
		{"1970-01-05", time.Monday},
		{"1966-07-30", time.Saturday},
		{"1900-01-01", time.Monday},
		{"2000-01-01", time.Saturday},
		{"2021-03-01", time.Monday},
		{"2024-02-29", time.Thursday},
		{"2024-09-01", time.Sunday},
		{"2200-12-31", time.Wednesday},
	} {
		if got := MustDate(tc.d).Weekday(); got != tc.want {
			t.Errorf("Weekday(%s) = %s, want %s", tc.d, got, tc.want)
		}
	}
	// Every day in the accepted range agrees with the time package.
	for tm := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() <= 2200; tm = tm.AddDate(0, 0, 1) {
		d := DateOf(tm)
		if d.Weekday() != tm.Weekday() || !d.Time().Equal(tm) {
			t.Fatalf("%s: Weekday %s, Time %s; want %s, %s", tm.Format(dateLayout), d.Weekday(), d.Time(), tm.Weekday(), tm)
		}
	}
}

func TestDateAddDaysAndDaysUntil(t *testing.T) {
	for _, tc := range []struct {
		d    string
		n    int
		want string
	}{
		{"2024-02-28", 1, "2024-02-29"},
		{"2024-02-28", 2, "2024-03-01"},
		{"2023-02-28", 1, "2023-03-01"},
		{"1969-12-31", 1, "1970-01-01"},
		{"1970-01-01", -2, "1969-12-30"},
		{"1970-01-01", -365, "1969-01-01"},
		{"2024-01-01", 366, "2025-01-01"},
		{"2025-01-01", -366, "2024-01-01"},
		{"2021-03-01", 0, "2021-03-01"},
		{"1900-01-01", 73048, "2099-12-31"},
	} {
		d := MustDate(tc.d)
		got := d.AddDays(tc.n)
		if got.String() != tc.want {
			t.Errorf("AddDays(%s, %d) = %s, want %s", tc.d, tc.n, got, tc.want)
		}
		if back := d.DaysUntil(MustDate(tc.want)); back != tc.n {
			t.Errorf("DaysUntil(%s, %s) = %d, want %d", tc.d, tc.want, back, tc.n)
		}
		if back := MustDate(tc.want).DaysUntil(d); back != -tc.n {
			t.Errorf("DaysUntil(%s, %s) = %d, want %d", tc.want, tc.d, back, -tc.n)
		}
	}
	a, b := MustDate("1969-12-31"), MustDate("1970-01-01")
	if !a.Before(b) || a.After(b) || b.Before(a) || !b.After(a) || a.Before(a) || a.After(a) {
		t.Errorf("Before/After disagree with the calendar order of %s and %s", a, b)
	}
}

// TestDateOfUTCAgreesWithTheCalendar checks the shortcut DateOf takes for a time in UTC
// against the calendar's own reading, at and around midnight, before and after 1970.
func TestDateOfUTCAgreesWithTheCalendar(t *testing.T) {
	for tm := time.Date(1899, 12, 25, 0, 0, 0, 0, time.UTC); tm.Year() <= 2201; tm = tm.Add(7*time.Hour + 59*time.Minute + 59*time.Second) {
		y, m, d := tm.Date()
		want := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		if got := DateOf(tm).String(); got != want {
			t.Fatalf("DateOf(%s) = %s, want %s", tm, got, want)
		}
	}
}

func TestDateOfUsesTheTimesOwnLocation(t *testing.T) {
	// 23:30 on 29 February in UTC-5 is already 1 March in UTC.
	tm := time.Date(2024, 2, 29, 23, 30, 0, 0, time.FixedZone("UTC-5", -5*3600))
	if got := DateOf(tm).String(); got != "2024-02-29" {
		t.Errorf("DateOf(%s) = %s, want 2024-02-29", tm, got)
	}
	if got := MustDate("2024-02-29").Time(); !got.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("Time() = %s, want 2024-02-29 00:00:00 UTC", got)
	}
}

type dateRecord struct {
	Start Date  `json:"start"`
	End   Date  `json:"end"`
	Born  Date  `json:"born"`
	Ptr   *Date `json:"ptr,omitempty"`
}

func TestDateJSONRoundTrip(t *testing.T) {
	p := MustDate("2000-02-29")
	in := dateRecord{Start: MustDate("2024-02-29"), Born: MustDate("1966-07-30"), Ptr: &p}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	const want = `{"start":"2024-02-29","end":null,"born":"1966-07-30","ptr":"2000-02-29"}`
	if string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var out dateRecord
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if out.Start != in.Start || out.End != in.End || out.Born != in.Born || out.Ptr == nil || *out.Ptr != p {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}
	if !out.End.IsZero() {
		t.Errorf("null decoded to %v, want the zero Date", out.End)
	}
	for _, d := range []Date{out.Start, out.End, out.Born} {
		if r := d.invalidReason(); r != "" {
			t.Errorf("%v: invalidReason() = %q, want \"\"", d, r)
		}
	}

	// null over a recorded date clears it.
	over := dateRecord{Start: MustDate("2024-01-01"), End: MustDate("2024-01-02")}
	if err := json.Unmarshal([]byte(`{"start":null}`), &over); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if !over.Start.IsZero() {
		t.Errorf("null decoded over a date gave %s, want the zero Date", over.Start)
	}
	if over.End.String() != "2024-01-02" {
		t.Errorf("an absent field changed: %s, want 2024-01-02", over.End)
	}

	// A zero Date marshals as null on its own too.
	if b, err := (Date{}).MarshalJSON(); err != nil || string(b) != "null" {
		t.Errorf("Date{}.MarshalJSON() = %s, %v; want null, nil", b, err)
	}
}

// A bad value must not fail decoding, so that validation can name the field's path; the Date
// carries why it is bad.
func TestDateUnmarshalJSONBadValue(t *testing.T) {
	for _, tc := range []struct {
		json, reason string
	}{
		{`"2023-02-30"`, reasonCalendar},
		{`"2023-13-01"`, reasonCalendar},
		{`"2023-1-01"`, reasonFormat},
		{`""`, reasonFormat},
		{`"2023-01-01T00:00:00Z"`, reasonFormat},
		{`"1899-12-31"`, reasonRange},
		{`"2201-01-01"`, reasonRange},
		{`20230101`, reasonType},
		{`true`, reasonType},
		{`{"year":2023}`, reasonType},
		{`["2023-01-01"]`, reasonType},
	} {
		t.Run(tc.json, func(t *testing.T) {
			var r dateRecord
			if err := json.Unmarshal([]byte(`{"start":`+tc.json+`,"end":"2024-02-29"}`), &r); err != nil {
				t.Fatalf("Unmarshal returned %v, want nil (the bad date is reported by Validate)", err)
			}
			if got := r.Start.invalidReason(); got != tc.reason {
				t.Errorf("invalidReason() = %q, want %q", got, tc.reason)
			}
			if r.Start.IsZero() {
				t.Errorf("a bad value decoded to the zero Date, which would read as \"not recorded\"")
			}
			if r.End.String() != "2024-02-29" {
				t.Errorf("decoding went wrong after the bad value: end = %q", r.End)
			}

			var d Date
			if err := d.UnmarshalJSON([]byte(tc.json)); err != nil {
				t.Errorf("UnmarshalJSON(%s) = %v, want nil", tc.json, err)
			}
			if got := d.invalidReason(); got != tc.reason {
				t.Errorf("UnmarshalJSON(%s): invalidReason() = %q, want %q", tc.json, got, tc.reason)
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, tc := range parseDateCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)

		// Decoding the same string from JSON agrees with ParseDate. JSON cannot carry invalid
		// UTF-8 (json.Marshal replaces it), so only valid strings are compared.
		checkJSON := utf8.ValidString(s)
		js, jerr := json.Marshal(s)
		if jerr != nil {
			t.Fatalf("json.Marshal(%q): %v", s, jerr)
		}
		var j Date
		if uerr := j.UnmarshalJSON(js); uerr != nil {
			t.Fatalf("UnmarshalJSON(%s) = %v, want nil", js, uerr)
		}

		if err != nil {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) returned %v with error %v", s, d, err)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("date %q ", s)) {
				t.Fatalf("ParseDate(%q) error = %q, want it to quote the input", s, err)
			}
			if checkJSON {
				reason := j.invalidReason()
				if reason == "" {
					t.Fatalf("ParseDate(%q) failed (%v) but UnmarshalJSON accepted it as %v", s, err, j)
				}
				if want := fmt.Sprintf("date %q %s", s, reason); err.Error() != want {
					t.Fatalf("ParseDate(%q) error = %q, want %q (the reason UnmarshalJSON kept)", s, err, want)
				}
			}
			return
		}
		if d.IsZero() {
			t.Fatalf("ParseDate(%q) = the zero Date with no error", s)
		}
		if checkJSON && j != d {
			t.Fatalf("UnmarshalJSON(%s) = %v (%q), ParseDate = %v", js, j, j.invalidReason(), d)
		}
		out := d.String()
		if out != s {
			t.Fatalf("ParseDate(%q).String() = %q: accepted a non-canonical form", s, out)
		}
		back, err := ParseDate(out)
		if err != nil || back != d {
			t.Fatalf("ParseDate(%q) = %v, %v; want %v", out, back, err, d)
		}
		if y := d.Time().Year(); y < 1900 || y > 2200 {
			t.Fatalf("ParseDate(%q) accepted year %d", s, y)
		}
		if strings.Count(out, "-") != 2 {
			t.Fatalf("String() = %q, want YYYY-MM-DD", out)
		}
	})
}

// TestAppendISOAsTimeFormat holds the day-number arithmetic of AppendISO to time.Format, for
// every day from 1600 to 2400, the calendar's edges, far dates and the marks of a bad date.
func TestAppendISOAsTimeFormat(t *testing.T) {
	check := func(d Date) {
		t.Helper()
		want := d.Time().Format(dateLayout)
		if got := string(d.AppendISO(nil)); got != want {
			t.Fatalf("day %d: AppendISO gives %q, time.Format %q", d.DayNumber(), got, want)
		}
		if got := d.String(); got != want {
			t.Fatalf("day %d: String gives %q, time.Format %q", d.DayNumber(), got, want)
		}
	}
	from, to := DateOf(time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)), DateOf(time.Date(2400, 12, 31, 0, 0, 0, 0, time.UTC))
	for d := from; !d.After(to); d = d.AddDays(1) {
		check(d)
	}
	for _, n := range []int32{-719528, -719529, -719162, 2932896, 2932897, -1 << 19, 1<<20 - 1, math.MaxInt32 - dayOffset} {
		check(DateFromDayNumber(n))
	}
	for bad := range badDateReasons {
		check(Date{day: bad})
	}
	if got := (Date{}).AppendISO([]byte("x")); string(got) != "x" {
		t.Errorf("a date not recorded appends %q, want nothing", got)
	}
}

// TestDayNumberOfAsTheTimePackage: the day number of every date from 1600 to 2400 (past the
// calendar's range each side, over the 400-year cycle's turns), and of dates around year 0,
// is what the time package counts, and civil gives the date back; daysIn agrees with the time
// package on every month of those years.
func TestDayNumberOfAsTheTimePackage(t *testing.T) {
	check := func(y, m, d int) {
		t.Helper()
		want := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400 // midnight: exact
		got := dayNumberOf(int64(y), int64(m), int64(d))
		if got != want {
			t.Fatalf("dayNumberOf(%d, %d, %d) = %d, the time package says %d", y, m, d, got, want)
		}
		if cy, cm, cd := civil(got); cy != int64(y) || cm != int64(m) || cd != int64(d) {
			t.Fatalf("civil(dayNumberOf(%d, %d, %d)) = %d-%d-%d", y, m, d, cy, cm, cd)
		}
	}
	for _, years := range [][2]int{{1600, 2400}, {-401, 1}} {
		for y := years[0]; y <= years[1]; y++ {
			for m := 1; m <= 12; m++ {
				n := daysIn(time.Month(m), y)
				if want := time.Date(y, time.Month(m+1), 0, 0, 0, 0, 0, time.UTC).Day(); n != want {
					t.Fatalf("daysIn(%d, %d) = %d, the time package says %d", m, y, n, want)
				}
				for d := 1; d <= n; d++ {
					check(y, m, d)
				}
			}
		}
	}
}

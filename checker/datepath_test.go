package checker

import (
	"fmt"
	"testing"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/wtcheck/wtcheck/record"
)

// TestDateComparisonsAsCEL holds the date paths of the conditions (a date compared with null,
// two dates ordered) to CEL's answers, null dates included, where ordering a null is CEL's
// error: the same status, or the same error, with fast paths and without.
func TestDateComparisonsAsCEL(t *testing.T) {
	for _, expr := range []string{
		"referral.closed == null", "referral.decision != null", "null == referral.decision",
		"referral.received < referral.decision", "referral.decision <= referral.received",
		"referral.received > referral.closed", "referral.closed >= referral.received",
		"referral.received <= date('2024-01-02')", "referral.decision != null && referral.received < referral.decision",
	} {
		for _, closed := range []string{"", "2024-01-10"} {
			outcome := func(fast bool) string {
				useFastPaths = fast
				defer func() { useFastPaths = true }()
				cp := compileTestPack(t, assertPack(expr))
				c := testCase()
				if closed != "" {
					c.Referrals[0].Closed = record.MustDate(closed)
				}
				e := &Engine{Packs: []*CompiledPack{cp}, Calendar: testCalendar(t)}
				findings, errs := e.Check(c, record.Date{})
				if len(errs) > 0 {
					return "error: " + errs[0].Err.Error()
				}
				return fmt.Sprint(findings[0].Status)
			}
			if fast, cel := outcome(true), outcome(false); fast != cel {
				t.Errorf("%s (closed %q): fast paths give %q, CEL %q", expr, closed, fast, cel)
			}
		}
	}
}

// TestDateOfValReadsDaysInRange: a timestamp is a Date only at midnight UTC of a day in the
// calendar's range, before 1970 too; null is the zero Date; anything else is left to CEL.
func TestDateOfValReadsDaysInRange(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	ts := func(tm time.Time) ref.Val { return types.Timestamp{Time: tm} }
	for _, tc := range []struct {
		name string
		v    ref.Val
		want record.Date
		ok   bool
	}{
		{"a day", ts(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)), record.MustDate("2024-02-29"), true},
		{"before 1970", ts(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)), record.MustDate("1969-12-31"), true},
		{"the first day", ts(record.MinDate.Time()), record.MinDate, true},
		{"the last day", ts(record.MaxDate.Time()), record.MaxDate, true},
		{"null", types.NullValue, record.Date{}, true},
		{"a nanosecond past midnight", ts(time.Date(2024, 2, 29, 0, 0, 0, 1, time.UTC)), record.Date{}, false},
		{"a second before midnight", ts(time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC)), record.Date{}, false},
		{"midnight elsewhere", ts(time.Date(2024, 1, 10, 0, 0, 0, 0, london)), record.Date{}, false},
		{"the day before the first", ts(record.MinDate.AddDays(-1).Time()), record.Date{}, false},
		{"the day after the last", ts(record.MaxDate.AddDays(1).Time()), record.Date{}, false},
		{"far beyond", ts(time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)), record.Date{}, false},
		{"far before", ts(time.Date(-300000, 1, 1, 0, 0, 0, 0, time.UTC)), record.Date{}, false},
		{"a string", types.String("2024-02-29"), record.Date{}, false},
	} {
		got, ok := dateOfVal(tc.v)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: got %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

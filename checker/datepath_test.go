package checker

import (
	"fmt"
	"testing"

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

package browsertest

import (
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
)

// TestProblem: console errors and failed assertions, exceptions and errors the browser logs
// are problems, named by kind; other messages are not.
func TestProblem(t *testing.T) {
	for _, tc := range []struct {
		name string
		ev   any
		want string
		ok   bool
	}{
		{"console.error", &runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeError, Args: []*runtime.RemoteObject{{Value: []byte(`"boom"`)}}}, `console.error: "boom"`, true},
		{"console.assert", &runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeAssert}, "console.assert: ", true},
		{"console.log", &runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeLog, Args: []*runtime.RemoteObject{{Value: []byte(`"fine"`)}}}, "", false},
		{"policy violation", &log.EventEntryAdded{Entry: &log.Entry{Level: log.EntryLevelError, Source: log.EntrySourceSecurity, Text: "Refused to connect", URL: "http://example.invalid/"}},
			"log (security): Refused to connect http://example.invalid/", true},
		{"log warning", &log.EventEntryAdded{Entry: &log.Entry{Level: log.EntryLevelWarning, Text: "slow"}}, "", false},
		{"another event", &runtime.EventExecutionContextsCleared{}, "", false},
	} {
		got, ok := Problem(tc.ev)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: got %q, %v, want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// TestRequireSkips: without WTCHECK_BROWSER=1 a browser test is skipped, not failed.
func TestRequireSkips(t *testing.T) {
	t.Setenv("WTCHECK_BROWSER", "")
	var skipped bool
	t.Run("browser test", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Require(t, "make web-test")
		t.Error("Require returned without WTCHECK_BROWSER=1")
	})
	if !skipped {
		t.Error("not skipped")
	}
}

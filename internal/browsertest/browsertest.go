// Package browsertest is the one set-up of the tests that open a page in headless Chromium
// (the HTML report in checker/report, the browser build in web): where the browser and
// axe-core are found, how the browser is started, what counts as the page saying something
// is wrong, and how axe-core's accessibility rules are run.
//
// # When a test runs
//
// A browser test runs only with WTCHECK_BROWSER=1 (make browser-test and make web-test set
// it, and make test runs both); without it the test is skipped, saying how to run it. With it
// set, a missing Chromium or axe-core fails the test, never skips it: a run that asked for the
// browser tests must not pass without them.
//
// Chromium is $WTCHECK_CHROMIUM, else Debian's /usr/bin/chromium; axe-core is the
// axe.min.js that $WTCHECK_AXE names (the Makefile installs it from the npm registry).
package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser is what a browser test needs: Chromium's path and axe-core's source.
type Browser struct {
	Path string // Chromium's executable
	Axe  []byte // axe-core's axe.min.js
}

// Require skips the test unless WTCHECK_BROWSER=1, saying how to run it (howToRun, as
// "make web-test"); then it fails the test when Chromium or axe-core is missing, saying how
// to get them.
func Require(t testing.TB, howToRun string) Browser {
	t.Helper()
	if os.Getenv("WTCHECK_BROWSER") != "1" {
		t.Skip("opens a page in headless Chromium: " + howToRun +
			" (Chromium at /usr/bin/chromium or $WTCHECK_CHROMIUM, axe-core's axe.min.js at $WTCHECK_AXE)")
	}
	b := Browser{Path: os.Getenv("WTCHECK_CHROMIUM")}
	if b.Path == "" {
		b.Path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(b.Path); err != nil {
		t.Fatalf("no browser: %v (install chromium, or set WTCHECK_CHROMIUM)", err)
	}
	var err error
	if b.Axe, err = os.ReadFile(os.Getenv("WTCHECK_AXE")); err != nil {
		t.Fatalf("no axe-core: %v (make browser-test and make web-test install it with npm and set WTCHECK_AXE to its axe.min.js)", err)
	}
	return b
}

// Start starts headless Chromium, with a profile of its own in the test's temporary folder
// and a 1280x900 window, and opens a tab, whose context it returns; listen, if not nil, is
// told of the tab's events (on chromedp's reading goroutine). The browser is stopped when
// the test ends, or after timeout.
func (b Browser) Start(t testing.TB, timeout time.Duration, listen func(ev any)) context.Context {
	t.Helper()
	profile := filepath.Join(t.TempDir(), "profile")
	if err := os.Mkdir(profile, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(b.Path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// No request of the browser's own (updates, sync, QUIC probes) among the page's.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	var opts []chromedp.ContextOption
	if listen != nil {
		opts = append(opts, chromedp.WithListener(listen))
	}
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, append(opts, chromedp.WithLogf(t.Logf))...)
	t.Cleanup(cancelTab)
	return tabCtx
}

// Problem says whether a tab's event is the page saying something is wrong, and what: a
// console error or failed assertion, an exception not caught, or an error logged by the
// browser (where a blocked request and a Content-Security-Policy violation are told).
func Problem(ev any) (string, bool) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, arg := range ev.Args {
				args = append(args, string(arg.Value)+arg.Description)
			}
			return fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")), true
		}
	case *runtime.EventExceptionThrown:
		return "exception: " + (&chromedp.ExceptionError{ExceptionDetails: ev.ExceptionDetails}).Error(), true
	case *log.EventEntryAdded:
		if ev.Entry != nil && ev.Entry.Level == log.EntryLevelError {
			return fmt.Sprintf("log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL), true
		}
	}
	return "", false
}

// InjectAxe gives the page axe-core through the DevTools protocol, which the page's
// Content Security Policy (no script, or its own scripts only) does not stop.
func (b Browser) InjectAxe(t testing.TB, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(b.Axe)+"\n;true")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
}

// Axe runs axe-core, injected already, on the page as it is laid out now (width says how, for
// the messages), and fails the test on a serious or critical violation; the others are
// logged. options is axe.run's options object, as JavaScript, after resultTypes; "" for none.
func Axe(t testing.TB, ctx context.Context, width, options string) {
	t.Helper()
	if options != "" {
		options = ", " + options
	}
	result, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](`axe.run(document, {resultTypes: ['violations']`+options+`}).then(r => ({version: axe.version, passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))}))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	if result.Passes == 0 {
		t.Fatalf("axe-core %s checked nothing", result.Version)
	}
	t.Logf("axe-core %s at %s: %d rules passed, %d violated", result.Version, width, result.Passes, len(result.Violations))
	for _, v := range result.Violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("axe-core at %s: %s (%s): %s, at %s", width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "; "))
		} else {
			t.Logf("axe-core at %s, %s: %s (%s) at %s", width, v.Impact, v.ID, v.Help, strings.Join(v.Targets, "; "))
		}
	}
}

// axeResult is what a test reads of an axe-core run.
type axeResult struct {
	Version    string         `json:"version"`
	Passes     int            `json:"passes"`
	Violations []axeViolation `json:"violations"`
}

// axeViolation is what a test reads of an axe-core violation.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

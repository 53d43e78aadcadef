package report

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestHTMLInBrowser opens the golden test's page in headless Chromium, from a file as a
// mail attachment would be opened: it wants no console error, no exception, no request for
// anything but the file itself, no page wider than the window (on a desktop and on a phone),
// the summary numbers the audit holds, and no serious or critical accessibility violation
// found by axe-core ($WTCHECK_AXE names its axe.min.js; make browser-test installs it from
// the npm registry). It saves a screenshot of the top of the page to $WTCHECK_SCREENSHOT, if set.
func TestHTMLInBrowser(t *testing.T) {
	if os.Getenv("WTCHECK_BROWSER") != "1" {
		t.Skip("opens the page in headless Chromium: run with WTCHECK_BROWSER=1 go test ./checker/report -run TestHTMLInBrowser -v " +
			"(Chromium at /usr/bin/chromium or $WTCHECK_CHROMIUM; WTCHECK_SCREENSHOT=/tmp/audit.png keeps the screenshot)")
	}
	browser := os.Getenv("WTCHECK_CHROMIUM")
	if browser == "" {
		browser = "/usr/bin/chromium"
	}
	if _, err := os.Stat(browser); err != nil {
		t.Fatalf("no browser: %v (install chromium, or set WTCHECK_CHROMIUM)", err)
	}
	axeSource, err := os.ReadFile(os.Getenv("WTCHECK_AXE"))
	if err != nil {
		t.Fatalf("no axe-core: %v (make browser-test installs it with npm and sets WTCHECK_AXE to its axe.min.js)", err)
	}

	a := auditFixture(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "audit.html")
	if err := os.WriteFile(page, renderHTML(t, a), 0o644); err != nil {
		t.Fatal(err)
	}
	pageURL := (&url.URL{Scheme: "file", Path: page}).String()

	profile := filepath.Join(dir, "profile")
	if err := os.Mkdir(profile, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(browser),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()

	// The listener collects what the page says; it runs on chromedp's reading goroutine.
	var (
		mu       sync.Mutex
		problems []string
		messages int
	)
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			messages++
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, arg := range ev.Args {
					args = append(args, string(arg.Value)+arg.Description)
				}
				problems = append(problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+(&chromedp.ExceptionError{ExceptionDetails: ev.ExceptionDetails}).Error())
		case *log.EventEntryAdded:
			// Blocked requests and Content-Security-Policy violations are logged here.
			messages++
			if ev.Entry != nil && ev.Entry.Level == log.EntryLevelError {
				problems = append(problems, fmt.Sprintf("log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			if ev.Request != nil && ev.Request.URL != pageURL && !strings.HasPrefix(ev.Request.URL, "data:") {
				problems = append(problems, "request for "+ev.Request.URL)
			}
		}
	}
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(listen), chromedp.WithLogf(t.Logf))
	defer cancelTab()

	if err := chromedp.Do(tabCtx, chromedp.Navigate(pageURL), chromedp.WaitReady(chromedp.ID("cases"))); err != nil {
		t.Fatal(err)
	}

	want := headlineIDs(a)
	for id, n := range want {
		text, err := chromedp.Run(tabCtx, chromedp.TextContent(chromedp.ID(id)))
		if err != nil {
			t.Errorf("#%s: %v", id, err)
			continue
		}
		if got, err := strconv.Atoi(strings.TrimSpace(text)); err != nil || got != n {
			t.Errorf("#%s shows %q, want %d", id, text, n)
		}
	}

	// Every chart drew, with some size, and the page fits the window's width.
	charts, err := chromedp.Run(tabCtx, chromedp.Evaluate[int](
		`[...document.querySelectorAll('svg[role="img"]')].filter(s => s.getBoundingClientRect().width > 100 && s.getBoundingClientRect().height > 50).length`))
	if err != nil {
		t.Fatal(err)
	}
	if charts != 6 {
		t.Errorf("%d charts drawn, want 6", charts)
	}
	overflow, err := chromedp.Run(tabCtx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow > 0 {
		t.Errorf("the page is %dpx wider than the window", overflow)
	}

	// Accessibility: axe-core's rules, run in the page; a serious or critical violation fails.
	// The script is given to the page through the DevTools protocol, which its Content
	// Security Policy (no script at all) does not stop.
	if _, err := chromedp.Run(tabCtx, chromedp.Evaluate[bool](string(axeSource)+"\n;true")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	runAxe(t, tabCtx, "1280px")

	// The screenshot is the top of the page, the headline and the first charts, as the README
	// shows it: the whole page of timelines would be a large image for little more.
	if _, err := chromedp.Run(tabCtx, chromedp.EmulateViewport(1280, 1700)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(tabCtx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	shot := os.Getenv("WTCHECK_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "audit.png")
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))

	// At a phone's width the page still fits: wide tables scroll within themselves.
	if _, err := chromedp.Run(tabCtx, chromedp.EmulateViewport(375, 800)); err != nil {
		t.Fatal(err)
	}
	overflow, err = chromedp.Run(tabCtx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow > 0 {
		t.Errorf("at 375px the page is %dpx wider than the window", overflow)
	}
	runAxe(t, tabCtx, "375px") // where wide tables scroll, and must be reachable from the keyboard

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("%d console and log messages, %d problems", messages, len(problems))
}

// runAxe runs axe-core, injected already, on the page as it is laid out now, and fails the
// test on a serious or critical violation.
func runAxe(t *testing.T, ctx context.Context, width string) {
	t.Helper()
	result, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](`axe.run(document, {resultTypes: ['violations']}).then(r => ({version: axe.version, passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))}))`, chromedp.EvalAwaitPromise))
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

// axeResult is what the test reads of an axe-core run.
type axeResult struct {
	Version    string         `json:"version"`
	Passes     int            `json:"passes"`
	Violations []axeViolation `json:"violations"`
}

// axeViolation is what the test reads of an axe-core violation.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

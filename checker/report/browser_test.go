package report

import (
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

	"github.com/wtcheck/wtcheck/internal/browsertest"
)

// TestHTMLInBrowser opens the golden test's page in headless Chromium, from a file as a
// mail attachment would be opened: it wants no console error, no exception, no request for
// anything but the file itself, no page wider than the window (on a desktop and on a phone),
// the summary numbers the audit holds, and no serious or critical accessibility violation
// found by axe-core ($WTCHECK_AXE names its axe.min.js; make browser-test installs it from
// the npm registry). It saves a screenshot of the top of the page to $WTCHECK_SCREENSHOT, if set.
func TestHTMLInBrowser(t *testing.T) {
	b := browsertest.Require(t, "WTCHECK_BROWSER=1 WTCHECK_AXE=…/axe.min.js go test ./checker/report -run TestHTMLInBrowser -v, or make browser-test "+
		"(WTCHECK_SCREENSHOT=/tmp/audit.png keeps the screenshot)")

	a := auditFixture(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "audit.html")
	if err := os.WriteFile(page, renderHTML(t, a), 0o644); err != nil {
		t.Fatal(err)
	}
	pageURL := (&url.URL{Scheme: "file", Path: page}).String()

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
		case *runtime.EventConsoleAPICalled, *log.EventEntryAdded:
			messages++
		case *network.EventRequestWillBeSent:
			if ev.Request != nil && ev.Request.URL != pageURL && !strings.HasPrefix(ev.Request.URL, "data:") {
				problems = append(problems, "request for "+ev.Request.URL)
			}
		}
		if problem, ok := browsertest.Problem(ev); ok {
			problems = append(problems, problem)
		}
	}
	tabCtx := b.Start(t, 90*time.Second, listen)

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
	b.InjectAxe(t, tabCtx)
	browsertest.Axe(t, tabCtx, "1280px", "")

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
	browsertest.Axe(t, tabCtx, "375px", "") // where wide tables scroll, and must be reachable from the keyboard

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("%d console and log messages, %d problems", messages, len(problems))
}

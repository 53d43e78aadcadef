package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/wtcheck/wtcheck/internal/browsertest"
)

// The shared fake CIN census return (332 children) and Annex A workbook.
const (
	censusReturn = "../../shared/data/cin-census/fake_CIN_data.xml"
	annexA       = "../../shared/data/annex-a/annex-a-sample-liia-tools.xlsx"
)

// The sample's case files, as the page is given them, and their folder, as the command line
// is (it passes over the folder's README, args and want.golden).
var (
	sampleFiles = []string{"../fixtures/sample/cases.ndjson", "../fixtures/sample/bad.ndjson", "../fixtures/sample/incidents.ndjson", "../fixtures/sample/arrangements.ndjson"}
	sampleDir   = "../fixtures/sample"
	// ssdDir is a folder of SSD tables, as CSV: the page is given its files as the browser
	// gives a folder chosen, each named by its path from the folder ("ssd-sample/ssd_person.csv").
	ssdDir = "../fixtures/ssd-sample"
)

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// cli builds the wtcheck command once for the tests of this package.
func cli(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wtcheck-web-test")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "wtcheck")
		out, err := exec.Command("go", "build", "-o", cliPath, "../cmd/wtcheck").CombinedOutput()
		if err != nil {
			cliErr = fmt.Errorf("build wtcheck: %v: %s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if cliPath != "" {
		os.RemoveAll(filepath.Dir(cliPath))
	}
	os.Exit(code)
}

// summary is the part of the JSON report the page shows.
type summary struct {
	RecordsRead    int            `json:"records_read"`
	Cases          int            `json:"cases"`
	RecordsSkipped int            `json:"records_skipped"`
	Findings       map[string]int `json:"findings"`
	Warnings       int            `json:"warnings"`
}

// cliSummary runs `wtcheck check --format json` and returns its summary.
func cliSummary(t *testing.T, args ...string) summary {
	t.Helper()
	s, _ := cliRun(t, args...)
	return s
}

// cliRun runs `wtcheck check --format json` and returns its summary and standard error.
func cliRun(t *testing.T, args ...string) (summary, string) {
	t.Helper()
	cmd := exec.Command(cli(t), append([]string{"check", "--format", "json", "--fail-on", "none"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("wtcheck %s: %v: %s", strings.Join(args, " "), err, stderr.Bytes())
	}
	var rep struct {
		Summary summary `json:"summary"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	return rep.Summary, stderr.String()
}

func readFiles(t *testing.T, paths ...string) []File {
	t.Helper()
	var out []File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, File{Name: filepath.Base(p), Data: data})
	}
	return out
}

// readFolder reads the files of a folder (its top level) as the browser hands over a folder
// chosen: each named by its path from the folder's own name.
func readFolder(t *testing.T, dir string) []File {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []File
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, File{Name: filepath.Base(dir) + "/" + e.Name(), Data: data})
	}
	return out
}

func pageSummary(t *testing.T, r *Result) summary {
	t.Helper()
	data, err := json.Marshal(r.Page().Summary)
	if err != nil {
		t.Fatal(err)
	}
	var s summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func sameSummary(t *testing.T, what string, got, want summary) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("%s: the page counts %s, the command line %s", what, g, w)
	}
}

// TestRunMatchesCommandLine: the browser build's check, given the files as bytes, counts what
// `wtcheck check --format json` counts for the same files and options.
func TestRunMatchesCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  Options
		files []string
		args  []string
	}{
		{"sample in force", Options{}, sampleFiles, []string{"--edition", "in-force", sampleDir}},
		{"sample 2018 as at", Options{Editions: []string{"2018"}, AsOf: "2024-01-22"}, sampleFiles, []string{"--edition", "2018", "--as-of", "2024-01-22", sampleDir}},
		{"sample with a parameter", Options{Editions: []string{"2023"}, Sets: []string{"visit_interval_working_days=5"}}, sampleFiles,
			[]string{"--edition", "2023", "--set", "visit_interval_working_days=5", sampleDir}},
		{"census", Options{InputFormat: "cin-census"}, []string{censusReturn}, []string{"--input-format", "cin-census", "--edition", "in-force", censusReturn}},
		{"annex a", Options{InputFormat: "annex-a", AsOf: "2021-03-31"}, []string{annexA}, []string{"--input-format", "annex-a", "--as-of", "2021-03-31", "--edition", "in-force", annexA}},
		{"ssd folder", Options{InputFormat: "ssd", AsOf: "2024-12-31", Editions: []string{"2023"}}, []string{ssdDir}, []string{"--input-format", "ssd", "--as-of", "2024-12-31", "--edition", "2023", ssdDir}},
		{"ssd folder in force", Options{InputFormat: "ssd", AsOf: "2024-12-31"}, []string{ssdDir}, []string{"--input-format", "ssd", "--as-of", "2024-12-31", "--edition", "in-force", ssdDir}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if strings.HasPrefix(tc.files[0], "../../shared") {
				if _, err := os.Stat(tc.files[0]); err != nil {
					t.Skipf("the shared data are not here (%v): ../shared is outside the repository", err)
				}
			}
			var files []File
			if tc.opts.InputFormat == "ssd" {
				files = readFolder(t, tc.files[0])
			} else {
				files = readFiles(t, tc.files...)
			}
			res, err := Run(tc.opts, files, nil)
			if err != nil {
				t.Fatal(err)
			}
			want, stderr := cliRun(t, tc.args...)
			sameSummary(t, tc.name, pageSummary(t, res), want)
			if tc.opts.InputFormat != "" && !strings.Contains(stderr, "wtcheck: "+res.Coverage+"\n") {
				t.Errorf("the page says %q, the command line:\n%s", res.Coverage, stderr)
			}
		})
	}
}

// TestRunRefuses: what the page cannot do is said, never a report of nothing.
func TestRunRefuses(t *testing.T) {
	sample := readFiles(t, sampleFiles...)
	notCases := []File{{Name: "notes.txt", Data: []byte("x")}, {Name: "more.txt", Data: []byte("y")}}
	for _, tc := range []struct {
		name  string
		opts  Options
		files []File
		want  string
	}{
		{"no file", Options{}, nil, "run check: no file chosen"},
		{"bad date", Options{AsOf: "2024-02-30"}, sample, "as-of date: "},
		{"redact without key", Options{Redact: true}, sample, "redaction needs a key"},
		{"in force and another", Options{Editions: []string{"in-force", "2018"}}, sample, "--edition in-force checks each referral under one edition: give it alone"},
		{"unknown edition", Options{Editions: []string{"1999"}}, sample, "1999"},
		{"unknown parameter", Options{Sets: []string{"nope=1"}}, sample, `--set "nope=1": no pack loaded has a parameter "nope" there`},
		{"no case file", Options{}, notCases, "nothing to check: none of the 2 files chosen is case records (wtcheck/case/v1)"},
		{"no case", Options{}, readFiles(t, "../fixtures/sample/bad.ndjson"), "nothing to check: no case in the files chosen (3 records read, every one an error): are they case records (wtcheck/case/v1)"},
		{"annex a without a date", Options{InputFormat: "annex-a"}, sample, "--input-format annex-a: an Annex A workbook has no reference date: give --as-of"},
		{"unknown input", Options{InputFormat: "xml"}, sample, `unknown input format "xml": want case, cin-census, annex-a, ssd, dfe-api`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(tc.opts, tc.files, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestRunRedacts: with redaction asked for, no format the page offers names a case, a child
// or a referral by its id, or gives a date of birth.
func TestRunRedacts(t *testing.T) {
	files := append(readFiles(t, sampleFiles...), File{Name: "C-0001-notes.txt", Data: []byte("not a case file")})
	res, err := Run(Options{Redact: true, RedactKey: "a-key-for-the-tests-only"}, files, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Ids and birth dates of the sample's first case, and of a bad record's.
	secrets := []string{"C-0001", "C-9001", "CH-0001", "2004-03-12"}
	var sample []byte
	for _, f := range readFiles(t, sampleFiles...) {
		sample = append(sample, f.Data...)
	}
	for _, s := range secrets {
		if !bytes.Contains(sample, []byte(s)) {
			t.Fatalf("the sample no longer holds %s: choose another", s)
		}
	}
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := res.Write(&buf, format); err != nil {
			t.Fatal(err)
		}
		if format == "xlsx" {
			continue // compressed: the redaction of the workbook is tested in checker/report
		}
		for _, s := range secrets {
			if bytes.Contains(buf.Bytes(), []byte(s)) {
				t.Errorf("%s names %s", format, s)
			}
		}
	}
	if got := strings.Join(res.PassedOver, ","); got != "1 file" {
		t.Errorf("passed over %q, want 1 file, unnamed", got)
	}
	for _, line := range res.Page().Errors {
		if strings.Contains(line, "C-9001") || strings.Contains(line, "bad.ndjson") {
			t.Errorf("an error line names the case or its file: %s", line)
		}
	}
}

// TestRunWritesEveryFormat: each download is the format it says, and a folder's other files
// are passed over by name.
func TestRunWritesEveryFormat(t *testing.T) {
	files := append(readFiles(t, sampleFiles...), File{Name: "sample/README.md", Data: []byte("# not a case")})
	res, err := Run(Options{}, files, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.PassedOver, ","); got != "sample/README.md" {
		t.Errorf("passed over %q, want sample/README.md", got)
	}
	p := res.Page()
	if len(p.Errors) != 3 || !strings.HasPrefix(p.Errors[0], "bad.ndjson record 1 (C-9001): ") {
		t.Errorf("errors %q, want the sample's three, named by file, record and case id", p.Errors)
	}
	want := map[string]string{"html": "<!doctype html>", "json": "{", "csv": "\ufeffcase_id,edition,rule,", "xlsx": "PK\x03\x04"}
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := res.Write(&buf, format); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !bytes.HasPrefix(bytes.ToLower(buf.Bytes()[:min(buf.Len(), 40)]), bytes.ToLower([]byte(want[format]))) {
			t.Errorf("%s begins %q, want %q", format, buf.Bytes()[:min(buf.Len(), 40)], want[format])
		}
	}
	if err := res.Write(&bytes.Buffer{}, "sarif"); err == nil || err.Error() != `write report: unknown format "sarif" (want one of html, json, csv, xlsx)` {
		t.Errorf("sarif: %v", err)
	}
}

// TestPageInBrowser opens web/dist (make web) in headless Chromium, from a local web server
// and from disk, feeds it the sample cases and the shared fake census return, and wants: the
// counts the command line gives for the same files and options, no request but for the
// page's own files, a download that is the report, no console error or policy violation, no
// serious or critical accessibility violation (axe-core), and a page that fits a phone's
// width. It logs the census return's time in the page, and saves a screenshot to
// $WTCHECK_WEB_SCREENSHOT if set (make web-screenshot: docs/web.png).
func TestPageInBrowser(t *testing.T) {
	b := browsertest.Require(t, "make web-test (or WTCHECK_BROWSER=1 WTCHECK_AXE=…/axe.min.js go test ./web -run TestPageInBrowser -v after make web)")
	dist, err := filepath.Abs("dist")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dist, "wtcheck-wasm.js")); err != nil {
		t.Fatalf("no page to test: %v (make web builds web/dist)", err)
	}
	sample, err := absAll(sampleFiles)
	if err != nil {
		t.Fatal(err)
	}
	census, err := filepath.Abs(censusReturn)
	if err != nil {
		t.Fatal(err)
	}
	haveCensus := true
	if _, err := os.Stat(census); err != nil {
		haveCensus = false
		t.Logf("the shared data are not here (%v): the page is tested with the sample only", err)
	}
	wantSample := cliSummary(t, "--edition", "in-force", sampleDir)
	ssdFolder, err := filepath.Abs(ssdDir)
	if err != nil {
		t.Fatal(err)
	}
	late, err := filepath.Abs(icpcLate)
	if err != nil {
		t.Fatal(err)
	}
	hols := filepath.Join(t.TempDir(), "hols.yaml")
	if err := os.WriteFile(hols, []byte(twoHolidays), 0o644); err != nil {
		t.Fatal(err)
	}
	wantHolidays := cliSummary(t, "--edition", "in-force", "--holidays", hols, late)
	wantSSD := cliSummary(t, "--input-format", "ssd", "--as-of", "2024-12-31", "--edition", "in-force", ssdFolder)
	workbook, err := filepath.Abs(annexA)
	if err != nil {
		t.Fatal(err)
	}
	var wantCensus, wantAnnexA summary
	if haveCensus {
		wantCensus = cliSummary(t, "--input-format", "cin-census", "--edition", "in-force", census)
		wantAnnexA = cliSummary(t, "--input-format", "annex-a", "--as-of", "2021-03-31", "--edition", "in-force", workbook)
	}

	server := httptest.NewServer(http.FileServer(http.Dir(dist)))
	defer server.Close()

	fileURL := (&url.URL{Scheme: "file", Path: filepath.Join(dist, "index.html")}).String()
	for _, from := range []struct{ name, url, engine string }{
		{"http", server.URL + "/", "worker"}, // the file server answers index.html here
		{"file", fileURL, "worker"},
		// Where a browser refuses the worker, the engine runs on the page's own thread.
		{"file without a worker", fileURL + "?engine=page", "page"},
	} {
		t.Run(from.name, func(t *testing.T) {
			base := from.url[:strings.LastIndex(from.url, "/")+1]
			short := from.engine == "page" // the same engine: the sample alone, to save time
			p := openPage(t, b, base)
			ctx := p.ctx
			if err := chromedp.Do(ctx, chromedp.Navigate(from.url)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.documentElement.dataset.ready === '1' || document.documentElement.dataset.state === 'failed'`,
				chromedp.WithPollingTimeout(2*time.Minute))); err != nil {
				t.Fatalf("the engine did not start: %v (%s)", err, p.report())
			}
			engine, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.engine + (document.documentElement.dataset.ready === '1' ? '' : ' (not ready: ' + document.getElementById('problem').textContent + ')')`))
			if err != nil {
				t.Fatal(err)
			}
			if engine != from.engine {
				t.Errorf("the engine runs on the %s, want the %s", engine, from.engine)
			}

			// The first check waits for the warm-up, so that the times logged are the checks'.
			warmed, err := chromedp.Run(ctx, chromedp.Poll[string](`document.documentElement.dataset.warmed`, chromedp.WithPollingTimeout(2*time.Minute)))
			if err != nil {
				t.Fatalf("no warm-up: %v (%s)", err, p.report())
			}
			got := p.check(t, "case", sample)
			sameSummary(t, "sample", got, wantSample)
			ms, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.ms`))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: the engine warmed up in %s ms; the sample (35 records) checked in %s ms", from.name, warmed, ms)
			if from.name == "http" {
				if shot := os.Getenv("WTCHECK_WEB_SCREENSHOT"); shot != "" {
					p.screenshot(t, shot)
				}
			}

			if short {
				p.finish(t)
				return
			}

			// A download: the Excel report, as the command line writes it.
			file := p.download(t, "xlsx", "report.xlsx")
			if !bytes.HasPrefix(file, []byte("PK\x03\x04")) {
				t.Errorf("report.xlsx begins %q, want a zip archive (an .xlsx workbook)", file[:min(len(file), 8)])
			}

			p.axe(t, b, "1280px")
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 800)); err != nil {
				t.Fatal(err)
			}
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if overflow > 0 {
				t.Errorf("at 375px the page is %dpx wider than the window", overflow)
			}
			p.axe(t, b, "375px")
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
				t.Fatal(err)
			}

			if haveCensus {
				start := time.Now()
				got := p.check(t, "cin-census", []string{census})
				ms, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.ms`))
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: the 332-child census return checked in %s ms in the page (%s from choosing the file to the counts, as the test saw it)",
					from.name, ms, time.Since(start).Round(time.Millisecond))
				sameSummary(t, "census", got, wantCensus)
			}
			// An SSD folder, chosen with the folder chooser: the browser hands over its files,
			// each named by its path from the folder, and the page reads them as one folder.
			if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("as-of"), "2024-12-31")); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			got = p.checkFolder(t, "ssd", ssdFolder)
			ms, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.ms`))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: the SSD sample folder (8 people, 11 tables) checked in %s ms in the page (%s from choosing the folder to the counts, as the test saw it)",
				from.name, ms, time.Since(start).Round(time.Millisecond))
			sameSummary(t, "ssd folder", got, wantSSD)
			if shown, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("chosen"))); err != nil || !strings.Contains(shown, "ssd-sample/ssd_") {
				t.Errorf("the page says %q of the folder chosen (%v), want its files named from it (ssd-sample/ssd_…)", shown, err)
			}
			if haveCensus && from.name == "http" {
				// Annex A has no reference date: the page's as-of field gives it, as --as-of does.
				if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("as-of"), "2021-03-31")); err != nil {
					t.Fatal(err)
				}
				sameSummary(t, "annex a", p.check(t, "annex-a", []string{workbook}), wantAnnexA)
			}
			if from.name == "http" {
				// Extra bank holidays, as --holidays: the late conference comes on time.
				if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("as-of"), ""), chromedp.SetUploadFiles(chromedp.ID("holidays"), []string{hols})); err != nil {
					t.Fatal(err)
				}
				got := p.check(t, "case", []string{late})
				sameSummary(t, "holidays", got, wantHolidays)
				if got.Findings["breach"] != 0 {
					t.Errorf("with the holidays, %d breaches, want 0", got.Findings["breach"])
				}
			}
			p.finish(t)
			if from.name == "http" {
				p.probe(t)
			}
		})
	}
}

func absAll(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// page is a headless Chromium tab on the page, with what it has said and asked for.
type page struct {
	ctx       context.Context
	base      string // the page's own directory: every request must be for a file in it
	downloads string

	mu         sync.Mutex
	problems   []string
	requests   []string
	initiators []string
	completed  map[string]string // download guid: file name
}

func openPage(t *testing.T, b browsertest.Browser, base string) *page {
	t.Helper()
	p := &page{base: base, downloads: filepath.Join(t.TempDir(), "downloads"), completed: map[string]string{}}
	if err := os.Mkdir(p.downloads, 0o700); err != nil {
		t.Fatal(err)
	}
	tabCtx := b.Start(t, 4*time.Minute, p.listen)
	events := true
	if _, err := chromedp.CallBrowser(tabCtx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: p.downloads, EventsEnabled: &events}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.ListenBrowser(tabCtx, p.listen); err != nil {
		t.Fatal(err)
	}
	p.ctx = tabCtx
	return p
}

// listen collects what the page says and asks for; it runs on chromedp's reading goroutine.
func (p *page) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if problem, ok := browsertest.Problem(ev); ok {
		p.problems = append(p.problems, problem)
	}
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request != nil {
			p.requests = append(p.requests, ev.Request.URL)
			if ev.Initiator != nil {
				p.initiators = append(p.initiators, fmt.Sprintf("%s (%s, %s)", ev.Request.URL, ev.Initiator.Type, ev.Initiator.URL))
			}
		}
	case *browser.EventDownloadProgress:
		if ev.State == browser.DownloadProgressStateCompleted {
			p.completed[ev.GUID] = ev.GUID
		}
	}
}

func (p *page) report() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.problems, "; ")
}

// check chooses the files, runs the check and reads the counts the page shows.
func (p *page) check(t *testing.T, format string, files []string) summary {
	t.Helper()
	return p.checkWith(t, format, "files", files)
}

// checkFolder chooses a folder with the page's folder chooser (an input webkitdirectory),
// runs the check and reads the counts the page shows.
func (p *page) checkFolder(t *testing.T, format, dir string) summary {
	t.Helper()
	return p.checkWith(t, format, "folder", []string{dir})
}

func (p *page) checkWith(t *testing.T, format, input string, files []string) summary {
	t.Helper()
	ctx := p.ctx
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("format"), format),
		chromedp.SetUploadFiles(chromedp.ID(input), files),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('`+input+`').dispatchEvent(new Event('change')); document.documentElement.dataset.state = ''`),
		chromedp.Click(chromedp.ID("run")),
	); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.documentElement.dataset.state === 'done' || document.documentElement.dataset.state === 'failed'`,
		chromedp.WithPollingTimeout(3*time.Minute))); err != nil {
		t.Fatalf("the check did not end: %v (%s)", err, p.report())
	}
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.state`))
	if err != nil {
		t.Fatal(err)
	}
	if state != "done" {
		text, _ := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("problem")))
		t.Fatalf("the check failed: %s (%s)", text, p.report())
	}
	var s summary
	s.Findings = map[string]int{}
	ids := map[string]*int{"n-read": &s.RecordsRead, "n-cases": &s.Cases, "n-skipped": &s.RecordsSkipped, "n-warnings": &s.Warnings}
	for _, st := range []string{"breach", "pending", "met", "not_applicable", "insufficient_data"} {
		ids["n-"+st] = new(int)
	}
	for id, n := range ids {
		text, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID(id)))
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil {
			t.Fatalf("#%s shows %q, not a number", id, text)
		}
		*n = v
	}
	for _, st := range []string{"breach", "pending", "met", "not_applicable", "insufficient_data"} {
		s.Findings[st] = *ids["n-"+st]
	}
	return s
}

// download presses a download button and returns the file the browser saved.
func (p *page) download(t *testing.T, format, name string) []byte {
	t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(`button[data-format="`+format+`"]`))); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		var guid string
		for g := range p.completed {
			guid = g
		}
		delete(p.completed, guid)
		p.mu.Unlock()
		if guid != "" {
			data, err := os.ReadFile(filepath.Join(p.downloads, guid))
			if err != nil {
				t.Fatal(err)
			}
			names, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.documentElement.dataset.downloaded`))
			if !strings.Contains(names, name) {
				t.Errorf("the page says it downloaded %q, want %s", names, name)
			}
			return data
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no download of %s (%s)", name, p.report())
	return nil
}

func (p *page) screenshot(t *testing.T, path string) {
	t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(1280, 1500), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}

// axe runs axe-core on the page as it is laid out now, and fails the test on a serious or
// critical violation (browsertest.Axe). Not in frames: the report's frame is sandboxed
// without scripts, so axe-core cannot run there; the report is tested on its own in
// checker/report (TestHTMLInBrowser).
func (p *page) axe(t *testing.T, b browsertest.Browser, width string) {
	t.Helper()
	b.InjectAxe(t, p.ctx)
	browsertest.Axe(t, p.ctx, width, "iframes: false, preload: false")
}

// probe asks, after the rest, for a file the server would give (the page itself), from the
// page and from a worker made as the page makes its own, and wants both refused: the
// policy, not the absence of a request, is what stops one. (A worker's requests are not
// among the page's network events, so this is how the test sees that the worker's policy
// is the page's.)
func (p *page) probe(t *testing.T) {
	t.Helper()
	fromPage, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`fetch(location.href).then(() => 'fetched', () => 'refused')`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	fromWorker, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`new Promise((resolve) => {
		const src = "fetch(" + JSON.stringify(location.href) + ").then(() => postMessage('fetched'), () => postMessage('refused'))";
		const w = new Worker(URL.createObjectURL(new Blob([src], {type: 'text/javascript'})));
		w.onmessage = (e) => resolve(e.data);
		w.onerror = () => resolve('the worker did not start');
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if fromPage != "refused" || fromWorker != "refused" {
		t.Errorf("a request for the page itself: from the page %s, from a worker %s; want both refused by the policy", fromPage, fromWorker)
	}
}

// finish fails the test on anything the page said was wrong, and on a request for anything
// but the page's own files (the Blob the worker starts from, and the report's frame, are
// made in the page, not fetched).
func (p *page) finish(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, problem := range p.problems {
		t.Error(problem)
	}
	own := map[string]bool{p.base: true} // the page, from the web server
	for _, f := range []string{"index.html", "index.html?engine=page", "app.js", "worker.js", "style.css", "wasm_exec.js", "wtcheck-wasm.js"} {
		own[p.base+f] = true
	}
	var made []string
	for _, u := range p.requests {
		switch {
		case own[u]:
		case strings.HasPrefix(u, "blob:"), strings.HasPrefix(u, "data:"), u == "about:srcdoc":
			made = append(made, u)
		default:
			t.Errorf("request for %s: only the page's own files may be asked for (%s)", u, strings.Join(p.initiators, "; "))
		}
	}
	if len(p.requests) == 0 {
		t.Error("no request seen at all: the listener is not working")
	}
	t.Logf("%d requests: %d for the page's own files, %d made in the page (blob:, data:)", len(p.requests), len(p.requests)-len(made), len(made))
}

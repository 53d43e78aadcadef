// Package web runs a check for the browser build (web/wasm): files arrive as bytes, with no
// operating-system file system, and the audit report comes back in the formats the command
// line writes. It is plain Go, so it is tested natively (web_test.go) as well as in Chromium.
//
// This file is the only one of the browser build that touches the engine, readers and
// writers, so that a change of their API is adapted here alone.
package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/explain"
	"github.com/wtcheck/wtcheck/checker/importer/annexa"
	"github.com/wtcheck/wtcheck/checker/importer/cincensus"
	"github.com/wtcheck/wtcheck/checker/redact"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/checker/ruledoc"
	"github.com/wtcheck/wtcheck/rules"
)

// Options are the choices the page offers, named as the command line's flags are.
type Options struct {
	InputFormat string   `json:"input_format"` // "case" (the default), "cin-census" or "annex-a"
	Editions    []string `json:"editions"`     // default: in-force
	AsOf        string   `json:"as_of"`        // YYYY-MM-DD; "" means each record's extract date
	Sets        []string `json:"sets"`         // NAME=VALUE, as --set
	Redact      bool     `json:"redact"`
	RedactKey   string   `json:"redact_key"`
	DueSoon     *int     `json:"due_soon"` // nil means checker.DefaultDueSoon
	S47Proxy    bool     `json:"s47_start_as_strategy_discussion"`
	Version     string   `json:"-"` // written into the reports as the tool's version
}

// File is one input file as the browser hands it over.
type File struct {
	Name string
	Data []byte
}

// Result is a finished check, ready to be written in any format.
type Result struct {
	Audit *report.Audit
	// PassedOver names the files that were not read, and why: the page says so, as the
	// command line does on standard error.
	PassedOver []string
	// Coverage says how many rules a return's records can be judged by, or "".
	Coverage string
}

// Formats are the formats a Result can be written in: the audit report and the lists.
var Formats = []string{"html", "json", "csv", "xlsx"}

// Write writes the result in one of Formats: html and xlsx as `wtcheck report` writes them,
// json and csv as `wtcheck check --show all` does.
func (r *Result) Write(w io.Writer, format string) error {
	if write, ok := report.LookupAudit(format); ok {
		return write(w, r.Audit)
	}
	if !slices.Contains(Formats, format) {
		return fmt.Errorf("write report: unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	write, err := report.Lookup(format)
	if err != nil {
		return err
	}
	return write(w, r.Audit.Report)
}

// Page is what the page shows of a result beside the report itself.
type Page struct {
	Line       string   `json:"line"`    // the command line's closing line
	Summary    any      `json:"summary"` // the JSON report's summary object, as it is
	AsOf       string   `json:"as_of,omitempty"`
	Errors     []string `json:"errors"`   // as the text report lists them
	Warnings   []string `json:"warnings"` // as the text report lists them
	PassedOver []string `json:"passed_over"`
	Coverage   string   `json:"coverage,omitempty"`
}

// Page sums the result up for the page.
func (r *Result) Page() Page {
	rep := r.Audit.Report
	p := Page{Line: report.SummaryLine(rep), Summary: rep.Summary, Errors: []string{}, Warnings: []string{},
		PassedOver: r.PassedOver, Coverage: r.Coverage}
	if p.PassedOver == nil {
		p.PassedOver = []string{}
	}
	if !rep.AsOf.IsZero() {
		p.AsOf = rep.AsOf.String()
	}
	for _, e := range rep.Errors {
		p.Errors = append(p.Errors, report.ErrorLine(e))
	}
	for _, w := range rep.Warnings {
		p.Warnings = append(p.Warnings, report.WarningLine(w))
	}
	return p
}

// Run checks the files as `wtcheck report` would, with every status listed. progress, when
// set, is told the number of records read now and then.
func Run(opts Options, files []File, progress func(records int)) (*Result, error) {
	if len(files) == 0 {
		return nil, errors.New("run check: no file chosen")
	}
	var asOf checker.Date
	if opts.AsOf != "" {
		var err error
		if asOf, err = checker.ParseDate(opts.AsOf); err != nil {
			return nil, fmt.Errorf("as-of date: %w", err)
		}
	}
	var red *redact.Redactor
	if opts.Redact {
		if opts.RedactKey == "" {
			return nil, errors.New("redaction needs a key: give one (keep the same key to keep hashes stable between reports)")
		}
		var err error
		if red, err = redact.New(opts.RedactKey); err != nil {
			return nil, err
		}
	}
	dueSoon := checker.DefaultDueSoon
	if opts.DueSoon != nil {
		if *opts.DueSoon < 0 {
			return nil, fmt.Errorf("due soon %d: want 0 or more working days", *opts.DueSoon)
		}
		dueSoon = *opts.DueSoon
	}
	engine, err := cachedEngine(opts.Editions, opts.Sets)
	if err != nil {
		return nil, err
	}
	engine.DueSoon = dueSoon

	reader, chosen, passedOver, err := memoryReader(opts, files, asOf, progress)
	if err != nil {
		return nil, err
	}

	var agg *compare.Aggregator
	var every *checker.Engine
	if len(engine.Packs) > 1 {
		agg = compare.NewAggregator(engine.Packs, engine.InForce, ruledoc.Timescale)
		if engine.InForce {
			all := *engine
			all.InForce = false
			every = &all
		}
	}
	timelines := &report.TimelineSet{Max: report.DefaultMaxTimelines, DueSoon: dueSoon}
	var mu sync.Mutex
	var until checker.Date
	perCase := func(c *checker.Case, findings []checker.Finding) {
		day := engine.AsOfFor(c, asOf)
		mu.Lock()
		if day.After(until) {
			until = day
		}
		mu.Unlock()
		if agg != nil {
			compared := findings
			if every != nil {
				compared, _, _ = every.CheckInForce(c, asOf)
			}
			cc := c
			if red != nil {
				cc, compared = red.ForComparison(c, day, compared)
			}
			agg.Add(cc, compared)
		}
		id := c.CaseID
		if red != nil {
			id = red.ID(id)
		}
		timelines.Offer(id, findings, func() *explain.Timeline {
			t := explain.Build(c, day, findings, engine.Calendar, engine.Packs)
			if red != nil {
				red.Timeline(t, c)
			}
			return t
		})
	}
	bopts := batch.Options{
		AsOf: asOf, Show: checker.Statuses, FailOn: checker.SeverityBreach, PerCase: perCase,
		Tool: checker.Tool{Name: "wtcheck", Version: opts.Version},
		// A browser tab has no disk to spill to: the findings stay in memory.
		SortMemory: -1,
		// The files chosen are one input, as a folder is on the command line: one file with
		// no case in it (every record an error) does not stop the others; none at all does.
		AllowEmpty: true,
	}
	if red != nil {
		bopts.Redact = red
	}
	paths := make([]string, chosen)
	for i := range paths {
		paths[i] = "-" // each is read from memory by the reader's Import, in order
	}
	rep, err := batch.Check(engine, reader, paths, bopts)
	if err != nil {
		return nil, err
	}
	if rep.Summary.Cases == 0 {
		// A missing extract must not pass as a clean run, here as on the command line.
		return nil, fmt.Errorf("nothing to check: no case in the files chosen (%d %s read, every one an error): are they %s?",
			rep.Summary.RecordsRead, plural(rep.Summary.RecordsRead, "record", "records"), reader.Format)
	}
	a := &report.Audit{Report: rep, DueSoon: dueSoon, Redacted: red != nil, InForce: engine.InForce, AsOf: until}
	a.Timelines, a.TimelineCases = timelines.Timelines()
	if agg != nil {
		a.Comparison = agg.Result(rep)
	}
	res := &Result{Audit: a, PassedOver: passedOver}
	if opts.InputFormat == cincensus.Format {
		var lacks []string
		for _, g := range cincensus.Lacks(cincensus.Options{S47StartAsStrategyDiscussion: opts.S47Proxy}) {
			lacks = append(lacks, g.Path)
		}
		res.Coverage = coverage(engine.Packs, opts.InputFormat, lacks)
	}
	return res, nil
}

// coverage says how many rules of each pack a source's records can be judged by, as the
// command line does after a check of a return.
func coverage(packs []*checker.CompiledPack, format string, lacks []string) string {
	var parts []string
	for _, cp := range packs {
		judged := 0
		for _, r := range cp.Pack.Rules {
			if len(cp.Lacking(r.ID, lacks)) == 0 {
				judged++
			}
		}
		parts = append(parts, fmt.Sprintf("%d of the %d rules of %s", judged, len(cp.Pack.Rules), cp.Pack.ID))
	}
	return fmt.Sprintf("%s records can be judged by %s; the others give insufficient_data (wtcheck import --coverage %s says why)", format, strings.Join(parts, ", "), format)
}

// lastEngine keeps the engine of the last run: compiling six packs' rules takes most of a
// second in a browser, and a page checks one file after another with the same choices.
var lastEngine struct {
	sync.Mutex
	key    string
	engine *checker.Engine
}

// cachedEngine is buildEngine, reusing the last run's engine when the editions and parameters
// are the same. It returns a copy, which the run may change (DueSoon); the compiled packs are
// shared, as they are by every worker of a check.
func cachedEngine(editions, sets []string) (*checker.Engine, error) {
	key := strings.Join(editions, ",") + "\x00" + strings.Join(sets, "\x00")
	lastEngine.Lock()
	defer lastEngine.Unlock()
	if lastEngine.engine == nil || lastEngine.key != key {
		e, err := buildEngine(editions, sets)
		if err != nil {
			return nil, err
		}
		lastEngine.key, lastEngine.engine = key, e
	}
	e := *lastEngine.engine
	return &e, nil
}

// buildEngine compiles the shipped packs of the editions (default: each referral under the
// edition in force) with the shipped calendar and the parameters set.
func buildEngine(editions, sets []string) (*checker.Engine, error) {
	cal, err := rules.Calendar()
	if err != nil {
		return nil, err
	}
	inForce := len(editions) == 0 || slices.Contains(editions, compare.InForce)
	if inForce && len(editions) > 1 {
		return nil, errors.New("editions: in force checks each referral under one edition: choose it alone")
	}
	if inForce {
		editions = rules.Editions()
	}
	var packs []*checker.Pack
	var errs []error
	for _, e := range editions {
		name, data, err := rules.Pack(strings.TrimSpace(e))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := checker.ParsePack(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		packs = append(packs, p)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortStableFunc(packs, func(a, b *checker.Pack) int { return strings.Compare(a.Edition, b.Edition) })
	overrides := map[string]map[string]string{}
	for _, set := range sets {
		key, value, ok := strings.Cut(set, "=")
		if !ok {
			return nil, fmt.Errorf("parameter %q: want NAME=VALUE", set)
		}
		prefix, name := "", key
		if i := strings.LastIndex(key, "."); i >= 0 {
			prefix, name = key[:i], key[i+1:]
		}
		reached := false
		for _, p := range packs {
			if prefix != "" && prefix != p.ID && prefix != p.Edition && !slices.ContainsFunc(p.Rules, func(r *checker.Rule) bool { return r.ID == prefix }) {
				continue
			}
			if !slices.ContainsFunc(p.Params, func(q *checker.Param) bool { return q.Name == name }) {
				continue
			}
			if overrides[p.ID] == nil {
				overrides[p.ID] = map[string]string{}
			}
			overrides[p.ID][name] = value
			reached = true
		}
		if !reached {
			return nil, fmt.Errorf("parameter %q: no pack chosen has a parameter %q there", set, name)
		}
	}
	e := &checker.Engine{Calendar: cal, Today: checker.DateOf(time.Now()), InForce: inForce}
	for _, p := range packs {
		cp, err := checker.Compile(p, cal, overrides[p.ID])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		e.Packs = append(e.Packs, cp)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return e, nil
}

// memoryReader reads the files from memory, in order, as the input format says; it also
// returns how many files it reads and the files it passed over (a name the format does not read), as a directory walk
// would.
func memoryReader(opts Options, files []File, asOf checker.Date, progress func(int)) (*batch.Reader, int, []string, error) {
	if opts.S47Proxy && opts.InputFormat != cincensus.Format {
		return nil, 0, nil, fmt.Errorf("the section 47 proxy goes with the %s input format", cincensus.Format)
	}
	var read func(f File, fn func(batch.Record) error) error
	r := &batch.Reader{}
	var reads func(name string) bool
	switch opts.InputFormat {
	case "", "case":
		r.Format = "case records (wtcheck/case/v1)"
		reads = batch.IsCaseFile
		read = func(f File, fn func(batch.Record) error) error {
			sub := &batch.Reader{Stdin: bytes.NewReader(f.Data)}
			return sub.ReadFile("-", fn)
		}
	case cincensus.Format:
		r.Format = "a CIN census return"
		reads = func(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".xml") }
		copts := cincensus.Options{S47StartAsStrategyDiscussion: opts.S47Proxy}
		read = func(f File, fn func(batch.Record) error) error {
			return cincensus.Read(bytes.NewReader(f.Data), f.Name, copts, fn)
		}
	case annexa.Format:
		if asOf.IsZero() {
			return nil, 0, nil, fmt.Errorf("an Annex A workbook has no reference date: give an as-of date")
		}
		// The Annex A reader opens workbooks by path only, until sources open from memory.
		return nil, 0, nil, errors.New("an Annex A workbook cannot be read in the browser yet: check it with wtcheck check --input-format annex-a")
	default:
		return nil, 0, nil, fmt.Errorf("input format %q: want case, %s or %s", opts.InputFormat, cincensus.Format, annexa.Format)
	}
	var chosen []File
	var passedOver []string
	for _, f := range files {
		// A single file is read whatever its name, as on the command line; of several (a
		// folder), only those the format reads.
		if len(files) > 1 && !reads(f.Name) {
			passedOver = append(passedOver, f.Name)
			continue
		}
		chosen = append(chosen, f)
	}
	if len(chosen) == 0 {
		return nil, 0, passedOver, fmt.Errorf("nothing to check: none of the %d files chosen is %s", len(files), r.Format)
	}
	next, records := 0, 0
	r.Import = func(_ string, fn func(batch.Record) error) error {
		f := chosen[next]
		next++
		return read(f, func(rec batch.Record) error {
			rec.File = f.Name
			records++
			if progress != nil && records%50 == 0 {
				progress(records)
			}
			return fn(rec)
		})
	}
	return r, len(chosen), passedOver, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Package web runs a check for the browser build (web/wasm): files arrive as bytes, with no
// operating-system file system, and the audit report comes back in the formats the command
// line writes. It is plain Go, so it is tested natively (web_test.go) as well as in Chromium.
//
// This file is the only one of the browser build that touches the engine, readers and
// writers, so that a change of their API is adapted here alone.
package web

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/redact"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
	"github.com/wtcheck/wtcheck/source"
	"github.com/wtcheck/wtcheck/source/registry"
	"github.com/wtcheck/wtcheck/source/ssd"
)

// Options are the choices the page offers, named as the command line's flags are.
type Options struct {
	InputFormat string   `json:"input_format"` // "case" (the default), "cin-census", "annex-a" or "ssd"
	Editions    []string `json:"editions"`     // default: in-force (none when Packs are given)
	AsOf        string   `json:"as_of"`        // YYYY-MM-DD; "" means each record's extract date
	Sets        []string `json:"sets"`         // NAME=VALUE, as --set
	Redact      bool     `json:"redact"`
	RedactKey   string   `json:"redact_key"`
	DueSoon     *int     `json:"due_soon"` // nil means checker.DefaultDueSoon
	S47Proxy    bool     `json:"s47_start_as_strategy_discussion"`
	// Packs are local rule packs, as --pack gives them, and Holidays extra bank holidays, as
	// --holidays: the files' bytes, handed over beside the options.
	Packs    []File `json:"-"`
	Holidays []File `json:"-"`
	Version  string `json:"-"` // written into the reports as the tool's version
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
	// Notes are what else the command line would say on standard error (an SSD table
	// missing, and the rules it costs).
	Notes []string
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
	Notes      []string `json:"notes"`
	Coverage   string   `json:"coverage,omitempty"`
}

// Page sums the result up for the page.
func (r *Result) Page() Page {
	rep := r.Audit.Report
	p := Page{Line: report.SummaryLine(rep), Summary: rep.Summary, Errors: []string{}, Warnings: []string{},
		PassedOver: r.PassedOver, Notes: r.Notes, Coverage: r.Coverage}
	if p.PassedOver == nil {
		p.PassedOver = []string{}
	}
	if p.Notes == nil {
		p.Notes = []string{}
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
	var asOf record.Date
	if opts.AsOf != "" {
		var err error
		if asOf, err = record.ParseDate(opts.AsOf); err != nil {
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
	engine, err := cachedEngine(opts)
	if err != nil {
		return nil, err
	}
	engine.DueSoon = dueSoon

	reader, paths, passedOver, notes, err := memoryReader(opts, files, asOf, engine.Packs, progress)
	if err != nil {
		return nil, err
	}

	// The comparison of editions and the case timelines, collected as the command line does.
	ao := report.AuditOptions{Engine: engine, AsOf: asOf, MaxTimelines: report.DefaultMaxTimelines}
	if red != nil {
		ao.Redact = red
	}
	collect := report.NewAuditCollector(ao)
	bopts := batch.Options{
		AsOf: asOf, Show: checker.Statuses, FailOn: checker.SeverityBreach, PerCase: collect.PerCase,
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
	rep, err := batch.Check(engine, reader, paths, bopts)
	if err != nil {
		return nil, err
	}
	if rep.Summary.Cases == 0 {
		// A missing extract must not pass as a clean run, here as on the command line.
		return nil, fmt.Errorf("nothing to check: no case in the files chosen (%d %s read, every one an error): are they %s?",
			rep.Summary.RecordsRead, plural(rep.Summary.RecordsRead, "record", "records"), reader.Format.Description)
	}
	res := &Result{Audit: collect.Audit(rep), PassedOver: passedOver, Notes: notes}
	if red != nil && len(passedOver) > 0 {
		// A redacted run names no file: a file's name may hold a case id.
		res.PassedOver = []string{fmt.Sprintf("%d %s", len(passedOver), plural(len(passedOver), "file", "files"))}
	}
	if reader.Format.Gaps != nil {
		var lacks []string
		for _, g := range reader.Format.Gaps(source.Options{AsOf: asOf, S47StartAsStrategyDiscussion: opts.S47Proxy}) {
			lacks = append(lacks, g.Path)
		}
		if len(lacks) > 0 {
			res.Coverage = coverage(engine.Packs, reader.Format.Name, lacks)
		}
	}
	return res, nil
}

// coverage says how many rules of each pack a source's records can be judged by, as the
// command line does after a check of a return.
func coverage(packs []*checker.CompiledPack, format string, lacks []string) string {
	var parts []string
	for _, cp := range packs {
		judged, total := 0, 0
		for _, r := range cp.Pack.Rules {
			if r.Kind() != checker.KindCase {
				continue // the sources of cases give no incident or arrangements record
			}
			total++
			if len(cp.Lacking(r.ID, lacks)) == 0 {
				judged++
			}
		}
		parts = append(parts, fmt.Sprintf("%d of the %d rules of %s", judged, total, cp.Pack.ID))
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

// The most a pack or holiday file may hold, as on the command line (README "Limits").
const (
	maxPackBytes    = 4 << 20
	maxHolidayBytes = 1 << 20
)

// cachedEngine is buildEngine, reusing the last run's engine when the editions, parameters,
// packs and holidays are the same. It returns a copy, which the run may change (DueSoon); the
// compiled packs are shared, as they are by every worker of a check.
func cachedEngine(opts Options) (*checker.Engine, error) {
	key := sha256.New()
	for _, part := range [][]string{opts.Editions, opts.Sets} {
		fmt.Fprintf(key, "%q\n", part)
	}
	for _, files := range [][]File{opts.Packs, opts.Holidays} {
		for _, f := range files {
			sum := sha256.Sum256(f.Data)
			fmt.Fprintf(key, "%q %x\n", f.Name, sum)
		}
		key.Write([]byte("\n"))
	}
	k := string(key.Sum(nil))
	lastEngine.Lock()
	defer lastEngine.Unlock()
	if lastEngine.engine == nil || lastEngine.key != k {
		e, err := buildEngine(opts)
		if err != nil {
			return nil, err
		}
		lastEngine.key, lastEngine.engine = k, e
	}
	e := *lastEngine.engine
	return &e, nil
}

// buildEngine assembles the run's engine as the command line does: the shipped packs of the
// editions (default: each referral under the edition in force, unless packs are given), the
// local packs, the shipped calendar with the extra holidays, and the parameters set.
func buildEngine(opts Options) (*checker.Engine, error) {
	editions := opts.Editions
	if len(editions) == 0 && len(opts.Packs) == 0 {
		editions = []string{compare.InForce}
	}
	packs, err := bounded("pack", opts.Packs, maxPackBytes)
	if err != nil {
		return nil, err
	}
	holidays, err := bounded("holidays", opts.Holidays, maxHolidayBytes)
	if err != nil {
		return nil, err
	}
	return rules.Assemble(rules.Options{Editions: editions, Sets: opts.Sets, Packs: packs, Holidays: holidays, Today: record.DateOf(time.Now())})
}

// bounded are the files as rules.Assemble takes them, none larger than limit.
func bounded(what string, files []File, limit int) ([]rules.File, error) {
	var out []rules.File
	for _, f := range files {
		if len(f.Data) > limit {
			return nil, fmt.Errorf("read %s %s: larger than %d MiB", what, f.Name, limit>>20)
		}
		out = append(out, rules.File{Name: f.Name, Data: f.Data})
	}
	return out, nil
}

// memoryReader reads the files from memory with the source of the input format: it names
// each file chosen in the reader's Inputs and returns the paths of the batch, in order, and the
// files it passed over (a name the format does not read, when several were chosen), as a
// directory walk would. A format read whole (the SSD's folder of tables) is given the files
// as one folder; notes are what the command line would say of it on standard error.
func memoryReader(opts Options, files []File, asOf record.Date, packs []*checker.CompiledPack, progress func(int)) (reader *batch.Reader, paths, passedOver, notes []string, err error) {
	name := opts.InputFormat
	if name == "case" {
		name = ""
	}
	format, err := registry.Lookup(name)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	srcOpts := source.Options{AsOf: asOf, S47StartAsStrategyDiscussion: opts.S47Proxy}
	src, err := format.Open(srcOpts)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	inputs := map[string]source.Input{}
	if format.Whole {
		dir, inside, passed := asFolder(files)
		if len(inside) == 0 {
			return nil, nil, passed, nil, fmt.Errorf("nothing to check: %s has no file at its top level, where a folder of SSD tables has them (ssd_person.csv, …)", dir)
		}
		fsys := newFolder(inside)
		if notes, err = openFolder(format, fsys, dir, packs); err != nil {
			return nil, nil, passed, nil, err
		}
		inputs[dir] = source.Input{Dir: fsys}
		paths, passedOver = []string{dir}, passed
	} else {
		for _, f := range files {
			// A single file is read whatever its name, as on the command line; of several (a
			// folder), only those the format reads.
			if len(files) > 1 && !format.ReadsName(f.Name) {
				passedOver = append(passedOver, f.Name)
				continue
			}
			data := f.Data
			path := f.Name
			for n := 2; ; n++ { // two files of one name (dropped from two folders) are two inputs
				if _, taken := inputs[path]; !taken {
					break
				}
				path = fmt.Sprintf("%s (%d)", f.Name, n)
			}
			inputs[path] = source.Input{Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
			paths = append(paths, path)
		}
		if len(paths) == 0 {
			return nil, nil, passedOver, nil, fmt.Errorf("nothing to check: none of the %d files chosen is %s", len(files), format.Description)
		}
	}
	records := 0
	read := source.Func(func(in source.Input, fn func(source.Record) error) error {
		err := src.Read(in, func(rec source.Record) error {
			records++
			if progress != nil && records%50 == 0 {
				progress(records)
			}
			return fn(rec)
		})
		if err != nil {
			// A problem with the whole file, reported under its name like a bad record.
			return fn(source.Record{File: in.Name, Err: err})
		}
		return nil
	})
	return &batch.Reader{Format: format, Source: read, Inputs: inputs}, paths, passedOver, notes, nil
}

// asFolder makes the files one folder, as the browser gives a folder chosen or dropped: each
// named by its path in it ("ssd-sample/ssd_person.csv"). It returns the folder's name (the
// files' common first folder, or "the files chosen"), the files at its top level, named there,
// and the others, passed over: a folder of tables has its tables at the top.
func asFolder(files []File) (dir string, inside []File, passed []string) {
	top, _, ok := strings.Cut(files[0].Name, "/")
	for _, f := range files {
		if first, _, nested := strings.Cut(f.Name, "/"); !nested || first != top {
			ok = false
		}
	}
	dir = top
	if !ok {
		dir = "the files chosen"
	}
	for _, f := range files {
		rel := f.Name
		if ok {
			rel = strings.TrimPrefix(f.Name, top+"/")
		}
		if strings.Contains(rel, "/") || !fs.ValidPath(rel) {
			passed = append(passed, f.Name)
			continue
		}
		inside = append(inside, File{Name: rel, Data: f.Data})
	}
	return dir, inside, passed
}

// openFolder opens a folder of SSD tables before anything is checked, as the command line
// does: a folder without its required tables, or a table without a column read, is an error;
// a table that is missing is a note naming the rules it costs.
func openFolder(format *source.Format, fsys fs.FS, dir string, packs []*checker.CompiledPack) ([]string, error) {
	if format.Name != ssd.Format {
		return nil, fmt.Errorf("%s cannot be read in the browser: it is not a folder of files", format.Description)
	}
	sr, err := ssd.OpenFS(fsys, dir, ssd.Options{})
	if errors.Is(err, errors.ErrUnsupported) {
		// A table not in person order and past the sort's memory budget spills to temporary
		// files, and a browser has no file system to write them to.
		return nil, fmt.Errorf("%w: a table this large must come sorted by person id to be read in the browser, or be checked with the wtcheck command", err)
	}
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	if len(sr.Missing) == 0 {
		return nil, nil
	}
	return []string{sr.MissingNote(dir, checker.CaseRulesLacking(packs, sr.MissingLacks()))}, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

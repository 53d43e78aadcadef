package batch

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/wtcheck/wtcheck/checker"
)

// DefaultShow is which statuses a report lists unless asked for more: the actionable ones.
var DefaultShow = []checker.Status{checker.StatusBreach, checker.StatusPending}

// Options control a batch check.
type Options struct {
	AsOf    checker.Date     // zero: each record's extract date
	Show    []checker.Status // statuses to list; nil means DefaultShow
	FailOn  checker.Severity // the level at which a breach fails the check
	Workers int              // goroutines evaluating records; 0 means one per CPU
	Tool    checker.Tool     // written into the report
	// Progress, when set, is called now and then with the number of records read so far.
	Progress func(records int)
	// Baseline, when set, holds known breaches: they are neither listed nor failing, and the
	// report counts them and the known ones no longer breached.
	Baseline *checker.Baseline
	// Breaches, when set, is given every breach found, listed or not, to write a baseline.
	Breaches *[]checker.BaselineEntry
	// PerCase, when set, is given each checked case with all its findings, on the worker's
	// goroutine (so it must be safe for concurrent use): the comparison aggregates this way
	// without keeping findings.
	PerCase func(c *checker.Case, findings []checker.Finding)
	// AllowEmpty lets an input that yields no case record pass. Without it Check returns an
	// *EmptyError beside the report (findings-format.md, "Exit codes"): a nightly extract
	// that failed to arrive must never pass as a clean run.
	AllowEmpty bool
	// Redact, when set, rewrites what a report shows of each finding, error, warning and
	// referral not covered, after counting and the baseline (which use the real ids) and
	// before anything is sorted or kept, so that a redacted report is in the order of what it
	// shows.
	Redact Redactor
}

// Redactor rewrites what a report shows of the batch's records (package redact): their
// ids, their files' paths (which may hold ids) and their dates of birth.
type Redactor interface {
	// File names the file at a position of the batch (1-based) in place of its path.
	File(path string, position int) string
	// Record returns what rewrites one record's entries. It is given what the record's
	// entries may show: the file and its position, the case id as read, and the case and
	// the day it is checked as at (c is nil for a record that could not be read as a case).
	Record(file string, position int, caseID string, c *checker.Case, asOf checker.Date) EntryRedactor
}

// EntryRedactor rewrites the entries of one record in place.
type EntryRedactor interface {
	Finding(*checker.Finding)
	RecordError(*checker.RecordError)
	NotCovered(*checker.NotCovered)
	Warning(*checker.RecordWarning)
}

type job struct {
	file  int // position of the file in the batch
	rec   Record
	check bool
}

type outcome struct {
	findings    []checker.Finding
	errors      []sortableError
	warnings    []sortableWarning
	counts      map[checker.Status]int
	failing     int
	evalErrs    int
	overBudget  int
	breaches    []checker.BaselineEntry
	known       map[string]bool // baseline breaches found breached again
	newBreaches int
	uncovered   []checker.NotCovered
}

type sortableError struct {
	file int
	checker.RecordError
}

type sortableWarning struct {
	file int
	checker.RecordWarning
}

// EmptyError says which inputs of a batch yielded no case record: an empty file or array, a
// directory with no case files, a file that is not the declared input format, or one whose
// every record is a data error. Check returns it with the report, whose Errors say why
// each record was refused.
type EmptyError struct {
	Inputs []EmptyInput
}

// EmptyInput is one input (a path as given) that yielded no case record.
type EmptyInput struct {
	Path    string
	Files   int // files read under the path
	Records int // records read from them, every one a data error
	exts    string
	format  string
}

func (e *EmptyError) Error() string {
	var lines []string
	for _, in := range e.Inputs {
		var why string
		switch {
		case in.Files == 0:
			why = fmt.Sprintf("no case files (%s) in it", in.exts)
		case in.Records == 0:
			why = "no records in it (an empty file or an empty array)"
		default:
			why = fmt.Sprintf("no case in it: its %d %s could not be read", in.Records, plural(in.Records, "record", "records"))
			if in.format != "" {
				why += fmt.Sprintf(" (is it %s?)", in.format)
			}
		}
		lines = append(lines, in.Path+": "+why)
	}
	return "nothing to check: " + strings.Join(lines, "; ")
}

// Check reads every record of the batch and checks it with the engine, records in parallel,
// and returns the report, its findings sorted. A path that cannot be found is an error, and
// so (unless opts.AllowEmpty) is a path that yields no case record: then the report comes
// back too, with an *EmptyError. Everything else wrong inside the batch is in the report's
// Errors.
func Check(engine *checker.Engine, r *Reader, paths []string, opts Options) (*checker.Report, error) {
	var files []string
	var inputOf []int // the path each file came from
	for i, p := range paths {
		fs, err := r.Files([]string{p})
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
		for range fs {
			inputOf = append(inputOf, i)
		}
	}
	inputFiles := make([]int, len(paths))
	inputRecords := make([]int, len(paths))
	inputCases := make([]int, len(paths))
	for _, i := range inputOf {
		inputFiles[i]++
	}
	show := map[checker.Status]bool{}
	listed := opts.Show
	if listed == nil {
		listed = DefaultShow
	}
	for _, s := range listed {
		show[s] = true
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	jobs := make(chan job, workers*4)
	outcomes := make([]outcome, workers)
	var wg sync.WaitGroup
	for w := range workers {
		out := &outcomes[w]
		out.counts = map[checker.Status]int{}
		out.known = map[string]bool{}
		wg.Go(func() {
			for j := range jobs {
				checkOne(engine, opts, show, j, out)
			}
		})
	}

	report := &checker.Report{Tool: opts.Tool, Errors: []checker.RecordError{}, Warnings: []checker.RecordWarning{},
		Rules: checker.RuleInfos(engine.Packs)}
	for _, cp := range engine.Packs {
		report.Packs = append(report.Packs, checker.PackInfoOf(cp.Pack))
	}
	var asOfs = map[checker.Date]bool{}
	type firstSeen struct {
		file     string
		position int // of the file in the batch, 1-based
		index    int
	}
	seenIDs := map[string]firstSeen{}
	read := 0
	var later judgedLater
	for fi, f := range files {
		in := inputOf[fi]
		err := r.ReadFile(f, func(rec Record) error {
			read++
			inputRecords[in]++
			if rec.Err == nil {
				inputCases[in]++
			}
			if opts.Progress != nil && read%1000 == 0 {
				opts.Progress(read)
			}
			j := job{file: fi, rec: rec, check: rec.Err == nil}
			if rec.Err == nil {
				// Duplicates are found here, in input order, so the first record of an id is
				// the one checked whatever the scheduling.
				if first, dup := seenIDs[rec.CaseID]; dup {
					where := fmt.Sprintf("record %d", first.index)
					if first.file != rec.File {
						name := first.file
						if opts.Redact != nil {
							name = opts.Redact.File(first.file, first.position)
						}
						where = fmt.Sprintf("%s record %d", name, first.index)
					}
					j.rec.Err = fmt.Errorf("case_id duplicates that of %s, which was checked", where)
					j.check = false
				} else {
					seenIDs[rec.CaseID] = firstSeen{rec.File, fi + 1, rec.Index}
					asOfs[engine.AsOfFor(rec.Case, opts.AsOf)] = true
					later.add(rec.Case.ExtractDate, opts.AsOf)
				}
			}
			jobs <- j
			return nil
		})
		if err != nil {
			// A file that could not be read at all (an importer's whole-file error) is
			// reported like a bad record, never dropped.
			read++
			inputRecords[in]++
			jobs <- job{file: fi, rec: Record{File: f, Err: err}}
		}
	}
	close(jobs)
	wg.Wait()

	report.Summary.Findings = map[checker.Status]int{}
	for _, s := range checker.Statuses {
		report.Summary.Findings[s] = 0
	}
	var errs []sortableError
	var warnings []sortableWarning
	var findings []checker.Finding
	known := map[string]bool{}
	newBreaches := 0
	for _, o := range outcomes {
		for k := range o.known {
			known[k] = true
		}
		newBreaches += o.newBreaches
		report.NotCovered = append(report.NotCovered, o.uncovered...)
		if opts.Breaches != nil {
			*opts.Breaches = append(*opts.Breaches, o.breaches...)
		}
		findings = append(findings, o.findings...)
		errs = append(errs, o.errors...)
		warnings = append(warnings, o.warnings...)
		for s, n := range o.counts {
			report.Summary.Findings[s] += n
		}
		report.Failing += o.failing
		report.Summary.EvaluationErrors += o.evalErrs
		report.Summary.RulesOverBudget += o.overBudget
	}
	if opts.Baseline != nil {
		fixed, notInBatch := opts.Baseline.Unmatched(known, func(id string) bool { _, ok := seenIDs[id]; return ok })
		report.Baseline = &checker.BaselineSummary{Known: opts.Baseline.Len(), Suppressed: len(known), Fixed: fixed, NotInBatch: notInBatch,
			New: newBreaches, Outdated: opts.Baseline.Legacy}
	}
	report.Summary.RecordsRead = read
	for _, e := range errs {
		if e.Rule == "" {
			report.Summary.RecordsSkipped++
		}
	}
	report.Summary.Cases = read - report.Summary.RecordsSkipped
	checker.SortFindings(findings)
	report.Findings = checker.FindingSlice(findings)
	slices.SortFunc(report.NotCovered, func(a, b checker.NotCovered) int {
		return cmp.Or(cmp.Compare(a.CaseID, b.CaseID), cmp.Compare(a.Referral, b.Referral))
	})
	report.Summary.ReferralsNotCovered = len(report.NotCovered)
	slices.SortStableFunc(errs, func(a, b sortableError) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.Record, b.Record), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Error, b.Error))
	})
	for _, e := range errs {
		report.Errors = append(report.Errors, e.RecordError)
	}
	// A record's warnings come from one worker, in the reader's order: a stable sort by
	// position keeps that order.
	slices.SortStableFunc(warnings, func(a, b sortableWarning) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.Record, b.Record))
	})
	if w, ok := later.warning(opts.AsOf); ok {
		report.Warnings = append(report.Warnings, w)
	}
	for _, w := range warnings {
		report.Warnings = append(report.Warnings, w.RecordWarning)
	}
	report.Summary.Warnings = len(report.Warnings)
	if len(asOfs) == 1 {
		for d := range asOfs {
			report.AsOf = d
		}
	}
	if !opts.AllowEmpty {
		var empty EmptyError
		for i, p := range paths {
			if inputCases[i] == 0 {
				exts := caseExtensionsText()
				if r.Import != nil {
					exts = strings.Join(r.Extensions, ", ")
				}
				empty.Inputs = append(empty.Inputs, EmptyInput{Path: p, Files: inputFiles[i], Records: inputRecords[i], exts: exts, format: r.Format})
			}
		}
		if len(empty.Inputs) > 0 {
			return report, &empty
		}
	}
	return report, nil
}

func checkOne(engine *checker.Engine, opts Options, show map[checker.Status]bool, j job, out *outcome) {
	rec := j.rec
	var red EntryRedactor
	if !j.check {
		if opts.Redact != nil {
			red = opts.Redact.Record(rec.File, j.file+1, rec.CaseID, nil, checker.Date{})
		}
		out.addError(red, j.file, checker.RecordError{
			File: rec.File, Record: rec.Index, CaseID: rec.CaseID, Error: errorText(rec.Err)})
		return
	}
	if opts.Redact != nil {
		red = opts.Redact.Record(rec.File, j.file+1, rec.CaseID, rec.Case, engine.AsOfFor(rec.Case, opts.AsOf))
	}
	findings, evalErrs, uncovered := engine.CheckInForce(rec.Case, opts.AsOf)
	for i := range uncovered {
		uncovered[i].File, uncovered[i].Record = rec.File, rec.Index
		if red != nil {
			red.NotCovered(&uncovered[i])
		}
	}
	out.uncovered = append(out.uncovered, uncovered...)
	if opts.PerCase != nil {
		opts.PerCase(rec.Case, findings)
	}
	for _, f := range findings {
		f.File, f.Record = rec.File, rec.Index
		out.counts[f.Status]++
		if f.Status == checker.StatusBreach {
			if opts.Breaches != nil {
				out.breaches = append(out.breaches, checker.BaselineEntryOf(&f))
			}
			if opts.Baseline != nil {
				if opts.Baseline.Has(&f) {
					out.known[f.Key()] = true
					continue // known: neither listed nor failing
				}
				out.newBreaches++
			}
		}
		if f.Fails(opts.FailOn) {
			out.failing++
		}
		if show[f.Status] {
			if red != nil {
				red.Finding(&f)
			}
			out.findings = append(out.findings, f)
		}
	}
	// Warnings are kept only for a record that was checked: a skipped one has its error.
	for _, w := range rec.Warnings {
		w.File, w.Record, w.CaseID = rec.File, rec.Index, rec.CaseID
		if red != nil {
			red.Warning(&w)
		}
		out.warnings = append(out.warnings, sortableWarning{j.file, w})
	}
	for _, e := range evalErrs {
		out.evalErrs++
		if e.OverBudget() {
			out.overBudget++
		}
		out.addError(red, j.file, checker.RecordError{
			File: rec.File, Record: rec.Index, CaseID: rec.CaseID, Rule: e.Rule,
			Error: fmt.Sprintf("%s (%s) on %s: %v", e.Rule, e.Edition, e.Subject, e.Err)})
	}
}

// addError keeps an error entry, redacted when asked.
func (out *outcome) addError(red EntryRedactor, file int, e checker.RecordError) {
	if red != nil {
		red.RecordError(&e)
	}
	out.errors = append(out.errors, sortableError{file, e})
}

// judgedLater counts the records checked as at an --as-of after their extract date: each is
// judged on a day after it was exported, and shows nothing that happened since.
type judgedLater struct {
	n             int
	first, latest checker.Date // their earliest and latest extract dates
}

func (l *judgedLater) add(extract, asOf checker.Date) {
	if asOf.IsZero() || extract.IsZero() || !extract.Before(asOf) {
		return
	}
	l.n++
	if l.first.IsZero() || extract.Before(l.first) {
		l.first = extract
	}
	if extract.After(l.latest) {
		l.latest = extract
	}
}

// warning is one warning for the whole run, not one per record: a batch exported on one day
// and checked as at a later one would otherwise repeat the same words for every record.
func (l *judgedLater) warning(asOf checker.Date) (checker.RecordWarning, bool) {
	if l.n == 0 {
		return checker.RecordWarning{}, false
	}
	dates := l.latest.String()
	if l.first != l.latest {
		dates = l.first.String() + " to " + l.latest.String()
	}
	days := l.latest.DaysUntil(asOf)
	records, each := "record", "it is"
	if l.n != 1 {
		records, each = "records", "each is"
	}
	dayWord := "day"
	if days != 1 {
		dayWord = "days"
	}
	return checker.RecordWarning{Warning: fmt.Sprintf(
		"--as-of %s is after the extract date of %d %s (%s): %s judged %d %s or more after its export, as if nothing had happened since",
		asOf, l.n, records, dates, each, days, dayWord)}, true
}

// errorText flattens a joined error onto one line, for a report entry.
func errorText(err error) string {
	var parts []string
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			parts = append(parts, e.Error())
		}
	} else {
		parts = append(parts, err.Error())
	}
	return joinSemicolon(parts)
}

func joinSemicolon(parts []string) string { return strings.Join(parts, "; ") }

func caseExtensionsText() string { return strings.Join(caseExtensions, ", ") }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

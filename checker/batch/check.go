package batch

import (
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// DefaultShow is which statuses a report lists unless asked for more: the actionable ones.
var DefaultShow = []checker.Status{checker.StatusBreach, checker.StatusPending}

// Options control a batch check.
type Options struct {
	AsOf    record.Date      // zero: each record's extract date
	Show    []checker.Status // statuses to list; nil means DefaultShow
	FailOn  checker.Severity // the level at which a breach fails the check
	Workers int              // goroutines evaluating records; 0 means one per CPU; at most MaxWorkers
	Tool    checker.Tool     // written into the report
	// Progress, when set, is called now and then with the number of records read so far.
	Progress func(records int)
	// Baseline, when set, holds known breaches: they are neither listed nor failing, and the
	// report counts them and the known ones no longer breached.
	Baseline *checker.Baseline
	// Breaches, when set, is given every breach found, listed or not, to write a baseline.
	Breaches *Breaches
	// PerCase, when set, is given each checked case with all its findings, on the worker's
	// goroutine (so it must be safe for concurrent use): the comparison aggregates this way
	// without keeping findings.
	PerCase func(c *record.Case, findings []checker.Finding)
	// PerRecord, when set, is given each incident and arrangements record checked, with its
	// findings and the batch's arrangements (complete: with PerRecord set, incidents are
	// checked once the batch is read), in the same way as PerCase.
	PerRecord func(rec Record, published checker.Published, findings []checker.Finding)
	// PerCaseBorrows says that PerCase and PerRecord take the findings in any order and keep
	// none of them after they return (the comparison of editions): a case's findings are then
	// made in the worker's own array, reused from case to case, and neither sorted nor copied.
	PerCaseBorrows bool
	// AllowEmpty lets an input that yields no case record pass. Without it Check returns an
	// *EmptyError beside the report (findings-format.md, "Exit codes"): a nightly extract
	// that failed to arrive must never pass as a clean run.
	AllowEmpty bool
	// Redact, when set, rewrites what a report shows of each finding, error, warning and
	// referral not covered, after counting and the baseline (which use the real ids) and
	// before anything is sorted or kept, so that a redacted report is in the order of what it
	// shows.
	Redact Redactor
	// SortMemory is how many bytes of listed findings (and, separately, of breaches for
	// Breaches) the check holds before it writes them, sorted, to temporary files, which the
	// report's list merges back in order: 0 means DefaultSortMemory, a negative value never
	// writes to disk. The report is the same whatever it is; the caller closes the report
	// (checker.Report.Close) to remove the files.
	SortMemory int64
	// TempDir is where those files are written; "" is os.TempDir ($TMPDIR, else /tmp).
	TempDir string
	// Listing, when set, is called once for each worker, one call at a time before any
	// record is read, and the function it returns is given each finding the report lists,
	// as the worker lists it (redacted, if asked), on the worker's goroutine. A writer learns
	// this way what it needs of the whole list before its first line (the text table's
	// column widths) without walking the list once more after the check, when the list may
	// be on disk and only one core is busy.
	Listing func() func(f *checker.Finding)
	// WithoutMessages keeps the listed findings without their messages and notes, for a pass
	// whose reports show neither (the text table): the engine is run with
	// checker.Engine.WithoutMessages. On a million cases the messages were most of the bytes
	// the listed findings took on disk, and writing them a tenth of what the engine did. A
	// rule's own message expression is still evaluated, so that an error in it shows alike
	// in every format.
	WithoutMessages bool
	// Files, when set, is given the files of the batch once the paths are walked and before
	// any is read; an error from it stops the check with that error. The command refuses here
	// an output that is one of the inputs.
	Files func(files []string) error
}

// Breaches is every breach a check found, listed or not, sorted by
// checker.CompareBaselineEntries (repeats kept), in bounded memory like the report's findings:
// what --write-baseline writes. Close it when done.
type Breaches struct {
	list *sortedList[checker.BaselineEntry]
}

// Len is the number of breaches found, repeats included.
func (b *Breaches) Len() int {
	if b.list == nil {
		return 0
	}
	return b.list.Len()
}

// All yields the breaches in order.
func (b *Breaches) All() iter.Seq[checker.BaselineEntry] {
	return func(yield func(checker.BaselineEntry) bool) {
		if b.list == nil {
			return
		}
		for e := range b.list.All() {
			if !yield(*e) {
				return
			}
		}
	}
}

// Err is the first error met reading the breaches back from disk, or nil.
func (b *Breaches) Err() error {
	if b.list == nil {
		return nil
	}
	return b.list.Err()
}

// Close removes the breaches' temporary files, if any.
func (b *Breaches) Close() error {
	if b.list == nil {
		return nil
	}
	return b.list.Close()
}

// MaxWorkers bounds Options.Workers: each worker holds records and their findings, and beyond
// the number of CPUs more gain nothing.
const MaxWorkers = 1024

// Redactor rewrites what a report shows of the batch's records (package redact): their
// ids, their files' paths (which may hold ids) and their dates of birth.
type Redactor interface {
	// File names the file at a position of the batch (1-based) in place of its path.
	File(path string, position int) string
	// Record returns what rewrites one record's entries. It is given what the record's
	// entries may show: the file and its position, the case id as read, and the case and
	// the day it is checked as at (c is nil for a record that could not be read as a case).
	Record(file string, position int, caseID string, c *record.Case, asOf record.Date) EntryRedactor
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
	// published is the batch's arrangements, for an incident checked in force (it is
	// complete once the batch is read: such incidents are checked last).
	published checker.Published
}

type outcome struct {
	findings    *sorter[checker.Finding]
	errors      []sortableError
	warnings    []sortableWarning
	counts      statusCounts
	tally       checker.StatusCounts // what the engine counted of the case being checked
	failing     int
	evalErrs    int
	overBudget  int
	breaches    *sorter[checker.BaselineEntry]
	known       map[string]bool // baseline breaches found breached again
	newBreaches int
	uncovered   []checker.NotCovered
	// scratch is the array a case's findings are made in, kept from case to case: nothing
	// keeps a finding of it once the case is done (a per-case consumer gets its own).
	scratch []checker.Finding
	// listing is given each finding listed (Options.Listing), or nil.
	listing func(f *checker.Finding)
	// incidents and arrangements count the records of those kinds checked.
	incidents, arrangements int
	dues                    []checker.DueDisagreement
}

// maxScratch bounds the findings array a worker keeps from one case for the next, so that a
// huge record's is not kept.
const maxScratch = 4096

// scratchFor is the array to make a case's findings in: none when a per-case consumer is
// given them, for it may keep them.
func (o *outcome) scratchFor(opts Options) []checker.Finding {
	if (opts.PerCase != nil || opts.PerRecord != nil) && !opts.PerCaseBorrows {
		return nil
	}
	return o.scratch
}

// keepScratch keeps the array of a case's findings, emptied, for the next case, when nothing
// was given them that may keep them.
func (o *outcome) keepScratch(opts Options, findings []checker.Finding) {
	if (opts.PerCase != nil || opts.PerRecord != nil) && !opts.PerCaseBorrows || cap(findings) > maxScratch {
		return
	}
	clear(findings)
	o.scratch = findings[:0]
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
	if opts.Workers < 0 || opts.Workers > MaxWorkers {
		return nil, fmt.Errorf("workers %d: want 0 (one per CPU) to %d", opts.Workers, MaxWorkers)
	}
	if opts.WithoutMessages && !engine.WithoutMessages {
		e := *engine // the caller's engine is left as it is
		e.WithoutMessages = true
		engine = &e
	}
	var entries []Entry
	var files []string
	var inputOf []int // the path each file came from
	for i, p := range paths {
		es, err := r.Walk([]string{p})
		if err != nil {
			return nil, err
		}
		entries = append(entries, es...)
		for _, e := range es {
			files = append(files, e.Path)
			inputOf = append(inputOf, i)
		}
	}
	if opts.Files != nil {
		if err := opts.Files(files); err != nil {
			return nil, err
		}
	}
	inputFiles := make([]int, len(paths))
	inputRecords := make([]int, len(paths))
	inputCases := make([]int, len(paths))
	for _, i := range inputOf {
		inputFiles[i]++
	}
	listed := opts.Show
	if listed == nil {
		listed = DefaultShow
	}
	show := checker.StatusSetOf(listed...) // a status the engine never gives is never listed
	workers := opts.Workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), MaxWorkers)
	}

	budget := opts.SortMemory
	if budget == 0 {
		budget = DefaultSortMemory
	}
	if budget > 0 {
		// Each worker sorts its own findings, without locks, so each holds its share; but
		// no less than 1 MiB (unless the whole budget is less), so that many workers do not
		// make runs so small that merging them costs more than the runs save.
		budget = max(budget/int64(workers), min(budget, minWorkerSortMemory))
	}
	findingSpill := &spillConfig[checker.Finding]{what: "findings", cmp: checker.CompareFindingsAt,
		size: findingSize, codec: findingCodec, budget: budget, dir: opts.TempDir}
	breachSpill := &spillConfig[checker.BaselineEntry]{what: "breaches",
		cmp:  func(a, b *checker.BaselineEntry) int { return checker.CompareBaselineEntries(*a, *b) },
		size: breachSize, codec: breachCodec, budget: budget, dir: opts.TempDir}

	// Jobs go to the workers a slot at a time (pipeline.go), each batch at most a slot's
	// records, so a hand-over is not paid for every record.
	jobs := make(chan []job, workers*4)
	// With a source that can split records without decoding them, the workers decode too
	// (pipeline.go): one pool does the CPU work.
	rs, raw := r.source().(rawSource)
	var decode chan *slot
	if raw {
		decode = make(chan *slot, workers*pipelineDepth)
	}
	// A slot's array of jobs comes back once its jobs are checked, to carry the next slot's:
	// made for every slot, they were a tenth of the bytes a check allocated. As many are kept
	// as can be on their way at once.
	spareBatches := make(chan []job, cap(jobs)+workers+1)
	recycle := func(js []job) {
		if cap(js) != slotRecords {
			return
		}
		clear(js) // the records and what they point to are let go
		select {
		case spareBatches <- js[:0]:
		default:
		}
	}
	outcomes := make([]outcome, workers)
	var wg sync.WaitGroup
	for w := range workers {
		out := &outcomes[w]
		out.known = map[string]bool{}
		out.findings = newSorter(findingSpill)
		out.breaches = newSorter(breachSpill)
		if opts.Listing != nil {
			out.listing = opts.Listing()
		}
		wg.Go(func() { work(jobs, decode, rs, func(j job) { checkOne(engine, opts, show, j, out) }, recycle) })
	}

	report := &checker.Report{Tool: opts.Tool, Errors: []checker.RecordError{}, Warnings: []checker.RecordWarning{},
		Rules: checker.RuleInfos(engine.Packs)}
	for _, cp := range engine.Packs {
		report.Packs = append(report.Packs, checker.PackInfoOf(cp.Pack))
	}
	var asOfs = map[record.Date]bool{}
	// Case ids are kept as 128-bit hashes, not strings, to find duplicates, with where each
	// was first read packed in 8 bytes: about 53 MiB for a million cases, where the ids and
	// their files' names took 352 MiB. Two different ids share a hash with a chance of about
	// n²/2¹²⁹, under 1 in 10²⁶ for a million cases, and SHA-256 keeps it so for ids chosen to
	// collide; were it to happen, the second case would be reported as a duplicate (an error
	// in the report, not a silent loss).
	seenIDs := map[[16]byte]firstSeen{}
	fileNames := make([]string, len(files)) // each file as its records name it
	read := 0
	var later judgedLater
	// In force, an incident of the transition to safeguarding partners is judged by when its
	// area published its arrangements (rules-catalog.md, "Settled points"), which a later
	// record of the batch may say: incidents (a few a year in an area) wait for the end.
	published := checker.Published{}
	var waiting []job
	var batch []job // jobs accepted and not yet handed over
	handOver := func() {
		if len(batch) > 0 {
			jobs <- batch
			batch = nil // the workers own the one handed over
		}
	}
	// A raw source hands over a slot's records at a time: made that large at once, a batch is
	// not grown five times on the way (a tenth of the bytes a check allocated).
	newBatch := func() {
		if batch == nil && raw {
			select {
			case batch = <-spareBatches:
			default:
				batch = make([]job, 0, slotRecords)
			}
		}
	}
	// fileError is a file that could not be read at all: a directory that could not be
	// walked, or an importer's whole-file error. It counts as one record read and skipped, so
	// that the counts say something is missing, and the rest of the batch goes on.
	fileError := func(fi int, err error) {
		read++
		inputRecords[inputOf[fi]]++
		batch = append(batch, job{file: fi, rec: Record{File: files[fi], Err: err}})
	}
	// accept takes each record in the order of the batch: counts it, finds duplicate ids and
	// hands it to the workers.
	accept := func(fi int, rec Record, hashed *[16]byte) {
		in := inputOf[fi]
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
			// the one checked whatever the scheduling. Each kind of record has its own ids.
			kind, extract := idKind(&rec), record.Date{}
			switch {
			case rec.Incident != nil:
				extract = rec.Incident.ExtractDate
			case rec.Arrangements != nil:
				extract = rec.Arrangements.ExtractDate
			default:
				extract = rec.Case.ExtractDate
			}
			var id [16]byte
			if hashed != nil {
				id = *hashed
			} else {
				id = recordIDHash(&rec)
			}
			if first, dup := seenIDs[id]; dup {
				where := "an earlier record"
				if file, index, ok := first.at(); ok {
					where = fmt.Sprintf("record %d", index)
					if fileNames[file] != rec.File {
						name := fileNames[file]
						if opts.Redact != nil {
							name = opts.Redact.File(name, file+1)
						}
						where = fmt.Sprintf("%s record %d", name, index)
					}
				}
				j.rec.Err = fmt.Errorf("%s duplicates that of %s, which was checked", kind, where)
				j.check = false
			} else {
				if fileNames[fi] == "" {
					fileNames[fi] = rec.File
				}
				seenIDs[id] = seenAt(fi, rec.Index)
				asOfs[engine.AsOfForDate(extract, opts.AsOf)] = true
				later.add(extract, opts.AsOf)
				if a := rec.Arrangements; a != nil {
					published[a.AreaID] = record.Date{}
					if v := a.ViewAt(engine.AsOfForDate(extract, opts.AsOf)); v.Partners != nil {
						published[a.AreaID] = v.Partners.Published
					}
				}
				j.published = published
				if rec.Incident != nil && (engine.InForce || opts.PerRecord != nil) {
					waiting = append(waiting, j)
					return
				}
			}
		}
		newBatch()
		batch = append(batch, j)
	}
	if raw {
		readDecoded(r, rs, files, entries, decode, accept, fileError, handOver)
	} else {
		// A source that decodes as it reads hands over each record as it comes: decoded
		// records are larger than their bytes, and are not held back in batches.
		for fi, f := range files {
			if err := entries[fi].Err; err != nil {
				fileError(fi, err)
				handOver()
				continue
			}
			err := r.ReadFile(f, func(rec Record) error { accept(fi, rec, nil); handOver(); return nil })
			if err != nil {
				fileError(fi, err)
				handOver()
			}
		}
	}
	handOver()
	for len(waiting) > 0 {
		n := min(len(waiting), slotRecords)
		jobs <- waiting[:n:n]
		waiting = waiting[n:]
	}
	close(jobs)
	wg.Wait()

	report.Summary.Findings = map[checker.Status]int{}
	for _, s := range checker.Statuses {
		report.Summary.Findings[s] = 0
	}
	var errs []sortableError
	var warnings []sortableWarning
	known := map[string]bool{}
	newBreaches := 0
	var findingSorters []*sorter[checker.Finding]
	var breachSorters []*sorter[checker.BaselineEntry]
	for _, o := range outcomes {
		for k := range o.known {
			known[k] = true
		}
		newBreaches += o.newBreaches
		report.NotCovered = append(report.NotCovered, o.uncovered...)
		report.DueDates = append(report.DueDates, o.dues...)
		findingSorters = append(findingSorters, o.findings)
		breachSorters = append(breachSorters, o.breaches)
		errs = append(errs, o.errors...)
		warnings = append(warnings, o.warnings...)
		for i, n := range o.counts.n {
			report.Summary.Findings[checker.Statuses[i]] += n
		}
		for s, n := range o.counts.other {
			report.Summary.Findings[s] += n
		}
		report.Failing += o.failing
		report.Summary.EvaluationErrors += o.evalErrs
		report.Summary.Incidents += o.incidents
		report.Summary.Arrangements += o.arrangements
		report.Summary.RulesOverBudget += o.overBudget
	}
	if opts.Baseline != nil {
		fixed, notInBatch := opts.Baseline.Unmatched(known, func(id string) bool { _, ok := seenIDs[caseIDHash(id)]; return ok })
		report.Baseline = &checker.BaselineSummary{Known: opts.Baseline.Len(), Suppressed: len(known), Fixed: fixed, NotInBatch: notInBatch,
			New: newBreaches, Outdated: opts.Baseline.Legacy}
	}
	report.Summary.RecordsRead = read
	for _, e := range errs {
		if e.Rule == "" {
			report.Summary.RecordsSkipped++
		}
	}
	report.Summary.Cases = read - report.Summary.RecordsSkipped - report.Summary.Incidents - report.Summary.Arrangements
	// The workers' runs and what each still holds are merged as the report is written, in
	// memory as on disk: never copied into one slice, which would hold the listed findings
	// twice at the end of the check.
	list, err := mergeSorters(findingSpill, findingSorters)
	if err != nil {
		return nil, errors.Join(err, discard(breachSorters))
	}
	report.Findings = list
	if opts.Breaches != nil {
		list, err := mergeSorters(breachSpill, breachSorters)
		if err != nil {
			return nil, errors.Join(err, report.Close())
		}
		opts.Breaches.list = list
	}
	slices.SortFunc(report.NotCovered, func(a, b checker.NotCovered) int {
		return cmp.Or(cmp.Compare(a.IncidentID, b.IncidentID), cmp.Compare(a.CaseID, b.CaseID), cmp.Compare(a.Referral, b.Referral))
	})
	report.Summary.ReferralsNotCovered = len(report.NotCovered)
	slices.SortStableFunc(report.DueDates, func(a, b checker.DueDisagreement) int {
		return cmp.Or(cmp.Compare(a.CaseID, b.CaseID), cmp.Compare(a.Edition, b.Edition), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Subject, b.Subject))
	})
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
				// Only a format named by the caller is offered as the reason records failed.
				var expect string
				if r.Format != nil {
					expect = r.Format.Expect
				}
				empty.Inputs = append(empty.Inputs, EmptyInput{Path: p, Files: inputFiles[i], Records: inputRecords[i],
					exts: strings.Join(r.format().Extensions, ", "), format: expect})
			}
		}
		if len(empty.Inputs) > 0 {
			return report, &empty
		}
	}
	return report, nil
}

func checkOne(engine *checker.Engine, opts Options, show checker.StatusSet, j job, out *outcome) {
	rec := j.rec
	var red EntryRedactor
	if !j.check {
		if opts.Redact != nil {
			red = opts.Redact.Record(rec.File, j.file+1, rec.CaseID, nil, record.Date{})
		}
		out.addError(red, j.file, checker.RecordError{
			File: rec.File, Record: rec.Index, CaseID: rec.CaseID, Error: errorText(rec.Err)})
		return
	}
	var findings []checker.Finding
	var evalErrs []checker.EvalError
	var uncovered []checker.NotCovered
	switch {
	case rec.Incident != nil:
		if opts.Redact != nil {
			red = opts.Redact.Record(rec.File, j.file+1, rec.CaseID, nil, engine.IncidentAsOf(rec.Incident, opts.AsOf))
		}
		var covered bool
		findings, evalErrs, covered = engine.CheckIncident(rec.Incident, opts.AsOf, j.published)
		if !covered {
			uncovered = []checker.NotCovered{{CaseID: rec.Incident.CaseID, IncidentID: rec.Incident.IncidentID, Received: rec.Incident.Aware}}
		}
		out.incidents++
	case rec.Arrangements != nil:
		if opts.Redact != nil {
			red = opts.Redact.Record(rec.File, j.file+1, rec.CaseID, nil, engine.ArrangementsAsOf(rec.Arrangements, opts.AsOf))
		}
		findings, evalErrs = engine.CheckArrangements(rec.Arrangements, opts.AsOf)
		out.arrangements++
	default:
		if opts.Redact != nil {
			red = opts.Redact.Record(rec.File, j.file+1, rec.CaseID, rec.Case, engine.AsOfFor(rec.Case, opts.AsOf))
		}
		// Only what the report lists, or what is counted as failing or kept for a baseline (a
		// breach), is built in full; the rest is counted. The comparison (PerCase) needs every
		// finding, in order.
		listed := show | checker.StatusSetOf(checker.StatusBreach)
		if opts.PerCase != nil || len(rec.Due) > 0 {
			// The comparison needs every finding; so does comparing a source system's own
			// due dates with the rules' (a met deadline can still have a wrong system date).
			listed = checker.AllStatuses
		}
		// The worker's own tally: one a case escaped to the heap with the evaluator.
		tally := &out.tally
		*tally = checker.StatusCounts{}
		findings, evalErrs, uncovered = engine.CheckListedAppend(out.scratchFor(opts), rec.Case, opts.AsOf, listed, tally)
		out.counts.n.AddAll(tally)
	}
	for i := range uncovered {
		uncovered[i].File, uncovered[i].Record = rec.File, rec.Index
		if red != nil {
			red.NotCovered(&uncovered[i])
		}
	}
	out.uncovered = append(out.uncovered, uncovered...)
	sorted := len(findings) <= 1 // in the report's order
	if opts.PerCase != nil && rec.Case != nil {
		if !opts.PerCaseBorrows {
			sortFindings(findings)
			sorted = true
		}
		opts.PerCase(rec.Case, findings)
	}
	if opts.PerRecord != nil && rec.Case == nil {
		opts.PerRecord(rec, j.published, findings)
	}
	for _, d := range checker.CompareDue(rec.CaseID, rec.Due, findings) {
		if red != nil {
			// Shown as a finding is: the case id and the subject redacted alike.
			f := checker.Finding{CaseID: d.CaseID, Subject: d.Subject, File: rec.File, Record: rec.Index}
			red.Finding(&f)
			d.CaseID, d.Subject = f.CaseID, f.Subject
		}
		out.dues = append(out.dues, d)
	}
	if (opts.PerCase != nil || opts.PerRecord != nil) && !opts.PerCaseBorrows {
		// Those were given the findings and may keep them: what follows changes its own copy.
		findings = slices.Clone(findings)
	} else if len(findings) > 1 && !opts.PerCaseBorrows {
		// In the report's order here, on the worker, so that a batch read in case order
		// reaches its sorter already sorted, and the sort after the check, on one core, finds
		// nothing to do (spill.go). Not for the comparison, which lists nothing: its sort of
		// every case's findings was a sixth of its CPU.
		sortFindings(findings)
		sorted = true
	}
	// The record's findings listed after its first follow the one before in the report's
	// order, unless redaction has changed what they are ordered by: the sorter need not
	// compare them.
	follows := false
	for i := range findings {
		// By pointer: a copy whose address is taken would be allocated for every finding.
		f := &findings[i]
		f.File, f.Record = rec.File, rec.Index
		out.counts.add(f.Status)
		if f.Status == checker.StatusBreach {
			if opts.Breaches != nil {
				e := checker.BaselineEntryOf(f)
				out.breaches.add(&e)
			}
			if opts.Baseline != nil {
				if opts.Baseline.Has(f) {
					out.known[f.Key()] = true
					continue // known: neither listed nor failing
				}
				out.newBreaches++
			}
		}
		if f.Fails(opts.FailOn) {
			out.failing++
		}
		if show.Has(f.Status) {
			if red != nil {
				red.Finding(f)
			}
			out.findings.addAfter(f, follows)
			follows = sorted && red == nil
			if out.listing != nil {
				out.listing(f)
			}
		}
	}
	out.keepScratch(opts, findings)
	// Warnings are kept only for a record that was checked: a skipped one has its error.
	for _, rw := range rec.Warnings {
		w := checker.RecordWarning{File: rec.File, Record: rec.Index, CaseID: rec.CaseID, Path: rw.Path, Warning: rw.Warning}
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

// sortFindings sorts a record's findings as checker.SortFindings does, after a look by
// address: the engine most often gives them in order already, and SortFindings compares
// copies of two 272-byte findings at each step.
func sortFindings(fs []checker.Finding) {
	for i := 1; i < len(fs); i++ {
		if checker.CompareFindingsAt(&fs[i-1], &fs[i]) > 0 {
			checker.SortFindings(fs)
			return
		}
	}
}

// statusCounts counts findings by status: a map of them, assigned for every finding and
// walked for every case, was a tenth of what a check spends beside the engine on a worker.
type statusCounts struct {
	n     checker.StatusCounts   // by index in checker.Statuses
	other map[checker.Status]int // a status not in checker.Statuses, were the engine to give one
}

func (c *statusCounts) add(s checker.Status) {
	if c.n.Add(s) {
		return
	}
	if c.other == nil {
		c.other = map[checker.Status]int{}
	}
	c.other[s]++
}

// addError keeps an error entry, redacted when asked.
func (out *outcome) addError(red EntryRedactor, file int, e checker.RecordError) {
	if red != nil {
		red.RecordError(&e)
	}
	out.errors = append(out.errors, sortableError{file, e})
}

// firstSeen is where a case id was first read: the file's number in the batch (24 bits) and
// the record's position in it (40 bits), or, past either, not known.
type firstSeen uint64

const unknownSeen = ^firstSeen(0)

func seenAt(file, index int) firstSeen {
	if file < 0 || file >= 1<<24 || index < 0 || index >= 1<<40-1 {
		return unknownSeen
	}
	return firstSeen(file)<<40 | firstSeen(index)
}

func (s firstSeen) at() (file, index int, ok bool) {
	if s == unknownSeen {
		return 0, 0, false
	}
	return int(s >> 40), int(s & (1<<40 - 1)), true
}

// caseIDHash is what identifies a case id when looking for duplicates.
func caseIDHash(id string) [16]byte {
	sum := sha256.Sum256([]byte(id))
	return [16]byte(sum[:16])
}

// idKind names the id a record of its kind is told apart by: each kind has ids of its own.
func idKind(rec *Record) string {
	switch {
	case rec.Incident != nil:
		return "incident_id"
	case rec.Arrangements != nil:
		return "area_id"
	}
	return "case_id"
}

// recordIDHash is the hash a decoded record's id is kept by (caseIDHash), with its kind's
// name before it unless it is a case's.
func recordIDHash(rec *Record) [16]byte {
	if kind := idKind(rec); kind != "case_id" {
		return caseIDHash(kind + "\x00" + rec.CaseID)
	}
	return caseIDHash(rec.CaseID)
}

// judgedLater counts the records checked as at an --as-of after their extract date: each is
// judged on a day after it was exported, and shows nothing that happened since.
type judgedLater struct {
	n             int
	first, latest record.Date // their earliest and latest extract dates
}

func (l *judgedLater) add(extract, asOf record.Date) {
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
func (l *judgedLater) warning(asOf record.Date) (checker.RecordWarning, bool) {
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

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

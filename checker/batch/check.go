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
	Breaches *Breaches
	// PerCase, when set, is given each checked case with all its findings, on the worker's
	// goroutine (so it must be safe for concurrent use): the comparison aggregates this way
	// without keeping findings.
	PerCase func(c *checker.Case, findings []checker.Finding)
	// Redact, when set, rewrites what a report shows of each finding, error and referral not
	// covered, after counting and the baseline (which use the real ids) and before anything is
	// sorted or kept, so that a redacted report is in the order of what it shows.
	Redact Redactor
	// SortMemory is how many bytes of listed findings (and, separately, of breaches for
	// Breaches) the check holds before it writes them, sorted, to temporary files, which the
	// report's list merges back in order: 0 means DefaultSortMemory, a negative value never
	// writes to disk. The report is the same whatever it is; the caller closes the report
	// (checker.Report.Close) to remove the files.
	SortMemory int64
	// TempDir is where those files are written; "" is os.TempDir ($TMPDIR, else /tmp).
	TempDir string
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

// Redactor rewrites the identifiers of report entries in place (package redact).
type Redactor interface {
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
	findings    *sorter[checker.Finding]
	errors      []sortableError
	counts      map[checker.Status]int
	failing     int
	evalErrs    int
	breaches    *sorter[checker.BaselineEntry]
	known       map[string]bool // baseline breaches found breached again
	newBreaches int
	uncovered   []checker.NotCovered
}

type sortableError struct {
	file int
	checker.RecordError
}

// Check reads every record of the batch and checks it with the engine, records in parallel,
// and returns the report, its findings sorted. Only a batch that cannot be found at all is
// an error; everything wrong inside it is in the report's Errors.
func Check(engine *checker.Engine, r *Reader, paths []string, opts Options) (*checker.Report, error) {
	files, err := r.Files(paths)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		exts := caseExtensionsText()
		if r.Import != nil {
			exts = strings.Join(r.Extensions, ", ")
		}
		return nil, fmt.Errorf("read batch: no case files (%s) found in %v", exts, paths)
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
	findingSpill := &spillConfig[checker.Finding]{what: "findings", cmp: checker.CompareFindings,
		size: findingSize, codec: findingCodec, budget: budget, dir: opts.TempDir}
	breachSpill := &spillConfig[checker.BaselineEntry]{what: "breaches",
		cmp:  func(a, b *checker.BaselineEntry) int { return checker.CompareBaselineEntries(*a, *b) },
		size: breachSize, codec: breachCodec, budget: budget, dir: opts.TempDir}

	jobs := make(chan job, workers*4)
	outcomes := make([]outcome, workers)
	var wg sync.WaitGroup
	for w := range workers {
		out := &outcomes[w]
		out.counts = map[checker.Status]int{}
		out.known = map[string]bool{}
		out.findings = newSorter(findingSpill)
		out.breaches = newSorter(breachSpill)
		wg.Go(func() {
			for j := range jobs {
				checkOne(engine, opts, show, j, out)
			}
		})
	}

	report := &checker.Report{Tool: opts.Tool, Errors: []checker.RecordError{}, Rules: checker.RuleInfos(engine.Packs)}
	for _, cp := range engine.Packs {
		report.Packs = append(report.Packs, checker.PackInfo{ID: cp.Pack.ID, Edition: cp.Pack.Edition, Version: cp.Pack.Version})
	}
	var asOfs = map[checker.Date]bool{}
	// Case ids are kept as 128-bit hashes, not strings, to find duplicates, with where each
	// was first read packed in 8 bytes: about 53 MiB for a million cases, where the ids and
	// their files' names took 352 MiB. Two different ids share a hash with a chance of about
	// n²/2¹²⁹, under 1 in 10²⁶ for a million cases, and SHA-256 keeps it so for ids chosen to
	// collide; were it to happen, the second case would be reported as a duplicate (an error
	// in the report, not a silent loss).
	seenIDs := map[[16]byte]firstSeen{}
	fileNames := make([]string, len(files)) // each file as its records name it
	read := 0
	for fi, f := range files {
		err := r.ReadFile(f, func(rec Record) error {
			read++
			if opts.Progress != nil && read%1000 == 0 {
				opts.Progress(read)
			}
			j := job{file: fi, rec: rec, check: rec.Err == nil}
			if rec.Err == nil {
				// Duplicates are found here, in input order, so the first record of an id is
				// the one checked whatever the scheduling.
				id := caseIDHash(rec.CaseID)
				if first, dup := seenIDs[id]; dup {
					where := "an earlier record"
					if file, index, ok := first.at(); ok {
						where = fmt.Sprintf("record %d", index)
						if fileNames[file] != rec.File {
							where = fmt.Sprintf("%s record %d", fileNames[file], index)
						}
					}
					j.rec.Err = fmt.Errorf("case_id duplicates that of %s, which was checked", where)
					j.check = false
				} else {
					if fileNames[fi] == "" {
						fileNames[fi] = rec.File
					}
					seenIDs[id] = seenAt(fi, rec.Index)
					asOfs[engine.AsOfFor(rec.Case, opts.AsOf)] = true
				}
			}
			jobs <- j
			return nil
		})
		if err != nil {
			// A file that could not be read at all (an importer's whole-file error) is
			// reported like a bad record, never dropped.
			read++
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
		findingSorters = append(findingSorters, o.findings)
		breachSorters = append(breachSorters, o.breaches)
		errs = append(errs, o.errors...)
		for s, n := range o.counts {
			report.Summary.Findings[s] += n
		}
		report.Failing += o.failing
		report.Summary.EvaluationErrors += o.evalErrs
	}
	if opts.Baseline != nil {
		report.Baseline = &checker.BaselineSummary{Suppressed: len(known), Fixed: opts.Baseline.Len() - len(known), New: newBreaches}
	}
	report.Summary.RecordsRead = read
	for _, e := range errs {
		if e.Rule == "" {
			report.Summary.RecordsSkipped++
		}
	}
	report.Summary.Cases = read - report.Summary.RecordsSkipped
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
		return cmp.Or(cmp.Compare(a.CaseID, b.CaseID), cmp.Compare(a.Referral, b.Referral))
	})
	report.Summary.ReferralsNotCovered = len(report.NotCovered)
	slices.SortStableFunc(errs, func(a, b sortableError) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.Record, b.Record), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Error, b.Error))
	})
	for _, e := range errs {
		report.Errors = append(report.Errors, e.RecordError)
	}
	if len(asOfs) == 1 {
		for d := range asOfs {
			report.AsOf = d
		}
	}
	return report, nil
}

func checkOne(engine *checker.Engine, opts Options, show map[checker.Status]bool, j job, out *outcome) {
	rec := j.rec
	if !j.check {
		out.addError(opts, j.file, checker.RecordError{
			File: rec.File, Record: rec.Index, CaseID: rec.CaseID, Error: errorText(rec.Err)})
		return
	}
	findings, evalErrs, uncovered := engine.CheckInForce(rec.Case, opts.AsOf)
	if opts.Redact != nil {
		for i := range uncovered {
			opts.Redact.NotCovered(&uncovered[i])
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
				out.breaches.add(checker.BaselineEntryOf(&f))
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
			if opts.Redact != nil {
				opts.Redact.Finding(&f)
			}
			out.findings.add(f)
		}
	}
	for _, e := range evalErrs {
		out.evalErrs++
		out.addError(opts, j.file, checker.RecordError{
			File: rec.File, Record: rec.Index, CaseID: rec.CaseID, Rule: e.Rule,
			Error: fmt.Sprintf("%s (%s) on %s: %v", e.Rule, e.Edition, e.Subject, e.Err)})
	}
}

// addError keeps an error entry, redacted when asked.
func (out *outcome) addError(opts Options, file int, e checker.RecordError) {
	if opts.Redact != nil {
		opts.Redact.RecordError(&e)
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

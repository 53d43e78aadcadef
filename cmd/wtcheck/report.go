package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/redact"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/record"
)

// redactKeyEnv holds the redaction key: an environment variable or a file, never a flag,
// because flags end up in shell histories and process lists.
const redactKeyEnv = "WTCHECK_REDACT_KEY"

// redactFlags are the flags of the commands that can redact.
type redactFlags struct {
	on      bool
	keyFile string
}

func (rf *redactFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&rf.on, "redact", false, "replace case ids with stable keyed hashes, to share a report beyond the team holding the cases (key: $"+redactKeyEnv+" or --redact-key-file)")
	cmd.Flags().StringVar(&rf.keyFile, "redact-key-file", "", "a file holding the redaction key (default: $"+redactKeyEnv+")")
}

// redactor returns the redactor asked for, or nil.
func (rf *redactFlags) redactor() (*redact.Redactor, error) {
	if !rf.on {
		if rf.keyFile != "" {
			return nil, fmt.Errorf("--redact-key-file goes with --redact")
		}
		return nil, nil
	}
	key := os.Getenv(redactKeyEnv)
	if rf.keyFile != "" {
		data, err := readBounded("the redaction key", rf.keyFile, maxKeyBytes)
		if err != nil {
			return nil, err
		}
		key = string(data)
	}
	if key == "" {
		return nil, fmt.Errorf("--redact needs a key: set $%s or give --redact-key-file (keep the same key to keep hashes stable)", redactKeyEnv)
	}
	return redact.New(key)
}

func newReportCommand(stdin io.Reader) *cobra.Command {
	f := &auditFlags{}
	cmd := &cobra.Command{
		Use:   "report --format html|xlsx -o FILE [flags] PATH...",
		Short: "Write an audit report: HTML with charts, or an Excel workbook",
		Long: `Report checks the cases and writes an audit report for a quality-assurance meeting:

  html  one self-contained page (no network; it opens from an email attachment or a shared
        drive): the headline summary (distinct findings, musts and shoulds apart), compliance
        per rule with its citation and a chart, breaches by month up to the as-of date, a
        breakdown by team, the overdue (open work only) and due-soon lists, the editions
        compared, and the timelines of the cases most in need of a look. Lists and timelines
        are cut at --max-rows and --max-timelines, and the page says so.
  xlsx  a workbook: Summary, Findings (filterable, dates as Excel dates), one sheet per
        edition compared, Overdue and Due soon.

Unless --edition says otherwise, each referral is checked under the edition in force when it
was received (--edition in-force), and every shipped edition is compared beside it.`,
		Example: "  wtcheck report --format html -o report.html fixtures/sample\n  wtcheck report --format xlsx -o report.xlsx --edition 2023 extract.ndjson",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(cmd, f, args, stdin)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&f.format, "format", "html", "html or xlsx")
	return cmd
}

// auditFlags are what an audit report needs.
type auditFlags struct {
	packFlags
	redactFlags
	sortFlags
	input        inputFlags
	format       string
	asOf         record.Date
	output       string
	dueSoon      int
	workers      int
	failOn       string
	strict       bool // exit 1 also on a skipped record or a data warning
	maxBreaches  int
	maxRows      int
	maxTimelines int
	quiet        bool
}

func (f *auditFlags) register(cmd *cobra.Command) {
	f.packFlags.register(cmd)
	f.redactFlags.register(cmd)
	f.sortFlags.register(cmd)
	f.input.register(cmd)
	fl := cmd.Flags()
	dateVar(fl, &f.asOf, "as-of", "report as at this day (YYYY-MM-DD); default: each record's extract date")
	fl.StringVarP(&f.output, "output", "o", "", "the file to write (required for xlsx)")
	fl.IntVar(&f.dueSoon, "due-soon", checker.DefaultDueSoon, "list pending deadlines due within this many working days")
	fl.IntVar(&f.workers, "workers", 0, "records checked at once, on at most as many cores (default: one per CPU)")
	fl.StringVar(&f.failOn, "fail-on", "breach", "exit 1 on a breach of a rule at or above this severity: none, info, warning or breach")
	fl.BoolVar(&f.strict, "strict", false, "exit 1 also when a record is skipped for a data error, a referral is not covered by any loaded pack, or a data warning is given")
	fl.IntVar(&f.maxRows, "max-rows", report.DefaultMaxRows, "html: rows per list on the page (the data formats list every finding)")
	fl.IntVar(&f.maxTimelines, "max-timelines", report.DefaultMaxTimelines, "html: case timelines on the page, the cases most in need of a look first")
	registerQuiet(cmd, &f.quiet)
}

// runAudit checks a batch and writes an audit format (also used by check --format html|xlsx).
// Unless --edition or --pack says otherwise, each referral is checked under the edition in
// force when it was received, and every shipped edition is set side by side in the
// comparison: the headline numbers are then one finding per requirement, under the guidance
// that applied.
func runAudit(cmd *cobra.Command, f *auditFlags, paths []string, stdin io.Reader) error {
	write, ok := report.LookupAudit(f.format)
	if !ok {
		return fmt.Errorf("--format %q: want html or xlsx", f.format)
	}
	if f.format == "xlsx" && f.output == "" {
		return fmt.Errorf("--format xlsx writes a workbook: give the file with -o")
	}
	restore, err := useWorkers(f.workers)
	if err != nil {
		return err
	}
	defer restore()
	if f.maxRows < 1 || f.maxTimelines < 0 {
		return fmt.Errorf("--max-rows %d, --max-timelines %d: want at least 1 row and 0 or more timelines", f.maxRows, f.maxTimelines)
	}
	red, err := f.redactor()
	if err != nil {
		return err
	}
	failOn, err := checker.ParseFailOn(f.failOn)
	if err != nil {
		return err
	}
	if f.maxBreaches < 0 {
		return fmt.Errorf("--max-breaches %d: want 0 or more", f.maxBreaches)
	}
	asOf := f.asOf
	if len(f.editions) == 0 && len(f.packs) == 0 {
		f.editions = []string{compare.InForce}
	}
	engine, err := f.engine()
	if err != nil {
		return err
	}
	engine.DueSoon = f.dueSoon
	// The comparison of editions and the case timelines, collected case by case as the
	// browser build does (web/run.go).
	ao := report.AuditOptions{Engine: engine, AsOf: asOf, MaxRows: f.maxRows, MaxTimelines: f.maxTimelines}
	if red != nil {
		ao.Redact = red
	}
	collect := report.NewAuditCollector(ao)
	reader := &batch.Reader{Stdin: stdin}
	f.input.tmpdir = f.sortFlags.tmpdir
	if err := f.input.reader(reader, asOf); err != nil {
		return err
	}
	var outs outputs
	defer outs.abort()
	out, err := outs.open("-o", f.output, cmd.OutOrStdout())
	if err != nil {
		return err
	}
	if err := outs.refuseFlagInputs(&f.packFlags, &f.redactFlags); err != nil {
		return err
	}
	opts := batch.Options{
		AsOf: asOf, Show: checker.Statuses, FailOn: failOn, Workers: f.workers, AllowEmpty: f.input.allowEmpty,
		Tool: checker.Tool{Name: "wtcheck", Version: toolVersion()}, PerCase: collect.PerCase,
		Files: func(files []string) error { return outs.refuse("case file", files...) },
	}
	if red != nil {
		opts.Redact = red
	}
	if err := f.sortFlags.apply(&opts); err != nil {
		return err
	}
	closeSSD, err := openSSD(reader, paths, engine.Packs, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer closeSSD()
	sayPassedOver := passedOver(reader, red != nil)
	rep, err := batch.Check(engine, reader, paths, opts)
	if rep != nil {
		defer rep.Close() // the findings' temporary files, if any
	}
	sayPassedOver(notes(cmd, f.quiet))
	if err != nil {
		return emptyBatch(cmd.ErrOrStderr(), rep, err)
	}
	if err := write(out, collect.Audit(rep)); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if !out.Stdout() {
		fmt.Fprintf(notes(cmd, f.quiet), "wtcheck: wrote %s: %s\n", f.output, report.SummaryLine(rep))
	}
	overBudgetNote(cmd.ErrOrStderr(), rep.Summary)
	return exitFor(rep, f.maxBreaches, f.strict)
}

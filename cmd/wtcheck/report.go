package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/explain"
	"github.com/wtcheck/wtcheck/checker/redact"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/checker/ruledoc"
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
		data, err := os.ReadFile(rf.keyFile)
		if err != nil {
			return nil, fmt.Errorf("read the redaction key: %w", err)
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
        drive): the headline summary, compliance per rule with its citation and a chart,
        breaches by month, a breakdown by team, the overdue and due-soon lists, the edition
        comparison when several editions are checked, and each listed case's timeline.
  xlsx  a workbook: Summary, Findings (filterable, dates as Excel dates), one sheet per
        edition when comparing, and Due soon.`,
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
	input       inputFlags
	format      string
	asOf        string
	output      string
	dueSoon     int
	workers     int
	failOn      string
	strict      bool // exit 1 also on a skipped record or a data warning
	maxBreaches int
}

func (f *auditFlags) register(cmd *cobra.Command) {
	f.packFlags.register(cmd)
	f.redactFlags.register(cmd)
	f.input.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.asOf, "as-of", "", "report as at this day (YYYY-MM-DD); default: each record's extract date")
	fl.StringVarP(&f.output, "output", "o", "", "the file to write (required for xlsx)")
	fl.IntVar(&f.dueSoon, "due-soon", checker.DefaultDueSoon, "list pending deadlines due within this many working days")
	fl.IntVar(&f.workers, "workers", 0, "records checked at once (default: one per CPU)")
	fl.StringVar(&f.failOn, "fail-on", "breach", "exit 1 on a breach of a rule at or above this severity: none, info, warning or breach")
	fl.BoolVar(&f.strict, "strict", false, "exit 1 also when a record is skipped for a data error, a referral is not covered by any loaded pack, or a data warning is given")
}

// runAudit checks a batch and writes an audit format (also used by check --format html|xlsx).
func runAudit(cmd *cobra.Command, f *auditFlags, paths []string, stdin io.Reader) error {
	write, ok := report.LookupAudit(f.format)
	if !ok {
		return fmt.Errorf("--format %q: want html or xlsx", f.format)
	}
	if f.format == "xlsx" && f.output == "" {
		return fmt.Errorf("--format xlsx writes a workbook: give the file with -o")
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
	var asOf checker.Date
	if f.asOf != "" {
		if asOf, err = checker.ParseDate(f.asOf); err != nil {
			return fmt.Errorf("--as-of: %w", err)
		}
	}
	engine, err := f.engine()
	if err != nil {
		return err
	}
	engine.DueSoon = f.dueSoon
	var agg *compare.Aggregator
	if len(engine.Packs) > 1 && !engine.InForce {
		agg = compare.NewAggregator(engine.Packs, false, ruledoc.Timescale)
	}
	var mu sync.Mutex
	timelines := map[string]*explain.Timeline{}
	perCase := func(c *checker.Case, findings []checker.Finding) {
		if agg != nil {
			agg.Add(c, findings)
		}
		for i := range findings {
			fd := &findings[i]
			overdue := fd.Status == checker.StatusBreach && fd.Done.IsZero() && !fd.Due.IsZero()
			soon := fd.Status == checker.StatusPending && fd.WorkingDaysLeft != nil && *fd.WorkingDaysLeft <= f.dueSoon
			if overdue || soon {
				t := explain.Build(c, engine.AsOfFor(c, asOf), findings, engine.Calendar, engine.Packs)
				mu.Lock()
				timelines[c.CaseID] = t
				mu.Unlock()
				return
			}
		}
	}
	reader := &batch.Reader{Stdin: stdin}
	if err := f.input.reader(reader, asOf); err != nil {
		return err
	}
	opts := batch.Options{
		AsOf: asOf, Show: checker.Statuses, FailOn: failOn, Workers: f.workers, AllowEmpty: f.input.allowEmpty,
		Tool: checker.Tool{Name: "wtcheck", Version: toolVersion()}, PerCase: perCase,
	}
	if red != nil {
		opts.Redact = red
	}
	sayPassedOver := passedOver(reader)
	rep, err := batch.Check(engine, reader, paths, opts)
	sayPassedOver(cmd.ErrOrStderr())
	if err != nil {
		return emptyBatch(cmd.ErrOrStderr(), rep, err)
	}
	a := &report.Audit{Report: rep, Timelines: timelines, DueSoon: f.dueSoon, Redacted: red != nil}
	if agg != nil {
		a.Comparison = agg.Result(rep)
	}
	if red != nil {
		a.Timelines = red.Timelines(a.Timelines)
		if a.Comparison != nil {
			red.Comparison(a.Comparison)
		}
	}
	if f.output == "" {
		if err := write(cmd.OutOrStdout(), a); err != nil {
			return err
		}
	} else {
		if err := writeFileWhole(f.output, func(w io.Writer) error { return write(w, a) }); err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "wtcheck: wrote %s: %s\n", f.output, report.SummaryLine(rep))
	}
	overBudgetNote(cmd.ErrOrStderr(), rep.Summary)
	return exitFor(rep, f.maxBreaches, f.strict)
}

package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/internal/safefile"
	"github.com/wtcheck/wtcheck/record"
)

type checkFlags struct {
	packFlags
	redactFlags
	sortFlags
	input         inputFlags
	asOf          record.Date
	format        string
	show          string
	failOn        string
	strict        bool
	output        string   // the --format report's file, from outputs
	outputs       []string // -o: PATH, and FORMAT=PATH for each further report
	dueSoon       int
	workers       int
	baseline      string
	writeBaseline string
	maxBreaches   int
	quiet         bool
}

func newCheckCommand(stdin io.Reader) *cobra.Command {
	f := &checkFlags{}
	cmd := &cobra.Command{
		Use:   "check [flags] PATH...",
		Short: "Check case records and report breaches, pending deadlines and what was met",
		Long: `Check reads case records (JSON, a JSON array, NDJSON, gzip, a directory walked
recursively, or - for standard input) and checks each against the chosen editions' rules.

Exit status: 0 when no finding is at or above --fail-on, 1 when one is (or, with --strict,
when a record was skipped or a data warning given), 2 when the command could not run as asked.

A record with an event dated after its extract date is checked as it stood on its extract
date, with a warning naming the field; warnings are listed beside errors in every format.`,
		Example: `  wtcheck check fixtures/sample
  wtcheck check --edition 2018 --format json --as-of 2024-03-31 cases.ndjson
  gunzip -c extract.ndjson.gz | wtcheck check --fail-on warning -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, f, args, stdin)
		},
	}
	f.packFlags.register(cmd)
	f.redactFlags.register(cmd)
	f.sortFlags.register(cmd)
	f.input.register(cmd)
	fl := cmd.Flags()
	dateVar(fl, &f.asOf, "as-of", "check as at this day (YYYY-MM-DD); default: each record's extract date, else today")
	fl.StringVar(&f.format, "format", "text", "output format: "+strings.Join(append(report.Formats(), report.AuditFormats()...), ", "))
	fl.StringVar(&f.show, "show", "breach,pending", "statuses to list: all, or a comma-separated list of breach, pending, met, not_applicable, insufficient_data")
	fl.StringVar(&f.failOn, "fail-on", "breach", "exit 1 on a breach of a rule at or above this severity: none, info, warning or breach")
	fl.BoolVar(&f.strict, "strict", false, "exit 1 also when a record is skipped for a data error, a referral is not covered by any loaded pack, or a data warning is given")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write the report to this file instead of standard output; FORMAT=PATH writes a report in that format too, from the same pass (repeatable)")
	fl.IntVar(&f.dueSoon, "due-soon", checker.DefaultDueSoon, "working days before the due date at which a pending deadline is due soon")
	fl.IntVar(&f.workers, "workers", 0, "records decoded and checked at once, on at most as many cores (default: one per CPU)")
	fl.StringVar(&f.baseline, "baseline", "", "a baseline of known breaches (from --write-baseline): list, and fail on, only breaches not in it")
	fl.StringVar(&f.writeBaseline, "write-baseline", "", "write every breach found to this file, as a baseline for later runs (ids only, no personal data)")
	fl.IntVar(&f.maxBreaches, "max-breaches", 0, "exit 1 only when more than this many breaches at or above --fail-on are found")
	registerQuiet(cmd, &f.quiet)
	return cmd
}

func runCheck(cmd *cobra.Command, f *checkFlags, args []string, stdin io.Reader) error {
	var extras []extraReport
	var err error
	if f.output, extras, err = splitOutputs(f.outputs); err != nil {
		return err
	}
	if _, audit := report.LookupAudit(f.format); audit {
		if len(extras) > 0 {
			return fmt.Errorf("--format %s writes an audit report in a pass of its own: write the -o FORMAT=PATH reports with --format text, json, …", f.format)
		}
		if f.baseline != "" || f.writeBaseline != "" {
			return fmt.Errorf("--format %s writes an audit report of every finding: use --baseline and --write-baseline with a list format (text, json, sarif, …)", f.format)
		}
		// The same findings give the same exit code in every format.
		return runAudit(cmd, &auditFlags{packFlags: f.packFlags, redactFlags: f.redactFlags, sortFlags: f.sortFlags, input: f.input, format: f.format,
			asOf: f.asOf, output: f.output, dueSoon: f.dueSoon, workers: f.workers, failOn: f.failOn, strict: f.strict,
			maxBreaches: f.maxBreaches, maxRows: report.DefaultMaxRows, maxTimelines: report.DefaultMaxTimelines, quiet: f.quiet}, args, stdin)
	}
	stderr := notes(cmd, f.quiet) // errors go to cmd.ErrOrStderr()
	notify := func(s string) { fmt.Fprintln(stderr, "wtcheck: "+s) }
	write, err := report.LookupWithNotes(f.format, notify)
	if err != nil {
		return err
	}
	colour := f.format == "text" && (f.output == "" || f.output == "-") && colourful(cmd.OutOrStdout())
	if colour {
		write = report.ColourText
	}
	red, err := f.redactor()
	if err != nil {
		return err
	}
	failOn, err := checker.ParseFailOn(f.failOn)
	if err != nil {
		return err
	}
	show, err := showFor(cmd, f.format, f.show)
	if err != nil {
		return err
	}
	if f.maxBreaches < 0 {
		return fmt.Errorf("--max-breaches %d: want 0 or more", f.maxBreaches)
	}
	restore, err := useWorkers(f.workers)
	if err != nil {
		return err
	}
	defer restore()
	asOf := f.asOf
	engine, err := f.engine()
	if err != nil {
		return err
	}
	engine.DueSoon = f.dueSoon
	reader := &batch.Reader{Stdin: stdin}
	f.input.tmpdir = f.sortFlags.tmpdir // an SSD table not in person order is sorted there too
	if err := f.input.reader(reader, asOf); err != nil {
		return err
	}
	var outs outputs
	defer outs.abort()
	out, err := outs.open("-o", f.output, cmd.OutOrStdout())
	if err != nil {
		return err
	}
	if err := openExtras(cmd, &outs, extras, f.show, notify); err != nil {
		return err
	}
	listed := listedUnion(show, extras)
	if err := outs.refuseFlagInputs(&f.packFlags, &f.redactFlags); err != nil {
		return err
	}
	if f.baseline != "" {
		if err := outs.refuse("baseline", f.baseline); err != nil {
			return err
		}
	}
	var baselineOut *safefile.Output
	if f.writeBaseline != "" {
		// Opened after the baseline is refused as -o: --write-baseline may name the --baseline
		// file, to update it (it is read whole before anything is written).
		if baselineOut, err = outs.open("--write-baseline", f.writeBaseline, cmd.OutOrStdout()); err != nil {
			return err
		}
		if err := refuseInputs([]*safefile.Output{baselineOut}, "pack", f.packs...); err != nil {
			return err
		}
		if err := refuseInputs([]*safefile.Output{baselineOut}, "holiday file", f.holidays...); err != nil {
			return err
		}
	}
	closeSSD, err := openSSD(reader, args, engine.Packs, stderr)
	if err != nil {
		return err
	}
	defer closeSSD()
	sayPassedOver := passedOver(reader, red != nil)
	opts := batch.Options{
		AsOf: asOf, Show: listed, FailOn: failOn, Workers: f.workers, AllowEmpty: f.input.allowEmpty,
		WithoutMessages: !messagesShown(f.format, extras),
		Tool:            checker.Tool{Name: "wtcheck", Version: toolVersion()},
		Files:           func(files []string) error { return outs.refuse("case file", files...) },
	}
	if err := f.sortFlags.apply(&opts); err != nil {
		return err
	}
	var layouts []*report.TextLayout
	if f.format == "text" && !slices.ContainsFunc(listed, func(st checker.Status) bool { return !slices.Contains(show, st) }) {
		// The text table's widths are measured on the workers as the findings are listed,
		// so that the table is written in one walk of them. (A table that shows fewer
		// statuses than the pass lists, for another -o report, measures itself.)
		opts.Listing = func() func(*checker.Finding) {
			l := new(report.TextLayout)
			layouts = append(layouts, l)
			return l.Add
		}
	}
	if f.baseline != "" {
		in, err := safefile.Open(f.baseline, maxBaselineBytes)
		if err != nil {
			return fmt.Errorf("read baseline %s: %w", f.baseline, err)
		}
		opts.Baseline, err = checker.ReadBaseline(f.baseline, in)
		in.Close()
		if err != nil {
			return err
		}
	}
	if red != nil {
		// Counting, exit codes and the baseline use the real ids; only what is shown is
		// redacted. A baseline keeps the real ids: it stays with the team that holds the cases.
		opts.Redact = red
	}
	var breaches batch.Breaches
	defer breaches.Close()
	if f.writeBaseline != "" {
		opts.Breaches = &breaches
	}
	if isTerminal(stderr) && !f.quiet {
		opts.Progress = func(n int) { fmt.Fprintf(stderr, "\rwtcheck: %d records read", n) }
	}
	rep, err := batch.Check(engine, reader, args, opts)
	if rep != nil {
		defer rep.Close() // the findings' temporary files, if any
	}
	if opts.Progress != nil && err == nil && rep.Summary.RecordsRead >= 1000 {
		fmt.Fprintln(stderr)
	}
	sayPassedOver(stderr)
	if err != nil {
		return emptyBatch(cmd.ErrOrStderr(), rep, err)
	}
	// Every report is written before any is committed: one that fails leaves every file as
	// it was (see writeExtras).
	if err := writeExtras(rep, listed, extras); err != nil {
		return err
	}
	if opts.Listing != nil {
		var layout report.TextLayout
		for _, l := range layouts {
			layout.Merge(l)
		}
		write = report.TextWith(&layout, colour)
	}
	if err := write(out, showing(rep, listed, show)); err != nil {
		return err
	}
	if err := commitAll(out, extras); err != nil {
		return err
	}
	if baselineOut != nil {
		if err := checker.WriteSortedBaseline(baselineOut, rep.AsOf, breaches.All()); err != nil {
			return err
		}
		if err := breaches.Err(); err != nil {
			return err
		}
		if err := baselineOut.Commit(); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wtcheck: wrote %d %s to the baseline %s\n", breaches.Len(), plural(breaches.Len(), "breach", "breaches"), f.writeBaseline)
	}
	if format := report.LookupFormat(f.format); !format.SummaryInReport || f.output != "" {
		fmt.Fprintln(stderr, "wtcheck: "+report.SummaryLine(rep))
	}
	if line := coverageLine(engine.Packs, f.input.format, f.input.s47Proxy); line != "" {
		fmt.Fprintln(stderr, "wtcheck: "+line)
	}
	if b := rep.Baseline; b != nil {
		fmt.Fprintln(stderr, "wtcheck: "+report.BaselineLine(b))
		if b.Outdated {
			fmt.Fprintf(cmd.ErrOrStderr(), "wtcheck: %s is a %s baseline, which leaves out the referral: an entry for A1 could hide a new breach of A1 in another referral, so none of its entries is used and every breach is listed as new; review them, then write the baseline again with --write-baseline (%s)\n",
				f.baseline, checker.BaselineFormatV1, checker.BaselineFormat)
		}
	}
	overBudgetNote(cmd.ErrOrStderr(), rep.Summary)
	return exitFor(rep, f.maxBreaches, f.strict)
}

// exitFor ends a command with the exit status its findings call for, the same whatever the
// output format: 1 for more than maxBreaches failing findings (or, when strict, a record
// skipped), else 0.
func exitFor(rep *checker.Report, maxBreaches int, strict bool) error {
	failing := rep.Failing
	if failing <= maxBreaches {
		failing = 0
	}
	if code := checker.ExitCode(failing, rep.Summary, strict); code != checker.ExitOK {
		return exitCode(code)
	}
	return nil
}

// overBudgetNote says why a check whose report was written still fails with 2: a rule went
// over its cost budget, so the pack is broken and the findings are incomplete.
func overBudgetNote(stderr io.Writer, s checker.Summary) {
	if n := s.RulesOverBudget; n > 0 {
		fmt.Fprintf(stderr, "wtcheck: %d %s over the cost limit on a record: the pack is broken (the errors say which rule, and where it is written)\n",
			n, plural(n, "rule went", "rules went"))
	}
}

func parseShow(s string) ([]checker.Status, error) {
	if s == "all" {
		return checker.Statuses, nil
	}
	var out []checker.Status
	for _, part := range strings.Split(s, ",") {
		st := checker.Status(strings.TrimSpace(part))
		valid := false
		for _, known := range checker.Statuses {
			valid = valid || st == known
		}
		if !valid {
			return nil, fmt.Errorf("--show %q: want all, or statuses among breach, pending, met, not_applicable, insufficient_data", part)
		}
		out = append(out, st)
	}
	return out, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

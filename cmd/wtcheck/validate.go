package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/record"
)

type validateFlags struct {
	input   inputFlags
	asOf    string
	format  string
	strict  bool
	workers int
}

func newValidateCommand(stdin io.Reader) *cobra.Command {
	f := &validateFlags{}
	cmd := &cobra.Command{
		Use:   "validate [flags] PATH...",
		Short: "Read and validate records against the case format, running no rule",
		Long: `Validate reads records exactly as check does (any --input-format, files, directories,
gzip, - for standard input), decodes and validates each against the case format, finds
duplicate case ids, and reports the data errors and warnings, without evaluating any rule.
It is for whoever writes an exporter, and it is the ceiling every benchmark of check is
measured against.

Exit status: 0 when every record is valid, 1 when a record was refused for a data error (or,
with --strict, a data warning was given), 2 when the command could not run as asked.`,
		Example: `  wtcheck validate fixtures/sample
  wtcheck validate --format json extract.ndjson.gz
  wtcheck validate --input-format cin-census return.xml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd, f, args, stdin)
		},
	}
	f.input.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.asOf, "as-of", "", "reference date for a source that has none of its own (Annex A), YYYY-MM-DD")
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
	fl.BoolVar(&f.strict, "strict", false, "exit 1 also when a data warning is given")
	fl.IntVar(&f.workers, "workers", 0, "records decoded at once, on at most as many cores (default: one per CPU)")
	return cmd
}

// validation is what validate reports: the counts and every error and warning, in the order
// of the batch. It is the check report without packs, findings or as-of date.
type validation struct {
	Summary  validationSummary       `json:"summary"`
	Errors   []checker.RecordError   `json:"errors"`
	Warnings []checker.RecordWarning `json:"warnings"`
}

type validationSummary struct {
	RecordsRead    int `json:"records_read"`
	Valid          int `json:"valid"`
	RecordsSkipped int `json:"records_skipped"`
	Warnings       int `json:"warnings"`
}

func runValidate(cmd *cobra.Command, f *validateFlags, args []string, stdin io.Reader) error {
	if f.format != "text" && f.format != "json" {
		return fmt.Errorf("--format %q: want text or json", f.format)
	}
	restore, err := useWorkers(f.workers)
	if err != nil {
		return err
	}
	defer restore()
	var asOf record.Date
	if f.asOf != "" {
		var err error
		if asOf, err = record.ParseDate(f.asOf); err != nil {
			return fmt.Errorf("--as-of: %w", err)
		}
	}
	reader := &batch.Reader{Stdin: stdin}
	if err := f.input.reader(reader, asOf); err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	sayPassedOver := passedOver(reader, false)
	// An engine with no pack runs the whole pipeline of a check (reading, decoding on the
	// workers, duplicate ids, warnings) and evaluates nothing: what validate measures is
	// exactly what check spends before its rules.
	engine := &checker.Engine{Today: record.DateOf(time.Now())}
	opts := batch.Options{Workers: f.workers, AllowEmpty: f.input.allowEmpty, FailOn: checker.FailOnNone,
		AsOf: asOf}
	if isTerminal(stderr) {
		opts.Progress = func(n int) { fmt.Fprintf(stderr, "\rwtcheck: %d records read", n) }
	}
	rep, err := batch.Check(engine, reader, args, opts)
	if rep != nil {
		defer rep.Close()
	}
	if opts.Progress != nil && err == nil && rep.Summary.RecordsRead >= 1000 {
		fmt.Fprintln(stderr)
	}
	sayPassedOver(stderr)
	if err != nil {
		return emptyBatch(stderr, rep, err)
	}
	v := validation{Errors: rep.Errors, Warnings: rep.Warnings, Summary: validationSummary{
		RecordsRead: rep.Summary.RecordsRead, Valid: rep.Summary.Cases + rep.Summary.Incidents + rep.Summary.Arrangements, RecordsSkipped: rep.Summary.RecordsSkipped,
		Warnings: rep.Summary.Warnings}}
	out := cmd.OutOrStdout()
	if f.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("write validation: %w", err)
		}
	} else {
		for _, e := range v.Errors {
			fmt.Fprintln(out, "error: "+report.ErrorLine(e))
		}
		for _, w := range v.Warnings {
			fmt.Fprintln(out, "warning: "+report.WarningLine(w))
		}
		fmt.Fprintln(out, validationLine(v.Summary))
	}
	if v.Summary.RecordsSkipped > 0 || (f.strict && v.Summary.Warnings > 0) {
		return exitCode(checker.ExitFailed)
	}
	return nil
}

// validationLine counts what was read.
func validationLine(s validationSummary) string {
	line := fmt.Sprintf("%d %s read: %d valid, %d refused for a data error", s.RecordsRead, plural(s.RecordsRead, "record", "records"),
		s.Valid, s.RecordsSkipped)
	if s.Warnings > 0 {
		line += fmt.Sprintf(", %d %s", s.Warnings, plural(s.Warnings, "warning", "warnings"))
	}
	return line
}

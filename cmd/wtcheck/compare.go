package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/checker/ruledoc"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
	"github.com/wtcheck/wtcheck/source/casejson"
)

func newCompareCommand(stdin io.Reader) *cobra.Command {
	var (
		editions []string
		day      record.Date
		format   string
		output   string
		workers  int
		holidays []string
		rf       redactFlags
		allow    bool
	)
	cmd := &cobra.Command{
		Use:   "compare [flags] PATH...",
		Short: "Compare compliance across editions of the guidance on the same cases",
		Long: `Compare checks the same cases under several editions in one pass (each record is read and
decoded once, and every edition's rules are evaluated on it) and reports, per rule, the
findings that applied, were met, breached or pending and the compliance rate (met / met +
breach) under each edition side by side; the rules only some editions have; and the cases
whose outcome differs between editions, with the reason.

"in-force" as an edition adds a column in which each referral counts under the edition in
force on the day it was received.`,
		Example: `  wtcheck compare fixtures/sample
  wtcheck compare --editions 2010,2018,2023,in-force --format markdown extract.ndjson`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			write, err := report.LookupComparison(format)
			if err != nil {
				return err
			}
			red, err := rf.redactor()
			if err != nil {
				return err
			}
			pf := &packFlags{holidays: holidays}
			inForce := false
			for _, e := range editions {
				if e == compare.InForce {
					inForce = true
					continue
				}
				pf.editions = append(pf.editions, e)
			}
			if len(pf.editions) == 0 {
				pf.editions = rules.Editions()
			}
			if len(pf.editions) < 2 && !inForce {
				return fmt.Errorf("--editions %s: name two editions or more to compare", strings.Join(editions, ","))
			}
			restore, err := useWorkers(workers)
			if err != nil {
				return err
			}
			defer restore()
			engine, err := pf.engine()
			if err != nil {
				return err
			}
			var outs outputs
			defer outs.abort()
			out, err := outs.open("-o", output, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			if err := outs.refuseFlagInputs(pf, &rf); err != nil {
				return err
			}
			agg := compare.NewAggregator(engine.Packs, inForce, ruledoc.Timescale)
			perCase := agg.Add
			if red != nil {
				// The comparison gathers ids and dates itself: it is given them redacted.
				perCase = func(c *record.Case, findings []checker.Finding) {
					agg.Add(red.ForComparison(c, engine.AsOfFor(c, day), findings))
				}
			}
			perRecord := func(rec batch.Record, published checker.Published, findings []checker.Finding) {
				inForce := func(f *checker.Finding) bool { return engine.ArrangementsInForce(rec.Arrangements, day, *f) }
				if in := rec.Incident; in != nil {
					cp := engine.IncidentInForce(in, day, published)
					inForce = func(f *checker.Finding) bool { return cp != nil && cp.Pack.Edition == f.Edition }
				}
				if red != nil {
					findings = red.ForRecordComparison(rec.CaseID, findings)
				}
				agg.AddRecord(findings, inForce)
			}
			opts := batch.Options{
				AsOf: day, Show: []checker.Status{}, FailOn: checker.FailOnNone, Workers: workers, AllowEmpty: allow,
				Tool: checker.Tool{Name: "wtcheck", Version: toolVersion()}, PerCase: perCase, PerRecord: perRecord,
				Files: func(files []string) error { return outs.refuse("case file", files...) },
			}
			if red != nil {
				opts.Redact = red
			}
			format := casejson.InputFormat
			format.Expect = "case records (wtcheck/case/v1)"
			reader := &batch.Reader{Stdin: stdin, Format: &format}
			sayPassedOver := passedOver(reader, red != nil)
			rep, err := batch.Check(engine, reader, args, opts)
			if rep != nil {
				defer rep.Close()
			}
			sayPassedOver(cmd.ErrOrStderr())
			if err != nil {
				return emptyBatch(cmd.ErrOrStderr(), rep, err)
			}
			result := agg.Result(rep)
			if err := write(out, result); err != nil {
				return err
			}
			if err := out.Commit(); err != nil {
				return err
			}
			if !out.Stdout() {
				n := len(result.Differences)
				fmt.Fprintf(cmd.ErrOrStderr(), "wtcheck: compared %s under %s; %d %s\n", report.RecordsChecked(result.Summary),
					strings.Join(result.Editions, ", "), n, plural(n, "outcome differs", "outcomes differ"))
			}
			if rep.Summary.RulesOverBudget > 0 {
				overBudgetNote(cmd.ErrOrStderr(), rep.Summary)
				return exitCode(checker.ExitUsage)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&editions, "editions", append(slices.Clone(rules.Editions()), compare.InForce),
		"editions to compare, comma-separated; in-force adds the edition in force when each referral was received")
	dateVar(fl, &day, "as-of", "compare as at this day (YYYY-MM-DD); default: each record's extract date")
	fl.StringVar(&format, "format", "text", "text, json, csv or markdown")
	fl.StringVarP(&output, "output", "o", "", "write to this file instead of standard output")
	fl.IntVar(&workers, "workers", 0, "records checked at once, on at most as many cores (default: one per CPU)")
	fl.StringArrayVar(&holidays, "holidays", nil, "a file of extra bank holidays (repeatable)")
	rf.register(cmd)
	registerAllowEmpty(cmd, &allow)
	return cmd
}

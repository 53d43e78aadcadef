package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source/ssd"
)

func newImportCommand(stdin io.Reader) *cobra.Command {
	var (
		in       inputFlags
		pf       packFlags
		output   string
		day      record.Date
		coverage bool
		strict   bool
	)
	cmd := &cobra.Command{
		Use:   "import FORMAT FILE | import --coverage FORMAT",
		Short: "Turn a CIN census return, an Annex A workbook, SSD tables or the DfE API payload into case records, or say what it can show",
		Long: `Import reads a return that local authorities already produce and writes case records
(wtcheck/case/v1, one a line) that wtcheck check reads: cin-census (the Children in Need
census XML), annex-a (Ofsted's Annex A workbook, which needs --as-of), ssd (a folder of the
Standard Safeguarding Dataset's tables as CSV, or a postgres:// URL) or dfe-api (the DfE
children's social care API payload). A child that cannot be imported is named on standard
error with its place in the file, and the rest go on.

--coverage FORMAT lists, for every rule, whether that source can give it a verdict, and what
it lacks where not: such rules give insufficient_data on its records, never a breach.
docs/import.md maps each source field by field.`,
		Example: `  wtcheck import cin-census return.xml -o cases.ndjson
  wtcheck import annex-a --as-of 2021-03-31 annex-a.xlsx > cases.ndjson
  wtcheck import ssd --as-of 2024-12-31 fixtures/ssd-sample -o cases.ndjson
  wtcheck import --coverage cin-census`,
		Args: func(cmd *cobra.Command, args []string) error {
			if coverage {
				return cobra.ExactArgs(1)(cmd, args)
			}
			return cobra.ExactArgs(2)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			in.format = args[0]
			if coverage {
				return printCoverage(cmd, &pf, in)
			}
			var err error
			if in.format == "case" {
				return fmt.Errorf("FORMAT: case records need no import; want %s", strings.Join(inputFormats[1:], " or "))
			}
			reader := &batch.Reader{Stdin: stdin}
			if err := in.reader(reader, day); err != nil {
				return err
			}
			if args[1] != "-" && !ssd.IsDatabaseURL(args[1]) {
				// A file that is not there must not leave an empty output file behind, as if
				// a return with no children had been imported.
				if _, err := os.Stat(args[1]); errors.Is(err, fs.ErrNotExist) {
					return fmt.Errorf("import %s: no such file", args[1])
				} else if err != nil {
					return fmt.Errorf("import: %w", err)
				}
			}
			packs, err := pf.engine()
			if err != nil {
				return err
			}
			closeSSD, err := openSSD(reader, args[1:], packs.Packs, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer closeSSD()
			var outs outputs
			defer outs.abort()
			out, err := outs.open("-o", output, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			if err := outs.refuse("input", args[1]); err != nil {
				return err
			}
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			written, skipped, warnings := 0, 0, 0
			stderr := cmd.ErrOrStderr()
			err = reader.ReadFile(args[1], func(rec batch.Record) error {
				if rec.Err != nil {
					skipped++
					fmt.Fprintf(stderr, "wtcheck: %s\n", report.ErrorLine(checker.RecordError{File: rec.File, Record: rec.Index, CaseID: rec.CaseID, Error: strings.ReplaceAll(rec.Err.Error(), "\n", "; ")}))
					return nil
				}
				written++
				for _, rw := range rec.Warnings {
					warnings++
					w := checker.RecordWarning{File: rec.File, Record: rec.Index, CaseID: rec.CaseID, Path: rw.Path, Warning: rw.Warning}
					fmt.Fprintf(stderr, "wtcheck: warning: %s\n", report.WarningLine(w))
				}
				return enc.Encode(rec.Case)
			})
			if err != nil {
				return err
			}
			if written == 0 && !in.allowEmpty {
				return fmt.Errorf("import %s: no child could be imported (%d read, %d skipped), so nothing was written (is it %s? give --allow-empty if an empty return is expected)",
					args[1], skipped, skipped, reader.Format.Expect)
			}
			if err := out.Commit(); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "wtcheck: imported %d %s from %s: %d %s written, %d skipped", written+skipped, plural(written+skipped, "child", "children"),
				args[1], written, plural(written, "record", "records"), skipped)
			if warnings > 0 {
				fmt.Fprintf(stderr, ", %d %s", warnings, plural(warnings, "warning", "warnings"))
			}
			fmt.Fprintln(stderr)
			if strict && (skipped > 0 || warnings > 0) {
				return exitCode(checker.ExitFailed)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&coverage, "coverage", false, "list, for every rule, whether FORMAT can give it a verdict, and what it lacks where not")
	fl.StringVarP(&output, "output", "o", "", "write the records to this file instead of standard output")
	dateVar(fl, &day, "as-of", "the day the return describes (required for annex-a, which has no reference date)")
	fl.BoolVar(&strict, "strict", false, "exit 1 when a child could not be imported, or a data warning was given")
	registerAllowEmpty(cmd, &in.allowEmpty)
	fl.BoolVar(&in.s47Proxy, "s47-start-as-strategy-discussion", false, "cin-census: date each enquiry's strategy discussion on the section 47 start (the DfE's proxy)")
	fl.StringSliceVar(&pf.editions, "edition", nil, "with --coverage: the editions to list (default: all)")
	return cmd
}

func printCoverage(cmd *cobra.Command, pf *packFlags, in inputFlags) error {
	gs, err := gaps(in.format, in.s47Proxy)
	if err != nil {
		return err
	}
	engine, err := pf.engine()
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "%s cannot record:\n", in.format)
	for _, g := range gs {
		fmt.Fprintf(out, "  %-34s %s\n", g.Path, g.Reason)
	}
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PACK\tRULE\tVERDICT\tLACKS")
	for _, c := range ruleCoverage(engine.Packs, gs) {
		verdict, lacks := "can be judged", "-"
		if len(c.Lacking) > 0 {
			verdict = "insufficient_data"
			var ps []string
			for _, g := range c.Lacking {
				ps = append(ps, g.Path)
			}
			lacks = strings.Join(ps, ", ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Pack, c.Rule, verdict, lacks)
	}
	return tw.Flush()
}

// coverageLine sums up, for the check summary, how many rules a source can judge.
func coverageLine(packs []*checker.CompiledPack, format string, s47Proxy bool) string {
	gs, err := gaps(format, s47Proxy)
	if err != nil || len(gs) == 0 {
		return ""
	}
	var parts []string
	cov := ruleCoverage(packs, gs)
	for _, cp := range packs {
		judged, total := 0, 0
		for _, c := range cov {
			if c.Pack != cp.Pack.ID {
				continue
			}
			total++
			if len(c.Lacking) == 0 {
				judged++
			}
		}
		parts = append(parts, fmt.Sprintf("%d of the %d rules of %s", judged, total, cp.Pack.ID))
	}
	return fmt.Sprintf("%s records can be judged by %s; the others give insufficient_data (wtcheck import --coverage %s says why)", format, strings.Join(parts, ", "), format)
}

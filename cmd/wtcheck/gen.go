package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/internal/testgen"
	"github.com/wtcheck/wtcheck/source/ssd/ssdgen"
)

// formatSSDCSV writes SSD tables, one CSV file per table, in a folder.
const formatSSDCSV = "ssd-csv"

type genFlags struct {
	cases  int
	seed   uint64
	format string
	output string
	times  bool
}

func newGenCommand(stdin io.Reader) *cobra.Command {
	f := &genFlags{}
	cmd := &cobra.Command{
		Use:   "gen --cases N [--seed S] [--format case|cin-census|ssd-csv] [-o FILE|DIR] [FILE...]",
		Short: "Write deterministic, realistic synthetic records for demos, tests and benchmarks",
		Long: `Gen writes N synthetic children (no real child: ids G-0000000000 on, made-up dates) as
case records (NDJSON) or as a CIN census XML return. Each child has one to three referrals
received from April 2010 to the extract date (` + testgen.Extract.String() + `), so every edition is
exercised, with assessments, strategy discussions and section 47 enquiries, initial and review
conferences, and child protection plans with core groups and visits, in round national
proportions: a few percent late, some work still pending at the extract date, and a few
percent of dates not recorded. The same --cases, --seed and --format give the same bytes.

--format ssd-csv writes the tables of the Standard Safeguarding Dataset (SSD), one CSV file per
table under the SSD's column names, in a new or empty folder (-o DIR) that wtcheck check
--input-format ssd reads: N made-up records the SSD can hold whole, or, given case record
files, those records (what the SSD cannot hold is dropped: decision dates, strategy
discussions, core groups, who chaired).`,
		Example: `  wtcheck gen --cases 1000 --seed 1 -o cases.ndjson
  wtcheck gen --cases 33200 --format cin-census -o census.xml
  wtcheck gen --cases 6 --format ssd-csv -o ssd/
  wtcheck gen --format ssd-csv -o ssd/ cases.ndjson`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.format == formatSSDCSV {
				return genSSD(cmd, stdin, f, args)
			}
			if len(args) > 0 {
				return fmt.Errorf("%s: only --format %s reads case records", args[0], formatSSDCSV)
			}
			if f.cases < 1 {
				return fmt.Errorf("--cases %d: want 1 or more", f.cases)
			}
			switch f.format {
			case testgen.FormatCase, testgen.FormatCINCensus:
			default:
				return fmt.Errorf("--format %q: want %s or %s", f.format, strings.Join(testgen.Formats, ", "), formatSSDCSV)
			}
			var outs outputs
			defer outs.abort()
			out, err := outs.open("-o", f.output, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			if err := testgen.WriteFormat(out, f.format, f.cases, f.seed); err != nil {
				return err
			}
			return out.Commit()
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.cases, "cases", 0, "how many children to write (required)")
	fl.Uint64Var(&f.seed, "seed", 1, "the seed: the same seed gives the same records")
	fl.StringVar(&f.format, "format", testgen.FormatCase, "what to write: "+strings.Join(testgen.Formats, " (NDJSON case records) or ")+" (a CIN census XML return)")
	fl.StringVarP(&f.output, "output", "o", "", "write to this file instead of standard output (with ssd-csv: the folder, new or empty)")
	fl.BoolVar(&f.times, "times", true, "with ssd-csv: write a time of day on visits, conferences and referrals, as real extracts have")
	return cmd
}

// genSSD writes SSD tables in a new or empty folder: --cases made-up records, or the case
// records of the files given.
func genSSD(cmd *cobra.Command, stdin io.Reader, f *genFlags, args []string) error {
	if f.output == "" {
		return errors.New("-o: give the folder to write the tables in")
	}
	if (f.cases > 0) == (len(args) > 0) {
		return errors.New("give either --cases N or the case record files to write")
	}
	if entries, err := os.ReadDir(f.output); err == nil && len(entries) > 0 {
		return fmt.Errorf("-o %s: the folder is not empty: gen writes into a new or empty folder", f.output)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("-o %s: %w", f.output, err)
	}
	if err := os.MkdirAll(f.output, 0o755); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	w, err := ssdgen.Create(f.output, ssdgen.Options{Times: f.times})
	if err != nil {
		return err
	}
	written, skipped := 0, 0
	if f.cases > 0 {
		for _, c := range ssdgen.Synthetic(f.cases, f.seed, testgen.Extract) {
			if err := w.Add(c); err != nil {
				w.Close()
				return err
			}
			written++
		}
	} else {
		reader := &batch.Reader{Stdin: stdin}
		files, err := reader.Files(args)
		if err != nil {
			w.Close()
			return err
		}
		for _, file := range files {
			err := reader.ReadFile(file, func(rec batch.Record) error {
				if rec.Err != nil {
					skipped++
					fmt.Fprintf(cmd.ErrOrStderr(), "wtcheck: %s record %d: %s\n", rec.File, rec.Index, strings.ReplaceAll(rec.Err.Error(), "\n", "; "))
					return nil
				}
				if rec.Case == nil {
					skipped++ // an incident or arrangements record: the SSD has no table for it
					return nil
				}
				written++
				return w.Add(rec.Case)
			})
			if err != nil {
				w.Close()
				return err
			}
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "wtcheck: wrote %d %s as SSD tables in %s", written, plural(written, "record", "records"), f.output)
	if skipped > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "; %d skipped", skipped)
	}
	fmt.Fprintln(cmd.ErrOrStderr())
	return nil
}

package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source/ssd/ssdgen"
)

// genFormats are what `wtcheck gen` writes.
var genFormats = []string{"ssd-csv"}

func newGenCommand(stdin io.Reader) *cobra.Command {
	var (
		format, output, extract string
		synthetic               int
		seed                    uint64
		times                   bool
	)
	cmd := &cobra.Command{
		Use:   "gen --format ssd-csv -o DIR [FILE...]",
		Short: "Write case records, or synthetic ones, as Standard Safeguarding Dataset tables",
		Long: `Gen writes case records as the tables of the Standard Safeguarding Dataset (SSD), one CSV
file per table under the SSD's column names, in a new folder that wtcheck check --input-format
ssd reads: for trying the SSD source, and for tests. It writes what the SSD can hold and drops
the rest (decision dates, strategy discussions, core groups, who chaired); each id gets its case
id (and referral id) before it, as the SSD's ids are unique per table.

With --synthetic N it writes N made-up records instead (no real child), records the SSD can
hold whole, the same for the same --seed and --extract-date.`,
		Example: `  wtcheck gen --format ssd-csv --synthetic 6 --extract-date 2024-12-31 -o ssd/
  wtcheck gen --format ssd-csv -o ssd/ cases.ndjson`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "ssd-csv" {
				return fmt.Errorf("--format %q: want %s", format, strings.Join(genFormats, ", "))
			}
			if output == "" {
				return errors.New("-o: give the folder to write the tables in")
			}
			if (synthetic > 0) == (len(args) > 0) {
				return errors.New("give either --synthetic N or the case record files to write")
			}
			if entries, err := os.ReadDir(output); err == nil && len(entries) > 0 {
				return fmt.Errorf("-o %s: the folder is not empty: gen writes into a new or empty folder", output)
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("-o %s: %w", output, err)
			}
			if err := os.MkdirAll(output, 0o755); err != nil {
				return fmt.Errorf("-o: %w", err)
			}
			w, err := ssdgen.Create(output, ssdgen.Options{Times: times})
			if err != nil {
				return err
			}
			written, skipped := 0, 0
			if synthetic > 0 {
				day := record.DateOf(time.Now())
				if extract != "" {
					if day, err = record.ParseDate(extract); err != nil {
						w.Close()
						return fmt.Errorf("--extract-date: %w", err)
					}
				}
				for _, c := range ssdgen.Synthetic(synthetic, seed, day) {
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
				for _, f := range files {
					err := reader.ReadFile(f, func(rec batch.Record) error {
						if rec.Err != nil {
							skipped++
							fmt.Fprintf(cmd.ErrOrStderr(), "wtcheck: %s record %d: %s\n", rec.File, rec.Index, strings.ReplaceAll(rec.Err.Error(), "\n", "; "))
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
			fmt.Fprintf(cmd.ErrOrStderr(), "wtcheck: wrote %d %s as SSD tables in %s", written, plural(written, "record", "records"), output)
			if skipped > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "; %d skipped", skipped)
			}
			fmt.Fprintln(cmd.ErrOrStderr())
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "", "what to write: "+strings.Join(genFormats, ", "))
	fl.StringVarP(&output, "output", "o", "", "the folder to write the tables in (new or empty)")
	fl.IntVar(&synthetic, "synthetic", 0, "write N made-up records instead of reading case records")
	fl.Uint64Var(&seed, "seed", 1, "with --synthetic: the seed of the made-up records")
	fl.StringVar(&extract, "extract-date", "", "with --synthetic: the day the made-up extract describes (default today)")
	fl.BoolVar(&times, "times", true, "write a time of day on visits, conferences and referrals, as real extracts have")
	return cmd
}

package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/internal/testgen"
)

type genFlags struct {
	cases  int
	seed   uint64
	format string
	output string
}

func newGenCommand() *cobra.Command {
	f := &genFlags{}
	cmd := &cobra.Command{
		Use:   "gen --cases N [--seed S] [--format case|cin-census] [-o FILE]",
		Short: "Write deterministic, realistic synthetic records for demos, tests and benchmarks",
		Long: `Gen writes N synthetic children (no real child: ids G-0000000000 on, made-up dates) as
case records (NDJSON) or as a CIN census XML return. Each child has one to three referrals
received from April 2010 to the extract date (` + testgen.Extract.String() + `), so every edition is
exercised, with assessments, strategy discussions and section 47 enquiries, initial and review
conferences, and child protection plans with core groups and visits, in round national
proportions: a few percent late, some work still pending at the extract date, and a few
percent of dates not recorded. The same --cases, --seed and --format give the same bytes.`,
		Example: `  wtcheck gen --cases 1000 --seed 1 -o cases.ndjson
  wtcheck gen --cases 33200 --format cin-census -o census.xml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.cases < 1 {
				return fmt.Errorf("--cases %d: want 1 or more", f.cases)
			}
			switch f.format {
			case testgen.FormatCase, testgen.FormatCINCensus:
			default:
				return fmt.Errorf("--format %q: want %s", f.format, strings.Join(testgen.Formats, " or "))
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
	fl.StringVarP(&f.output, "output", "o", "", "write to this file instead of standard output")
	return cmd
}

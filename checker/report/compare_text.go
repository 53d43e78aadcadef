package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wtcheck/wtcheck/checker/compare"
)

// ComparisonWriter writes an edition comparison in one format.
type ComparisonWriter func(w io.Writer, c *compare.Comparison) error

// LookupComparison finds the writer of a comparison format (one of the table's formats with
// a Comparison writer).
func LookupComparison(format string) (ComparisonWriter, error) {
	f := LookupFormat(format)
	if f == nil || f.Comparison == nil {
		return nil, fmt.Errorf("unknown format %q for a comparison (want csv, json, markdown or text)", format)
	}
	return f.Comparison, nil
}

// ComparisonText writes the comparison as tables for a terminal.
func ComparisonText(w io.Writer, c *compare.Comparison) error {
	ew := &errWriter{w: w}
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Compliance by rule (met / met + breach):\n")
	fmt.Fprintf(tw, "RULE\t%s\n", strings.Join(c.Editions, "\t"))
	for _, row := range c.Rules {
		var cells []string
		for _, ed := range c.Editions {
			cells = append(cells, RateText(row.Cells[ed]))
		}
		fmt.Fprintf(tw, "%s\t%s\n", row.Rule, strings.Join(cells, "\t"))
	}
	_ = tw.Flush()
	if len(c.OnlyIn) > 0 {
		fmt.Fprintln(ew, "\nRules not in every edition:")
		for _, row := range c.Rules {
			if in, ok := c.OnlyIn[row.Rule]; ok {
				fmt.Fprintf(ew, "  %s: only %s\n", row.Rule, strings.Join(in, ", "))
			}
		}
	}
	fmt.Fprintf(ew, "\nOutcomes that differ between editions (%d):\n", c.Differences.Len())
	for d := range c.Differences.All() {
		fmt.Fprintf(ew, "  %s %s: %s\n", plain(d.Label()), d.Requirement, plain(d.Reason))
	}
	if err := c.Differences.Err(); err != nil {
		return err
	}
	if len(c.NotCovered) > 0 {
		fmt.Fprintf(ew, "\nNot covered in the in-force column: %d %s received when no loaded pack was in force\n", len(c.NotCovered), plural(len(c.NotCovered), "referral", "referrals"))
		for _, n := range c.NotCovered {
			fmt.Fprintf(ew, "  %s %s, received %s\n", plain(n.CaseID), plain(n.Referral), n.Received)
		}
	}
	if len(c.Errors) > 0 {
		fmt.Fprintf(ew, "\nErrors (%d):\n", len(c.Errors))
		for _, e := range c.Errors {
			fmt.Fprintf(ew, "  %s\n", ErrorLine(e))
		}
	}
	if len(c.Warnings) > 0 {
		fmt.Fprintf(ew, "\nWarnings (%d):\n", len(c.Warnings))
		for _, w := range c.Warnings {
			fmt.Fprintf(ew, "  %s\n", WarningLine(w))
		}
	}
	s := c.Summary
	warnings := ""
	if s.Warnings > 0 {
		warnings = fmt.Sprintf(", %d %s", s.Warnings, plural(s.Warnings, "warning", "warnings"))
	}
	fmt.Fprintf(ew, "\n%s compared under %s (%d %s read, %d skipped%s)\n", RecordsChecked(s),
		strings.Join(c.Editions, ", "), s.RecordsRead, plural(s.RecordsRead, "record", "records"), s.RecordsSkipped, warnings)
	return ew.err
}

package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/wtcheck/wtcheck/checker/compare"
)

// ComparisonMarkdown writes the comparison as Markdown tables.
func ComparisonMarkdown(w io.Writer, c *compare.Comparison) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "## Compliance by edition\n\n%d %s, compliance = met / (met + breach).\n\n", c.Summary.Cases, plural(c.Summary.Cases, "case", "cases"))
	fmt.Fprintf(ew, "| rule | %s |\n|---|%s\n", strings.Join(c.Editions, " | "), strings.Repeat("---:|", len(c.Editions)))
	for _, row := range c.Rules {
		var cells []string
		for _, ed := range c.Editions {
			cells = append(cells, RateText(row.Cells[ed]))
		}
		fmt.Fprintf(ew, "| `%s` | %s |\n", row.Rule, strings.Join(cells, " | "))
	}
	fmt.Fprintf(ew, "\n### Outcomes that differ between editions (%d)\n\n", c.Differences.Len())
	if c.Differences.Len() > 0 {
		fmt.Fprintln(ew, "| case | subject | requirement | reason |")
		fmt.Fprintln(ew, "|---|---|---|---|")
		for d := range c.Differences.All() {
			fmt.Fprintf(ew, "| %s | %s | `%s` | %s |\n", mdCell(d.RecordID()), mdCell(d.Where()), d.Requirement, mdCell(d.Reason))
		}
	}
	if err := c.Differences.Err(); err != nil {
		return err
	}
	return ew.err
}

package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/wtcheck/wtcheck/checker/compare"
)

// ComparisonCSV writes one row per rule and edition, for a spreadsheet: the counts and the
// compliance rate as a fraction (empty when nothing was decided). The differences between
// editions are in the other formats.
func ComparisonCSV(w io.Writer, c *compare.Comparison) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write([]string{"rule", "edition", "in_edition", "timescale", "applicable", "met", "breach", "pending", "not_applicable", "insufficient_data", "compliance_rate"}); err != nil {
		return err
	}
	for _, row := range c.Rules {
		for _, ed := range c.Editions {
			cell := row.Cells[ed]
			rate := ""
			if r, ok := cell.Rate(); ok {
				rate = fmt.Sprintf("%.4f", r)
			}
			rec := []string{row.Rule, ed, strconv.FormatBool(cell.Present), cell.Timescale, strconv.Itoa(cell.Applicable), strconv.Itoa(cell.Met),
				strconv.Itoa(cell.Breach), strconv.Itoa(cell.Pending), strconv.Itoa(cell.NotApplicable), strconv.Itoa(cell.InsufficientData), rate}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

package report

import (
	"encoding/json"
	"io"

	"github.com/wtcheck/wtcheck/checker/compare"
)

// ComparisonJSON writes the whole comparison as one JSON document.
func ComparisonJSON(w io.Writer, c *compare.Comparison) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(c)
}

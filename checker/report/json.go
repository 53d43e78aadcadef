package report

import (
	"encoding/json"
	"io"

	"github.com/wtcheck/wtcheck/checker"
)

// JSON writes the whole report as one indented JSON document (findings-format.md).
func JSON(w io.Writer, r *checker.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

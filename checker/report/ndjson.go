package report

import (
	"encoding/json"
	"io"

	"github.com/wtcheck/wtcheck/checker"
)

// NDJSON writes one finding per line, the same objects as the JSON format's findings, for
// streaming into other tools. Errors and the summary are not findings and are left out; the
// command prints the summary on standard error.
func NDJSON(w io.Writer, r *checker.Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for f := range r.Scanned() {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return r.ListErr()
}

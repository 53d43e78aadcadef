package report

import (
	"io"

	"github.com/wtcheck/wtcheck/checker"
)

// NDJSON writes one finding per line, the same objects as the JSON format's findings, for
// streaming into other tools. Errors and the summary are not findings and are left out; the
// command prints the summary on standard error.
func NDJSON(w io.Writer, r *checker.Report) error {
	enc := newFindingJSON("", false)
	for f := range r.Scanned() {
		line := append(enc.encode(f), '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return r.ListErr()
}

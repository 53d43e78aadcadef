// Package report writes a check's report in each output format, one small file per format.
// It reads the engine's types and never the other way round.
package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
)

// Writer writes a report in one format.
type Writer func(w io.Writer, r *checker.Report) error

// Formats lists the list formats' names (the table's formats with a Writer), sorted.
func Formats() []string {
	var out []string
	for _, f := range formats {
		if f.Write != nil {
			out = append(out, f.Name)
		}
	}
	slices.Sort(out)
	return out
}

// Lookup finds the writer of a list format.
func Lookup(format string) (Writer, error) {
	f := LookupFormat(format)
	if f == nil || f.Write == nil {
		return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats(), ", "))
	}
	return checkList(f.Write), nil
}

// LookupWithNotes is Lookup for a command that prints what a writer has to say besides the
// report (what SARIF left out to stay within code scanning's limits) with notify.
func LookupWithNotes(format string, notify func(string)) (Writer, error) {
	if f := LookupFormat(format); f != nil && f.WriteWithNotes != nil && notify != nil {
		return checkList(f.WriteWithNotes(notify)), nil
	}
	return Lookup(format)
}

// checkList makes a writer fail when the report's findings could not all be read back (a
// run spilled to disk that went missing, say), so that no partial report passes as whole.
func checkList(write Writer) Writer {
	return func(w io.Writer, r *checker.Report) error {
		if err := write(w, r); err != nil {
			return err
		}
		return r.ListErr()
	}
}

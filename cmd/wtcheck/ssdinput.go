package main

import (
	"fmt"
	"io"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/source/ssd"
)

// openSSD opens every input of an SSD run before anything is checked: a folder without its
// required tables, a table without a column, or a database that cannot be reached stops the
// command (exit 2). A table that is missing is said on standard error with the rules it
// costs. Other formats need nothing: it returns a no-op closer.
func openSSD(r *batch.Reader, paths []string, packs []*checker.CompiledPack, stderr io.Writer) (func(), error) {
	src, ok := r.Source.(*ssd.Source)
	if !ok {
		return func() {}, nil
	}
	readers, err := src.Prepare(paths)
	if err != nil {
		return nil, err
	}
	for _, sr := range readers {
		if len(sr.Missing) == 0 {
			continue
		}
		rules := checker.CaseRulesLacking(packs, sr.MissingLacks())
		fmt.Fprintf(stderr, "wtcheck: %s\n", sr.MissingNote(sr.Name(), rules))
	}
	return func() { src.Close() }, nil
}

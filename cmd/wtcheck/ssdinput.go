package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/source"
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
		var gs []source.Gap
		for _, p := range sr.MissingLacks() {
			gs = append(gs, source.Gap{Path: p})
		}
		var costs []string
		seen := map[string]bool{}
		for _, c := range ruleCoverage(packs, gs) {
			if len(c.Lacking) > 0 && !seen[c.Rule] {
				seen[c.Rule] = true
				costs = append(costs, c.Rule)
			}
		}
		cost := "no rule needs them"
		if len(costs) > 0 {
			cost = "so " + strings.Join(costs, ", ") + " give insufficient_data"
		}
		fmt.Fprintf(stderr, "wtcheck: %s has no %s: its facts are read as not recordable, %s\n", sr.Name(), strings.Join(sr.Missing, ", "), cost)
	}
	return func() { src.Close() }, nil
}

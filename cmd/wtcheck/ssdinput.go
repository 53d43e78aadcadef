package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/source/dfeapi"
	"github.com/wtcheck/wtcheck/source/ssd"
)

// The input formats of the SSD's tables and the DfE API payload.
const (
	formatSSD    = ssd.Format
	formatDfEAPI = dfeapi.Format
)

// extractDay is the extract date of records whose source has none (the SSD, the API
// payload): the as-of date, else today.
func extractDay(asOf checker.Date) checker.Date {
	if !asOf.IsZero() {
		return asOf
	}
	return checker.DateOf(time.Now())
}

// ssdReader sets r up to read SSD folders or databases whole: each path is opened (and its
// tables and columns checked) before anything is checked, by openSSD.
func (in *inputFlags) ssdReader(r *batch.Reader, asOf checker.Date) {
	r.Format = "a folder of SSD tables as CSV (ssd_person.csv, …) or a postgres:// URL, as --input-format ssd says"
	r.Whole = true
	in.ssdOpts = ssd.Options{ExtractDate: extractDay(asOf)}
	r.Import = func(path string, fn func(batch.Record) error) error {
		sr := in.ssdOpened[path]
		if sr == nil {
			return errors.New("not opened") // openSSD opens every path first
		}
		defer sr.Close()
		return sr.Read(func(rec ssd.Record) error {
			return fn(batch.Record{File: sr.Name(), Index: rec.Index, CaseID: rec.PersonID, Case: rec.Case, Err: rec.Err,
				Warnings: rec.Warnings, Due: rec.Due})
		})
	}
}

// openSSD opens every SSD input before anything is checked: a folder without its required
// tables, a table without a column, or a database that cannot be reached stops the command
// (exit 2). A table that is missing is said on standard error with the rules it costs.
func (in *inputFlags) openSSD(paths []string, packs []*checker.CompiledPack, stderr io.Writer) error {
	if in.format != formatSSD {
		return nil
	}
	in.ssdOpened = map[string]*ssd.Reader{}
	for _, p := range paths {
		var (
			r   *ssd.Reader
			err error
		)
		if ssd.IsDatabaseURL(p) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			r, err = ssd.OpenPostgres(ctx, p, in.ssdOpts)
			cancel()
			if err == nil {
				// The reading itself has no deadline: a large extract takes as long as it takes.
				r, err = reopen(r, p, in.ssdOpts)
			}
		} else {
			r, err = ssd.OpenDir(p, in.ssdOpts)
		}
		if err != nil {
			in.closeSSD()
			return err
		}
		in.ssdOpened[p] = r
		if len(r.Missing) > 0 {
			var costs []string
			for _, c := range ruleCoverage(packs, lackGaps(r.MissingLacks())) {
				if len(c.Lacking) > 0 {
					costs = append(costs, c.Pack+"/"+c.Rule)
				}
			}
			fmt.Fprintf(stderr, "wtcheck: %s has no %s: its facts are read as not recordable, so %s give insufficient_data\n",
				r.Name(), strings.Join(r.Missing, ", "), orNone(dedupeRules(costs)))
		}
	}
	return nil
}

// reopen opens the database again with a context that never ends: the first opening, with a
// deadline, showed it can be reached and has the tables.
func reopen(r *ssd.Reader, url string, opts ssd.Options) (*ssd.Reader, error) {
	r.Close()
	return ssd.OpenPostgres(context.Background(), url, opts)
}

func (in *inputFlags) closeSSD() {
	for _, r := range in.ssdOpened {
		r.Close()
	}
}

func lackGaps(paths []string) []gap {
	out := make([]gap, len(paths))
	for i, p := range paths {
		out[i] = gap{Path: p}
	}
	return out
}

// dedupeRules says which rules a list of pack/rule names holds, each rule once.
func dedupeRules(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, pr := range list {
		rule := pr[strings.IndexByte(pr, '/')+1:]
		if !seen[rule] {
			seen[rule] = true
			out = append(out, rule)
		}
	}
	return out
}

func orNone(rules []string) string {
	if len(rules) == 0 {
		return "no rule needs them and none"
	}
	return strings.Join(rules, ", ")
}

// dfeAPIReader sets r up to read the DfE API payload: purge and partial payloads are records
// not checked, each said with why.
func dfeAPIReader(r *batch.Reader, stdin io.Reader, asOf checker.Date) {
	r.Format = "the DfE children's social care API payload, as --input-format dfe-api says"
	r.Extensions = []string{".json", ".ndjson", ".jsonl"}
	opts := dfeapi.Options{ExtractDate: extractDay(asOf)}
	r.Import = func(path string, fn func(batch.Record) error) error {
		var src io.Reader = stdin
		if path != "-" {
			f, err := os.Open(path)
			if err != nil {
				return fn(batch.Record{File: path, Err: fmt.Errorf("open: %w", err)})
			}
			defer f.Close()
			src = f
		}
		return dfeapi.Read(src, opts, func(rec dfeapi.Record) error {
			out := batch.Record{File: path, Index: rec.Index, CaseID: rec.ChildID, Case: rec.Case, Err: rec.Err, Warnings: rec.Warnings}
			if why := rec.NotChecked(); why != "" {
				out.Err = errors.New("not checked: " + why)
			}
			return fn(out)
		})
	}
}

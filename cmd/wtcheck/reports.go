package main

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/internal/safefile"
)

// extraReport is a report that -o FORMAT=PATH adds to a check: written from the same pass over
// the cases as the --format report.
type extraReport struct {
	format, path string
	out          *safefile.Output
	write        report.Writer
	show         []checker.Status
}

// splitOutputs splits the -o values: PATH is the --format report's file (one at most; none is
// standard output), FORMAT=PATH adds a report in that format. A value whose part before "=" is
// a word but no format is refused rather than taken for a file name: -o jsn=out.json is a typo,
// and ./jsn=out.json says a file was meant.
func splitOutputs(values []string) (primary string, extras []extraReport, err error) {
	formats := append(report.Formats(), report.AuditFormats()...)
	for _, v := range values {
		name, path, ok := strings.Cut(v, "=")
		if ok && isWord(name) {
			switch {
			case slices.Contains(report.AuditFormats(), name):
				return "", nil, fmt.Errorf("-o %s: %s is an audit report, written by a pass of its own (wtcheck report --format %s, or check --format %s -o PATH)", v, name, name, name)
			case !slices.Contains(formats, name):
				return "", nil, fmt.Errorf("-o %s: unknown format %q (want FORMAT=PATH with one of %s, or a path; write ./%s for a file of that name)", v, name, strings.Join(report.Formats(), ", "), v)
			case path == "":
				return "", nil, fmt.Errorf("-o %s: no file named", v)
			}
			extras = append(extras, extraReport{format: name, path: path})
			continue
		}
		if primary != "" {
			return "", nil, fmt.Errorf("-o %s and -o %s: the --format report goes to one file; name the format of each other report (-o sarif=%s)", primary, v, v)
		}
		primary = v
	}
	stdout := 0
	for _, p := range append([]string{cmp.Or(primary, "-")}, pathsOf(extras)...) {
		if p == "-" || p == "/dev/stdout" {
			stdout++
		}
	}
	if stdout > 1 {
		return "", nil, fmt.Errorf("-o: %d reports to standard output would be mixed into one: give each but one a file", stdout)
	}
	return primary, extras, nil
}

func pathsOf(extras []extraReport) []string {
	var out []string
	for _, e := range extras {
		out = append(out, e.path)
	}
	return out
}

func isWord(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) < 0
}

// showFor is what a report in format lists: --show when given, else the format's default (a
// test report needs what passed as well as what failed; code scanning shows every result as
// an alert).
func showFor(cmd *cobra.Command, format, show string) ([]checker.Status, error) {
	if f := report.LookupFormat(format); f != nil && f.Show != "" && !cmd.Flags().Changed("show") {
		show = f.Show
	}
	return parseShow(show)
}

// openExtras opens the FORMAT=PATH reports (outs refuses two that are one file, and, later, an
// input among them) and looks up their writers; notify is told what a writer leaves out.
func openExtras(cmd *cobra.Command, outs *outputs, extras []extraReport, show string, notify func(string)) error {
	for i := range extras {
		e := &extras[i]
		var err error
		if e.out, err = outs.open("-o", e.path, cmd.OutOrStdout()); err != nil {
			return err
		}
		if e.write, err = report.LookupWithNotes(e.format, notify); err != nil {
			return err
		}
		if e.show, err = showFor(cmd, e.format, show); err != nil {
			return err
		}
	}
	return nil
}

// listedUnion is every status some report lists: the pass lists those, and each report then
// walks only its own.
func listedUnion(show []checker.Status, extras []extraReport) []checker.Status {
	all := slices.Clone(show)
	for _, e := range extras {
		for _, st := range e.show {
			if !slices.Contains(all, st) {
				all = append(all, st)
			}
		}
	}
	return all
}

// messagesShown reports whether a report in the --format format, or one of the FORMAT=PATH
// reports, shows findings' messages or notes: when none does, the check keeps its listed
// findings without them.
func messagesShown(format string, extras []extraReport) bool {
	return report.ShowsMessages(format) || slices.ContainsFunc(extras, func(e extraReport) bool { return report.ShowsMessages(e.format) })
}

// writeExtras writes every FORMAT=PATH report into its temporary file. None is committed
// here: the command commits them all once every report is written, so that a failure leaves
// every old report in place rather than a new SARIF beside last night's JUnit.
func writeExtras(rep *checker.Report, listed []checker.Status, extras []extraReport) error {
	for _, e := range extras {
		if err := e.write(e.out, showing(rep, listed, e.show)); err != nil {
			return err
		}
	}
	return nil
}

// commitAll puts every report in place once all are written: each is prepared (a file's
// temporary file written out and closed; standard output, a device or a pipe finished, as they
// cannot be held back), and only then is any file renamed into place. A report that cannot be
// written ends the command with every file as it was (the deferred abort removes the others'
// temporary files).
func commitAll(out *safefile.Output, extras []extraReport) error {
	all := []*safefile.Output{out}
	for _, e := range extras {
		all = append(all, e.out)
	}
	for _, o := range all {
		if err := o.Prepare(); err != nil {
			return err
		}
	}
	for _, o := range all {
		if err := o.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// showing is the report as a report listing only the statuses show would list: the same
// counts, errors and warnings, the findings of other statuses left out of the list. listed
// is what the pass listed.
func showing(rep *checker.Report, listed, show []checker.Status) *checker.Report {
	if !slices.ContainsFunc(listed, func(st checker.Status) bool { return !slices.Contains(show, st) }) {
		return rep
	}
	view := *rep
	if rep.Findings != nil {
		view.Findings = &filtered{list: rep.Findings, show: show}
	}
	return &view
}

// filtered is a finding list seen through a filter of statuses: walked, never copied, so a
// list spilled to disk stays there.
type filtered struct {
	list checker.FindingList
	show []checker.Status
	n    int // the count, once walked
	done bool
}

func (l *filtered) Len() int {
	if !l.done {
		for range l.All() {
			l.n++
		}
		l.done = true
	}
	return l.n
}

func (l *filtered) All() iter.Seq[*checker.Finding] {
	return func(yield func(*checker.Finding) bool) {
		for f := range l.list.All() {
			if slices.Contains(l.show, f.Status) && !yield(f) {
				return
			}
		}
	}
}

// Scan is All for a writer that keeps no finding past its turn (checker.FindingScanner).
func (l *filtered) Scan() iter.Seq[*checker.Finding] {
	return func(yield func(*checker.Finding) bool) {
		for f := range checker.ScanFindings(l.list) {
			if slices.Contains(l.show, f.Status) && !yield(f) {
				return
			}
		}
	}
}

func (l *filtered) Err() error { return l.list.Err() }

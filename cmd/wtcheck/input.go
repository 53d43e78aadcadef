package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source"
	"github.com/wtcheck/wtcheck/source/casejson"
	"github.com/wtcheck/wtcheck/source/cincensus"
	"github.com/wtcheck/wtcheck/source/registry"
)

// inputFormats are the source formats wtcheck reads, its own case records first: the names
// of the table in package source/registry.
var inputFormats = registry.Names()

// inputFlags choose how the batch is read: case records (the default) or a return that an
// importer turns into case records.
type inputFlags struct {
	format     string
	s47Proxy   bool
	allowEmpty bool
	tmpdir     string // --tmpdir, where a source may sort (the SSD's tables)
}

func (in *inputFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&in.format, "input-format", "case", "what the input is: "+strings.Join(inputFormats, ", ")+" (a CIN census XML return, an Ofsted Annex A workbook, a folder of SSD tables or a postgres:// URL, the DfE API payload)")
	cmd.Flags().BoolVar(&in.s47Proxy, "s47-start-as-strategy-discussion", false,
		"cin-census only: date each enquiry's strategy discussion on the section 47 start, the proxy the DfE's statistics use; every finding that rests on it says so")
	registerAllowEmpty(cmd, &in.allowEmpty)
}

// registerAllowEmpty adds --allow-empty: without it, an input that yields no case record (an
// empty file or array, a directory with no case files, a file that is not the declared
// --input-format) ends the command with exit status 2, because a nightly extract that
// failed to arrive must never pass as a clean run.
func registerAllowEmpty(cmd *cobra.Command, allow *bool) {
	cmd.Flags().BoolVar(allow, "allow-empty", false, "let an input that yields no case record (an empty file, an empty array, a directory with no case files) pass instead of exiting 2")
}

// passedOver collects the files a directory walk of the reader passes over, and returns what
// says so on standard error once the batch is read: said, not silent, because a case file
// with an unexpected name would otherwise vanish.
func passedOver(r *batch.Reader, redacted bool) func(stderr io.Writer) {
	var byName, notRegular []string
	r.Skipped = func(path string, why batch.SkipReason) {
		if why == batch.SkipNotRegular {
			notRegular = append(notRegular, path)
			return
		}
		byName = append(byName, path)
	}
	list := func(paths []string) string {
		if len(paths) <= 3 && !redacted { // a redacted run names no file: a name may hold a case id
			return strings.Join(paths, ", ")
		}
		return fmt.Sprintf("%d %s", len(paths), plural(len(paths), "file", "files"))
	}
	return func(stderr io.Writer) {
		if len(byName) > 0 {
			exts := ".json, .ndjson or .jsonl (or .gz) files"
			if r.Format != nil && r.Format.Name != casejson.Name {
				exts = strings.Join(r.Format.Extensions, " or ") + " files"
			}
			fmt.Fprintf(stderr, "wtcheck: passed over %s: not %s\n", list(byName), exts)
		}
		if len(notRegular) > 0 {
			// Never opened: a FIFO in a directory would wait for a writer for ever.
			fmt.Fprintf(stderr, "wtcheck: passed over %s: not regular files (a FIFO, device or socket in a directory is never opened; name it on its own to read it)\n", list(notRegular))
		}
	}
}

// emptyBatch explains a batch that yielded no case record (batch.EmptyError): the data
// errors that refused its records, on standard error, and then the error that ends the
// command with exit status 2. Other errors pass through.
func emptyBatch(stderr io.Writer, rep *checker.Report, err error) error {
	var empty *batch.EmptyError
	if !errors.As(err, &empty) || rep == nil {
		return err
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stderr, "wtcheck: %s\n", report.ErrorLine(e))
	}
	return fmt.Errorf("%w; a missing extract must not pass as a clean run (give --allow-empty if an empty batch is expected)", err)
}

// reader sets up the batch reader for the input format, from the table of formats. asOf is
// required for Annex A, which has no reference date of its own.
func (in *inputFlags) reader(r *batch.Reader, asOf record.Date) error {
	if in.s47Proxy && in.format != cincensus.Format {
		return fmt.Errorf("--s47-start-as-strategy-discussion goes with --input-format %s", cincensus.Format)
	}
	f, err := registry.Lookup(in.format)
	if err != nil {
		return fmt.Errorf("--input-format %q: want %s", in.format, strings.Join(inputFormats, ", "))
	}
	src, err := f.Open(in.options(asOf))
	if err != nil {
		return err
	}
	r.Format, r.Source = f, src
	return nil
}

// options are what the flags tell a source.
func (in *inputFlags) options(asOf record.Date) source.Options {
	return source.Options{AsOf: asOf, S47StartAsStrategyDiscussion: in.s47Proxy, TempDir: in.tmpdir}
}

// gaps lists what a source format cannot record.
func gaps(format string, s47Proxy bool) ([]source.Gap, error) {
	f, err := registry.Lookup(format)
	if err != nil {
		return nil, err
	}
	if f.Gaps == nil {
		return nil, nil
	}
	return f.Gaps(source.Options{S47StartAsStrategyDiscussion: s47Proxy}), nil
}

// coverage says, for each rule of each pack, whether a source format can give it a verdict
// and, where not, which facts it lacks.
type coverage struct {
	Pack, Rule string
	Lacking    []source.Gap
}

func ruleCoverage(packs []*checker.CompiledPack, gs []source.Gap) []coverage {
	var paths []string
	reasons := map[string]string{}
	for _, g := range gs {
		paths = append(paths, g.Path)
		reasons[g.Path] = g.Reason
	}
	var out []coverage
	for _, cp := range packs {
		for _, r := range cp.Pack.Rules {
			if r.Kind() != checker.KindCase {
				continue // the sources of cases give no incident or arrangements record
			}
			c := coverage{Pack: cp.Pack.ID, Rule: r.ID}
			for _, p := range cp.Lacking(r.ID, paths) {
				c.Lacking = append(c.Lacking, source.Gap{Path: p, Reason: reasons[p]})
			}
			out = append(out, c)
		}
	}
	return out
}

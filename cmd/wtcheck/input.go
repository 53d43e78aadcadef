package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/checker/importer/annexa"
	"github.com/wtcheck/wtcheck/checker/importer/cincensus"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/source/dfeapi"
	"github.com/wtcheck/wtcheck/source/ssd"
)

// inputFormats are the source formats wtcheck reads besides its own case records.
var inputFormats = []string{"case", cincensus.Format, annexa.Format, formatSSD, formatDfEAPI}

// inputFlags choose how the batch is read: case records (the default) or a return that an
// importer turns into case records.
type inputFlags struct {
	format     string
	s47Proxy   bool
	allowEmpty bool
	// The SSD's inputs, opened before the check (openSSD), by path.
	ssdOpts   ssd.Options
	ssdOpened map[string]*ssd.Reader
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
			if r.Import != nil {
				exts = strings.Join(r.Extensions, " or ") + " files"
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

// gap is a fact a source format cannot record, with why.
type gap struct{ Path, Reason string }

// reader builds the batch reader for the input format. asOf is required for Annex A, which
// has no reference date of its own.
func (in *inputFlags) reader(r *batch.Reader, asOf checker.Date) error {
	if in.s47Proxy && in.format != cincensus.Format {
		return fmt.Errorf("--s47-start-as-strategy-discussion goes with --input-format %s", cincensus.Format)
	}
	switch in.format {
	case "", "case":
		r.Format = "case records (wtcheck/case/v1), the default --input-format"
		return nil
	case cincensus.Format:
		r.Format = "a CIN census return, as --input-format cin-census says"
		opts := cincensus.Options{S47StartAsStrategyDiscussion: in.s47Proxy}
		r.Import = func(path string, fn func(batch.Record) error) error {
			if path == "-" {
				return cincensus.Read(r.Stdin, "-", opts, fn)
			}
			return cincensus.ReadFile(path, opts, fn)
		}
		r.Extensions = []string{".xml"}
	case annexa.Format:
		if asOf.IsZero() {
			return fmt.Errorf("--input-format %s: an Annex A workbook has no reference date: give --as-of", annexa.Format)
		}
		r.Format = "an Annex A workbook, as --input-format annex-a says"
		r.Import = func(path string, fn func(batch.Record) error) error {
			return annexa.ReadFile(path, annexa.Options{AsOf: asOf}, fn)
		}
		r.Extensions = []string{".xlsx"}
	case formatSSD:
		in.ssdReader(r, asOf)
	case formatDfEAPI:
		dfeAPIReader(r, r.Stdin, asOf)
	default:
		return fmt.Errorf("--input-format %q: want %s", in.format, strings.Join(inputFormats, ", "))
	}
	return nil
}

// gaps lists what a source format cannot record.
func gaps(format string, s47Proxy bool) ([]gap, error) {
	var out []gap
	switch format {
	case cincensus.Format:
		for _, g := range cincensus.Lacks(cincensus.Options{S47StartAsStrategyDiscussion: s47Proxy}) {
			out = append(out, gap(g))
		}
	case annexa.Format:
		for _, g := range annexa.Lacks() {
			out = append(out, gap(g))
		}
	case formatSSD:
		for _, g := range ssd.Lacks() {
			out = append(out, gap(g))
		}
	case formatDfEAPI:
		for _, g := range dfeapi.Lacks() {
			out = append(out, gap(g))
		}
	case "case":
	default:
		return nil, fmt.Errorf("unknown input format %q: want %s", format, strings.Join(inputFormats, ", "))
	}
	return out, nil
}

// coverage says, for each rule of each pack, whether a source format can give it a verdict
// and, where not, which facts it lacks.
type coverage struct {
	Pack, Rule string
	Lacking    []gap
}

func ruleCoverage(packs []*checker.CompiledPack, gs []gap) []coverage {
	var paths []string
	reasons := map[string]string{}
	for _, g := range gs {
		paths = append(paths, g.Path)
		reasons[g.Path] = g.Reason
	}
	var out []coverage
	for _, cp := range packs {
		for _, r := range cp.Pack.Rules {
			c := coverage{Pack: cp.Pack.ID, Rule: r.ID}
			for _, p := range cp.Lacking(r.ID, paths) {
				c.Lacking = append(c.Lacking, gap{Path: p, Reason: reasons[p]})
			}
			out = append(out, c)
		}
	}
	return out
}

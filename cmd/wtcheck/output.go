package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/wtcheck/wtcheck/checker/batch"
	"github.com/wtcheck/wtcheck/internal/safefile"
)

// The most a file read whole may hold: a pack, a holiday file, a baseline, a redaction key.
// Each is read into memory, so each is bounded; a larger file (or /dev/zero) is an error naming
// it. README.md ("Limits") lists every bound.
const (
	maxPackBytes     = 4 << 20  // the shipped packs are under 20 KiB each
	maxExampleBytes  = 4 << 20  // one file of pack examples
	maxHolidayBytes  = 1 << 20  // the shipped calendar of 28 years is 12 KiB
	maxBaselineBytes = 64 << 20 // about 550,000 breaches; decoded whole, so bounded tighter
	maxKeyBytes      = 64 << 10 // a redaction key
)

// readBounded reads a file whole, refusing one larger than limit; what names it in errors.
func readBounded(what, path string, limit int64) ([]byte, error) {
	data, err := safefile.ReadFile(path, limit)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return data, nil
}

// useWorkers checks --workers and holds the process to that many cores. 0 is a worker for
// each CPU Go may use; more than batch.MaxWorkers gains nothing and costs memory. N runs N
// workers on at most N cores (GOMAXPROCS), so that reading, decoding, the rules and the
// garbage collector share what was asked for: on a shared machine or a CI runner, --workers 1
// takes one core, not one and the collector's share of a second. It returns what gives the
// process its cores back, for the tests that run commands in one process.
func useWorkers(n int) (restore func(), err error) {
	if n < 0 || n > batch.MaxWorkers {
		return nil, fmt.Errorf("--workers %d: want 0 (one per CPU) to %d", n, batch.MaxWorkers)
	}
	if n == 0 || n >= runtime.GOMAXPROCS(0) {
		return func() {}, nil // never more cores than Go would use
	}
	before := runtime.GOMAXPROCS(n)
	return func() { runtime.GOMAXPROCS(before) }, nil
}

// outputs are the files a command writes, opened before the work that fills them so that a
// path that cannot be written, or that is one of the inputs, is refused before anything is
// checked. Abort (deferred) removes what was not committed.
type outputs struct {
	list []*safefile.Output
}

// open prepares the output a flag names; "" and "-" are standard output.
func (o *outputs) open(flag, path string, stdout io.Writer) (*safefile.Output, error) {
	if path == "" {
		path = "-"
	}
	out, err := safefile.Create(flag, path, stdout)
	if err != nil {
		return nil, err
	}
	for _, other := range o.list {
		if err := safefile.CheckDistinct(other, out); err != nil {
			out.Abort()
			return nil, err
		}
	}
	o.list = append(o.list, out)
	return out, nil
}

// abort gives up every output not committed.
func (o *outputs) abort() {
	for _, out := range o.list {
		out.Abort()
	}
}

// refuse fails when an output is one of the input files; what names their kind ("case file",
// "pack").
func (o *outputs) refuse(what string, paths ...string) error {
	return refuseInputs(o.list, what, paths...)
}

func refuseInputs(outs []*safefile.Output, what string, paths ...string) error {
	for _, out := range outs {
		for _, p := range paths {
			if err := out.CheckInput(what, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// refuseFlagInputs refuses an output that is a file a pack flag or the redaction flag reads.
func (o *outputs) refuseFlagInputs(pf *packFlags, rf *redactFlags) error {
	if err := o.refuse("pack", pf.packs...); err != nil {
		return err
	}
	if err := o.refuse("holiday file", pf.holidays...); err != nil {
		return err
	}
	if rf != nil && rf.keyFile != "" {
		return o.refuse("redaction key file", rf.keyFile)
	}
	return nil
}

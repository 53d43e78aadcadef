// Package source is what every input of wtcheck implements: a Source turns one Input (a file,
// standard input, a directory read whole, a database) into Records, each a decoded and
// validated record or the located reason it is not one. Each source lives in its own package
// under source/ and describes itself with a Format; the table of formats is package
// source/registry, which the command line, import --coverage and the documentation read.
//
// A source imports package record (the record types) and this package, never the runner
// (checker/batch), the engine's writers or the command line, so that it can be used on its
// own: by the runner, by a test, or by a browser build that hands it bytes.
package source

import (
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/record"
)

// Record is one record read from an input: a decoded, validated case, or the reason it is not
// one. Errors and warnings name the input and a field's path, never a value of the record.
type Record struct {
	File   string // the input's name as the batch gives it, or "-" for standard input
	Index  int    // 1-based position of the record in its input; 0 for a problem with the input itself
	CaseID string // the record's id when it could be read: its case_id, incident_id or area_id
	Case   *record.Case
	// Incident or Arrangements is set instead of Case for a record of those kinds
	// (incident-format.md): a batch may mix all three.
	Incident     *record.Incident
	Arrangements *record.Arrangements
	Err          error
	// Warnings are data warnings about a record that is still checked (an event after the
	// extract date, dates in an impossible order), each naming a path; the runner adds where
	// the record is. A reader of case records sets record.Warnings; an importer may name the
	// source's own fields instead (an XML element, a spreadsheet cell).
	Warnings []record.Warning
	// Due are the due dates the source system recorded for itself (the SSD's), which the
	// runner sets beside the ones the rules compute (checker.CompareDue).
	Due []record.SystemDue
}

// Input is one thing a source reads. The runner makes one for each file of a batch, for
// standard input, and (for a source that reads them whole) for a directory or a URL; a
// browser build makes one from bytes it was given.
type Input struct {
	// Name is what records and errors call the input: the path as found, "-" for standard
	// input, a file's name in the browser.
	Name string
	// Open opens the input's bytes. It is nil for an input that is not one stream (a
	// directory read whole, a database).
	Open func() (io.ReadCloser, error)
	// Dir is a directory the source reads whole (tables joined into records), or nil.
	Dir fs.FS
}

// ErrNoOpen is what a source that reads one stream returns for an input with no Open.
var ErrNoOpen = errors.New("the input is not a file")

// Source reads inputs.
type Source interface {
	// Read streams the records of one input to fn, in order. A problem with a record, or
	// with the input (it cannot be opened, it is cut short), reaches fn as a Record with Err
	// set; an error returned by fn stops the reading and is returned. An error Read returns
	// of its own is a problem with the whole input, which the runner reports like a bad
	// record.
	Read(in Input, fn func(Record) error) error
}

// Func adapts a function to Source.
type Func func(in Input, fn func(Record) error) error

// Read calls f.
func (f Func) Read(in Input, fn func(Record) error) error { return f(in, fn) }

// Gap is a fact a source cannot record: a provenance.lacks path (relative to a referral, as
// "strategy_discussions.agencies", or to the case), and why. import --coverage lists, for each
// rule, the gaps that keep it from a verdict.
type Gap struct {
	Path   string
	Reason string
}

// Options are what the command line can tell a source. Each source reads the fields that
// concern it and ignores the others.
type Options struct {
	// AsOf is the reference date the run uses, for a source that has none of its own
	// (Annex A); zero when not given.
	AsOf record.Date
	// S47StartAsStrategyDiscussion dates each enquiry's strategy discussion on the section
	// 47 start (the CIN census), the proxy the DfE's statistics use.
	S47StartAsStrategyDiscussion bool
	// MaxRecordBytes bounds one record of a text source; 0 is the source's default.
	MaxRecordBytes int
	// TempDir is where a source may write temporary files (the SSD sorts a table not in
	// person order there); "" is the system's temporary directory.
	TempDir string
}

// Format describes one source: a row of the table in package source/registry.
type Format struct {
	// Name is the --input-format value and provenance.format of its records.
	Name string
	// Description says what the input is, for help ("a CIN census XML return").
	Description string
	// Expect says what the files should be, for the message about an input that yields no
	// record ("a CIN census return, as --input-format cin-census says").
	Expect string
	// Extensions are the file names a directory walk reads (".xml"), lower case.
	Extensions []string
	// Whole says that each path of a batch is read whole, not walked for files: a folder of
	// tables joined into records (Input.Dir), or a database's URL (Input.Name alone).
	Whole bool
	// Gaps lists what the source cannot record under these options; nil for a source
	// that records everything the case format holds.
	Gaps func(Options) []Gap
	// Open makes the source for a run. It returns an error, before anything is read, for
	// options the source cannot work with (Annex A with no AsOf).
	Open func(Options) (Source, error)
}

// ReadsName reports whether a directory walk reads a file of this name for the format.
func (f *Format) ReadsName(name string) bool {
	lower := strings.ToLower(name)
	return slices.ContainsFunc(f.Extensions, func(ext string) bool { return strings.HasSuffix(lower, ext) })
}

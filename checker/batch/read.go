// Package batch is the runner: it expands the paths of a batch (files, directories, standard
// input), reads each through a source (package source; case records by default), finds
// duplicate case ids, and checks the records with the engine on parallel workers, keeping
// the findings sorted in bounded memory (spilling to temporary files past a budget). A bad
// record becomes an error entry that names its file and position; the rest of the batch goes
// on. It imports the engine (checker), package record and the sources, never a writer or the
// command line.
package batch

import (
	"github.com/wtcheck/wtcheck/source"
	"github.com/wtcheck/wtcheck/source/casejson"

	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Reader reads batches.
type Reader struct {
	Stdin          io.Reader // read for the path "-"
	MaxRecordBytes int       // 0 means DefaultMaxRecordBytes
	// Skipped is told about each file a directory walk passes over, and why: its name does not
	// end in an extension the reader reads, or it is not a regular file.
	Skipped func(path string, why SkipReason)
	// Format is what the files are: its extensions say which files a directory walk reads,
	// its Expect words an input that yields no record. Nil means case records
	// (casejson.InputFormat).
	Format *source.Format
	// Source reads each file: the format's source, opened with the run's options
	// (Format.Open). Nil means a case-record reader bounded by MaxRecordBytes.
	Source source.Source
	// Inputs are inputs opened already, by path: a path of the batch found here is read from
	// its Input (Open or Dir) as it stands, never looked for on the file system. A browser
	// build, which has bytes and no file system, names its files here.
	Inputs map[string]source.Input
}

// format is the reader's format: case records unless told otherwise.
func (r *Reader) format() *source.Format {
	if r.Format != nil {
		return r.Format
	}
	return &casejson.InputFormat
}

// Entry is a file of a batch, or a directory of it that could not be read (Err set).
type Entry struct {
	Path string
	Err  error
}

// SkipReason says why a directory walk passed over a file.
type SkipReason int

const (
	// SkipName: the file's name does not end in an extension the reader reads.
	SkipName SkipReason = iota
	// SkipNotRegular: not a regular file (a FIFO, a device, a socket, or a link to a
	// directory). A walk never opens one: a FIFO would wait for a writer for ever.
	SkipNotRegular
)

// Walk expands the paths of a batch into the files to read, in a stable order: each path as
// given, directories walked recursively in lexical order. A path named on the command line is
// read whatever it is (a named pipe is a legitimate stream); inside a directory only regular
// files are, and the others are passed over (see Skipped). A path that does not exist is an
// error, because a typo must not pass as an empty batch; a directory inside the walk that
// cannot be read is an Entry with Err, and the walk goes on. A path of Inputs is one file,
// as given.
func (r *Reader) Walk(paths []string) ([]Entry, error) {
	var out []Entry
	for _, p := range paths {
		if _, ok := r.Inputs[p]; ok || p == "-" || r.format().Whole {
			// A format read whole (a folder of tables, a database's URL) is handed the path
			// as it is: its source says whether it is there.
			out = append(out, Entry{Path: p})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read batch: %w", err)
		}
		if !info.IsDir() {
			out = append(out, Entry{Path: p})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if d == nil {
					return err // the named path itself went away
				}
				out = append(out, Entry{Path: path, Err: fmt.Errorf("the directory could not be read (%v): its files were not checked", unwrapPathError(err))})
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case !r.reads(d.Name()):
				r.skip(path, SkipName)
			case d.Type().IsRegular():
				out = append(out, Entry{Path: path})
			case d.Type()&fs.ModeSymlink != 0:
				// A link is followed to a regular file only.
				target, err := os.Stat(path)
				switch {
				case err != nil:
					out = append(out, Entry{Path: path, Err: fmt.Errorf("open: %v", unwrapPathError(err))})
				case target.Mode().IsRegular():
					out = append(out, Entry{Path: path})
				default:
					r.skip(path, SkipNotRegular)
				}
			default:
				r.skip(path, SkipNotRegular)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read batch %s: %w", p, err)
		}
	}
	return out, nil
}

// Files is Walk's paths alone, the directories that could not be read among them.
func (r *Reader) Files(paths []string) ([]string, error) {
	entries, err := r.Walk(paths)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Path
	}
	return out, nil
}

func (r *Reader) skip(path string, why SkipReason) {
	if r.Skipped != nil {
		r.Skipped(path, why)
	}
}

// unwrapPathError drops the path from an error about a path the message already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// reads reports whether a directory walk reads a file of this name.
func (r *Reader) reads(name string) bool {
	return r.format().ReadsName(name)
}

// ReadFile streams the records of one file to fn, in order, through the reader's source.
// Problems with a record, or with the file, reach fn as records with Err set; an error
// returned by fn stops the reading and is returned.
func (r *Reader) ReadFile(path string, fn func(Record) error) error {
	in, err := r.input(path)
	if err != nil {
		return fn(Record{File: path, Err: err})
	}
	return r.source().Read(in, fn)
}

// input is the source's input for a file of the batch, or "-".
func (r *Reader) input(path string) (source.Input, error) {
	if in, ok := r.Inputs[path]; ok {
		in.Name = path
		return in, nil
	}
	in := source.Input{Name: path}
	if r.format().Whole {
		// A folder of tables or a database, read whole: Dir for a folder, neither Open nor
		// Dir for a database's URL.
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			in.Dir = os.DirFS(path)
		}
		return in, nil
	}
	if path == "-" {
		if r.Stdin == nil {
			return in, errors.New("no standard input")
		}
		in.Open = func() (io.ReadCloser, error) { return io.NopCloser(r.Stdin), nil }
	} else {
		in.Open = func() (io.ReadCloser, error) { return os.Open(path) }
	}
	return in, nil
}

// source is the reader's source: case records unless told otherwise.
func (r *Reader) source() source.Source {
	if r.Source != nil {
		return r.Source
	}
	return &casejson.Reader{MaxRecordBytes: r.MaxRecordBytes}
}

// Record is one record read from a batch (source.Record).
type Record = source.Record

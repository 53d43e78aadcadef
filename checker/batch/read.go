// Package batch reads batches of case records (JSON, JSON arrays, NDJSON, gzip, directories,
// standard input) and checks them with the engine. A bad record becomes an error entry that
// names its file and position; the rest of the batch goes on.
package batch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wtcheck/wtcheck/checker"
)

// DefaultMaxRecordBytes bounds one record, so that a hostile or corrupt file (one endless
// line) cannot exhaust memory.
const DefaultMaxRecordBytes = 16 << 20

// Record is one record read from a batch: a decoded, validated case, or the reason it is not
// one.
type Record struct {
	File   string // the path as found, or "-" for standard input
	Index  int    // 1-based position of the record in its file; 0 for a problem with the file itself
	CaseID string // the record's case_id, when it could be read
	Case   *checker.Case
	Err    error
	// Warnings are data warnings about a record that is still checked (an event after the
	// extract date, dates in an impossible order), each with Path and Warning set; the batch
	// adds where the record is. A reader of case records sets checker.Warnings; an importer
	// may name the source's own fields instead (an XML element, a spreadsheet cell).
	Warnings []checker.RecordWarning
	// Due are the due dates the source system recorded for itself (the SSD's), which the
	// check sets beside the ones the rules compute (checker.CompareDue).
	Due []checker.SystemDue
}

// Reader reads batches.
type Reader struct {
	Stdin          io.Reader // read for the path "-"
	MaxRecordBytes int       // 0 means DefaultMaxRecordBytes
	// Skipped is told about each file a directory walk passes over, and why: its name does not
	// end in an extension the reader reads, or it is not a regular file.
	Skipped func(path string, why SkipReason)
	// Import, when set, reads each file instead of the JSON reader: an importer of another
	// source format (the CIN census, Annex A). Extensions then says which files a directory
	// walk reads.
	Import     func(path string, fn func(Record) error) error
	Extensions []string
	// Format names what the files should be (a CIN census return, say), for the message
	// about a file that yields no record.
	Format string
	// Whole hands each path to Import as it is, a directory or a database's URL read whole
	// (the SSD's tables), instead of walking it for files.
	Whole bool
}

// caseExtensions are the file names a directory walk reads.
var caseExtensions = []string{".json", ".ndjson", ".jsonl", ".json.gz", ".ndjson.gz", ".jsonl.gz"}

// IsCaseFile reports whether a directory walk reads the file.
func IsCaseFile(name string) bool {
	lower := strings.ToLower(name)
	return slices.ContainsFunc(caseExtensions, func(ext string) bool { return strings.HasSuffix(lower, ext) })
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
// cannot be read is an Entry with Err, and the walk goes on.
func (r *Reader) Walk(paths []string) ([]Entry, error) {
	var out []Entry
	for _, p := range paths {
		if p == "-" || r.Whole {
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
	if r.Import == nil {
		return IsCaseFile(name)
	}
	lower := strings.ToLower(name)
	return slices.ContainsFunc(r.Extensions, func(ext string) bool { return strings.HasSuffix(lower, ext) })
}

// ReadFile streams the records of one file to fn, in order. Problems with a record, or with
// the file, reach fn as records with Err set; an error returned by fn stops the reading and
// is returned.
func (r *Reader) ReadFile(path string, fn func(Record) error) error {
	if r.Import != nil {
		return r.Import(path, fn)
	}
	var in io.Reader
	name := path
	if path == "-" {
		if r.Stdin == nil {
			return fn(Record{File: path, Err: errors.New("no standard input")})
		}
		in = r.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return fn(Record{File: path, Err: fmt.Errorf("open: %w", err)})
		}
		defer f.Close()
		in = f
	}
	br := bufio.NewReaderSize(in, 64<<10)
	if strings.HasSuffix(strings.ToLower(name), ".gz") || isGzip(br) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fn(Record{File: path, Err: fmt.Errorf("read gzip: %w", err)})
		}
		defer zr.Close()
		name = strings.TrimSuffix(name, ".gz")
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	lower := strings.ToLower(name)
	first, err := firstByte(br)
	switch {
	case err == io.EOF:
		return nil // an empty file holds no records
	case err != nil:
		return fn(Record{File: path, Err: fmt.Errorf("read: %w", err)})
	case strings.HasSuffix(lower, ".ndjson") || strings.HasSuffix(lower, ".jsonl"):
		// The extension decides: a first line that happens to be an array is one bad
		// record, not a reason to read the whole file another way.
		return r.readLines(path, br, fn)
	case first == '[':
		return r.readArray(path, br, fn)
	case path == "-" && !opensMultiLine(br):
		// Standard input has no extension: NDJSON, unless its first line opens a JSON value
		// that goes on past it (a pretty-printed record, or several), which is read as a .json
		// file is. A first line that is whole, or malformed, is NDJSON's, so a bad first
		// record is one bad record and the rest are read.
		return r.readLines(path, br, fn)
	default:
		return r.readConcatenated(path, br, fn)
	}
}

// opensMultiLine reports whether the stream's first line is the opening part of a JSON value
// that does not end on it: "{" alone, say, as every pretty-printer writes.
func opensMultiLine(br *bufio.Reader) bool {
	for size := 512; ; size *= 2 {
		size = min(size, br.Size())
		buf, err := br.Peek(size)
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			var v any
			err := json.Unmarshal(buf[:i], &v)
			var syn *json.SyntaxError
			return errors.As(err, &syn) && syn.Error() == "unexpected end of JSON input"
		}
		if err != nil || size == br.Size() {
			return false // one line only, or a line longer than the buffer: NDJSON reads both
		}
	}
}

func isGzip(br *bufio.Reader) bool {
	b, err := br.Peek(2)
	return err == nil && b[0] == 0x1f && b[1] == 0x8b
}

// firstByte peeks at the first byte that is not white space or a byte-order mark.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			_, _ = br.ReadByte()
			continue
		case 0xef:
			if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
				_, _ = br.Discard(3)
				continue
			}
		}
		return b[0], nil
	}
}

func (r *Reader) maxBytes() int {
	if r.MaxRecordBytes > 0 {
		return r.MaxRecordBytes
	}
	return DefaultMaxRecordBytes
}

// readLines reads newline-delimited JSON: one record a line, blank lines ignored.
func (r *Reader) readLines(path string, br *bufio.Reader, fn func(Record) error) error {
	limit := r.maxBytes()
	index := 0
	for {
		line, tooLong, err := readLine(br, limit)
		partial := len(bytes.TrimSpace(line)) > 0 || tooLong
		if err != nil && err != io.EOF {
			// The stream broke (a gzip file cut short, a read error). A record it broke off
			// is that one record, reported with why; a break between records is reported
			// once, for the file.
			at := 0
			if partial {
				index++
				at = index
			}
			return fn(Record{File: path, Index: at, Err: describeReadError(err, at > 0, index)})
		}
		if partial {
			index++
			rec := Record{File: path, Index: index}
			if tooLong {
				rec.Err = fmt.Errorf("the record is longer than %d bytes", limit)
			} else {
				rec = decode(path, index, line)
			}
			if ferr := fn(rec); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// describeReadError words a stream that broke: inRecord when it broke inside a record, after
// the records before it were read.
func describeReadError(err error, inRecord bool, records int) error {
	what := fmt.Sprintf("read: %v", err)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		what = "the file ends early (is it cut short?)"
	}
	if inRecord {
		return fmt.Errorf("%s: the record is incomplete", what)
	}
	return fmt.Errorf("%s, after record %d; the rest of the file could not be read", what, records)
}

// readLine reads one line without its newline. A line over limit is read to its end and
// dropped, and tooLong is set, so one bad line costs no more memory than the limit.
func readLine(br *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			line = append(line, chunk...)
			// The limit is on the record, not on its line ending.
			if len(bytes.TrimRight(line, "\r\n")) > limit {
				tooLong, line = true, nil
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), tooLong, err
	}
}

// readArray reads a JSON array of records, one element at a time.
func (r *Reader) readArray(path string, br *bufio.Reader, fn func(Record) error) error {
	dec, bounded := r.boundedDecoder(br)
	if _, err := dec.Token(); err != nil {
		return fn(Record{File: path, Err: fmt.Errorf("malformed JSON: %v", err)})
	}
	index := 0
	for dec.More() {
		index++
		bounded.startRecord()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			// The decoder cannot find the next element after a syntax error: say so, and
			// that the rest of the file was not read.
			return fn(Record{File: path, Index: index, Err: fmt.Errorf("%s; the rest of the file could not be read", describeStreamError(err, r.maxBytes()))})
		}
		if err := fn(r.decodeBounded(path, index, raw)); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return fn(Record{File: path, Index: index + 1, Err: fmt.Errorf("malformed JSON after record %d: %v", index, err)})
	}
	if _, err := dec.Token(); err != io.EOF {
		return fn(Record{File: path, Index: index + 1, Err: fmt.Errorf("the file goes on after the end of its JSON array; what follows record %d was not read", index)})
	}
	return nil
}

// errRecordTooLong stops the JSON decoder when one value outgrows the record limit, before it
// has buffered the whole of a hostile file.
var errRecordTooLong = errors.New("record too long")

// decoderReadAhead is what a json.Decoder may have buffered beyond the value it decodes.
const decoderReadAhead = 64 << 10

func (r *Reader) boundedDecoder(in io.Reader) (*json.Decoder, *recordBudget) {
	b := &recordBudget{Budget: NewBudget(in, errRecordTooLong), limit: int64(r.maxBytes())}
	b.startRecord()
	return json.NewDecoder(b.Budget), b
}

// recordBudget gives each JSON record its own budget.
type recordBudget struct {
	*Budget
	limit int64
}

func (b *recordBudget) startRecord() { b.Allow(b.limit + decoderReadAhead) }

// describeStreamError words an error of a streaming decode.
func describeStreamError(err error, limit int) string {
	if errors.Is(err, errRecordTooLong) {
		return fmt.Sprintf("the record is longer than %d bytes", limit)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the file ends in the middle of the record (is it cut short?)"
	}
	return fmt.Sprintf("malformed JSON: %v", err)
}

// readConcatenated reads a .json file holding one object, or several objects one after
// another.
func (r *Reader) readConcatenated(path string, br *bufio.Reader, fn func(Record) error) error {
	dec, bounded := r.boundedDecoder(br)
	index := 0
	for {
		bounded.startRecord()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		index++
		if err != nil {
			return fn(Record{File: path, Index: index, Err: fmt.Errorf("%s; the rest of the file could not be read", describeStreamError(err, r.maxBytes()))})
		}
		if err := fn(r.decodeBounded(path, index, raw)); err != nil {
			return err
		}
	}
}

// decodeBounded decodes a record read whole by a JSON decoder, refusing one over the limit
// (the decoder's read-ahead lets a record slightly over it through).
func (r *Reader) decodeBounded(path string, index int, raw []byte) Record {
	if len(raw) > r.maxBytes() {
		return Record{File: path, Index: index, Err: fmt.Errorf("the record is longer than %d bytes", r.maxBytes())}
	}
	return decode(path, index, raw)
}

// decode turns one record's JSON into a validated case. Errors name fields, not values.
func decode(path string, index int, raw []byte) Record {
	rec := Record{File: path, Index: index}
	if !utf8.Valid(raw) {
		if where, ok := invalidUTF8(raw); ok {
			if where != "case_id" {
				rec.CaseID = peekCaseID(raw)
			}
			rec.Err = fmt.Errorf("%s is not valid UTF-8", where)
			return rec
		}
	}
	var c checker.Case
	if err := json.Unmarshal(raw, &c); err != nil {
		rec.CaseID = peekCaseID(raw)
		rec.Err = describeJSONError(err)
		return rec
	}
	rec.CaseID = c.CaseID
	if err := checker.Validate(&c); err != nil {
		rec.Err = err
		return rec
	}
	rec.Case = &c
	rec.Warnings = checker.Warnings(&c)
	return rec
}

// peekCaseID reads the case_id of a record that did not decode, when the JSON allows it, so
// that the error can name the case.
func peekCaseID(raw []byte) string {
	var head struct {
		CaseID any `json:"case_id"`
	}
	if json.Unmarshal(raw, &head) != nil {
		return ""
	}
	if s, ok := head.CaseID.(string); ok {
		return s
	}
	return ""
}

// describeJSONError words encoding/json's errors for a person reading a data-error report,
// naming the field and never quoting the value.
func describeJSONError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d of the record: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return fmt.Errorf("the record is a JSON %s, not an object", typ.Value)
		}
		return fmt.Errorf("%s: want %s, got a JSON %s", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	}
	return err
}

func jsonKind(goKind string) string {
	switch goKind {
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	}
	return goKind
}

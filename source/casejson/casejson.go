// Package casejson is the source of wtcheck's own case records (wtcheck/case/v1): a JSON
// object or several in a file, a JSON array, NDJSON, each possibly gzip-compressed, from a file
// or standard input. Each record is decoded and validated by package record; one record over
// the size limit, malformed or invalid is one bad record, and the rest of the input is read.
package casejson

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source"
)

// Name is the --input-format of case records.
const Name = "case"

// DefaultMaxRecordBytes bounds one record, so that a hostile or corrupt file (one endless
// line) cannot exhaust memory.
const DefaultMaxRecordBytes = 16 << 20

// Extensions are the file names a directory walk reads.
var Extensions = []string{".json", ".ndjson", ".jsonl", ".json.gz", ".ndjson.gz", ".jsonl.gz"}

// InputFormat describes the source for the table of formats (package source/registry).
var InputFormat = source.Format{
	Name:        Name,
	Description: "case records (wtcheck/case/v1): JSON, a JSON array, NDJSON, any of them gzip-compressed; see wtcheck help case-format",
	Expect:      "case records (wtcheck/case/v1), the default --input-format",
	Extensions:  Extensions,
	Open: func(o source.Options) (source.Source, error) {
		return &Reader{MaxRecordBytes: o.MaxRecordBytes}, nil
	},
}

// Reader reads case records. Its zero value is ready to use.
type Reader struct {
	MaxRecordBytes int // 0 means DefaultMaxRecordBytes
}

// Read streams the records of one input to fn, in order: a JSON object or several, a JSON
// array, NDJSON (by the name's .ndjson or .jsonl, or standard input whose first line is a whole
// value), each possibly gzip-compressed. Problems with a record, or with the input, reach fn as
// records with Err set; an error returned by fn stops the reading and is returned.
func (r *Reader) Read(in source.Input, fn func(source.Record) error) error {
	return r.read(in, fn, func(path string, index int, raw []byte) error { return fn(decode(path, index, raw)) })
}

// ReadRaw is Read that hands each record's bytes to raw, undecoded, for the caller to decode
// with Decode. The bytes are good only until raw returns (they are the reader's buffer): a
// caller that decodes them on another goroutine copies them first. A record refused before
// decoding (too long, malformed where the file cannot be split, a broken stream) still
// reaches fn, in its place in the order.
func (r *Reader) ReadRaw(in source.Input, fn func(source.Record) error, raw func(index int, data []byte) error) error {
	return r.read(in, fn, func(_ string, index int, data []byte) error { return raw(index, data) })
}

// Decode turns the bytes ReadRaw handed on into the record Read would have given.
func (r *Reader) Decode(name string, index int, data []byte) source.Record {
	return decode(name, index, data)
}

// rawFunc is what a reader does with one record's bytes: decode it at once, or hand it on.
type rawFunc func(path string, index int, raw []byte) error

func (r *Reader) read(in source.Input, fn func(source.Record) error, raw rawFunc) error {
	path := in.Name
	if in.Open == nil {
		return fn(source.Record{File: path, Err: fmt.Errorf("open: %w", source.ErrNoOpen)})
	}
	f, err := in.Open()
	if err != nil {
		return fn(source.Record{File: path, Err: fmt.Errorf("open: %w", err)})
	}
	defer f.Close()
	name := path
	br := bufio.NewReaderSize(f, 64<<10)
	if strings.HasSuffix(strings.ToLower(name), ".gz") || isGzip(br) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fn(source.Record{File: path, Err: fmt.Errorf("read gzip: %w", err)})
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
		return fn(source.Record{File: path, Err: fmt.Errorf("read: %w", err)})
	case strings.HasSuffix(lower, ".ndjson") || strings.HasSuffix(lower, ".jsonl"):
		// The extension decides: a first line that happens to be an array is one bad
		// record, not a reason to read the whole file another way.
		return r.readLines(path, br, fn, raw)
	case first == '[':
		return r.readArray(path, br, fn, raw)
	case path == "-" && !opensMultiLine(br):
		// Standard input has no extension: NDJSON, unless its first line opens a JSON value
		// that goes on past it (a pretty-printed record, or several), which is read as a .json
		// file is. A first line that is whole, or malformed, is NDJSON's, so a bad first
		// record is one bad record and the rest are read.
		return r.readLines(path, br, fn, raw)
	default:
		return r.readConcatenated(path, br, fn, raw)
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
func (r *Reader) readLines(path string, br *bufio.Reader, fn func(source.Record) error, raw rawFunc) error {
	limit := r.maxBytes()
	index := 0
	var long []byte // where a line longer than the read buffer is put together
	for {
		line, tooLong, err := readLine(br, limit, &long)
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
			return fn(source.Record{File: path, Index: at, Err: describeReadError(err, at > 0, index)})
		}
		if partial {
			index++
			var ferr error
			if tooLong {
				ferr = fn(source.Record{File: path, Index: index, Err: fmt.Errorf("the record is longer than %d bytes", limit)})
			} else {
				ferr = raw(path, index, line)
			}
			if ferr != nil {
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
// dropped, and tooLong is set, so one bad line costs no more memory than the limit. The line
// is good until the next read: it is br's buffer, or for a line longer than that, *long,
// which is kept for the next such line unless it is over a megabyte. A line made its own
// slice was an allocation, and a megabyte of memory to clear, for every thousand records.
func readLine(br *bufio.Reader, limit int, long *[]byte) (line []byte, tooLong bool, err error) {
	chunk, err := br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		// The limit is on the record, not on its line ending.
		if line = bytes.TrimRight(chunk, "\r\n"); len(line) > limit {
			return nil, true, err
		}
		return line, false, err
	}
	buf := (*long)[:0]
	for {
		if !tooLong {
			buf = append(buf, chunk...)
			if len(bytes.TrimRight(buf, "\r\n")) > limit {
				tooLong, buf = true, buf[:0]
			}
		}
		if err != bufio.ErrBufferFull {
			break
		}
		chunk, err = br.ReadSlice('\n')
	}
	*long = nil
	if cap(buf) <= 1<<20 {
		*long = buf[:0]
	}
	if tooLong {
		return nil, true, err
	}
	return bytes.TrimRight(buf, "\r\n"), false, err
}

// readArray reads a JSON array of records, one element at a time.
func (r *Reader) readArray(path string, br *bufio.Reader, fn func(source.Record) error, raw rawFunc) error {
	dec, bounded := r.boundedDecoder(br)
	if _, err := dec.Token(); err != nil {
		return fn(source.Record{File: path, Err: fmt.Errorf("malformed JSON: %v", err)})
	}
	index := 0
	for dec.More() {
		index++
		bounded.startRecord()
		var data json.RawMessage
		if err := dec.Decode(&data); err != nil {
			// The decoder cannot find the next element after a syntax error: say so, and
			// that the rest of the file was not read.
			return fn(source.Record{File: path, Index: index, Err: fmt.Errorf("%s; the rest of the file could not be read", describeStreamError(err, r.maxBytes()))})
		}
		if err := r.bounded(path, index, data, fn, raw); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return fn(source.Record{File: path, Index: index + 1, Err: fmt.Errorf("malformed JSON after record %d: %v", index, err)})
	}
	if _, err := dec.Token(); err != io.EOF {
		return fn(source.Record{File: path, Index: index + 1, Err: fmt.Errorf("the file goes on after the end of its JSON array; what follows record %d was not read", index)})
	}
	return nil
}

// errRecordTooLong stops the JSON decoder when one value outgrows the record limit, before it
// has buffered the whole of a hostile file.
var errRecordTooLong = errors.New("record too long")

// decoderReadAhead is what a json.Decoder may have buffered beyond the value it decodes.
const decoderReadAhead = 64 << 10

func (r *Reader) boundedDecoder(in io.Reader) (*json.Decoder, *recordBudget) {
	b := &recordBudget{Budget: source.NewBudget(in, errRecordTooLong), limit: int64(r.maxBytes())}
	b.startRecord()
	return json.NewDecoder(b.Budget), b
}

// recordBudget gives each JSON record its own budget.
type recordBudget struct {
	*source.Budget
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
func (r *Reader) readConcatenated(path string, br *bufio.Reader, fn func(source.Record) error, raw rawFunc) error {
	dec, bounded := r.boundedDecoder(br)
	index := 0
	for {
		bounded.startRecord()
		var data json.RawMessage
		err := dec.Decode(&data)
		if err == io.EOF {
			return nil
		}
		index++
		if err != nil {
			return fn(source.Record{File: path, Index: index, Err: fmt.Errorf("%s; the rest of the file could not be read", describeStreamError(err, r.maxBytes()))})
		}
		if err := r.bounded(path, index, data, fn, raw); err != nil {
			return err
		}
	}
}

// bounded passes on a record read whole by a JSON decoder, refusing one over the limit (the
// decoder's read-ahead lets a record slightly over it through).
func (r *Reader) bounded(path string, index int, data []byte, fn func(source.Record) error, raw rawFunc) error {
	if len(data) > r.maxBytes() {
		return fn(source.Record{File: path, Index: index, Err: fmt.Errorf("the record is longer than %d bytes", r.maxBytes())})
	}
	return raw(path, index, data)
}

// decode turns one record's JSON into a validated case (record.Decode), with its warnings.
func decode(path string, index int, raw []byte) source.Record {
	rec := source.Record{File: path, Index: index}
	switch record.FormatOf(raw) {
	case record.IncidentFormat:
		return decodeIncident(rec, raw)
	case record.ArrangementsFormat:
		return decodeArrangements(rec, raw)
	}
	c, id, err := record.Decode(raw)
	rec.CaseID = id
	if err != nil {
		rec.Err = err
		return rec
	}
	rec.Case = c
	rec.Warnings = record.Warnings(c)
	return rec
}

// decodeIncident and decodeArrangements read the records beyond the case file
// (incident-format.md), which a batch may mix with cases; the record's id names it in errors.
func decodeIncident(rec source.Record, raw []byte) source.Record {
	in, err := record.DecodeIncident(raw)
	if in != nil {
		rec.CaseID = in.IncidentID
	}
	if err != nil {
		rec.Err = err
		return rec
	}
	rec.Incident, rec.Warnings = in, record.IncidentWarnings(in)
	return rec
}

func decodeArrangements(rec source.Record, raw []byte) source.Record {
	a, err := record.DecodeArrangements(raw)
	if a != nil {
		rec.CaseID = a.AreaID
	}
	if err != nil {
		rec.Err = err
		return rec
	}
	rec.Arrangements, rec.Warnings = a, record.ArrangementsWarnings(a)
	return rec
}

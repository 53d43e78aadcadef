package ssd

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// stream gives the rows of one table ordered by person id (as Go compares strings, byte by
// byte), and in the order they were read within a person.
type stream interface {
	// next returns the next row, or io.EOF.
	next() (*row, error)
	close() error
}

// badRow is a row that could not be read as one (a wrong number of fields): it is reported
// on its own, and nobody's record is built from it.
type badRow struct {
	file string
	line int
	err  error
}

// csvFile reads one table's CSV file: the SSD's column names in a header line, in any order
// and any case, other columns ignored; a byte order mark and the separator (a comma, a
// semicolon where a locale set it, or a tab, bcp's default) taken as found.
type csvFile struct {
	path string // the file's name in the folder
	t    *table
	f    fs.File
	r    *csv.Reader
	cols []int // for each of the table's columns, its field in the file
	n    int   // fields in the header
	// first is true until the first row after the header has been read.
	first bool
	bad   func(badRow)
}

// csvName is a table's file name in an SSD folder.
func csvName(t *table) string { return t.name + ".csv" }

// findCSV returns the name of a table's file in the folder, matching it in any case, or ""
// when there is none.
func findCSV(fsys fs.FS, t *table) (string, error) {
	want := csvName(t)
	if fi, err := fs.Stat(fsys, want); err == nil && fi.Mode().IsRegular() {
		return want, nil
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return "", fmt.Errorf("read ssd folder: %w", err)
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), want) && e.Type().IsRegular() {
			return e.Name(), nil
		}
	}
	return "", nil
}

// openCSV opens a table's file and reads its header. A column the table needs and the header
// lacks is an error naming the file and the column.
func openCSV(fsys fs.FS, path string, t *table, bad func(badRow)) (*csvFile, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", t.name, err)
	}
	c := &csvFile{path: path, t: t, f: f, bad: bad, first: true}
	if err := c.header(); err != nil {
		f.Close()
		return nil, err
	}
	return c, nil
}

func (c *csvFile) header() error {
	br := bufio.NewReaderSize(c.f, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	head, _ := br.Peek(64 << 10)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	comma := ','
	best := bytes.Count(head, []byte(","))
	for _, sep := range []rune{';', '\t', '|'} {
		if n := bytes.Count(head, []byte(string(sep))); n > best {
			comma, best = sep, n
		}
	}
	c.r = csv.NewReader(br)
	c.r.Comma = comma
	c.r.FieldsPerRecord = -1
	c.r.ReuseRecord = true
	// sqlcmd quotes nothing, so the outcome JSON's quotes stand bare in a field.
	c.r.LazyQuotes = true
	names, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: the file is empty: it has no header line naming the SSD's columns", c.path)
	}
	if err != nil {
		return fmt.Errorf("read %s: header: %w", c.path, err)
	}
	at := map[string]int{}
	for i, n := range names {
		n = strings.ToLower(strings.Trim(strings.TrimSpace(n), `"[]`))
		if _, dup := at[n]; !dup {
			at[n] = i
		}
	}
	c.n = len(names)
	c.cols = make([]int, len(c.t.columns))
	var missing []string
	for i, col := range c.t.columns {
		j, ok := at[col]
		if !ok {
			missing = append(missing, col)
			continue
		}
		c.cols[i] = j
	}
	if len(missing) > 0 {
		return fmt.Errorf("read %s: the header has no column %s (the SSD's column names are read, in any order)", c.path, strings.Join(dedupe(missing), ", "))
	}
	return nil
}

func dedupe(s []string) []string {
	var out []string
	for _, x := range s {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

func (c *csvFile) next() (*row, error) {
	for {
		rec, err := c.r.Read()
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		if err != nil {
			// A quote out of place leaves the rest of the file in doubt: stop here.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("read %s: line %d: %v", c.path, pe.StartLine, pe.Err)
			}
			return nil, fmt.Errorf("read %s: %w", c.path, err)
		}
		line, _ := c.r.FieldPos(0)
		if c.first {
			c.first = false
			if underline(rec) {
				continue // sqlcmd's line of dashes under the header
			}
		}
		if len(rec) != c.n {
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue // a blank line, as some exports end with
			}
			if c.bad != nil {
				c.bad(badRow{file: c.path, line: line,
					err: fmt.Errorf("%d fields where the header has %d (a separator inside an unquoted value?)", len(rec), c.n)})
			}
			continue
		}
		r := &row{t: c.t, line: line, vals: make([]string, len(c.cols))}
		for i, j := range c.cols {
			r.vals[i] = clean(rec[j])
		}
		return r, nil
	}
}

// underline reports whether a row is sqlcmd's underline of the header: dashes only.
func underline(rec []string) bool {
	for _, f := range rec {
		if strings.Trim(strings.TrimSpace(f), "-") != "" || strings.TrimSpace(f) == "" {
			return false
		}
	}
	return true
}

func (c *csvFile) close() error { return c.f.Close() }

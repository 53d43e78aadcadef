package annexa

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// The bounds of a workbook. A list sheet is read as a stream, a row at a time, and each cell is
// placed by its reference before its value is read, so a cell beyond them is refused before
// anything is allocated for it (a workbook of 32 KB can declare a cell in column XFD on every
// row). README.md ("Limits") lists them.
const (
	// MaxRows is the last row a list may use: five times the referrals in a year of the
	// largest authority in England.
	MaxRows = 100_000
	// MaxColumns is the last column a list may use (ZZ): the template's lists have fewer than
	// 30.
	MaxColumns = 702
	// MaxWorkbookBytes bounds a workbook read from a stream (a named pipe), which is held in
	// memory to be unzipped; a file is read in place.
	MaxWorkbookBytes = 64 << 20
	// MaxPartBytes bounds each part of the workbook as it is unzipped (a sheet, the workbook's
	// index): a zip bomb stops there.
	MaxPartBytes = 256 << 20
	// MaxSharedStringBytes bounds the text of the shared strings, which are held in memory.
	MaxSharedStringBytes = 64 << 20
)

// workbook is an .xlsx file opened for reading: its sheets in order, its shared strings and its
// date system. Only what Annex A needs is read; the rest of the package is never unzipped.
type workbook struct {
	parts      map[string]*zip.File // by lower-case name: part names are case-insensitive
	sheets     []sheetPart
	sharedPath string
	shared     []string
	sharedRead bool
	date1904   bool
	closer     io.Closer
}

// sheetPart is a sheet's name and the part that holds it.
type sheetPart struct{ name, part string }

// errNotWorkbook marks what makes a file not an .xlsx workbook.
var errNotWorkbook = errors.New("not an Excel workbook (.xlsx)")

// openWorkbookFrom opens a workbook from an opened input, which it closes on an error and the
// workbook's Close closes otherwise: a regular file is unzipped where it lies, anything else
// (a named pipe, bytes handed over by a browser) read into memory up to MaxWorkbookBytes.
func openWorkbookFrom(f io.ReadCloser) (*workbook, error) {
	var info fs.FileInfo
	if st, ok := f.(interface{ Stat() (fs.FileInfo, error) }); ok {
		var err error
		if info, err = st.Stat(); err != nil {
			f.Close()
			return nil, err
		}
	}
	ra, isReaderAt := f.(io.ReaderAt)
	var zr *zip.Reader
	var err error
	switch {
	case info != nil && info.IsDir():
		f.Close()
		return nil, fmt.Errorf("%w: it is a directory", errNotWorkbook)
	case info != nil && info.Mode().IsRegular() && isReaderAt:
		zr, err = zip.NewReader(ra, info.Size())
	default:
		// A stream is held in memory to be unzipped: what is not a zip (/dev/zero) is
		// refused at its first bytes, a zip up to MaxWorkbookBytes.
		br := bufio.NewReader(f)
		if magic, _ := br.Peek(4); string(magic) != "PK\x03\x04" {
			f.Close()
			return nil, fmt.Errorf("%w: it does not begin as a zip file does", errNotWorkbook)
		}
		data, rerr := io.ReadAll(io.LimitReader(br, MaxWorkbookBytes+1))
		switch {
		case rerr != nil:
			err = rerr
		case len(data) > MaxWorkbookBytes:
			err = fmt.Errorf("larger than %d MiB, the most a workbook read from a stream may be", MaxWorkbookBytes>>20)
		default:
			zr, err = zip.NewReader(bytes.NewReader(data), int64(len(data)))
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %v", errNotWorkbook, err)
	}
	wb, err := newWorkbook(zr, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return wb, nil
}

// newWorkbook reads the index of an unzipped package; closer is closed with the workbook.
func newWorkbook(zr *zip.Reader, closer io.Closer) (*workbook, error) {
	wb := &workbook{parts: map[string]*zip.File{}, closer: closer}
	for _, zf := range zr.File {
		wb.parts[strings.ToLower(zf.Name)] = zf
	}
	if err := wb.readIndex(); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotWorkbook, err)
	}
	return wb, nil
}

func (wb *workbook) Close() error { return wb.closer.Close() }

// partLimit and sharedLimit are MaxPartBytes and MaxSharedStringBytes, lowered by tests.
var (
	partLimit   int64 = MaxPartBytes
	sharedLimit       = MaxSharedStringBytes
)

// errPartTooLarge stops a part that unzips to more than partLimit.
var errPartTooLarge = fmt.Errorf("it unzips to more than %d MiB, the most a part of a workbook may be", MaxPartBytes>>20)

// open opens a part by name, unzipped and bounded.
func (wb *workbook) open(name string) (io.ReadCloser, error) {
	zf := wb.parts[strings.ToLower(strings.TrimPrefix(name, "/"))]
	if zf == nil {
		return nil, fmt.Errorf("the part %s is missing", name)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("the part %s cannot be unzipped: %v", name, err)
	}
	return &boundedPart{rc: rc, left: partLimit}, nil
}

type boundedPart struct {
	rc   io.ReadCloser
	left int64
}

func (b *boundedPart) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errPartTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *boundedPart) Close() error { return b.rc.Close() }

// relationship is one entry of a .rels part.
type relationship struct{ id, kind, target string }

// readRels reads the relationships of a part (its _rels/NAME.rels), with targets resolved
// against the part's folder. A part without relationships has none.
func (wb *workbook) readRels(part string) ([]relationship, error) {
	dir, file := path.Split(part)
	relsName := dir + "_rels/" + file + ".rels"
	if wb.parts[strings.ToLower(relsName)] == nil {
		return nil, nil
	}
	var out []relationship
	err := wb.walk(relsName, func(dec *xml.Decoder, el xml.StartElement) error {
		if el.Name.Local != "Relationship" {
			return nil
		}
		var r relationship
		external := false
		for _, a := range el.Attr {
			switch a.Name.Local {
			case "Id":
				r.id = a.Value
			case "Type":
				r.kind = a.Value
			case "Target":
				r.target = a.Value
			case "TargetMode":
				external = strings.EqualFold(a.Value, "External")
			}
		}
		if external {
			return nil
		}
		if strings.HasPrefix(r.target, "/") {
			r.target = path.Clean(r.target[1:])
		} else {
			r.target = path.Clean(dir + r.target)
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// readIndex finds the workbook part, its sheets, its shared strings and its date system.
func (wb *workbook) readIndex() error {
	book := "xl/workbook.xml"
	rels, err := wb.readRels("")
	if err != nil {
		return err
	}
	for _, r := range rels {
		if strings.HasSuffix(r.kind, "/officeDocument") {
			book = r.target
		}
	}
	bookRels, err := wb.readRels(book)
	if err != nil {
		return err
	}
	targets := map[string]string{}
	for _, r := range bookRels {
		targets[r.id] = r.target
		if strings.HasSuffix(r.kind, "/sharedStrings") {
			wb.sharedPath = r.target
		}
	}
	return wb.walk(book, func(dec *xml.Decoder, el xml.StartElement) error {
		switch el.Name.Local {
		case "workbookPr":
			for _, a := range el.Attr {
				if a.Name.Local == "date1904" {
					wb.date1904 = a.Value == "1" || strings.EqualFold(a.Value, "true")
				}
			}
		case "sheet":
			var s sheetPart
			for _, a := range el.Attr {
				switch {
				case a.Name.Local == "name":
					s.name = a.Value
				case a.Name.Local == "id" && a.Name.Space != "":
					s.part = targets[a.Value]
				}
			}
			wb.sheets = append(wb.sheets, s)
		}
		return nil
	})
}

// walk calls fn for every start element of a part.
func (wb *workbook) walk(part string, fn func(*xml.Decoder, xml.StartElement) error) error {
	rc, err := wb.open(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("the part %s: %v", part, describeXMLError(err))
		}
		if el, ok := tok.(xml.StartElement); ok {
			if err := fn(dec, el); err != nil {
				return err
			}
		}
	}
}

// describeXMLError words an XML error without quoting the part's text.
func describeXMLError(err error) string {
	var syn *xml.SyntaxError
	switch {
	case errors.Is(err, errPartTooLarge):
		return err.Error()
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed XML on line %d", syn.Line)
	}
	return err.Error()
}

// sheetNames lists the sheets in workbook order.
func (wb *workbook) sheetNames() []string {
	names := make([]string, len(wb.sheets))
	for i, s := range wb.sheets {
		names[i] = s.name
	}
	return names
}

// sharedStrings reads the shared string table, once: only a workbook with a list sheet needs it.
func (wb *workbook) sharedStrings() ([]string, error) {
	if wb.sharedRead {
		return wb.shared, nil
	}
	wb.sharedRead = true
	if wb.sharedPath == "" || wb.parts[strings.ToLower(wb.sharedPath)] == nil {
		return nil, nil
	}
	total := 0
	var item strings.Builder
	err := wb.walk(wb.sharedPath, func(dec *xml.Decoder, el xml.StartElement) error {
		if el.Name.Local != "si" {
			return nil
		}
		item.Reset()
		if err := inlineText(dec, &item); err != nil {
			return err
		}
		if total += item.Len(); total > sharedLimit {
			return fmt.Errorf("the shared strings hold more than %d MiB of text", MaxSharedStringBytes>>20)
		}
		wb.shared = append(wb.shared, item.String())
		return nil
	})
	return wb.shared, err
}

// inlineText reads the text of a string item (<si>, or a cell's <is>) up to its end: its <t>
// elements, rich-text runs included, phonetic guides (<rPh>) left out, as Excel shows it.
func inlineText(dec *xml.Decoder, out *strings.Builder) error {
	depth, inText, phonetic := 1, false, 0
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "t":
				inText = true
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "t":
				inText = false
			case "rPh":
				phonetic--
			}
		case xml.CharData:
			if inText && phonetic == 0 {
				out.Write(t)
			}
		}
	}
	return nil
}

// xcell is a cell that holds a value: its column (1-based), its value as the file stores it
// (dates as serial numbers, formulas as their cached values) and whether it may be a number.
type xcell struct {
	col int
	v   string
	num bool // a number cell (t="n", or no type): a date there is a serial number
}

// sheetLimitError is a cell past MaxRows or MaxColumns.
type sheetLimitError struct{ msg string }

func (e *sheetLimitError) Error() string { return e.msg }

// readSheet streams a sheet's rows that hold a value to fn, in order: the row's number and its
// cells (valid until fn returns). An error from fn stops the reading and is returned.
func (wb *workbook) readSheet(s sheetPart, fn func(row int, cells []xcell) error) error {
	if s.part == "" {
		return fmt.Errorf("the workbook does not say where the sheet is")
	}
	shared, err := wb.sharedStrings()
	if err != nil {
		return err
	}
	rc, err := wb.open(s.part)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	row, col := 0, 0
	var cells []xcell
	var v strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s", describeXMLError(err))
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			if end, ok := tok.(xml.EndElement); ok && end.Name.Local == "row" && len(cells) > 0 {
				if err := fn(row, cells); err != nil {
					return err
				}
				cells = cells[:0]
			}
			continue
		}
		switch el.Name.Local {
		case "row":
			row, col = row+1, 0
			cells = cells[:0]
			if r := attr(el, "r"); r != "" {
				n, err := strconv.Atoi(r)
				if err != nil || n < 1 {
					return fmt.Errorf("a row is numbered %q, which is not a row number", r)
				}
				row = n
			}
		case "c":
			col++
			if r := attr(el, "r"); r != "" {
				c, rr, ok := parseRef(r)
				if !ok {
					return fmt.Errorf("a cell's reference is not one (row %d)", row)
				}
				col = c
				if rr != row {
					return fmt.Errorf("the cell %s is not in its row (%d)", r, row)
				}
			}
			v.Reset()
			kind := attr(el, "t")
			found, err := cellValue(dec, kind, &v)
			if err != nil {
				return fmt.Errorf("the cell %s%d: %s", columnLetters(col), row, describeXMLError(err))
			}
			if !found {
				continue
			}
			// A formula's cached value (t="str") counts as a number when it reads as one:
			// Excel marks a numeric result with no type, but other tools (excelize among
			// them) mark every cached value "str". Typed text, shared or inline, is text.
			c := xcell{col: col, v: v.String(), num: kind == "" || kind == "n" || kind == "str"}
			if kind == "s" {
				i, err := strconv.Atoi(strings.TrimSpace(c.v))
				if err != nil || i < 0 || i >= len(shared) {
					return fmt.Errorf("the cell %s%d refers to a shared string the workbook does not have", columnLetters(col), row)
				}
				c.v = shared[i]
			}
			if c.v == "" {
				continue
			}
			// Placed by its reference, and refused there: no row is ever laid out up to a
			// far column, and nothing past the bounds is kept.
			if col > MaxColumns {
				return &sheetLimitError{fmt.Sprintf("%s!%s%d holds a value past column %s, the last a list may use", s.name, columnLetters(col), row, columnLetters(MaxColumns))}
			}
			if row > MaxRows {
				return &sheetLimitError{fmt.Sprintf("%s!%s%d holds a value past row %d, the last a list may use", s.name, columnLetters(col), row, MaxRows)}
			}
			cells = append(cells, c)
		}
	}
}

// cellValue reads a cell's value up to the cell's end: its <v>, or the text of <is> for an
// inline string. found is false for a cell with none (a styled empty cell).
func cellValue(dec *xml.Decoder, kind string, out *strings.Builder) (found bool, err error) {
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				found = true
				if err := charData(dec, out); err != nil {
					return false, err
				}
			case "is":
				found = true
				if err := inlineText(dec, out); err != nil {
					return false, err
				}
			default:
				if err := dec.Skip(); err != nil { // a formula's text, an extension
					return false, err
				}
			}
		case xml.EndElement:
			return found, nil
		}
	}
}

// charData reads the text of an element with no children up to its end.
func charData(dec *xml.Decoder, out *strings.Builder) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			out.Write(t)
		case xml.StartElement:
			if err := dec.Skip(); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// parseRef reads a cell reference such as "B7": column 2, row 7. Columns run to XFD (16,384),
// rows to 1,048,576, as in Excel.
func parseRef(ref string) (col, row int, ok bool) {
	i := 0
	for i < len(ref) && i < 3 {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		i++
	}
	if i == 0 || i == len(ref) || col > 16384 {
		return 0, 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		row = row*10 + int(c-'0')
		if row > 1<<20 {
			return 0, 0, false
		}
	}
	return col, row, row > 0
}

// columnLetters is a column's name: 1 is A, 27 is AA.
func columnLetters(col int) string {
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}

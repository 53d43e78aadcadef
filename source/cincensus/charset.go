package cincensus

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// newDecoder is the XML decoder of a return: strict, reading the encodings census software
// writes (UTF-8, or a declared US-ASCII, ISO-8859-1 or windows-1252).
func newDecoder(r io.Reader) *xml.Decoder {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charsetReader
	return dec
}

func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "us-ascii", "ascii":
		return in, nil // a subset of UTF-8: any other byte is reported as not UTF-8
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1":
		return &singleByte{r: bufio.NewReader(in)}, nil
	case "windows-1252", "cp1252", "x-cp1252":
		return &singleByte{r: bufio.NewReader(in), high: &cp1252}, nil
	}
	return nil, fmt.Errorf("the encoding is not one the importer reads (UTF-8, US-ASCII, ISO-8859-1, windows-1252): save the return as UTF-8")
}

// singleByte decodes a single-byte encoding to UTF-8: ISO-8859-1 when high is nil, else the
// bytes 0x80 to 0x9F through high.
type singleByte struct {
	r       *bufio.Reader
	high    *[32]rune
	pending []byte
	buf     [utf8.UTFMax]byte
}

func (s *singleByte) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(s.pending) > 0 {
			k := copy(p[n:], s.pending)
			s.pending = s.pending[k:]
			n += k
			continue
		}
		if n > 0 && s.r.Buffered() == 0 {
			break // return what there is rather than wait for more
		}
		c, err := s.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if c < utf8.RuneSelf {
			p[n] = c
			n++
			continue
		}
		r := rune(c)
		if s.high != nil && c < 0xa0 {
			r = s.high[c-0x80]
		}
		k := utf8.EncodeRune(s.buf[:], r)
		s.pending = s.buf[:k]
	}
	return n, nil
}

// cp1252 is windows-1252 from 0x80 to 0x9F; the five unassigned bytes keep their ISO-8859-1
// meaning, as web browsers do.
var cp1252 = [32]rune{
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
}

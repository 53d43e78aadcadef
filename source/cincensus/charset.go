package cincensus

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// newDecoder is the XML decoder of a return: strict, reading the encodings census software
// writes (UTF-8, or a declared US-ASCII, ISO-8859-1 or windows-1252).
func newDecoder(r io.Reader) *xml.Decoder {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charsetReader
	return dec
}

// charsetReader decodes a declared single-byte encoding to UTF-8 with the library's tables
// (golang.org/x/text/encoding/charmap). In windows-1252, the five unassigned bytes
// (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD (TestSingleByteEncodings).
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "us-ascii", "ascii":
		return in, nil // a subset of UTF-8: any other byte is reported as not UTF-8
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1":
		return charmap.ISO8859_1.NewDecoder().Reader(in), nil
	case "windows-1252", "cp1252", "x-cp1252":
		return charmap.Windows1252.NewDecoder().Reader(in), nil
	}
	return nil, fmt.Errorf("the encoding is not one the importer reads (UTF-8, US-ASCII, ISO-8859-1, windows-1252): save the return as UTF-8")
}

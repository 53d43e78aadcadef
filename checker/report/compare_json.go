package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/wtcheck/wtcheck/checker/compare"
)

// differencesMarker is where the differences go in the document encoded without them: a key
// of the top-level object, which alone is indented by two spaces (a newline inside a string
// is escaped, so the marker cannot be part of a value).
var differencesMarker = []byte("\n  \"differences\": []")

// ComparisonJSON writes the whole comparison as one JSON document. The differences are
// streamed from their list, one at a time, into the document encoded without them: the bytes
// are those of encoding the whole comparison at once, without holding every difference.
func ComparisonJSON(w io.Writer, c *compare.Comparison) error {
	head := *c
	head.Differences = compare.DifferencesOf(nil)
	var doc bytes.Buffer
	enc := json.NewEncoder(&doc)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&head); err != nil {
		return err
	}
	at := bytes.Index(doc.Bytes(), differencesMarker)
	if at < 0 {
		return fmt.Errorf("write comparison: no differences in the document")
	}
	at += len(differencesMarker) - 1 // before the closing bracket
	if c.Differences.Len() == 0 {
		_, err := w.Write(doc.Bytes())
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(doc.Bytes()[:at])
	var one bytes.Buffer
	item := json.NewEncoder(&one)
	item.SetIndent("    ", "  ")
	item.SetEscapeHTML(false)
	sep := "\n    "
	for d := range c.Differences.All() {
		one.Reset()
		if err := item.Encode(d); err != nil {
			return err
		}
		bw.WriteString(sep)
		bw.Write(bytes.TrimSuffix(one.Bytes(), []byte("\n")))
		sep = ",\n    "
	}
	if err := c.Differences.Err(); err != nil {
		return err
	}
	bw.WriteString("\n  ")
	bw.Write(doc.Bytes()[at:])
	return bw.Flush()
}

package record

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkFormatOfCase measures what telling a record's kind costs a case record, the
// common one (a search of its bytes for the other kinds' tags, no parse); compare
// BenchmarkDecodeCase in checker/batch, the decoding it precedes. ns/op is per record.
func BenchmarkFormatOfCase(b *testing.B) {
	data, err := os.ReadFile("../fixtures/sample/cases.ndjson")
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if FormatOf(lines[i%len(lines)]) != "" {
			b.Fatal("a case taken for another kind")
		}
	}
}

package record_test

import (
	"bytes"
	"encoding/json"
	"sync"
	"testing"

	goccy "github.com/goccy/go-json"

	"github.com/wtcheck/wtcheck/internal/testgen"
	"github.com/wtcheck/wtcheck/record"
)

// decoder is one JSON decoder BenchmarkDecode compares, decoding a record into a record.Case.
type decoder struct {
	name      string
	unmarshal func([]byte, any) error
}

// decoders are the decoders compared (docs/performance.md, "Decoders"); built with
// GOEXPERIMENT=jsonv2, decode_v2_test.go adds encoding/json/v2.
var decoders = []decoder{
	{"encoding_json", json.Unmarshal},
	{"goccy_go_json", goccy.Unmarshal},
}

// benchInput is `wtcheck gen --cases 20000 --seed 1`, one record a line, made once: the same
// bytes for every decoder and every run.
var benchInput = sync.OnceValues(func() ([][]byte, error) {
	var buf bytes.Buffer
	if err := testgen.WriteCases(&buf, 20000, 1); err != nil {
		return nil, err
	}
	return bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")), nil
})

// BenchmarkDecode decodes the same 20,000 generated cases into record.Case with each decoder
// (one op is the whole file, so MB/s is the file's bytes), and then with record.Decode, which
// adds the UTF-8 check and validation to the decoder it uses.
func BenchmarkDecode(b *testing.B) {
	lines, err := benchInput()
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, l := range lines {
		size += int64(len(l)) + 1
	}
	for _, d := range decoders {
		b.Run(d.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range lines {
					var c record.Case
					if err := d.unmarshal(l, &c); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
	b.Run("record.Decode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range lines {
				if _, _, err := record.Decode(l); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

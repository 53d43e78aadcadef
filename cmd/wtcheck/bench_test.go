package main

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkAuditHTML100k writes the HTML audit of 100,000 generated cases (the sample's mix,
// see generateCases) and reports the page's size: it must stay under 5 MB, however large the
// batch, with its lists and timelines cut and saying so. Run it with
//
//	go test ./cmd/wtcheck -run '^$' -bench AuditHTML100k -benchtime 1x
func BenchmarkAuditHTML100k(b *testing.B) {
	batch := generateCases(b, 100_000)
	page := filepath.Join(b.TempDir(), "report.html")
	for b.Loop() {
		var out, errOut nopWriter
		if code := execute([]string{"report", "-o", page, batch}, nil, &out, &errOut); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	info, err := os.Stat(page)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(info.Size()), "page-bytes")
	if info.Size() > 5_000_000 {
		b.Errorf("the page of 100,000 cases is %d bytes, over 5 MB", info.Size())
	}
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

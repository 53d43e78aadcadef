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

// BenchmarkThreeReports compares the nightly job's three reports (SARIF, JUnit, GitLab) written
// from one pass (-o FORMAT=PATH) with three checks of the same 20,000 generated cases. Run it
// with
//
//	go test ./cmd/wtcheck -run '^$' -bench ThreeReports -benchtime 3x
func BenchmarkThreeReports(b *testing.B) {
	batch := generateCases(b, 20_000)
	dir := b.TempDir()
	formats := []string{"sarif", "junit", "gitlab"}
	b.Run("one-pass", func(b *testing.B) {
		args := []string{"check", "--edition", "2023", "-o", filepath.Join(dir, "out.txt")}
		for _, f := range formats {
			args = append(args, "-o", f+"="+filepath.Join(dir, "out."+f))
		}
		for b.Loop() {
			if code := execute(append(args, batch), nil, nopWriter{}, nopWriter{}); code != 1 {
				b.Fatalf("exit %d", code)
			}
		}
	})
	b.Run("three-runs", func(b *testing.B) {
		for b.Loop() {
			for _, f := range formats {
				if code := execute([]string{"check", "--edition", "2023", "--format", f, "-o", filepath.Join(dir, "out."+f), batch}, nil, nopWriter{}, nopWriter{}); code != 1 {
					b.Fatalf("exit %d", code)
				}
			}
		}
	})
}

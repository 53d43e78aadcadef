package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

var (
	isoDate     = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	extractDate = regexp.MustCompile(`"extract_date":"[^"]*"`)
	sampleIDs   = regexp.MustCompile(`"(C|CH)-0\d{3}"`)
)

// generateCases writes n synthetic cases as NDJSON in a new folder and returns the file: the
// sample's 32 cases over and over, each moved back a whole number of weeks (so weekdays and
// bank holidays stay in step) with its own case and child ids, and checked as at the
// sample's extract date, so that a large batch has the sample's mix of met, late, overdue
// and pending work. Nothing generated is kept in the repository.
func generateCases(t testing.TB, n int) string {
	t.Helper()
	data, err := os.ReadFile("../../fixtures/sample/cases.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	templates := strings.Split(strings.TrimSpace(string(data)), "\n")
	path := filepath.Join(t.TempDir(), "generated.ndjson")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		line := templates[i%len(templates)]
		weeks := (i / len(templates)) % 27
		line = isoDate.ReplaceAllStringFunc(line, func(s string) string {
			d, err := record.ParseDate(s)
			if err != nil {
				return s
			}
			return d.AddDays(-7 * weeks).String()
		})
		line = extractDate.ReplaceAllString(line, `"extract_date":"2025-03-31"`)
		line = sampleIDs.ReplaceAllStringFunc(line, func(s string) string {
			if strings.HasPrefix(s, `"CH-`) {
				return fmt.Sprintf(`"CH-G%06d"`, i)
			}
			return fmt.Sprintf(`"G-%06d"`, i)
		})
		w.WriteString(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

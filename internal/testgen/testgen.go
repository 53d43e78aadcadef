// Package testgen writes large batches of synthetic case records, for tests and benchmarks
// only: copies of the bundled sample cases (fixtures/sample/cases.ndjson) under new case and
// child ids, each copy's dates moved back by a whole number of weeks so that copies differ in
// their due dates and messages, not only in their ids. It is deliberately simple and is not a
// generator of realistic caseloads.
package testgen

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// SamplePath is the sample the copies are made from, relative to the repository's root.
const SamplePath = "fixtures/sample/cases.ndjson"

// datePattern finds the quoted dates of a record.
var datePattern = regexp.MustCompile(`"\d{4}-\d{2}-\d{2}"`)

// template is one sample record cut at its case id, child id and dates.
type template struct {
	parts [][]byte    // the text between the holes
	holes []hole      // what goes in each hole
	dates []time.Time // for date holes, the date
}

type hole int

const (
	holeCaseID hole = iota
	holeChildID
	holeDate
)

// Generator writes copies of a set of sample records.
type Generator struct {
	templates []template
}

// New reads the sample from the repository whose root is root.
func New(root string) (*Generator, error) {
	data, err := os.ReadFile(filepath.Join(root, SamplePath))
	if err != nil {
		return nil, fmt.Errorf("read sample: %w", err)
	}
	g := &Generator{}
	for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		t, err := cut(line)
		if err != nil {
			return nil, fmt.Errorf("read sample record %d: %w", i+1, err)
		}
		g.templates = append(g.templates, t)
	}
	return g, nil
}

// cut splits a record around its case id, its child's id and its dates.
func cut(line []byte) (template, error) {
	type at struct {
		start, end int
		h          hole
		date       time.Time
	}
	var cuts []at
	for _, key := range []struct {
		prefix string
		h      hole
	}{{`"case_id":"`, holeCaseID}, {`"child":{"id":"`, holeChildID}} {
		i := bytes.Index(line, []byte(key.prefix))
		if i < 0 {
			return template{}, fmt.Errorf("no %s", key.prefix)
		}
		start := i + len(key.prefix)
		end := start + bytes.IndexByte(line[start:], '"')
		cuts = append(cuts, at{start: start, end: end, h: key.h})
	}
	for _, m := range datePattern.FindAllIndex(line, -1) {
		d, err := time.Parse("2006-01-02", string(line[m[0]+1:m[1]-1]))
		if err != nil {
			return template{}, err
		}
		cuts = append(cuts, at{start: m[0] + 1, end: m[1] - 1, h: holeDate, date: d})
	}
	// The cuts do not overlap (ids are not dates); put them in order.
	for i := 1; i < len(cuts); i++ {
		for j := i; j > 0 && cuts[j].start < cuts[j-1].start; j-- {
			cuts[j], cuts[j-1] = cuts[j-1], cuts[j]
		}
	}
	var t template
	pos := 0
	for _, c := range cuts {
		t.parts = append(t.parts, line[pos:c.start])
		t.holes = append(t.holes, c.h)
		t.dates = append(t.dates, c.date)
		pos = c.end
	}
	t.parts = append(t.parts, line[pos:])
	return t, nil
}

// Write writes n records as NDJSON. Record i is sample record i mod the sample's size, its
// dates moved back 7 × (i / the sample's size mod 53) days, under case id G-nnnnnnnnnn. The
// numbers are a permutation of 0 … n−1 that is not the order of i, so that a batch is not
// already sorted by case id (as a real extract need not be). The same n gives the same bytes.
func (g *Generator) Write(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	// 999,983 is prime, so i ↦ i × 999,983 mod n is a permutation for every n it does not
	// divide; the others (multiples of it) use the identity.
	mult := 999983
	if n%mult == 0 {
		mult = 1
	}
	var num []byte
	for i := range n {
		t := &g.templates[i%len(g.templates)]
		shift := -7 * ((i / len(g.templates)) % 53)
		id := (i * mult) % n
		num = strconv.AppendInt(num[:0], int64(id), 10)
		for k, h := range t.holes {
			bw.Write(t.parts[k])
			switch h {
			case holeCaseID:
				bw.WriteString("G-")
				for range 10 - len(num) {
					bw.WriteByte('0')
				}
				bw.Write(num)
			case holeChildID:
				bw.WriteString("GC-")
				bw.Write(num)
			case holeDate:
				bw.WriteString(t.dates[k].AddDate(0, 0, shift).Format("2006-01-02"))
			}
		}
		bw.Write(t.parts[len(t.parts)-1])
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// Cached returns the path of a file of n generated records under dir, writing it the first
// time. The file is named for n and for what this package writes, so an old file is never
// taken for a new one.
func (g *Generator) Cached(dir string, n int) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("testgen-v1-%d.ndjson", n))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, ".testgen-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if err := g.Write(tmp, n); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp.Name(), path)
}

//go:build linux

package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/internal/testgen"
)

// peakMemoryLimit is the resident memory a check of a million cases must stay under (issue
// 12): the benchmark fails above it from that size on.
const peakMemoryLimit = 300 << 20

// BenchmarkPeakMemory (Linux: Maxrss is in KiB there) builds wtcheck, checks a batch of generated cases (copies of the sample,
// internal/testgen; $WTCHECK_BENCH_CASES of them, 100,000 by default, cached under .cache/)
// with `check --format json` and `--format csv` and the default listing, and reports the
// child process's peak resident memory (peak-MiB) and its time. It also reads the whole
// report as it streams out and fails unless the findings come in CompareFindings order and
// as many as the summary lists. Run it with make bench-memory; one iteration is enough
// (-benchtime 1x): it measures memory, and a million cases take minutes.
func BenchmarkPeakMemory(b *testing.B) {
	n := 100000
	if s := os.Getenv("WTCHECK_BENCH_CASES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("WTCHECK_BENCH_CASES=%q: want a number of cases", s)
		}
	}
	g, err := testgen.New("../..")
	if err != nil {
		b.Fatal(err)
	}
	cases, err := g.Cached("../../.cache", n)
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), "wtcheck")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	for _, format := range []string{"json", "csv", "compare"} {
		b.Run(fmt.Sprintf("format=%s/cases=%d", format, n), func(b *testing.B) {
			var peak int64
			for b.Loop() {
				cmd := exec.Command(bin, "check", "--format", format, cases)
				if format == "compare" {
					// The comparison of every edition, whose differences are sorted as the
					// check's findings are.
					cmd = exec.Command(bin, "compare", "--format", "json", cases)
				}
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				stdout, err := cmd.StdoutPipe()
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				listed, readErr := readSorted(format, stdout)
				err = cmd.Wait()
				elapsed := time.Since(start)
				if exit, ok := err.(*exec.ExitError); err != nil && (!ok || exit.ExitCode() != 1 || format == "compare") {
					b.Fatalf("check: %v\n%s", err, stderr.String())
				}
				if readErr != nil {
					b.Fatalf("report: %v", readErr)
				}
				peak = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
				b.Logf("%d cases, --format %s: %d findings or differences listed, peak %d MiB, %.0f s; %s", n, format, listed,
					peak>>20, elapsed.Seconds(), bytes.TrimSpace(stderr.Bytes()))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
			if n >= 1000000 && peak > peakMemoryLimit {
				b.Errorf("peak resident memory %d MiB, over the %d MiB allowed for a million cases", peak>>20, peakMemoryLimit>>20)
			}
		})
	}
}

// readSorted reads a report as it streams out and checks that its findings are in
// CompareFindings order, returning how many it listed.
func readSorted(format string, r io.Reader) (int, error) {
	var prev, cur checker.Finding
	n := 0
	next := func() error {
		if n > 0 && checker.CompareFindings(prev, cur) > 0 {
			return fmt.Errorf("finding %d (%s %s %s %s %s) comes after (%s %s %s %s %s)", n+1, cur.CaseID, cur.Edition,
				cur.Rule, cur.Referral, cur.Subject, prev.CaseID, prev.Edition, prev.Rule, prev.Referral, prev.Subject)
		}
		prev = cur
		cur = checker.Finding{}
		n++
		return nil
	}
	switch format {
	case "compare":
		return readDifferences(r)
	case "csv":
		cr := csv.NewReader(bufio.NewReaderSize(r, 1<<20))
		cr.ReuseRecord = true
		if _, err := cr.Read(); err != nil { // the header
			return 0, err
		}
		for {
			row, err := cr.Read()
			if err == io.EOF {
				return n, nil
			}
			if err != nil {
				return n, err
			}
			if row[5] == "not_covered" {
				continue // a row of its own after the findings (none with every edition)
			}
			cur = checker.Finding{CaseID: row[0], Edition: row[1], Rule: row[2], Subject: row[3], Referral: row[4], Pack: row[17]}
			if err := next(); err != nil {
				return n, err
			}
		}
	case "json":
		// The findings are the objects of the top-level "findings" array, one field a line,
		// indented six spaces (findings-format.md; the JSON writer's layout).
		sc := bufio.NewScanner(bufio.NewReaderSize(r, 1<<20))
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		fields := map[string]*string{`"case_id"`: &cur.CaseID, `"edition"`: &cur.Edition, `"rule"`: &cur.Rule,
			`"subject"`: &cur.Subject, `"referral"`: &cur.Referral, `"pack"`: &cur.Pack}
		in, listed := false, -1
		for sc.Scan() {
			line := sc.Bytes()
			switch {
			case bytes.Equal(line, []byte(`  "findings": [`)):
				in = true
			case in && bytes.HasPrefix(line, []byte(`  ]`)):
				in = false
			case in && (bytes.Equal(line, []byte(`    }`)) || bytes.Equal(line, []byte(`    },`))):
				if err := next(); err != nil {
					return n, err
				}
			case in && bytes.HasPrefix(line, []byte(`      "`)):
				key, value, _ := bytes.Cut(bytes.TrimSpace(line), []byte(": "))
				if p, ok := fields[string(key)]; ok {
					if err := json.Unmarshal(bytes.TrimSuffix(value, []byte(",")), p); err != nil {
						return n, fmt.Errorf("finding %d: %s: %w", n+1, key, err)
					}
				}
			case bytes.HasPrefix(line, []byte(`      "breach": `)) || bytes.HasPrefix(line, []byte(`      "pending": `)):
				// The summary's counts of the statuses listed by default.
				v, _ := strconv.Atoi(string(bytes.TrimSuffix(bytes.Fields(line)[1], []byte(","))))
				listed = max(listed, 0) + v
			}
		}
		if err := sc.Err(); err != nil {
			return n, err
		}
		if n != listed {
			return n, fmt.Errorf("%d findings in the report, the summary counts %d breach and pending", n, listed)
		}
		return n, nil
	}
	return 0, fmt.Errorf("no reader for --format %s", format)
}

// readDifferences reads a comparison's JSON as it streams out and checks that its differences
// are in compare.CompareDifferences order, returning how many it listed.
func readDifferences(r io.Reader) (int, error) {
	var prev, cur compare.Difference
	sc := bufio.NewScanner(bufio.NewReaderSize(r, 1<<20))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	fields := map[string]*string{`"case_id"`: &cur.CaseID, `"incident_id"`: &cur.IncidentID, `"area_id"`: &cur.AreaID,
		`"referral"`: &cur.Referral, `"subject"`: &cur.Subject, `"requirement"`: &cur.Requirement}
	in, n := false, 0
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case bytes.Equal(line, []byte(`  "differences": [`)):
			in = true
		case in && bytes.HasPrefix(line, []byte(`  ]`)):
			in = false
		case in && (bytes.Equal(line, []byte(`    }`)) || bytes.Equal(line, []byte(`    },`))):
			if n > 0 && compare.CompareDifferences(&prev, &cur) >= 0 {
				return n, fmt.Errorf("difference %d (%s %s) is not after (%s %s)", n+1, cur.Label(), cur.Requirement, prev.Label(), prev.Requirement)
			}
			prev, cur = cur, compare.Difference{}
			n++
		case in && bytes.HasPrefix(line, []byte(`      "`)):
			key, value, _ := bytes.Cut(bytes.TrimSpace(line), []byte(": "))
			if p, ok := fields[string(key)]; ok {
				if err := json.Unmarshal(bytes.TrimSuffix(value, []byte(",")), p); err != nil {
					return n, fmt.Errorf("difference %d: %s: %w", n+1, key, err)
				}
			}
		}
	}
	return n, sc.Err()
}

package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/internal/testgen"
)

// TestSortedOnDiskSameBytes: a report whose findings were sorted in runs on disk is, in every
// format, byte for byte the report held in memory, with the same messages and exit code; and
// so is the baseline written beside it.
func TestSortedOnDiskSameBytes(t *testing.T) {
	g, err := testgen.New("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cases := filepath.Join(dir, "cases.ndjson")
	f, err := os.Create(cases)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Write(f, 120); err != nil {
		t.Fatal(err)
	}
	f.Close()
	tmp := t.TempDir()
	formats := append(report.Formats(), report.AuditFormats()...)
	if !slices.Contains(formats, "json") || !slices.Contains(formats, "html") {
		t.Fatalf("formats %v", formats)
	}
	for _, format := range formats {
		t.Run(format, func(t *testing.T) {
			outputs := map[string]string{}
			for _, memory := range []string{"1GiB", "16KiB"} {
				// The same names both times: the messages name them.
				out := filepath.Join(dir, format+".out")
				baseline := filepath.Join(dir, format+".baseline.json")
				args := []string{"check", "--format", format, "--sort-memory", memory, "--tmpdir", tmp, "-o", out, cases}
				if _, audit := report.LookupAudit(format); !audit {
					args = append(args, "--write-baseline", baseline)
				}
				code, stdout, stderr := run(t, "", args...)
				got, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) < 5000 {
					t.Fatalf("--sort-memory %s: a report of %d bytes; stderr %s", memory, len(got), stderr)
				}
				bl, _ := os.ReadFile(baseline)
				outputs[memory] = string(got) + "\x00" + string(bl) + "\x00" + stdout + "\x00" + stderr + "\x00" + string(rune('0'+code))
			}
			if outputs["1GiB"] != outputs["16KiB"] {
				t.Errorf("--format %s: the report sorted on disk differs from the one sorted in memory", format)
			}
			if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
				t.Errorf("%d files left in --tmpdir", len(entries))
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"64MiB", 64 << 20}, {"64mib", 64 << 20}, {"64M", 64 << 20}, {"64 MB", 64 << 20}, {"512KiB", 512 << 10},
		{"1GiB", 1 << 30}, {"2g", 2 << 30}, {"100", 100}, {"100B", 100}, {"1b", 1},
	} {
		if got, err := parseSize(tc.in); err != nil || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "0", "-1MiB", "MiB", "1.5GiB", "64TiB", "9999999999GiB", "lots"} {
		if got, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", bad, got)
		}
	}
	code, _, stderr := run(t, "", "check", "--sort-memory", "lots", icpcLate)
	if want := `wtcheck: --sort-memory "lots": want a size such as 64MiB, 512KiB or 1GiB (at least 1 byte)` + "\n"; code != 2 || stderr != want {
		t.Errorf("exit %d, stderr %q; want 2, %q", code, stderr, want)
	}
}

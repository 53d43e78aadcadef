package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyFile copies a file into dir and returns the copy's path.
func copyFile(t *testing.T, src, dir string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// unchanged fails when a file's content is not what it was.
func unchanged(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s was changed", path)
	}
}

// TestOutputThatIsAnInputIsRefused: every command that writes refuses to write over a file
// it reads, by identity (another name for the file is the same file), before checking.
func TestOutputThatIsAnInputIsRefused(t *testing.T) {
	dir := t.TempDir()
	cases := copyFile(t, icpcLate+"/case.json", dir)
	census := copyFile(t, censusFull, dir)
	pack := filepath.Join(dir, "local.yaml")
	os.WriteFile(pack, []byte("id: la-local\nextends: wt2023\nrules: []\n"), 0o644)
	hols := filepath.Join(dir, "hols.yaml")
	os.WriteFile(hols, []byte("holidays: [2027-06-07]\n"), 0o644)
	baseline := filepath.Join(dir, "baseline.json")
	if code, _, stderr := run(t, "", "check", "--fail-on", "none", "--write-baseline", baseline, "-o", os.DevNull, cases); code != 0 {
		t.Fatalf("writing the baseline: exit %d: %s", code, stderr)
	}
	sameCases := filepath.Join(dir, ".", "case.json") // another name for the same file
	tests := []struct {
		name  string
		args  []string
		input string // the file that must be left as it was
		says  string
	}{
		{"check -o the case file", []string{"check", "-o", sameCases, cases}, cases, "-o " + sameCases + ": is the case file " + cases},
		{"check -o a case file found in a directory", []string{"check", "-o", cases, dir}, cases, "-o " + cases + ": is the case file " + cases},
		{"check --write-baseline the case file", []string{"check", "--write-baseline", cases, cases}, cases, "--write-baseline " + cases + ": is the case file " + cases},
		{"check -o the pack", []string{"check", "--pack", pack, "-o", pack, cases}, pack, "-o " + pack + ": is the pack " + pack},
		{"check --write-baseline the pack", []string{"check", "--pack", pack, "--write-baseline", pack, cases}, pack, "--write-baseline " + pack + ": is the pack " + pack},
		{"check -o the holiday file", []string{"check", "--holidays", hols, "-o", hols, cases}, hols, "-o " + hols + ": is the holiday file " + hols},
		{"check -o the baseline", []string{"check", "--baseline", baseline, "-o", baseline, cases}, baseline, "-o " + baseline + ": is the baseline " + baseline},
		{"check -o and --write-baseline one file", []string{"check", "-o", baseline, "--write-baseline", baseline, cases}, baseline, "-o " + baseline + " and --write-baseline " + baseline + ": are the same file"},
		{"check --format html -o the case file", []string{"check", "--format", "html", "-o", cases, cases}, cases, "-o " + cases + ": is the case file " + cases},
		{"report -o the case file", []string{"report", "--format", "xlsx", "-o", cases, cases}, cases, "-o " + cases + ": is the case file " + cases},
		{"report -o the holiday file", []string{"report", "--holidays", hols, "-o", hols, cases}, hols, "-o " + hols + ": is the holiday file " + hols},
		{"compare -o the case file", []string{"compare", "-o", sameCases, cases}, cases, "-o " + sameCases + ": is the case file " + cases},
		{"compare -o the holiday file", []string{"compare", "--holidays", hols, "-o", hols, cases}, hols, "-o " + hols + ": is the holiday file " + hols},
		{"import -o the return", []string{"import", "cin-census", census, "-o", census}, census, "-o " + census + ": is the input " + census},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := os.ReadFile(tt.input)
			if err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := run(t, "", tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(stderr, tt.says) || stdout != "" {
				t.Errorf("stderr %q, want it to say %q; stdout %q", stderr, tt.says, stdout)
			}
			unchanged(t, tt.input, before)
			if l, _ := filepath.Glob(filepath.Join(dir, ".wtcheck-*")); len(l) > 0 {
				t.Errorf("temporary files left: %q", l)
			}
		})
	}
}

// TestWriteBaselineUpdatesTheBaseline: --write-baseline may name the --baseline file (it is
// read whole first): the ratchet of a CI job.
func TestWriteBaselineUpdatesTheBaseline(t *testing.T) {
	dir := t.TempDir()
	baseline := filepath.Join(dir, "baseline.json")
	os.WriteFile(baseline, []byte(`{"format": "wtcheck/baseline/v1", "breaches": []}`), 0o644)
	code, _, stderr := run(t, "", "check", "--edition", "2018", "--baseline", baseline, "--write-baseline", baseline, "-o", os.DevNull, icpcLate)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (a new breach): %s", code, stderr)
	}
	data, _ := os.ReadFile(baseline)
	if !strings.Contains(string(data), `"rule": "icpc-timeliness"`) {
		t.Errorf("the baseline was not updated:\n%s", data)
	}
	if code, _, stderr := run(t, "", "check", "--edition", "2018", "--baseline", baseline, "-o", os.DevNull, icpcLate); code != 0 {
		t.Errorf("with the updated baseline: exit %d, want 0: %s", code, stderr)
	}
}

func TestOutputKeepsModeAndRefusesReadOnly(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	os.WriteFile(out, []byte("old"), 0o644)
	os.Chmod(out, 0o640)
	if code, _, stderr := run(t, "", "check", "--format", "json", "-o", out, icpcLate); code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if info, _ := os.Stat(out); info.Mode() != 0o640 {
		t.Errorf("mode %v, want -rw-r----- kept", info.Mode())
	}
	if data, _ := os.ReadFile(out); !strings.HasPrefix(string(data), "{") {
		t.Errorf("report not written: %q", data)
	}

	readOnly := filepath.Join(dir, "frozen.json")
	os.WriteFile(readOnly, []byte("keep"), 0o444)
	for _, args := range [][]string{
		{"check", "-o", readOnly, icpcLate},
		{"check", "-o", os.DevNull, "--write-baseline", readOnly, icpcLate},
		{"report", "-o", readOnly, icpcLate},
		{"compare", "-o", readOnly, icpcLate},
		{"import", "cin-census", censusFull, "-o", readOnly},
	} {
		code, _, stderr := run(t, "", args...)
		if code != 2 || !strings.Contains(stderr, readOnly+": the file is read-only: it was left as it is") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		unchanged(t, readOnly, []byte("keep"))
	}
}

// TestDevNullStaysADevice: -o /dev/null, as a CI job run as root writes it, leaves the device
// as it is for every other program.
func TestDevNullStaysADevice(t *testing.T) {
	before, err := os.Stat(os.DevNull)
	if err != nil || before.Mode()&os.ModeCharDevice == 0 {
		t.Skip("no /dev/null device")
	}
	for _, args := range [][]string{
		{"check", "-o", os.DevNull, icpcLate},
		{"check", "--fail-on", "none", "--write-baseline", os.DevNull, icpcLate},
		{"report", "--format", "xlsx", "-o", os.DevNull, icpcLate},
		{"compare", "-o", os.DevNull, icpcLate},
		{"import", "cin-census", censusFull, "-o", os.DevNull},
	} {
		if code, _, stderr := run(t, "", args...); code == 2 {
			t.Errorf("%v: exit 2: %s", args, stderr)
		}
		after, err := os.Stat(os.DevNull)
		if err != nil || after.Mode() != before.Mode() || !os.SameFile(before, after) {
			t.Fatalf("%v: /dev/null was %v, is now %v", args, before.Mode(), after.Mode())
		}
	}
}

func TestWorkersAndInputFilesAreBounded(t *testing.T) {
	tests := []struct {
		args []string
		says string
	}{
		{[]string{"check", "--workers", "100000000", icpcLate}, "--workers 100000000: want 0 (one per CPU) to 1024"},
		{[]string{"check", "--workers", "-1", icpcLate}, "--workers -1: want 0 (one per CPU) to 1024"},
		{[]string{"report", "--workers", "2000", icpcLate}, "--workers 2000: want 0 (one per CPU) to 1024"},
		{[]string{"compare", "--workers", "2000", icpcLate}, "--workers 2000: want 0 (one per CPU) to 1024"},
		{[]string{"check", "--pack", "/dev/zero", icpcLate}, "read pack: /dev/zero: is larger than 4 MiB, the most it may be"},
		{[]string{"check", "--holidays", "/dev/zero", icpcLate}, "read holidays: /dev/zero: is larger than 1 MiB, the most it may be"},
		{[]string{"check", "--baseline", "/dev/zero", icpcLate}, "read baseline /dev/zero: invalid character"},
		{[]string{"lint", "/dev/zero"}, "read pack: /dev/zero: is larger than 4 MiB, the most it may be"},
		{[]string{"check", "--redact", "--redact-key-file", "/dev/zero", icpcLate}, "read the redaction key: /dev/zero: is larger than 64 KiB, the most it may be"},
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	for _, tt := range tests {
		code, _, stderr := run(t, "", tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.says) {
			t.Errorf("%v: exit %d, stderr %q, want it to say %q", tt.args, code, stderr, tt.says)
		}
	}
}

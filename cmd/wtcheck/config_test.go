package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// inDir runs the test in a new working directory holding the given files, and returns the
// absolute path of the icpc-late fixture, which the new directory no longer reaches by its
// relative path.
func inDir(t *testing.T, files map[string]string) (dir, fixture string) {
	t.Helper()
	fixture, err := filepath.Abs(icpcLate)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir, fixture
}

// TestConfigGivesFlags: a check with wtcheck.yaml writes what the same check with the file's
// settings as flags writes, to the byte, with the same exit code.
func TestConfigGivesFlags(t *testing.T) {
	_, fixture := inDir(t, map[string]string{"wtcheck.yaml": "editions: [2018]\nas-of: 2024-03-31\nset:\n  visit_interval_working_days: 5\nfail-on: none\n"})
	code, stdout, stderr := run(t, "", "check", "--format", "json", fixture)
	if code != 0 {
		t.Fatalf("exit %d, want 0 (fail-on none); stderr %s", code, stderr)
	}
	os.Remove("wtcheck.yaml")
	wantCode, want, _ := run(t, "", "check", "--format", "json", "--edition", "2018", "--as-of", "2024-03-31", "--set", "visit_interval_working_days=5", "--fail-on", "none", fixture)
	if wantCode != 0 || stdout != want {
		t.Errorf("with the file: exit 0\n%s\nwith the flags: exit %d\n%s", stdout, wantCode, want)
	}
	// The parameter took effect: a visit due 5 working days after the one of 1 February.
	if !strings.Contains(stdout, `"rule": "cp-visit-interval"`) || !strings.Contains(stdout, `"due": "2024-02-08"`) {
		t.Errorf("--set from the file not applied:\n%s", stdout)
	}
}

// TestConfigFlagsOverride: a flag given on the command line wins over the file.
func TestConfigFlagsOverride(t *testing.T) {
	_, fixture := inDir(t, map[string]string{"wtcheck.yaml": "editions: [2018]\nfail-on: none\n"})
	if code, _, stderr := run(t, "", "check", fixture); code != 0 {
		t.Fatalf("exit %d with fail-on none from the file; stderr %s", code, stderr)
	}
	if code, _, stderr := run(t, "", "check", "--fail-on", "breach", fixture); code != 1 {
		t.Errorf("exit %d, want 1: --fail-on breach overrides the file; stderr %s", code, stderr)
	}
}

// TestConfigPathsRelativeToTheFile: a path in the file is read from the file's directory,
// whatever the working directory.
func TestConfigPathsRelativeToTheFile(t *testing.T) {
	dir, fixture := inDir(t, map[string]string{"ci/wtcheck.yaml": "editions: [2018]\nbaseline: known.json\n"})
	if code, _, stderr := run(t, "", "check", "--edition", "2018", "--write-baseline", filepath.Join(dir, "ci", "known.json"), fixture); code != 1 {
		t.Fatalf("writing the baseline: exit %d; %s", code, stderr)
	}
	code, stdout, stderr := run(t, "", "check", "--config", "ci/wtcheck.yaml", fixture)
	if code != 0 {
		t.Errorf("exit %d, want 0: every breach is in ci/known.json; stderr %s", code, stderr)
	}
	if !strings.Contains(stderr, "baseline: 0 new breaches, 1 known not listed") || strings.Contains(stdout, "breach ") {
		t.Errorf("the baseline was not read from ci/:\nstdout %s\nstderr %s", stdout, stderr)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name, file string
		args       []string
		want       string
	}{
		{"unknown keys, every one with its line", "editions: [2018]\nformat: json\nfailon: none\n", nil,
			"wtcheck: wtcheck.yaml:2:1: unknown key \"format\" (want one of editions, as-of, set, packs, holidays, baseline, fail-on, redact, redact-key-file, outputs)\n" +
				"wtcheck.yaml:3:1: unknown key \"failon\" (want one of editions, as-of, set, packs, holidays, baseline, fail-on, redact, redact-key-file, outputs)\n"},
		{"a date that is not one", "as-of: 2024-02-30\n", nil,
			"wtcheck: wtcheck.yaml:1: as-of: date \"2024-02-30\" is not a real calendar date (YYYY-MM-DD)\n"},
		{"an edition not shipped", "editions: [2018, 2014]\nfail-on: sometimes\n", nil,
			"wtcheck: wtcheck.yaml:1: editions: no shipped edition \"2014\" (want 2010, 2013, 2015, 2018, 2023, 2026, in-force)\nwtcheck.yaml:2: fail-on: \"sometimes\": want none, info, warning or breach\n"},
		{"the config file as the report", "fail-on: none\n", []string{"-o", "wtcheck.yaml"},
			"wtcheck: -o wtcheck.yaml: is the config file wtcheck.yaml: writing there would overwrite it; nothing was checked\n"},
		{"a --config file that is not there", "", []string{"--config", "nowhere.yaml"}, "wtcheck: read config: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fixture := inDir(t, map[string]string{"wtcheck.yaml": tt.file})
			code, stdout, stderr := run(t, "", append(append([]string{"check"}, tt.args...), fixture)...)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, stdout)
			}
			if !strings.HasPrefix(stderr, tt.want) || (!strings.HasSuffix(tt.want, ": ") && stderr != tt.want) {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, tt.want)
			}
			if data, _ := os.ReadFile("wtcheck.yaml"); string(data) != tt.file {
				t.Errorf("wtcheck.yaml changed: %q", data)
			}
		})
	}
}

// TestConfigOnlyForTheCommandsThatReadIt: a broken wtcheck.yaml does not stop a command that
// takes nothing from it.
func TestConfigOnlyForTheCommandsThatReadIt(t *testing.T) {
	inDir(t, map[string]string{"wtcheck.yaml": "nonsense: true\n"})
	if code, _, stderr := run(t, "", "rules", "list"); code != 0 {
		t.Errorf("rules list: exit %d; %s", code, stderr)
	}
	if code, _, stderr := run(t, "", "report", "--format", "html", "-o", "r.html", "x"); code != 2 || !strings.Contains(stderr, "wtcheck.yaml:1:1: unknown key") {
		t.Errorf("report: exit %d; %s", code, stderr)
	}
}

func TestConfigShow(t *testing.T) {
	inDir(t, map[string]string{"ci/wtcheck.yaml": `# the nightly job
editions: [2018, 2023]
set:
  visit_interval_working_days: 5
packs: [overlay.yaml]
fail-on: warning
redact-key-file: /run/secrets/key
`})
	code, stdout, stderr := run(t, "", "config", "show", "--config", "ci/wtcheck.yaml", "--fail-on", "none", "--as-of", "2024-03-31")
	want := `config file: ci/wtcheck.yaml

SETTING          FLAG               VALUE                          FROM
editions         --edition          2018                           ci/wtcheck.yaml:2
                                    2023
as-of            --as-of            2024-03-31                     flag
set              --set              visit_interval_working_days=5  ci/wtcheck.yaml:3
packs            --pack             ci/overlay.yaml                ci/wtcheck.yaml:5
holidays         --holidays         -                              default
baseline         --baseline         -                              default
fail-on          --fail-on          none                           flag
redact           --redact           false                          default
redact-key-file  --redact-key-file  /run/secrets/key               ci/wtcheck.yaml:7 (used with --redact)
outputs          --output           -                              default
`
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, stderr, stdout, want)
	}
	code, stdout, _ = run(t, "", "config", "show", "--redact")
	if code != 0 || !strings.HasPrefix(stdout, "config file: none (no wtcheck.yaml in the working directory)\n") || !strings.Contains(stdout, "redact           --redact           true    flag\n") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

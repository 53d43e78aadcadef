package ci

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// testVersion is the tag of the release the tests build; any tag the script accepts will do.
const testVersion = "v0.0.0-citest"

// root is the repository's top directory, absolute: the action runs from it.
var root = func() string {
	dir, err := filepath.Abs("../..")
	if err != nil {
		panic(err)
	}
	return dir
}()

// release is the temporary release tree the tests fetch from: releases/TAG/ holding the
// host's binary, its SBOM and SHA256SUMS, as `make release` writes dist/.
var release struct {
	base   string // the directory holding one directory per tag: the action's release-base-url
	dir    string // base/testVersion
	name   string // the host's binary, as the release names it: wtcheck-linux-amd64
	sha256 string // its SHA-256, as SHA256SUMS gives it
	err    error
}

// shell is the POSIX sh the scripts run under: dash where it is installed (Debian's sh),
// since bash would forgive bashisms that BusyBox and dash do not.
var shell = func() string {
	if p, err := exec.LookPath("dash"); err == nil {
		return p
	}
	return "sh"
}()

// releaseOnce builds the release for the first test that needs one, so that a run of
// other tests (make pg-test's -run Postgres) builds nothing.
var (
	releaseOnce sync.Once
	releaseTmp  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if releaseTmp != "" {
		os.RemoveAll(releaseTmp)
	}
	os.Exit(code)
}

// buildRelease builds the host's binary with the release's own target (make release-binary:
// the release's flags, written once in the Makefile) and finishes the directory with the
// release's own tool (SBOM and SHA256SUMS), so the file names and the checksum file are
// exactly a release's. Only the host's platform is built: the other four would add minutes
// on a fresh cache and nothing the script could run.
func buildRelease(tmp string) {
	ext := ""
	if runtime.GOOS == "windows" {
		ext = ".exe"
	}
	release.base = filepath.Join(tmp, "releases")
	release.dir = filepath.Join(release.base, testVersion)
	release.name = "wtcheck-" + runtime.GOOS + "-" + runtime.GOARCH + ext
	if err := os.MkdirAll(release.dir, 0o755); err != nil {
		release.err = err
		return
	}
	mk := exec.Command("make", "--no-print-directory", "release-binary",
		"TARGETOS="+runtime.GOOS, "TARGETARCH="+runtime.GOARCH, "OUT="+filepath.Join(release.dir, release.name),
		"VERSION="+testVersion, "COMMIT=0123456789abcdef0123456789abcdef01234567", "DATE=2026-12-06T12:00:00Z",
		// The Go installed, not the release's pinned toolchain, which a newer Go would fetch:
		// the test needs no network, and the binary's bytes do not matter here.
		"RELEASE_TOOLCHAIN=local")
	mk.Dir = root
	if out, err := mk.CombinedOutput(); err != nil {
		release.err = fmt.Errorf("make release-binary: %v\n%s", err, out)
		return
	}
	fin := exec.Command("go", "run", "./tools/release", "-version", testVersion,
		"-commit", "0123456789abcdef0123456789abcdef01234567", "-date", "2026-12-06T12:00:00Z", release.dir)
	fin.Dir = root
	fin.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := fin.CombinedOutput(); err != nil {
		release.err = fmt.Errorf("go run ./tools/release: %v\n%s", err, out)
		return
	}
	data, err := os.ReadFile(filepath.Join(release.dir, release.name))
	if err != nil {
		release.err = err
		return
	}
	release.sha256 = sha256Hex(data)
}

func needRelease(t *testing.T) {
	t.Helper()
	releaseOnce.Do(func() {
		if releaseTmp, release.err = os.MkdirTemp("", "wtcheck-ci-release-"); release.err == nil {
			buildRelease(releaseTmp)
		}
	})
	if release.err != nil {
		t.Fatalf("build the test release: %v", release.err)
	}
	if runtime.GOOS == "windows" {
		t.Skip("the scripts are run with sh; the Windows runner path is not tested here")
	}
}

// TestReleaseDirectoryIsLaidOutAsMakeRelease checks the tests fetch from what `make release`
// writes: the binary under its release name, its SBOM, and SHA256SUMS listing both in
// sha256sum's format.
func TestReleaseDirectoryIsLaidOutAsMakeRelease(t *testing.T) {
	needRelease(t)
	entries, err := os.ReadDir(release.dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"SHA256SUMS", release.name, release.name + ".cdx.json"}
	sort.Strings(want)
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("release directory holds %v, want %v", names, want)
	}
	sums, err := os.ReadFile(filepath.Join(release.dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sums), release.sha256+"  "+release.name+"\n") {
		t.Errorf("SHA256SUMS has no line %q:\n%s", release.sha256+"  "+release.name, sums)
	}
}

// project makes a checkout-like working directory holding the sample extract as
// extracts/latest.ndjson, and returns it.
func project(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sample, err := os.ReadFile(filepath.Join(root, "fixtures", "sample", "cases.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "extracts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "extracts", "latest.ndjson"), sample, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newBreach is a case with a breach of the 2023 edition that no baseline of the sample knows:
// a referral decided 4 working days after it was received (the limit is one).
const newBreach = `{"case_id":"C-NEW","extract_date":"2025-03-31","referrals":[{"id":"R1","received":"2025-03-03","decision":"2025-03-07"}]}` + "\n"

// addCase appends a record to the project's extract.
func addCase(t *testing.T, dir, record string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, "extracts", "latest.ndjson"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(record); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// wtcheck runs the release's binary directly in dir: the reference the script's reports are
// compared with. It returns the exit status and standard output.
func wtcheck(t *testing.T, dir string, args ...string) (int, []byte) {
	t.Helper()
	cmd := exec.Command(filepath.Join(release.dir, release.name), args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("wtcheck %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return code, out
}

// breachCount is how many breaches wtcheck itself finds in dir's extract under the 2023
// edition (its JSON summary), what the outputs must say, and how many of them are of a must
// (severity breach), what fail-on breach and max-breaches count.
func breachCount(t *testing.T, dir string) (all, musts int) {
	t.Helper()
	_, out := wtcheck(t, dir, "check", "--edition", "2023", "--fail-on", "none", "--format", "json", "extracts/latest.ndjson")
	var report struct {
		Summary struct {
			Findings map[string]int
		}
		Findings []struct{ Status, Severity string }
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("read wtcheck's JSON report: %v", err)
	}
	all = report.Summary.Findings["breach"]
	for _, f := range report.Findings {
		if f.Status == "breach" && f.Severity == "breach" {
			musts++
		}
	}
	if musts == 0 || musts == all {
		t.Fatalf("the sample has %d breaches under 2023, %d of a must: the tests below need both kinds", all, musts)
	}
	return all, musts
}

// env is the environment the scripts run in: this process's, without any WTCHECK_,
// GITHUB_, RUNNER_ or CI variable of the machine running the tests, plus the given ones.
func env(extra map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "WTCHECK_") || strings.HasPrefix(name, "GITHUB_") ||
			strings.HasPrefix(name, "RUNNER_") || strings.HasPrefix(name, "CI") || name == "TMPDIR" {
			continue
		}
		out = append(out, kv)
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, k+"="+extra[k])
	}
	return out
}

// exitCode returns a finished command's exit status.
func exitCode(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	t.Fatalf("run: %v", err)
	return -1
}

// readOutputs reads a $GITHUB_OUTPUT file (name=value lines).
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("output line %q has no =", line)
		}
		if _, dup := out[k]; dup {
			t.Errorf("output %s written twice", k)
		}
		out[k] = v
	}
	return out
}

// sameFile fails unless the file at got holds exactly want.
func sameFile(t *testing.T, got string, want []byte) {
	t.Helper()
	data, err := os.ReadFile(got)
	if err != nil {
		t.Errorf("report not written: %v", err)
		return
	}
	if !bytes.Equal(data, want) {
		t.Errorf("%s differs from what wtcheck writes with the same flags (%d bytes, want %d)", got, len(data), len(want))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

package ci

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// scriptRun is one run of ci/wtcheck-ci.sh as a GitHub runner would run it.
type scriptRun struct {
	code    int
	stderr  string
	outputs map[string]string
	temp    string // RUNNER_TEMP
}

// runnerOS and runnerArch name the host as GitHub names its runners.
func runnerOS() string {
	switch runtime.GOOS {
	case "darwin":
		return "macOS"
	case "windows":
		return "Windows"
	}
	return "Linux"
}

func runnerArch() string {
	if runtime.GOARCH == "arm64" {
		return "ARM64"
	}
	return "X64"
}

// runScript runs ci/wtcheck-ci.sh with sh in dir, with the given WTCHECK_* settings and the
// variables a GitHub runner sets (unless vars overrides them).
func runScript(t *testing.T, dir string, vars map[string]string) scriptRun {
	t.Helper()
	temp := t.TempDir()
	outFile := filepath.Join(t.TempDir(), "github_output")
	all := map[string]string{
		"GITHUB_OUTPUT": outFile,
		"RUNNER_TEMP":   temp,
		"RUNNER_OS":     runnerOS(),
		"RUNNER_ARCH":   runnerArch(),
	}
	for k, v := range vars {
		all[k] = v
	}
	cmd := exec.Command(shell, filepath.Join(root, "ci", "wtcheck-ci.sh"))
	cmd.Dir = dir
	cmd.Env = env(all)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	err := cmd.Run()
	r := scriptRun{code: exitCode(t, err), stderr: stderr.String(), temp: temp}
	if _, err := os.Stat(outFile); err == nil {
		r.outputs = readOutputs(t, outFile)
	}
	return r
}

// fromRelease are the settings that fetch the test release from its file:// URL.
func fromRelease(vars map[string]string) map[string]string {
	out := map[string]string{
		"WTCHECK_VERSION":          testVersion,
		"WTCHECK_RELEASE_BASE_URL": "file://" + release.base,
		"WTCHECK_PATHS":            "extracts/latest.ndjson",
		"WTCHECK_EDITIONS":         "2023",
	}
	for k, v := range vars {
		out[k] = v
	}
	return out
}

func wantExit(t *testing.T, r scriptRun, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d:\n%s", r.code, code, r.stderr)
	}
	if got := r.outputs["exit-code"]; got != itoa(code) {
		t.Errorf("exit-code output %q, want %d", got, code)
	}
}

func wantStderr(t *testing.T, r scriptRun, want string) {
	t.Helper()
	if !strings.Contains(r.stderr, want) {
		t.Errorf("standard error lacks %q:\n%s", want, r.stderr)
	}
}

// TestScriptGatesOnFailOn: with no baseline the gate fails on the sample's breaches, passes
// with fail-on none, and max-breaches moves the line to exactly the count of musts found.
func TestScriptGatesOnFailOn(t *testing.T) {
	needRelease(t)
	dir := project(t)
	n, musts := breachCount(t, dir)

	r := runScript(t, dir, fromRelease(nil))
	wantExit(t, r, 1)
	if r.outputs["breaches"] != itoa(n) || r.outputs["new-breaches"] != itoa(n) {
		t.Errorf("breaches %q, new-breaches %q; want %d each", r.outputs["breaches"], r.outputs["new-breaches"], n)
	}
	wantStderr(t, r, "wtcheck-ci: verified "+release.name+": SHA-256 "+release.sha256+"\n")
	wantStderr(t, r, "wtcheck-ci: wtcheck "+testVersion+" (")
	wantStderr(t, r, "wtcheck-ci: failed ("+itoa(n)+" breaches found): a breach at or above fail-on")

	r = runScript(t, dir, fromRelease(map[string]string{"WTCHECK_FAIL_ON": "none"}))
	wantExit(t, r, 0)
	wantStderr(t, r, "wtcheck-ci: passed ("+itoa(n)+" breaches found)\n")

	// max-breaches counts what fail-on does: breaches of a must. fail-on warning counts the
	// shoulds too.
	r = runScript(t, dir, fromRelease(map[string]string{"WTCHECK_MAX_BREACHES": itoa(musts)}))
	wantExit(t, r, 0)
	r = runScript(t, dir, fromRelease(map[string]string{"WTCHECK_MAX_BREACHES": itoa(musts - 1)}))
	wantExit(t, r, 1)
	r = runScript(t, dir, fromRelease(map[string]string{"WTCHECK_MAX_BREACHES": itoa(musts), "WTCHECK_FAIL_ON": "warning"}))
	wantExit(t, r, 1)
}

// TestScriptBaselineFailsOnlyOnNewBreaches: the gate passes on the extract its baseline was
// written from, counts every breach as known, and fails on one more; the JUnit report lists
// the new breach only, while the SARIF for code scanning keeps the full run.
func TestScriptBaselineFailsOnlyOnNewBreaches(t *testing.T) {
	needRelease(t)
	dir := project(t)
	n, _ := breachCount(t, dir)
	if code, _ := wtcheck(t, dir, "check", "--edition", "2023", "--fail-on", "none", "--write-baseline", "wtcheck-baseline.json", "extracts/latest.ndjson"); code != 0 {
		t.Fatalf("write the baseline: exit %d", code)
	}
	vars := fromRelease(map[string]string{
		"WTCHECK_BASELINE": "wtcheck-baseline.json",
		"WTCHECK_JUNIT":    "wtcheck-junit.xml",
		"WTCHECK_SARIF":    "wtcheck.sarif",
	})

	r := runScript(t, dir, vars)
	wantExit(t, r, 0)
	if r.outputs["breaches"] != itoa(n) || r.outputs["new-breaches"] != "0" {
		t.Errorf("breaches %q, new-breaches %q; want %d and 0", r.outputs["breaches"], r.outputs["new-breaches"], n)
	}
	wantStderr(t, r, "wtcheck-ci: passed ("+itoa(n)+" breaches found, 0 not in the baseline)\n")
	_, junit := wtcheck(t, dir, "check", "--edition", "2023", "--baseline", "wtcheck-baseline.json", "--fail-on", "none", "--format", "junit", "extracts/latest.ndjson")
	sameFile(t, filepath.Join(dir, "wtcheck-junit.xml"), junit)
	if !strings.Contains(string(junit), `failures="0"`) {
		t.Errorf("the JUnit report under a baseline of every breach lists a failure:\n%.300s", junit)
	}
	_, sarif := wtcheck(t, dir, "check", "--edition", "2023", "--fail-on", "none", "--format", "sarif", "extracts/latest.ndjson")
	sameFile(t, filepath.Join(dir, "wtcheck.sarif"), sarif)

	addCase(t, dir, newBreach)
	r = runScript(t, dir, vars)
	wantExit(t, r, 1)
	if r.outputs["breaches"] != itoa(n+1) || r.outputs["new-breaches"] != "1" {
		t.Errorf("breaches %q, new-breaches %q; want %d and 1", r.outputs["breaches"], r.outputs["new-breaches"], n+1)
	}
	wantStderr(t, r, "wtcheck: baseline: 1 new breach,")
	wantStderr(t, r, "wtcheck-ci: failed ("+itoa(n+1)+" breaches found, 1 not in the baseline): a breach at or above fail-on not in the baseline")
	// On GitHub the table is kept in RUNNER_TEMP, and the log says where.
	if table := r.outputs["findings"]; !strings.HasPrefix(table, r.temp) {
		t.Errorf("findings output %q: want the table in RUNNER_TEMP", table)
	} else {
		wantStderr(t, r, "; the table is in "+table+"\n")
	}
}

// tamperedRelease copies the test release to a new tree and lets change alter it.
func tamperedRelease(t *testing.T, change func(dir string)) string {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, testVersion)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(release.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(release.dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	change(dir)
	return base
}

// wantRefused checks a run that must stop before any wtcheck runs: exit 2, the message, no
// report written, and no binary left on the runner.
func wantRefused(t *testing.T, dir string, r scriptRun, message string) {
	t.Helper()
	wantExit(t, r, 2)
	wantStderr(t, r, "wtcheck-ci: "+message+"\n")
	if strings.Contains(r.stderr, "wtcheck-ci: run:") {
		t.Errorf("wtcheck ran:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "wtcheck.sarif")); !os.IsNotExist(err) {
		t.Errorf("a report was written: %v", err)
	}
	if r.outputs["wtcheck"] != "" {
		t.Errorf("wtcheck output %q after a refusal", r.outputs["wtcheck"])
	}
	left, _ := filepath.Glob(filepath.Join(r.temp, "wtcheck.*", release.name))
	if len(left) != 0 {
		t.Errorf("the refused binary was left on the runner: %v", left)
	}
}

// TestScriptRefusesABinaryThatFailsItsChecksum: a binary changed after its checksum was
// written, a checksum file without (or with two) entries for it, a malformed hash, and a
// pinned SHA-256 that differs all stop the run with exit 2 before the binary is run.
func TestScriptRefusesABinaryThatFailsItsChecksum(t *testing.T) {
	needRelease(t)
	bin := release.name
	cases := []struct {
		name    string
		change  func(dir string)
		vars    map[string]string
		message func(base string) string
	}{
		{
			name: "tampered binary",
			change: func(dir string) {
				path := filepath.Join(dir, bin)
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				data[len(data)/2] ^= 0xff
				if err := os.WriteFile(path, data, 0o755); err != nil {
					t.Fatal(err)
				}
			},
			message: func(base string) string {
				data, _ := os.ReadFile(filepath.Join(base, testVersion, bin))
				return "checksum mismatch: " + bin + " of " + testVersion + " has SHA-256 " + sha256Hex(data) +
					", SHA256SUMS says " + release.sha256 + ": refusing to run it"
			},
		},
		{
			name: "no entry",
			change: func(dir string) {
				rewriteSums(t, dir, func(l string) string { return strings.ReplaceAll(l, "  "+bin+"\n", "  other\n") })
			},
			message: func(string) string {
				return "SHA256SUMS of " + testVersion + " has no single entry for " + bin + ": refusing to run it"
			},
		},
		{
			name: "two entries",
			change: func(dir string) {
				rewriteSums(t, dir, func(l string) string { return l + strings.Repeat("0", 64) + "  " + bin + "\n" })
			},
			message: func(string) string {
				return "SHA256SUMS of " + testVersion + " has no single entry for " + bin + ": refusing to run it"
			},
		},
		{
			name: "malformed hash",
			change: func(dir string) {
				rewriteSums(t, dir, func(l string) string { return strings.ReplaceAll(l, release.sha256, "z"+release.sha256[1:]) })
			},
			message: func(string) string {
				return "SHA256SUMS of " + testVersion + " gives " + bin + " a malformed SHA-256: refusing to run it"
			},
		},
		{
			name:   "pinned hash differs",
			change: func(string) {},
			vars:   map[string]string{"WTCHECK_SHA256": strings.Repeat("AB", 32)},
			message: func(string) string {
				return "checksum mismatch: " + bin + " of " + testVersion + " has SHA-256 " + release.sha256 +
					", the pinned sha256 (WTCHECK_SHA256) is " + strings.Repeat("ab", 32) + ": refusing to run it"
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := tamperedRelease(t, c.change)
			dir := project(t)
			vars := fromRelease(map[string]string{"WTCHECK_RELEASE_BASE_URL": "file://" + base, "WTCHECK_SARIF": "wtcheck.sarif"})
			for k, v := range c.vars {
				vars[k] = v
			}
			wantRefused(t, dir, runScript(t, dir, vars), c.message(base))
		})
	}

	// The pinned hash, when right and in capitals, is accepted and said so.
	dir := project(t)
	r := runScript(t, dir, fromRelease(map[string]string{"WTCHECK_SHA256": strings.ToUpper(release.sha256), "WTCHECK_FAIL_ON": "none"}))
	wantExit(t, r, 0)
	wantStderr(t, r, "wtcheck-ci: verified "+bin+": SHA-256 "+release.sha256+" (pinned)\n")
}

func rewriteSums(t *testing.T, dir string, change func(string) string) {
	t.Helper()
	path := filepath.Join(dir, "SHA256SUMS")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(change(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestScriptFetchesOnlyWhatItIsTold: the release is found through a directory as well as a
// file:// URL; an unknown tag, a missing tag, an unknown scheme, a platform without a binary
// and bad settings all exit 2 with a message naming what to set.
func TestScriptFetchesOnlyWhatItIsTold(t *testing.T) {
	needRelease(t)
	dir := project(t)

	// A mounted mirror: a plain directory.
	r := runScript(t, dir, fromRelease(map[string]string{"WTCHECK_RELEASE_BASE_URL": release.base + "/", "WTCHECK_FAIL_ON": "none"}))
	wantExit(t, r, 0)
	// The action's own tag is the release when no version is given.
	r = runScript(t, dir, fromRelease(map[string]string{"WTCHECK_VERSION": "", "WTCHECK_ACTION_REF": testVersion, "WTCHECK_FAIL_ON": "none"}))
	wantExit(t, r, 0)
	if bin := r.outputs["wtcheck"]; !strings.HasPrefix(bin, r.temp+string(filepath.Separator)) || !strings.HasSuffix(bin, release.name) {
		t.Errorf("wtcheck output %q: want the verified binary in RUNNER_TEMP", bin)
	}

	for _, c := range []struct {
		name    string
		vars    map[string]string
		message string
	}{
		{"used at a branch", map[string]string{"WTCHECK_VERSION": "", "WTCHECK_ACTION_REF": "main"},
			"no release to fetch: set version (WTCHECK_VERSION) to a release tag such as v0.1.0 (the action is used at main, which is not a release tag), or build-from-source to true"},
		{"not a tag", map[string]string{"WTCHECK_VERSION": "../v1"}, `version "../v1" is not a release tag`},
		{"no such release", map[string]string{"WTCHECK_VERSION": "v9.9.9"},
			"fetch file://" + release.base + "/v9.9.9/SHA256SUMS: failed (is v9.9.9 a release, and can the runner reach file://" + release.base + "? A runner without internet sets release-base-url, WTCHECK_RELEASE_BASE_URL, to a mirror of the release files)"},
		{"unknown scheme", map[string]string{"WTCHECK_RELEASE_BASE_URL": "ftp://mirror.example/wtcheck"},
			"fetch ftp://mirror.example/wtcheck/" + testVersion + "/SHA256SUMS: failed (is " + testVersion + " a release, and can the runner reach ftp://mirror.example/wtcheck? A runner without internet sets release-base-url, WTCHECK_RELEASE_BASE_URL, to a mirror of the release files)"},
		// The release names: the runner's platform picks the file, which this release lacks.
		{"macOS on Apple silicon", map[string]string{"RUNNER_OS": "macOS", "RUNNER_ARCH": "ARM64"},
			"fetch file://" + release.base + "/" + testVersion + "/wtcheck-darwin-arm64: failed (is " + testVersion + " a release, and can the runner reach file://" + release.base + "?)"},
		{"Windows", map[string]string{"RUNNER_OS": "Windows", "RUNNER_ARCH": "X64"},
			"fetch file://" + release.base + "/" + testVersion + "/wtcheck-windows-amd64.exe: failed (is " + testVersion + " a release, and can the runner reach file://" + release.base + "?)"},
		{"no such platform", map[string]string{"RUNNER_ARCH": "ARM"},
			"no wtcheck release for the processor ARM: set build-from-source (WTCHECK_BUILD_FROM_SOURCE) to true"},
		{"no paths", map[string]string{"WTCHECK_PATHS": " "},
			"no extract to check: set paths (WTCHECK_PATHS) to the files or directories to check"},
		{"bad boolean", map[string]string{"WTCHECK_STRICT": "maybe"}, `strict (WTCHECK_STRICT) is "maybe": want true or false`},
		{"redact without a key", map[string]string{"WTCHECK_REDACT": "true"},
			"redact is true but there is no key: set redact-key (WTCHECK_REDACT_KEY, from a secret) or redact-key-file (WTCHECK_REDACT_KEY_FILE)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := project(t)
			wantRefused(t, dir, runScript(t, dir, fromRelease(c.vars)), c.message)
		})
	}
}

// TestScriptStopsWhenTheCheckCannotRun: an extract that arrived empty fails with exit 2 (never
// a pass that calls every known breach fixed), unless allow-empty says it may.
func TestScriptStopsWhenTheCheckCannotRun(t *testing.T) {
	needRelease(t)
	dir := project(t)
	if err := os.WriteFile(filepath.Join(dir, "extracts", "latest.ndjson"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := runScript(t, dir, fromRelease(map[string]string{"WTCHECK_JUNIT": "wtcheck-junit.xml"}))
	wantExit(t, r, 2)
	wantStderr(t, r, "extracts/latest.ndjson: no records in it")
	if _, err := os.Stat(filepath.Join(dir, "wtcheck-junit.xml")); !os.IsNotExist(err) {
		t.Errorf("a report of an empty extract was written: %v", err)
	}
	r = runScript(t, dir, fromRelease(map[string]string{"WTCHECK_ALLOW_EMPTY": "true"}))
	wantExit(t, r, 0)
	if r.outputs["breaches"] != "0" {
		t.Errorf("breaches %q of an empty extract", r.outputs["breaches"])
	}
}

// TestScriptRedactsEveryReport: with redact and a key from the environment (a secret), no
// case id of the extract reaches a report.
func TestScriptRedactsEveryReport(t *testing.T) {
	needRelease(t)
	dir := project(t)
	r := runScript(t, dir, fromRelease(map[string]string{
		"WTCHECK_REDACT": "true", "WTCHECK_REDACT_KEY": "a key for the test only",
		"WTCHECK_JUNIT": "wtcheck-junit.xml", "WTCHECK_SARIF": "wtcheck.sarif", "WTCHECK_FINDINGS": "findings.txt",
	}))
	wantExit(t, r, 1)
	_, plain := wtcheck(t, dir, "check", "--edition", "2023", "--fail-on", "none", "--format", "csv", "extracts/latest.ndjson")
	ids := map[string]bool{}
	for _, line := range strings.Split(string(plain), "\n")[1:] {
		if id, _, ok := strings.Cut(line, ","); ok && id != "" {
			ids[strings.TrimPrefix(id, "\ufeff")] = true
		}
	}
	if len(ids) == 0 {
		t.Fatal("no case id in the plain report")
	}
	for _, name := range []string{"wtcheck-junit.xml", "wtcheck.sarif", "findings.txt"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for id := range ids {
			if strings.Contains(string(data), id) {
				t.Errorf("%s holds the case id %s", name, id)
			}
		}
	}
}

// TestScriptBuildsFromSource: build-from-source builds this checkout with go build and runs
// it, without fetching anything.
func TestScriptBuildsFromSource(t *testing.T) {
	needRelease(t)
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs go on PATH")
	}
	dir := project(t)
	n, _ := breachCount(t, dir)
	r := runScript(t, dir, map[string]string{
		"WTCHECK_BUILD_FROM_SOURCE": "true", "WTCHECK_SOURCE_DIR": root,
		"WTCHECK_RELEASE_BASE_URL": "ftp://never.example", // would fail if it were used
		"WTCHECK_PATHS":            "extracts/latest.ndjson", "WTCHECK_EDITIONS": "2023",
	})
	wantExit(t, r, 1)
	wantStderr(t, r, "wtcheck-ci: build wtcheck from "+root+"\n")
	if r.outputs["breaches"] != itoa(n) {
		t.Errorf("breaches %q, want %d", r.outputs["breaches"], n)
	}
	if strings.Contains(r.stderr, "fetch") {
		t.Errorf("fetched although building from source:\n%s", r.stderr)
	}
	r = runScript(t, dir, map[string]string{"WTCHECK_BUILD_FROM_SOURCE": "true", "WTCHECK_SOURCE_DIR": dir, "WTCHECK_PATHS": "extracts"})
	wantRefused(t, dir, r, "build-from-source: "+dir+" holds no go.mod: it must be wtcheck's source (the action's own directory)")
}

// TestScriptLeavesNothingBehindOffGitHub: without RUNNER_TEMP (GitLab, a shell runner) the
// run's temporary directory, which holds the findings table, is removed.
func TestScriptLeavesNothingBehindOffGitHub(t *testing.T) {
	needRelease(t)
	dir := project(t)
	tmp := t.TempDir()
	r := runScript(t, dir, fromRelease(map[string]string{"RUNNER_TEMP": "", "TMPDIR": tmp}))
	wantExit(t, r, 1)
	left, _ := filepath.Glob(filepath.Join(tmp, "*"))
	if len(left) != 0 {
		t.Errorf("left behind in TMPDIR: %v", left)
	}
	if r.outputs["findings"] != "" || r.outputs["wtcheck"] != "" {
		t.Errorf("outputs name removed files: findings %q, wtcheck %q", r.outputs["findings"], r.outputs["wtcheck"])
	}
	wantStderr(t, r, "set findings (WTCHECK_FINDINGS) to a file to keep the table\n")
}

// TestScriptPassesShellcheck runs shellcheck as POSIX sh on the script, where it is installed
// (Debian's shellcheck package): it finds the bashisms and quoting slips dash would forgive.
func TestScriptPassesShellcheck(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skip("shellcheck is not installed")
	}
	out, err := exec.Command(sc, "-s", "sh", filepath.Join(root, "ci", "wtcheck-ci.sh")).CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

// TestScriptFetchesOverHTTP serves the release from a local HTTP server, as an internal mirror
// would: the script fetches with curl (or wget), warns that plain http needs a pinned hash, and
// takes a missing file (404) for a failure, never for a file.
func TestScriptFetchesOverHTTP(t *testing.T) {
	needRelease(t)
	_, curl := exec.LookPath("curl")
	_, wget := exec.LookPath("wget")
	if curl != nil && wget != nil {
		t.Skip("needs curl or wget")
	}
	var requests []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.URL.Path)
		mu.Unlock()
		http.FileServer(http.Dir(release.base)).ServeHTTP(w, r)
	}))
	defer srv.Close()
	dir := project(t)
	r := runScript(t, dir, fromRelease(map[string]string{"WTCHECK_RELEASE_BASE_URL": srv.URL, "WTCHECK_FAIL_ON": "none"}))
	wantExit(t, r, 0)
	wantStderr(t, r, "wtcheck-ci: warning: "+srv.URL+" is plain http: the checksums come over the same unauthenticated connection as the binary; pin the binary's SHA-256 (sha256, WTCHECK_SHA256) or use https\n")
	wantStderr(t, r, "wtcheck-ci: verified "+release.name+": SHA-256 "+release.sha256+"\n")
	mu.Lock()
	got := strings.Join(requests, " ")
	mu.Unlock()
	if want := "/" + testVersion + "/SHA256SUMS /" + testVersion + "/" + release.name; got != want {
		t.Errorf("requests %q, want %q: the script fetches the checksums and the binary, nothing else", got, want)
	}

	r = runScript(t, dir, fromRelease(map[string]string{"WTCHECK_RELEASE_BASE_URL": srv.URL, "RUNNER_OS": "macOS"}))
	wantRefused(t, dir, r, "fetch "+srv.URL+"/"+testVersion+"/wtcheck-darwin-"+runtime.GOARCH+": failed (is "+testVersion+" a release, and can the runner reach "+srv.URL+"?)")
}

// TestScriptRunsUnderBashAsSh runs the script with bash in POSIX mode, the /bin/sh of macOS
// runners: the gate with a baseline, then a tampered binary.
func TestScriptRunsUnderBashAsSh(t *testing.T) {
	needRelease(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	saved := shell
	shell = "bash"
	defer func() { shell = saved }()
	t.Setenv("POSIXLY_CORRECT", "1")
	dir := project(t)
	if code, _ := wtcheck(t, dir, "check", "--edition", "2023", "--fail-on", "none", "--write-baseline", "wtcheck-baseline.json", "extracts/latest.ndjson"); code != 0 {
		t.Fatalf("write the baseline: exit %d", code)
	}
	addCase(t, dir, newBreach)
	r := runScript(t, dir, fromRelease(map[string]string{"WTCHECK_BASELINE": "wtcheck-baseline.json"}))
	wantExit(t, r, 1)
	if r.outputs["new-breaches"] != "1" {
		t.Errorf("new-breaches %q, want 1", r.outputs["new-breaches"])
	}
	base := tamperedRelease(t, func(dir string) {
		rewriteSums(t, dir, func(s string) string { return strings.ReplaceAll(s, release.sha256, strings.Repeat("f", 64)) })
	})
	r = runScript(t, dir, fromRelease(map[string]string{"WTCHECK_RELEASE_BASE_URL": base}))
	wantRefused(t, dir, r, "checksum mismatch: "+release.name+" of "+testVersion+" has SHA-256 "+release.sha256+", SHA256SUMS says "+strings.Repeat("f", 64)+": refusing to run it")
}

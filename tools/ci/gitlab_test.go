package ci

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the copy of ci/wtcheck-ci.sh in ci/wtcheck.gitlab-ci.yml")

// heredoc is the delimiter of the script's copy in the template.
const heredoc = "WTCHECK_CI_SH"

// gitlabJob is what the template's hidden job holds.
type gitlabJob struct {
	Image     string
	Variables map[string]string
	Script    []string
	Artifacts struct {
		When     string
		ExpireIn string `yaml:"expire_in"`
		Reports  map[string]string
	}
}

func readTemplate(t *testing.T) (raw []byte, job gitlabJob) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "ci", "wtcheck.gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("ci/wtcheck.gitlab-ci.yml: %v", err)
	}
	if len(doc) != 1 {
		t.Errorf("the template defines %d top-level keys, want only .wtcheck (an include must not add jobs or globals)", len(doc))
	}
	node, ok := doc[".wtcheck"]
	if !ok {
		t.Fatal("the template has no hidden job .wtcheck")
	}
	if err := node.Decode(&job); err != nil {
		t.Fatalf(".wtcheck: %v", err)
	}
	return raw, job
}

// TestGitLabTemplateCarriesTheScript: the template's script writes ci/wtcheck-ci.sh byte for
// byte (it carries a copy so that the job fetches nothing but the release); -update rewrites
// the copy from the script.
func TestGitLabTemplateCarriesTheScript(t *testing.T) {
	script, err := os.ReadFile(filepath.Join(root, "ci", "wtcheck-ci.sh"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := readTemplate(t)
	open := "<<'" + heredoc + "'\n"
	start := bytes.Index(raw, []byte(open))
	if start < 0 {
		t.Fatalf("the template has no here-document %s", open)
	}
	start += len(open)
	end := bytes.Index(raw[start:], []byte("\n      "+heredoc+"\n"))
	if end < 0 {
		t.Fatal("the template's here-document has no end")
	}
	end += start + 1
	var copy bytes.Buffer
	for _, line := range strings.SplitAfter(string(script), "\n") {
		if line != "\n" && line != "" {
			copy.WriteString("      ")
		}
		copy.WriteString(line)
	}
	if *update {
		out := append(append(append([]byte{}, raw[:start]...), copy.Bytes()...), raw[end:]...)
		if err := os.WriteFile(filepath.Join(root, "ci", "wtcheck.gitlab-ci.yml"), out, 0o644); err != nil {
			t.Fatal(err)
		}
		raw = out
	} else if !bytes.Equal(raw[start:end], copy.Bytes()) {
		t.Fatal("ci/wtcheck.gitlab-ci.yml carries an old copy of ci/wtcheck-ci.sh: run go test ./tools/ci -run TestGitLabTemplateCarriesTheScript -update")
	}

	// What the runner's shell writes from the YAML is the script itself.
	_, job := readTemplate(t)
	dir := t.TempDir()
	lines := strings.Join(job.Script[:len(job.Script)-1], "\n") + "\ncat \"$wtcheck_ci\"\n"
	cmd := exec.Command(shell, "-e", "-c", lines)
	cmd.Dir = dir
	cmd.Env = env(map[string]string{"TMPDIR": dir})
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("write the script: %v", err)
	}
	if !bytes.Equal(out, script) {
		t.Errorf("the template writes a script of %d bytes that is not ci/wtcheck-ci.sh (%d bytes)", len(out), len(script))
	}
}

// TestGitLabTemplateWiresTheReports: the reports the job writes are the ones its artifacts
// hand to GitLab, kept when the gate fails.
func TestGitLabTemplateWiresTheReports(t *testing.T) {
	_, job := readTemplate(t)
	for report, variable := range map[string]string{"junit": "WTCHECK_JUNIT", "codequality": "WTCHECK_CODE_QUALITY", "dotenv": "WTCHECK_OUTPUT_ENV"} {
		if got := job.Artifacts.Reports[report]; got == "" || got != job.Variables[variable] {
			t.Errorf("artifacts:reports:%s is %q, %s is %q: they must name the same file", report, got, variable, job.Variables[variable])
		}
	}
	if job.Artifacts.When != "always" {
		t.Errorf("artifacts:when is %q: the reports must be kept when the gate fails", job.Artifacts.When)
	}
	if job.Image == "" {
		t.Error("the job names no image")
	}
}

// runTemplate runs the template's script lines in one sh, as a GitLab runner does (a failing
// line ends the job), with the template's variables under the user's job's, in dir.
func runTemplate(t *testing.T, dir string, vars map[string]string) (int, string) {
	t.Helper()
	_, job := readTemplate(t)
	all := map[string]string{"CI_PROJECT_DIR": dir, "TMPDIR": t.TempDir()}
	for k, v := range job.Variables {
		all[k] = v
	}
	for k, v := range vars {
		all[k] = v
	}
	cmd := exec.Command(shell, "-e", "-c", strings.Join(job.Script, "\n"))
	cmd.Dir = dir
	cmd.Env = env(all)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	return exitCode(t, cmd.Run()), stderr.String()
}

// TestGitLabTemplateRunsTheJob runs the hidden job as a project's job that extends it would:
// the gate fails on the sample's breaches, the JUnit and code quality reports are wtcheck's
// own, the dotenv report holds the counts; with a baseline the job passes; a tampered binary
// fails it with exit 2 before anything runs.
func TestGitLabTemplateRunsTheJob(t *testing.T) {
	needRelease(t)
	dir := project(t)
	n, _ := breachCount(t, dir)
	vars := map[string]string{
		"WTCHECK_VERSION":          testVersion,
		"WTCHECK_PATHS":            "extracts/latest.ndjson",
		"WTCHECK_EDITIONS":         "2023",
		"WTCHECK_RELEASE_BASE_URL": "file://" + release.base,
	}
	code, stderr := runTemplate(t, dir, vars)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, stderr)
	}
	_, junit := wtcheck(t, dir, "check", "--edition", "2023", "--fail-on", "none", "--format", "junit", "extracts/latest.ndjson")
	sameFile(t, filepath.Join(dir, "wtcheck-junit.xml"), junit)
	var suites struct {
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal(junit, &suites); err != nil || suites.Failures == 0 {
		t.Errorf("JUnit report: %v, %d failures", err, suites.Failures)
	}
	_, quality := wtcheck(t, dir, "check", "--edition", "2023", "--fail-on", "none", "--format", "gitlab", "extracts/latest.ndjson")
	sameFile(t, filepath.Join(dir, "gl-code-quality-report.json"), quality)
	var issues []struct{ Fingerprint string }
	if err := json.Unmarshal(quality, &issues); err != nil || len(issues) < n {
		t.Errorf("code quality report: %v, %d issues for %d breaches", err, len(issues), n)
	}
	dotenv, err := os.ReadFile(filepath.Join(dir, "wtcheck.env"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "WTCHECK_EXIT_CODE=1\nWTCHECK_BREACHES=" + itoa(n) + "\nWTCHECK_NEW_BREACHES=" + itoa(n) + "\n"; string(dotenv) != want {
		t.Errorf("wtcheck.env:\n%s\nwant:\n%s", dotenv, want)
	}

	if code, _ := wtcheck(t, dir, "check", "--edition", "2023", "--fail-on", "none", "--write-baseline", "wtcheck-baseline.json", "extracts/latest.ndjson"); code != 0 {
		t.Fatalf("write the baseline: exit %d", code)
	}
	vars["WTCHECK_BASELINE"] = "wtcheck-baseline.json"
	if code, stderr := runTemplate(t, dir, vars); code != 0 {
		t.Errorf("with a baseline of every breach: exit %d, want 0:\n%s", code, stderr)
	}
	if dotenv, _ := os.ReadFile(filepath.Join(dir, "wtcheck.env")); !strings.Contains(string(dotenv), "WTCHECK_NEW_BREACHES=0\n") {
		t.Errorf("wtcheck.env with a baseline:\n%s", dotenv)
	}

	os.Remove(filepath.Join(dir, "wtcheck-junit.xml"))
	vars["WTCHECK_RELEASE_BASE_URL"] = tamperedRelease(t, func(dir string) {
		rewriteSums(t, dir, func(s string) string { return strings.ReplaceAll(s, release.sha256, strings.Repeat("0", 64)) })
	})
	code, stderr = runTemplate(t, dir, vars)
	if want := "wtcheck-ci: checksum mismatch: " + release.name + " of " + testVersion + " has SHA-256 " + release.sha256 + ", SHA256SUMS says " + strings.Repeat("0", 64) + ": refusing to run it\n"; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("tampered: exit %d, want 2 and %q:\n%s", code, want, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "wtcheck-junit.xml")); !os.IsNotExist(err) {
		t.Errorf("a report was written with a binary that failed its checksum: %v", err)
	}
	if dotenv, _ := os.ReadFile(filepath.Join(dir, "wtcheck.env")); string(dotenv) != "WTCHECK_EXIT_CODE=2\n" {
		t.Errorf("wtcheck.env after a refusal: %q", dotenv)
	}
}

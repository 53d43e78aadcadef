package ci

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// action is what a runner reads of action.yml: the metadata syntax's keys, no others (a
// misspelt key is an error here, where GitHub would ignore it).
type action struct {
	Name        string
	Description string
	Author      string
	Branding    struct{ Icon, Color string }
	Inputs      map[string]struct {
		Description string
		Required    bool
		Default     *string
	}
	Outputs map[string]struct {
		Description string
		Value       string
	}
	Runs struct {
		Using string
		Steps []struct {
			ID    string
			Shell string
			Run   string
			Env   map[string]string
		}
	}
}

func readAction(t *testing.T) action {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

// expression matches a whole ${{ … }} value, the only form action.yml may use in env:.
var expression = regexp.MustCompile(`^\$\{\{\s*(.*?)\s*\}\}$`)

// TestActionPassesInputsOnlyThroughTheEnvironment: a composite action with one step, whose
// shell text holds no expression (an input pasted into it could run as a command), and whose
// every input reaches the script as its own WTCHECK_ variable, read by the script; every
// output is one the script writes.
func TestActionPassesInputsOnlyThroughTheEnvironment(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" || len(a.Runs.Steps) != 1 {
		t.Fatalf("runs: using %q with %d steps, want one composite step", a.Runs.Using, len(a.Runs.Steps))
	}
	step := a.Runs.Steps[0]
	if strings.Contains(step.Run, "${{") {
		t.Errorf("the step's run: pastes an expression into shell code: %q", step.Run)
	}
	script, err := os.ReadFile(filepath.Join(root, "ci", "wtcheck-ci.sh"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	for name, value := range step.Env {
		m := expression.FindStringSubmatch(value)
		if m == nil {
			t.Errorf("env %s: %q is not one ${{ }} expression", name, value)
			continue
		}
		for _, operand := range strings.Split(m[1], "||") {
			operand = strings.TrimSpace(operand)
			if input, ok := strings.CutPrefix(operand, "inputs."); ok {
				if prev, dup := used[input]; dup {
					t.Errorf("input %s is passed twice, as %s and %s", input, prev, name)
				}
				used[input] = name
				if want := "WTCHECK_" + strings.ToUpper(strings.ReplaceAll(input, "-", "_")); name != want {
					t.Errorf("input %s is passed as %s, want %s", input, name, want)
				}
			}
		}
		// WTCHECK_REDACT_KEY is read by wtcheck itself, not the script.
		if name != "WTCHECK_REDACT_KEY" && !strings.Contains(string(script), name) {
			t.Errorf("env %s is never read by ci/wtcheck-ci.sh", name)
		}
	}
	for name, in := range a.Inputs {
		if _, ok := used[name]; !ok {
			t.Errorf("input %s never reaches the script", name)
		}
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
		if !in.Required && in.Default == nil {
			t.Errorf("input %s has no default", name)
		}
	}
	for name, out := range a.Outputs {
		if want := "${{ steps." + step.ID + ".outputs." + name + " }}"; out.Value != want {
			t.Errorf("output %s is %q, want %q", name, out.Value, want)
		}
		if !strings.Contains(string(script), "output "+name+" ") {
			t.Errorf("output %s is never written by ci/wtcheck-ci.sh", name)
		}
	}
}

// actionRun is one run of the action's step.
type actionRun struct {
	code    int
	stderr  string
	outputs map[string]string // the action's outputs, as the workflow sees them
	summary string            // what the step added to the job summary
	temp    string
}

// runAction runs action.yml's step as a runner does: each env: value's expression evaluated
// (inputs with their defaults, the job's environment, github.action_path and action_ref),
// then the run: text in bash as `shell: bash` runs it, with the runner's variables; then the
// action's outputs read from the step's.
func runAction(t *testing.T, dir string, inputs, jobEnv map[string]string, ref string) actionRun {
	t.Helper()
	a := readAction(t)
	step := a.Runs.Steps[0]
	for name := range inputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %s", name)
		}
	}
	for name, in := range a.Inputs {
		if in.Required && inputs[name] == "" {
			t.Fatalf("input %s is required", name)
		}
	}
	eval := func(operand string) string {
		switch {
		case strings.HasPrefix(operand, "inputs."):
			name := strings.TrimPrefix(operand, "inputs.")
			if v, ok := inputs[name]; ok {
				return v
			}
			if d := a.Inputs[name].Default; d != nil {
				return *d
			}
			return ""
		case strings.HasPrefix(operand, "env."):
			return jobEnv[strings.TrimPrefix(operand, "env.")]
		case operand == "github.action_path":
			return root
		case operand == "github.action_ref":
			return ref
		}
		t.Fatalf("action.yml uses an expression the test does not know: %s", operand)
		return ""
	}
	temp := t.TempDir()
	files := t.TempDir()
	vars := map[string]string{
		"GITHUB_ACTION_PATH":  root,
		"GITHUB_OUTPUT":       filepath.Join(files, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(files, "summary"),
		"RUNNER_TEMP":         temp,
		"RUNNER_OS":           runnerOS(),
		"RUNNER_ARCH":         runnerArch(),
	}
	for k, v := range jobEnv {
		vars[k] = v
	}
	for name, value := range step.Env {
		m := expression.FindStringSubmatch(value)
		if m == nil {
			t.Fatalf("env %s: %q", name, value)
		}
		v := ""
		for _, operand := range strings.Split(m[1], "||") {
			if v = eval(strings.TrimSpace(operand)); v != "" {
				break
			}
		}
		vars[name] = v
	}
	if step.Shell != "bash" {
		t.Fatalf("the step's shell is %q; the test runs bash", step.Shell)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.Run)
	cmd.Dir = dir
	cmd.Env = env(vars)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	r := actionRun{code: exitCode(t, cmd.Run()), stderr: stderr.String(), temp: temp, outputs: map[string]string{}}
	stepOut := readOutputs(t, vars["GITHUB_OUTPUT"])
	for name, out := range a.Outputs {
		r.outputs[name] = stepOut[strings.TrimSuffix(strings.TrimPrefix(out.Value, "${{ steps."+step.ID+".outputs."), " }}")]
	}
	if data, err := os.ReadFile(vars["GITHUB_STEP_SUMMARY"]); err == nil {
		r.summary = string(data)
	}
	return r
}

// TestActionWritesEveryReportAndGates runs the action as a nightly workflow would, at a
// release tag, asking for every report: each must be exactly what wtcheck writes with the
// same flags, the summary must reach the job summary, and the outputs must give the gate's
// status, the counts and the paths.
func TestActionWritesEveryReportAndGates(t *testing.T) {
	needRelease(t)
	dir := project(t)
	n, _ := breachCount(t, dir)
	inputs := map[string]string{
		"paths":            "extracts/latest.ndjson",
		"editions":         "2023",
		"sarif":            "wtcheck.sarif",
		"junit":            "wtcheck-junit.xml",
		"code-quality":     "gl-code-quality-report.json",
		"markdown":         "wtcheck-summary.md",
		"html":             "wtcheck-audit.html",
		"findings":         "wtcheck-findings.txt",
		"release-base-url": "file://" + release.base,
	}
	r := runAction(t, dir, inputs, nil, testVersion)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (the sample has breaches):\n%s", r.code, r.stderr)
	}
	want := map[string]string{
		"exit-code": "1", "breaches": itoa(n), "new-breaches": itoa(n),
		"sarif": "wtcheck.sarif", "junit": "wtcheck-junit.xml", "code-quality": "gl-code-quality-report.json",
		"markdown": "wtcheck-summary.md", "html": "wtcheck-audit.html", "findings": "wtcheck-findings.txt",
	}
	for name, v := range want {
		if r.outputs[name] != v {
			t.Errorf("output %s = %q, want %q", name, r.outputs[name], v)
		}
	}
	bin := r.outputs["wtcheck"]
	if filepath.Dir(filepath.Dir(bin)) != r.temp || filepath.Base(bin) != release.name {
		t.Errorf("output wtcheck = %q: want the verified binary in RUNNER_TEMP", bin)
	}
	flags := []string{"--edition", "2023", "--fail-on", "none"}
	for report, args := range map[string][]string{
		"wtcheck.sarif":               {"check", "--format", "sarif"},
		"wtcheck-junit.xml":           {"check", "--format", "junit"},
		"gl-code-quality-report.json": {"check", "--format", "gitlab"},
		"wtcheck-summary.md":          {"check", "--format", "markdown"},
		"wtcheck-audit.html":          {"report", "--format", "html", "-o", filepath.Join(t.TempDir(), "audit.html")},
		"wtcheck-findings.txt":        {"check", "--format", "text"},
	} {
		args = append(slices.Clone(args), flags...)
		args = append(args, "extracts/latest.ndjson")
		_, out := wtcheck(t, dir, args...)
		if report == "wtcheck-audit.html" {
			if out, _ = os.ReadFile(args[4]); len(out) == 0 {
				t.Fatal("the reference HTML report is empty")
			}
		}
		sameFile(t, filepath.Join(dir, report), out)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "wtcheck-summary.md"))
	if r.summary != string(md) || !strings.HasPrefix(r.summary, "## wtcheck\n") {
		t.Errorf("job summary %q, want the Markdown report", r.summary)
	}
	// The table stays out of the log unless log-findings asks for it.
	if strings.Contains(r.stderr, "CASE ") {
		t.Errorf("the findings table is in the log:\n%s", r.stderr)
	}
	r = runAction(t, dir, map[string]string{
		"paths": "extracts/latest.ndjson", "editions": "2023", "release-base-url": release.base,
		"log-findings": "true", "job-summary": "false", "fail-on": "none",
	}, nil, testVersion)
	if r.code != 0 || !strings.Contains(r.stderr, "\nCASE ") || r.summary != "" {
		t.Errorf("log-findings, no job summary, fail-on none: exit %d, summary %q:\n%s", r.code, r.summary, r.stderr)
	}
}

// TestActionFailsClosed: at a branch instead of a release tag, or with a binary that does not
// match SHA256SUMS, the action stops with exit 2 and says why; the redaction key falls back to
// the job's environment, where a workflow puts a secret.
func TestActionFailsClosed(t *testing.T) {
	needRelease(t)
	dir := project(t)
	inputs := map[string]string{"paths": "extracts/latest.ndjson", "release-base-url": "file://" + release.base}
	r := runAction(t, dir, inputs, nil, "main")
	if r.code != 2 || r.outputs["exit-code"] != "2" || !strings.Contains(r.stderr, "no release to fetch: set version (WTCHECK_VERSION)") {
		t.Errorf("at a branch: exit %d, outputs %v:\n%s", r.code, r.outputs, r.stderr)
	}
	base := tamperedRelease(t, func(dir string) {
		f, err := os.OpenFile(filepath.Join(dir, release.name), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("#")
		f.Close()
	})
	r = runAction(t, dir, map[string]string{"paths": "extracts/latest.ndjson", "release-base-url": base, "version": testVersion}, nil, "main")
	if r.code != 2 || !strings.Contains(r.stderr, "checksum mismatch: "+release.name+" of "+testVersion+" has SHA-256 ") {
		t.Errorf("tampered: exit %d:\n%s", r.code, r.stderr)
	}

	inputs["redact"] = "true"
	inputs["editions"] = "2023"
	inputs["junit"] = "wtcheck-junit.xml"
	r = runAction(t, dir, inputs, map[string]string{"WTCHECK_REDACT_KEY": "a key for the test only"}, testVersion)
	if r.code != 1 {
		t.Fatalf("redact with the key in the job's environment: exit %d:\n%s", r.code, r.stderr)
	}
	_, redacted := wtcheck(t, dir, "check", "--edition", "2023", "--fail-on", "none", "--format", "junit", "--redact", "--redact-key-file", writeKey(t), "extracts/latest.ndjson")
	sameFile(t, filepath.Join(dir, "wtcheck-junit.xml"), redacted)
}

func writeKey(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(path, []byte("a key for the test only"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

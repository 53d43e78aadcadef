package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The container image cannot be built where the tests run (no container engine), so these
// tests read its definition: TestRunsAsTheImageDoes runs the binary the way the image does.

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// finalStage is the Dockerfile's last stage: the image itself.
func finalStage(t *testing.T) []string {
	lines := strings.Split(readRepoFile(t, "Dockerfile"), "\n")
	last := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "FROM ") {
			last = i
		}
	}
	if last < 0 {
		t.Fatal("the Dockerfile has no FROM")
	}
	var out []string
	for _, l := range lines[last:] {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// TestImageHoldsTheBinaryAloneAsNonRoot: a static base (distroless static or scratch), one
// file copied in (the binary, from the build stage), a numeric non-root user, the binary as
// the entry point, /data as the working directory.
func TestImageHoldsTheBinaryAloneAsNonRoot(t *testing.T) {
	stage := finalStage(t)
	base := strings.Fields(stage[0])[1]
	if base != "scratch" && !strings.HasPrefix(base, "gcr.io/distroless/static") {
		t.Errorf("the image is based on %s, want scratch or distroless static", base)
	}
	var copies []string
	has := map[string]bool{}
	for _, l := range stage[1:] {
		if strings.HasPrefix(l, "COPY ") {
			copies = append(copies, l)
		}
		has[l] = true
	}
	if !slices.Equal(copies, []string{"COPY --from=build /out/wtcheck /wtcheck"}) {
		t.Errorf("the image copies %q, want the binary alone", copies)
	}
	for _, want := range []string{"USER " + nonRootUID + ":" + nonRootUID, `ENTRYPOINT ["/wtcheck"]`, "WORKDIR /data"} {
		if !has[want] {
			t.Errorf("the image lacks %q:\n%s", want, strings.Join(stage, "\n"))
		}
	}
}

// TestImageBuildsWithGoModsGo: the image's compiler is the one go.mod names, and it builds
// with the release's own make target, so the flags are written once.
func TestImageBuildsWithGoModsGo(t *testing.T) {
	goMod := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(readRepoFile(t, "go.mod"))
	docker := readRepoFile(t, "Dockerfile")
	arg := regexp.MustCompile(`(?m)^ARG GO_VERSION=(\S+)$`).FindStringSubmatch(docker)
	if goMod == nil || arg == nil || arg[1] != goMod[1] {
		t.Errorf("Dockerfile GO_VERSION %v, go.mod's go %v: keep them equal", arg, goMod)
	}
	if !strings.Contains(docker, "RUN make release-binary ") {
		t.Error("the Dockerfile does not build with `make release-binary`")
	}
}

// dockerignore is .dockerignore's rules, matched as Docker matches them: the last rule that
// matches a path or one of its parent directories decides, "!" lets a path back in, "*"
// stays inside one path segment and "**" crosses them.
type dockerignore []struct {
	re     *regexp.Regexp
	negate bool
}

func readDockerignore(t *testing.T) dockerignore {
	return readDockerignoreAt(t, filepath.Join("..", "..", ".dockerignore"))
}

func readDockerignoreAt(t *testing.T, path string) dockerignore {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rules dockerignore
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		negate := strings.HasPrefix(line, "!")
		line = strings.Trim(strings.TrimPrefix(line, "!"), "/")
		var re strings.Builder
		for i := 0; i < len(line); i++ {
			switch {
			case strings.HasPrefix(line[i:], "**/"):
				re.WriteString("(.*/)?")
				i += 2
			case strings.HasPrefix(line[i:], "**"):
				re.WriteString(".*")
				i++
			case line[i] == '*':
				re.WriteString("[^/]*")
			case line[i] == '?':
				re.WriteString("[^/]")
			default:
				re.WriteString(regexp.QuoteMeta(line[i : i+1]))
			}
		}
		rules = append(rules, struct {
			re     *regexp.Regexp
			negate bool
		}{regexp.MustCompile("^" + re.String() + "$"), negate})
	}
	return rules
}

func (d dockerignore) excludes(path string) bool {
	excluded := false
	for _, r := range d {
		for p := path; p != "." && p != "/"; p = filepath.Dir(p) {
			if r.re.MatchString(p) {
				excluded = !r.negate
				break
			}
		}
	}
	return excluded
}

// TestDockerignoreLetsInTheBuildAndKeepsDataOut: every file the binary is compiled from
// (Go files and embedded packs) is in the build context, with go.mod, go.sum and the
// Makefile; case data a user may keep in a checkout, the fixtures, tests and git are not.
func TestDockerignoreLetsInTheBuildAndKeepsDataOut(t *testing.T) {
	ignore := readDockerignore(t)
	cmd := exec.Command("go", "list", "-deps", "-json=Dir,Module,GoFiles,EmbedFiles", "./cmd/wtcheck")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	top, _ := filepath.Abs(filepath.Join("..", ".."))
	need := []string{"go.mod", "go.sum", "Makefile"}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			Dir                 string
			Module              *struct{ Main bool }
			GoFiles, EmbedFiles []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || !p.Module.Main {
			continue
		}
		rel, err := filepath.Rel(top, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range append(p.GoFiles, p.EmbedFiles...) {
			need = append(need, filepath.ToSlash(filepath.Join(rel, f)))
		}
	}
	if len(need) < 20 {
		t.Fatalf("go list found only %v", need)
	}
	for _, f := range need {
		if ignore.excludes(f) {
			t.Errorf(".dockerignore leaves out %s, which the build needs", f)
		}
	}
	for _, f := range []string{".git/config", "extract.ndjson", "data/return.xml", "report.html", "dist/wtcheck-linux-amd64",
		"fixtures/sample/cases.ndjson", "cmd/wtcheck/check_test.go", "checker/report/testdata/sample.json"} {
		if !ignore.excludes(f) {
			t.Errorf(".dockerignore lets %s into the build context", f)
		}
	}
}

package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of the fixtures")

// TestFixtures runs every fixture folder through the real command line: each folder under
// fixtures/ with an `args` file is checked with those arguments ($DIR is the folder) and
// --format json, and the exit code and output must equal the folder's want.golden byte for
// byte. Run `go test ./cmd/wtcheck -run TestFixtures -update` to rewrite the golden files,
// and review the diff.
func TestFixtures(t *testing.T) {
	t.Chdir("../..")
	argFiles, err := filepath.Glob("fixtures/*/args")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("fixtures/scenarios/*/args")
	argFiles = append(argFiles, more...)
	if len(argFiles) < 7 {
		t.Fatalf("found %d fixtures, expected the sample and the scenarios", len(argFiles))
	}
	for _, argFile := range argFiles {
		dir := filepath.Dir(argFile)
		t.Run(dir, func(t *testing.T) {
			args := fixtureArgs(t, argFile, dir)
			got := runFixture(t, append([]string{"check", "--format", "json", "--workers", "1"}, args...))
			// Output must not depend on how many records are checked at once.
			if again := runFixture(t, append([]string{"check", "--format", "json", "--workers", "4"}, args...)); again != got {
				t.Fatal("the output differs between --workers 1 and --workers 4")
			}
			compareGolden(t, filepath.Join(dir, "want.golden"), got)
			// A fixture may also keep its report in other formats, one golden file each.
			formats, err := os.ReadFile(filepath.Join(dir, "formats"))
			if err != nil {
				return
			}
			for _, format := range strings.Fields(string(formats)) {
				out := runFixture(t, append([]string{"check", "--format", format, "--workers", "1"}, args...))
				compareGolden(t, filepath.Join(dir, "want."+format+".golden"), out)
			}
		})
	}
}

// compareGolden compares output with a golden file, or rewrites it under -update.
func compareGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update and review the diff):\n%s", golden, firstDifference(string(want), got))
	}
}

// fixtureArgs reads an args file: comment lines start with #, $DIR is the fixture folder.
func fixtureArgs(t *testing.T, path, dir string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, f := range strings.Fields(line) {
			args = append(args, strings.ReplaceAll(f, "$DIR", dir))
		}
	}
	return args
}

func runFixture(t *testing.T, args []string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := execute(args, strings.NewReader(""), &stdout, &stderr)
	if code == 2 {
		t.Fatalf("wtcheck %s: exit 2: %s", strings.Join(args, " "), stderr.String())
	}
	return fmt.Sprintf("exit %d\n%s", code, stdout.String())
}

// firstDifference shows the first line where two outputs differ, with a little context.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, wl, gl)
		}
	}
	return "(no line differs)"
}

// Package layering holds the test that keeps wtcheck's packages layered one way:
// cmd → writers (checker/report and the other consumers of findings) → engine (checker) →
// record, with the sources (source/...) beside the engine, reading into record. A package
// added later falls under the rule of the layer its path puts it in.
package layering

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/wtcheck/wtcheck"

// pkg is what go list says of one package.
type pkg struct {
	ImportPath string
	Deps       []string
}

// listPackages runs go list -deps -json on the module's own packages (tests excluded: a test
// may reach across layers to set up what it checks).
func listPackages(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-json=ImportPath,Deps", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("go list output: %v", err)
		}
		var own []string
		for _, d := range p.Deps {
			if d == module || strings.HasPrefix(d, module+"/") {
				own = append(own, d)
			}
		}
		deps[p.ImportPath] = own
	}
	return deps
}

// under reports whether path is the package dir or one below it.
func under(path, dir string) bool {
	return path == module+"/"+dir || strings.HasPrefix(path, module+"/"+dir+"/")
}

// The layers, by path. writers are the packages that turn findings into something a person
// reads; runner is the batch runner; sources are source/... but for the registry, which
// names them all for the command line.
func isRecord(p string) bool { return under(p, "record") }
func isEngine(p string) bool { return p == module+"/checker" }
func isRunner(p string) bool { return under(p, "checker/batch") }
func isSource(p string) bool {
	return under(p, "source") && !under(p, "source/registry")
}
func isWriter(p string) bool {
	for _, w := range []string{"checker/report", "checker/compare", "checker/explain", "checker/redact", "checker/ruledoc"} {
		if under(p, w) {
			return true
		}
	}
	return false
}
func isCLI(p string) bool { return under(p, "cmd") }

// TestLayering: record imports nothing of the project; the engine imports record but no
// source, runner or writer; a source imports record and source, never the engine, the runner,
// a writer or the command line; a writer imports the engine but never the command line; and
// nothing but the command line imports the command line.
func TestLayering(t *testing.T) {
	all := listPackages(t)
	for _, want := range []string{module + "/record", module + "/checker", module + "/source", module + "/source/casejson", module + "/checker/report", module + "/cmd/wtcheck"} {
		if _, ok := all[want]; !ok {
			t.Fatalf("go list does not show %s: the layering below checks nothing", want)
		}
	}
	if !contains(all[module+"/checker"], module+"/record") {
		t.Errorf("checker does not import record: the engine must read the record types from there")
	}
	if !contains(all[module+"/checker/report"], module+"/checker") {
		t.Errorf("checker/report does not import checker")
	}
	for p, deps := range all {
		for _, d := range deps {
			if why := violation(p, d); why != "" {
				t.Errorf("%s imports %s: %s", strings.TrimPrefix(p, module+"/"), strings.TrimPrefix(d, module+"/"), why)
			}
		}
	}
}

// violation says which rule package p importing package d breaks, or "" for none.
func violation(p, d string) string {
	switch {
	case isRecord(p) && !isRecord(d):
		return "record imports nothing of the project"
	case isEngine(p) && !isRecord(d):
		return "the engine (checker) imports record alone: no source, runner, writer or command"
	case isSource(p) && !isRecord(d) && !isSource(d):
		return "a source imports record and source/..., never the engine, the runner, a writer or the command"
	case isWriter(p) && (isCLI(d) || isRunner(d) && !under(p, "checker/redact")):
		return "a writer imports the engine, never the command line or the runner"
	case !isCLI(p) && isCLI(d):
		return "nothing imports the command line"
	case isRunner(p) && (isWriter(d) || isCLI(d)):
		return "the runner imports the engine, record and the sources, never a writer or the command"
	}
	return ""
}

// TestViolation shows each rule catching the import it forbids, and allowing the ones the
// layering is made of, so that TestLayering cannot pass by checking nothing.
func TestViolation(t *testing.T) {
	m := func(p string) string { return module + "/" + p }
	for _, tc := range []struct {
		p, d string
		bad  bool
	}{
		{"record", "checker", true},
		{"record", "source", true},
		{"checker", "record", false},
		{"checker", "source/casejson", true},
		{"checker", "checker/batch", true},
		{"checker", "checker/report", true},
		{"source/casejson", "record", false},
		{"source/casejson", "source", false},
		{"source/ssd", "checker/batch", true},
		{"source/ssd", "checker", true},
		{"source/registry", "source/casejson", false},
		{"checker/report", "checker", false},
		{"checker/report", "cmd/wtcheck", true},
		{"checker/report", "checker/batch", true},
		{"checker/batch", "source/casejson", false},
		{"checker/batch", "checker/report", true},
		{"rules", "cmd/wtcheck", true},
	} {
		if got := violation(m(tc.p), m(tc.d)); (got != "") != tc.bad {
			t.Errorf("%s importing %s: violation %q, want one: %v", tc.p, tc.d, got, tc.bad)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

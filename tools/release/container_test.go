//go:build linux

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// nonRootUID is the user the image runs as: distroless's "nonroot", 65532.
const nonRootUID = "65532"

// TestRunsAsTheImageDoes runs the static Linux binary as the container image runs it,
// short of a container engine (there may be none where the tests run): as user 65532 with
// no groups, no HOME and no TMPDIR that exists, from a read-only working directory, with
// every file system read-only except one output directory (the mount a user gives with
// -v). It must check the case exactly as an ordinary run does, write its report whole into
// the output directory and leave nothing else there. Needs root (for setpriv and a private
// mount namespace); skipped with the reason otherwise.
func TestRunsAsTheImageDoes(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to drop to user 65532 and remount the file systems read-only in a private mount namespace")
	}
	tools := map[string]string{}
	for _, tool := range []string{"unshare", "setpriv", "mount", "sh", "env"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("needs %s (util-linux): %v", tool, err)
		}
		tools[tool] = p
	}
	if out, err := exec.Command(tools["unshare"], "--mount", "--propagation", "private", tools["mount"], "-o", "bind,remount,ro", "/").CombinedOutput(); err != nil {
		t.Skipf("cannot remount / read-only in a private mount namespace here: %v %s", err, out)
	}

	// The layout of the image: the binary at /wtcheck, the case data under /data.
	root := t.TempDir()
	// t.TempDir's two directories are the owner's only; user 65532 must be able to reach in.
	for _, d := range []string{root, filepath.Dir(root)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for d := filepath.Dir(filepath.Dir(root)); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			t.Skipf("user 65532 cannot reach %s (mode %v): point TMPDIR elsewhere", d, fi.Mode().Perm())
		}
		if d == "/" {
			break
		}
	}
	bin := filepath.Join(root, "wtcheck")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, "../../cmd/wtcheck")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	checkHeader(t, bin, "linux", goarchOf(t, bin))
	data := filepath.Join(root, "data")
	out := filepath.Join(root, "out")
	caseFile, err := os.ReadFile("../../fixtures/scenarios/icpc-late/case.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "case.json"), caseFile, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(data, 0o555); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(out, 65532, 65532); err != nil {
		t.Fatal(err)
	}

	args := []string{"check", "--edition", "2018", "--as-of", "2024-03-31", "--format", "json", "case.json"}
	ordinary := exec.Command(bin, args...)
	ordinary.Dir = data
	var wantStderr bytes.Buffer
	ordinary.Stderr = &wantStderr
	want, err := ordinary.Output()
	if code := exitCode(err); code != 1 {
		t.Fatalf("ordinary run: exit %d (%v), want 1 (a breach)", code, err)
	}
	if !bytes.Contains(want, []byte(`"rule": "icpc-timeliness"`)) {
		t.Fatalf("ordinary run found no icpc-timeliness breach:\n%s", want)
	}

	// The sandbox is real: user 65532 can write neither the working directory nor /tmp
	// nor /dev/shm, and has no HOME.
	probe := sandbox(tools, data, out, "/bin/sh", "-c",
		`for d in . /tmp /dev/shm /; do { true > "$d/wtcheck-probe"; } 2>/dev/null && echo "wrote $d"; done; echo "HOME=${HOME-unset} uid=$(id -u) groups=$(id -G)"`)
	probeOut, err := probe.CombinedOutput()
	if err != nil {
		t.Fatalf("probe: %v\n%s", err, probeOut)
	}
	if got := strings.TrimSpace(string(probeOut)); got != "HOME=unset uid=65532 groups=65532" {
		t.Fatalf("the sandbox is not what the test needs: %s", got)
	}

	// stdout, as in `docker run --rm -v "$PWD:/data" wtcheck check /data/case.json`.
	run := sandbox(tools, data, out, append([]string{bin}, args...)...)
	var stderr bytes.Buffer
	run.Stderr = &stderr
	got, err := run.Output()
	if code := exitCode(err); code != 1 {
		t.Fatalf("as user 65532 on a read-only file system: exit %d (%v), want 1\n%s", code, err, stderr.String())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("as user 65532 the report differs from an ordinary run's:\n%s\nwant\n%s", got, want)
	}
	if stderr.String() != wantStderr.String() || !strings.Contains(stderr.String(), "1 case checked as at 2024-03-31") {
		t.Errorf("stderr %q, want an ordinary run's %q", stderr.String(), wantStderr.String())
	}

	// -o into the one writable directory: the report whole, and nothing else left there.
	run = sandbox(tools, data, out, append([]string{bin}, append(args, "-o", filepath.Join(out, "report.json"))...)...)
	if msg, err := run.CombinedOutput(); exitCode(err) != 1 {
		t.Fatalf("-o as user 65532: %v\n%s", err, msg)
	}
	written, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(written, want) {
		t.Errorf("-o wrote a report that differs from stdout's:\n%s", written)
	}
	if names := listing(t, out); !slices.Equal(names, []string{"report.json"}) {
		t.Errorf("the output directory holds %v, want only report.json", names)
	}

	// version reads only what is embedded.
	v := sandbox(tools, data, out, bin, "version")
	if msg, err := v.CombinedOutput(); err != nil || !bytes.Contains(msg, []byte("pack wt2026 ")) {
		t.Errorf("version as user 65532: %v\n%s", err, msg)
	}
}

// sandbox makes the command run in a private mount namespace where every writable file
// system is remounted read-only except the output directory, as user 65532 with no
// supplementary groups and an environment holding only TZ and a TMPDIR that does not exist.
func sandbox(tools map[string]string, dir, out string, argv ...string) *exec.Cmd {
	var script strings.Builder
	// The output directory becomes its own mount first, so remounting / leaves it writable.
	fmt.Fprintf(&script, "%s --bind %s %s || exit 99\n", tools["mount"], quote(out), quote(out))
	for _, m := range writableMounts() {
		fmt.Fprintf(&script, "%s -o bind,remount,ro %s || exit 99\n", tools["mount"], quote(m))
	}
	fmt.Fprintf(&script, "exec %s --reuid %s --regid %s --clear-groups %s -i TZ=Europe/London TMPDIR=/nonexistent",
		tools["setpriv"], nonRootUID, nonRootUID, tools["env"])
	for _, a := range argv {
		script.WriteString(" " + quote(a))
	}
	cmd := exec.Command(tools["unshare"], "--mount", "--propagation", "private", tools["sh"], "-c", script.String())
	cmd.Dir = dir
	return cmd
}

// writableMounts lists the read-write mounts a program could write to: all but the kernel's
// /proc and /sys, and the device nodes (/dev itself, as in a container, where /dev/null
// stays writable; /dev/shm is remounted).
func writableMounts() []string {
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return []string{"/"}
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || strings.Contains(fields[1], `\`) {
			continue
		}
		target, opts := fields[1], strings.Split(fields[3], ",")
		if !slices.Contains(opts, "rw") || slices.Contains(out, target) {
			continue
		}
		skip := target == "/dev"
		for _, p := range []string{"/proc", "/sys", "/dev/pts"} {
			if target == p || strings.HasPrefix(target, p+"/") {
				skip = true
			}
		}
		if !skip {
			out = append(out, target)
		}
	}
	return out
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func goarchOf(t *testing.T, bin string) string {
	info, err := readBuildSettings(bin)
	if err != nil {
		t.Fatal(err)
	}
	return info["GOARCH"]
}

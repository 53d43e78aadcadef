package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// platforms are the release's binaries, as `make release` names them.
var platforms = []struct{ file, goos, goarch string }{
	{"wtcheck-darwin-amd64", "darwin", "amd64"},
	{"wtcheck-darwin-arm64", "darwin", "arm64"},
	{"wtcheck-linux-amd64", "linux", "amd64"},
	{"wtcheck-linux-arm64", "linux", "arm64"},
	{"wtcheck-windows-amd64.exe", "windows", "amd64"},
}

// TestRelease runs `make release` in two fresh clones of HEAD, in two different
// directories, and checks that they wrote the same bytes; then that the release is whole
// (five binaries, five SBOMs valid against CycloneDX 1.6, SHA256SUMS over all ten), that
// each binary is what its name says (a static ELF, a console PE, an executable Mach-O, ad-hoc
// signed on arm64), and that the stamped version, commit and date are git's. It builds ten
// binaries, so it runs only when asked: WTCHECK_RELEASE=1 (make release-check).
func TestRelease(t *testing.T) {
	if os.Getenv("WTCHECK_RELEASE") == "" {
		t.Skip("builds the release twice: set WTCHECK_RELEASE=1 (make release-check)")
	}
	for _, tool := range []string{"git", "make"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s: %v", tool, err)
		}
	}
	top := gitOut(t, "", "rev-parse", "--show-toplevel")
	head := gitOut(t, top, "rev-parse", "HEAD")
	if gitOut(t, top, "status", "--porcelain", "--untracked-files=no") != "" {
		t.Log("the work tree has uncommitted changes: the release is built from HEAD, without them")
	}
	tmp := t.TempDir()
	dists := []string{}
	for _, dir := range []string{filepath.Join(tmp, "a"), filepath.Join(tmp, "second", "clone")} {
		if out, err := exec.Command("git", "clone", "--quiet", "--no-hardlinks", top, dir).CombinedOutput(); err != nil {
			t.Fatalf("git clone: %v\n%s", err, out)
		}
		gitOut(t, dir, "checkout", "--quiet", "--detach", head)
		mk := exec.Command("make", "release")
		mk.Dir = dir
		if out, err := mk.CombinedOutput(); err != nil {
			t.Fatalf("make release in %s: %v\n%s", dir, err, out)
		}
		dists = append(dists, filepath.Join(dir, "dist"))
	}

	first := listing(t, dists[0])
	if second := listing(t, dists[1]); !slices.Equal(first, second) {
		t.Fatalf("the two builds wrote different files:\n%v\n%v", first, second)
	}
	for _, name := range first {
		a, _ := os.ReadFile(filepath.Join(dists[0], name))
		b, _ := os.ReadFile(filepath.Join(dists[1], name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the two builds: not reproducible", name)
		}
	}

	dist := dists[0]
	want := []string{SumsFile}
	for _, p := range platforms {
		want = append(want, p.file, p.file+".cdx.json")
	}
	slices.Sort(want)
	if !slices.Equal(first, want) {
		t.Errorf("the release holds %v, want %v", first, want)
	}
	checkSums(t, dist)
	date := gitOut(t, top, "log", "-1", "--format=%cI", head)
	schema := cyclonedxSchema(t)
	for _, p := range platforms {
		t.Run(p.file, func(t *testing.T) {
			path := filepath.Join(dist, p.file)
			checkHeader(t, path, p.goos, p.goarch)
			checkBuildInfo(t, path, p.goos, p.goarch)
			checkSBOM(t, schema, path, p.goos, p.goarch, head)
		})
	}

	// The host's binary runs: its version is git's, and it lists the packs and the calendar
	// it carries (from a directory with no packs in it).
	host := "wtcheck-" + runtime.GOOS + "-" + runtime.GOARCH
	if runtime.GOOS == "windows" {
		host += ".exe"
	}
	clone := filepath.Dir(dist)
	wantLines := []string{"wtcheck " + gitOut(t, clone, "describe", "--tags", "--always", "--dirty") + " (", "commit " + head + " of " + date}
	if slices.Contains(first, host) {
		checkVersion(t, nil, filepath.Join(dist, host), wantLines)
	}
	// The container image's build: only what .dockerignore lets into the context (no .git),
	// the Dockerfile's make target and build arguments, gives the release's Linux binary.
	checkImageBuild(t, clone, filepath.Join(dist, "wtcheck-linux-amd64"),
		gitOut(t, clone, "describe", "--tags", "--always", "--dirty"), head, date)

	// The Windows binary under wine, when wine is installed (its header is checked above).
	if wine, err := exec.LookPath("wine"); err == nil {
		checkVersion(t, []string{wine}, filepath.Join(dist, "wtcheck-windows-amd64.exe"), wantLines)
	} else {
		t.Log("wine is not installed: the Windows binary's PE header is checked, not run")
	}
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

func listing(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// checkSums recomputes every line of SHA256SUMS and checks that it covers every other file.
func checkSums(t *testing.T, dist string) {
	f, err := os.Open(filepath.Join(dist, SumsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var covered []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Errorf("SHA256SUMS line %q is not `SUM  NAME`", sc.Text())
			continue
		}
		data, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Error(err)
			continue
		}
		if h := sha256.Sum256(data); hex.EncodeToString(h[:]) != sum {
			t.Errorf("SHA256SUMS gives %s the wrong sum", name)
		}
		covered = append(covered, name)
	}
	all := slices.DeleteFunc(listing(t, dist), func(n string) bool { return n == SumsFile })
	if !slices.Equal(covered, all) {
		t.Errorf("SHA256SUMS covers %v, want %v", covered, all)
	}
}

// checkHeader reads the executable's header as its operating system's loader would: the
// CPU, that it is an executable, and what each system needs of it.
func checkHeader(t *testing.T, path, goos, goarch string) {
	switch goos {
	case "linux":
		f, err := elf.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		machine := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[goarch]
		if f.Machine != machine || f.Type != elf.ET_EXEC {
			t.Errorf("ELF machine %v type %v, want %v ET_EXEC", f.Machine, f.Type, machine)
		}
		// Static: no program interpreter (dynamic loader) and no shared library needed.
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Error("has a PT_INTERP program header: dynamically linked")
			}
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			t.Errorf("needs shared libraries %v", libs)
		}
	case "windows":
		f, err := pe.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
			t.Errorf("PE machine %#x, want AMD64", f.Machine)
		}
		oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
		if !ok {
			t.Fatalf("PE optional header %T, want PE32+", f.OptionalHeader)
		}
		if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_CUI {
			t.Errorf("PE subsystem %d, want the console (%d)", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI)
		}
		if f.Characteristics&pe.IMAGE_FILE_EXECUTABLE_IMAGE == 0 {
			t.Error("PE is not marked executable")
		}
	case "darwin":
		f, err := macho.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cpu := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[goarch]
		if f.Cpu != cpu || f.Type != macho.TypeExec {
			t.Errorf("Mach-O cpu %v type %v, want %v executable", f.Cpu, f.Type, cpu)
		}
		// macOS on Apple silicon runs no unsigned code: the Go linker signs ad hoc.
		const lcCodeSignature = 0x1d
		signed := false
		for _, l := range f.Loads {
			if raw := l.Raw(); len(raw) >= 4 && f.ByteOrder.Uint32(raw) == lcCodeSignature {
				signed = true
			}
		}
		if goarch == "arm64" && !signed {
			t.Error("darwin/arm64 binary has no code signature: macOS would refuse it")
		}
	}
}

// checkBuildInfo: no cgo, trimmed paths, the platform its name says, the toolchain go.mod
// names.
func checkBuildInfo(t *testing.T, path, goos, goarch string) {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	settings, err := readBuildSettings(path)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"CGO_ENABLED": "0", "-trimpath": "true", "GOOS": goos, "GOARCH": goarch} {
		if settings[k] != v {
			t.Errorf("built with %s=%q, want %q", k, settings[k], v)
		}
	}
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mod), "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok && info.GoVersion != "go"+v {
			t.Errorf("built with %s, want go%s (go.mod)", info.GoVersion, v)
		}
	}
}

func checkSBOM(t *testing.T, schema *jsonschema.Schema, path, goos, goarch, head string) {
	data, err := os.ReadFile(path + ".cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("the SBOM is not valid CycloneDX 1.6: %v", err)
	}
	var b bom
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	bin, _ := os.ReadFile(path)
	sum := sha256.Sum256(bin)
	app := b.Metadata.Component
	if len(app.Hashes) != 1 || app.Hashes[0].Content != hex.EncodeToString(sum[:]) {
		t.Errorf("the SBOM's hash is not the binary's: %v", app.Hashes)
	}
	if !strings.Contains(app.PURL, "?goarch="+goarch+"&goos="+goos+"&") {
		t.Errorf("the SBOM describes %s", app.PURL)
	}
	info, _ := buildinfo.ReadFile(path)
	if len(b.Components) != len(info.Deps)+1 {
		t.Errorf("the SBOM lists %d components; the binary links %d modules and std", len(b.Components), len(info.Deps))
	}
	if !slices.Contains(app.Properties, property{"cdx:gomod:build:vcs:revision", head}) {
		t.Errorf("the SBOM does not name commit %s", head)
	}
}

func checkVersion(t *testing.T, prefix []string, bin string, want []string) {
	args := append(append(prefix, bin), "version")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	lines := strings.Split(string(out), "\n")
	if len(lines) < 9 || !strings.HasPrefix(lines[0], want[0]) || lines[1] != want[1] {
		t.Errorf("%s version:\n%s\nwant lines starting %q and %q", filepath.Base(bin), out, want[0], want[1])
	}
	if !strings.Contains(string(out), "pack wt2026 ") || !strings.Contains(string(out), "bank holidays: England and Wales, published") {
		t.Errorf("%s version lacks the embedded packs or calendar:\n%s", filepath.Base(bin), out)
	}
}

// readBuildSettings reads the build settings (GOOS, CGO_ENABLED, -trimpath…) a Go binary
// records.
func readBuildSettings(path string) (map[string]string, error) {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return nil, err
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	return settings, nil
}

// checkImageBuild copies into a fresh directory what .dockerignore lets into the image's build
// context and runs the Dockerfile's build step there (make release-binary for linux/amd64
// with the stamps as build arguments): the binary must be the release's, byte for byte.
func checkImageBuild(t *testing.T, clone, release, version, commit, date string) {
	ignore := readDockerignoreAt(t, filepath.Join(clone, ".dockerignore"))
	ctx := t.TempDir()
	err := filepath.WalkDir(clone, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(clone, path)
		// A "!" rule may let a file back in below an excluded directory, so every file is
		// looked at.
		if d.IsDir() || ignore.excludes(filepath.ToSlash(rel)) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(ctx, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(ctx, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "wtcheck")
	mk := exec.Command("make", "release-binary", "TARGETOS=linux", "TARGETARCH=amd64", "OUT="+out,
		"VERSION="+version, "COMMIT="+commit, "DATE="+date)
	mk.Dir = ctx
	if msg, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("the image's build step in its context: %v\n%s", err, msg)
	}
	got, _ := os.ReadFile(out)
	want, _ := os.ReadFile(release)
	if !bytes.Equal(got, want) {
		t.Error("the image's build gives another binary than the release's wtcheck-linux-amd64")
	}
}

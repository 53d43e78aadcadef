package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteSums: one line per file, sorted, in the format sha256sum -c reads; the sums file
// itself is left out, so writing it twice gives the same bytes.
func TestWriteSums(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"b": "binary bytes", "a.cdx.json": "", SumsFile: "stale"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := WriteSums(dir); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, SumsFile))
	want := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.cdx.json\n" +
		"4f463802bc436efdd9a0c4e8c999ec3d37450657bd50b579d796b58bc9d3f1ef  b\n"
	if string(got) != want {
		t.Errorf("SHA256SUMS\n%s\nwant\n%s", got, want)
	}
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Log("no sha256sum here: the file's format is checked above only")
		return
	}
	cmd := exec.Command("sha256sum", "--strict", "-c", SumsFile)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v\n%s", err, out)
	}
}

// TestRunFinishesARelease runs the tool on a directory holding one Go binary (this test's
// own, named as a release binary): it writes the binary's SBOM and SHA256SUMS over both.
func TestRunFinishesARelease(t *testing.T) {
	dir := t.TempDir()
	self, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	bin, err := os.Create(filepath.Join(dir, "wtcheck-linux-amd64"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(bin, self); err != nil {
		t.Fatal(err)
	}
	bin.Close()
	var stderr bytes.Buffer
	if err := run([]string{"-version", "v1.2.0", "-commit", stamp.Commit, "-date", "2026-03-18T09:30:00+01:00", dir}, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	sums, _ := os.ReadFile(filepath.Join(dir, SumsFile))
	lines := strings.Split(strings.TrimSpace(string(sums)), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "  wtcheck-linux-amd64") || !strings.HasSuffix(lines[1], "  wtcheck-linux-amd64.cdx.json") {
		t.Errorf("SHA256SUMS:\n%s", sums)
	}
	doc, err := os.ReadFile(filepath.Join(dir, "wtcheck-linux-amd64.cdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	var b bom
	if err := json.Unmarshal(doc, &b); err != nil {
		t.Fatal(err)
	}
	if b.Metadata.Component.Version != "v1.2.0" || b.Metadata.Timestamp != "2026-03-18T08:30:00Z" {
		t.Errorf("SBOM metadata: %+v", b.Metadata)
	}
}

func TestRunErrors(t *testing.T) {
	empty := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{empty}, "usage: release -version V -commit C -date D DIR"},
		{[]string{"-version", "v1", "-commit", "c", "-date", "yesterday", empty}, `read -date: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
		{[]string{"-version", "v1", "-commit", "c", "-date", "2026-01-01T00:00:00Z", empty}, "list release: no wtcheck-OS-ARCH binary in " + empty},
	} {
		if err := run(c.args, io.Discard); err == nil || err.Error() != c.want {
			t.Errorf("run %q: %v, want %s", c.args, err, c.want)
		}
	}
}

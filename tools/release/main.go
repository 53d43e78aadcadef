// Command release finishes a release directory that `make release` has filled with
// binaries: it writes each binary's CycloneDX SBOM (NAME.cdx.json) from the binary's own Go
// build information, then SHA256SUMS over every file. Run by `make release`; see
// docs/release.md.
//
//	go run ./tools/release -version v1.2.0 -commit 0123abc… -date 2026-01-02T03:04:05Z dist
package main

import (
	"debug/buildinfo"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "release: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var st Stamp
	var date string
	fs.StringVar(&st.Version, "version", "", "the version stamped into the binaries")
	fs.StringVar(&st.Commit, "commit", "", "the commit they were built from")
	fs.StringVar(&date, "date", "", "the commit's date (RFC 3339, as `git log -1 --format=%cI` prints it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || st.Version == "" || st.Commit == "" || date == "" {
		return fmt.Errorf("usage: release -version V -commit C -date D DIR")
	}
	var err error
	if st.Date, err = time.Parse(time.RFC3339, date); err != nil {
		return fmt.Errorf("read -date: %w", err)
	}
	dir := fs.Arg(0)
	bins, err := binaries(dir)
	if err != nil {
		return err
	}
	for _, name := range bins {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read binary: %w", err)
		}
		info, err := buildinfo.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read build information: %w", err)
		}
		doc, err := SBOM(name, data, info, st)
		if err != nil {
			return err
		}
		if err := os.WriteFile(path+".cdx.json", doc, 0o644); err != nil {
			return fmt.Errorf("write SBOM: %w", err)
		}
	}
	return WriteSums(dir)
}

// binaries lists the release's binaries: the files named wtcheck-OS-ARCH (.exe on Windows).
func binaries(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list release: %w", err)
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, "wtcheck-") && !strings.HasSuffix(n, ".json") {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("list release: no wtcheck-OS-ARCH binary in %s", dir)
	}
	slices.Sort(out)
	return out, nil
}

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cpuguy83/go-md2man/v2/md2man"
	"github.com/spf13/cobra/doc"
)

// manDir holds the man pages: wtcheck(1), one page per command, and one per help topic in
// section 7 (wtcheck-exit-codes(7)). They are generated from the commands themselves; the
// generator lives in this test so that the binary does not carry a Markdown renderer.
const manDir = "../../docs/man"

// TestManPagesAreUpToDate fails when docs/man is not what the commands generate; `make
// docs` rewrites it (go test -run TestManPages -update).
func TestManPagesAreUpToDate(t *testing.T) {
	dir := t.TempDir()
	if err := writeManPages(dir); err != nil {
		t.Fatal(err)
	}
	got := readDir(t, dir)
	if *update {
		if err := os.RemoveAll(manDir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(manDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range got {
			if err := os.WriteFile(filepath.Join(manDir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := readDir(t, manDir)
	for name, data := range got {
		if old, ok := want[name]; !ok {
			t.Errorf("docs/man lacks %s: run `make docs` and commit it", name)
		} else if !bytes.Equal(old, data) {
			t.Errorf("docs/man/%s is out of date: run `make docs` and commit it\n%s", name, firstDifference(string(old), string(data)))
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("docs/man/%s is for a command that is gone: run `make docs` and commit the removal", name)
		}
	}
	for _, page := range []string{"wtcheck.1", "wtcheck-check.1", "wtcheck-rules-list.1", "wtcheck-exit-codes.7", "wtcheck-case-format.7"} {
		if _, ok := got[page]; !ok {
			t.Errorf("no man page %s among %v", page, slices.Sorted(mapKeys(got)))
		}
	}
}

func mapKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

// manDate stands in for the date of the pages: a committed page must not change with the
// day it is generated, so the date field of .TH is left empty.
var manDate = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)

// writeManPages writes every page into dir.
func writeManPages(dir string) error {
	root := newRootCommand(strings.NewReader(""))
	root.DisableAutoGenTag = true
	// cobra adds `completion` when it runs; the pages document it too.
	root.InitDefaultCompletionCmd()
	header := &doc.GenManHeader{Date: &manDate, Source: "wtcheck", Manual: "wtcheck manual"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return fmt.Errorf("generate man pages: %w", err)
	}
	for _, topic := range helpTopics {
		text, err := topic.text()
		if err != nil {
			return err
		}
		// Paragraphs are filled by man; the four-space tables stay as they are (Markdown
		// code blocks).
		md := fmt.Sprintf("%% \"WTCHECK-%s\" \"7\" \"Jan 0001\" \"wtcheck\" \"wtcheck manual\"\n# NAME\nwtcheck-%s \\- %s\n\n# DESCRIPTION\n%s\n# SEE ALSO\n**wtcheck(1)**, **wtcheck help %s**\n",
			strings.ToUpper(topic.name), topic.name, topic.short, text, topic.name)
		if err := os.WriteFile(filepath.Join(dir, "wtcheck-"+topic.name+".7"), md2man.Render([]byte(md)), 0o644); err != nil {
			return fmt.Errorf("write man page: %w", err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fixed := bytes.Replace(data, []byte(`"Jan 0001"`), []byte(`""`), 1)
		if bytes.Equal(fixed, data) {
			return fmt.Errorf("man page %s has no date field to empty", e.Name())
		}
		if err := os.WriteFile(path, fixed, 0o644); err != nil {
			return err
		}
	}
	return nil
}

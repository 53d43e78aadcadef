package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const overlayPack = "testdata/overlay/local.yaml"

// An overlay replaces the shipped pack it extends: one set of findings, each naming the
// overlay, and a report that names its file and content hash.
func TestOverlayReplacesThePackItExtends(t *testing.T) {
	code, out, stderr := run(t, "", "check", "--pack", overlayPack, "--edition", "2023", "--show", "all", "--format", "json", "../../fixtures/sample")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Packs []struct {
			ID, Edition, Version, Extends, File, SHA256 string
		}
		Findings []struct {
			CaseID   string `json:"case_id"`
			Edition  string
			Rule     string
			Referral string
			Subject  string
			Pack     string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Packs) != 1 {
		t.Fatalf("packs = %+v, want the overlay alone", rep.Packs)
	}
	p := rep.Packs[0]
	if p.ID != "la-e09000099" || p.Version != "2024.1" || p.Extends != "wt2023 0.1.0" || p.File != overlayPack || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(p.SHA256) {
		t.Errorf("pack = %+v", p)
	}
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		key := strings.Join([]string{f.CaseID, f.Edition, f.Rule, f.Referral, f.Subject}, "/")
		if seen[key] {
			t.Errorf("finding %s listed twice", key)
		}
		seen[key] = true
		if f.Pack != "la-e09000099" {
			t.Errorf("finding %s names pack %q", key, f.Pack)
		}
		if f.Rule == "early-help-considered" {
			t.Errorf("the overlay's disabled rule gave %s", key)
		}
	}
	if len(rep.Findings) < 300 {
		t.Errorf("%d findings: the overlay's inherited rules did not run", len(rep.Findings))
	}

	code, out, _ = run(t, "", "check", "--pack", overlayPack, "--edition", "2018,2023", "../../fixtures/scenarios/icpc-late")
	if code != 1 || !strings.Contains(out, "Local pack: la-e09000099 2024.1 ("+overlayPack+", sha256 ") || !strings.Contains(out, "extends wt2023 0.1.0)") ||
		!strings.Contains(out, "C-000123  2018               icpc-timeliness") || !strings.Contains(out, "C-000123  2023 la-e09000099  icpc-timeliness") {
		t.Errorf("text report with 2018 and the overlay: exit %d\n%s", code, out)
	}

	html := filepath.Join(t.TempDir(), "r.html")
	if code, _, stderr := run(t, "", "check", "--pack", overlayPack, "--format", "html", "-o", html, "../../fixtures/scenarios/icpc-late"); code != 1 {
		t.Fatalf("html: exit %d, %s", code, stderr)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "la-e09000099 2024.1 (Working Together 2023; local pack "+overlayPack+", sha256 ") {
		t.Error("the HTML report does not name the local pack")
	}
}

// A pack given the id of a shipped pack would be reported as it, version and all: refused.
func TestPackWithAShippedIDIsRefused(t *testing.T) {
	dir := t.TempDir()
	pack := filepath.Join(dir, "impostor.yaml")
	if err := os.WriteFile(pack, []byte("id: wt2023\nextends: wt2023\nrules: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "", "check", "--pack", pack, "../../fixtures/scenarios/icpc-late")
	if code != 2 || !strings.Contains(stderr, pack+": id wt2023 is a shipped pack's: give the pack an id of its own") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// wtcheck test on an overlay runs the base's examples for the rules it inherits unchanged and
// its own for the rules it changes; without its own, the changed rules are named.
func TestTestRunsAnOverlayWithItsBasesExamples(t *testing.T) {
	code, out, _ := run(t, "", "test", overlayPack)
	if code != 0 || !strings.Contains(out, "ok    la-e09000099 27 rules, ") || !strings.HasSuffix(out, " passed, 0 failed\n") {
		t.Errorf("overlay with its examples: exit %d\n%s", code, out)
	}
	dir := t.TempDir()
	data, err := os.ReadFile(overlayPack)
	if err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(dir, "local.yaml")
	if err := os.WriteFile(bare, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, "", "test", bare)
	if code != 1 || !strings.Contains(out, "la-e09000099 cp-visit-interval: no example makes it breach, met, pending or not_applicable (the overlay changes this rule, so the examples of wt2023 do not hold for it") ||
		!strings.HasSuffix(out, " passed, 1 failed\n") {
		t.Errorf("overlay without examples: exit %d\n%s", code, out)
	}
	// One shipped edition alone is tested with the shipped examples, the others' passed over.
	if code, out, _ := run(t, "", "test", "2018"); code != 0 || !strings.HasSuffix(out, " passed, 0 failed\n") {
		t.Errorf("test 2018: exit %d\n%s", code, out)
	}
}

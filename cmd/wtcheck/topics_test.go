package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/rules"
)

// TestHelpTopicsAreListedAndShown: every topic is under "Additional help topics" in
// wtcheck --help, and `wtcheck help TOPIC` prints its page and exits 0.
func TestHelpTopicsAreListedAndShown(t *testing.T) {
	_, out, _ := run(t, "", "--help")
	for _, topic := range helpTopics {
		if !strings.Contains(out, "wtcheck "+topic.name) {
			t.Errorf("wtcheck --help does not list %s:\n%s", topic.name, out)
		}
		code, page, stderr := run(t, "", "help", topic.name)
		want, err := topic.text()
		if err != nil {
			t.Fatal(err)
		}
		if code != 0 || page != want || stderr != "" {
			t.Errorf("help %s: exit %d, stderr %q, page\n%s", topic.name, code, stderr, page)
		}
	}
	if !strings.Contains(out, "Additional help topics:") {
		t.Errorf("wtcheck --help:\n%s", out)
	}
}

// TestExitCodesTopicIsTrue runs what the exit-codes page says, one claim at a time, so the
// page cannot drift from the commands.
func TestExitCodesTopicIsTrue(t *testing.T) {
	_, page, _ := run(t, "", "help", "exit-codes")
	for _, code := range []int{checker.ExitOK, checker.ExitFailed, checker.ExitUsage} {
		if !strings.Contains(page, fmt.Sprintf("\n    %d  ", code)) {
			t.Errorf("exit-codes does not explain %d:\n%s", code, page)
		}
	}
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.ndjson")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	emptyDir := filepath.Join(dir, "nothing")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	html := filepath.Join(dir, "report.html")
	malformed := "../../fixtures/scenarios/malformed-batch"
	for _, c := range []struct {
		claim string
		args  []string
		want  int
	}{
		{"check, nothing at or above --fail-on", []string{"check", "--edition", "2018", "--fail-on", "none", icpcLate}, checker.ExitOK},
		{"check, a breach", []string{"check", "--edition", "2018", icpcLate}, checker.ExitFailed},
		{"report, a breach", []string{"report", "--edition", "2018", "--format", "html", "-o", html, icpcLate}, checker.ExitFailed},
		{"report, --fail-on none", []string{"report", "--edition", "2018", "--fail-on", "none", "--format", "html", "-o", html, icpcLate}, checker.ExitOK},
		{"--strict, a skipped record", []string{"check", "--edition", "2023", "--strict", "--fail-on", "none", malformed}, checker.ExitFailed},
		{"without --strict, a skipped record", []string{"check", "--edition", "2023", "--fail-on", "none", malformed}, checker.ExitOK},
		{"--max-breaches above the count", []string{"check", "--edition", "2018", "--max-breaches", "1", icpcLate}, checker.ExitOK},
		{"compare ends with 0", []string{"compare", "--editions", "2018,2023", icpcLate}, checker.ExitOK},
		{"explain ends with 0", []string{"explain", "--edition", "2018", "C-000123", icpcLate}, checker.ExitOK},
		{"a bad flag", []string{"check", "--no-such-flag", icpcLate}, checker.ExitUsage},
		{"an unknown edition", []string{"check", "--edition", "1999", icpcLate}, checker.ExitUsage},
		{"an input that cannot be opened", []string{"check", filepath.Join(dir, "missing.ndjson")}, checker.ExitUsage},
		{"an empty file", []string{"check", empty}, checker.ExitUsage},
		{"an empty directory", []string{"check", emptyDir}, checker.ExitUsage},
		{"--allow-empty", []string{"check", "--allow-empty", empty}, checker.ExitOK},
	} {
		if code, _, stderr := run(t, "", c.args...); code != c.want {
			t.Errorf("%s: exit %d, the page says %d (%s)", c.claim, code, c.want, stderr)
		}
	}
}

// TestEditionsTopicListsEveryPack: one line per shipped edition with its in-force period,
// read from the packs.
func TestEditionsTopicListsEveryPack(t *testing.T) {
	_, page, _ := run(t, "", "help", "editions")
	for _, want := range []string{
		"\n    2010  2010-04-01 to 2013-04-14  Working Together to Safeguard Children 2010; pack wt2010 0.1.0, 25 rules\n",
		"\n    2026  2026-03-18 to now         Working Together to Safeguard Children 2026; pack wt2026 0.1.0, 28 rules\n",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("editions lacks %q:\n%s", want, page)
		}
	}
	for _, ed := range rules.Editions() {
		if !strings.Contains(page, "\n    "+ed+"  ") {
			t.Errorf("editions lacks %s:\n%s", ed, page)
		}
	}
}

// TestFormatsTopicDescribesEveryFormat: a format the writers or the importers know has a
// description, and no description is left for a format that is gone.
func TestFormatsTopicDescribesEveryFormat(t *testing.T) {
	all := slices.Concat(report.Formats(), report.AuditFormats(), inputFormats)
	_, page, _ := run(t, "", "help", "formats")
	for _, f := range all {
		d, ok := formatDescriptions[f]
		if !ok {
			t.Errorf("format %s has no description in formatDescriptions", f)
			continue
		}
		if !strings.Contains(page, fmt.Sprintf("\n    %-10s  %s\n", f, d)) {
			t.Errorf("formats does not list %s:\n%s", f, page)
		}
	}
	for f := range formatDescriptions {
		if !slices.Contains(all, f) {
			t.Errorf("formatDescriptions describes %s, which no writer or importer knows", f)
		}
	}
}

// TestCaseFormatTopicFollowsTheModel: the field list is the case model's, with the types
// the decoder reads and the kinds Validate accepts.
func TestCaseFormatTopicFollowsTheModel(t *testing.T) {
	_, page, _ := run(t, "", "help", "case-format")
	lines := map[string]string{}
	for _, l := range strings.Split(page, "\n") {
		if f := strings.Fields(l); strings.HasPrefix(l, "    ") && len(f) >= 2 {
			lines[f[0]] = strings.Join(f[1:], " ")
		}
	}
	for path, want := range map[string]string{
		"format":                               "string: wtcheck/case/v1",
		"case_id":                              "string",
		"extract_date":                         "date",
		"child.circumstances":                  "list of strings",
		"referrals":                            "list of objects:",
		"referrals[].assessments[].kind":       "string: core, initial, single",
		"referrals[].assessments[].seen":       "list of dates",
		"referrals[].conferences[].kind":       "string: initial, pre_birth, review, transfer_in",
		"referrals[].plans[].kind":             "string: child_in_need, child_protection",
		"referrals[].plans[].visits[].seen":    "true or false",
		"referrals[].housing_referral_refused": "true or false",
		"provenance.lacks":                     "list of strings",
	} {
		if lines[path] != want {
			t.Errorf("case-format gives %s as %q, want %q", path, lines[path], want)
		}
	}
	if len(lines) < 60 {
		t.Errorf("case-format lists %d fields:\n%s", len(lines), page)
	}
}

// TestCompletionScripts: `wtcheck completion SHELL` writes a script for each shell the
// README documents, and the completion it drives offers the commands and the help topics.
func TestCompletionScripts(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash": "complete -o default -F __start_wtcheck wtcheck", "zsh": "#compdef wtcheck",
		"fish": "complete -c wtcheck", "powershell": "Register-ArgumentCompleter",
	} {
		code, out, stderr := run(t, "", "completion", shell)
		if code != 0 || !strings.Contains(out, marker) {
			t.Errorf("completion %s: exit %d, %s, script lacks %q", shell, code, stderr, marker)
		}
	}
	_, out, _ := run(t, "", "__complete", "help", "")
	for _, want := range []string{"check\t", "exit-codes\t", "case-format\t"} {
		if !strings.Contains(out, want) {
			t.Errorf("completing `wtcheck help ` does not offer %q:\n%s", strings.TrimSpace(want), out)
		}
	}
}

package main

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// onePerCase writes the sample as a folder of one file per case, named by its case id, as
// many case systems export them, with the sample's broken records in files of their own. It
// returns the folder and what a redacted report must never show: every case id, child id and
// date of birth of the batch.
func onePerCase(t *testing.T) (dir string, secrets []string) {
	t.Helper()
	dir = t.TempDir()
	for _, name := range []string{"cases.ndjson", "bad.ndjson"} {
		f, err := os.Open(filepath.Join("../../fixtures/sample", name))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		n := 0
		for sc.Scan() {
			n++
			line := sc.Text()
			var rec struct {
				CaseID string `json:"case_id"`
				Child  struct {
					ID        string `json:"id"`
					BirthDate string `json:"birth_date"`
				} `json:"child"`
			}
			file := "broken-" + name + "-" + string(rune('0'+n)) + ".json"
			if json.Unmarshal([]byte(line), &rec) == nil && rec.CaseID != "" {
				file = rec.CaseID + ".json"
				secrets = append(secrets, rec.CaseID, rec.Child.ID)
				if rec.Child.BirthDate != "" {
					secrets = append(secrets, rec.Child.BirthDate)
				}
			} else if m := regexp.MustCompile(`"case_id":"([^"]+)"`).FindStringSubmatch(line); m != nil {
				file = m[1] + ".json" // a record too broken to read still names its file
				secrets = append(secrets, m[1])
			}
			if err := os.WriteFile(filepath.Join(dir, file), []byte(line+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	// A referral from before April 2010, which no shipped edition covers: it is named, as not
	// covered, in every format.
	old := `{"case_id":"C-OLD-1","extract_date":"2025-03-31","child":{"id":"CH-OLD-1","birth_date":"2005-05-05"},` +
		`"referrals":[{"id":"R7","received":"2009-06-01","decision":"2009-06-02","closed":"2009-09-30"}]}`
	if err := os.WriteFile(filepath.Join(dir, "C-OLD-1.json"), []byte(old+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, "C-OLD-1", "CH-OLD-1", "2005-05-05")
	return dir, secrets
}

// referralID is a referral id of the sample (R1, R2) standing alone: a hash never holds one
// (base32 has no 1), and no other text of a report does.
var referralID = regexp.MustCompile(`(^|[^A-Za-z0-9_-])R[0-9]+([^A-Za-z0-9_-]|$)`)

// TestRedactRedactsEveryFormat runs every format with --redact over a batch of one file per
// case, named by its case id, and searches what it writes (standard output, standard error
// and the files) for any case id, child id, referral id or date of birth.
func TestRedactRedactsEveryFormat(t *testing.T) {
	t.Setenv(redactKeyEnv, "")
	if code, _, stderr := run(t, "", "check", "--redact", icpcLate); code != 2 || !strings.Contains(stderr, "needs a key") {
		t.Errorf("no key: exit %d, %s", code, stderr)
	}
	t.Setenv(redactKeyEnv, "a-key-for-the-tests-only")
	dir, secrets := onePerCase(t)
	if len(secrets) < 60 {
		t.Fatalf("only %d secrets gathered from the sample", len(secrets))
	}
	out := t.TempDir()
	type cmdline struct {
		args []string
		file string // written with -o, read instead of standard output
		noID bool   // the format names no case (compare's CSV: rates per rule)
	}
	var runs []cmdline
	for _, format := range []string{"text", "json", "ndjson", "csv", "markdown", "junit", "sarif", "github", "gitlab"} {
		// Each referral under its own edition: what is redacted does not depend on the
		// edition, and one edition a referral keeps the race detector's time in bounds.
		runs = append(runs, cmdline{args: []string{"check", "--redact", "--edition", "in-force", "--show", "all", "--format", format, dir}})
	}
	runs = append(runs,
		cmdline{args: []string{"check", "--redact", "--edition", "in-force", "--format", "sarif", dir}},
		cmdline{args: []string{"report", "--redact", "-o", filepath.Join(out, "r.html"), dir}, file: filepath.Join(out, "r.html")},
		cmdline{args: []string{"report", "--redact", "--edition", "2018,2023", "-o", filepath.Join(out, "e.html"), dir}, file: filepath.Join(out, "e.html")},
		cmdline{args: []string{"report", "--redact", "--format", "xlsx", "-o", filepath.Join(out, "r.xlsx"), dir}, file: filepath.Join(out, "r.xlsx")},
		cmdline{args: []string{"check", "--redact", "--format", "html", dir}},
	)
	for _, format := range []string{"text", "json", "csv", "markdown"} {
		// Two editions and the in-force column, in which referrals before 2018 are not covered.
		runs = append(runs, cmdline{args: []string{"compare", "--redact", "--editions", "2018,2023,in-force", "--format", format, dir}, noID: format == "csv"})
	}
	for _, format := range []string{"text", "json"} {
		// C-0032's child is unborn; C-0013 has a plan counted to an 18th birthday.
		runs = append(runs, cmdline{args: []string{"explain", "--redact", "--format", format, "C-0013", dir}},
			cmdline{args: []string{"explain", "--redact", "--format", format, "C-0032", dir}})
	}
	for _, c := range runs {
		code, stdout, stderr := run(t, "", c.args...)
		if code > 1 {
			t.Errorf("%v: exit %d: %s", c.args, code, stderr)
			continue
		}
		texts := map[string]string{"stdout": stdout, "stderr": stderr}
		if c.file != "" {
			for name, text := range readOutput(t, c.file) {
				texts[name] = text
			}
		}
		hashed := false
		for where, text := range texts {
			hashed = hashed || strings.Contains(text, "R-")
			for _, s := range secrets {
				if i := strings.Index(text, s); i >= 0 {
					t.Errorf("%v: %s shows %q: …%s…", c.args, where, s, text[max(i-60, 0):min(i+len(s)+60, len(text))])
				}
			}
			if m := referralID.FindStringIndex(text); m != nil {
				t.Errorf("%v: %s shows a referral id: …%s…", c.args, where, text[max(m[0]-60, 0):min(m[1]+60, len(text))])
			}
		}
		if !hashed && !c.noID {
			t.Errorf("%v: no hashed id in the output", c.args)
		}
	}
	// Files are named by their position, and the same key gives the same hashes.
	_, a, _ := run(t, "", "check", "--redact", "--edition", "in-force", "--format", "ndjson", dir)
	_, b, _ := run(t, "", "check", "--redact", "--edition", "in-force", "--format", "json", dir)
	if !strings.Contains(b, `"file": "file `) {
		t.Error("the JSON report does not name files by position")
	}
	_, again, _ := run(t, "", "check", "--redact", "--edition", "in-force", "--format", "ndjson", dir)
	if a != again || a == "" {
		t.Error("the same key gave different hashes")
	}
	// A deadline counted from the birth date says the child's age instead of its dates.
	_, explained, _ := run(t, "", "explain", "--redact", "C-0013", dir)
	if !strings.Contains(explained, "plan-ends-by-18") || !regexp.MustCompile(`the child is aged \d+ at 2025-03-31`).MatchString(explained) {
		t.Errorf("explain does not give the age:\n%s", explained)
	}
}

// readOutput reads a report file: a workbook as the XML of its parts.
func readOutput(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, ".xlsx") {
		return map[string]string{path: string(data)}
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[path+":"+f.Name] = string(b)
	}
	return out
}

package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
)

// hostileReport is sampleReport with ids, a subject, a file name and an error that try to
// start lines of their own: a newline or carriage return followed by a workflow command, and
// an id that is a workflow command.
func hostileReport() *checker.Report {
	r := sampleReport()
	fs := r.Findings.(checker.FindingSlice)
	fs[0].CaseID = "X\n::error::forged by a case id"
	fs[0].Subject = "S1\r::warning::forged by a subject"
	fs[2].CaseID = "::error::an id that is a command"
	fs[2].File = "cases\n::error::forged by a file name.ndjson"
	fs[3].Subject = "K1\t\x1b[31mred"
	r.Errors[0].CaseID = "C-9\n::error::forged by an error's case id"
	r.Warnings[1].CaseID = "W\n::error::forged by a warning's case id"
	r.NotCovered = []checker.NotCovered{{CaseID: "N\n::error::forged by a referral", Referral: "R\n1"}}
	return r
}

// lines splits output on every line ending a CI log or terminal honours.
func lines(out string) []string {
	return strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' })
}

// TestIDsCannotForgeLines writes the hostile report in every format that is read line by
// line (text, CSV, Markdown, github, gitlab, ndjson) and finds no line that starts a workflow
// command except the github writer's own, one per annotation.
func TestIDsCannotForgeLines(t *testing.T) {
	for _, format := range []string{"text", "csv", "markdown", "github", "gitlab", "ndjson", "json", "junit", "sarif"} {
		t.Run(format, func(t *testing.T) {
			w, err := Lookup(format)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := w(&buf, hostileReport()); err != nil {
				t.Fatal(err)
			}
			commands := 0
			for _, l := range lines(buf.String()) {
				trimmed := strings.TrimLeft(l, " \t")
				if strings.HasPrefix(trimmed, "::") || strings.HasPrefix(trimmed, "##[") {
					commands++
					if format != "github" {
						t.Errorf("a line starts a workflow command: %q", l)
					}
				}
				if strings.Contains(l, "\x1b") {
					t.Errorf("a raw escape sequence: %q", l)
				}
			}
			// github: the four annotations (three breaches, one due soon), the error, the
			// referral not covered, the two data warnings and the summary.
			if want := 9; format == "github" && commands != want {
				t.Errorf("%d workflow commands, want %d:\n%s", commands, want, buf.String())
			}
		})
	}
}

// TestEscapedIDsStayThemselves shows what a hostile id looks like in each line format: quoted
// in Go's escaped form, so it reads back as itself and two ids never look alike.
func TestEscapedIDsStayThemselves(t *testing.T) {
	var text bytes.Buffer
	if err := Text(&text, hostileReport()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\n" + `"X\n::error::forged by a case id"  `,
		"\n" + `"::error::an id that is a command"  `,
		`"K1\t\x1b[31mred"`,
		`cases.ndjson record 2 ("C-9\n::error::forged by an error's case id"): referrals[0].received`,
		`"N\n::error::forged by a referral" "R\n1", received`,
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text output lacks %s:\n%s", want, text.String())
		}
	}

	var csvOut bytes.Buffer
	if err := CSV(&csvOut, hostileReport()); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[1][0]; got != `"X\n::error::forged by a case id"` {
		t.Errorf("CSV case_id cell = %q", got)
	}

	// github escapes with the workflow-command syntax itself, and reads back whole.
	var gh bytes.Buffer
	if err := GitHub(&gh, hostileReport()); err != nil {
		t.Fatal(err)
	}
	if want := "::error file=extracts/cases.ndjson,line=1,title=icpc-timeliness breach (2018)::X%0A::error::forged by a case id S1%0D::warning::forged by a subject:"; !strings.Contains(gh.String(), want) {
		t.Errorf("github output lacks %s:\n%s", want, gh.String())
	}
	if want := "C-2 K1%09%1B[31mred:"; !strings.Contains(gh.String(), want) {
		t.Errorf("github output lacks %s:\n%s", want, gh.String())
	}
	if want := "file=cases%0A%3A%3Aerror%3A%3Aforged by a file name.ndjson,line=3"; !strings.Contains(gh.String(), want) {
		t.Errorf("github output lacks %s:\n%s", want, gh.String())
	}

	// JSON keeps the id exactly.
	var js bytes.Buffer
	if err := JSON(&js, hostileReport()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []checker.Finding `json:"findings"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || len(doc.Findings) == 0 || doc.Findings[0].CaseID != "X\n::error::forged by a case id" {
		t.Errorf("JSON findings %+v (%v)", doc.Findings, err)
	}
}

func TestPlain(t *testing.T) {
	for in, want := range map[string]string{
		"C-000123":       "C-000123",
		"Ölçü 7":         "Ölçü 7",
		"a\nb":           `"a\nb"`,
		"X-\xff":         `"X-\xff"`,
		"X-\xfe":         `"X-\xfe"`,
		"::error::x":     `"::error::x"`,
		"##[error]x":     `"##[error]x"`,
		"line\u2028next": `"line\u2028next"`,
		"a:b":            "a:b",
		// After printable ASCII: a delete, a C1 control, a bad byte, and letters that are fine.
		"C-1\x7f":     `"C-1\x7f"`,
		"C-1 \u0085":  `"C-1 \u0085"`,
		"C-1 \xffé":   `"C-1 \xffé"`,
		"C-1 élan 测试": "C-1 élan 测试",
	} {
		if got := plain(in); got != want {
			t.Errorf("plain(%q) = %s, want %s", in, got, want)
		}
	}
}

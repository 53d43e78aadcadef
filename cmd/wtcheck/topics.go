package main

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/report"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
	"github.com/wtcheck/wtcheck/source/registry"
)

// helpTopic is a page of `wtcheck help TOPIC`, written from what the code itself uses (the
// packs, the case model, the writers, the exit codes), so that it cannot drift from them.
// docs/man holds the same pages as wtcheck-TOPIC(7).
type helpTopic struct {
	name, short string
	// text builds the page on demand: the editions page parses every pack, which no other
	// command should pay for.
	text func() (string, error)
}

var helpTopics = []helpTopic{
	{"case-format", "The case record format (wtcheck/case/v1): every field, its type and known values", caseFormatTopic},
	{"editions", "The editions of Working Together wtcheck checks, and when each was in force", editionsTopic},
	{"exit-codes", "What wtcheck's exit status means", exitCodesTopic},
	{"formats", "The report formats wtcheck writes and the input formats it reads", formatsTopic},
}

// addHelpTopics adds each topic to root as a cobra help topic: a command with no Run,
// listed under "Additional help topics" and shown by `wtcheck help TOPIC`. Cobra completes
// `wtcheck help` with runnable commands only, so the topics are added to its completion.
func addHelpTopics(root *cobra.Command) {
	var names []string
	for _, t := range helpTopics {
		cmd := &cobra.Command{Use: t.name, Short: t.short}
		cmd.SetHelpFunc(func(c *cobra.Command, _ []string) {
			text, err := t.text()
			if err != nil {
				fmt.Fprintf(c.ErrOrStderr(), "wtcheck: %v\n", err)
				return
			}
			fmt.Fprint(c.OutOrStdout(), text)
		})
		root.AddCommand(cmd)
		names = append(names, t.name+"\t"+t.short)
	}
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() != "help" || c.ValidArgsFunction == nil {
			continue
		}
		commands := c.ValidArgsFunction
		c.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			out, dir := commands(cmd, args, toComplete)
			if len(args) == 0 {
				for _, n := range names {
					if strings.HasPrefix(n, toComplete) {
						out = append(out, n)
					}
				}
			}
			return out, dir
		}
	}
}

// A topic's text is paragraphs separated by blank lines; lines indented by four spaces are
// a table or an example, kept as they are (in the man pages too, where the paragraphs are
// filled).

func exitCodesTopic() (string, error) {
	return fmt.Sprintf(`Every command ends with one of three exit statuses; scripts and CI jobs can rely on them.

    %d  the command did what was asked; for check and report, nothing at or above --fail-on
       was found
    %d  check and report: a breach at or above --fail-on (breach by default; warning or info
       fail on more, none on nothing); with --strict, also a record skipped for a data error,
       a rule that could not be evaluated, a referral no loaded pack covers, or a data warning.
       check only: with --max-breaches N, more than N such breaches; with --baseline, only
       breaches not in the baseline count.
       test: a pack's example did not give the findings it names.
       import --strict: a record was skipped.
    %d  the command could not run as asked: a bad flag, an unknown edition, a pack that does not
       compile (lint reports every problem, then ends so), an input that cannot be opened or
       that holds no case record (an empty file or directory: --allow-empty lets it pass);
       or a rule went over its cost budget on a record (a broken pack: the report is still
       written, but it is not the check that was asked for)

compare and explain write what they found and end with 0. A bad record does not stop a batch:
it is reported on standard error with its file, position and case id (never its contents),
counted as skipped, and the rest are checked. Every report format gives the same status for
the same findings.
`, checker.ExitOK, checker.ExitFailed, checker.ExitUsage), nil
}

func editionsTopic() (string, error) {
	var b strings.Builder
	b.WriteString(`Each edition of Working Together to Safeguard Children is a rule pack shipped inside wtcheck.
--edition chooses them (default: every one); --edition in-force checks each referral under the
edition in force on the day it was received.

`)
	for _, ed := range rules.Editions() {
		name, data, err := rules.Pack(ed)
		if err != nil {
			return "", err
		}
		p, err := checker.ParsePack(name, data)
		if err != nil {
			return "", err
		}
		to := "now"
		if !p.InForce.To.IsZero() {
			to = p.InForce.To.String()
		}
		fmt.Fprintf(&b, "    %s  %s to %-10s  %s; pack %s %s, %d rules\n", p.Edition, p.InForce.From, to, p.Title, p.ID, p.Version, len(p.Rules))
		if p.Source != "" {
			fmt.Fprintf(&b, "          %s\n", p.Source)
		}
	}
	b.WriteString(`
wtcheck rules list names every rule; wtcheck rules diff 2018 2023 says what changed between two
editions; docs/rules.md is the reference generated from the same packs.
`)
	return b.String(), nil
}

// formatDescriptions says what each format is for, from the tables of output formats
// (checker/report) and input formats (source/registry); a test fails when a writer or an
// input format has none, so a new format cannot go undocumented.
var formatDescriptions = func() map[string]string {
	out := map[string]string{}
	for _, f := range report.AllFormats() {
		out[f.Name] = f.Description
	}
	for _, f := range registry.Formats {
		out[f.Name] = f.Description
	}
	return out
}()

func formatsTopic() (string, error) {
	var b strings.Builder
	table := func(names []string) {
		for _, n := range names {
			fmt.Fprintf(&b, "    %-10s  %s\n", n, formatDescriptions[n])
		}
	}
	b.WriteString("Report formats (--format, for check; html and xlsx also for report):\n\n")
	table(append(report.Formats(), report.AuditFormats()...))
	b.WriteString("\nInput formats (--input-format; wtcheck import writes case records from the others):\n\n")
	table(inputFormats)
	b.WriteString("\nEvery report is written whole or not at all (-o FILE), and the same input gives the same bytes.\n")
	return b.String(), nil
}

func caseFormatTopic() (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, `A case record (format %s) is one JSON object: one child's involvement with children's
social care, as a case-management system exports it. Dates are YYYY-MM-DD; a missing key and null
both mean not recorded. Unknown keys are allowed and kept. A bad record is reported with its file,
position and case id (never its contents) and skipped; the rest of the batch is checked.

`, record.CaseFormat)
	fields := caseFields(reflect.TypeFor[record.Case](), "")
	width := 0
	for _, f := range fields {
		width = max(width, len(f[0]))
	}
	for _, f := range fields {
		fmt.Fprintf(&b, "    %-*s  %s\n", width, f[0], f[1])
	}
	b.WriteString("\nwtcheck import turns a CIN census return or an Annex A workbook into such records.\n")
	return b.String(), nil
}

// caseFields lists the JSON fields of the case model, depth first, as path and type: the
// types the decoder itself reads, and the values Validate accepts.
func caseFields(t reflect.Type, prefix string) [][2]string {
	dateType := reflect.TypeFor[record.Date]()
	known := record.KnownValues()
	var out [][2]string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		path := prefix + name
		ft := f.Type
		list := ft.Kind() == reflect.Slice
		if list {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		var kind string
		switch {
		case ft == dateType:
			kind = "date"
		case ft.Kind() == reflect.Struct:
			if list {
				out = append(out, [2]string{path, "list of objects:"})
				out = append(out, caseFields(ft, path+"[].")...)
			} else {
				out = append(out, caseFields(ft, path+".")...)
			}
			continue
		case ft.Kind() == reflect.Bool:
			kind = "true or false"
		default:
			kind = ft.Kind().String()
		}
		if list {
			kind = "list of " + kind + "s"
			kind = strings.Replace(kind, "true or falses", "true or false values", 1)
		}
		if path == "format" {
			kind += ": " + record.CaseFormat
		}
		if values, ok := known[path]; ok {
			slices.Sort(values)
			kind += ": " + strings.Join(values, ", ")
		}
		out = append(out, [2]string{path, kind})
	}
	return out
}

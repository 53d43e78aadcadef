package ruledoc

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
)

// Reference writes the Markdown rule reference (docs/rules.md): the editions, a matrix of
// rules by edition, each rule in full, the parameters, and the variables and functions rules
// can use. It is generated, so it says only what the packs say.
func Reference(w io.Writer, packs []*checker.Pack) error {
	ew := &strings.Builder{}
	fmt.Fprintln(ew, "# Rule reference")
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "Generated from the rule packs by `wtcheck rules list --format markdown`: do not edit by hand.")
	fmt.Fprintln(ew, "A test fails when this file is out of date (`make docs` rewrites it).")
	fmt.Fprintln(ew)

	fmt.Fprintln(ew, "## Editions")
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "| pack | edition | in force | document | local arrangements | rules |")
	fmt.Fprintln(ew, "|---|---|---|---|---|---|")
	for _, p := range packs {
		fmt.Fprintf(ew, "| `%s` | %s | %s | %s | %s | %d |\n", p.ID, p.Edition, inForce(p), p.Document, cell(p.LocalArrangements), len(p.Rules))
	}
	fmt.Fprintln(ew)
	for _, p := range packs {
		if p.Note != "" {
			fmt.Fprintf(ew, "- **`%s`**: %s\n", p.ID, oneLine(p.Note))
		}
	}
	if slices.ContainsFunc(packs, func(p *checker.Pack) bool { return p.Note != "" }) {
		fmt.Fprintln(ew)
	}

	ids := ruleOrder(packs)
	fmt.Fprintln(ew, "## Rules by edition")
	fmt.Fprintln(ew)
	header := "| rule |"
	sep := "|---|"
	for _, p := range packs {
		header += " " + p.Edition + " |"
		sep += "---|"
	}
	fmt.Fprintln(ew, header)
	fmt.Fprintln(ew, sep)
	for _, id := range ids {
		row := fmt.Sprintf("| [`%s`](#%s) |", id, id)
		for _, p := range packs {
			if r := ruleIn(p, id); r != nil {
				row += fmt.Sprintf(" %s (%s) |", Timescale(r), r.Severity)
			} else {
				row += " – |"
			}
		}
		fmt.Fprintln(ew, row)
	}
	fmt.Fprintln(ew)

	fmt.Fprintln(ew, "## The rules")
	for _, id := range ids {
		ps, rs := Find(packs, id)
		last := rs[len(rs)-1]
		fmt.Fprintf(ew, "\n### %s\n\n**%s**\n\n%s\n\n", id, last.Title, oneLine(last.Description))
		fmt.Fprintln(ew, "| pack | severity | scope | timescale | citation |")
		fmt.Fprintln(ew, "|---|---|---|---|---|")
		for i, r := range rs {
			fmt.Fprintf(ew, "| `%s` | %s | %s | %s | %s |\n", ps[i].ID, r.Severity, Scopes(r), Timescale(r), cell(r.Citation.String()))
		}
		if len(last.Needs) > 0 {
			fmt.Fprintf(ew, "\nNeeds (insufficient_data where the source cannot record them): %s.\n", codeList(last.Needs))
		}
		fmt.Fprintf(ew, "\nAs written in `%s`:\n\n```yaml\n", ps[len(ps)-1].ID)
		if d := last.Deadline; d != nil && d.Within != nil {
			fmt.Fprintf(ew, "within: %s\n", d.Within)
		}
		for _, x := range namedExprs(last) {
			if !x.expr.IsZero() {
				fmt.Fprintf(ew, "%s: %s\n", x.name, oneLine(x.expr.Source))
			}
		}
		fmt.Fprintln(ew, "```")
		var differs []string
		for i, r := range rs[:len(rs)-1] {
			if exprsText(r) != exprsText(last) {
				differs = append(differs, "`"+ps[i].ID+"`")
			}
		}
		if len(differs) > 0 {
			fmt.Fprintf(ew, "\nThe expressions differ in %s: see `wtcheck rules show %s`.\n", strings.Join(differs, ", "), id)
		}
	}

	fmt.Fprintln(ew, "\n## Parameters")
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "Set with `--set NAME=VALUE` or in an overlay pack (`extends:`).")
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "| pack | parameter | type | default | range | meaning |")
	fmt.Fprintln(ew, "|---|---|---|---|---|---|")
	for _, p := range packs {
		for _, prm := range p.Params {
			fmt.Fprintf(ew, "| `%s` | `%s` | %s | %v | %s | %s |\n", p.ID, prm.Name, prm.Type, prm.Default, dash(prm.RangeText()), cell(oneLine(prm.Doc)))
		}
	}

	fmt.Fprintln(ew, "\n## Scopes and deadline shapes")
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "A rule's `scope` says which objects it gets one finding each for: `case`, `referral`, `assessment`, "+
		"`strategy_discussion`, `s47_enquiry`, `conference` and `plan` are in a case record; `incident` (one finding per incident "+
		"record, its subject the `incident_id`) and `arrangements` (one per area's arrangements record, its subject the `area_id`) "+
		"are the records beyond the case file. A rule reads one kind of record.")
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "| shape | written as | status |")
	fmt.Fprintln(ew, "|---|---|---|")
	fmt.Fprintln(ew, "| a timescale from a start | `deadline: {start, within: 15 working days, done, lapse}` | met, breach (late or overdue), pending, not applicable (lapsed), insufficient data (no start) |")
	fmt.Fprintln(ew, "| a due date computed from the start | `deadline: {start, due: <expression reading start>, done}` | as above |")
	fmt.Fprintln(ew, "| a fixed due date | `deadline: {start: date('2018-07-04'), due_on: 2019-09-29, done}`: the same day for every subject (a transition's end); it stays on a weekend, and lateness is counted in working days | as above |")
	fmt.Fprintln(ew, "| an interval over a list of dates | `each: <list of dates>`, `subject: <id> + '@' + isoDate(item)`, `deadline: {start: item, within: 12 months, done: firstAfter(<list>, item), lapse: <the day the series ends>}`: each date opens the next interval; the end of what the list belongs to is a lapse | one finding per interval |")
	fmt.Fprintln(ew, "| an assertion | `assert: <bool>`, optionally `pending_while: <bool>` | met, breach, pending while the work is open |")

	fmt.Fprintln(ew, "\n## What rules can read")
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "### Variables")
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "| variable | type | where | meaning |")
	fmt.Fprintln(ew, "|---|---|---|---|")
	for _, v := range checker.Variables {
		fmt.Fprintf(ew, "| `%s` | %s | %s | %s |\n", v.Name, v.Type, v.Scopes, cell(v.Doc))
	}
	fmt.Fprintln(ew, "\n### Functions")
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "| function | meaning | example |")
	fmt.Fprintln(ew, "|---|---|---|")
	for _, f := range checker.Functions {
		fmt.Fprintf(ew, "| `%s` | %s | `%s` |\n", f.Signature, cell(f.Doc), cell(f.Example))
	}
	fmt.Fprintln(ew, "\n### The record model")
	for _, t := range checker.ModelDocs() {
		fmt.Fprintf(ew, "\n`%s`: %s\n\n| field | type | meaning |\n|---|---|---|\n", t.Name, t.Doc)
		for _, f := range t.Fields {
			fmt.Fprintf(ew, "| `%s` | %s | %s |\n", f.Name, f.Type, cell(f.Doc))
		}
	}
	_, err := io.WriteString(w, ew.String())
	return err
}

// ruleOrder lists every rule id once: the newest pack's order, with rules only older packs
// have placed after the rule that precedes them there (2010's initial and core assessments
// next to the referral decision).
func ruleOrder(packs []*checker.Pack) []string {
	var ids []string
	for i := len(packs) - 1; i >= 0; i-- {
		prev := -1
		for _, r := range packs[i].Rules {
			if at := slices.Index(ids, r.ID); at >= 0 {
				prev = at
				continue
			}
			ids = slices.Insert(ids, prev+1, r.ID)
			prev++
		}
	}
	return ids
}

func ruleIn(p *checker.Pack, id string) *checker.Rule {
	for _, r := range p.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func exprsText(r *checker.Rule) string {
	var b strings.Builder
	if d := r.Deadline; d != nil && d.Within != nil {
		b.WriteString(d.Within.String())
	}
	for _, x := range namedExprs(r) {
		b.WriteString(x.name + "=" + oneLine(x.expr.Source) + ";")
	}
	return b.String()
}

func codeList(items []string) string {
	var out []string
	for _, s := range items {
		out = append(out, "`"+s+"`")
	}
	return strings.Join(out, ", ")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

package ruledoc

import (
	"fmt"
	"io"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
)

// Change is one difference between two editions.
type Change struct {
	Rule   string // empty for a change to the pack itself
	Kind   string // added, removed, pack: …, or the field that changed (see ruleFields)
	Before string
	After  string
}

// Diff lists what changed from pack a to pack b, rule by rule: rules added and removed, and
// for rules in both, a change of any field (ruleFields). Pack level changes (the document,
// who sets local arrangements) come first.
func Diff(a, b *checker.Pack) []Change {
	var out []Change
	for _, f := range []struct{ what, x, y string }{
		{"document", a.Document, b.Document},
		{"local arrangements", a.LocalArrangements, b.LocalArrangements},
		{"in force", inForce(a), inForce(b)},
		{"note", orNone(a.Note), orNone(b.Note)},
	} {
		if f.x != f.y {
			out = append(out, Change{Kind: "pack: " + f.what, Before: f.x, After: f.y})
		}
	}
	inB := map[string]*checker.Rule{}
	for _, r := range b.Rules {
		inB[r.ID] = r
	}
	inA := map[string]bool{}
	for _, ra := range a.Rules {
		inA[ra.ID] = true
		rb, ok := inB[ra.ID]
		if !ok {
			out = append(out, Change{Rule: ra.ID, Kind: "removed", Before: Timescale(ra) + ": " + ra.Title})
			continue
		}
		fa, fb := ruleFields(ra), ruleFields(rb)
		for i, f := range fa {
			if f.text != fb[i].text {
				out = append(out, Change{Rule: ra.ID, Kind: f.kind, Before: orNone(f.text), After: orNone(fb[i].text)})
			}
		}
	}
	for _, rb := range b.Rules {
		if !inA[rb.ID] {
			out = append(out, Change{Rule: rb.ID, Kind: "added", After: Timescale(rb) + ": " + rb.Title})
		}
	}
	return out
}

// field is one field of a rule as a diff shows it.
type field struct{ kind, text string }

// ruleFields are every field of a rule that a pack file sets, in a fixed order, as text: a
// field that is not here cannot change unseen between editions. The first seven are the ones
// a reader looks at first; the rest follow in the order of a rule in a pack file. A pack's
// positions and file lines are not fields of the rule.
func ruleFields(r *checker.Rule) []field {
	d := r.Deadline
	if d == nil {
		d = &checker.Deadline{}
	}
	due := oneLine(d.Due.Source)
	if d.Within != nil {
		due = "" // the timescale says it
	}
	return []field{
		{"title", r.Title},
		{"timescale", Timescale(r)},
		{"severity", string(r.Severity)},
		{"scope", Scopes(r)},
		{"condition", oneLine(r.When.Source)},
		{"assertion", oneLine(r.Assert.Source)},
		{"citation", citationText(r.Citation)},
		{"description", oneLine(r.Description)},
		{"needs", strings.Join(r.Needs, ", ")},
		{"compare as", r.CompareAs},
		{"each", oneLine(r.Each.Source)},
		{"subject", oneLine(r.Subject.Source)},
		{"item when", oneLine(r.ItemWhen.Source)},
		{"pending while", oneLine(r.PendingWhile.Source)},
		{"start", oneLine(d.Start.Source)},
		{"due", due},
		{"done", oneLine(d.Done.Source)},
		{"lapse", oneLine(d.Lapse.Source)},
		{"message", oneLine(r.Message.Source)},
	}
}

// citationText is a citation without its document, which differs between every pair of
// editions and would otherwise mark every rule as changed.
func citationText(c checker.Citation) string {
	c.Document = ""
	return strings.TrimSpace(strings.TrimPrefix(c.String(), ", "))
}

func inForce(p *checker.Pack) string {
	to := p.InForce.To.String()
	if to == "" {
		to = "now"
	}
	return p.InForce.From.String() + " to " + to
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// WriteDiffText writes the changes for a terminal.
func WriteDiffText(w io.Writer, a, b *checker.Pack, changes []Change) error {
	unit := "changes"
	if len(changes) == 1 {
		unit = "change"
	}
	fmt.Fprintf(w, "%s → %s: %d %s\n", a.ID, b.ID, len(changes), unit)
	for _, c := range changes {
		switch {
		case c.Rule == "":
			fmt.Fprintf(w, "  %s\n    - %s\n    + %s\n", c.Kind, c.Before, c.After)
		case c.Kind == "added":
			fmt.Fprintf(w, "+ %s (added): %s\n", c.Rule, c.After)
		case c.Kind == "removed":
			fmt.Fprintf(w, "- %s (removed): %s\n", c.Rule, c.Before)
		default:
			fmt.Fprintf(w, "~ %s %s\n    - %s\n    + %s\n", c.Rule, c.Kind, c.Before, c.After)
		}
	}
	return nil
}

// WriteDiffMarkdown writes the changes as a Markdown table.
func WriteDiffMarkdown(w io.Writer, a, b *checker.Pack, changes []Change) error {
	fmt.Fprintf(w, "## Changes from %s to %s\n\n", a.ID, b.ID)
	fmt.Fprintf(w, "| rule | change | %s | %s |\n|---|---|---|---|\n", a.ID, b.ID)
	for _, c := range changes {
		rule := "(pack)"
		if c.Rule != "" {
			rule = "`" + c.Rule + "`"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", rule, c.Kind, cell(c.Before), cell(c.After))
	}
	return nil
}

func cell(s string) string {
	if s == "" {
		return "–"
	}
	return strings.ReplaceAll(s, "|", "\\|")
}

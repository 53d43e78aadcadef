// Package ruledoc describes rule packs for people: the list of rules, one rule in full, a
// rule explained, the differences between two editions, and the Markdown rule reference. It
// reads packs and writes text; everything it says comes from the packs themselves, so the
// documentation cannot drift from the rules.
package ruledoc

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/wtcheck/wtcheck/checker"
)

// Timescale describes what a rule requires in a few words: "15 working days", "due: …" or
// "assertion".
func Timescale(r *checker.Rule) string {
	switch {
	case r.Deadline != nil && r.Deadline.Within != nil:
		return r.Deadline.Within.String()
	case r.Deadline != nil:
		if !r.Deadline.DueOn.IsZero() {
			return "due on " + r.Deadline.DueOn.String()
		}
		return "due: " + oneLine(r.Deadline.Due.Source)
	}
	return "assertion"
}

// Scopes joins a rule's scopes.
func Scopes(r *checker.Rule) string {
	var s []string
	for _, sc := range r.Scopes {
		s = append(s, string(sc))
	}
	return strings.Join(s, ", ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// List writes a table of each pack's rules.
func List(w io.Writer, packs []*checker.Pack) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, p := range packs {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		unit := "rules"
		if len(p.Rules) == 1 {
			unit = "rule"
		}
		fmt.Fprintf(tw, "%s: %s (%d %s)\n", p.ID, p.Title, len(p.Rules), unit)
		fmt.Fprintln(tw, "RULE\tSEVERITY\tSCOPE\tTIMESCALE\tTITLE")
		for _, r := range p.Rules {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, Scopes(r), Timescale(r), r.Title)
		}
	}
	return tw.Flush()
}

// Find returns the rule of that id in each pack that has it, in pack order.
func Find(packs []*checker.Pack, id string) ([]*checker.Pack, []*checker.Rule) {
	var ps []*checker.Pack
	var rs []*checker.Rule
	for _, p := range packs {
		for _, r := range p.Rules {
			if r.ID == id {
				ps = append(ps, p)
				rs = append(rs, r)
			}
		}
	}
	return ps, rs
}

// Show writes everything about a rule in every pack that has it: text, citation, scope,
// expressions and the parameters they read.
func Show(w io.Writer, packs []*checker.Pack, id string) error {
	ps, rs := Find(packs, id)
	if len(rs) == 0 {
		return fmt.Errorf("no rule %q in %s", id, packIDs(packs))
	}
	for i, r := range rs {
		p := ps[i]
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s (%s, %s)\n", r.ID, p.ID, r.Pos)
		fmt.Fprintf(w, "  title:     %s\n", r.Title)
		fmt.Fprintf(w, "  severity:  %s\n", r.Severity)
		fmt.Fprintf(w, "  scope:     %s\n", Scopes(r))
		fmt.Fprintf(w, "  citation:  %s\n", r.Citation)
		if len(r.Needs) > 0 {
			fmt.Fprintf(w, "  needs:     %s\n", strings.Join(r.Needs, ", "))
		}
		fmt.Fprintf(w, "  text:\n%s\n", indent(wrap(r.Description, 88), "    "))
		if d := r.Deadline; d != nil && d.Within != nil {
			fmt.Fprintf(w, "  deadline.within: %s\n", d.Within)
		}
		for _, x := range namedExprs(r) {
			if !x.expr.IsZero() {
				fmt.Fprintf(w, "  %s: %s\n", x.name, oneLine(x.expr.Source))
			}
		}
		for _, prm := range p.Params {
			if ruleReads(r, prm.Name) {
				rng := ""
				if r := prm.RangeText(); r != "" {
					rng = ", range " + r
				}
				fmt.Fprintf(w, "  param %s (%s, default %v%s): %s\n", prm.Name, prm.Type, prm.Default, rng, oneLine(prm.Doc))
			}
		}
	}
	return nil
}

type namedExpr struct {
	name string
	expr checker.Expr
}

// namedExprs lists a rule's expressions in the order a pack writes them.
func namedExprs(r *checker.Rule) []namedExpr {
	out := []namedExpr{{"when", r.When}, {"each", r.Each}, {"subject", r.Subject}, {"item_when", r.ItemWhen}, {"assert", r.Assert}, {"pending_while", r.PendingWhile}}
	if d := r.Deadline; d != nil {
		out = append(out, namedExpr{"deadline.start", d.Start}, namedExpr{"deadline.due", d.Due}, namedExpr{"deadline.done", d.Done}, namedExpr{"deadline.lapse", d.Lapse})
	}
	return append(out, namedExpr{"message", r.Message})
}

// ruleReads reports whether a rule's expressions or timescale name a parameter.
func ruleReads(r *checker.Rule, name string) bool {
	if d := r.Deadline; d != nil && d.Within != nil && d.Within.Param == name {
		return true
	}
	for _, x := range namedExprs(r) {
		if strings.Contains(x.expr.Source, "params."+name) {
			return true
		}
	}
	return false
}

// Explain writes a rule in plain words: what it requires in each edition, where the
// guidance says so, and how wtcheck decides its status.
func Explain(w io.Writer, packs []*checker.Pack, id string) error {
	ps, rs := Find(packs, id)
	if len(rs) == 0 {
		return fmt.Errorf("no rule %q in %s", id, packIDs(packs))
	}
	last := rs[len(rs)-1]
	fmt.Fprintf(w, "%s: %s\n\n%s\n\n", id, last.Title, wrap(last.Description, 92))
	for i, r := range rs {
		fmt.Fprintf(w, "%s: %s, %s, severity %s.\n  %s\n", ps[i].ID, Timescale(r), scopeWords(r), r.Severity, r.Citation)
	}
	var without []string
	for _, p := range packs {
		if !slices.Contains(ps, p) {
			without = append(without, p.ID)
		}
	}
	if len(without) > 0 {
		fmt.Fprintf(w, "Not in %s.\n", strings.Join(without, ", "))
	}
	fmt.Fprintln(w)
	if last.Deadline != nil {
		fmt.Fprintln(w, wrap("How the status is decided: the due date is counted from the start date (day zero). Done on or before the due date is met; done later is a breach, with how late in working days and days. Not done is pending until the due date and a breach after it, counted to the as-of date. No start date recorded is insufficient_data. Where what the obligation protects ends first (a referral closed, a plan ended) without the event, the finding is not_applicable if it ended on or before the due date, and a breach counted to that day if later.", 92))
	} else {
		msg := "How the status is decided: the assertion true is met, false a breach."
		if !last.PendingWhile.IsZero() {
			msg += " While the work is still open (" + oneLine(last.PendingWhile.Source) + "), false is pending: it can still come true."
		}
		fmt.Fprintln(w, wrap(msg, 92))
	}
	if !last.When.IsZero() {
		fmt.Fprintln(w, wrap("It applies where "+oneLine(last.When.Source)+"; elsewhere it is not_applicable.", 92))
	}
	if len(last.Needs) > 0 {
		fmt.Fprintln(w, wrap("It gives insufficient_data, never a breach, for records whose source cannot record "+strings.Join(last.Needs, " or ")+" (provenance.lacks).", 92))
	}
	return nil
}

func scopeWords(r *checker.Rule) string {
	if !r.Each.IsZero() {
		return "one finding per interval of each " + Scopes(r)
	}
	return "one finding per " + Scopes(r)
}

func packIDs(packs []*checker.Pack) string {
	var ids []string
	for _, p := range packs {
		ids = append(ids, p.ID)
	}
	return strings.Join(ids, ", ")
}

// wrap folds text into lines of at most width characters.
func wrap(text string, width int) string {
	var lines []string
	var line strings.Builder
	for _, word := range strings.Fields(text) {
		if line.Len() > 0 && line.Len()+1+len(word) > width {
			lines = append(lines, line.String())
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(word)
	}
	if line.Len() > 0 {
		lines = append(lines, line.String())
	}
	return strings.Join(lines, "\n")
}

func indent(text, prefix string) string {
	return prefix + strings.ReplaceAll(text, "\n", "\n"+prefix)
}

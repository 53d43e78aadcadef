package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
)

// markdownListLimit keeps a pull-request comment or job summary readable; the full list is
// in the other formats.
const markdownListLimit = 50

// Markdown writes a summary fit for a pull-request comment or a CI job summary: the counts,
// a table per rule of the findings listed, and the breaches and pending deadlines to act on.
func Markdown(w io.Writer, r *checker.Report) error {
	ew := &errWriter{w: w}
	s := r.Summary
	fmt.Fprintln(ew, "## wtcheck")
	fmt.Fprintln(ew)
	fmt.Fprintf(ew, "%s\n\n", SummaryLine(r))
	for _, p := range localPacks(r) {
		fmt.Fprintf(ew, "Local pack: %s\n\n", mdCell(p))
	}
	if r.Baseline != nil {
		fmt.Fprintf(ew, "%s.\n\n", capitalise(BaselineLine(r.Baseline)))
	}
	fmt.Fprintln(ew, "| breach | pending | met | not applicable | insufficient data | records skipped |")
	fmt.Fprintln(ew, "|---:|---:|---:|---:|---:|---:|")
	fmt.Fprintf(ew, "| %d | %d | %d | %d | %d | %d |\n\n", s.Findings[checker.StatusBreach], s.Findings[checker.StatusPending],
		s.Findings[checker.StatusMet], s.Findings[checker.StatusNotApplicable], s.Findings[checker.StatusInsufficientData], s.RecordsSkipped)

	type key struct{ edition, rule string }
	counts := map[key]map[string]int{}
	for f := range r.Listed() {
		k := key{EditionLabel(f), f.Rule}
		if counts[k] == nil {
			counts[k] = map[string]int{}
		}
		counts[k][StatusLabel(f)]++
	}
	if len(counts) > 0 {
		keys := make([]key, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].edition != keys[j].edition {
				return keys[i].edition < keys[j].edition
			}
			return keys[i].rule < keys[j].rule
		})
		fmt.Fprintln(ew, "| edition | rule | breach | warning | pending |")
		fmt.Fprintln(ew, "|---|---|---:|---:|---:|")
		for _, k := range keys {
			c := counts[k]
			if c["breach"]+c["warning"]+c["info"]+c["pending"] == 0 {
				continue // nothing to act on
			}
			fmt.Fprintf(ew, "| %s | `%s` | %d | %d | %d |\n", k.edition, k.rule, c["breach"], c["warning"]+c["info"], c["pending"])
		}
		fmt.Fprintln(ew)
	}
	// Only the first markdownListLimit are kept: the rest are counted, so that a large
	// report's list is never held whole.
	var act []*checker.Finding
	more := 0
	for f := range r.Listed() {
		if f.Status == checker.StatusBreach || f.Status == checker.StatusPending {
			if len(act) < markdownListLimit {
				act = append(act, f)
			} else {
				more++
			}
		}
	}
	if len(act) > 0 {
		fmt.Fprintln(ew, "<details><summary>Findings to act on</summary>")
		fmt.Fprintln(ew)
		fmt.Fprintln(ew, "| case | edition | rule | subject | status | due | done | late / left |")
		fmt.Fprintln(ew, "|---|---|---|---|---|---|---|---|")
		for _, f := range act {
			fmt.Fprintf(ew, "| %s | %s | `%s` | %s | %s | %s | %s | %s |\n", mdCell(f.RecordID()), EditionLabel(f), f.Rule, mdCell(f.Subject),
				StatusLabel(f), dash(f.Due.String()), dash(f.Done.String()), Lateness(f))
		}
		if more > 0 {
			fmt.Fprintf(ew, "\n…and %d more: see the JSON or CSV report.\n", more)
		}
		fmt.Fprintln(ew)
		fmt.Fprintln(ew, "</details>")
	}
	if n := len(r.NotCovered); n > 0 {
		fmt.Fprintf(ew, "\n**Not covered**: %d %s received when no loaded pack was in force, not checked:", n, plural(n, "referral", "referrals"))
		for i, nc := range r.NotCovered {
			if i == markdownListLimit {
				fmt.Fprintf(ew, " …and %d more (see the JSON report)", n-markdownListLimit)
				break
			}
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(ew, "%s %s %s (%s)", sep, mdCell(nc.CaseID), mdCell(nc.Referral), nc.Received)
		}
		fmt.Fprintln(ew, ".")
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(ew, "\n%d %s could not be checked: see the errors in the JSON report.\n", len(r.Errors), plural(len(r.Errors), "record or rule", "records or rules"))
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(ew, "\n<details><summary>Data warnings (%d): checked, but doubtful</summary>\n\n", len(r.Warnings))
		for i, w := range r.Warnings {
			if i == markdownListLimit {
				fmt.Fprintf(ew, "\n…and %d more: see the JSON report.\n", len(r.Warnings)-markdownListLimit)
				break
			}
			fmt.Fprintf(ew, "- %s\n", mdCell(WarningLine(w)))
		}
		fmt.Fprintln(ew)
		fmt.Fprintln(ew, "</details>")
	}
	return ew.err
}

// mdCell keeps a value from breaking a Markdown table: one line (see plain), no cell
// separator, no HTML.
func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "<", "&lt;").Replace(plain(s))
}

// Package packtest runs a rule pack's own examples: for each rule, small case records with
// the exact findings the rule must give on them, per edition. It is what `wtcheck test`
// runs, like `opa test` or `conftest verify`, and it also checks that every rule has
// examples that make it breach, be met, and stay pending or not apply.
package packtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// Suite is one file of examples for one rule.
type Suite struct {
	File  string
	Rule  string
	Cases []*Case
	// Base marks examples written for other packs than those under test, of which only
	// some may be loaded: the shipped packs' examples, run for one edition or for an overlay.
	// Their expectations for packs not under test, and their rules no pack under test has,
	// are passed over rather than failures. On an overlay they hold only for the rules it
	// inherits unchanged (see Inherits).
	Base bool
}

// Case is one example: a record, and the findings the rule gives on it in each edition.
type Case struct {
	Name   string
	Line   int
	AsOf   record.Date
	Record *record.Case
	// Incident or Arrangements is the example's record instead, when its format says it is
	// one (incident-format.md).
	Incident     *record.Incident
	Arrangements *record.Arrangements
	// Expect maps an edition (or pack id) to the rule's findings on the record.
	Expect map[string][]Expectation
}

// Expectation is one expected finding. Subject and Status are always compared; the other
// fields only when the example gives them.
type Expectation struct {
	Subject         string `yaml:"subject"`
	Status          string `yaml:"status"`
	Start           string `yaml:"start"`
	Due             string `yaml:"due"`
	Done            string `yaml:"done"`
	LateWorkingDays *int   `yaml:"late_working_days"`
	LateDays        *int   `yaml:"late_days"`
	WorkingDaysLeft *int   `yaml:"working_days_left"`
}

type rawSuite struct {
	Rule  string    `yaml:"rule"`
	Cases []rawCase `yaml:"cases"`
}

type rawCase struct {
	Name   string                   `yaml:"name"`
	AsOf   string                   `yaml:"as_of"`
	Record yaml.Node                `yaml:"record"`
	Expect map[string][]Expectation `yaml:"expect"`
}

// ParseSuite reads a file of examples. Records are written as YAML in the case format and
// decoded and validated exactly as the loader does, so an example cannot hold a record the
// loader would refuse.
func ParseSuite(name string, data []byte) (*Suite, error) {
	var raw rawSuite
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("read examples %s: %w", name, err)
	}
	s := &Suite{File: name, Rule: raw.Rule}
	var errs []error
	if raw.Rule == "" {
		errs = append(errs, fmt.Errorf("%s: no rule named", name))
	}
	for i, rc := range raw.Cases {
		where := fmt.Sprintf("%s:%d", name, rc.Record.Line)
		c := &Case{Name: rc.Name, Line: rc.Record.Line, Expect: rc.Expect}
		if c.Name == "" {
			c.Name = fmt.Sprintf("case %d", i+1)
		}
		if rc.AsOf != "" {
			d, err := record.ParseDate(rc.AsOf)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %s: as_of: %w", where, c.Name, err))
			}
			c.AsOf = d
		}
		if err := decodeRecord(&rc.Record, c); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: record: %w", where, c.Name, err))
		}
		if len(c.Expect) == 0 {
			errs = append(errs, fmt.Errorf("%s: %s: no expectations", where, c.Name))
		}
		s.Cases = append(s.Cases, c)
	}
	return s, errors.Join(errs...)
}

// decodeRecord turns a YAML record into JSON and decodes it like the loader, as a case or,
// when its format says so, as an incident or an area's arrangements.
func decodeRecord(n *yaml.Node, c *Case) error {
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	b, err := json.Marshal(plainDates(v))
	if err != nil {
		return err
	}
	switch record.FormatOf(b) {
	case record.IncidentFormat:
		c.Incident, err = record.DecodeIncident(b)
		return err
	case record.ArrangementsFormat:
		c.Arrangements, err = record.DecodeArrangements(b)
		return err
	}
	var rc record.Case
	if err := json.Unmarshal(b, &rc); err != nil {
		return err
	}
	if err := record.Validate(&rc); err != nil {
		return err
	}
	c.Record = &rc
	return nil
}

// plainDates turns the timestamps YAML reads from unquoted dates back into YYYY-MM-DD.
func plainDates(v any) any {
	switch v := v.(type) {
	case time.Time:
		return v.Format("2006-01-02")
	case map[string]any:
		for k, x := range v {
			v[k] = plainDates(x)
		}
	case []any:
		for i, x := range v {
			v[i] = plainDates(x)
		}
	}
	return v
}

// Failure is one thing wrong: an example whose findings differ, or a rule short of examples.
type Failure struct {
	Pack, Rule, Where, Message string
}

func (f Failure) String() string {
	var parts []string
	if f.Where != "" {
		parts = append(parts, f.Where+":")
	}
	if f.Pack != "" {
		parts = append(parts, f.Pack)
	}
	parts = append(parts, f.Rule+":", f.Message)
	return strings.Join(parts, " ")
}

// PackResult counts what was run for one pack.
type PackResult struct {
	Pack           string
	Rules          int
	Examples       int // examples checked under this pack
	FailedExamples int // of which gave other findings than expected
	RulesLacking   int // rules without examples of each kind
}

// Passed and Failed count the checks of a run: examples, and rules' example coverage.
func (r Result) Passed() int {
	n := 0
	for _, p := range r.Packs {
		n += p.Examples - p.FailedExamples + p.Rules - p.RulesLacking
	}
	return n
}

// Failed counts failing examples and rules short of examples.
func (r Result) Failed() int {
	n := 0
	for _, p := range r.Packs {
		n += p.FailedExamples + p.RulesLacking
	}
	return n + r.Orphans
}

// Result is the outcome of running suites against packs.
type Result struct {
	Packs    []PackResult
	Failures []Failure
	Orphans  int // example files or expectations that match no pack or rule under test
}

// Run checks every example against every pack whose edition (or id) it names, and every
// rule of every pack for examples that make it breach, be met, and be pending or not apply.
func Run(packs []*checker.CompiledPack, cal *checker.Calendar, suites []*Suite) Result {
	var res Result
	coverage := map[string]map[string]map[string]bool{} // pack id -> rule -> status -> seen
	for _, cp := range packs {
		coverage[cp.Pack.ID] = map[string]map[string]bool{}
		for _, r := range cp.Pack.Rules {
			coverage[cp.Pack.ID][r.ID] = map[string]bool{}
		}
		res.Packs = append(res.Packs, PackResult{Pack: cp.Pack.ID, Rules: len(cp.Pack.Rules)})
	}
	known := map[string]bool{}
	for _, cp := range packs {
		for _, r := range cp.Pack.Rules {
			known[r.ID] = true
		}
	}
	for _, s := range suites {
		if !known[s.Rule] {
			if s.Base {
				continue
			}
			res.Orphans++
			res.Failures = append(res.Failures, Failure{Rule: s.Rule, Where: s.File, Message: "the examples name a rule no pack under test has"})
			continue
		}
		for _, c := range s.Cases {
			for key := range c.Expect {
				if !s.Base && !slices.ContainsFunc(packs, func(cp *checker.CompiledPack) bool { return matches(cp, key) }) {
					res.Orphans++
					res.Failures = append(res.Failures, Failure{Rule: s.Rule, Where: fmt.Sprintf("%s:%d", s.File, c.Line),
						Message: fmt.Sprintf("%s: expectations for %q, which is no pack under test", c.Name, key)})
				}
			}
			for i, cp := range packs {
				want, ok := expectationsFor(c, cp)
				if !ok || s.Base && cp.Pack.Extends != "" && !Inherits(cp.Pack, s.Rule) {
					continue
				}
				res.Packs[i].Examples++
				where := fmt.Sprintf("%s:%d", s.File, c.Line)
				if !hasRule(cp, s.Rule) {
					res.Packs[i].FailedExamples++
					res.Failures = append(res.Failures, Failure{Pack: cp.Pack.ID, Rule: s.Rule, Where: where,
						Message: c.Name + ": expectations for a rule this pack does not have"})
					continue
				}
				got, evalErrs := runOne(cp, cal, c, s.Rule)
				var msgs []string
				for _, e := range evalErrs {
					msgs = append(msgs, e.Error())
				}
				msgs = append(msgs, compare(want, got)...)
				if len(msgs) > 0 {
					res.Packs[i].FailedExamples++
				}
				for _, msg := range msgs {
					res.Failures = append(res.Failures, Failure{Pack: cp.Pack.ID, Rule: s.Rule, Where: where, Message: c.Name + ": " + msg})
				}
				for _, w := range want {
					coverage[cp.Pack.ID][s.Rule][w.Status] = true
				}
			}
		}
	}
	for i, cp := range packs {
		for _, r := range cp.Pack.Rules {
			seen := coverage[cp.Pack.ID][r.ID]
			var lacks []string
			for _, st := range []string{"breach", "met"} {
				if st == "breach" && cannotBreach(r) {
					continue
				}
				if !seen[st] {
					lacks = append(lacks, st)
				}
			}
			switch {
			case seen["pending"] || seen["not_applicable"]:
			case cannotWait(r):
				// An assertion with no condition and no open state (a strategy discussion
				// before the enquiry) can be neither; its third example is a source that
				// cannot record what it reads.
				if !seen["insufficient_data"] {
					lacks = append(lacks, "insufficient_data (it can be neither pending nor not_applicable)")
				}
			default:
				lacks = append(lacks, "pending or not_applicable")
			}
			if len(lacks) > 0 {
				msg := "no example makes it " + strings.Join(lacks, ", ")
				if cp.Pack.Extends != "" && !Inherits(cp.Pack, r.ID) {
					msg += fmt.Sprintf(" (the overlay changes this rule, so the examples of %s do not hold for it: add its own in tests/ beside the overlay)", cp.Pack.Extends)
				}
				res.Packs[i].RulesLacking++
				res.Failures = append(res.Failures, Failure{Pack: cp.Pack.ID, Rule: r.ID, Where: r.Pos.String(), Message: msg})
			}
		}
	}
	return res
}

// cannotWait reports whether a rule can never be pending or not applicable: an assertion with
// no condition, no intervals and nothing that keeps it open.
func cannotWait(r *checker.Rule) bool {
	return r.Deadline == nil && r.When.IsZero() && r.Each.IsZero() && r.PendingWhile.IsZero()
}

// cannotBreach reports whether a rule can never be a breach: an assertion kept open for as
// long as it is false, its pending_while the negation of its assert (the child death review,
// for which the guidance sets no timescale). Its examples need it met and pending only.
func cannotBreach(r *checker.Rule) bool {
	if r.Deadline != nil || r.PendingWhile.IsZero() {
		return false
	}
	a, p := strings.Join(strings.Fields(r.Assert.Source), " "), strings.Join(strings.Fields(r.PendingWhile.Source), " ")
	return p == "!("+a+")" || (strings.Count(a, " != null") == 1 && strings.HasSuffix(a, " != null") && p == strings.TrimSuffix(a, " != null")+" == null")
}

// Inherits reports whether an overlay keeps a rule of the pack it extends unchanged: it
// neither replaced the rule nor changed the default of a parameter the rule reads, so the
// base's examples hold for it. A rule the overlay disabled is not in it at all.
func Inherits(p *checker.Pack, rule string) bool {
	i := slices.IndexFunc(p.Rules, func(r *checker.Rule) bool { return r.ID == rule })
	if i < 0 || slices.Contains(p.Changed, rule) {
		return false
	}
	for _, name := range p.Overridden {
		if p.Rules[i].ReadsParam(name) {
			return false
		}
	}
	return true
}

// matches reports whether examples keyed by key are for the pack: its id, its edition, or
// the pack an overlay extends.
func matches(cp *checker.CompiledPack, key string) bool {
	return key == cp.Pack.ID || key == cp.Pack.Edition || cp.Pack.Extends != "" && key == cp.Pack.Extends
}

func expectationsFor(c *Case, cp *checker.CompiledPack) ([]Expectation, bool) {
	for _, key := range []string{cp.Pack.ID, cp.Pack.Extends, cp.Pack.Edition} {
		if w, ok := c.Expect[key]; ok && key != "" {
			return w, true
		}
	}
	return nil, false
}

func hasRule(cp *checker.CompiledPack, id string) bool {
	return slices.ContainsFunc(cp.Pack.Rules, func(r *checker.Rule) bool { return r.ID == id })
}

// runOne checks a record with one pack and keeps the findings of one rule.
func runOne(cp *checker.CompiledPack, cal *checker.Calendar, c *Case, rule string) ([]checker.Finding, []checker.EvalError) {
	e := &checker.Engine{Packs: []*checker.CompiledPack{cp}, Calendar: cal}
	var all []checker.Finding
	var errs []checker.EvalError
	switch {
	case c.Incident != nil:
		e.Today = c.Incident.ExtractDate
		all, errs, _ = e.CheckIncident(c.Incident, c.AsOf, nil)
	case c.Arrangements != nil:
		e.Today = c.Arrangements.ExtractDate
		all, errs = e.CheckArrangements(c.Arrangements, c.AsOf)
	default:
		e.Today = c.Record.ExtractDate
		all, errs = e.Check(c.Record, c.AsOf)
	}
	var out []checker.Finding
	for _, f := range all {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	var ruleErrs []checker.EvalError
	for _, er := range errs {
		if er.Rule == rule {
			ruleErrs = append(ruleErrs, er)
		}
	}
	return out, ruleErrs
}

// compare matches expected findings to actual ones by subject: every expected finding must
// be there with the fields given, and no other finding may be.
func compare(want []Expectation, got []checker.Finding) []string {
	var msgs []string
	bySubject := map[string]checker.Finding{}
	for _, f := range got {
		bySubject[f.Subject] = f
	}
	for _, w := range want {
		f, ok := bySubject[w.Subject]
		if !ok {
			msgs = append(msgs, fmt.Sprintf("no finding for %s (want %s)", w.Subject, w.Status))
			continue
		}
		delete(bySubject, w.Subject)
		var diffs []string
		check := func(field, want, got string) {
			if want != "" && want != got {
				diffs = append(diffs, fmt.Sprintf("%s %s, want %s", field, orNone(got), want))
			}
		}
		check("status", w.Status, string(f.Status))
		check("start", w.Start, f.Start.String())
		check("due", w.Due, f.Due.String())
		check("done", w.Done, f.Done.String())
		checkInt := func(field string, want, got *int) {
			if want != nil && (got == nil || *got != *want) {
				diffs = append(diffs, fmt.Sprintf("%s %s, want %d", field, intText(got), *want))
			}
		}
		checkInt("late_working_days", w.LateWorkingDays, f.LateWorkingDays)
		checkInt("late_days", w.LateDays, f.LateDays)
		checkInt("working_days_left", w.WorkingDaysLeft, f.WorkingDaysLeft)
		if len(diffs) > 0 {
			msgs = append(msgs, fmt.Sprintf("%s: %s (%s)", w.Subject, strings.Join(diffs, "; "), f.Message))
		}
	}
	var extra []string
	for subject, f := range bySubject {
		extra = append(extra, fmt.Sprintf("unexpected finding for %s: %s (%s)", subject, f.Status, f.Message))
	}
	slices.Sort(extra)
	return append(msgs, extra...)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func intText(p *int) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprint(*p)
}

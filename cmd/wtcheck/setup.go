package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// packFlags are the flags that choose and configure rule packs, shared by every command that
// loads packs.
type packFlags struct {
	editions []string
	packs    []string
	holidays []string
	sets     []string
}

func (pf *packFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringSliceVar(&pf.editions, "edition", nil,
		fmt.Sprintf("editions to check against, comma-separated or repeated (shipped: %s; default: all, or none when --pack is given); in-force checks each referral under the edition in force on the day it was received", strings.Join(rules.Editions(), ", ")))
	cmd.Flags().StringArrayVar(&pf.packs, "pack", nil, "a rule pack file to load, named in every finding and report; an overlay (extends: wt2023) replaces the shipped pack it extends (repeatable)")
	cmd.Flags().StringArrayVar(&pf.holidays, "holidays", nil, "a file of extra bank holidays to add to the shipped calendar (repeatable)")
	cmd.Flags().StringArrayVar(&pf.sets, "set", nil, "set a pack parameter: NAME=VALUE, or PREFIX.NAME=VALUE where PREFIX is a pack id, an edition or a rule id (repeatable)")
}

// inForce reports whether --edition in-force was asked for: each referral checked under the
// edition in force when it was received.
func (pf *packFlags) inForce() bool { return slices.Contains(pf.editions, "in-force") }

// calendar builds the working-day calendar: the shipped bank holidays plus any --holidays.
func (pf *packFlags) calendar() (*checker.Calendar, error) {
	cal, err := rules.Calendar()
	if err != nil {
		return nil, err
	}
	for _, f := range pf.holidays {
		data, err := readBounded("holidays", f, maxHolidayBytes)
		if err != nil {
			return nil, err
		}
		extra, _, through, err := checker.ParseHolidays(f, data)
		if err != nil {
			return nil, err
		}
		cal = cal.WithHolidays(extra, through)
	}
	return cal, nil
}

// load parses the chosen packs. Every problem in every pack is reported at once.
func (pf *packFlags) load() ([]*checker.Pack, error) {
	editions := pf.editions
	if len(editions) == 0 && len(pf.packs) == 0 || pf.inForce() {
		editions = rules.Editions()
	}
	var packs []*checker.Pack
	var errs []error
	seen := map[string]bool{}
	shipped := strings.Split(shippedIDs(), ", ")
	for _, e := range editions {
		name, data, err := rules.Pack(strings.TrimSpace(e))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := checker.ParsePack(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		seen[p.ID] = true
		packs = append(packs, p)
	}
	for _, f := range pf.packs {
		data, err := readBounded("pack", f, maxPackBytes)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := checker.ParsePack(f, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.Local = true
		if slices.Contains(shipped, p.ID) {
			// A local pack under a shipped id would be reported as the shipped pack, version
			// and all, whatever it changed.
			errs = append(errs, fmt.Errorf("%s: id %s is a shipped pack's: give the pack an id of its own (an overlay names the pack it builds on with extends)", f, p.ID))
			continue
		}
		if p.Extends != "" {
			if p, err = extend(p); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if seen[p.ID] {
			errs = append(errs, fmt.Errorf("%s: pack %s is loaded twice", f, p.ID))
			continue
		}
		seen[p.ID] = true
		packs = append(packs, p)
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	// An overlay replaces the shipped pack it extends: running both would report every
	// finding the overlay keeps twice, under one edition.
	packs = slices.DeleteFunc(packs, func(p *checker.Pack) bool {
		return !p.Local && slices.ContainsFunc(packs, func(o *checker.Pack) bool { return o.Local && o.Extends == p.ID })
	})
	slices.SortStableFunc(packs, func(a, b *checker.Pack) int { return strings.Compare(a.Edition, b.Edition) })
	return packs, nil
}

// engine loads, compiles and assembles the packs into an engine.
func (pf *packFlags) engine() (*checker.Engine, error) {
	cal, err := pf.calendar()
	if err != nil {
		return nil, err
	}
	packs, err := pf.load()
	if err != nil {
		return nil, err
	}
	e := &checker.Engine{Calendar: cal, Today: record.DateOf(time.Now()), InForce: pf.inForce()}
	if e.InForce && len(pf.editions) > 1 {
		return nil, fmt.Errorf("--edition in-force checks each referral under one edition: give it alone (compare takes it beside others)")
	}
	overrides, err := pf.overrides(packs)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, p := range packs {
		cp, err := checker.Compile(p, cal, overrides[p.ID])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		e.Packs = append(e.Packs, cp)
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	return e, nil
}

// extend resolves an overlay pack against the shipped pack it names (wt2023, say).
func extend(overlay *checker.Pack) (*checker.Pack, error) {
	edition, ok := strings.CutPrefix(overlay.Extends, "wt")
	if !ok {
		return nil, fmt.Errorf("%s: extends %q: only the shipped packs (%s) can be extended", overlay.File, overlay.Extends, shippedIDs())
	}
	name, data, err := rules.Pack(edition)
	if err != nil {
		return nil, fmt.Errorf("%s: extends %q: %w", overlay.File, overlay.Extends, err)
	}
	base, err := checker.ParsePack(name, data)
	if err != nil {
		return nil, err
	}
	return checker.Extend(base, overlay)
}

func shippedIDs() string {
	var ids []string
	for _, e := range rules.Editions() {
		ids = append(ids, "wt"+e)
	}
	return strings.Join(ids, ", ")
}

// overrides turns --set flags into parameter values per pack id. A bare NAME sets the
// parameter in every pack that has it; PREFIX.NAME only in the packs whose id or edition is
// PREFIX, or that have a rule of that id. A --set that reaches no pack is an error, so a
// typo is never silently ignored.
func (pf *packFlags) overrides(packs []*checker.Pack) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, set := range pf.sets {
		key, value, ok := strings.Cut(set, "=")
		if !ok {
			return nil, fmt.Errorf("--set %q: want NAME=VALUE", set)
		}
		prefix, name := "", key
		if i := strings.LastIndex(key, "."); i >= 0 {
			prefix, name = key[:i], key[i+1:]
		}
		reached := false
		for _, p := range packs {
			if prefix != "" && prefix != p.ID && prefix != p.Edition && !slices.ContainsFunc(p.Rules, func(r *checker.Rule) bool { return r.ID == prefix }) {
				continue
			}
			if !slices.ContainsFunc(p.Params, func(q *checker.Param) bool { return q.Name == name }) {
				continue
			}
			if out[p.ID] == nil {
				out[p.ID] = map[string]string{}
			}
			out[p.ID][name] = value
			reached = true
		}
		if !reached {
			return nil, fmt.Errorf("--set %q: no pack loaded has a parameter %q there", set, name)
		}
	}
	return out, nil
}

// joinErrors puts each error on its own lines, for a person reading a terminal.
func joinErrors(errs []error) error {
	var parts []string
	for _, e := range errs {
		parts = append(parts, e.Error())
	}
	return fmt.Errorf("%s", strings.Join(parts, "\n"))
}

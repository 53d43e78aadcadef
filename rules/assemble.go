package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// File is a file given to a run by name (a --pack, a --holidays), already read: the caller
// reads it (with its own size limit, from disk or from what a browser was handed), so that
// assembling a run needs no file system.
type File struct {
	Name string
	Data []byte
}

// Options are what a run is assembled from: the command line's --edition, --pack,
// --holidays and --set, and the day it runs.
type Options struct {
	// Editions are shipped editions ("2018"), or "in-force" alone: each referral checked
	// under the edition in force on the day it was received. None means every shipped
	// edition, or none when Packs are given.
	Editions []string
	// Packs are local rule packs; an overlay (extends: wt2023) replaces the shipped pack it
	// extends.
	Packs []File
	// Holidays are extra bank holidays added to the shipped calendar.
	Holidays []File
	// Sets are parameter values: NAME=VALUE, or PREFIX.NAME=VALUE where PREFIX is a pack id,
	// an edition or a rule id. A set that reaches no pack is an error.
	Sets []string
	// Today is the engine's today (Engine.Today); zero leaves it unset.
	Today record.Date
}

// InForce reports whether the options ask for --edition in-force.
func (o Options) InForce() bool { return slices.Contains(o.Editions, "in-force") }

// Assemble builds the engine of a run: the shipped calendar with the extra holidays, the
// shipped packs of the editions and the local packs (overlays resolved), the --set values
// parsed to their parameters' types, then every pack compiled. It is the one way an engine is
// built, for the command line, the tests and a browser build alike, and it reports every
// problem it finds, joined, one per line.
func Assemble(o Options) (*checker.Engine, error) {
	var errs []error
	cal, err := AssembleCalendar(o.Holidays)
	if err != nil {
		errs = append(errs, err)
	}
	packs, err := AssemblePacks(o)
	if err != nil {
		errs = append(errs, err)
	}
	if o.InForce() && len(o.Editions) > 1 {
		errs = append(errs, errors.New("--edition in-force checks each referral under one edition: give it alone (compare takes it beside others)"))
	}
	if len(errs) > 0 {
		return nil, joinLines(errs)
	}
	// A value that does not parse is reported with the packs' compile errors, not instead of
	// them; its pack is compiled with the values that did.
	values, err := parseSets(o.Sets, packs)
	if err != nil {
		errs = append(errs, err)
	}
	e := &checker.Engine{Calendar: cal, Today: o.Today, InForce: o.InForce()}
	// Each pack compiles on its own (a CEL environment of its own; the calendar, the packs
	// and the values are only read), and compiling is most of a run's start-up: the packs
	// compile at once, on every core, and are gathered in their order, errors included, so
	// the engine and the message are what compiling them one by one gives.
	compiled := make([]*checker.CompiledPack, len(packs))
	compileErrs := make([]error, len(packs))
	var wg sync.WaitGroup
	parses := new(checker.Parses)
	for i, p := range packs {
		wg.Go(func() { compiled[i], compileErrs[i] = checker.CompileValues(p, cal, values[p.ID], parses) })
	}
	wg.Wait()
	for i, cp := range compiled {
		if compileErrs[i] != nil {
			errs = append(errs, compileErrs[i])
			continue
		}
		e.Packs = append(e.Packs, cp)
	}
	if len(errs) > 0 {
		return nil, joinLines(errs)
	}
	return e, nil
}

// AssembleCalendar is the shipped working-day calendar with extra bank holidays added.
func AssembleCalendar(holidays []File) (*checker.Calendar, error) {
	cal, err := Calendar()
	if err != nil {
		return nil, err
	}
	for _, f := range holidays {
		extra, _, through, err := checker.ParseHolidays(f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		cal = cal.WithHolidays(extra, through)
	}
	return cal, nil
}

// AssemblePacks parses the packs of a run, sorted by edition: the shipped packs of the
// editions, then the local packs, an overlay replacing the shipped pack it extends. Every
// problem in every pack is reported at once.
func AssemblePacks(o Options) ([]*checker.Pack, error) {
	editions := o.Editions
	if len(editions) == 0 && len(o.Packs) == 0 || o.InForce() {
		editions = Editions()
	}
	var packs []*checker.Pack
	var errs []error
	seen := map[string]bool{}
	shipped := shippedIDs()
	for _, e := range editions {
		name, data, err := Pack(strings.TrimSpace(e))
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
	for _, f := range o.Packs {
		p, err := checker.ParsePack(f.Name, f.Data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.Local = true
		if slices.Contains(shipped, p.ID) {
			// A local pack under a shipped id would be reported as the shipped pack, version
			// and all, whatever it changed.
			errs = append(errs, fmt.Errorf("%s: id %s is a shipped pack's: give the pack an id of its own (an overlay names the pack it builds on with extends)", f.Name, p.ID))
			continue
		}
		if p.Extends != "" {
			if p, err = extend(p); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if seen[p.ID] {
			errs = append(errs, fmt.Errorf("%s: pack %s is loaded twice", f.Name, p.ID))
			continue
		}
		seen[p.ID] = true
		packs = append(packs, p)
	}
	if len(errs) > 0 {
		return nil, joinLines(errs)
	}
	// An overlay replaces the shipped pack it extends: running both would report every
	// finding the overlay keeps twice, under one edition.
	packs = slices.DeleteFunc(packs, func(p *checker.Pack) bool {
		return !p.Local && slices.ContainsFunc(packs, func(o *checker.Pack) bool { return o.Local && o.Extends == p.ID })
	})
	slices.SortStableFunc(packs, func(a, b *checker.Pack) int { return strings.Compare(a.Edition, b.Edition) })
	return packs, nil
}

// extend resolves an overlay pack against the shipped pack it names (wt2023, say).
func extend(overlay *checker.Pack) (*checker.Pack, error) {
	edition, ok := strings.CutPrefix(overlay.Extends, "wt")
	if !ok {
		return nil, fmt.Errorf("%s: extends %q: only the shipped packs (%s) can be extended", overlay.File, overlay.Extends, strings.Join(shippedIDs(), ", "))
	}
	name, data, err := Pack(edition)
	if err != nil {
		return nil, fmt.Errorf("%s: extends %q: %w", overlay.File, overlay.Extends, err)
	}
	base, err := checker.ParsePack(name, data)
	if err != nil {
		return nil, err
	}
	return checker.Extend(base, overlay)
}

// shippedIDs are the shipped packs' ids, wt2010 to the latest.
func shippedIDs() []string {
	var ids []string
	for _, e := range Editions() {
		ids = append(ids, "wt"+e)
	}
	return ids
}

// parseSets turns --set values into typed parameter values per pack id, before anything is
// compiled; with an error, the values that parsed. A bare NAME sets the parameter in every pack that has it; PREFIX.NAME only in the
// packs whose id or edition is PREFIX, or that have a rule of that id. A --set that reaches no
// pack, or whose value is not of its parameter's type, is an error, so a typo is never
// silently ignored.
func parseSets(sets []string, packs []*checker.Pack) (map[string]map[string]any, error) {
	text := map[string]map[string]string{}
	var errs []error
	for _, set := range sets {
		key, value, ok := strings.Cut(set, "=")
		if !ok {
			errs = append(errs, fmt.Errorf("--set %q: want NAME=VALUE", set))
			continue
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
			if text[p.ID] == nil {
				text[p.ID] = map[string]string{}
			}
			text[p.ID][name] = value
			reached = true
		}
		if !reached {
			errs = append(errs, fmt.Errorf("--set %q: no pack loaded has a parameter %q there", set, name))
		}
	}
	out := map[string]map[string]any{}
	for _, p := range packs {
		if text[p.ID] == nil {
			continue
		}
		values, err := checker.ParseOverrides(p, text[p.ID])
		if err != nil {
			errs = append(errs, err)
		}
		out[p.ID] = values
	}
	if len(errs) > 0 {
		return out, joinLines(errs)
	}
	return out, nil
}

// joinLines puts each error on its own lines, for a person reading a terminal.
func joinLines(errs []error) error {
	var parts []string
	for _, e := range errs {
		parts = append(parts, e.Error())
	}
	return errors.New(strings.Join(parts, "\n"))
}

package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/rules"
)

// packFlags are the flags that choose and configure rule packs, shared by every command that
// loads packs.
type packFlags struct {
	editions []string
	packs    []string
	holidays []string
}

func (pf *packFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringSliceVar(&pf.editions, "edition", nil,
		fmt.Sprintf("editions to check against, comma-separated or repeated (shipped: %s; default: all, or none when --pack is given)", strings.Join(rules.Editions(), ", ")))
	cmd.Flags().StringArrayVar(&pf.packs, "pack", nil, "a rule pack file to load as well (repeatable)")
	cmd.Flags().StringArrayVar(&pf.holidays, "holidays", nil, "a file of extra bank holidays to add to the shipped calendar (repeatable)")
}

// calendar builds the working-day calendar: the shipped bank holidays plus any --holidays.
func (pf *packFlags) calendar() (*checker.Calendar, error) {
	hols, first, last, err := checker.ParseHolidays("rules/"+rules.HolidaysFile, rules.Holidays())
	if err != nil {
		return nil, err
	}
	cal := checker.NewCalendar(hols, first, last)
	for _, f := range pf.holidays {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read holidays: %w", err)
		}
		extra, _, _, err := checker.ParseHolidays(f, data)
		if err != nil {
			return nil, err
		}
		cal = cal.WithHolidays(extra)
	}
	return cal, nil
}

// load parses the chosen packs. Every problem in every pack is reported at once.
func (pf *packFlags) load() ([]*checker.Pack, error) {
	editions := pf.editions
	if len(editions) == 0 && len(pf.packs) == 0 {
		editions = rules.Editions()
	}
	var packs []*checker.Pack
	var errs []error
	seen := map[string]bool{}
	add := func(name string, data []byte) {
		p, err := checker.ParsePack(name, data)
		if err != nil {
			errs = append(errs, err)
			return
		}
		if seen[p.ID] {
			errs = append(errs, fmt.Errorf("%s: pack %s is loaded twice", name, p.ID))
			return
		}
		seen[p.ID] = true
		packs = append(packs, p)
	}
	for _, e := range editions {
		name, data, err := rules.Pack(strings.TrimSpace(e))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		add(name, data)
	}
	for _, f := range pf.packs {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("read pack: %w", err))
			continue
		}
		add(f, data)
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
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
	e := &checker.Engine{Calendar: cal, Today: checker.DateOf(time.Now())}
	var errs []error
	for _, p := range packs {
		cp, err := checker.Compile(p, cal, nil)
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

// joinErrors puts each error on its own lines, for a person reading a terminal.
func joinErrors(errs []error) error {
	var parts []string
	for _, e := range errs {
		parts = append(parts, e.Error())
	}
	return fmt.Errorf("%s", strings.Join(parts, "\n"))
}

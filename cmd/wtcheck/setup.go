package main

import (
	"fmt"
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

// options turns the flags into the options a run is assembled from (rules.Assemble),
// reading the --pack and --holidays files with their size limits. A file that cannot be read
// is a problem reported with the others, not instead of them.
func (pf *packFlags) options() (rules.Options, []error) {
	o := rules.Options{Editions: pf.editions, Sets: pf.sets, Today: record.DateOf(time.Now())}
	var errs []error
	for _, f := range pf.holidays {
		data, err := readBounded("holidays", f, maxHolidayBytes)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		o.Holidays = append(o.Holidays, rules.File{Name: f, Data: data})
	}
	for _, f := range pf.packs {
		data, err := readBounded("pack", f, maxPackBytes)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		o.Packs = append(o.Packs, rules.File{Name: f, Data: data})
	}
	return o, errs
}

// load parses the chosen packs. Every problem in every pack is reported at once.
func (pf *packFlags) load() ([]*checker.Pack, error) {
	o, errs := pf.options()
	packs, err := rules.AssemblePacks(o)
	if err := withProblems(err, errs); err != nil {
		return nil, err
	}
	return packs, nil
}

// engine assembles the run's engine: calendar, packs, parameters, compiled.
func (pf *packFlags) engine() (*checker.Engine, error) {
	o, errs := pf.options()
	e, err := rules.Assemble(o)
	if err := withProblems(err, errs); err != nil {
		return nil, err
	}
	return e, nil
}

// withProblems joins the problems of reading the files before err's.
func withProblems(err error, problems []error) error {
	if len(problems) == 0 {
		return err
	}
	if err != nil {
		problems = append(problems, err)
	}
	return joinErrors(problems)
}

// joinErrors puts each error on its own lines, for a person reading a terminal.
func joinErrors(errs []error) error {
	var parts []string
	for _, e := range errs {
		parts = append(parts, e.Error())
	}
	return fmt.Errorf("%s", strings.Join(parts, "\n"))
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/packtest"
	"github.com/wtcheck/wtcheck/rules"
)

func newTestCommand() *cobra.Command {
	var exampleDirs []string
	cmd := &cobra.Command{
		Use:   "test [PACK...]",
		Short: "Run rule packs' own examples, and check every rule has them",
		Long: `Test runs each pack's examples: small case records with the exact findings each rule must
give on them, edition by edition. It fails when a finding differs, when a finding appears that
no example expects, when examples name a rule no pack has, and when a rule lacks examples that
make it breach, be met, and be pending or not apply.

PACK is a shipped edition (2010, 2018, 2023) or a pack file; with none, every shipped pack is
tested with the shipped examples. A pack file's examples are read from the folder tests/
beside it, or from --examples. An overlay (a pack that extends a shipped one) is tested with
the shipped pack's examples for the rules it inherits unchanged, and with its own examples
(tests/ beside it) for the rules it replaces, adds or changes a parameter of.`,
		Example: `  wtcheck test
  wtcheck test 2018
  wtcheck test --examples local/tests local/pack.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			pf := &packFlags{}
			for _, a := range args {
				if slices.Contains(rules.Editions(), a) {
					pf.editions = append(pf.editions, a)
					continue
				}
				pf.packs = append(pf.packs, a)
				if len(exampleDirs) == 0 {
					if dir := filepath.Join(filepath.Dir(a), "tests"); isDir(dir) {
						exampleDirs = append(exampleDirs, dir)
					}
				}
			}
			engine, err := pf.engine()
			if err != nil {
				return err
			}
			overlay := slices.ContainsFunc(engine.Packs, func(cp *checker.CompiledPack) bool { return cp.Pack.Extends != "" })
			var suites []*packtest.Suite
			if len(exampleDirs) > 0 {
				if suites, err = loadExamples(exampleDirs); err != nil {
					return err
				}
			}
			if len(exampleDirs) == 0 || overlay {
				shipped, err := loadExamples(nil)
				if err != nil {
					return err
				}
				// The shipped examples name every shipped edition: when only some are under
				// test (or an overlay of one), the others' expectations are not failures.
				all := len(pf.packs) == 0 && (len(pf.editions) == 0 || len(pf.editions) == len(rules.Editions()))
				for _, s := range shipped {
					s.Base = !all
				}
				suites = append(suites, shipped...)
			}
			res := packtest.Run(engine.Packs, engine.Calendar, suites)
			out := cmd.OutOrStdout()
			failed := map[string]int{}
			for _, f := range res.Failures {
				failed[f.Pack]++
				fmt.Fprintln(out, f)
			}
			for _, p := range res.Packs {
				status := "ok  "
				if failed[p.Pack] > 0 {
					status = "FAIL"
				}
				fmt.Fprintf(out, "%s  %-8s %d %s, %d %s checked\n", status, p.Pack, p.Rules, plural(p.Rules, "rule", "rules"), p.Examples, plural(p.Examples, "example", "examples"))
			}
			// The closing line counts examples and rules' coverage checks, in the form CI
			// runners read.
			fmt.Fprintf(out, "%d passed, %d failed\n", res.Passed(), res.Failed())
			if len(res.Failures) > 0 {
				return exitCode(checker.ExitFailed)
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&exampleDirs, "examples", nil, "a folder of example files (*.yaml) to run instead of the shipped ones (repeatable)")
	return cmd
}

// loadExamples reads example files from folders, or the shipped examples when none is given.
func loadExamples(dirs []string) ([]*packtest.Suite, error) {
	var files []rules.Example
	if len(dirs) == 0 {
		files = rules.Examples()
	}
	for _, d := range dirs {
		names, err := filepath.Glob(filepath.Join(d, "*.yaml"))
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("no example files (*.yaml) in %s", d)
		}
		for _, n := range names {
			data, err := readBounded("examples", n, maxExampleBytes)
			if err != nil {
				return nil, err
			}
			files = append(files, rules.Example{Name: n, Data: data})
		}
	}
	var suites []*packtest.Suite
	var errs []error
	for _, f := range files {
		s, err := packtest.ParseSuite(f.Name, f.Data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		suites = append(suites, s)
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	return suites, nil
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

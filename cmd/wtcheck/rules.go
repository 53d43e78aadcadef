package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/ruledoc"
	"github.com/wtcheck/wtcheck/rules"
)

func newRulesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List, show, explain and compare the rules of the packs",
	}
	pf := &packFlags{}
	pf.register(cmd)
	// The pack flags are read by every rules subcommand.
	cmd.PersistentFlags().AddFlagSet(cmd.Flags())

	var format string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the rules of each pack (--format markdown writes the rule reference)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			packs, err := pf.load()
			if err != nil {
				return err
			}
			switch format {
			case "text":
				return ruledoc.List(cmd.OutOrStdout(), packs)
			case "markdown":
				return ruledoc.Reference(cmd.OutOrStdout(), packs)
			}
			return fmt.Errorf("--format %q: want text or markdown", format)
		},
	}
	list.Flags().StringVar(&format, "format", "text", "text or markdown")

	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show a rule in full in every pack that has it: text, citation, expressions, parameters",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			packs, err := pf.load()
			if err != nil {
				return err
			}
			return ruledoc.Show(cmd.OutOrStdout(), packs, args[0])
		},
	}
	explain := &cobra.Command{
		Use:   "explain ID",
		Short: "Explain a rule in plain words: what each edition requires and how the status is decided",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			packs, err := pf.load()
			if err != nil {
				return err
			}
			return ruledoc.Explain(cmd.OutOrStdout(), packs, args[0])
		},
	}
	var diffFormat string
	diff := &cobra.Command{
		Use:     "diff EDITION EDITION",
		Short:   "What changed between two editions, rule by rule",
		Example: "  wtcheck rules diff 2010 2018\n  wtcheck rules diff --format markdown 2018 2023",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var two []*checker.Pack
			for _, ed := range args {
				name, data, err := rules.Pack(ed)
				if err != nil {
					return err
				}
				p, err := checker.ParsePack(name, data)
				if err != nil {
					return err
				}
				two = append(two, p)
			}
			changes := ruledoc.Diff(two[0], two[1])
			switch diffFormat {
			case "text":
				return ruledoc.WriteDiffText(cmd.OutOrStdout(), two[0], two[1], changes)
			case "markdown":
				return ruledoc.WriteDiffMarkdown(cmd.OutOrStdout(), two[0], two[1], changes)
			}
			return fmt.Errorf("--format %q: want text or markdown", diffFormat)
		},
	}
	diff.Flags().StringVar(&diffFormat, "format", "text", "text or markdown")
	cmd.AddCommand(list, show, explain, diff)
	return cmd
}

func newLintCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "lint [PACK...]",
		Short: "Load and type-check packs, reporting every problem with file:line:col",
		Long: `Lint parses and compiles rule packs against the case model and reports every problem at
once, each with its file:line:col and a caret: unknown keys, misspelt fields, expressions of
the wrong type, missing citations, duplicate rule ids, and due dates that do not depend on
their start. PACK is a shipped edition or a pack file; with none, every shipped pack.
Exit status 2 when any pack has a problem.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			pf := &packFlags{}
			for _, a := range args {
				if _, _, err := rules.Pack(a); err == nil {
					pf.editions = append(pf.editions, a)
				} else {
					pf.packs = append(pf.packs, a)
				}
			}
			engine, err := pf.engine()
			if err != nil {
				return err
			}
			for _, cp := range engine.Packs {
				fmt.Fprintf(cmd.OutOrStdout(), "ok  %s  %s: %d %s\n", cp.Pack.File, cp.Pack.ID, len(cp.Pack.Rules), plural(len(cp.Pack.Rules), "rule", "rules"))
			}
			return nil
		},
	}
}

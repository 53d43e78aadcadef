package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/rules"
)

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of wtcheck, its packs and its bank-holiday calendar",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "wtcheck %s (%s, %s/%s)\n", toolVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			for _, ed := range rules.Editions() {
				name, data, err := rules.Pack(ed)
				if err != nil {
					return err
				}
				p, err := checker.ParsePack(name, data)
				if err != nil {
					return err
				}
				to := p.InForce.To.String()
				if to == "" {
					to = "now"
				}
				fmt.Fprintf(out, "pack %s %s: %s, in force %s to %s, %d %s\n", p.ID, p.Version, p.Title, p.InForce.From, to, len(p.Rules), plural(len(p.Rules), "rule", "rules"))
			}
			_, first, last, err := checker.ParseHolidays(rules.HolidaysFile, rules.Holidays())
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "bank holidays: England and Wales, published %d to %d (the last published year); from %d projected by rule\n", first, last, last+1)
			return nil
		},
	}
}

package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/rules"
)

// commit and date are stamped by `make release` with -ldflags "-X main.commit=… -X
// main.date=…" (version, beside toolVersion, is stamped the same way). date is the commit's
// own date, never the time of the build, so that the same commit always gives the same bytes.
var (
	commit = ""
	date   = ""
)

// buildStamp says which commit a binary was built from and when that commit was made: the
// stamped values of a release build, else what the Go toolchain recorded (a `go build` with
// VCS stamping on). Either is empty when unknown.
func buildStamp() (rev, when string) {
	rev, when = commit, date
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && rev == "":
				rev = s.Value
			case s.Key == "vcs.time" && when == "":
				when = s.Value
			}
		}
	}
	return rev, when
}

// stampLine is version's second line: the commit and its date, or why they are missing.
func stampLine() string {
	rev, when := buildStamp()
	switch {
	case rev == "":
		return "commit unknown: a development build (make release stamps the commit and its date)"
	case when == "":
		return "commit " + rev
	}
	return "commit " + rev + " of " + when
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of wtcheck, its packs and its bank-holiday calendar",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "wtcheck %s (%s, %s/%s)\n", toolVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			fmt.Fprintln(out, stampLine())
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

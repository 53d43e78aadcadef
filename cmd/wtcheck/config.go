package main

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/internal/config"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// configCommands are the commands that read wtcheck.yaml: those a pipeline runs over its cases.
// Each takes from the file the settings it has a flag for (compare, whose editions flag is
// --editions, takes the packs, holidays, as-of and redaction but not the editions).
var configCommands = []string{"check", "report", "compare", "explain"}

// configState is the wtcheck.yaml a command read, and where each of its settings came from.
type configState struct {
	name    string            // --config
	file    *config.File      // nil when there is none
	origins map[string]string // flag name → "wtcheck.yaml:3", for the flags the file set
	unused  map[string]string // flag name → where the file set it, and why it was not used
}

// addConfig gives the commands that read wtcheck.yaml their --config flag, and root the hook
// that applies the file before any of them runs.
func addConfig(root *cobra.Command, state *configState) {
	for _, c := range root.Commands() {
		if slices.Contains(configCommands, c.Name()) {
			registerConfigFlag(c, state)
		}
	}
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return state.apply(cmd) }
}

func registerConfigFlag(cmd *cobra.Command, state *configState) {
	cmd.Flags().StringVar(&state.name, "config", "", "read settings from this file instead of "+config.FileName+" in the working directory (flags override it)")
}

// apply reads the config file and gives each of the command's flags not given on the command
// line the file's value for it. A value the command would refuse is refused here, naming the
// file's line rather than a flag the user never typed.
func (s *configState) apply(cmd *cobra.Command) error {
	if cmd.Flags().Lookup("config") == nil {
		return nil
	}
	file, err := config.Find(s.name)
	if err != nil {
		return err
	}
	s.file, s.origins, s.unused = file, map[string]string{}, map[string]string{}
	if file == nil {
		return nil
	}
	var errs []error
	// In the order of Keys, not of the file: redact is known before redact-key-file.
	for _, k := range config.Keys {
		st, ok := file.Lookup(k.Name)
		if !ok {
			continue
		}
		fl := cmd.Flags().Lookup(st.Key.Flag)
		if fl == nil || fl.Changed {
			continue
		}
		where := file.Where(st)
		if st.Key.Flag == "output" && fl.Value.Type() != "stringArray" {
			continue // a command that writes one report takes its file from -o alone
		}
		if st.Key.Flag == "redact-key-file" && cmd.Flags().Lookup("redact").Value.String() != "true" {
			// The file may name the key for the runs that redact; a run that does not is not
			// refused for it, as it would be for --redact-key-file without --redact.
			s.unused[fl.Name] = where + " (used with --redact)"
			continue
		}
		if err := checkSetting(st); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", where, st.Key.Name, err))
			continue
		}
		for _, v := range st.Values {
			// The value's own Set, not the flag set's: the flag stays unchanged, so that
			// Changed still means "given on the command line".
			if err := fl.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %s: %w", where, st.Key.Name, err))
				break
			}
		}
		s.origins[fl.Name] = where
	}
	if len(errs) > 0 {
		return joinErrors(errs)
	}
	return refuseConfigOutput(cmd, file.Path)
}

// refuseConfigOutput refuses an output flag that names the config file, as every input is
// refused as an output: the report would replace the settings it was made with.
func refuseConfigOutput(cmd *cobra.Command, path string) error {
	in, err := os.Stat(path)
	if err != nil {
		return nil
	}
	for _, name := range []string{"output", "write-baseline"} {
		fl := cmd.Flags().Lookup(name)
		if fl == nil {
			continue
		}
		for _, out := range outputPaths(fl) {
			label := "--" + name
			if name == "output" {
				label = "-o"
			}
			if st, err := os.Stat(out); err == nil && os.SameFile(in, st) && st.Mode().IsRegular() {
				return fmt.Errorf("%s %s: is the config file %s: writing there would overwrite it; nothing was checked", label, out, path)
			}
		}
	}
	return nil
}

// outputPaths are the files an output flag names (PATH, or FORMAT=PATH).
func outputPaths(fl *pflag.Flag) []string {
	if sv, ok := fl.Value.(pflag.SliceValue); ok {
		var out []string
		for _, v := range sv.GetSlice() {
			if name, path, ok := strings.Cut(v, "="); ok && isWord(name) {
				v = path
			}
			out = append(out, v)
		}
		return out
	}
	if v := fl.Value.String(); v != "" && v != "-" {
		return []string{v}
	}
	return nil
}

// checkSetting refuses the values whose flags would be refused later with an error naming the
// flag, not the file.
func checkSetting(st config.Setting) error {
	switch st.Key.Flag {
	case "as-of":
		_, err := record.ParseDate(st.Values[0])
		return err
	case "fail-on":
		if _, err := checker.ParseFailOn(st.Values[0]); err != nil {
			return fmt.Errorf("%q: want none, info, warning or breach", st.Values[0]) // the flag's error names the flag
		}
	case "edition":
		known := append(rules.Editions(), "in-force")
		for _, e := range st.Values {
			if !slices.Contains(known, e) {
				return fmt.Errorf("no shipped edition %q (want %s)", e, strings.Join(known, ", "))
			}
		}
	}
	return nil
}

// newConfigCommand is `wtcheck config show`: the settings a check would run with, and where
// each came from, so that a pipeline's behaviour can be read without running it.
func newConfigCommand(state *configState) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the settings wtcheck.yaml gives",
		Long: `wtcheck check, report, compare and explain read wtcheck.yaml from the working directory (or
the file --config names) and take from it each setting not given as a flag. Paths in the file
are relative to the file's directory. Unknown keys are errors naming their line.

    editions: [2023]          # --edition
    as-of: 2024-03-31         # --as-of
    set:                      # --set NAME=VALUE, one a line
      visit_interval_working_days: 10
    packs: [la-overlay.yaml]  # --pack
    holidays: [extra.yaml]    # --holidays
    baseline: baseline.json   # --baseline
    fail-on: warning          # --fail-on
    redact: false             # --redact
    redact-key-file: key.txt  # --redact-key-file (used with --redact)
    outputs:                  # --output FORMAT=PATH, one a line
      sarif: wtcheck.sarif`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	show := &cobra.Command{
		Use:   "show [check flags]",
		Short: "Print the effective settings of a check, and where each came from",
		Long: `Show prints the settings wtcheck.yaml can hold as wtcheck check would use them with the
same flags: each one's value, and where it came from: the default, the line of the file, or
a flag.`,
		Example: "  wtcheck config show\n  wtcheck config show --config ci/wtcheck.yaml --fail-on none",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return state.show(cmd)
		},
	}
	registerConfigFlag(show, state)
	// check's own flags, hidden: show takes whatever check takes, and shows what check would
	// make of it, without repeating check's page in its own.
	check := newCheckCommand(nil)
	check.Flags().VisitAll(func(fl *pflag.Flag) {
		if fl.Name == "help" || show.Flags().Lookup(fl.Name) != nil {
			return
		}
		copied := *fl
		copied.Hidden = true
		show.Flags().AddFlag(&copied)
	})
	cmd.AddCommand(show)
	return cmd
}

// show prints one line per setting: the key, its flag, its value and where it came from.
func (s *configState) show(cmd *cobra.Command) error {
	out := cmd.OutOrStdout()
	switch {
	case s.file != nil:
		fmt.Fprintf(out, "config file: %s\n\n", s.file.Path)
	default:
		fmt.Fprintf(out, "config file: none (no %s in the working directory)\n\n", config.FileName)
	}
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tFLAG\tVALUE\tFROM")
	for _, k := range config.Keys {
		fl := cmd.Flags().Lookup(k.Flag)
		if fl == nil {
			continue
		}
		values, from := flagValues(fl), "default"
		switch {
		case fl.Changed:
			from = "flag"
		case s.origins[fl.Name] != "":
			from = s.origins[fl.Name]
		case s.unused[fl.Name] != "":
			st, _ := s.file.Lookup(k.Name)
			values, from = st.Values, s.unused[fl.Name]
		}
		// A list of packs or of reports, one a line: a long line is hard to read.
		fmt.Fprintf(tw, "%s\t--%s\t%s\t%s\n", k.Name, fl.Name, values[0], from)
		for _, v := range values[1:] {
			fmt.Fprintf(tw, "\t\t%s\t\n", v)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for line := range strings.Lines(table.String()) {
		fmt.Fprintln(out, strings.TrimRight(line, " \n")) // a continuation line's empty FROM
	}
	return nil
}

// flagValues is a flag's value as a person would write it: each of a list's, or "-" for
// nothing.
func flagValues(fl *pflag.Flag) []string {
	if sv, ok := fl.Value.(pflag.SliceValue); ok {
		if v := sv.GetSlice(); len(v) > 0 {
			return v
		}
		return []string{"-"}
	}
	return []string{cmp.Or(fl.Value.String(), "-")}
}

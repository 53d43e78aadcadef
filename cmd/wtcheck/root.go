package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/wtcheck/wtcheck/checker"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise it comes from the
// module's build information.
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// exitCode carries a command's exit status out of cobra without printing anything: the
// command has already said what it found.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// execute runs the command line and returns the process's exit code. Only main calls
// os.Exit, so tests run the real command in-process.
func execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCommand(stdin)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	var code exitCode
	switch {
	case err == nil:
		return checker.ExitOK
	case errors.As(err, &code):
		return int(code)
	}
	fmt.Fprintf(stderr, "wtcheck: %v\n", err)
	return checker.ExitUsage
}

func newRootCommand(stdin io.Reader) *cobra.Command {
	root := &cobra.Command{
		Use:   "wtcheck",
		Short: "Check children's social care case records against Working Together to Safeguard Children",
		Long: `wtcheck checks case records exported from a children's social care system against the
rule packs of Working Together to Safeguard Children (the six editions from 2010 to 2026),
and reports every breach, every deadline still pending, and what was met.`,
		Version:       toolVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	config := &configState{}
	root.AddCommand(newCheckCommand(stdin), newCompareCommand(stdin), newExplainCommand(stdin), newReportCommand(stdin), newImportCommand(stdin), newTestCommand(), newLintCommand(), newRulesCommand(), newVersionCommand(), newValidateCommand(stdin), newGenCommand(stdin))
	addConfig(root, config)
	root.AddCommand(newConfigCommand(config))
	addHelpTopics(root)
	return root
}

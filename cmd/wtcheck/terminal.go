package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// registerQuiet adds --quiet to a command that checks cases.
func registerQuiet(cmd *cobra.Command, quiet *bool) {
	cmd.Flags().BoolVarP(quiet, "quiet", "q", false, "say nothing on standard error but errors: no progress, no summary line, no note of files passed over or written")
}

// notes is where a command says what is not an error (the summary line, the files passed over
// and written, progress): standard error, or nowhere with --quiet, for a scheduled job that
// should be silent unless something is wrong. Errors, and the notes that explain a failing
// exit status, go to standard error always.
func notes(cmd *cobra.Command, quiet bool) io.Writer {
	if quiet {
		return io.Discard
	}
	return cmd.ErrOrStderr()
}

// isTerminal reports whether w is a terminal (not merely a character device: /dev/null is one,
// and a report or progress sent there is for no person).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// colourful reports whether a text report written to w may be coloured: w is a terminal, and
// the user has not asked for none (NO_COLOR set to anything, https://no-color.org) or has a
// terminal that shows none (TERM=dumb). A file or a pipe never gets escape codes.
func colourful(w io.Writer) bool {
	return isTerminal(w) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}

package main

import (
	"github.com/spf13/pflag"

	"github.com/wtcheck/wtcheck/record"
)

// dateFlag is a flag that holds a day (YYYY-MM-DD), read when the command line is parsed:
// the one type of every --as-of, so that each command reads and refuses dates alike. The
// zero Date is the flag not given.
type dateFlag struct{ d *record.Date }

// dateVar defines a date flag on fl that sets *d.
func dateVar(fl *pflag.FlagSet, d *record.Date, name, usage string) {
	fl.Var(dateFlag{d}, name, usage)
}

// String is the day, or "" when not given.
func (f dateFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

// Set reads the day, refusing anything that is not a real calendar day in range.
func (f dateFlag) Set(s string) error {
	d, err := record.ParseDate(s)
	if err != nil {
		return err
	}
	*f.d = d
	return nil
}

// Type names the value in help: "string", as before the flag had a type of its own, so that
// the help and the man pages (which quote a string's default) read as they did.
func (f dateFlag) Type() string { return "string" }

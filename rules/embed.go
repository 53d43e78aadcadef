// Package rules holds the shipped rule packs, one per edition of Working Together, and the
// bank-holiday calendar they count working days with, embedded so that the binary works
// anywhere without them on disk.
package rules

import (
	"embed"
	"fmt"
	"slices"
	"strings"

	"github.com/wtcheck/wtcheck/checker"
)

//go:embed wt*.yaml bank-holidays.yaml tests/*.yaml
var files embed.FS

// HolidaysFile is the name of the shipped bank-holiday calendar.
const HolidaysFile = "bank-holidays.yaml"

// Holidays returns the shipped England and Wales bank-holiday calendar.
func Holidays() []byte {
	b, err := files.ReadFile(HolidaysFile)
	if err != nil {
		panic(err) // embedded at build time: cannot be missing
	}
	return b
}

// Editions lists the editions with a shipped pack, oldest first.
func Editions() []string {
	entries, _ := files.ReadDir(".")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutPrefix(e.Name(), "wt"); ok {
			out = append(out, strings.TrimSuffix(name, ".yaml"))
		}
	}
	slices.Sort(out)
	return out
}

// Pack returns the shipped pack of an edition and its file name.
func Pack(edition string) (name string, data []byte, err error) {
	name = "wt" + edition + ".yaml"
	data, err = files.ReadFile(name)
	if err != nil {
		return "", nil, fmt.Errorf("no shipped pack for edition %q (shipped: %s)", edition, strings.Join(Editions(), ", "))
	}
	return "rules/" + name, data, nil
}

// Example is one file of a rule's examples, kept beside the packs in tests/.
type Example struct {
	Name string
	Data []byte
}

// Examples returns the shipped packs' examples, in file-name order: one file per rule, each
// with records and the findings every edition must give on them.
func Examples() []Example {
	entries, _ := files.ReadDir("tests")
	var out []Example
	for _, e := range entries {
		data, err := files.ReadFile("tests/" + e.Name())
		if err != nil {
			panic(err) // embedded at build time: cannot be missing
		}
		out = append(out, Example{Name: "rules/tests/" + e.Name(), Data: data})
	}
	return out
}

// Calendar builds the shipped England and Wales working-day calendar.
func Calendar() (*checker.Calendar, error) {
	hols, first, last, err := checker.ParseHolidays("rules/"+HolidaysFile, Holidays())
	if err != nil {
		return nil, err
	}
	return checker.NewCalendar(hols, first, last), nil
}

// Engine compiles the shipped packs of the given editions (all when none is given) with the
// shipped calendar: what tests and benchmarks that need the real rules start from. It is
// Assemble with those editions alone.
func Engine(editions ...string) (*checker.Engine, error) {
	return Assemble(Options{Editions: editions})
}

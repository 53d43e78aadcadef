// Package registry is the table of input formats: every source wtcheck can read, one line
// each. The command line (--input-format, import), import --coverage and the documentation
// read it, so adding an input format is one package under source/ and one line here.
package registry

import (
	"fmt"
	"strings"

	"github.com/wtcheck/wtcheck/source"
	"github.com/wtcheck/wtcheck/source/annexa"
	"github.com/wtcheck/wtcheck/source/casejson"
	"github.com/wtcheck/wtcheck/source/cincensus"
	"github.com/wtcheck/wtcheck/source/dfeapi"
	"github.com/wtcheck/wtcheck/source/ssd"
)

// Formats are the input formats, the default (case records) first.
var Formats = []*source.Format{
	&casejson.InputFormat,
	&cincensus.InputFormat,
	&annexa.InputFormat,
	&ssd.InputFormat,
	&dfeapi.InputFormat,
}

// Names lists the formats' names, in the table's order.
func Names() []string {
	out := make([]string, len(Formats))
	for i, f := range Formats {
		out[i] = f.Name
	}
	return out
}

// Lookup finds a format by name; "" is the default, case records.
func Lookup(name string) (*source.Format, error) {
	if name == "" {
		return Formats[0], nil
	}
	for _, f := range Formats {
		if f.Name == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown input format %q: want %s", name, strings.Join(Names(), ", "))
}

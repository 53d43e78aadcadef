// Command scalecensus writes a CIN census return made of another one's children repeated
// TIMES times, each copy under new LAchildIDs (the id with -001, -002, … appended), with the
// header and footer kept: the 33,200-child file the benchmark compares wtcheck and the
// Python CIN validator on (the shared fake return's 332 children, 100 times). It is a
// benchmark helper, not part of wtcheck.
//
//	go run ./tools/bench/scalecensus IN.xml TIMES OUT.xml
package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: scalecensus IN.xml TIMES OUT.xml")
		os.Exit(2)
	}
	if err := scale(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "scalecensus:", err)
		os.Exit(1)
	}
}

var childID = regexp.MustCompile(`<LAchildID>([^<]*)</LAchildID>`)

func scale(in, timesArg, out string) error {
	times, err := strconv.Atoi(timesArg)
	if err != nil || times < 1 || times > 10000 {
		return fmt.Errorf("times %q: want a whole number from 1 to 10000", timesArg)
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	open, end := bytes.Index(data, []byte("<Children>")), bytes.LastIndex(data, []byte("</Children>"))
	if open < 0 || end < open {
		return fmt.Errorf("%s: no <Children> element", in)
	}
	open += len("<Children>")
	children := data[open:end]
	var buf bytes.Buffer
	buf.Write(data[:open])
	for k := 1; k <= times; k++ {
		suffix := fmt.Sprintf("-%03d", k)
		buf.Write(childID.ReplaceAll(children, []byte("<LAchildID>${1}"+suffix+"</LAchildID>")))
	}
	buf.Write(data[end:])
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

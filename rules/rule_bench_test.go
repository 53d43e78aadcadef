package rules_test

import (
	"bytes"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/internal/testgen"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
)

// BenchmarkRule measures each shipped rule alone, compiled in a pack of its own, on 500
// generated cases (testgen, seed 1) as check builds findings by default (breaches and
// pending built, the rest counted); ns/op is per case. Run with
//
//	go test ./rules -run '^$' -bench 'Rule/' -benchmem
func BenchmarkRule(b *testing.B) {
	var buf bytes.Buffer
	if err := testgen.WriteCases(&buf, 500, 1); err != nil {
		b.Fatal(err)
	}
	var cases []*record.Case
	for line := range bytes.Lines(buf.Bytes()) {
		c, _, err := record.Decode(line)
		if err != nil {
			b.Fatal(err)
		}
		cases = append(cases, c)
	}
	cal, err := rules.Calendar()
	if err != nil {
		b.Fatal(err)
	}
	listed := checker.StatusSetOf(checker.StatusBreach, checker.StatusPending)
	for _, ed := range rules.Editions() {
		name, data, err := rules.Pack(ed)
		if err != nil {
			b.Fatal(err)
		}
		for i := range mustParse(b, name, data).Rules {
			p := mustParse(b, name, data)
			p.Rules = p.Rules[i : i+1]
			cp, err := checker.Compile(p, cal, nil)
			if err != nil {
				b.Fatalf("%s %s: %v", ed, p.Rules[0].ID, err)
			}
			e := &checker.Engine{Calendar: cal, Packs: []*checker.CompiledPack{cp}}
			b.Run(ed+"/"+p.Rules[0].ID, func(b *testing.B) {
				b.ReportAllocs()
				var tally checker.StatusCounts
				for k := 0; b.Loop(); k++ {
					e.CheckListed(cases[k%len(cases)], record.Date{}, listed, &tally)
				}
			})
		}
	}
}

func mustParse(b *testing.B, name string, data []byte) *checker.Pack {
	p, err := checker.ParsePack(name, data)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

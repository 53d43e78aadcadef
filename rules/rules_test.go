package rules_test

import (
	"testing"

	"github.com/wtcheck/wtcheck/checker/packtest"
	"github.com/wtcheck/wtcheck/rules"
)

// TestShippedPacksPassTheirExamples is `wtcheck test` inside go test: every example of every
// shipped pack gives exactly its expected findings, and every rule has examples that breach,
// are met, and are pending or not applicable.
func TestShippedPacksPassTheirExamples(t *testing.T) {
	e, err := rules.Engine()
	if err != nil {
		t.Fatal(err)
	}
	packs, cal := e.Packs, e.Calendar
	var suites []*packtest.Suite
	for _, ex := range rules.Examples() {
		s, err := packtest.ParseSuite(ex.Name, ex.Data)
		if err != nil {
			t.Fatal(err)
		}
		suites = append(suites, s)
	}
	if len(suites) < 20 {
		t.Fatalf("only %d example files", len(suites))
	}
	res := packtest.Run(packs, cal, suites)
	for _, f := range res.Failures {
		t.Error(f)
	}
	for _, p := range res.Packs {
		if p.Examples < p.Rules*3 {
			t.Errorf("%s: %d examples for %d rules", p.Pack, p.Examples, p.Rules)
		}
	}
}

package rules_test

import (
	"testing"

	"github.com/wtcheck/wtcheck/rules"
)

// BenchmarkCompileShippedPacks measures parsing and compiling every shipped pack with the
// shipped calendar: what every command pays before it reads a record. ns/op is all six packs.
func BenchmarkCompileShippedPacks(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.Engine(); err != nil {
			b.Fatal(err)
		}
	}
}

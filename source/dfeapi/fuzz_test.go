package dfeapi_test

import (
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/source/dfeapi"
)

// FuzzRead: no input makes the reader panic, and every record it gives is a case, an error
// or a payload it names as not checked.
func FuzzRead(f *testing.F) {
	f.Add(full)
	f.Add("[" + full + "]")
	f.Add(`{"la_child_id": "C2", "purge": true}`)
	f.Add(`{"Children": [{"la_child_id": "C3"}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		_ = dfeapi.Read(strings.NewReader(in), dfeapi.Options{ExtractDate: extract}, func(r dfeapi.Record) error {
			if r.Case == nil && r.Err == nil && r.NotChecked() == "" {
				t.Fatalf("record %d is neither a case, an error nor a payload not checked", r.Index)
			}
			return nil
		})
	})
}

//go:build goexperiment.jsonv2

package record_test

import (
	"encoding/json"
	jsonv2 "encoding/json/v2"
	"reflect"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// encoding/json/v2 is only in a Go 1.26 built with GOEXPERIMENT=jsonv2, so it joins the
// comparison only then: GOEXPERIMENT=jsonv2 go test -run '^$' -bench Decode ./record
func init() {
	decoders = append(decoders, decoder{"encoding_json_v2", func(b []byte, v any) error { return jsonv2.Unmarshal(b, v) }})
}

// encoding/json/v2 gives encoding/json's Case for every generated case, so that its figures
// compare like with like.
func TestJSONv2SameCase(t *testing.T) {
	lines, err := benchInput()
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range lines[:2000] {
		var want, got record.Case
		if err := json.Unmarshal(l, &want); err != nil {
			t.Fatalf("case %d: encoding/json: %v", i, err)
		}
		if err := jsonv2.Unmarshal(l, &got); err != nil {
			t.Fatalf("case %d: encoding/json/v2: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: encoding/json/v2's Case differs from encoding/json's", i)
		}
	}
}

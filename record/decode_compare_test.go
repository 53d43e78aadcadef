//go:build !(js && wasm) && !goexperiment.jsonv2

// Not under GOEXPERIMENT=jsonv2: there encoding/json itself is rebuilt on encoding/json/v2, and
// words its errors and counts its offsets otherwise, so it is no longer the reference.

package record_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	goccy "github.com/goccy/go-json"

	"github.com/wtcheck/wtcheck/internal/testgen"
	"github.com/wtcheck/wtcheck/record"
)

// badJSON is JSON that encoding/json refuses or reads in a way worth pinning: truncated,
// trailing data, the wrong type at the top and deep in lists, escapes, odd keys.
var badJSON = []string{
	`{"case_id":"C","referrals":[{"id":"R","received":"2024-01-02"}`,
	`{"case_id":"C"} x`,
	`{"case_id":"C"}{}`,
	`[1]`, `12`, `"s"`, `null`, `true`, ``, ` `, `{`, `{"case_id"`, `{"case_id":}`,
	`{"case_id":1}`,
	`{"case_id":"C","referrals":[{"id":"R","homeless":"yes"}]}`,
	`{"case_id":"C","referrals":[{"id":"R"},{"id":"S","plans":[{"id":"P","visits":[{"seen":1}]}]}]}`,
	`{"case_id":"C","referrals":"x"}`,
	`{"case_id":"C","referrals":[1]}`,
	`{"case_id":"C","child":{"disabled":"no"}}`,
	`{"case_id":"C","child":[]}`,
	`{"case_id":"C","child":{"circumstances":"a"}}`,
	`{"case_id":"C","child":{"circumstances":["a",1]}}`,
	`{"case_id":"C","extract_date":20240101}`,
	`{"case_id":"C","extract_date":"2024\u002d01-01"}`,
	`{"case_id":"C","extract_date":"2024-02-30","child":{"birth_date":{"y":1}}}`,
	`{"case_id":"C","referrals":[{"id":"R","received":null,"assessments":[{"seen":["2024-01-01",5,null]}]}]}`,
	`{"CASE_ID":"C","Referrals":[{"ID":"R"}]}`,
	`{"case_id":"C","case_id":"D"}`,
	`{"case_id":"\ud800"}`,
	`{"case_id":"\x"}`,
	`{"case_id":"C",}`,
	`{"case_id":"C","unknown":{"a":[1,2,{"b":null}]}}`,
	`{"case_id":"C","referrals":[null]}`,
	"{\"case_id\":\"C\t\"}",
	`{"case_id":"C","organisation":{"la_code":true}}`,
	`{"case_id":"C","referrals":[{"id":"R","homeless":tru}]}`,
	`{"case_id":"C","child":{"disabled":1e999}}`,
	`{"case_id":"C"}   `,
	"\ufeff{\"case_id\":\"C\"}",
	// Incidents and arrangements: whole numbers, pointers to objects.
	`{"incident_id":"I","child":{"gestation_weeks":3.5}}`,
	`{"incident_id":"I","child":{"gestation_weeks":1e400}}`,
	`{"incident_id":"I","child":{"gestation_weeks":99999999999999999999}}`,
	`{"incident_id":"I","child":{"gestation_weeks":-0}}`,
	`{"incident_id":"I","in_custody":"yes","notified":{"panel":7}}`,
	`{"incident_id":"I","rapid_review":[],"local_review":null}`,
	`{"area_id":"A","lscb":{"lay_members":-1.0}}`,
	`{"area_id":"A","lscb":{"lay_members":2,"annual_reports":"2018-01-01"}}`,
	`{"area_id":"A","partners":{"members":["police",null,3]}}`,
}

// decoderInputs are every record the equivalence test decodes: badJSON, each line of every
// NDJSON fixture and each JSON fixture whole, and 2,000 generated cases.
func decoderInputs(t *testing.T) [][]byte {
	var in [][]byte
	for _, s := range badJSON {
		in = append(in, []byte(s))
	}
	for _, root := range []string{"../fixtures", "../checker/report/testdata"} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch filepath.Ext(path) {
			case ".json":
				data, err := os.ReadFile(path)
				in = append(in, data)
				return err
			case ".ndjson":
				data, err := os.ReadFile(path)
				in = append(in, bytes.Split(data, []byte("\n"))...)
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var gen bytes.Buffer
	if err := testgen.WriteCases(&gen, 2000, 1); err != nil {
		t.Fatal(err)
	}
	return append(in, bytes.Split(bytes.TrimSpace(gen.Bytes()), []byte("\n"))...)
}

// The decoder record.Decode (and DecodeIncident, DecodeArrangements) uses gives
// encoding/json's value for every input, and the same error; goccy/go-json alone gives the same
// value, and refuses what encoding/json refuses.
func TestDecoderMatchesEncodingJSON(t *testing.T) {
	inputs := decoderInputs(t)
	if len(inputs) < 2100 {
		t.Fatalf("only %d inputs: the fixtures were not found", len(inputs))
	}
	for _, kind := range []struct {
		name    string
		compare func([]byte) (string, bool, string)
		minOK   int
	}{
		{"case", compareDecoders[record.Case], 2000},
		{"incident", compareDecoders[record.Incident], 5},
		{"arrangements", compareDecoders[record.Arrangements], 3},
	} {
		var ok, bad, refused int
		for i, raw := range inputs {
			outcome, r, differs := kind.compare(raw)
			if differs != "" {
				t.Errorf("%s, input %d: %s", kind.name, i, differs)
			}
			if r {
				refused++
			}
			if outcome == "ok" {
				ok++
			} else {
				bad++
			}
		}
		// The inputs must exercise both branches, or the test proves less than it says; and
		// goccy/go-json refusing a good record would cost every such record a second decode.
		if ok < kind.minOK || bad < 20 || refused > 0 {
			t.Errorf("%s: read %d, refused %d, goccy/go-json refused %d that encoding/json reads: want at least %d and 20, and none",
				kind.name, ok, bad, refused, kind.minOK)
		}
	}
}

// compareDecoders decodes raw with encoding/json, with goccy/go-json alone, and with the
// decoder record.Decode uses (goccy/go-json, and encoding/json again for a record it refuses).
// It says what encoding/json made of it ("ok", "error"), whether goccy/go-json refused a record
// that encoding/json reads (then the second decode gives the Case), and how either differs
// from encoding/json, if it does: another Case, or another error.
func compareDecoders[T any](raw []byte) (kind string, refused bool, differs string) {
	var want, fastCase, got T
	werr := json.Unmarshal(raw, &want)
	ferr := goccy.Unmarshal(raw, &fastCase)
	gerr := record.Unmarshal(raw, &got)
	switch {
	case werr == nil && ferr == nil && !reflect.DeepEqual(fastCase, want):
		return "ok", false, "goccy/go-json's value differs from encoding/json's"
	case werr == nil && gerr != nil:
		return "ok", ferr != nil, fmt.Sprintf("encoding/json reads it, the decoder says %v", gerr)
	case werr == nil && !reflect.DeepEqual(got, want):
		return "ok", ferr != nil, "the decoder's value differs from encoding/json's"
	case werr == nil:
		return "ok", ferr != nil, ""
	case ferr == nil:
		return "error", false, fmt.Sprintf("encoding/json refuses it (%v), goccy/go-json reads it", werr)
	case gerr == nil || gerr.Error() != werr.Error() || reflect.TypeOf(gerr) != reflect.TypeOf(werr):
		return "error", false, fmt.Sprintf("the decoder's error is %v (%T), encoding/json's %v (%T)", gerr, gerr, werr, werr)
	}
	return "error", false, ""
}

// FuzzDecode: on any UTF-8 input (record.Decode refuses any other before decoding), the
// decoders agree with encoding/json as TestDecoderMatchesEncodingJSON says, and Decode does
// not panic. Run: go test ./record -run '^$' -fuzz FuzzDecode -fuzztime 1m
func FuzzDecode(f *testing.F) {
	for _, s := range badJSON {
		f.Add([]byte(s))
	}
	var gen bytes.Buffer
	if err := testgen.WriteCases(&gen, 20, 1); err != nil {
		f.Fatal(err)
	}
	for _, l := range bytes.Split(bytes.TrimSpace(gen.Bytes()), []byte("\n")) {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !utf8.Valid(raw) {
			return
		}
		for _, compare := range []func([]byte) (string, bool, string){
			compareDecoders[record.Case], compareDecoders[record.Incident], compareDecoders[record.Arrangements],
		} {
			if _, _, differs := compare(raw); differs != "" {
				t.Fatal(differs)
			}
		}
		record.Decode(raw)
		record.DecodeIncident(raw)
		record.DecodeArrangements(raw)
	})
}

// A type error names the field's path as encoding/json does, and no value.
func TestDecodeTypeErrorWording(t *testing.T) {
	// A record that is not JSON has no case id to read: as with encoding/json, none is given.
	for _, tc := range []struct{ in, want, id string }{
		{`{"case_id":"C","referrals":[{"id":"R"},{"id":"S","plans":[{"id":"P","visits":[{"seen":1}]}]}]}`,
			"referrals.plans.visits.seen: want true or false, got a JSON number", "C"},
		{`{"case_id":"C","child":{"circumstances":["a",1]}}`, "child.circumstances: want a string, got a JSON number", "C"},
		{`{"case_id":"C","referrals":[{"id":"R","homeless":"yes"}]}`, "referrals.homeless: want true or false, got a JSON string", "C"},
		{`[1]`, "the record is a JSON array, not an object", ""},
		{`{"case_id":"C","referrals":[{"id":"R","received":"2024-01-02"}`, "malformed JSON at byte 62 of the record: unexpected end of JSON input", ""},
		{`{"case_id":"C"} x`, "malformed JSON at byte 17 of the record: invalid character 'x' after top-level value", ""},
	} {
		_, id, err := record.Decode([]byte(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("Decode(%s) error = %v, want %q", tc.in, err, tc.want)
		}
		if id != tc.id {
			t.Errorf("Decode(%s) case id = %q, want %q", tc.in, id, tc.id)
		}
		if err != nil && strings.Contains(err.Error(), "yes") {
			t.Errorf("Decode(%s) error %q quotes the value", tc.in, err)
		}
	}
}

// The reader hands Decode a buffer it reuses for the next record, so a decoded case must not
// share memory with it: overwriting the input leaves the case as it was.
func TestDecodedCaseOwnsItsStrings(t *testing.T) {
	raw := []byte(`{"case_id":"C-1","organisation":{"la_code":"E09000030"},"child":{"id":"CH-1"},` +
		`"referrals":[{"id":"R-1","received":"2024-01-02","source":"police"}]}`)
	c, _, err := record.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		raw[i] = 'x'
	}
	if c.CaseID != "C-1" || c.Organisation.LACode != "E09000030" || c.Child.ID != "CH-1" ||
		c.Referrals[0].ID != "R-1" || c.Referrals[0].Source != "police" || c.Referrals[0].Received.String() != "2024-01-02" {
		t.Errorf("the case changed with its input: %q %q %q %q %q %s", c.CaseID, c.Organisation.LACode, c.Child.ID,
			c.Referrals[0].ID, c.Referrals[0].Source, c.Referrals[0].Received)
	}
}

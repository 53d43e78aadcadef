// Package schema_test checks the JSON Schemas of the record formats (case, incident,
// arrangements) against the repository's fixtures: every record wtcheck reads validates,
// and the deliberately broken ones fail where wtcheck says they do.
package schema_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemas compiles the three schemas, keyed by the format tag they describe.
func schemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	out := map[string]*jsonschema.Schema{}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // "format": "date" rejects 2024-02-30, as wtcheck does
	for format, file := range map[string]string{
		"wtcheck/case/v1":         "case.schema.json",
		"wtcheck/incident/v1":     "incident.schema.json",
		"wtcheck/arrangements/v1": "arrangements.schema.json",
	} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := c.AddResource(file, doc); err != nil {
			t.Fatal(err)
		}
		s, err := c.Compile(file)
		if err != nil {
			t.Fatalf("compile %s: %v", file, err)
		}
		out[format] = s
	}
	return out
}

// records reads every NDJSON and JSON record under the fixture folders, as "file record n".
func records(t *testing.T, dirs ...string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			switch filepath.Ext(path) {
			case ".ndjson":
				sc := bufio.NewScanner(bytes.NewReader(data))
				sc.Buffer(nil, 1<<20)
				for n := 1; sc.Scan(); n++ {
					out[fmt.Sprintf("%s record %d", path, n)] = slices.Clone(sc.Bytes())
				}
			case ".json":
				out[path+" record 1"] = data
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// The records wtcheck refuses for something a schema can say fail the schema at that field;
// a broken JSON line is not JSON at all; a reference that resolves to nothing (or a duplicate
// case id) is beyond a schema, so such a record validates and wtcheck alone refuses it.
func TestFixturesAgainstTheSchemas(t *testing.T) {
	s := schemas(t)
	want := map[string]string{
		"../../fixtures/sample/bad.ndjson record 1":                      "/referrals/0/decision",
		"../../fixtures/sample/bad.ndjson record 2":                      "not JSON",
		"../../fixtures/scenarios/malformed-batch/cases.ndjson record 2": "not JSON",
		"../../fixtures/scenarios/malformed-batch/cases.ndjson record 3": "/referrals/0/received",
		"../../fixtures/scenarios/malformed-batch/cases.ndjson record 4": "/referrals/0/homeless",
	}
	recs := records(t, "../../fixtures/sample", "../../fixtures/scenarios")
	kinds := map[string]int{}
	for _, name := range sortedKeys(recs) {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(recs[name]))
		if err != nil {
			if want[name] != "not JSON" {
				t.Errorf("%s: not JSON: %v", name, err)
			}
			continue
		}
		var head struct{ Format string }
		_ = json.Unmarshal(recs[name], &head)
		format := head.Format
		if format == "" {
			format = "wtcheck/case/v1"
		}
		kinds[format]++
		err = s[format].Validate(doc)
		switch {
		case want[name] == "" && err != nil:
			t.Errorf("%s does not validate against the %s schema: %v", name, format, err)
		case want[name] != "" && err == nil:
			t.Errorf("%s validates, want an error at %s", name, want[name])
		case want[name] != "" && !strings.Contains(err.Error(), "at '"+want[name]+"'"):
			t.Errorf("%s: the error is not at %s: %v", name, want[name], err)
		}
	}
	// The walk found every kind: a moved folder must not leave the test checking nothing.
	if kinds["wtcheck/case/v1"] < 40 || kinds["wtcheck/incident/v1"] != 7 || kinds["wtcheck/arrangements/v1"] != 2 {
		t.Errorf("records checked by format: %v", kinds)
	}
}

// Each schema refuses what the record's validation refuses by its types and known values:
// a missing id, an unknown event, a date that is not a date, a member no edition names.
func TestSchemasRefuse(t *testing.T) {
	s := schemas(t)
	for _, tc := range []struct{ format, json, at string }{
		{"wtcheck/incident/v1", `{"event": "death"}`, ""},
		{"wtcheck/incident/v1", `{"incident_id": "I", "event": "murder"}`, "/event"},
		{"wtcheck/incident/v1", `{"incident_id": "I", "event": "death", "aware": "2024-02-30"}`, "/aware"},
		{"wtcheck/incident/v1", `{"incident_id": "I", "event": "death", "child": {"gestation_weeks": 21.5}}`, "/child/gestation_weeks"},
		{"wtcheck/arrangements/v1", `{"area_id": "A", "partners": {"members": ["mayor"]}}`, "/partners/members/0"},
		{"wtcheck/arrangements/v1", `{"area_id": "A", "lscb": {"lay_members": -1}}`, "/lscb/lay_members"},
		{"wtcheck/case/v1", `{"case_id": "C", "referrals": [{"id": "R1"}]}`, "/referrals/0"},
		{"wtcheck/case/v1", `{"case_id": "C", "referrals": [{"received": "2024-01-02", "plans": [{"id": "P1", "kind": "cp"}]}]}`, "/referrals/0/plans/0/kind"},
	} {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(tc.json))
		if err != nil {
			t.Fatal(err)
		}
		err = s[tc.format].Validate(doc)
		if err == nil || !strings.Contains(err.Error(), "at '"+tc.at+"'") {
			t.Errorf("%s %s: got %v, want an error at %q", tc.format, tc.json, err, tc.at)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

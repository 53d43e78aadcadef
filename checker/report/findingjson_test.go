package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
)

// encodingJSON is what encoding/json writes for a finding, as the JSON report (indented under
// a prefix) and the NDJSON one (compact) wrote it before findingJSON.
func encodingJSON(t *testing.T, f *checker.Finding, prefix string, indent bool) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent(prefix, "  ")
	}
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// setField gives field i of a finding a value that is not its zero value, distinct by seed.
func setField(t *testing.T, v reflect.Value, seed int) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("value %d", seed))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int:
		v.SetInt(int64(seed) - 3)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		setField(t, v.Elem(), seed)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		setField(t, v.Index(0), seed)
		setField(t, v.Index(1), seed+1)
	case reflect.Struct:
		if v.Type() != reflect.TypeFor[record.Date]() {
			t.Fatalf("a field of type %s: teach setField to fill it", v.Type())
		}
		v.Set(reflect.ValueOf(record.MustDate("2024-01-25").AddDays(seed)))
	default:
		t.Fatalf("a field of kind %s: teach setField to fill it", v.Kind())
	}
}

// TestFindingJSONAsEncodingJSON: findingJSON writes every finding in the bytes encoding/json
// writes, indented and compact: with every field set, with each field alone (so each field's
// omitempty is as its tag says, and a field added to Finding that findingJSON does not write
// fails here), and with strings, dates and numbers of every kind.
func TestFindingJSONAsEncodingJSON(t *testing.T) {
	var findings []checker.Finding
	typ := reflect.TypeFor[checker.Finding]()
	var all checker.Finding
	for i := range typ.NumField() {
		setField(t, reflect.ValueOf(&all).Elem().Field(i), i)
		var alone checker.Finding
		setField(t, reflect.ValueOf(&alone).Elem().Field(i), i)
		findings = append(findings, alone)
	}
	findings = append(findings, all, checker.Finding{})
	n := func(v int) *int { return &v }
	for _, s := range []string{"", "a\"b", `back\slash`, "ctl\x01\x1f\x7f", "\b\f\n\r\t", "<script>&amp;</script>", "line\u2028para\u2029",
		"élan 测试 Ω", "bad \xff\xfe utf-8", "\xe2\x80", "emoji 🙂", "/slash/"} {
		findings = append(findings, checker.Finding{CaseID: s, IncidentID: s, AreaID: s, Edition: s, Rule: s, Subject: s, Referral: s, Pack: s,
			Status: checker.Status(s), Severity: checker.Severity(s), Message: s, Citation: s, Proxies: []string{s, "s47"}, Note: s})
	}
	for _, d := range []record.Date{{}, record.MustDate("1900-01-01"), record.MustDate("2200-12-31"), record.MustDate("2024-02-29"),
		record.DateFromDayNumber(-800000), record.DateFromDayNumber(3000000), record.MustDate("1900-01-01").AddDays(-1)} {
		findings = append(findings, checker.Finding{Edition: "2018", Start: d, Due: d, Done: d, Closed: d, ProjectedHolidays: []record.Date{d, d}})
	}
	findings = append(findings,
		checker.Finding{LateWorkingDays: n(0), LateDays: n(-12), WorkingDaysLeft: n(1 << 40)},
		checker.Finding{ProjectedHolidays: []record.Date{}, Proxies: []string{}}, // empty, not nil: left out as encoding/json does
	)
	for _, prefix := range []string{"    ", ""} {
		for _, indent := range []bool{true, false} {
			enc := newFindingJSON(prefix, indent)
			for i := range findings {
				f := &findings[i]
				want := encodingJSON(t, f, prefix, indent)
				if got := string(enc.encode(f)); got != want {
					t.Errorf("finding %d, prefix %q, indent %v:\n got %s\nwant %s", i, prefix, indent, got, want)
				}
			}
		}
	}
}

package checker

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/record"
)

// FuzzLoadPack loads and compiles packs: every problem is an error naming the pack, never a
// panic, and a pack that compiles has what it declares.
func FuzzLoadPack(f *testing.F) {
	packs, _ := filepath.Glob("../rules/wt*.yaml")
	for _, name := range packs {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/3])
	}
	f.Add([]byte("id: x\nedition: '2099'\nrules:\n  - id: r\n    scope: referral\n    assert: referral.received < date('2020-01-01')\n"))
	f.Add([]byte("id: x\nrules:\n  - id: r\n    scope: plan\n    deadline: {start: plan.started, within: params.n working days, done: earliest(plan.core_groups)}\nparams:\n  n: {type: int, default: 10, doc: d}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	cal := testCalendar(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePack("fuzz.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("an error that does not name the pack: %v", err)
			}
			return
		}
		cp, err := Compile(p, cal, nil)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("a compile error that does not name the pack: %v", err)
			}
			return
		}
		if cp.Pack != p {
			t.Fatalf("the compiled pack is not the one parsed")
		}
	})
}

// FuzzParseBaseline reads baselines: an error names the file; what is read has every breach.
func FuzzParseBaseline(f *testing.F) {
	f.Add([]byte(`{"format": "wtcheck/baseline/v1", "as_of": "2024-03-31", "breaches": [{"case_id": "C-1", "edition": "2018", "rule": "icpc-timeliness", "subject": "S1"}]}`))
	f.Add([]byte(`{"format": "wtcheck/baseline/v1", "breaches": []}`))
	f.Add([]byte(`{"format": "wtcheck/baseline/v0"}`))
	f.Add([]byte("\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBaseline("fuzz.json", data)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("an error that does not name the file: %v", err)
			}
			return
		}
		if b == nil || b.Len() < 0 {
			t.Fatalf("no baseline and no error")
		}
	})
}

// FuzzParseHolidays reads holiday files: every date read is a real date, and an error names
// the file.
func FuzzParseHolidays(f *testing.F) {
	if data, err := os.ReadFile("../rules/bank-holidays.yaml"); err == nil {
		// Its first years only: the whole list takes milliseconds to parse, and the fuzzer
		// would spend its time on the seed.
		if i := strings.Index(string(data), "\n  - {date: 2003"); i > 0 {
			data = data[:i+1]
		}
		f.Add(data)
	}
	f.Add([]byte("holidays: [2027-06-07]\n"))
	f.Add([]byte("holidays:\n  - {date: 2030-02-30, name: x}\n  - 2030-01-02\n"))
	f.Add([]byte("first_year: 2000\nlast_year: 1999\nholidays: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		hols, _, _, err := ParseHolidays("fuzz.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("an error that does not name the file: %v", err)
			}
			return
		}
		for _, h := range hols {
			if h.Date.IsZero() {
				t.Fatalf("a holiday with no date: %+v", h)
			}
			if _, err := record.ParseDate(h.Date.String()); err != nil {
				t.Fatalf("a holiday on a date that is not one: %v", h.Date)
			}
		}
		NewCalendar(hols, 2000, 2027).AddWorkingDays(record.MustDate("2024-01-01"), 10)
	})
}

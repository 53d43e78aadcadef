package config

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// full is a file with every key, as the README shows one.
const full = `# what the nightly job repeats
editions: [2018, 2023]
as-of: 2024-03-31
set:
  visit_interval_working_days: 5
  wt2023.icpc_working_days: 15
packs:
  - packs/overlay.yaml
holidays: /etc/wtcheck/holidays-2027.yaml
baseline: baseline.json
fail-on: warning
redact: true
redact-key-file: ../secrets/key
outputs:
  sarif: out/wtcheck.sarif
  junit: out/junit.xml
  text: "-"
`

func TestParseEveryKey(t *testing.T) {
	f, err := Parse("ci/wtcheck.yaml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Flag   string
		Values []string
		Line   int
	}
	var all []got
	for _, s := range f.Settings {
		all = append(all, got{s.Key.Flag, s.Values, s.Line})
	}
	want := []got{
		{"edition", []string{"2018", "2023"}, 2},
		{"as-of", []string{"2024-03-31"}, 3},
		{"set", []string{"visit_interval_working_days=5", "wt2023.icpc_working_days=15"}, 4},
		{"pack", []string{"ci/packs/overlay.yaml"}, 7},
		{"holidays", []string{"/etc/wtcheck/holidays-2027.yaml"}, 9},
		{"baseline", []string{"ci/baseline.json"}, 10},
		{"fail-on", []string{"warning"}, 11},
		{"redact", []string{"true"}, 12},
		{"redact-key-file", []string{"secrets/key"}, 13},
		{"output", []string{"sarif=ci/out/wtcheck.sarif", "junit=ci/out/junit.xml", "text=-"}, 14},
	}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("settings:\n got %+v\nwant %+v", all, want)
	}
	if w := f.Where(f.Settings[2]); w != "ci/wtcheck.yaml:4" {
		t.Errorf("Where = %q", w)
	}
}

func TestParseRelativeToWorkingDirectory(t *testing.T) {
	f, err := Parse("wtcheck.yaml", []byte("baseline: known/baseline.json\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Settings[0].Values; !reflect.DeepEqual(got, []string{"known/baseline.json"}) {
		t.Errorf("values = %q", got)
	}
}

// TestParseErrors: each mistake is reported with its line and column, every one at once.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"misspelt key", "edition: [2023]\nas-of: 2024-03-31\nfailon: breach\n",
			"wtcheck.yaml:1:1: unknown key \"edition\" (want one of editions, as-of, set, packs, holidays, baseline, fail-on, redact, redact-key-file, outputs)\n" +
				"wtcheck.yaml:3:1: unknown key \"failon\" (want one of editions, as-of, set, packs, holidays, baseline, fail-on, redact, redact-key-file, outputs)"},
		{"a list where one value goes", "as-of: [2024-03-31]\n", "wtcheck.yaml:1:8: as-of: want one value here, not a list"},
		{"a mapping in a list", "packs:\n  - file: a.yaml\n", "wtcheck.yaml:2:5: packs: want one value here, not a mapping"},
		{"set as a list", "set: [a=1]\n", "wtcheck.yaml:1:6: set: want a mapping of NAME: VALUE, one a line"},
		{"outputs as a string", "outputs: sarif=out.sarif\n", "wtcheck.yaml:1:10: outputs: want a mapping of FORMAT: PATH, one a line"},
		{"no value", "baseline:\n", "wtcheck.yaml:1:10: baseline: no value (leave the key out to keep the default)"},
		{"an empty string", "fail-on: \"\"\n", "wtcheck.yaml:1:10: fail-on: no value (leave the key out to keep the default)"},
		{"an empty list", "editions: []\n", "wtcheck.yaml:1:11: editions: the list is empty (leave the key out to keep the default)"},
		{"redact not a boolean", "redact: \"yes\"\n", "wtcheck.yaml:1:9: redact: want true or false, not \"yes\""},
		{"not a mapping", "- editions\n", "wtcheck.yaml:1:1: the file must be a mapping of settings (editions:, as-of:, …)"},
		{"a key twice", "fail-on: none\nfail-on: breach\n", "wtcheck.yaml:2:1: fail-on is set twice (first on line 1)"},
		{"a parameter twice", "set:\n  a: 1\n  a: 2\n", "wtcheck.yaml:3:3: set: a is set twice"},
		{"not YAML", "editions: [2023\n", "read config wtcheck.yaml: yaml: line 1: did not find expected ',' or ']'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("wtcheck.yaml", []byte(tt.data))
			if err == nil {
				t.Fatalf("no error; settings %+v", f.Settings)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestParseEmptyFileSetsNothing(t *testing.T) {
	for _, data := range []string{"", "# nothing yet\n"} {
		f, err := Parse("wtcheck.yaml", []byte(data))
		if err != nil || len(f.Settings) != 0 {
			t.Errorf("Parse(%q) = %+v, %v; want no settings", data, f, err)
		}
	}
}

func TestFind(t *testing.T) {
	t.Chdir(t.TempDir())
	f, err := Find("")
	if f != nil || err != nil {
		t.Fatalf("no wtcheck.yaml: Find = %+v, %v; want nil, nil", f, err)
	}
	if _, err := Find("missing.yaml"); err == nil || !strings.Contains(err.Error(), "read config: ") || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("a --config file that is not there: %v", err)
	}
	if err := os.WriteFile(FileName, []byte("fail-on: none\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err = Find("")
	if err != nil || f.Path != FileName || f.Settings[0].Values[0] != "none" {
		t.Errorf("Find = %+v, %v", f, err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", maxBytes)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(big); err == nil || !strings.Contains(err.Error(), "read config: ") {
		t.Errorf("a file over the bound: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(full))
	f.Add([]byte("editions: 2023\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("wtcheck.yaml", data)
		if err != nil {
			return
		}
		if file == nil {
			t.Fatal("no file and no error")
		}
		for _, s := range file.Settings {
			if len(s.Values) == 0 || s.Line < 1 || slices.Contains(s.Values, "") {
				t.Fatalf("setting %+v: a key decoded gives its flag at least one value, and has a line", s)
			}
		}
	})
}

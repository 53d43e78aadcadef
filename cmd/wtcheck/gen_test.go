package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/internal/testgen"
)

// TestGenWritesWhatTheGeneratorWrites: gen writes the generator's bytes for the seed, to
// standard output or -o, and what it writes is read back valid, in both formats.
func TestGenWritesWhatTheGeneratorWrites(t *testing.T) {
	for _, format := range testgen.Formats {
		var want bytes.Buffer
		if err := testgen.WriteFormat(&want, format, 50, 3); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := run(t, "", "gen", "--cases", "50", "--seed", "3", "--format", format)
		if code != 0 || out != want.String() {
			t.Fatalf("%s: exit %d (%s), %d bytes, want exit 0 and the generator's %d bytes", format, code, errOut, len(out), want.Len())
		}
		path := filepath.Join(t.TempDir(), "gen.out")
		if code, _, _ := run(t, "", "gen", "--cases", "50", "--seed", "3", "--format", format, "-o", path); code != 0 {
			t.Fatalf("%s -o: exit %d", format, code)
		}
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s -o: the file differs from standard output (%v)", format, err)
		}
		code, out, _ = run(t, out, "validate", "--input-format", format, "-")
		if code != 0 || out != "50 records read: 50 valid, 0 refused for a data error\n" {
			t.Errorf("%s: validate exit %d: %s", format, code, out)
		}
	}
}

// TestGenRefusesBadFlags: no count, a count below one and an unknown format exit 2.
func TestGenRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"gen"}, "--cases 0: want 1 or more"},
		{[]string{"gen", "--cases", "-4"}, "--cases -4: want 1 or more"},
		{[]string{"gen", "--cases", "5", "--format", "ssd-csv"}, "-o: give the folder to write the tables in"},
		{[]string{"gen", "--cases", "5", "--format", "xml"}, `--format "xml": want case, cin-census or ssd-csv`},
	} {
		code, out, errOut := run(t, "", tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The overlay the command line's tests use (--pack), and the scenario whose conference is two
// working days late: two bank holidays in its window make it on time (--holidays).
const (
	overlayPack = "../cmd/wtcheck/testdata/overlay/local.yaml"
	icpcLate    = "../fixtures/scenarios/icpc-late/case.json"
	twoHolidays = "holidays: [2024-01-10, 2024-01-11]\n"
)

// TestRunPackAndHolidays: a local pack and extra bank holidays, given as bytes, give the
// counts --pack and --holidays give on the command line; and the engine of one run is not
// reused for a run with other files (the holidays change the verdict).
func TestRunPackAndHolidays(t *testing.T) {
	hols := filepath.Join(t.TempDir(), "hols.yaml")
	if err := os.WriteFile(hols, []byte(twoHolidays), 0o644); err != nil {
		t.Fatal(err)
	}
	pack := readFiles(t, overlayPack)
	holidays := []File{{Name: "hols.yaml", Data: []byte(twoHolidays)}}
	for _, tc := range []struct {
		name    string
		opts    Options
		files   []string
		args    []string
		breach  int // the breaches the page counts: the holidays' effect seen
		inPacks string
	}{
		{"pack in force", Options{Editions: []string{"in-force"}, Packs: pack}, sampleFiles,
			[]string{"--edition", "in-force", "--pack", overlayPack, sampleDir}, 45, "la-e09000099"},
		{"pack alone", Options{Packs: pack}, sampleFiles, []string{"--pack", overlayPack, sampleDir}, 221, "la-e09000099"},
		{"no holidays", Options{}, []string{icpcLate}, []string{"--edition", "in-force", icpcLate}, 1, "wt2023"},
		{"holidays", Options{Holidays: holidays}, []string{icpcLate}, []string{"--edition", "in-force", "--holidays", hols, icpcLate}, 0, "wt2023"},
		{"no holidays again", Options{}, []string{icpcLate}, []string{"--edition", "in-force", icpcLate}, 1, "wt2023"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Run(tc.opts, readFiles(t, tc.files...), nil)
			if err != nil {
				t.Fatal(err)
			}
			got := pageSummary(t, res)
			sameSummary(t, tc.name, got, cliSummary(t, tc.args...))
			if got.Findings["breach"] != tc.breach {
				t.Errorf("%d breaches, want %d", got.Findings["breach"], tc.breach)
			}
			var ids []string
			for _, p := range res.Audit.Report.Packs {
				ids = append(ids, p.ID)
			}
			if !strings.Contains(strings.Join(ids, ","), tc.inPacks) {
				t.Errorf("packs %q, want %s among them", ids, tc.inPacks)
			}
		})
	}
}

// TestRunRefusesLocalFiles: a pack or holiday file past the command line's bound, or one that
// is not a pack, is refused, naming the file.
func TestRunRefusesLocalFiles(t *testing.T) {
	sample := readFiles(t, icpcLate)
	big := make([]byte, 4<<20+1)
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"large pack", Options{Packs: []File{{Name: "big.yaml", Data: big}}}, "read pack big.yaml: larger than 4 MiB"},
		{"large holidays", Options{Holidays: []File{{Name: "hols.yaml", Data: big[:1<<20+1]}}}, "read holidays hols.yaml: larger than 1 MiB"},
		{"not a pack", Options{Packs: []File{{Name: "notes.yaml", Data: []byte("just: notes\n")}}}, "notes.yaml"},
		{"not holidays", Options{Holidays: []File{{Name: "h.yaml", Data: []byte("holidays: [tuesday]\n")}}}, "h.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(tc.opts, sample, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

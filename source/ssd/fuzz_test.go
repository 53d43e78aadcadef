package ssd_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source/ssd"
)

// FuzzFolder: whatever a table's file holds, the reader does not panic, and each record it
// gives is a case or an error (or the folder is refused as a whole).
func FuzzFolder(f *testing.F) {
	for _, name := range []string{"ssd_person.csv", "ssd_cin_episodes.csv", "ssd_cp_visits.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", "quirks", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data), string(data))
	}
	f.Add("pers_person_id;pers_dob;pers_expected_dob\nP-1;01/02/2024 2:30 PM;\x00\n", "cine_referral_id,cine_person_id\n")
	f.Fuzz(func(t *testing.T, person, visits string) {
		dir := t.TempDir()
		episodes, err := os.ReadFile(filepath.Join("testdata", "quirks", "ssd_cin_episodes.csv"))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "ssd_person.csv"), []byte(person), 0o644)
		os.WriteFile(filepath.Join(dir, "ssd_cin_episodes.csv"), episodes, 0o644)
		os.WriteFile(filepath.Join(dir, "ssd_cp_visits.csv"), []byte(visits), 0o644)
		r, err := ssd.OpenDir(dir, ssd.Options{ExtractDate: record.MustDate("2024-06-30"), SortMemory: 64})
		if err != nil {
			return
		}
		defer r.Close()
		_ = r.Read(func(rec ssd.Record) error {
			if (rec.Case == nil) == (rec.Err == nil) {
				t.Fatalf("record %d (%s) is both or neither a case and an error", rec.Index, rec.PersonID)
			}
			return nil
		})
	})
}

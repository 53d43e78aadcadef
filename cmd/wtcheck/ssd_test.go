package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/wtcheck/wtcheck/internal/pgtest"
	"github.com/wtcheck/wtcheck/source/ssd"
)

const ssdSample = "../../fixtures/ssd-sample"

// loadSSD loads the CSV tables of dir into a new database of a throwaway PostgreSQL (the
// text NULL read as null, as the source reads it), sets up the read-only role of
// docs/ssd-postgres-role.sql with its password in PGPASSWORD, and returns the role's URL and
// the admin connection.
func loadSSD(t *testing.T, dir string) (string, *pgx.Conn) {
	t.Helper()
	s := pgtest.Start(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, s.CreateDatabase(t, "ssd"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close(context.Background()) })
	if _, err := admin.Exec(ctx, pgtest.SSDSchema); err != nil {
		t.Fatal(err)
	}
	for _, table := range ssd.Tables() {
		data, err := os.ReadFile(filepath.Join(dir, table+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		for _, row := range rows {
			for i, v := range row {
				if v == "NULL" {
					row[i] = ""
				}
			}
			w.Write(row)
		}
		w.Flush()
		q := "COPY " + table + " (" + strings.Join(rows[0], ", ") + ") FROM STDIN WITH (FORMAT csv, HEADER true)"
		if _, err := admin.PgConn().CopyFrom(ctx, &buf, q); err != nil {
			t.Fatalf("load %s: %v", table, err)
		}
	}
	role, err := os.ReadFile("../../docs/ssd-postgres-role.sql")
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 16)
	rand.Read(b)
	password := hex.EncodeToString(b)
	for _, sql := range []string{string(role), "ALTER ROLE wtcheck_reader PASSWORD '" + password + "'", "ALTER DATABASE ssd SET DateStyle = 'SQL, DMY'"} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "no-pgpass"))
	t.Setenv("PGPASSWORD", password)
	return s.URL("wtcheck_reader", "ssd"), admin
}

func runSSD(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := execute(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestPostgresCheckEqualsFolder is the "done when" through the command line: the
// sample SSD folder, loaded into PostgreSQL, gives a JSON report (findings, summary and the
// system's due dates) byte for byte the folder's, in every edition; and a database without a
// table's column stops the check with exit 2 before anything is checked.
func TestPostgresCheckEqualsFolder(t *testing.T) {
	url, admin := loadSSD(t, ssdSample)
	for _, edition := range []string{"2018", "2023"} {
		args := []string{"check", "--format", "json", "--input-format", "ssd", "--as-of", "2024-12-31", "--edition", edition}
		codeCSV, fromCSV, errCSV := runSSD(append(args, ssdSample)...)
		codeDB, fromDB, errDB := runSSD(append(args, url)...)
		if codeCSV != 1 || codeDB != 1 {
			t.Fatalf("exit %d from the folder (%s), %d from the database (%s); want 1 (breaches)", codeCSV, errCSV, codeDB, errDB)
		}
		if fromCSV != fromDB {
			t.Fatalf("edition %s: the reports differ:\n%s", edition, firstDifference(fromCSV, fromDB))
		}
		if !strings.Contains(fromDB, `"due_dates"`) || !strings.Contains(fromDB, `"rule": "cp-visit-interval"`) {
			t.Fatalf("edition %s: the report has no due dates or visit findings", edition)
		}
	}
	if _, err := admin.Exec(context.Background(), "ALTER TABLE ssd_cp_visits DROP COLUMN cppv_cp_visit_seen"); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runSSD("check", "--input-format", "ssd", url)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "no column ssd_cp_visits.cppv_cp_visit_seen") {
		t.Fatalf("a missing column: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if strings.Contains(stderr, os.Getenv("PGPASSWORD")) {
		t.Fatal("the password is in the error")
	}
	code, _, stderr = runSSD("check", "--input-format", "ssd", strings.Replace(url, "wtcheck_reader@", "wtcheck_reader:pw@", 1))
	if code != 2 || !strings.Contains(stderr, "the URL holds a password") {
		t.Fatalf("a password in the URL: exit %d, %s", code, stderr)
	}
}

// TestSSDFolderMissingTable: a folder without ssd_cp_visits.csv is checked, and standard error
// says which rules its absence costs; the visit rule gives insufficient_data. A folder
// without ssd_person.csv stops the check with exit 2.
func TestSSDFolderMissingTable(t *testing.T) {
	dir := t.TempDir()
	entries, err := os.ReadDir(ssdSample)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "ssd_cp_visits.csv" {
			continue
		}
		data, _ := os.ReadFile(filepath.Join(ssdSample, e.Name()))
		os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644)
	}
	code, stdout, stderr := runSSD("check", "--input-format", "ssd", "--as-of", "2024-12-31", "--edition", "2023", "--show", "insufficient_data", "--format", "csv", dir)
	want := "wtcheck: " + dir + " has no ssd_cp_visits: its facts are read as not recordable, so cp-visit-interval gives insufficient_data\n"
	if code != 1 || !strings.HasPrefix(stderr, want) {
		t.Fatalf("exit %d, stderr:\n%s\nwant it to begin:\n%s", code, stderr, want)
	}
	if !strings.Contains(stdout, "cp-visit-interval") || !strings.Contains(stdout, "plans.visits") {
		t.Fatalf("cp-visit-interval is not insufficient_data for lack of plans.visits:\n%s", stdout)
	}
	os.Remove(filepath.Join(dir, "ssd_person.csv"))
	code, stdout, stderr = runSSD("check", "--input-format", "ssd", dir)
	if code != 2 || stdout != "" || stderr != "wtcheck: open ssd folder "+dir+": no ssd_person.csv: every case is built from these tables\n" {
		t.Fatalf("no ssd_person.csv: exit %d, %q, %q", code, stdout, stderr)
	}
}

// TestDfEAPICheck: a payload of a full child, a purge and a partial payload: the full child is
// checked; the other two are reported, not checked, and counted as skipped.
func TestDfEAPICheck(t *testing.T) {
	code, stdout, stderr := runSSD("check", "--input-format", "dfe-api", "--as-of", "2024-12-31", "--edition", "2023", "testdata/dfeapi/payload.json")
	wantErrs := []string{
		"testdata/dfeapi/payload.json record 2 (C2): not checked: a purge: a notice that the child's record is to be deleted, not a record to check",
		"testdata/dfeapi/payload.json record 3 (C3): not checked: a partial payload (changed fields only, no top-level purge key): check the full payload, which holds the unchanged episodes too",
	}
	for _, w := range wantErrs {
		if !strings.Contains(stdout, w) {
			t.Errorf("no %q in:\n%s", w, stdout)
		}
	}
	if code != 1 || !strings.Contains(stdout, "1 case checked as at 2024-12-31 (3 records read, 2 skipped)") {
		t.Fatalf("exit %d:\n%s\n%s", code, stdout, stderr)
	}
	for _, rule := range []string{"icpc-timeliness", "assessment-timeliness"} {
		if !strings.Contains(stdout, rule) {
			t.Errorf("no finding of %s:\n%s", rule, stdout)
		}
	}
}

// TestSSDAuditReport: the audit report of the SSD sample has the section of the system's due
// dates that differ from the guidance.
func TestSSDAuditReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ssd.html")
	code, _, stderr := runSSD("report", "--input-format", "ssd", "--as-of", "2024-12-31", "--edition", "2023", "-o", out, ssdSample)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<section id="due-dates"`, "SSD-00004 2023 icpc-timeliness SSD-00004.R1.S1: the system&#39;s due date 2024-01-17, the guidance&#39;s 2024-01-24 (7 days earlier)"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

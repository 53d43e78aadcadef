//go:build !js

package ssd_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/wtcheck/wtcheck/internal/pgtest"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
	"github.com/wtcheck/wtcheck/source/ssd"
	"github.com/wtcheck/wtcheck/source/ssd/ssdgen"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// ssdDatabase starts a throwaway PostgreSQL, creates the SSD tables, loads the CSV files of
// dir into them with COPY, sets up the read-only role of docs/ssd-postgres-role.sql with its
// password in PGPASSWORD (and no .pgpass), and sets the database's DateStyle to a site's
// day-first style. It returns the server, the admin connection and the reader's URL.
func ssdDatabase(t *testing.T, dir string) (*pgtest.Server, *pgx.Conn, string) {
	t.Helper()
	s := pgtest.Start(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, s.CreateDatabase(t, "ssd"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close(context.Background()) })
	exec := func(sql string) {
		t.Helper()
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	exec(pgtest.SSDSchema)
	for _, table := range ssd.Tables() {
		f, err := os.Open(filepath.Join(dir, table+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		q := "COPY " + table + " (" + strings.Join(ssd.Columns(table), ", ") + ") FROM STDIN WITH (FORMAT csv, HEADER true)"
		_, err = admin.PgConn().CopyFrom(ctx, f, q)
		f.Close()
		if err != nil {
			t.Fatalf("load %s: %v", table, err)
		}
	}
	role, err := os.ReadFile("../../docs/ssd-postgres-role.sql")
	if err != nil {
		t.Fatal(err)
	}
	exec(string(role))
	b := make([]byte, 16)
	rand.Read(b)
	password := hex.EncodeToString(b)
	exec("ALTER ROLE wtcheck_reader PASSWORD '" + password + "'")
	exec("ALTER DATABASE ssd SET DateStyle = 'SQL, DMY'")
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "no-pgpass"))
	t.Setenv("PGPASSWORD", password)
	return s, admin, s.URL("wtcheck_reader", "ssd")
}

// TestPostgresGivesTheCSVRecords is the "done when": the same synthetic records,
// written as SSD CSV and loaded into PostgreSQL, read back as identical case records (so
// byte-identical findings), and the CSV's equal the original records' on every rule the
// SSD can judge (TestRoundTripGivesTheOriginalFindings).
func TestPostgresGivesTheCSVRecords(t *testing.T) {
	cases := ssdgen.Synthetic(120, 7, extract)
	dir := writeSSD(t, cases, ssdgen.Options{Times: true})
	_, _, url := ssdDatabase(t, dir)

	r, err := ssd.OpenDir(dir, ssd.Options{ExtractDate: extract})
	if err != nil {
		t.Fatal(err)
	}
	fromCSV := readAll(t, r)
	db, err := ssd.OpenPostgres(context.Background(), url, ssd.Options{ExtractDate: extract})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(db.Name(), os.Getenv("PGPASSWORD")) {
		t.Fatal("the reader's name holds the password")
	}
	fromDB := readAll(t, db)
	if len(fromDB) != len(cases) || len(fromCSV) != len(cases) {
		t.Fatalf("read %d records from the database, %d from CSV; want %d", len(fromDB), len(fromCSV), len(cases))
	}
	engine, err := rules.Engine()
	if err != nil {
		t.Fatal(err)
	}
	for i := range cases {
		a, b := fromCSV[i], fromDB[i]
		if a.Err != nil || b.Err != nil {
			t.Fatalf("record %d: csv %v, database %v", i+1, a.Err, b.Err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Fatalf("record %d differs:\ncsv      %s\ndatabase %s", i+1, ja, jb)
		}
		fa, _ := engine.Check(a.Case, record.Date{})
		fb, _ := engine.Check(b.Case, record.Date{})
		ja, _ = json.Marshal(fa)
		jb, _ = json.Marshal(fb)
		if string(ja) != string(jb) {
			t.Fatalf("findings of record %d differ", i+1)
		}
	}
}

// TestPostgresRefusesAndNames covers what stops a database run before anything is checked:
// a password in the URL, a table without a column the source reads, a missing required
// table; and a missing optional table, which is named and read as lacking.
func TestPostgresRefusesAndNames(t *testing.T) {
	dir := writeSSD(t, ssdgen.Synthetic(3, 1, extract), ssdgen.Options{})
	_, admin, url := ssdDatabase(t, dir)
	ctx := context.Background()
	open := func() (*ssd.Reader, error) { return ssd.OpenPostgres(ctx, url, ssd.Options{ExtractDate: extract}) }

	withPassword := strings.Replace(url, "wtcheck_reader@", "wtcheck_reader:secret@", 1)
	if _, err := ssd.OpenPostgres(ctx, withPassword, ssd.Options{}); err == nil || strings.Contains(err.Error(), "secret") ||
		!strings.Contains(err.Error(), "PGPASSWORD") {
		t.Fatalf("a password in the URL: %v", err)
	}

	if _, err := admin.Exec(ctx, "DROP TABLE ssd_cp_visits"); err != nil {
		t.Fatal(err)
	}
	r, err := open()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(r.Missing, ",") != "ssd_cp_visits" {
		t.Fatalf("missing %v; want ssd_cp_visits", r.Missing)
	}
	for _, rec := range readAll(t, r) {
		if rec.Case == nil || !strings.Contains(strings.Join(rec.Case.Provenance.Lacks, ","), "plans.visits") {
			t.Fatalf("record %s does not lack plans.visits", rec.PersonID)
		}
	}

	if _, err := admin.Exec(ctx, "ALTER TABLE ssd_cp_reviews RENAME COLUMN cppr_cp_review_due TO cppr_review_due"); err != nil {
		t.Fatal(err)
	}
	_, err = open()
	want := "no column ssd_cp_reviews.cppr_cp_review_due"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("a renamed column: %v; want %q", err, want)
	}

	if _, err := admin.Exec(ctx, "DROP TABLE ssd_person"); err != nil {
		t.Fatal(err)
	}
	_, err = open()
	if err == nil || !strings.Contains(err.Error(), "no table ssd_person") {
		t.Fatalf("no ssd_person: %v", err)
	}
}

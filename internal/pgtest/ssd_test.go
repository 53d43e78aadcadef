package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ssdRows are synthetic SSD rows (no real child): three people and a visit whose person is
// missing, with the quirks of real extracts: datetimes with a time of day, 1900-01-01 for
// "no date", outcome JSON in both the System C and the Eclipse key spellings, persons
// inserted out of order. Columns not listed are NULL.
const ssdRows = `
INSERT INTO ssd_person (pers_person_id, pers_forename, pers_dob, pers_expected_dob) VALUES
    ('P-2', 'Synthetic', NULL, '2024-05-20 00:00:00'),
    ('P-1', 'Synthetic', '2015-06-01 00:00:00', NULL),
    ('P-3', 'Synthetic', '2010-03-03 00:00:00', NULL);

INSERT INTO ssd_cin_episodes (cine_referral_id, cine_person_id, cine_referral_date, cine_referral_source_code,
                              cine_referral_outcome_json, cine_referral_nfa, cine_close_date) VALUES
    ('R-10', 'P-1', '2024-01-02 08:15:00', '5A',
     '{"SINGLE_ASSESSMENT_FLAG": "Y", "STRATEGY_DISCUSSION_FLAG": "Y", "CLA_REQUEST_FLAG": "N", "NUMBER_OF_OUTCOMES": 2, "COMMENTS": ""}', 'N', NULL),
    ('R-20', 'P-2', '2024-02-10 00:00:00', '1B',
     '{"OUTCOME_SINGLE_ASSESSMENT_FLAG": "Y", "OUTCOME_NFA_FLAG": "N", "OUTCOME_STRATEGY_DISCUSSION_FLAG": "N"}', 'N', NULL),
    ('R-30', 'P-3', '2024-02-26 11:00:00', '6', NULL, 'Y', '2024-03-01 17:20:00');

INSERT INTO ssd_cin_assessments (cina_assessment_id, cina_person_id, cina_referral_id, cina_assessment_start_date,
                                 cina_assessment_child_seen, cina_assessment_auth_date) VALUES
    ('A-10', 'P-1', 'R-10', '2024-01-03 10:00:00', 'Y', NULL),
    ('A-20', 'P-2', 'R-20', '2024-02-12 00:00:00', 'N', '1900-01-01 00:00:00');

INSERT INTO ssd_s47_enquiry (s47e_s47_enquiry_id, s47e_referral_id, s47e_person_id, s47e_s47_start_date,
                             s47e_s47_end_date, s47e_s47_nfa, s47e_s47_outcome_json) VALUES
    ('S-10', 'R-10', 'P-1', '2024-01-04 00:00:00', '2024-01-18 00:00:00', 'N',
     '{"NFA_FLAG": "N", "CP_CONFERENCE_FLAG": "Y", "TOTAL_NO_OF_OUTCOMES": 1, "OUTCOME_COMMENTS": ""}');

INSERT INTO ssd_initial_cp_conference (icpc_icpc_id, icpc_s47_enquiry_id, icpc_person_id, icpc_cp_plan_id,
                                       icpc_referral_id, icpc_icpc_transfer_in, icpc_icpc_target_date,
                                       icpc_icpc_date, icpc_icpc_outcome_cp_flag) VALUES
    ('K-10', 'S-10', 'P-1', 'CP-10', 'R-10', 'N', '2024-01-25 00:00:00', '2024-01-29 13:00:00', 'Y');

INSERT INTO ssd_cp_plans (cppl_cp_plan_id, cppl_referral_id, cppl_icpc_id, cppl_person_id,
                          cppl_cp_plan_start_date, cppl_cp_plan_end_date, cppl_cp_plan_latest_category) VALUES
    ('CP-10', 'R-10', 'K-10', 'P-1', '2024-01-29 00:00:00', NULL, 'Neglect');

INSERT INTO ssd_cp_reviews (cppr_cp_review_id, cppr_person_id, cppr_cp_plan_id, cppr_cp_review_due,
                            cppr_cp_review_date, cppr_cp_review_outcome_continue_cp) VALUES
    ('CPR-10', 'P-1', 'CP-10', '2024-04-29 00:00:00', '2024-04-22 10:30:00', 'Y');

INSERT INTO ssd_cp_visits (cppv_cp_visit_id, cppv_person_id, cppv_cp_plan_id, cppv_cp_visit_date,
                           cppv_cp_visit_seen, cppv_cp_visit_seen_alone) VALUES
    ('V-12', 'P-1', 'CP-10', '2024-02-20 16:45:00', 'Y', 'Y'),
    ('V-90', 'P-9', 'CP-90', '2024-02-02 09:00:00', 'Y', 'N'),
    ('V-10', 'P-1', 'CP-10', '2024-02-01 14:30:00', 'Y', 'N'),
    ('V-11', 'P-1', 'CP-10', '2024-02-14 09:00:00', 'N', NULL);

INSERT INTO ssd_cin_plans (cinp_cin_plan_id, cinp_referral_id, cinp_person_id, cinp_cin_plan_start_date,
                           cinp_cin_plan_end_date) VALUES
    ('CINP-20', 'R-20', 'P-2', '2024-03-01 00:00:00', NULL);

INSERT INTO ssd_cin_visits (cinv_cin_visit_id, cinv_person_id, cinv_cin_visit_date, cinv_cin_visit_seen,
                            cinv_cin_visit_seen_alone) VALUES
    ('CV-21', 'P-2', '2024-03-20 15:00:00', 'Y', 'N');

INSERT INTO ssd_early_help_episodes (earl_episode_id, earl_person_id, earl_episode_start_date,
                                     earl_episode_end_date, earl_episode_reason) VALUES
    ('EH-20', 'P-2', '2023-11-01 00:00:00', '2024-01-15 00:00:00', 'Synthetic');

INSERT INTO ssd_disability (disa_table_id, disa_person_id, disa_disability_code) VALUES
    ('D-1', 'P-1', 'NONE'),
    ('D-2', 'P-2', 'AUT'),
    ('D-3', 'P-2', 'LD');
`

// TestPostgresSSDReadBack loads the SSD schema and synthetic rows, applies the read-only
// role of docs/ssd-postgres-role.sql, and reads the rows back as that role the way the SSD
// source is to: in one REPEATABLE READ READ ONLY transaction, every table ordered by person
// id, streamed, with server-side cursors merged person by person.
func TestPostgresSSDReadBack(t *testing.T) {
	s := Start(t)
	admin := connect(t, s.CreateDatabase(t, "ssd"))
	ctx := context.Background()
	mustExec(t, admin, SSDSchema)
	mustExec(t, admin, ssdRows)
	password := setUpReader(t, admin)
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "no-pgpass"))
	t.Setenv("PGPASSWORD", password)
	// A site's database may write timestamps in another style: the reader asks for ISO
	// for its own session, in the connection's start-up parameters, which take precedence
	// over the database's and the role's settings.
	mustExec(t, admin, "ALTER DATABASE ssd SET DateStyle = 'SQL, DMY'")
	var siteStyle string
	if err := connect(t, s.ConnString("ssd")).QueryRow(ctx, "SELECT '2024-02-01 14:30:00'::timestamp::text").Scan(&siteStyle); err != nil {
		t.Fatal(err)
	}
	if siteStyle != "01/02/2024 14:30:00" {
		t.Fatalf("the site's DateStyle writes %q; want 01/02/2024 14:30:00", siteStyle)
	}
	cfg, err := pgx.ParseConfig(s.URL("wtcheck_reader", "ssd"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["DateStyle"] = "ISO, YMD"
	reader, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close(ctx)

	tx, err := reader.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var iso, ro string
	if err := tx.QueryRow(ctx, "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')").Scan(&iso, &ro); err != nil {
		t.Fatal(err)
	}
	if iso != "repeatable read" || ro != "on" {
		t.Fatalf("transaction is %q, read only %q; want repeatable read, on", iso, ro)
	}

	// One table streamed with Query: rows come as the server sends them, never all at
	// once. Every column is read as text, the form a CSV export has, so that one parser
	// serves both sources; ORDER BY ... COLLATE "C" orders ids by their bytes, as Go
	// compares strings, whatever the database's collation.
	rows, err := tx.Query(ctx, `
		SELECT cppv_person_id::text, cppv_cp_visit_id::text, cppv_cp_plan_id::text, cppv_cp_visit_date::text,
		       cppv_cp_visit_seen::text, cppv_cp_visit_seen_alone::text
		FROM ssd_cp_visits
		ORDER BY cppv_person_id COLLATE "C", cppv_cp_visit_date, cppv_cp_visit_id COLLATE "C"`)
	if err != nil {
		t.Fatal(err)
	}
	var visits []string
	for rows.Next() {
		var cols [6]*string
		if err := rows.Scan(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]); err != nil {
			t.Fatal(err)
		}
		visits = append(visits, joinNullable(cols[:]))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	wantVisits := []string{
		"P-1|V-10|CP-10|2024-02-01 14:30:00|Y|N",
		"P-1|V-11|CP-10|2024-02-14 09:00:00|N|NULL",
		"P-1|V-12|CP-10|2024-02-20 16:45:00|Y|Y",
		"P-9|V-90|CP-90|2024-02-02 09:00:00|Y|N",
	}
	if !reflect.DeepEqual(visits, wantVisits) {
		t.Errorf("ssd_cp_visits read back:\n got %q\nwant %q", visits, wantVisits)
	}

	// A visit recorded after the transaction's snapshot (taken at its first query) is not
	// seen by it: the whole read is of one moment, however long it takes.
	mustExec(t, admin, `INSERT INTO ssd_cp_visits (cppv_cp_visit_id, cppv_person_id, cppv_cp_plan_id, cppv_cp_visit_date, cppv_cp_visit_seen)
		VALUES ('V-13', 'P-1', 'CP-10', '2024-03-01 10:00:00', 'Y')`)
	var inTx, outside int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM ssd_cp_visits").Scan(&inTx); err != nil {
		t.Fatal(err)
	}
	if err := admin.QueryRow(ctx, "SELECT count(*) FROM ssd_cp_visits").Scan(&outside); err != nil {
		t.Fatal(err)
	}
	if inTx != 4 || outside != 5 {
		t.Errorf("visits counted: %d in the transaction, %d outside; want 4 (the snapshot) and 5", inTx, outside)
	}

	// Several tables at once on one connection (one snapshot): one cursor each, fetched
	// a few rows at a time and merged by person id, so memory holds one person's rows
	// and a batch per table. Two batches are small on purpose, to cross batch edges.
	people := openCursor(t, tx, "people", 2, `SELECT pers_person_id::text, pers_dob::text, pers_expected_dob::text
		FROM ssd_person ORDER BY pers_person_id COLLATE "C"`)
	referrals := openCursor(t, tx, "referrals", 2, `SELECT cine_person_id::text, cine_referral_id::text, cine_referral_date::text,
		cine_referral_outcome_json::text, cine_referral_nfa::text, cine_close_date::text
		FROM ssd_cin_episodes ORDER BY cine_person_id COLLATE "C", cine_referral_date, cine_referral_id COLLATE "C"`)
	assessments := openCursor(t, tx, "assessments", 100, `SELECT cina_person_id::text, cina_assessment_id::text, cina_referral_id::text,
		cina_assessment_start_date::text, cina_assessment_child_seen::text, cina_assessment_auth_date::text
		FROM ssd_cin_assessments ORDER BY cina_person_id COLLATE "C", cina_assessment_start_date, cina_assessment_id COLLATE "C"`)
	cpVisits := openCursor(t, tx, "cp_visits", 1, `SELECT cppv_person_id::text, cppv_cp_visit_id::text, cppv_cp_visit_date::text
		FROM ssd_cp_visits ORDER BY cppv_person_id COLLATE "C", cppv_cp_visit_date, cppv_cp_visit_id COLLATE "C"`)
	disabilities := openCursor(t, tx, "disabilities", 100, `SELECT disa_person_id::text, disa_disability_code::text
		FROM ssd_disability ORDER BY disa_person_id COLLATE "C", disa_disability_code COLLATE "C"`)

	var got, orphans []string
	for {
		person := people.next(t)
		if person == nil {
			break
		}
		id := *person[0]
		line := "person " + joinNullable(person)
		for _, c := range []*cursor{referrals, assessments, cpVisits, disabilities} {
			for _, r := range c.takeUpTo(t, id) {
				if r[0] == nil || *r[0] != id {
					orphans = append(orphans, c.name+" "+joinNullable(r))
					continue
				}
				line += "; " + c.name + " " + joinNullable(r[1:])
			}
		}
		got = append(got, line)
	}
	for _, c := range []*cursor{referrals, assessments, cpVisits, disabilities} {
		for _, r := range c.takeUpTo(t, "") {
			orphans = append(orphans, c.name+" "+joinNullable(r))
		}
	}
	want := []string{
		"person P-1|2015-06-01 00:00:00|NULL" +
			`; referrals R-10|2024-01-02 08:15:00|{"SINGLE_ASSESSMENT_FLAG": "Y", "STRATEGY_DISCUSSION_FLAG": "Y", "CLA_REQUEST_FLAG": "N", "NUMBER_OF_OUTCOMES": 2, "COMMENTS": ""}|N|NULL` +
			"; assessments A-10|R-10|2024-01-03 10:00:00|Y|NULL" +
			"; cp_visits V-10|2024-02-01 14:30:00; cp_visits V-11|2024-02-14 09:00:00; cp_visits V-12|2024-02-20 16:45:00" +
			"; disabilities NONE",
		"person P-2|NULL|2024-05-20 00:00:00" +
			`; referrals R-20|2024-02-10 00:00:00|{"OUTCOME_SINGLE_ASSESSMENT_FLAG": "Y", "OUTCOME_NFA_FLAG": "N", "OUTCOME_STRATEGY_DISCUSSION_FLAG": "N"}|N|NULL` +
			"; assessments A-20|R-20|2024-02-12 00:00:00|N|1900-01-01 00:00:00" +
			"; disabilities AUT; disabilities LD",
		"person P-3|2010-03-03 00:00:00|NULL" +
			"; referrals R-30|2024-02-26 11:00:00|NULL|Y|2024-03-01 17:20:00",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("people merged from the cursors:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	// The visit of a person the SSD does not have is found, not lost, and V-13, committed
	// after the snapshot, is in neither list.
	if wantOrphans := []string{"cp_visits P-9|V-90|2024-02-02 09:00:00"}; !reflect.DeepEqual(orphans, wantOrphans) {
		t.Errorf("rows of no person: got %q, want %q", orphans, wantOrphans)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestPostgresSSDReaderCannotWrite checks the role of docs/ssd-postgres-role.sql: it reads
// the granted columns and nothing else, cannot write even after turning off its read-only
// default, and logs in only with its password, taken from PGPASSWORD or a .pgpass file.
func TestPostgresSSDReaderCannotWrite(t *testing.T) {
	s := Start(t)
	admin := connect(t, s.CreateDatabase(t, "ssd"))
	ctx := context.Background()
	mustExec(t, admin, SSDSchema)
	mustExec(t, admin, ssdRows)
	mustExec(t, admin, `CREATE TABLE ssd_professionals (prof_professional_id varchar(48) PRIMARY KEY, prof_professional_name varchar(300))`)
	password := setUpReader(t, admin)
	readerURL := s.URL("wtcheck_reader", "ssd")
	if strings.Contains(readerURL, password) {
		t.Fatal("the connection URL holds the password")
	}

	// No password anywhere: refused.
	t.Setenv("PGPASSWORD", "")
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "no-pgpass"))
	if conn, err := pgx.Connect(ctx, readerURL); err == nil {
		conn.Close(ctx)
		t.Fatal("wtcheck_reader logged in with no password")
	} else if code := sqlState(err); code != "28P01" {
		t.Fatalf("log in with no password: %v (SQLSTATE %q); want 28P01, password authentication failed", err, code)
	}
	// From a .pgpass file; for a Unix socket its host field is "localhost", as for libpq.
	pgpass := filepath.Join(t.TempDir(), "pgpass")
	if err := os.WriteFile(pgpass, []byte("localhost:5432:ssd:wtcheck_reader:"+password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSFILE", pgpass)
	connect(t, readerURL)
	// From PGPASSWORD.
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "no-pgpass"))
	t.Setenv("PGPASSWORD", password)
	reader := connect(t, readerURL)

	var ro string
	if err := reader.QueryRow(ctx, "SHOW transaction_read_only").Scan(&ro); err != nil {
		t.Fatal(err)
	}
	if ro != "on" {
		t.Errorf("a new session of wtcheck_reader has transaction_read_only %q; want on", ro)
	}
	const readOnly, denied = "25006", "42501" // read_only_sql_transaction, insufficient_privilege
	insert := `INSERT INTO ssd_cp_visits (cppv_cp_visit_id, cppv_person_id) VALUES ('V-99', 'P-1')`
	if code := execState(reader, insert); code != readOnly {
		t.Errorf("insert in the default transaction: SQLSTATE %q; want %s (read-only transaction)", code, readOnly)
	}
	// The read-only default is only a guard: a session may turn it off. Then the
	// privileges refuse every write.
	mustExec(t, reader, "SET default_transaction_read_only = off")
	for _, stmt := range []string{
		insert,
		`UPDATE ssd_person SET pers_dob = NULL`,
		`DELETE FROM ssd_cin_episodes`,
		`TRUNCATE ssd_disability`,
		`CREATE TABLE public.wtcheck_scratch (i int)`,
		`CREATE SCHEMA wtcheck_scratch`,
		`ALTER TABLE ssd_cp_plans ADD COLUMN x int`,
		`DROP TABLE ssd_cp_reviews`,
		`GRANT SELECT ON ssd_person TO PUBLIC`,
		// Reading beyond the grant: a column wtcheck does not need, a table not the SSD's.
		`SELECT pers_forename FROM ssd_person`,
		`SELECT * FROM ssd_person`,
		`SELECT prof_professional_name FROM ssd_professionals`,
	} {
		if code := execState(reader, stmt); code != denied {
			t.Errorf("%s: SQLSTATE %q; want %s (permission denied)", stmt, code, denied)
		}
	}
	var n int
	if err := admin.QueryRow(ctx, "SELECT (SELECT count(*) FROM ssd_cp_visits) + (SELECT count(*) FROM ssd_person WHERE pers_dob IS NULL)").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 4+1 {
		t.Errorf("after the refused writes the tables hold %d visits plus persons without a birth date; want 4 + 1 (unchanged)", n)
	}
	// Every column the role grants is readable, in every table.
	for table, cols := range grantedColumns(t, admin) {
		if code := execState(reader, "SELECT "+strings.Join(cols, ", ")+" FROM "+table); code != "" {
			t.Errorf("read the granted columns of %s: SQLSTATE %q", table, code)
		}
	}
}

// setUpReader runs docs/ssd-postgres-role.sql as the superuser and gives wtcheck_reader a
// random password, as a DBA would with \password.
func setUpReader(t *testing.T, admin *pgx.Conn) string {
	t.Helper()
	role, err := os.ReadFile(filepath.Join("..", "..", "docs", "ssd-postgres-role.sql"))
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, admin, string(role))
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	password := hex.EncodeToString(b) // hex: safe to write into the statement
	mustExec(t, admin, "ALTER ROLE wtcheck_reader PASSWORD '"+password+"'")
	return password
}

// grantedColumns returns the columns wtcheck_reader may read, by table, and checks that
// they are all in the SSD tables: the role file grants nothing else.
func grantedColumns(t *testing.T, admin *pgx.Conn) map[string][]string {
	t.Helper()
	rows, err := admin.Query(context.Background(), `
		SELECT table_name::text, column_name::text FROM information_schema.column_privileges
		WHERE grantee = 'wtcheck_reader' AND privilege_type = 'SELECT'
		ORDER BY table_name, column_name`)
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		cols[table] = append(cols[table], col)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, table := range SSDTables {
		if len(cols[table]) == 0 {
			t.Errorf("wtcheck_reader may read nothing of %s", table)
		}
	}
	if len(cols) != len(SSDTables) {
		t.Errorf("wtcheck_reader may read %d tables; want the %d SSD tables", len(cols), len(SSDTables))
	}
	return cols
}

// cursor is a server-side cursor read a batch at a time: the first column of each row is
// the person id it is ordered by.
type cursor struct {
	tx    pgx.Tx
	name  string
	batch int
	rows  [][]*string
	done  bool
}

func openCursor(t *testing.T, tx pgx.Tx, name string, batch int, query string) *cursor {
	t.Helper()
	if _, err := tx.Exec(context.Background(), "DECLARE "+name+" NO SCROLL CURSOR FOR "+query); err != nil {
		t.Fatalf("declare cursor %s: %v", name, err)
	}
	return &cursor{tx: tx, name: name, batch: batch}
}

// peek returns the next row without taking it, fetching a batch when the buffer is empty;
// nil at the end.
func (c *cursor) peek(t *testing.T) []*string {
	t.Helper()
	if len(c.rows) == 0 && !c.done {
		rows, err := c.tx.Query(context.Background(), fmt.Sprintf("FETCH FORWARD %d FROM %s", c.batch, c.name))
		if err != nil {
			t.Fatalf("fetch from %s: %v", c.name, err)
		}
		for rows.Next() {
			vals := rows.RawValues()
			row := make([]*string, len(vals))
			for i, v := range vals {
				if v != nil {
					s := string(v) // text format: every column was cast to text
					row[i] = &s
				}
			}
			c.rows = append(c.rows, row)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("fetch from %s: %v", c.name, err)
		}
		c.done = len(c.rows) < c.batch
	}
	if len(c.rows) == 0 {
		return nil
	}
	return c.rows[0]
}

func (c *cursor) next(t *testing.T) []*string {
	t.Helper()
	r := c.peek(t)
	if r != nil {
		c.rows = c.rows[1:]
	}
	return r
}

// takeUpTo takes the rows whose person id is at most id (every row left when id is ""):
// the rows of that person, and those of people before it, who are missing from
// ssd_person. Byte order, as the queries' COLLATE "C".
func (c *cursor) takeUpTo(t *testing.T, id string) [][]*string {
	t.Helper()
	var out [][]*string
	for {
		r := c.peek(t)
		if r == nil || (id != "" && r[0] != nil && *r[0] > id) {
			return out
		}
		out = append(out, c.next(t))
	}
}

func joinNullable(cols []*string) string {
	s := make([]string, len(cols))
	for i, c := range cols {
		if c == nil {
			s[i] = "NULL"
		} else {
			s[i] = *c
		}
	}
	return strings.Join(s, "|")
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func mustExec(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("exec: %v", err)
	}
}

// execState runs one statement (reading its rows, if any) and returns its SQLSTATE: ""
// when it succeeded.
func execState(conn *pgx.Conn, sql string) string {
	rows, err := conn.Query(context.Background(), sql)
	if err == nil {
		for rows.Next() {
		}
		rows.Close()
		err = rows.Err()
	}
	if err == nil {
		return ""
	}
	if code := sqlState(err); code != "" {
		return code
	}
	return "not a server error: " + err.Error()
}

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

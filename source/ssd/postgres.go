//go:build !js

package ssd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// fetchRows is how many rows of a table one FETCH brings: memory holds one batch per table.
const fetchRows = 500

// OpenPostgres opens the SSD tables in a PostgreSQL database, read-only, in one consistent
// snapshot: a REPEATABLE READ READ ONLY transaction, in which every table gets a server-side
// cursor ordered by person id (COLLATE "C", byte order, as Go compares), fetched a batch at
// a time and merged person by person by Read. The URL must not hold a password: pgx reads it
// from PGPASSWORD or a .pgpass file (PGPASSFILE), as psql does. Timestamps are asked for in
// ISO style (DateStyle in the start-up parameters, which no database or role setting
// overrides), so that they read as a CSV export's do. A database that cannot be reached, a
// missing required table (ssd_person, ssd_cin_episodes) or a table without a column the
// source reads is an error before any record is made.
func OpenPostgres(ctx context.Context, dbURL string, opts Options) (_ *Reader, err error) {
	name, err := safeName(dbURL)
	if err != nil {
		return nil, err
	}
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("open ssd database %s: %v", name, redactErr(err, dbURL))
	}
	cfg.RuntimeParams["DateStyle"] = "ISO, YMD"
	cfg.RuntimeParams["application_name"] = "wtcheck"
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 30 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open ssd database %s: %w", name, err)
	}
	r := &Reader{name: name, opts: opts}
	r.closers = append(r.closers, func() error { return conn.Close(context.Background()) })
	defer func() {
		if err != nil {
			r.Close()
		}
	}()
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("open ssd database %s: begin a read-only transaction: %w", name, err)
	}
	// Rolled back before the connection closes: the reader changed nothing.
	r.closers = append([]func() error{func() error {
		err := tx.Rollback(context.Background())
		if errors.Is(err, pgx.ErrTxClosed) {
			return nil
		}
		return err
	}}, r.closers...)
	var missingRequired, noColumn []string
	for i, t := range tables {
		var have []string
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, t.name).Scan(&exists); err != nil {
			return nil, fmt.Errorf("open ssd database %s: look for %s: %w", name, t.name, err)
		}
		if !exists {
			if t.required {
				missingRequired = append(missingRequired, t.name)
			} else {
				r.Missing = append(r.Missing, t.name)
			}
			continue
		}
		rows, err := tx.Query(ctx, `SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`, t.name)
		if err != nil {
			return nil, fmt.Errorf("open ssd database %s: read the columns of %s: %w", name, t.name, err)
		}
		have, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("open ssd database %s: read the columns of %s: %w", name, t.name, err)
		}
		set := map[string]bool{}
		for _, c := range have {
			set[strings.ToLower(c)] = true
		}
		for _, c := range t.distinct() {
			if !set[c] {
				noColumn = append(noColumn, t.name+"."+c)
			}
		}
		if len(noColumn) > 0 {
			continue
		}
		cur, err := declare(ctx, tx, t)
		if err != nil {
			return nil, fmt.Errorf("open ssd database %s: %w", name, err)
		}
		r.streams[i] = cur
	}
	if len(missingRequired) > 0 {
		return nil, fmt.Errorf("open ssd database %s: no table %s: every case is built from these tables", name, strings.Join(missingRequired, " or "))
	}
	if len(noColumn) > 0 {
		return nil, fmt.Errorf("open ssd database %s: no column %s (the SSD's column names are read)", name, strings.Join(noColumn, ", "))
	}
	return r, nil
}

// safeName is the database's URL as records and errors name it: without a password, which
// is refused (it would stay in a shell's history and the process list).
func safeName(dbURL string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", errors.New("open ssd database: the URL cannot be parsed")
	}
	if _, has := u.User.Password(); has || u.Query().Has("password") {
		return "", errors.New("open ssd database: the URL holds a password: give it in PGPASSWORD or a .pgpass file (PGPASSFILE), never on the command line")
	}
	return u.Redacted(), nil
}

// redactErr drops the URL from a parse error, in case it holds something it should not.
func redactErr(err error, dbURL string) string {
	return strings.ReplaceAll(err.Error(), dbURL, "the URL")
}

// pgCursor streams a table through a server-side cursor, a batch at a time.
type pgCursor struct {
	ctx   context.Context
	tx    pgx.Tx
	t     *table
	name  string
	batch []*row
	done  bool
}

func declare(ctx context.Context, tx pgx.Tx, t *table) (*pgCursor, error) {
	cols := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = "btrim(" + pgx.Identifier{c}.Sanitize() + "::text)"
	}
	// NULLS FIRST and coalesce: a row with no person id sorts first, as "" does in Go.
	order := func(c string) string {
		return "coalesce(btrim(" + pgx.Identifier{c}.Sanitize() + "::text), '') COLLATE \"C\""
	}
	name := "wtcheck_" + t.name
	q := fmt.Sprintf("DECLARE %s NO SCROLL CURSOR FOR SELECT %s FROM %s ORDER BY %s, %s",
		name, strings.Join(cols, ", "), pgx.Identifier{t.name}.Sanitize(), order(t.columns[1]), order(t.columns[0]))
	if _, err := tx.Exec(ctx, q); err != nil {
		return nil, fmt.Errorf("read %s: %w", t.name, err)
	}
	return &pgCursor{ctx: ctx, tx: tx, t: t, name: name}, nil
}

func (c *pgCursor) next() (*row, error) {
	if len(c.batch) == 0 {
		if c.done {
			return nil, io.EOF
		}
		rows, err := c.tx.Query(c.ctx, fmt.Sprintf("FETCH FORWARD %d FROM %s", fetchRows, c.name))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", c.t.name, err)
		}
		vals := make([]*string, len(c.t.columns))
		dest := make([]any, len(vals))
		for i := range vals {
			dest[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read %s: %w", c.t.name, err)
			}
			x := &row{t: c.t, vals: make([]string, len(vals))}
			for i, v := range vals {
				if v != nil {
					x.vals[i] = clean(*v)
				}
			}
			c.batch = append(c.batch, x)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read %s: %w", c.t.name, err)
		}
		if len(c.batch) < fetchRows {
			c.done = true
		}
		if len(c.batch) == 0 {
			return nil, io.EOF
		}
	}
	x := c.batch[0]
	c.batch[0] = nil
	c.batch = c.batch[1:]
	return x, nil
}

// close leaves the cursor to the transaction's end.
func (c *pgCursor) close() error { return nil }

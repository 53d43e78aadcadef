package ssd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wtcheck/wtcheck/record"
)

// Record is what the source makes of one person's rows: a case record, or the reason there
// is none. Rows that belong to nobody (an id in no ssd_person row, a row with no person id, a
// row of a CSV file that could not be read) come as a Record with Err and no case.
type Record struct {
	// Index is the person's 1-based place in person-id order (byte order), the order both the
	// CSV folder and the database are read in; 0 for a row that is no person's.
	Index int
	// PersonID is the person's id (pers_person_id), the record's case_id.
	PersonID string
	Case     *record.Case
	Err      error
	Warnings []record.Warning
	// Due are the due dates the source system recorded for itself (icpc_icpc_target_date,
	// cppr_cp_review_due), to be compared with those wtcheck computes (checker.CompareDue).
	Due []record.SystemDue
}

// Reader reads the SSD tables person by person. Open one with OpenDir or OpenPostgres.
type Reader struct {
	name    string // what the records' File is: the folder, or the database without its password
	streams [nTables]stream
	// Missing lists the tables that are not there (apart from the required ones, whose
	// absence is an error): the facts they hold are added to every record's
	// provenance.lacks, so the rules needing them give insufficient_data.
	Missing []string
	opts    Options
	bad     []badRow
	closers []func() error
}

// Options control a read.
type Options struct {
	// ExtractDate becomes every record's extract_date: the SSD records no refresh date, so
	// it is the as-of date of the check, or today.
	ExtractDate record.Date
	// SortMemory bounds the bytes of one table held while sorting a CSV file that is not
	// ordered by person (0: DefaultSortMemory); TempDir is where sorted runs go ("" is the
	// system's temporary directory).
	SortMemory int64
	TempDir    string
}

// Name is what the records' File is: the SSD folder, or the database's URL without a
// password.
func (r *Reader) Name() string { return r.name }

// MissingNote says which optional tables the source named name lacks, and what that costs:
// the rules that read a fact of those tables give insufficient_data. rules are those rules'
// ids (checker.CaseRulesLacking of MissingLacks), in the order they are to be named. The
// command line writes it to standard error and the browser page shows it: one wording for
// both.
func (r *Reader) MissingNote(name string, rules []string) string {
	cost := "no rule needs them"
	switch len(rules) {
	case 0:
	case 1:
		cost = "so " + rules[0] + " gives insufficient_data"
	default:
		cost = "so " + strings.Join(rules, ", ") + " give insufficient_data"
	}
	return fmt.Sprintf("%s has no %s: its facts are read as not recordable, %s", name, strings.Join(r.Missing, ", "), cost)
}

// MissingLacks lists the provenance.lacks paths the missing tables add.
func (r *Reader) MissingLacks() []string {
	var out []string
	for _, name := range r.Missing {
		for _, t := range tables {
			if t.name == name {
				out = append(out, t.lacks...)
			}
		}
	}
	return out
}

// Close releases the files, temporary runs or database connection.
func (r *Reader) Close() error {
	var errs []error
	for _, s := range r.streams {
		if s != nil {
			errs = append(errs, s.close())
		}
	}
	for _, c := range r.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// Read merges the tables on the person id and calls fn with each person's record, in
// person-id order. Memory holds one person's rows (and, from a database, one batch of rows
// per table). An error returned by fn stops the reading and is returned, as is an error
// reading a table (a broken file, a lost connection).
func (r *Reader) Read(fn func(Record) error) error {
	var heads [nTables]*row
	advance := func(t int) error {
		prev := heads[t]
		x, err := r.streams[t].next()
		if errors.Is(err, io.EOF) {
			heads[t] = nil
			return nil
		}
		if err != nil {
			return err
		}
		if prev != nil && x.person() < prev.person() {
			// A database whose ORDER BY disagreed with Go's order would lose rows here.
			return fmt.Errorf("read %s: rows are not in person-id order after %s", tables[t].name, where(prev, ""))
		}
		heads[t] = x
		return nil
	}
	for t := range tables {
		if r.streams[t] != nil {
			if err := advance(t); err != nil {
				return err
			}
		}
	}
	index := 0
	flushBad := func() error {
		for _, b := range r.bad {
			if err := fn(Record{Err: fmt.Errorf("%s line %d: %w", b.file, b.line, b.err)}); err != nil {
				return err
			}
		}
		r.bad = r.bad[:0]
		return nil
	}
	for {
		if err := flushBad(); err != nil {
			return err
		}
		key, found := "", false
		for _, h := range heads {
			if h != nil && (!found || h.person() < key) {
				key, found = h.person(), true
			}
		}
		if !found {
			return nil
		}
		var g [nTables][]*row
		for t := range tables {
			for heads[t] != nil && heads[t].person() == key {
				g[t] = append(g[t], heads[t])
				if err := advance(t); err != nil {
					return err
				}
			}
		}
		var rec Record
		switch {
		case key == "":
			rec = Record{Err: fmt.Errorf("no person id: %s", rowList(g, true))}
		case len(g[tPerson]) == 0:
			rec = Record{PersonID: key, Err: fmt.Errorf("person id in no row of ssd_person: %s", rowList(g, true))}
		case len(g[tPerson]) > 1:
			index++
			rec = Record{Index: index, PersonID: key, Err: fmt.Errorf("pers_person_id: %d rows of ssd_person have this id (%s); the person is not checked", len(g[tPerson]), rowList([nTables][]*row{tPerson: g[tPerson]}, false))}
		default:
			index++
			rec = r.build(&g)
			rec.Index = index
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// rowList names the rows of a group, table by table, at most a few of each.
func rowList(g [nTables][]*row, personCol bool) string {
	var parts []string
	for t, rows := range g {
		for i, x := range rows {
			if i == 3 {
				parts = append(parts, fmt.Sprintf("and %d more rows of %s", len(rows)-3, tables[t].name))
				break
			}
			col := ""
			if personCol {
				col = tables[t].columns[1]
			}
			parts = append(parts, where(x, col))
		}
	}
	return strings.Join(parts, "; ")
}

// where locates a row, and a column of it: the CSV file and line, or the table and row id
// from a database. It never quotes a value other than the row's own id.
func where(x *row, col string) string {
	var s string
	if x.line > 0 {
		s = fmt.Sprintf("%s line %d", csvName(x.t), x.line)
	} else {
		s = fmt.Sprintf("%s row %s", x.t.name, x.id())
	}
	if col != "" {
		s += ", " + col
	}
	return s
}

package ssd

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source"
)

// InputFormat describes the source for the table of formats (package source/registry). Each
// path of a batch is read whole: a folder of the SSD's tables as CSV, or a postgres:// URL.
var InputFormat = source.Format{
	Name:        Format,
	Description: "the Standard Safeguarding Dataset's tables: a folder of CSV files (ssd_person.csv, …) or a postgres:// URL (password from PGPASSWORD or .pgpass)",
	Expect:      "a folder of SSD tables as CSV (ssd_person.csv, …) or a postgres:// URL, as --input-format ssd says",
	Whole:       true,
	Gaps:        func(source.Options) []source.Gap { return Lacks() },
	Open: func(o source.Options) (source.Source, error) {
		opts := Options{ExtractDate: o.AsOf, TempDir: o.TempDir}
		if opts.ExtractDate.IsZero() {
			opts.ExtractDate = record.DateOf(time.Now()) // the SSD has no extract date
		}
		return &Source{opts: opts}, nil
	},
}

// Source reads SSD inputs. Prepare opens them before anything is read, so that an input that
// cannot be read at all stops the run first; Read opens an input Prepare did not.
type Source struct {
	opts   Options
	mu     sync.Mutex
	opened map[string]*Reader
}

// Prepare opens each input: a folder (its required tables and every column read are
// checked) or a database (reached, its tables and columns checked). It returns the readers,
// whose Missing lists the tables that are not there, or the first error, having closed what
// it opened.
func (s *Source) Prepare(names []string) ([]*Reader, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opened == nil {
		s.opened = map[string]*Reader{}
	}
	var out []*Reader
	for _, name := range names {
		r, err := s.open(source.Input{Name: name})
		if err != nil {
			for _, o := range out {
				o.Close()
			}
			return nil, err
		}
		s.opened[name] = r
		out = append(out, r)
	}
	return out, nil
}

// Close closes the inputs Prepare opened and Read did not read.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for name, r := range s.opened {
		errs = append(errs, r.Close())
		delete(s.opened, name)
	}
	return errors.Join(errs...)
}

func (s *Source) open(in source.Input) (*Reader, error) {
	switch {
	case IsDatabaseURL(in.Name):
		return OpenPostgres(context.Background(), in.Name, s.opts)
	case in.Dir != nil:
		return OpenFS(in.Dir, in.Name, s.opts)
	}
	return OpenDir(in.Name, s.opts)
}

// Read reads one input whole, person by person.
func (s *Source) Read(in source.Input, fn func(source.Record) error) error {
	s.mu.Lock()
	r := s.opened[in.Name]
	delete(s.opened, in.Name)
	s.mu.Unlock()
	if r == nil {
		var err error
		if r, err = s.open(in); err != nil {
			return fn(source.Record{File: in.Name, Err: err})
		}
	}
	defer r.Close()
	return r.Read(func(rec Record) error {
		return fn(source.Record{File: r.Name(), Index: rec.Index, CaseID: rec.PersonID, Case: rec.Case, Err: rec.Err,
			Warnings: rec.Warnings, Due: rec.Due})
	})
}

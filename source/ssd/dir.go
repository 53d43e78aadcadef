package ssd

import (
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// OpenDir opens a folder of SSD tables exported as CSV, one file per table named after it
// (ssd_person.csv, ssd_cin_episodes.csv, …; the name in any case). A file ordered by person
// id is streamed as it stands; one that is not is sorted first, in bounded memory, through
// temporary files (see DefaultSortMemory). A missing required table (ssd_person,
// ssd_cin_episodes), a header without a column the source reads, or a file that cannot be
// read is an error before any record is made; another missing table is listed in
// Reader.Missing, and what it holds becomes lacking in every record.
func OpenDir(dir string, opts Options) (*Reader, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open ssd folder: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open ssd folder %s: not a folder: the SSD source reads a folder of CSV files, one per table", dir)
	}
	return OpenFS(os.DirFS(dir), dir, opts)
}

// OpenFS is OpenDir on a folder given as a file system (a browser build's files, a test's);
// name is what records and errors call it.
func OpenFS(fsys fs.FS, dir string, opts Options) (_ *Reader, err error) {
	r := &Reader{name: dir, opts: opts}
	defer func() {
		if err != nil {
			r.Close()
		}
	}()
	var missingRequired []string
	for i, t := range tables {
		path, err := findCSV(fsys, t)
		if err != nil {
			return nil, err
		}
		if path == "" {
			if t.required {
				missingRequired = append(missingRequired, csvName(t))
			} else {
				r.Missing = append(r.Missing, t.name)
			}
			continue
		}
		sorted, err := ordered(fsys, path, t)
		if err != nil {
			return nil, err
		}
		bad := func(b badRow) { r.bad = append(r.bad, b) }
		if sorted {
			r.streams[i], err = openCSV(fsys, path, t, bad)
		} else {
			r.streams[i], err = sortCSV(fsys, path, t, opts.SortMemory, opts.TempDir, bad)
		}
		if err != nil {
			r.streams[i] = nil // a nil *csvFile or *sortedCSV, which Close must not close
			return nil, err
		}
	}
	if len(missingRequired) > 0 {
		return nil, fmt.Errorf("open ssd folder %s: no %s: every case is built from these tables", dir, strings.Join(missingRequired, " or "))
	}
	return r, nil
}

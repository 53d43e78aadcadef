package web

import (
	"bytes"
	"io"
	"io/fs"
	"slices"
	"time"
)

// folder is a read-only fs.FS of files held in memory: a folder the browser gave, with its
// files at the top level. That is all the SSD source reads of a folder (one CSV file per
// table), so files in the folder's own folders are passed over before one is made.
// (testing/fstest.MapFS does this too, but is a test's tool, not the program's.)
type folder struct {
	names []string          // sorted, as fs.ReadDir returns them
	files map[string][]byte // by name
}

// newFolder makes a folder of the files, each named as it is at the folder's top level.
func newFolder(files []File) *folder {
	f := &folder{files: make(map[string][]byte, len(files))}
	for _, file := range files {
		if _, ok := f.files[file.Name]; !ok {
			f.names = append(f.names, file.Name)
		}
		f.files[file.Name] = file.Data
	}
	slices.Sort(f.names)
	return f
}

// Open opens the folder itself (".") or one of its files.
func (f *folder) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return &folderDir{f: f}, nil
	}
	data, ok := f.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &folderFile{info: fileInfo{name: name, size: int64(len(data))}, Reader: bytes.NewReader(data)}, nil
}

// ReadDir lists the folder, sorted by name, without opening it (fs.ReadDirFS).
func (f *folder) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		if _, ok := f.files[name]; ok || !fs.ValidPath(name) {
			return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
		}
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return f.entries(), nil
}

func (f *folder) entries() []fs.DirEntry {
	out := make([]fs.DirEntry, len(f.names))
	for i, n := range f.names {
		out[i] = fs.FileInfoToDirEntry(fileInfo{name: n, size: int64(len(f.files[n]))})
	}
	return out
}

// folderFile is an open file of a folder.
type folderFile struct {
	info fileInfo
	*bytes.Reader
}

func (f *folderFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *folderFile) Close() error               { return nil }

// folderDir is the folder opened, listed in order by ReadDir.
type folderDir struct {
	f    *folder
	next int // the next entry ReadDir returns
}

func (d *folderDir) Stat() (fs.FileInfo, error) { return fileInfo{name: ".", dir: true}, nil }
func (d *folderDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: fs.ErrInvalid}
}
func (d *folderDir) Close() error { return nil }

// ReadDir returns the next n entries, or all the rest for n <= 0 (fs.ReadDirFile).
func (d *folderDir) ReadDir(n int) ([]fs.DirEntry, error) {
	all := d.f.entries()[d.next:]
	if n <= 0 {
		d.next += len(all)
		return all, nil
	}
	if len(all) == 0 {
		return nil, io.EOF
	}
	all = all[:min(n, len(all))]
	d.next += len(all)
	return all, nil
}

// fileInfo describes a file of a folder, or the folder.
type fileInfo struct {
	name string
	size int64
	dir  bool
}

func (i fileInfo) Name() string { return i.name }
func (i fileInfo) Size() int64  { return i.size }
func (i fileInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return i.dir }
func (i fileInfo) Sys() any           { return nil }

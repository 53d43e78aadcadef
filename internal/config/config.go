// Package config reads wtcheck.yaml, the file that holds what a pipeline would otherwise repeat
// on every command line: the editions, the as-of day, pack parameters, extra packs and
// holidays, the baseline, the failure level, the redaction key file and the reports to write.
//
// Each key of the file stands for one flag of the command line, and gives that flag the value
// it would be given there (see Keys). The command applies a key only when its flag was not
// given: a flag always overrides the file. Decoding is strict: a key the file may not hold, a
// list where one value is wanted, a key given twice, is an error naming the file, the line and
// the column, and every such error is reported at once. Paths in the file are relative to the
// file's own directory, so a pipeline can run from anywhere with --config.
//
// The file holds no case data; its values may be quoted in errors.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wtcheck/wtcheck/internal/safefile"
)

// FileName is the file a command reads from its working directory when --config is not given.
const FileName = "wtcheck.yaml"

// maxBytes bounds the file: it is read whole, and a settings file of a megabyte is not one.
const maxBytes = 1 << 20

// kind is the shape of a key's value in the file.
type kind int

const (
	scalar  kind = iota // one value
	list                // a list of values, or one value
	path                // one path, relative to the file's directory
	paths               // a list of paths, or one path
	boolean             // true or false
	params              // a mapping NAME: VALUE, given to the flag as NAME=VALUE
	outputs             // a mapping FORMAT: PATH, given to the flag as FORMAT=PATH
)

// Key is one setting the file may hold.
type Key struct {
	Name string // as written in the file: "editions"
	Flag string // the flag it gives its value to: "edition"
	kind kind
}

// Keys are the settings the file may hold, in the order `wtcheck config show` lists them.
var Keys = []Key{
	{"editions", "edition", list},
	{"as-of", "as-of", scalar},
	{"set", "set", params},
	{"packs", "pack", paths},
	{"holidays", "holidays", paths},
	{"baseline", "baseline", path},
	{"fail-on", "fail-on", scalar},
	{"redact", "redact", boolean},
	{"redact-key-file", "redact-key-file", path},
	{"outputs", "output", outputs},
}

// Setting is one key of a file and the values it gives its flag, one for each time the flag
// would be given on the command line (NAME=VALUE for set, FORMAT=PATH for outputs, paths
// already resolved against the file's directory).
type Setting struct {
	Key    Key
	Values []string
	Line   int // the line of the key
}

// File is a decoded wtcheck.yaml.
type File struct {
	Path     string    // the file as it was named
	Settings []Setting // in the order of the file
}

// Where names the line a setting was read from, as errors and `config show` say it:
// "wtcheck.yaml:3".
func (f *File) Where(s Setting) string { return fmt.Sprintf("%s:%d", f.Path, s.Line) }

// Lookup returns the setting of a key ("editions"), if the file has it.
func (f *File) Lookup(key string) (Setting, bool) {
	i := slices.IndexFunc(f.Settings, func(s Setting) bool { return s.Key.Name == key })
	if i < 0 {
		return Setting{}, false
	}
	return f.Settings[i], true
}

// Find reads the file named by --config, or wtcheck.yaml in the working directory when name is
// "". It returns nil, and no error, when name is "" and there is no wtcheck.yaml: the file is
// optional; a file named with --config is not.
func Find(name string) (*File, error) {
	if name == "" {
		if _, err := os.Lstat(FileName); errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		name = FileName
	}
	data, err := safefile.ReadFile(name, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(name, data)
}

// Parse decodes a config file's contents; name is the file as it was named, for errors and
// for resolving its relative paths.
func Parse(name string, data []byte) (*File, error) {
	f := &File{Path: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read config %s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return f, nil // an empty file sets nothing
	}
	d := &decoder{file: name, dir: filepath.Dir(name)}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "the file must be a mapping of settings (editions:, as-of:, …)")
		return nil, d.err()
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key, ok := lookup(k.Value)
		if !ok {
			d.errorf(k, "unknown key %q (want one of %s)", k.Value, keyNames())
			continue
		}
		if line, twice := seen[key.Name]; twice {
			d.errorf(k, "%s is set twice (first on line %d)", key.Name, line)
			continue
		}
		seen[key.Name] = k.Line
		if values, ok := d.values(key, v); ok {
			f.Settings = append(f.Settings, Setting{Key: key, Values: values, Line: k.Line})
		}
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return f, nil
}

func lookup(name string) (Key, bool) {
	i := slices.IndexFunc(Keys, func(k Key) bool { return k.Name == name })
	if i < 0 {
		return Key{}, false
	}
	return Keys[i], true
}

func keyNames() string {
	var names []string
	for _, k := range Keys {
		names = append(names, k.Name)
	}
	return strings.Join(names, ", ")
}

// Error is one problem in a config file, with where it is.
type Error struct {
	File         string
	Line, Column int
	Message      string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
}

// decoder collects every problem of a file, so that one run shows them all.
type decoder struct {
	file, dir string
	errs      []error
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: n.Line, Column: n.Column, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) err() error {
	slices.SortStableFunc(d.errs, func(a, b error) int {
		ea, eb := a.(*Error), b.(*Error)
		return cmp.Or(cmp.Compare(ea.Line, eb.Line), cmp.Compare(ea.Column, eb.Column))
	})
	return errors.Join(d.errs...)
}

// values turns a key's value into what its flag is given.
func (d *decoder) values(key Key, v *yaml.Node) ([]string, bool) {
	switch key.kind {
	case scalar, path, boolean:
		s, ok := d.scalar(key, v)
		if !ok {
			return nil, false
		}
		switch key.kind {
		case path:
			s = d.resolve(s)
		case boolean:
			b, err := strconv.ParseBool(s)
			if err != nil || v.Tag != "!!bool" {
				d.errorf(v, "%s: want true or false, not %q", key.Name, s)
				return nil, false
			}
			s = strconv.FormatBool(b)
		}
		return []string{s}, true
	case list, paths:
		items := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			items = v.Content
			if len(items) == 0 {
				d.errorf(v, "%s: the list is empty (leave the key out to keep the default)", key.Name)
				return nil, false
			}
		}
		var out []string
		ok := true
		for _, item := range items {
			s, good := d.scalar(key, item)
			ok = ok && good
			if key.kind == paths {
				s = d.resolve(s)
			}
			out = append(out, s)
		}
		return out, ok
	case params, outputs:
		if v.Kind != yaml.MappingNode {
			what := "NAME: VALUE"
			if key.kind == outputs {
				what = "FORMAT: PATH"
			}
			d.errorf(v, "%s: want a mapping of %s, one a line", key.Name, what)
			return nil, false
		}
		var out []string
		ok := true
		names := map[string]bool{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			name, good := d.scalar(key, v.Content[i])
			if good && names[name] {
				d.errorf(v.Content[i], "%s: %s is set twice", key.Name, name)
				good = false
			}
			names[name] = true
			value, good2 := d.scalar(key, v.Content[i+1])
			ok = ok && good && good2
			if key.kind == outputs && value != "-" {
				value = d.resolve(value)
			}
			out = append(out, name+"="+value)
		}
		if len(out) == 0 {
			d.errorf(v, "%s: the mapping is empty (leave the key out to keep the default)", key.Name)
			return nil, false
		}
		return out, ok
	}
	panic("config: unknown kind of key " + key.Name)
}

// scalar is one value, which must be written as one (not a list, a mapping or nothing).
func (d *decoder) scalar(key Key, n *yaml.Node) (string, bool) {
	switch {
	case n.Kind == yaml.AliasNode && n.Alias != nil:
		return d.scalar(key, n.Alias)
	case n.Kind != yaml.ScalarNode:
		d.errorf(n, "%s: want one value here, not a %s", key.Name, kindName(n.Kind))
		return "", false
	case n.Tag == "!!null" || n.Value == "":
		d.errorf(n, "%s: no value (leave the key out to keep the default)", key.Name)
		return "", false
	}
	return n.Value, true
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "document"
}

// resolve makes a path of the file relative to the file's directory, as a path on the command
// line is relative to the working directory.
func (d *decoder) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(d.dir, p)
}

package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/wtcheck/wtcheck/checker"
)

// JSON writes the whole report as one indented JSON document (findings-format.md). The
// findings are streamed one at a time from the report's list, so a report of a million
// findings is never held as one value; the bytes are those encoding/json would write for the
// whole report.
func JSON(w io.Writer, r *checker.Report) error {
	jw := &jsonWriter{w: w}
	jw.raw("{\n")
	jw.field("tool", r.Tool)
	if !r.AsOf.IsZero() {
		jw.field("as_of", r.AsOf)
	}
	jw.field("packs", r.Packs)
	jw.field("summary", r.Summary)
	jw.key("findings")
	if r.ListedLen() == 0 {
		jw.raw("[]")
	} else {
		jw.raw("[")
		sep := "\n    "
		enc := newFindingJSON("    ", true)
		for f := range r.Scanned() {
			jw.bytes(enc.encodeAfter(sep, f))
			sep = ",\n    "
		}
		jw.raw("\n  ]")
	}
	jw.key("errors")
	elements(jw, r.Errors) // one at a time too: a batch of bad records has one each
	// Like errors, always written ([] when none), so a consumer can rely on the key.
	warnings := r.Warnings
	if warnings == nil {
		warnings = []checker.RecordWarning{}
	}
	jw.key("warnings")
	elements(jw, warnings)
	if r.Baseline != nil {
		jw.field("baseline", r.Baseline)
	}
	if len(r.NotCovered) > 0 {
		jw.field("not_covered", r.NotCovered)
	}
	if len(r.DueDates) > 0 {
		jw.key("due_dates")
		elements(jw, r.DueDates)
	}
	jw.raw("\n}\n")
	return jw.err
}

// elements writes a top-level field's array one element at a time, in the bytes of encoding
// it whole.
func elements[T any](jw *jsonWriter, list []T) {
	switch {
	case list == nil:
		jw.raw("null")
	case len(list) == 0:
		jw.raw("[]")
	default:
		jw.raw("[")
		for i := range list {
			if i > 0 {
				jw.raw(",")
			}
			jw.raw("\n    ")
			jw.value(&list[i], "    ")
		}
		jw.raw("\n  ]")
	}
}

// jsonWriter writes an indented JSON object field by field, keeping the first error.
type jsonWriter struct {
	w      io.Writer
	err    error
	fields int
	buf    bytes.Buffer
}

func (jw *jsonWriter) raw(s string) {
	if jw.err == nil {
		_, jw.err = io.WriteString(jw.w, s)
	}
}

func (jw *jsonWriter) bytes(b []byte) {
	if jw.err == nil {
		_, jw.err = jw.w.Write(b)
	}
}

// key starts a field of the top-level object.
func (jw *jsonWriter) key(name string) {
	if jw.fields > 0 {
		jw.raw(",\n")
	}
	jw.fields++
	jw.raw("  \"" + name + "\": ")
}

func (jw *jsonWriter) field(name string, v any) {
	jw.key(name)
	jw.value(v, "  ")
}

// value writes v indented as it would be at the given depth, without HTML escaping (case
// text is not HTML here) and without the encoder's trailing newline.
func (jw *jsonWriter) value(v any, prefix string) {
	if jw.err != nil {
		return
	}
	jw.buf.Reset()
	enc := json.NewEncoder(&jw.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if jw.err = enc.Encode(v); jw.err != nil {
		return
	}
	_, jw.err = jw.w.Write(bytes.TrimSuffix(jw.buf.Bytes(), []byte("\n")))
}

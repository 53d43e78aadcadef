package report

import (
	"strconv"
	"strings"
	"unicode"
)

// This file is how the line-oriented formats (text, CSV, Markdown, and their compare
// versions) print values that come from case data: ids, subjects, file names, messages. A
// value is printed as it is unless it could break the line it is on or pass for something
// else in a CI log: one with a control character (a newline, a carriage return, a tab, an
// escape sequence), or one starting like a GitHub Actions workflow command ("::error::…",
// "##[error]…"). That one is printed quoted, in Go's escaped form ("X\n::error::…"), so an
// id of "X\n::error::…" stays one id on one line and cannot forge a line of its own.
//
// The structured formats escape with their own encoders (JSON for json, ndjson, SARIF and
// GitLab; XML for JUnit; html/template for HTML), and github with the workflow-command
// escapes of ghData and ghProperty.

// plain makes a data value safe on one line of a text format.
func plain(s string) string {
	if !needsQuoting(s) {
		return s
	}
	return strconv.Quote(s)
}

func needsQuoting(s string) bool {
	if strings.HasPrefix(s, "::") || strings.HasPrefix(s, "##[") {
		return true
	}
	// Printable ASCII, nearly every cell of a report, is read a byte at a time; the runes
	// are looked at from the first byte that is not (a control, or the start of a rune).
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			for _, r := range s[i:] {
				if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == unicode.ReplacementChar {
					return true
				}
			}
			return false
		}
	}
	return false
}

package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// encoding/json quietly replaces bytes that are not UTF-8 with U+FFFD, so two case ids that
// differ only in such bytes ("X-\xff", "X-\xfe") would decode alike and the second be
// dropped as a duplicate of the first. JSON is UTF-8 (RFC 8259), so a record that is not is a
// data error, found before decoding and named by the path of the string that holds the bytes.

// invalidUTF8 gives the path of the first string of a record that is not valid UTF-8 ("case_id",
// "referrals[0].plans[1].id", or the object holding a bad key), and whether there is one.
// It is only called for a record that utf8.Valid refused.
func invalidUTF8(raw []byte) (string, bool) {
	type level struct {
		object  bool
		key     string
		index   int
		wantKey bool
	}
	var stack []*level
	pathOf := func(levels []*level) string {
		var b strings.Builder
		for _, l := range levels {
			switch {
			case !l.object:
				fmt.Fprintf(&b, "[%d]", l.index)
			case b.Len() > 0:
				b.WriteString("." + l.key)
			default:
				b.WriteString(l.key)
			}
		}
		return b.String()
	}
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.object {
			top.wantKey = true
		} else {
			top.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		from := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "", false // the JSON itself is broken: decoding reports that
		}
		to := dec.InputOffset()
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{', '[':
				stack = append(stack, &level{object: tok == '{', wantKey: tok == '{'})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			bad := !utf8.Valid(raw[from:to])
			switch {
			case top != nil && top.object && top.wantKey:
				if bad {
					// The object holding the key is named by the levels above it.
					if where := pathOf(stack[:len(stack)-1]); where != "" {
						return "a key of " + where, true
					}
					return "a key of the record", true
				}
				top.key, top.wantKey = tok, false
			case bad:
				return pathOf(stack), true
			default:
				valueDone()
			}
		default:
			valueDone()
		}
	}
}

package cincensus

import (
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSingleByteEncodings pins every byte of the two single-byte encodings a return may
// declare: ISO-8859-1 is the byte's own code point, and windows-1252 differs from it only in
// 0x80 to 0x9F. Its five unassigned bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode as U+FFFD in
// the library's table, where the hand-written one it replaced kept them as ISO-8859-1's
// control characters, which no census field holds.
func TestSingleByteEncodings(t *testing.T) {
	cp1252 := [32]rune{
		0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
		0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, label := range []string{"ISO-8859-1", "windows-1252"} {
		r, err := charsetReader(label, strings.NewReader(string(all)))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		got := []rune(string(out))
		if !utf8.Valid(out) || len(got) != 256 {
			t.Fatalf("%s: %d runes, valid UTF-8 %v", label, len(got), utf8.Valid(out))
		}
		for i, c := range got {
			want := rune(i)
			if label == "windows-1252" && i >= 0x80 && i < 0xa0 {
				want = cp1252[i-0x80]
			}
			if c != want {
				t.Errorf("%s: byte %#x = %U, want %U", label, i, c, want)
			}
		}
	}
}

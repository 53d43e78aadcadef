package ssd

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/wtcheck/wtcheck/record"
)

// Every column is read as text, from a CSV file or from PostgreSQL (column::text), and
// parsed here, so that both ways in give the same case records (docs/ssd-tables.md, Values).

// clean turns a raw field into its value: surrounding white space trimmed, and the spellings
// of a null that SQL Server exports write (an empty field, the text NULL in any case, a lone
// NUL byte, which bcp writes for an empty string) turned into "".
func clean(s string) string {
	s = strings.TrimSpace(s)
	if s == "\x00" || strings.EqualFold(s, "null") {
		return ""
	}
	return s
}

// noDate is SQL Server's zero date, which the SSD and its deployments write for "no date".
var noDate = record.MustDate("1900-01-01")

// parseDate reads an SSD date, which is a datetime: the calendar date of the value as
// written, never converted between zones. It accepts YYYY-MM-DD and YYYY/MM/DD, each with an
// optional time (after a space or a T, with optional seconds, fractions and a zone), and
// DD/MM/YYYY with an optional time, as a CSV saved in Excel in England writes it. 1 January
// 1900 is "no date" (the zero Date, no error). The reason never quotes the value.
func parseDate(s string) (record.Date, string) {
	if s == "" {
		return record.Date{}, ""
	}
	day, rest, ok := splitDateTime(s)
	if !ok {
		return record.Date{}, "is not a date (YYYY-MM-DD or DD/MM/YYYY, with or without a time)"
	}
	if rest != "" && !isTime(rest) {
		return record.Date{}, "is not a date: what follows the date is not a time of day"
	}
	d, err := record.ParseDate(day)
	if err != nil {
		return record.Date{}, "is not a real calendar date from 1900 to 2200"
	}
	if d == noDate {
		return record.Date{}, ""
	}
	return d, ""
}

// splitDateTime cuts s into a YYYY-MM-DD date and what follows it.
func splitDateTime(s string) (day, rest string, ok bool) {
	if len(s) < 10 {
		return "", "", false
	}
	head, rest := s[:10], s[10:]
	if rest != "" && rest[0] != ' ' && rest[0] != 'T' {
		return "", "", false
	}
	switch {
	case digits(head[:4]) && (head[4] == '-' || head[4] == '/') && head[7] == head[4] && digits(head[5:7]) && digits(head[8:]):
		day = head[:4] + "-" + head[5:7] + "-" + head[8:]
	case digits(head[:2]) && head[2] == '/' && head[5] == '/' && digits(head[3:5]) && digits(head[6:]):
		day = head[6:] + "-" + head[3:5] + "-" + head[:2]
	default:
		return "", "", false
	}
	if rest != "" {
		rest = rest[1:]
	}
	return day, rest, true
}

// isTime reports whether s is a time of day: HH:MM, optionally :SS, a fraction and a zone
// (Z or ±HH[:MM]), or a 12-hour clock's AM/PM.
func isTime(s string) bool {
	s = strings.TrimSpace(s)
	if u := strings.ToUpper(s); strings.HasSuffix(u, "AM") || strings.HasSuffix(u, "PM") {
		s = strings.TrimSpace(s[:len(s)-2])
	}
	if i := strings.IndexAny(s, "Z+-"); i > 0 {
		zone := s[i:]
		s = s[:i]
		if zone != "Z" && !isClock(zone[1:], true) {
			return false
		}
	}
	if i := strings.IndexByte(s, '.'); i > 0 {
		if !digits(s[i+1:]) || i+1 == len(s) {
			return false
		}
		s = s[:i]
	}
	return isClock(s, false)
}

// isClock reports whether s is H:MM or HH:MM, with :SS unless zone (a zone is HH, HHMM or
// HH:MM).
func isClock(s string, zone bool) bool {
	if zone && (len(s) == 2 || len(s) == 4) && digits(s) {
		return true
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 || (zone && len(parts) > 2) {
		return false
	}
	for i, p := range parts {
		if !digits(p) || len(p) > 2 || (i > 0 && len(p) != 2) || p == "" {
			return false
		}
	}
	return true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// flag is a Y/N column's value.
type flag int8

const (
	flagNull flag = iota // not recorded
	flagYes
	flagNo
)

// parseFlag reads a Y/N flag: Y/N, Yes/No, 1/0, true/false, in any case; "" is null.
func parseFlag(s string) (flag, string) {
	switch strings.ToLower(s) {
	case "":
		return flagNull, ""
	case "y", "yes", "1", "true", "t":
		return flagYes, ""
	case "n", "no", "0", "false", "f":
		return flagNo, ""
	}
	return flagNull, "is not a Y/N flag"
}

// flagPair finds one "KEY_FLAG": "value" pair in text that is not valid JSON.
var flagPair = regexp.MustCompile(`"((?:OUTCOME_)?[A-Z_]+_FLAG)"\s*:\s*"([^"]*)"`)

// outcomes reads an outcome column's JSON object of Y/N flags. Keys are taken with or without
// the OUTCOME_ prefix the Eclipse deployment adds; a flag is set when its value is Y (any
// case); counts and comments are ignored. ok is false when the text is not a JSON object (a
// System C export does not escape quotes and line breaks in comments): the flags are then
// read from their "KEY_FLAG": "value" pairs, which come before the comments, and the caller
// warns.
func outcomes(s string) (flags map[string]bool, ok bool) {
	if s == "" {
		return nil, true
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(s), &obj); err != nil {
		flags = map[string]bool{}
		for _, m := range flagPair.FindAllStringSubmatch(s, -1) {
			if strings.EqualFold(strings.TrimSpace(m[2]), "y") {
				flags[strings.TrimPrefix(m[1], "OUTCOME_")] = true
			}
		}
		return flags, false
	}
	flags = map[string]bool{}
	for k, v := range obj {
		str, _ := v.(string)
		if strings.EqualFold(strings.TrimSpace(str), "y") {
			flags[strings.TrimPrefix(strings.ToUpper(k), "OUTCOME_")] = true
		}
	}
	return flags, true
}

// category maps a plan's written-out category of abuse (or a census code) to the case
// format's: by its first word, as the SSD writes "Neglect", "Physical abuse", "Multiple: …".
func category(s string) string {
	l := strings.ToLower(strings.TrimSpace(s))
	switch l {
	case "neg":
		return "neglect"
	case "phy":
		return "physical"
	case "emo":
		return "emotional"
	case "sab":
		return "sexual"
	case "mul":
		return "multiple"
	}
	for _, c := range []string{"neglect", "physical", "emotional", "sexual", "multiple"} {
		if strings.HasPrefix(l, c) {
			return c
		}
	}
	return ""
}

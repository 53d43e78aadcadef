package record

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Decode turns one case record's JSON into a validated case (see Validate), and returns its
// case_id whenever it could be read, so that an error can name the case. Errors name fields,
// never values: JSON that is not UTF-8, malformed or of the wrong type, a field that fails
// validation. The record's warnings are Warnings(c).
//
// Records of other kinds (incidents, local arrangements) will be told apart by their format
// tag; a record whose format is not CaseFormat is refused by Validate today.
func Decode(raw []byte) (c *Case, caseID string, err error) {
	if !utf8.Valid(raw) {
		if where, ok := invalidUTF8(raw); ok {
			if where != "case_id" {
				caseID = peekCaseID(raw)
			}
			return nil, caseID, fmt.Errorf("%s is not valid UTF-8", where)
		}
	}
	var v Case
	if err := unmarshal(raw, &v); err != nil {
		return nil, peekCaseID(raw), describeJSONError(err)
	}
	if err := Validate(&v); err != nil {
		return nil, v.CaseID, err
	}
	return &v, v.CaseID, nil
}

// peekCaseID reads the case_id of a record that did not decode, when the JSON allows it, so
// that the error can name the case.
func peekCaseID(raw []byte) string {
	var head struct {
		CaseID any `json:"case_id"`
	}
	if unmarshal(raw, &head) != nil {
		return ""
	}
	if s, ok := head.CaseID.(string); ok {
		return s
	}
	return ""
}

// describeJSONError words the decoder's errors for a person reading a data-error report,
// naming the field and never quoting the value.
func describeJSONError(err error) error {
	var syn *syntaxError
	var typ *unmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d of the record: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return fmt.Errorf("the record is a JSON %s, not an object", typ.Value)
		}
		return fmt.Errorf("%s: want %s, got a JSON %s", fieldPath(field), jsonKind(typ.Type.Kind().String()), typ.Value)
	}
	return err
}

// fieldPath gives a type error's field as encoding/json names it, "referrals.plans.id": the
// faster decoder adds each list index ("referrals.1.plans.0.id"), which is dropped so that the
// command line and the browser word every error alike. No field of the formats has a name that
// is a number, so a numeric part is always an index.
func fieldPath(field string) string {
	if !strings.ContainsAny(field, "0123456789") {
		return field
	}
	parts := strings.Split(field, ".")
	kept := parts[:0]
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	case "int", "int64", "int32":
		return "a whole number"
	}
	return goKind
}

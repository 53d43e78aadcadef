package record

import (
	"encoding/json"
	"errors"
	"fmt"
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
	if json.Unmarshal(raw, &head) != nil {
		return ""
	}
	if s, ok := head.CaseID.(string); ok {
		return s
	}
	return ""
}

// describeJSONError words encoding/json's errors (unmarshal leaves every error to it) for a
// person reading a data-error report, naming the field and never quoting the value.
func describeJSONError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d of the record: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return fmt.Errorf("the record is a JSON %s, not an object", typ.Value)
		}
		return fmt.Errorf("%s: want %s, got a JSON %s", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	}
	return err
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

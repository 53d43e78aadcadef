package record

// Unmarshal and FieldPath let the external tests (decode_compare_test.go) hold the decoder
// Decode uses against encoding/json.
var (
	Unmarshal = unmarshal
	FieldPath = fieldPath
)

package record

// Unmarshal lets the external tests (decode_compare_test.go) hold the decoder Decode,
// DecodeIncident and DecodeArrangements use against encoding/json.
func Unmarshal[T any](raw []byte, v *T) error { return unmarshal(raw, v) }

package record

// Unmarshal lets the external tests (decode_compare_test.go) hold the decoder Decode uses
// against encoding/json.
func Unmarshal(raw []byte, c *Case) error { return unmarshal(raw, c) }

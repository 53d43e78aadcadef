//go:build js && wasm

package record

// The browser build decodes with encoding/json, which is already in it, rather than
// goccy/go-json (json_native.go), which would take the page beyond its size budget.
import "encoding/json"

type (
	syntaxError        = json.SyntaxError
	unmarshalTypeError = json.UnmarshalTypeError
)

// unmarshal decodes one record of any kind into v, with the decoder describeJSONError knows.
func unmarshal(raw []byte, v any) error { return json.Unmarshal(raw, v) }

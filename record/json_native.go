//go:build !(js && wasm)

package record

// goccy/go-json decodes a case record about three times as fast as encoding/json, into the same
// Case, with the same syntax errors at the same offsets and the same type errors
// (docs/performance.md, "Decoders"). The browser build keeps encoding/json (json_wasm.go):
// goccy/go-json adds about 1 MB to the compressed page, beyond its size budget.
import json "github.com/goccy/go-json"

type (
	syntaxError        = json.SyntaxError
	unmarshalTypeError = json.UnmarshalTypeError
)

// unmarshal decodes one record of any kind into v, with the decoder describeJSONError knows.
func unmarshal(raw []byte, v any) error { return json.Unmarshal(raw, v) }

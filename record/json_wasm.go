//go:build js && wasm

package record

import "encoding/json"

// unmarshal decodes one record of any kind into v. The browser build keeps encoding/json, which
// it holds anyway, rather than goccy/go-json (json_native.go): that would add about 1 MB to
// the compressed page, beyond its 8 MiB budget.
func unmarshal[T any](raw []byte, v *T) error { return json.Unmarshal(raw, v) }

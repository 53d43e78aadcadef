//go:build !(js && wasm)

package record

import (
	"encoding/json"

	fast "github.com/goccy/go-json"
)

// unmarshal decodes one record of any kind into v. goccy/go-json reads a good record about
// three times as fast as encoding/json, into the same value (docs/performance.md, "Decoders";
// TestDecoderMatchesEncodingJSON and FuzzDecode hold it to that). A record it refuses is
// decoded again by encoding/json, whose error is the one reported: every data error reads
// exactly as it did, and as it does in the browser (json_wasm.go), whatever goccy/go-json
// would have said. Bad records are few; each costs a second decode.
func unmarshal[T any](raw []byte, v *T) error {
	if fast.Unmarshal(raw, v) == nil {
		return nil
	}
	*v = *new(T)
	return json.Unmarshal(raw, v)
}

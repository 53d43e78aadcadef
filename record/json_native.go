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
	if fastUnmarshal(raw, v) {
		return nil
	}
	*v = *new(T)
	return json.Unmarshal(raw, v)
}

// fastUnmarshal decodes with goccy/go-json and reports whether it did. The library reads
// memory with package unsafe and has panicked on malformed input before (its issue 604, fixed
// in the version used): a panic here is taken as a refusal, so that hostile input meets
// encoding/json, never a crashed batch.
func fastUnmarshal[T any](raw []byte, v *T) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return fast.Unmarshal(raw, v) == nil
}

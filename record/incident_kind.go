package record

import (
	"bytes"
	"encoding/json"
)

// FormatOf reads the format tag of a record that names a kind other than a case
// (IncidentFormat, ArrangementsFormat), or "" for anything else: a case record, whose tag is
// optional, or JSON that is not a record (which decoding as a case then reports). Case
// records are by far the most, so the record is parsed for its tag only when its bytes hold
// one of the other tags.
func FormatOf(raw []byte) string {
	if !holdsOtherTag(raw) {
		return ""
	}
	var head struct {
		Format any `json:"format"`
	}
	if json.Unmarshal(raw, &head) != nil {
		return ""
	}
	switch f, _ := head.Format.(string); f {
	case IncidentFormat, ArrangementsFormat:
		return f
	}
	return ""
}

// holdsOtherTag reports whether the bytes hold the incident or the arrangements tag: one pass
// over the record for their common prefix, which a case record holds once or twice (its own
// format, its provenance).
func holdsOtherTag(raw []byte) bool {
	const prefix = "wtcheck/"
	for rest := raw; ; {
		i := bytes.Index(rest, []byte(prefix))
		if i < 0 {
			return false
		}
		rest = rest[i+len(prefix):]
		if bytes.HasPrefix(rest, []byte(IncidentFormat[len(prefix):])) || bytes.HasPrefix(rest, []byte(ArrangementsFormat[len(prefix):])) {
			return true
		}
	}
}

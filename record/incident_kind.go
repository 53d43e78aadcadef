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
	if !bytes.Contains(raw, []byte(IncidentFormat)) && !bytes.Contains(raw, []byte(ArrangementsFormat)) {
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

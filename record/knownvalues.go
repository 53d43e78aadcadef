package record

import "slices"

// KnownValues maps each enumerated field of the case format, by its path with "[]" for
// every list ("referrals[].plans[].kind"), to the values Validate accepts, so that help
// and documentation list what validation enforces rather than a copy of it.
func KnownValues() map[string][]string {
	return map[string][]string{
		"referrals[].assessments[].kind": slices.Clone(assessmentKinds),
		"referrals[].conferences[].kind": slices.Clone(conferenceKinds),
		"referrals[].plans[].kind":       slices.Clone(planKinds),
	}
}

package checker

import (
	"cmp"
	"slices"

	"github.com/wtcheck/wtcheck/record"
)

// DueDisagreement is a case where a source system's own due date differs from the one the
// rule computes from the guidance.
type DueDisagreement struct {
	CaseID    string      `json:"case_id"`
	Edition   string      `json:"edition"`
	Rule      string      `json:"rule"`
	Subject   string      `json:"subject"`
	SystemDue record.Date `json:"system_due"`
	Due       record.Date `json:"due"`
	// Days is the system's due date less the computed one, in calendar days: negative when
	// the system expects the work sooner than the guidance does.
	Days  int    `json:"days"`
	Where string `json:"where"`
}

// CompareDue sets each system due date of a case beside the due date of the finding it
// belongs to (same rule and subject, in every edition checked) and returns the
// disagreements, in edition, rule and subject order. A system due date with no such finding,
// or a finding with no due date (the rule could not be judged), gives nothing.
func CompareDue(caseID string, due []record.SystemDue, findings []Finding) []DueDisagreement {
	if len(due) == 0 {
		return nil
	}
	var out []DueDisagreement
	for _, f := range findings {
		if f.Due.IsZero() {
			continue
		}
		for _, d := range due {
			if d.Rule == f.Rule && d.Subject == f.Subject && d.Due != f.Due {
				out = append(out, DueDisagreement{CaseID: caseID, Edition: f.Edition, Rule: f.Rule, Subject: f.Subject,
					SystemDue: d.Due, Due: f.Due, Days: f.Due.DaysUntil(d.Due), Where: d.Where})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b DueDisagreement) int {
		return cmp.Or(cmp.Compare(a.Edition, b.Edition), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Subject, b.Subject))
	})
	return out
}

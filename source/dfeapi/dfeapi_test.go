package dfeapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/rules"
	"github.com/wtcheck/wtcheck/source/dfeapi"
	"github.com/wtcheck/wtcheck/source/ssd/ssdgen"
)

var extract = record.MustDate("2024-12-31")

func read(t *testing.T, in string) []dfeapi.Record {
	t.Helper()
	var out []dfeapi.Record
	if err := dfeapi.Read(strings.NewReader(in), dfeapi.Options{ExtractDate: extract}, func(r dfeapi.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func summary(recs []dfeapi.Record) string {
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&b, "%d %s", r.Index, r.ChildID)
		switch {
		case r.Err != nil:
			fmt.Fprintf(&b, " error: %s", strings.ReplaceAll(r.Err.Error(), "\n", "; "))
		case r.Case == nil:
			fmt.Fprintf(&b, " not checked: %s", r.NotChecked())
		default:
			fmt.Fprintf(&b, " case with %d referrals", len(r.Case.Referrals))
		}
		b.WriteString("\n")
	}
	return b.String()
}

const full = `{"la_child_id": "C1", "mis_child_id": "M1", "purge": false,
 "child_details": {"date_of_birth": "2015-06-01", "disabilities": ["NONE"], "purge": false},
 "social_care_episodes": [{"social_care_episode_id": "E1", "referral_date": "2024-01-02", "referral_source": "5A",
   "referral_no_further_action_flag": false,
   "child_and_family_assessments": [{"child_and_family_assessment_id": "A1", "start_date": "2024-01-03", "authorisation_date": "2024-03-20", "factors": ["1A"], "purge": false}],
   "section_47_assessments": [{"section_47_assessment_id": "S1", "start_date": "2024-01-04", "icpc_required_flag": true, "icpc_date": "2024-01-29", "end_date": "2024-01-18", "purge": false}],
   "child_protection_plans": [{"child_protection_plan_id": "P1", "start_date": "2024-01-29", "purge": false}],
   "purge": false}]}`

// TestForms reads each form of the payload: an array as posted, objects one a line, an
// envelope; a purge and a partial payload are reported, not checked; a bad date and a missing
// id are errors that name the path; the rest is checked.
func TestForms(t *testing.T) {
	one := strings.ReplaceAll(full, "\n", "")
	lines := one + "\n" +
		`{"la_child_id": "C2", "mis_child_id": "M2", "purge": true}` + "\n" +
		`{"la_child_id": "C3", "mis_child_id": "M3", "child_details": {"surname": "changed"}}` + "\n" +
		`{"la_child_id": "C4", "purge": false, "child_details": {"date_of_birth": "2015-02-30"}, "social_care_episodes": [{"social_care_episode_id": "E1"}]}` + "\n" +
		`{"mis_child_id": "M5", "purge": false}` + "\n" +
		`{"la_child_id": 6, "purge": false}` + "\n"
	want := "1 C1 case with 1 referrals\n" +
		"2 C2 not checked: a purge: a notice that the child's record is to be deleted, not a record to check\n" +
		"3 C3 not checked: a partial payload (changed fields only, no top-level purge key): check the full payload, which holds the unchanged episodes too\n" +
		"4 C4 error: child_details.date_of_birth: is not a date in the form YYYY-MM-DD from 1900 to 2200; social_care_episodes[0].referral_date: is required\n" +
		"5  error: la_child_id: is required\n" +
		"6  error: la_child_id: a value of the wrong type (want string)\n"
	if got := summary(read(t, lines)); got != want {
		t.Errorf("objects one a line:\n%s\nwant:\n%s", got, want)
	}
	array := "\ufeff[" + strings.Join(strings.Split(strings.TrimSpace(lines), "\n"), ",\n") + "]"
	if got := summary(read(t, array)); got != want {
		t.Errorf("an array:\n%s\nwant:\n%s", got, want)
	}
	env := `{"la_code": 123, "Children": ` + one + `}`
	if got := summary(read(t, env)); got != "1 C1 case with 1 referrals\n" {
		t.Errorf("an envelope: %s", got)
	}
	if got := summary(read(t, one+"\n{\"la_child_id\": ")); !strings.HasPrefix(got, "1 C1 case with 1 referrals\n0  error: after object 1: not JSON") {
		t.Errorf("cut short: %s", got)
	}
	c := read(t, one)[0].Case
	j, _ := json.Marshal(c.Referrals[0])
	wantRef := `{"id":"E1","received":"2024-01-02","decision":null,"source":"5A","closed":null,"assessments":[{"id":"A1","kind":"single","started":"2024-01-03","completed":"2024-03-20","seen":null,"seen_alone":false,"wishes_recorded":false}],"strategy_discussions":[{"id":"SD-S1","date":"2024-01-04","agencies":null}],"s47_enquiries":[{"id":"S1","strategy_discussion_id":"SD-S1","started":"2024-01-04","completed":"2024-01-18","seen":null,"seen_alone":false,"wishes_recorded":false,"outcome":"icpc"}],"conferences":[{"id":"icpc:S1","kind":"initial","s47_id":"S1","notified":null,"date":"2024-01-29","chair_independent":false}],"plans":[{"id":"cp:P1","kind":"child_protection","started":"2024-01-29","ended":null,"core_groups":null,"visits":null}],"housing_referral":null,"housing_referral_refused":false,"homeless":false,"early_help_considered":null}`
	if string(j) != wantRef {
		t.Errorf("referral:\n%s\nwant:\n%s", j, wantRef)
	}
}

// payload writes a case record as the API's full payload, as the DfE's pipeline builds it
// from the SSD: what the payload cannot hold is left out.
func payload(c *record.Case) map[string]any {
	d := func(x record.Date) any {
		if x.IsZero() {
			return nil
		}
		return x.String()
	}
	var eps []any
	for _, r := range c.Referrals {
		ep := map[string]any{"social_care_episode_id": r.ID, "referral_date": d(r.Received), "referral_source": r.Source,
			"referral_no_further_action_flag": r.Outcome == "no_further_action", "closure_date": d(r.Closed), "purge": false}
		var as, ss, cin, cp []any
		for _, a := range r.Assessments {
			as = append(as, map[string]any{"child_and_family_assessment_id": a.ID, "start_date": d(a.Started), "authorisation_date": d(a.Completed), "purge": false})
		}
		for _, s := range r.S47Enquiries {
			m := map[string]any{"section_47_assessment_id": s.ID, "start_date": d(s.Started), "end_date": d(s.Completed), "purge": false}
			if s.Outcome != "" {
				m["icpc_required_flag"] = s.Outcome == "icpc"
			}
			for _, k := range r.Conferences {
				if k.S47ID == s.ID {
					m["icpc_date"] = d(k.Date)
				}
			}
			ss = append(ss, m)
		}
		for _, p := range r.Plans {
			if p.Kind == "child_in_need" {
				cin = append(cin, map[string]any{"child_in_need_plan_id": p.ID, "start_date": d(p.Started), "end_date": d(p.Ended), "purge": false})
			} else {
				cp = append(cp, map[string]any{"child_protection_plan_id": p.ID, "start_date": d(p.Started), "end_date": d(p.Ended), "purge": false})
			}
		}
		ep["child_and_family_assessments"], ep["section_47_assessments"], ep["child_in_need_plans"], ep["child_protection_plans"] = as, ss, cin, cp
		eps = append(eps, ep)
	}
	return map[string]any{"la_child_id": c.CaseID, "mis_child_id": c.CaseID, "purge": false,
		"child_details":        map[string]any{"date_of_birth": d(c.Child.BirthDate), "expected_date_of_birth": d(c.Child.ExpectedBirthDate), "purge": false},
		"social_care_episodes": eps}
}

// TestPayloadGivesTheOriginalFindings: synthetic records written as a full payload and read
// back give the original findings on every rule the payload can judge, and insufficient_data
// or not_applicable on the others.
func TestPayloadGivesTheOriginalFindings(t *testing.T) {
	cases := ssdgen.Synthetic(200, 3, extract)
	var list []any
	for _, c := range cases {
		c.Child.Disabled = false // the payload's disability codes are not written here
		list = append(list, payload(c))
	}
	b, _ := json.Marshal(list)
	recs := read(t, string(b))
	engine, err := rules.Engine()
	if err != nil {
		t.Fatal(err)
	}
	var lacks []string
	for _, g := range dfeapi.Lacks() {
		lacks = append(lacks, g.Path)
	}
	judged := map[string]bool{}
	for _, cp := range engine.Packs {
		for _, r := range cp.Pack.Rules {
			judged[cp.Pack.Edition+"/"+r.ID] = len(cp.Lacking(r.ID, lacks)) == 0
		}
	}
	key := func(f checker.Finding) string {
		f.Subject = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(f.Subject, "icpc:"), "cp:"), "cin:")
		f.Proxies = nil
		j, _ := json.Marshal(f)
		return string(j)
	}
	compared := map[string]int{}
	for i, rec := range recs {
		if rec.Err != nil || rec.Case == nil {
			t.Fatalf("record %d: %v", i+1, rec.Err)
		}
		want, _ := engine.Check(cases[i], record.Date{})
		got, _ := engine.Check(rec.Case, record.Date{})
		set := map[string]int{}
		for _, f := range want {
			if judged[f.Edition+"/"+f.Rule] {
				set[key(f)]++
			}
		}
		for _, f := range got {
			if !judged[f.Edition+"/"+f.Rule] {
				if f.Status != checker.StatusInsufficientData && f.Status != checker.StatusNotApplicable {
					t.Fatalf("%s: a rule the payload cannot judge gave %s", key(f), f.Status)
				}
				continue
			}
			if set[key(f)] == 0 {
				t.Fatalf("%s: not among the original's findings", key(f))
			}
			set[key(f)]--
			compared[f.Rule]++
		}
		for k, n := range set {
			if n > 0 {
				t.Fatalf("%s: missing", k)
			}
		}
	}
	for _, r := range []string{"assessment-timeliness", "icpc-timeliness", "strategy-discussion-before-s47", "plan-ends-by-18"} {
		if compared[r] == 0 {
			t.Errorf("no finding of %s compared", r)
		}
	}
}

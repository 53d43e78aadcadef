// Package ssdgen writes case records as the Standard Safeguarding Dataset's tables, one CSV
// file per table with the SSD's column names: the synthetic SSD extracts of the tests, of
// fixtures/ssd-sample and of `wtcheck gen --format ssd-csv`. It writes what the SSD can hold
// and drops the rest (decision dates, strategy discussions, core groups, who chaired, …):
// read back by package ssd, a record gives the same findings as the original on every rule
// the SSD can judge, as long as each enquiry's strategy discussion was on its start date.
//
// Ids are made unique across people, as the SSD's are: each of a record's ids is prefixed
// with its case id and a dot, and each id within a referral with the referral's id too
// (referral R1 of case C-1 is C-1.R1, its plan P1 is C-1.R1.P1).
package ssdgen

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source/ssd"
)

// Options control what is written.
type Options struct {
	// Times writes a time of day on visits and conferences (as a case note's time is), to
	// show that the reader takes the calendar date.
	Times bool
}

// Writer writes case records as SSD tables in a folder.
type Writer struct {
	opts  Options
	files []*os.File
	bufs  []*bufio.Writer
	w     map[string]*csv.Writer
	cols  map[string][]string
}

// Create creates (or truncates) one CSV file per SSD table in dir, each with its header.
func Create(dir string, opts Options) (_ *Writer, err error) {
	w := &Writer{opts: opts, w: map[string]*csv.Writer{}, cols: map[string][]string{}}
	defer func() {
		if err != nil {
			w.Close()
		}
	}()
	for _, t := range ssd.Tables() {
		f, err := os.Create(filepath.Join(dir, t+".csv"))
		if err != nil {
			return nil, fmt.Errorf("create ssd table: %w", err)
		}
		bw := bufio.NewWriter(f)
		cw := csv.NewWriter(bw)
		w.files, w.bufs = append(w.files, f), append(w.bufs, bw)
		w.w[t], w.cols[t] = cw, ssd.Columns(t)
		if err := cw.Write(w.cols[t]); err != nil {
			return nil, fmt.Errorf("write %s: %w", t, err)
		}
	}
	return w, nil
}

// Close flushes and closes the files.
func (w *Writer) Close() error {
	var errs []error
	for _, cw := range w.w {
		cw.Flush()
		errs = append(errs, cw.Error())
	}
	for i, f := range w.files {
		errs = append(errs, w.bufs[i].Flush(), f.Close())
	}
	return errors.Join(errs...)
}

// put writes one row of a table from column values; columns not given are null.
func (w *Writer) put(table string, vals map[string]string) error {
	cols := w.cols[table]
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = vals[c]
	}
	return w.w[table].Write(rec)
}

func (w *Writer) date(d record.Date, at string) string {
	if d.IsZero() {
		return ""
	}
	if !w.opts.Times || at == "" {
		at = "00:00:00"
	}
	return d.String() + " " + at
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

// Add writes one case record's rows.
func (w *Writer) Add(c *record.Case) error {
	id := func(s string) string { return c.CaseID + "." + s }
	var errs []error
	put := func(table string, vals map[string]string) { errs = append(errs, w.put(table, vals)) }
	put("ssd_person", map[string]string{"pers_person_id": c.CaseID, "pers_dob": w.date(c.Child.BirthDate, ""),
		"pers_expected_dob": w.date(c.Child.ExpectedBirthDate, "")})
	code := "NONE"
	if c.Child.Disabled {
		code = "OTH"
	}
	put("ssd_disability", map[string]string{"disa_table_id": id("D1"), "disa_person_id": c.CaseID, "disa_disability_code": code})
	for _, r := range c.Referrals {
		// Ids are unique within a referral in a case record, across the SSD in its tables.
		id := func(s string) string {
			if s == r.ID {
				return id(s)
			}
			return id(r.ID + "." + s)
		}
		var json string
		switch r.Outcome {
		case "s47":
			json = `{"STRATEGY_DISCUSSION_FLAG": "Y", "SINGLE_ASSESSMENT_FLAG": "N"}`
		case "assessment":
			json = `{"STRATEGY_DISCUSSION_FLAG": "N", "SINGLE_ASSESSMENT_FLAG": "Y"}`
		}
		put("ssd_cin_episodes", map[string]string{"cine_referral_id": id(r.ID), "cine_person_id": c.CaseID,
			"cine_referral_date": w.date(r.Received, "09:12:00"), "cine_referral_source_code": r.Source,
			"cine_referral_outcome_json": json, "cine_referral_nfa": yn(r.Outcome == "no_further_action"),
			"cine_close_date": w.date(r.Closed, "")})
		for _, a := range r.Assessments {
			seen := false
			for _, d := range a.Seen {
				seen = seen || !d.IsZero()
			}
			put("ssd_cin_assessments", map[string]string{"cina_assessment_id": id(a.ID), "cina_person_id": c.CaseID,
				"cina_referral_id": id(r.ID), "cina_assessment_start_date": w.date(a.Started, ""),
				"cina_assessment_child_seen": yn(seen), "cina_assessment_auth_date": w.date(a.Completed, "")})
		}
		for _, s := range r.S47Enquiries {
			json := ""
			if s.Outcome == "icpc" {
				json = `{"NFA_FLAG": "N", "CP_CONFERENCE_FLAG": "Y"}`
			}
			put("ssd_s47_enquiry", map[string]string{"s47e_s47_enquiry_id": id(s.ID), "s47e_person_id": c.CaseID,
				"s47e_referral_id": id(r.ID), "s47e_s47_start_date": w.date(s.Started, ""),
				"s47e_s47_end_date": w.date(s.Completed, ""), "s47e_s47_nfa": yn(s.Outcome == "no_further_action"),
				"s47e_s47_outcome_json": json})
		}
		for _, k := range r.Conferences {
			outcome := map[string]string{"plan": "Y", "no_plan": "N", "continue": "Y", "end_plan": "N"}[k.Outcome]
			switch k.Kind {
			case "initial", "pre_birth", "transfer_in":
				vals := map[string]string{"icpc_icpc_id": id(k.ID), "icpc_person_id": c.CaseID, "icpc_referral_id": id(r.ID),
					"icpc_icpc_transfer_in": yn(k.Kind == "transfer_in"), "icpc_icpc_date": w.date(k.Date, "13:30:00"),
					"icpc_icpc_outcome_cp_flag": outcome}
				if k.S47ID != "" {
					vals["icpc_s47_enquiry_id"] = id(k.S47ID)
				}
				if k.PlanID != "" {
					vals["icpc_cp_plan_id"] = id(k.PlanID)
				}
				put("ssd_initial_cp_conference", vals)
			case "review":
				put("ssd_cp_reviews", map[string]string{"cppr_cp_review_id": id(k.ID), "cppr_person_id": c.CaseID,
					"cppr_cp_plan_id": id(k.PlanID), "cppr_cp_review_date": w.date(k.Date, "10:00:00"),
					"cppr_cp_review_outcome_continue_cp": outcome})
			}
		}
		for _, p := range r.Plans {
			if p.Kind == "child_in_need" {
				put("ssd_cin_plans", map[string]string{"cinp_cin_plan_id": id(p.ID), "cinp_person_id": c.CaseID,
					"cinp_referral_id": id(r.ID), "cinp_cin_plan_start_date": w.date(p.Started, ""),
					"cinp_cin_plan_end_date": w.date(p.Ended, "")})
				for i, v := range p.Visits {
					put("ssd_cin_visits", map[string]string{"cinv_cin_visit_id": id(p.ID) + ".V" + strconv.Itoa(i+1),
						"cinv_person_id": c.CaseID, "cinv_cin_visit_date": w.date(v.Date, "15:00:00"),
						"cinv_cin_visit_seen": yn(v.Seen), "cinv_cin_visit_seen_alone": yn(v.SeenAlone)})
				}
				continue
			}
			category := p.Category
			if category != "" {
				category = strings.ToUpper(category[:1]) + category[1:]
			}
			put("ssd_cp_plans", map[string]string{"cppl_cp_plan_id": id(p.ID), "cppl_person_id": c.CaseID,
				"cppl_referral_id": id(r.ID), "cppl_cp_plan_start_date": w.date(p.Started, ""),
				"cppl_cp_plan_end_date": w.date(p.Ended, ""), "cppl_cp_plan_latest_category": category})
			for i, v := range p.Visits {
				put("ssd_cp_visits", map[string]string{"cppv_cp_visit_id": fmt.Sprintf("%s.V%03d", id(p.ID), i+1),
					"cppv_person_id": c.CaseID, "cppv_cp_plan_id": id(p.ID), "cppv_cp_visit_date": w.date(v.Date, "14:30:00"),
					"cppv_cp_visit_seen": yn(v.Seen), "cppv_cp_visit_seen_alone": yn(v.SeenAlone)})
			}
		}
	}
	return errors.Join(errs...)
}

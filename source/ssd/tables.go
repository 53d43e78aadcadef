package ssd

// table is one SSD table that wtcheck reads: its name, the columns read (the row's id
// first, the person's id second, under the SSD's own names from its object specifications,
// data/objects/<table>.yml of data-to-insight/ssd-data-model 1.4.5), and what its absence
// costs.
type table struct {
	name    string
	columns []string
	// required tables stop the run when absent: without them there is no case to check.
	required bool
	// lacks are the provenance.lacks paths that a record gets when the table is absent, so
	// that the rules needing it give insufficient_data.
	lacks []string
	index map[string]int
}

// The tables, in the order a person's rows are gathered. Indexes into tables.
const (
	tPerson = iota
	tDisability
	tEpisodes
	tAssessments
	tS47
	tICPC
	tCPPlans
	tCPReviews
	tCPVisits
	tCINPlans
	tCINVisits
	nTables
)

// tables are the SSD tables read; the columns are those docs/ssd-postgres-role.sql grants.
var tables = [nTables]*table{
	tPerson: {name: "ssd_person", required: true,
		columns: []string{"pers_person_id", "pers_person_id", "pers_dob", "pers_expected_dob"}},
	tDisability: {name: "ssd_disability", lacks: []string{"child.disabled"},
		columns: []string{"disa_table_id", "disa_person_id", "disa_disability_code"}},
	tEpisodes: {name: "ssd_cin_episodes", required: true,
		columns: []string{"cine_referral_id", "cine_person_id", "cine_referral_date", "cine_referral_source_code",
			"cine_referral_outcome_json", "cine_referral_nfa", "cine_close_date"}},
	tAssessments: {name: "ssd_cin_assessments", lacks: []string{"assessments"},
		columns: []string{"cina_assessment_id", "cina_person_id", "cina_referral_id", "cina_assessment_start_date",
			"cina_assessment_child_seen", "cina_assessment_auth_date"}},
	tS47: {name: "ssd_s47_enquiry", lacks: []string{"s47_enquiries", "strategy_discussions"},
		columns: []string{"s47e_s47_enquiry_id", "s47e_person_id", "s47e_referral_id", "s47e_s47_start_date",
			"s47e_s47_end_date", "s47e_s47_nfa", "s47e_s47_outcome_json"}},
	tICPC: {name: "ssd_initial_cp_conference", lacks: []string{"conferences"},
		columns: []string{"icpc_icpc_id", "icpc_person_id", "icpc_s47_enquiry_id", "icpc_cp_plan_id", "icpc_referral_id",
			"icpc_icpc_transfer_in", "icpc_icpc_target_date", "icpc_icpc_date", "icpc_icpc_outcome_cp_flag", "icpc_icpc_outcome_json"}},
	tCPPlans: {name: "ssd_cp_plans", lacks: []string{"plans"},
		columns: []string{"cppl_cp_plan_id", "cppl_person_id", "cppl_referral_id", "cppl_icpc_id",
			"cppl_cp_plan_start_date", "cppl_cp_plan_end_date", "cppl_cp_plan_latest_category"}},
	tCPReviews: {name: "ssd_cp_reviews", lacks: []string{"conferences"},
		columns: []string{"cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_due",
			"cppr_cp_review_date", "cppr_cp_review_outcome_continue_cp"}},
	tCPVisits: {name: "ssd_cp_visits", lacks: []string{"plans.visits"},
		columns: []string{"cppv_cp_visit_id", "cppv_person_id", "cppv_cp_plan_id", "cppv_cp_visit_date",
			"cppv_cp_visit_seen", "cppv_cp_visit_seen_alone"}},
	// Child-in-need plans and their visits: no rule reads them beyond the plans' kind, so
	// their absence costs nothing but the plans themselves.
	tCINPlans: {name: "ssd_cin_plans",
		columns: []string{"cinp_cin_plan_id", "cinp_person_id", "cinp_referral_id", "cinp_cin_plan_start_date",
			"cinp_cin_plan_end_date"}},
	tCINVisits: {name: "ssd_cin_visits",
		columns: []string{"cinv_cin_visit_id", "cinv_person_id", "cinv_cin_visit_date", "cinv_cin_visit_seen",
			"cinv_cin_visit_seen_alone"}},
}

func init() {
	for _, t := range tables {
		t.index = map[string]int{}
		for i, c := range t.columns {
			if _, ok := t.index[c]; !ok {
				t.index[c] = i
			}
		}
	}
}

// distinct lists a table's columns once each: ssd_person's id is both its row id and its
// person id.
func (t *table) distinct() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range t.columns {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// Tables lists the SSD tables the source reads, persons first.
func Tables() []string {
	out := make([]string, nTables)
	for i, t := range tables {
		out[i] = t.name
	}
	return out
}

// Columns lists the columns the source reads from a table, under the SSD's names, or nil
// for a table it does not read.
func Columns(name string) []string {
	for _, t := range tables {
		if t.name == name {
			return t.distinct()
		}
	}
	return nil
}

// row is one row of a table: its values as text, cleaned ("" for null), in the order of the
// table's columns (the row id first, the person id second).
type row struct {
	t    *table
	line int // the line of a CSV file the row starts on; 0 from a database
	vals []string
}

func (r *row) id() string     { return r.vals[0] }
func (r *row) person() string { return r.vals[1] }

// get returns a column's value.
func (r *row) get(col string) string {
	i, ok := r.t.index[col]
	if !ok {
		panic("ssd: no column " + col + " in " + r.t.name)
	}
	return r.vals[i]
}

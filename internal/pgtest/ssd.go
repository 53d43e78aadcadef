package pgtest

import _ "embed"

// SSDSchema is the DDL of the Standard Safeguarding Dataset tables that wtcheck reads
// (testdata/ssd_schema.sql), for tests that load SSD rows into a throwaway server. It
// follows the SSD's object specifications and its PostgreSQL deployment's column sizes;
// docs/ssd-tables.md maps its columns to the case format.
//
//go:embed testdata/ssd_schema.sql
var SSDSchema string

// SSDTables lists the tables SSDSchema creates, persons first.
var SSDTables = []string{
	"ssd_person",
	"ssd_cin_episodes",
	"ssd_cin_assessments",
	"ssd_s47_enquiry",
	"ssd_initial_cp_conference",
	"ssd_cp_plans",
	"ssd_cp_reviews",
	"ssd_cp_visits",
	"ssd_cin_plans",
	"ssd_cin_visits",
	"ssd_early_help_episodes",
	"ssd_disability",
}

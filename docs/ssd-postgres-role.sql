-- A read-only PostgreSQL role for wtcheck, reading the Standard Safeguarding Dataset.
--
-- Run it as the SSD's owner (or a superuser), connected to the SSD's database:
--
--     psql --dbname ssd --file docs/ssd-postgres-role.sql
--     psql --dbname ssd --command '\password wtcheck_reader'
--
-- \password asks for the password twice and sends the server only its hash, so the password
-- is never in this file, a command line, the shell's history or the server's log. wtcheck
-- reads it the same way, from PGPASSWORD or a .pgpass file (PGPASSFILE, else ~/.pgpass;
-- the file must be 0600; for a Unix socket its host field is "localhost"), never from a
-- flag or the connection URL.
--
-- The tables are assumed to be in schema public; where the SSD has a schema of its own,
-- put its name in place of public below and in the connection URL's search_path.
--
-- What keeps the role from writing is its privileges: it may read the columns listed here
-- and nothing else (PostgreSQL 15 no longer lets every role create tables in public; on
-- older servers run REVOKE CREATE ON SCHEMA public FROM PUBLIC). default_transaction_read_only
-- is a second guard, not the boundary: a session may turn it off, and even then every write
-- is refused. internal/pgtest/ssd_test.go loads this file and checks both.

CREATE ROLE wtcheck_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION;
ALTER ROLE wtcheck_reader SET default_transaction_read_only = on;

DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO wtcheck_reader', current_database());
END
$$;
GRANT USAGE ON SCHEMA public TO wtcheck_reader;

-- Exactly the columns wtcheck reads (docs/ssd-tables.md): no names, NHS numbers, ethnicity,
-- teams or workers. A DBA who prefers it may grant whole tables instead
-- (GRANT SELECT ON ssd_person, ... TO wtcheck_reader): still read-only, but more than
-- wtcheck needs.
GRANT SELECT (pers_person_id, pers_dob, pers_expected_dob)
    ON ssd_person TO wtcheck_reader;
GRANT SELECT (cine_referral_id, cine_person_id, cine_referral_date, cine_referral_source_code,
              cine_referral_outcome_json, cine_referral_nfa, cine_close_date)
    ON ssd_cin_episodes TO wtcheck_reader;
GRANT SELECT (cina_assessment_id, cina_person_id, cina_referral_id, cina_assessment_start_date,
              cina_assessment_child_seen, cina_assessment_auth_date)
    ON ssd_cin_assessments TO wtcheck_reader;
GRANT SELECT (s47e_s47_enquiry_id, s47e_referral_id, s47e_person_id, s47e_s47_start_date,
              s47e_s47_end_date, s47e_s47_nfa, s47e_s47_outcome_json)
    ON ssd_s47_enquiry TO wtcheck_reader;
GRANT SELECT (icpc_icpc_id, icpc_s47_enquiry_id, icpc_person_id, icpc_cp_plan_id, icpc_referral_id,
              icpc_icpc_transfer_in, icpc_icpc_target_date, icpc_icpc_date,
              icpc_icpc_outcome_cp_flag, icpc_icpc_outcome_json)
    ON ssd_initial_cp_conference TO wtcheck_reader;
GRANT SELECT (cppl_cp_plan_id, cppl_referral_id, cppl_icpc_id, cppl_person_id,
              cppl_cp_plan_start_date, cppl_cp_plan_end_date, cppl_cp_plan_latest_category)
    ON ssd_cp_plans TO wtcheck_reader;
GRANT SELECT (cppr_cp_review_id, cppr_person_id, cppr_cp_plan_id, cppr_cp_review_due,
              cppr_cp_review_date, cppr_cp_review_outcome_continue_cp)
    ON ssd_cp_reviews TO wtcheck_reader;
GRANT SELECT (cppv_cp_visit_id, cppv_person_id, cppv_cp_plan_id, cppv_cp_visit_date,
              cppv_cp_visit_seen, cppv_cp_visit_seen_alone)
    ON ssd_cp_visits TO wtcheck_reader;
GRANT SELECT (cinp_cin_plan_id, cinp_referral_id, cinp_person_id, cinp_cin_plan_start_date,
              cinp_cin_plan_end_date)
    ON ssd_cin_plans TO wtcheck_reader;
GRANT SELECT (cinv_cin_visit_id, cinv_person_id, cinv_cin_visit_date, cinv_cin_visit_seen,
              cinv_cin_visit_seen_alone)
    ON ssd_cin_visits TO wtcheck_reader;
GRANT SELECT (earl_episode_id, earl_person_id, earl_episode_start_date, earl_episode_end_date)
    ON ssd_early_help_episodes TO wtcheck_reader;
GRANT SELECT (disa_table_id, disa_person_id, disa_disability_code)
    ON ssd_disability TO wtcheck_reader;

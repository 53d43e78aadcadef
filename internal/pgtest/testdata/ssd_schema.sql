-- The Standard Safeguarding Dataset tables wtcheck reads, as PostgreSQL tables, for tests.
--
-- Written from the SSD's object specifications (data-to-insight/ssd-data-model,
-- data/objects/<table>.yml, release 1.4.5): every column of each object, under the SSD's own
-- names. The specifications give SQL Server types (nvarchar, nchar, datetime) without
-- sizes; the sizes here are those of the SSD's PostgreSQL deployment (Eclipse), where
-- nvarchar(n) is varchar(n), nchar(n) is char(n) and datetime is timestamp (without time
-- zone). docs/ssd-tables.md says what each column means to wtcheck.
--
-- Primary keys are declared. Foreign keys are not enforced, as in the SSD's own
-- deployments (their ALTER TABLE ... FOREIGN KEY statements are commented out, and the
-- System C script notes visits whose plan is missing): each is written as a comment, and a
-- reader must check them itself. That also lets a test load the orphan rows a real SSD has.
--
-- The person-id indexes serve the reader, which streams every table ordered by person.

CREATE TABLE ssd_person (
    pers_person_id        varchar(48) PRIMARY KEY,
    pers_legacy_id        varchar(48),
    pers_common_child_id  varchar(48),      -- NHS number
    pers_forename         varchar(100),
    pers_surname          varchar(255),
    pers_sex              varchar(20),      -- F, M, U
    pers_gender           varchar(10),
    pers_ethnicity        varchar(48),
    pers_dob              timestamp,
    pers_expected_dob     timestamp,
    pers_death_date       timestamp,
    pers_upn_unknown      varchar(6),
    pers_send_flag        char(5),          -- Y, N: has an EHC plan (char(5) as deployed)
    pers_is_mother        char(1),          -- Y, N
    pers_nationality      varchar(48)
);

CREATE TABLE ssd_cin_episodes (
    cine_referral_id            varchar(48) PRIMARY KEY,
    cine_person_id              varchar(48) NOT NULL,  -- references ssd_person (pers_person_id)
    cine_referral_date          timestamp,
    cine_cin_primary_need_code  varchar(3),            -- N0 to N9
    cine_referral_source_code   varchar(48),
    cine_referral_source_desc   varchar(255),
    cine_referral_outcome_json  varchar(4000),         -- JSON object of Y/N flags
    cine_referral_nfa           char(1),               -- Y, N
    cine_close_reason           varchar(100),          -- RC1 to RC9
    cine_close_date             timestamp,
    cine_referral_team          varchar(48),           -- references ssd_department (dept_team_id)
    cine_referral_worker_id     varchar(100)           -- references ssd_professionals (prof_professional_id)
);
CREATE INDEX ssd_cin_episodes_person ON ssd_cin_episodes (cine_person_id);

CREATE TABLE ssd_cin_assessments (
    cina_assessment_id            varchar(48) PRIMARY KEY,
    cina_person_id                varchar(48) NOT NULL, -- references ssd_person (pers_person_id)
    cina_referral_id              varchar(48),          -- references ssd_cin_episodes (cine_referral_id)
    cina_assessment_start_date    timestamp,
    cina_assessment_child_seen    char(1),              -- Y, N
    cina_assessment_auth_date     timestamp,
    cina_assessment_outcome_json  varchar(1000),        -- JSON object of Y/N flags, a count, comments
    cina_assessment_outcome_nfa   char(1),              -- Y, N
    cina_assessment_team          varchar(48),          -- references ssd_department (dept_team_id)
    cina_assessment_worker_id     varchar(100)          -- references ssd_professionals (prof_professional_id)
);
CREATE INDEX ssd_cin_assessments_person ON ssd_cin_assessments (cina_person_id);

CREATE TABLE ssd_s47_enquiry (
    s47e_s47_enquiry_id              varchar(48) PRIMARY KEY,
    s47e_referral_id                 varchar(48),          -- references ssd_cin_episodes (cine_referral_id)
    s47e_person_id                   varchar(48) NOT NULL, -- references ssd_person (pers_person_id)
    s47e_s47_start_date              timestamp,            -- the day of the strategy discussion that initiated it
    s47e_s47_end_date                timestamp,
    s47e_s47_nfa                     char(1),              -- Y, N
    s47e_s47_outcome_json            varchar(1000),        -- JSON object of Y/N flags, a count, comments
    s47e_s47_completed_by_team       varchar(48),          -- references ssd_department (dept_team_id)
    s47e_s47_completed_by_worker_id  varchar(100)          -- references ssd_professionals (prof_professional_id)
);
CREATE INDEX ssd_s47_enquiry_person ON ssd_s47_enquiry (s47e_person_id);

CREATE TABLE ssd_initial_cp_conference (
    icpc_icpc_id               varchar(48) PRIMARY KEY,
    icpc_icpc_meeting_id       varchar(48),
    icpc_s47_enquiry_id        varchar(48),          -- references ssd_s47_enquiry (s47e_s47_enquiry_id)
    icpc_person_id             varchar(48) NOT NULL, -- references ssd_person (pers_person_id)
    icpc_cp_plan_id            varchar(48),          -- the plan the conference started, if any
    icpc_referral_id           varchar(48),          -- references ssd_cin_episodes (cine_referral_id)
    icpc_icpc_transfer_in      char(1),              -- Y, N
    icpc_icpc_target_date      timestamp,            -- the system's own due date
    icpc_icpc_date             timestamp,
    icpc_icpc_outcome_cp_flag  char(1),              -- Y, N: a plan
    icpc_icpc_outcome_json     varchar(1000),        -- JSON object of Y/N flags, a count, comments
    icpc_icpc_team             varchar(48),          -- references ssd_department (dept_team_id)
    icpc_icpc_worker_id        varchar(100)          -- references ssd_professionals (prof_professional_id)
);
CREATE INDEX ssd_initial_cp_conference_person ON ssd_initial_cp_conference (icpc_person_id);

CREATE TABLE ssd_cp_plans (
    cppl_cp_plan_id               varchar(48) PRIMARY KEY,
    cppl_referral_id              varchar(48),          -- references ssd_cin_episodes (cine_referral_id)
    cppl_icpc_id                  varchar(48),          -- references ssd_initial_cp_conference (icpc_icpc_id)
    cppl_person_id                varchar(48) NOT NULL, -- references ssd_person (pers_person_id)
    cppl_cp_plan_start_date       timestamp,
    cppl_cp_plan_end_date         timestamp,
    cppl_cp_plan_ola              char(1),              -- Y, N: another local authority's plan
    cppl_cp_plan_initial_category varchar(100),
    cppl_cp_plan_latest_category  varchar(100)
);
CREATE INDEX ssd_cp_plans_person ON ssd_cp_plans (cppl_person_id);

CREATE TABLE ssd_cp_reviews (
    cppr_cp_review_id                   varchar(48) PRIMARY KEY,
    cppr_person_id                      varchar(48),  -- references ssd_person (pers_person_id)
    cppr_cp_plan_id                     varchar(48),  -- references ssd_cp_plans (cppl_cp_plan_id)
    cppr_cp_review_due                  timestamp,    -- the system's own due date
    cppr_cp_review_date                 timestamp,    -- the day it was held
    cppr_cp_review_meeting_id           varchar(48),
    cppr_cp_review_outcome_continue_cp  char(1),      -- Y, N
    cppr_cp_review_quorate              varchar(100),
    cppr_cp_review_participation        varchar(100)  -- PN0 to PN7 (placeholder data in 1.4.5)
);
CREATE INDEX ssd_cp_reviews_person ON ssd_cp_reviews (cppr_person_id);

CREATE TABLE ssd_cp_visits (
    cppv_cp_visit_id          varchar(48) PRIMARY KEY,
    cppv_person_id            varchar(48),  -- references ssd_person (pers_person_id)
    cppv_cp_plan_id           varchar(48),  -- references ssd_cp_plans (cppl_cp_plan_id); many visits a plan
    cppv_cp_visit_date        timestamp,    -- a case note's time: a time of day is usual
    cppv_cp_visit_seen        char(1),      -- Y, N
    cppv_cp_visit_seen_alone  char(1),      -- Y, N
    cppv_cp_visit_bedroom     char(1)       -- Y, N
);
CREATE INDEX ssd_cp_visits_person ON ssd_cp_visits (cppv_person_id);

CREATE TABLE ssd_cin_plans (
    cinp_cin_plan_id          varchar(48) PRIMARY KEY,
    cinp_referral_id          varchar(48),          -- references ssd_cin_episodes (cine_referral_id)
    cinp_person_id            varchar(48) NOT NULL, -- references ssd_person (pers_person_id)
    cinp_cin_plan_start_date  timestamp,
    cinp_cin_plan_end_date    timestamp,
    cinp_cin_plan_team        varchar(48),          -- references ssd_department (dept_team_id)
    cinp_cin_plan_worker_id   varchar(100)          -- references ssd_professionals (prof_professional_id)
);
CREATE INDEX ssd_cin_plans_person ON ssd_cin_plans (cinp_person_id);

CREATE TABLE ssd_cin_visits (
    cinv_cin_visit_id          varchar(48) PRIMARY KEY,
    cinv_person_id             varchar(48),  -- references ssd_person (pers_person_id); no plan id
    cinv_cin_visit_date        timestamp,
    cinv_cin_visit_seen        char(1),      -- Y, N
    cinv_cin_visit_seen_alone  char(1),      -- Y, N
    cinv_cin_visit_bedroom     char(1)       -- Y, N
);
CREATE INDEX ssd_cin_visits_person ON ssd_cin_visits (cinv_person_id);

CREATE TABLE ssd_early_help_episodes (
    earl_episode_id            varchar(48) PRIMARY KEY,
    earl_person_id             varchar(48) NOT NULL, -- references ssd_person (pers_person_id)
    earl_episode_start_date    timestamp,
    earl_episode_end_date      timestamp,
    earl_episode_reason        text,
    earl_episode_end_reason    text,
    earl_episode_organisation  text,
    earl_episode_worker_id     varchar(100)          -- references ssd_professionals (prof_professional_id)
);
CREATE INDEX ssd_early_help_episodes_person ON ssd_early_help_episodes (earl_person_id);

CREATE TABLE ssd_disability (
    disa_table_id         varchar(48) PRIMARY KEY,
    disa_person_id        varchar(48) NOT NULL, -- references ssd_person (pers_person_id); one row a disability
    disa_disability_code  varchar(48) NOT NULL  -- NONE, MOB, HAND, PC, INC, COMM, LD, HEAR, VIS, BEH, CON, AUT, DDA
);
CREATE INDEX ssd_disability_person ON ssd_disability (disa_person_id);

// Package cincensus imports the Department for Education's Children in Need census return (the
// CIN census XML, collection years 2018 to 2026) as case records of the format wtcheck/case/v1,
// one record per <Child>, streamed: memory does not grow with the number of children.
//
// # Mapping
//
// Every record gets format "wtcheck/case/v1", case_id and child.id = LAchildID, extract_date =
// Message/Header/CollectionDetails/ReferenceDate, provenance.format = "cin-census" and
// provenance.lacks = the paths of [Lacks].
//
//	census element                                   case record
//	ChildIdentifiers/LAchildID                       case_id, child.id (required)
//	ChildIdentifiers/PersonBirthDate                 child.birth_date
//	ChildIdentifiers/ExpectedPersonBirthDate         child.expected_birth_date (a plan, not an event)
//	ChildIdentifiers/PersonDeathDate                 not imported (the model has no field for it)
//	ChildCharacteristics/Disabilities/Disability     child.disabled: true when any is not NONE
//	CINdetails (each, in order)                      referrals[] R1, R2, …
//	  CINreferralDate                                received (required)
//	  ReferralSource                                 source (the census code, as written)
//	  CINclosureDate                                 closed
//	  ReferralNFA true                               outcome "no_further_action"
//	  DateOfInitialCPC                               an initial conference, when no Section47 of
//	                                                 the episode carries one (see below)
//	  Assessments (each)                             assessments[] A1, …, kind "single"
//	    AssessmentActualStartDate                    started
//	    AssessmentAuthorisationDate                  completed
//	  CINPlanDates (each)                            plans[] kind "child_in_need"
//	    CINPlanStartDate, CINPlanEndDate             started, ended
//	  Section47 (each)                               s47_enquiries[] S1, …
//	    S47ActualStartDate                           started
//	    ICPCnotRequired true                         outcome "no_further_action"
//	    DateOfInitialCPC                             conferences[] K…, kind "initial", s47_id; and
//	                                                 outcome "icpc" unless ICPCnotRequired is true
//	    InitialCPCtarget                             not imported: the census's own target date
//	  ChildProtectionPlans (each)                    plans[] kind "child_protection"
//	    CPPstartDate, CPPendDate                     started, ended
//	    LatestCategoryOfAbuse                        category (NEG neglect, PHY physical,
//	                                                 EMO emotional, SAB sexual, MUL multiple)
//	    Reviews/CPPreviewDate (each)                 conferences[] K…, kind "review", plan_id
//
// Plans are numbered P1, P2, … in the schema's order (CINPlanDates before ChildProtectionPlans);
// conferences K1, K2, … with the initial conferences first (in Section47 order), then the
// episode's own DateOfInitialCPC, then the review conferences plan by plan.
//
// The episode's DateOfInitialCPC (on CINdetails) becomes an initial conference only when no
// Section47 of the episode has a DateOfInitialCPC of its own (otherwise it is the same
// conference recorded twice). It is tied to the latest enquiry of the episode that started on
// or before it and does not say ICPCnotRequired, and that enquiry's outcome becomes "icpc";
// with no such enquiry it is kept with no s47_id. An enquiry that says ICPCnotRequired true
// but also has a DateOfInitialCPC keeps its conference (it was held) and the outcome
// "no_further_action" the return gives it. An enquiry with ICPCnotRequired false and no
// conference date has no outcome: it may still be open.
//
// The census is a return of dates: collections it records (assessments, s47_enquiries,
// conferences, plans) are empty lists when the child has none, because there none happened;
// facts it cannot record at all are left out and listed in provenance.lacks, so that rules
// needing them give insufficient_data, never a breach.
//
// With [Options.S47StartAsStrategyDiscussion] each enquiry with a start date gets a strategy
// discussion "SD-" + its id, dated on that start date, named by the enquiry's
// strategy_discussion_id, and provenance.proxies says so; strategy_discussions.agencies stays
// lacking.
//
// # Census years
//
// Element names are matched by local name, whatever the namespace. Elements the importer does
// not use are passed over, so the sex element's renaming (GenderCurrent to Sex), optional
// modules added over the years (CINPlanDates, the 2025/26 PreProceedingsandFGDM) and anything a
// supplier adds are all read. Yes/no values are true/false, TRUE/FALSE or 1/0 in any case,
// with surrounding white space; dates are YYYY-MM-DD, with an optional xs:date zone suffix. A
// UTF-8 byte-order mark, CRLF line ends, text between elements, and the encodings UTF-8,
// US-ASCII, ISO-8859-1 and windows-1252 are accepted. An element present but empty counts as
// not recorded.
//
// # Errors
//
// A child that cannot be imported (no LAchildID, a CINdetails with no CINreferralDate, a date
// that is not a date, a yes/no that is neither, an event dated after the ReferenceDate) becomes
// a record with Err, naming each problem's XML line and element path and never quoting a value,
// with CaseID set when the child's id is known; the next child is read as usual. XML that is not
// well formed stops the file: the error record gives the line, and says the rest of the file
// could not be read. A return with no usable ReferenceDate before its first child is one error
// record with Index 0, and nothing is read.
package cincensus

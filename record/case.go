package record

// CaseFormat is the format tag of a native case record.
const CaseFormat = "wtcheck/case/v1"

// Case is one child's involvement with children's social care: one case record of the
// format wtcheck/case/v1 (see the case format in the specification). It is decoded once and
// then only read, so it is safe to share between goroutines.
type Case struct {
	Format       string       `json:"format,omitempty"`
	CaseID       string       `json:"case_id"`
	ExtractDate  Date         `json:"extract_date"`
	Organisation Organisation `json:"organisation"`
	Child        Child        `json:"child"`
	Referrals    []*Referral  `json:"referrals"`
	Provenance   Provenance   `json:"provenance"`
}

// Organisation says whose case it is, for grouping in reports.
type Organisation struct {
	LACode string `json:"la_code,omitempty"`
	Team   string `json:"team,omitempty"`
}

// Child is the child the case is about.
type Child struct {
	ID                string   `json:"id,omitempty"`
	BirthDate         Date     `json:"birth_date"`
	ExpectedBirthDate Date     `json:"expected_birth_date"`
	Disabled          bool     `json:"disabled"`
	Circumstances     []string `json:"circumstances"`
}

// Provenance says where a record came from and which facts its source cannot record.
type Provenance struct {
	Format string   `json:"format,omitempty"`
	Lacks  []string `json:"lacks,omitempty"`
	// Proxies lists facts an importer filled with a stand-in the user asked for (for example
	// strategy discussions dated on the section 47 start, as the DfE's statistics do), each
	// as "path: what stands in for it". Every finding that reads one says so.
	Proxies []string `json:"proxies,omitempty"`
}

// Referral is one episode of involvement, from the referral to its closure.
type Referral struct {
	ID                     string                `json:"id"`
	Received               Date                  `json:"received"`
	Decision               Date                  `json:"decision"`
	Source                 string                `json:"source,omitempty"`
	Outcome                string                `json:"outcome,omitempty"`
	Closed                 Date                  `json:"closed"`
	Assessments            []*Assessment         `json:"assessments"`
	StrategyDiscussions    []*StrategyDiscussion `json:"strategy_discussions"`
	S47Enquiries           []*S47Enquiry         `json:"s47_enquiries"`
	Conferences            []*Conference         `json:"conferences"`
	Plans                  []*Plan               `json:"plans"`
	HousingReferral        Date                  `json:"housing_referral"`
	HousingReferralRefused bool                  `json:"housing_referral_refused"`
	Homeless               bool                  `json:"homeless"`
	EarlyHelpConsidered    Date                  `json:"early_help_considered"`
}

// Assessment is an initial, core (2010 model) or single assessment.
type Assessment struct {
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	Started        Date   `json:"started"`
	Completed      Date   `json:"completed"`
	Seen           []Date `json:"seen"`
	SeenAlone      bool   `json:"seen_alone"`
	WishesRecorded bool   `json:"wishes_recorded"`
}

// StrategyDiscussion is a strategy discussion or meeting.
type StrategyDiscussion struct {
	ID       string   `json:"id"`
	Date     Date     `json:"date"`
	Agencies []string `json:"agencies"`
}

// S47Enquiry is an enquiry under section 47 of the Children Act 1989.
type S47Enquiry struct {
	ID                   string `json:"id"`
	StrategyDiscussionID string `json:"strategy_discussion_id,omitempty"`
	Started              Date   `json:"started"`
	Completed            Date   `json:"completed"`
	Seen                 Date   `json:"seen"`
	SeenAlone            bool   `json:"seen_alone"`
	WishesRecorded       bool   `json:"wishes_recorded"`
	NotSeenReason        string `json:"not_seen_reason,omitempty"`
	Outcome              string `json:"outcome,omitempty"`
}

// Conference is a child protection conference.
type Conference struct {
	ID               string `json:"id"`
	Kind             string `json:"kind"`
	S47ID            string `json:"s47_id,omitempty"`
	PlanID           string `json:"plan_id,omitempty"`
	Notified         Date   `json:"notified"`
	Date             Date   `json:"date"`
	Outcome          string `json:"outcome,omitempty"`
	ChairIndependent bool   `json:"chair_independent"`
}

// Plan is a child protection or child in need plan.
type Plan struct {
	ID         string   `json:"id"`
	Kind       string   `json:"kind"`
	Started    Date     `json:"started"`
	Ended      Date     `json:"ended"`
	EndReason  string   `json:"end_reason,omitempty"`
	Category   string   `json:"category,omitempty"`
	CoreGroups []Date   `json:"core_groups"`
	Visits     []*Visit `json:"visits"`
}

// Visit is a statutory visit to a child on a plan.
type Visit struct {
	Date      Date `json:"date"`
	Seen      bool `json:"seen"`
	SeenAlone bool `json:"seen_alone"`
}

// Known values of the enumerated fields; anything else is a data error, because rules branch
// on them and a misspelt kind would silently change which rules apply.
var (
	assessmentKinds = []string{"initial", "core", "single"}
	conferenceKinds = []string{"initial", "review", "transfer_in", "pre_birth"}
	planKinds       = []string{"child_protection", "child_in_need"}
)

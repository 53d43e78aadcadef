package record

import (
	"fmt"
	"iter"
)

// Object is one object of a referral's collections: an assessment, a strategy discussion, a
// section 47 enquiry, a conference or a plan. It is what a rule of that scope judges, and a
// finding names it by its id.
type Object interface {
	// ObjectID is the object's id, unique within its referral.
	ObjectID() string
	// size counts the object and the list elements it holds, for the cost budget (Objects).
	size() int
}

// Collection is one list of objects that a referral holds. Collections is the one list of
// them: validation of dates, warnings, the as-of view's date walk, the cost budget, redaction,
// the engine's scopes and the CEL type provider go through it, so that a new collection is
// added here and in the walks that need its own semantics (Validate's references, AsOf's
// outcomes), not spelled out again in every file.
type Collection struct {
	// Field is the list's name under a referral in the case format: "s47_enquiries".
	Field string
	// Object names one object of the list, as rules' scopes do: "s47_enquiry".
	Object string
	// Doc says what the list holds, for the rule-writing reference.
	Doc string
	// Len and At read the list of a referral: At is nil for a null element, which Validate
	// reports.
	Len func(r *Referral) int
	At  func(r *Referral, i int) Object

	kind collectionKind // for the walks that loop over each list's own type
}

// collectionKind tells the collections apart in the walks made on every record.
type collectionKind int

const (
	assessments collectionKind = iota
	strategyDiscussions
	s47Enquiries
	conferences
	plans
)

// Collections are a referral's lists, in the order of the case format.
var Collections = []*Collection{
	collection(assessments, "assessments", "assessment", "Assessments of the referral.", func(r *Referral) []*Assessment { return r.Assessments }),
	collection(strategyDiscussions, "strategy_discussions", "strategy_discussion", "Strategy discussions of the referral.", func(r *Referral) []*StrategyDiscussion { return r.StrategyDiscussions }),
	collection(s47Enquiries, "s47_enquiries", "s47_enquiry", "Section 47 enquiries of the referral.", func(r *Referral) []*S47Enquiry { return r.S47Enquiries }),
	collection(conferences, "conferences", "conference", "Child protection conferences of the referral.", func(r *Referral) []*Conference { return r.Conferences }),
	collection(plans, "plans", "plan", "Child protection and child in need plans of the referral.", func(r *Referral) []*Plan { return r.Plans }),
}

// CollectionOf finds a collection by the name of its objects ("plan"), or nil.
func CollectionOf(object string) *Collection {
	for _, c := range Collections {
		if c.Object == object {
			return c
		}
	}
	return nil
}

func collection[T interface {
	*E
	Object
}, E any](kind collectionKind, field, object, doc string, list func(*Referral) []T) *Collection {
	return &Collection{Field: field, Object: object, Doc: doc, kind: kind,
		Len: func(r *Referral) int { return len(list(r)) },
		At: func(r *Referral, i int) Object {
			if o := list(r)[i]; o != nil {
				return o
			}
			return nil
		},
	}
}

// Objects yields each object of the referral's collections that is not null, with its
// collection and its position in the list, collection by collection in the order of
// Collections and each in record order.
func (r *Referral) Objects() iter.Seq2[*Collection, Object] {
	return func(yield func(*Collection, Object) bool) {
		for _, c := range Collections {
			for i := range c.Len(r) {
				if o := c.At(r, i); o != nil && !yield(c, o) {
					return
				}
			}
		}
	}
}

// ObjectID is the assessment's id.
func (a *Assessment) ObjectID() string { return a.ID }

// ObjectID is the discussion's id.
func (d *StrategyDiscussion) ObjectID() string { return d.ID }

// ObjectID is the enquiry's id.
func (s *S47Enquiry) ObjectID() string { return s.ID }

// ObjectID is the conference's id.
func (k *Conference) ObjectID() string { return k.ID }

// ObjectID is the plan's id.
func (p *Plan) ObjectID() string { return p.ID }

func (a *Assessment) size() int         { return 1 + len(a.Seen) }
func (d *StrategyDiscussion) size() int { return 1 + len(d.Agencies) }
func (s *S47Enquiry) size() int         { return 1 }
func (k *Conference) size() int         { return 1 }
func (p *Plan) size() int               { return 1 + len(p.CoreGroups) + len(p.Visits) }

// walkDates calls visit for every date field of the case with its path. event is false for
// dates that are plans rather than happenings (an expected birth date), which may lie after
// the extract date without a warning. Null objects are passed over; Validate reports them.
// Paths are built only when withPaths is set, because the as-of check walks every record and
// needs none.
func (c *Case) walkDates(withPaths bool, visit func(path string, d *Date, event bool)) {
	path := func(format string, args ...any) string {
		if !withPaths {
			return ""
		}
		return fmt.Sprintf(format, args...)
	}
	visit("extract_date", &c.ExtractDate, false)
	visit("child.birth_date", &c.Child.BirthDate, true)
	visit("child.expected_birth_date", &c.Child.ExpectedBirthDate, false)
	for i, r := range c.Referrals {
		if r == nil {
			continue
		}
		p := path("referrals[%d]", i)
		visit(p+".received", &r.Received, true)
		visit(p+".decision", &r.Decision, true)
		visit(p+".closed", &r.Closed, true)
		visit(p+".housing_referral", &r.HousingReferral, true)
		visit(p+".early_help_considered", &r.EarlyHelpConsidered, true)
		for _, coll := range Collections {
			opath := func(j int) string {
				if !withPaths { // before Sprintf: boxing its arguments would cost allocations
					return ""
				}
				return fmt.Sprintf("%s.%s[%d]", p, coll.Field, j)
			}
			// Typed loops, not At and a method of Object: the walk is made on every record,
			// and calls through function values and interfaces cost it a tenth more.
			switch coll.kind {
			case assessments:
				for j, o := range r.Assessments {
					if o != nil {
						op := opath(j)
						visit(op+".started", &o.Started, true)
						visit(op+".completed", &o.Completed, true)
						for k := range o.Seen {
							visit(path("%s.seen[%d]", op, k), &o.Seen[k], true)
						}
					}
				}
			case strategyDiscussions:
				for j, o := range r.StrategyDiscussions {
					if o != nil {
						visit(opath(j)+".date", &o.Date, true)
					}
				}
			case s47Enquiries:
				for j, o := range r.S47Enquiries {
					if o != nil {
						op := opath(j)
						visit(op+".started", &o.Started, true)
						visit(op+".completed", &o.Completed, true)
						visit(op+".seen", &o.Seen, true)
					}
				}
			case conferences:
				for j, o := range r.Conferences {
					if o != nil {
						op := opath(j)
						visit(op+".notified", &o.Notified, true)
						visit(op+".date", &o.Date, true)
					}
				}
			case plans:
				for j, o := range r.Plans {
					if o != nil {
						op := opath(j)
						visit(op+".started", &o.Started, true)
						visit(op+".ended", &o.Ended, true)
						for k := range o.CoreGroups {
							visit(path("%s.core_groups[%d]", op, k), &o.CoreGroups[k], true)
						}
						for k, vis := range o.Visits {
							if vis != nil {
								visit(path("%s.visits[%d].date", op, k), &vis.Date, true)
							}
						}
					}
				}
			default:
				panic(fmt.Sprintf("record: walkDates does not know the collection %s", coll.Field))
			}
		}
	}
}

// Objects counts what a record holds: the case, its referrals and every object and list
// element in them. The engine grows a rule's cost budget with it.
func (c *Case) Objects() int {
	n := 1 + len(c.Child.Circumstances)
	for _, r := range c.Referrals {
		n++
		for _, coll := range Collections {
			for i := range coll.Len(r) {
				n += coll.At(r, i).size()
			}
		}
	}
	return n
}

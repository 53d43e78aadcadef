package checker

import (
	"reflect"
	"slices"

	"cel.dev/cel-go/common/functions"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/wtcheck/wtcheck/record"
)

// This file makes the functions that look objects up in a record (a plan's seen visits, its
// reviews, an enquiry's discussion and conferences) cost the same whatever the size of the
// record: each is worked out once per record and referral, on first use, and then looked up.
// Asked afresh on every call, a plan of 45,000 visits took minutes, because the visit-interval
// rule asks once per interval.
//
// The index belongs to one Check call (one goroutine), which is why the functions are bound
// late, through the activation, rather than when the pack is compiled: a compiled pack is
// shared by every goroutine, and the case itself is only ever read.

// caseIndex holds what the look-up functions worked out for one record.
type caseIndex struct {
	seen map[*record.Plan]*sortedDates
	// lastPlan is the plan whose seen visits were asked for last, and lastSeen its visits.
	lastPlan  *record.Plan
	lastSeen  *sortedDates
	referrals map[*record.Referral]*referralIndex
	bindings  map[string]functions.LateBoundOp
	spare     []*referralIndex // emptied indexes of an earlier record, to be filled again
	// args is a stack of the arguments of the look-ups being called (see fastBuilder.lateBound).
	args []ref.Val
	// lists are the list fields rules read (a referral's conferences, a discussion's
	// agencies), made once for the record (listField).
	lists map[fieldOf]ref.Val
}

// fieldOf names one field of one object of the record.
type fieldOf struct {
	object any
	field  *objectField
}

// listField is a list field of an object of the record, made on its first read: several
// rules read a referral's conferences or a discussion's agencies, some in a loop, and each
// read made the list, and an object for each of its items, again. A list is never changed
// once made, so one can be shared by every read.
func (ix *caseIndex) listField(object any, f *objectField) ref.Val {
	k := fieldOf{object, f}
	if l, ok := ix.lists[k]; ok {
		return l
	}
	if ix.lists == nil {
		ix.lists = map[fieldOf]ref.Val{}
	}
	l := f.get(object)
	ix.lists[k] = l
	return l
}

// referralIndex is one referral's objects by id and by date.
type referralIndex struct {
	discussionByID map[string]*record.StrategyDiscussion
	dated          []*record.StrategyDiscussion // dated discussions by date, record order on a tie
	enquiryConfs   map[string][]*record.Conference
	planConfs      map[string][]*record.Conference
	reviews        map[string][]*record.Conference
	// CEL lists built once, by enquiry or plan id, and the discussion each enquiry was
	// initiated at, by enquiry (icpc-timeliness and strategy-discussion-before-s47 each ask).
	enquiryConfList, reviewList, planConfList map[string]ref.Val
	discussionList                            map[*record.S47Enquiry]ref.Val
	reviewDates                               map[string]*sortedDates
	objects                                   int // the discussions and conferences indexed
}

// lookups are the look-up functions, by name, on the index of the record being checked. A
// fast path finds its function here once, when the pack is compiled (fastBuilder.lateBound);
// CEL's own evaluation finds it through the activation (caseIndex.bindings).
var lookups = map[string]func(ix *caseIndex, args ...ref.Val) ref.Val{
	"seenVisits": func(ix *caseIndex, args ...ref.Val) ref.Val {
		return ix.seenVisits(args[0].Value().(*record.Plan))
	},
	"discussionsFor": func(ix *caseIndex, args ...ref.Val) ref.Val {
		r, s := args[0].Value().(*record.Referral), args[1].Value().(*record.S47Enquiry)
		ri := ix.referral(r)
		// Kept by the enquiry itself, not its id: the discussion found depends on the
		// enquiry's own fields (the discussion it names, the day it started).
		if l, ok := ri.discussionList[s]; ok {
			return l
		}
		if ri.discussionList == nil {
			ri.discussionList = map[*record.S47Enquiry]ref.Val{}
		}
		l := objectList(discussionObj, ri.discussionFor(s))
		ri.discussionList[s] = l
		return l
	},
	"conferencesFor": func(ix *caseIndex, args ...ref.Val) ref.Val {
		r, s := args[0].Value().(*record.Referral), args[1].Value().(*record.S47Enquiry)
		ri := ix.referral(r)
		return cachedList(&ri.enquiryConfList, s.ID, func() ref.Val { return objectList(conferenceObj, ri.enquiryConfs[s.ID]) })
	},
	"reviewsOf": func(ix *caseIndex, args ...ref.Val) ref.Val {
		r, p := args[0].Value().(*record.Referral), args[1].Value().(*record.Plan)
		ri := ix.referral(r)
		return cachedList(&ri.reviewList, p.ID, func() ref.Val { return objectList(conferenceObj, ri.reviews[p.ID]) })
	},
	"conferencesOf": func(ix *caseIndex, args ...ref.Val) ref.Val {
		r, p := args[0].Value().(*record.Referral), args[1].Value().(*record.Plan)
		ri := ix.referral(r)
		return cachedList(&ri.planConfList, p.ID, func() ref.Val { return objectList(conferenceObj, ri.planConfs[p.ID]) })
	},
	"reviewDates": func(ix *caseIndex, args ...ref.Val) ref.Val {
		r, p := args[0].Value().(*record.Referral), args[1].Value().(*record.Plan)
		return ix.referral(r).reviewDatesOf(p.ID)
	},
}

func newCaseIndex() *caseIndex {
	ix := &caseIndex{bindings: make(map[string]functions.LateBoundOp, len(lookups))}
	for name, fn := range lookups {
		ix.bindings[name] = func(_ string, args ...ref.Val) ref.Val { return fn(ix, args...) }
	}
	return ix
}

// reset forgets the record the index was built for, keeping its maps, and its referrals'
// indexes emptied, for the next one.
func (ix *caseIndex) reset() {
	clear(ix.args[:cap(ix.args)]) // the look-ups' arguments, left on the stack when cut back
	ix.args = ix.args[:0]
	clear(ix.seen)
	ix.lastPlan, ix.lastSeen = nil, nil
	if len(ix.lists) > maxSpareObjects {
		ix.lists = nil // maps do not shrink: a huge record's is not kept
	}
	clear(ix.lists)
	for _, ri := range ix.referrals {
		if len(ix.spare) == maxSpareReferrals || ri.objects > maxSpareObjects {
			continue // the collector takes it: maps do not shrink, and a huge one is not kept
		}
		ri.empty()
		ix.spare = append(ix.spare, ri)
	}
	clear(ix.referrals)
}

// maxSpareReferrals bounds the emptied referral indexes an index keeps, and maxSpareObjects
// the size of a referral whose index is kept: more than any child's record needs, so that a
// huge record is not held on to after it was checked.
const (
	maxSpareReferrals = 32
	maxSpareObjects   = 256
)

// resolve gives the implementation of a late-bound function.
func (ix *caseIndex) resolve(name string) (functions.LateBoundOp, bool) {
	fn, ok := ix.bindings[name]
	return fn, ok
}

func cachedList(m *map[string]ref.Val, key string, build func() ref.Val) ref.Val {
	if v, ok := (*m)[key]; ok {
		return v
	}
	if *m == nil {
		*m = map[string]ref.Val{}
	}
	v := build()
	(*m)[key] = v
	return v
}

func (ix *caseIndex) seenVisits(p *record.Plan) *sortedDates {
	if p != nil && p == ix.lastPlan {
		return ix.lastSeen // the visit-interval rule asks again for every interval of a plan
	}
	if l, ok := ix.seen[p]; ok {
		ix.lastPlan, ix.lastSeen = p, l
		return l
	}
	if ix.seen == nil {
		ix.seen = map[*record.Plan]*sortedDates{}
	}
	l := newSortedDates(seenVisitDays(p))
	ix.seen[p] = l
	ix.lastPlan, ix.lastSeen = p, l
	return l
}

func (ix *caseIndex) referral(r *record.Referral) *referralIndex {
	if ri, ok := ix.referrals[r]; ok {
		return ri
	}
	if ix.referrals == nil {
		ix.referrals = map[*record.Referral]*referralIndex{}
	}
	var ri *referralIndex
	if n := len(ix.spare); n > 0 {
		ri, ix.spare = ix.spare[n-1], ix.spare[:n-1]
		ri.fill(r)
	} else {
		ri = indexReferral(r)
	}
	ix.referrals[r] = ri
	return ri
}

func indexReferral(r *record.Referral) *referralIndex {
	ri := &referralIndex{
		discussionByID: map[string]*record.StrategyDiscussion{},
		enquiryConfs:   map[string][]*record.Conference{},
		planConfs:      map[string][]*record.Conference{},
		reviews:        map[string][]*record.Conference{},
	}
	ri.fill(r)
	return ri
}

// empty forgets the referral the index was built for, keeping its maps.
func (ri *referralIndex) empty() {
	clear(ri.discussionByID)
	clear(ri.enquiryConfs)
	clear(ri.planConfs)
	clear(ri.reviews)
	clear(ri.dated)
	ri.dated = ri.dated[:0]
	clear(ri.enquiryConfList)
	clear(ri.reviewList)
	clear(ri.planConfList)
	clear(ri.discussionList)
	clear(ri.reviewDates)
}

// fill indexes the objects of r into an empty index.
func (ri *referralIndex) fill(r *record.Referral) {
	ri.objects = len(r.StrategyDiscussions) + len(r.Conferences)
	for _, d := range r.StrategyDiscussions {
		if _, dup := ri.discussionByID[d.ID]; !dup {
			ri.discussionByID[d.ID] = d // the first of an id, as a search in record order finds
		}
		if !d.Date.IsZero() {
			ri.dated = append(ri.dated, d)
		}
	}
	slices.SortStableFunc(ri.dated, func(a, b *record.StrategyDiscussion) int { return int(a.Date.DayNumber() - b.Date.DayNumber()) })
	for _, k := range r.Conferences {
		if k.S47ID != "" && (k.Kind == "initial" || k.Kind == "pre_birth") {
			ri.enquiryConfs[k.S47ID] = append(ri.enquiryConfs[k.S47ID], k)
		}
		if k.PlanID != "" {
			ri.planConfs[k.PlanID] = append(ri.planConfs[k.PlanID], k)
			if k.Kind == "review" {
				ri.reviews[k.PlanID] = append(ri.reviews[k.PlanID], k)
			}
		}
	}
	for _, m := range []map[string][]*record.Conference{ri.enquiryConfs, ri.planConfs, ri.reviews} {
		for _, ks := range m {
			sortConferences(ks)
		}
	}
}

// discussionFor is the discussion at which an enquiry was initiated: the one it names, else
// the latest of the referral dated on or before the enquiry started (the first in the record
// of several on that day).
func (ri *referralIndex) discussionFor(s *record.S47Enquiry) []*record.StrategyDiscussion {
	if s.StrategyDiscussionID != "" {
		if d, ok := ri.discussionByID[s.StrategyDiscussionID]; ok {
			return []*record.StrategyDiscussion{d}
		}
		return nil
	}
	if s.Started.IsZero() {
		return nil
	}
	// The first discussion dated after the start; the one before it is the latest on or before.
	i, _ := slices.BinarySearchFunc(ri.dated, s.Started.DayNumber()+1, func(d *record.StrategyDiscussion, day int32) int { return int(d.Date.DayNumber() - day) })
	if i == 0 {
		return nil
	}
	best := ri.dated[i-1]
	for i--; i > 0 && ri.dated[i-1].Date == best.Date; i-- {
		best = ri.dated[i-1]
	}
	return []*record.StrategyDiscussion{best}
}

func (ri *referralIndex) reviewDatesOf(planID string) *sortedDates {
	if l, ok := ri.reviewDates[planID]; ok {
		return l
	}
	if ri.reviewDates == nil {
		ri.reviewDates = map[string]*sortedDates{}
	}
	var days []record.Date
	for _, k := range ri.reviews[planID] {
		if !k.Date.IsZero() {
			days = append(days, k.Date)
		}
	}
	l := newSortedDates(slices.Compact(days)) // the reviews are already in date order
	ri.reviewDates[planID] = l
	return l
}

// sortedDates is a CEL list of dates known to be in order and each once, so that firstAfter
// can search it instead of reading it whole. The dates are made a CEL list only when CEL reads
// them as one: the rules' fast paths search them (firstAfterDate) and loop over them
// (rangeOf) as dates, and a plan's seen visits were made a list for every plan.
type sortedDates struct {
	days []record.Date
	made traits.Lister
}

func newSortedDates(days []record.Date) *sortedDates { return &sortedDates{days: days} }

// list is the dates as a CEL list, made on first use. An index belongs to one goroutine.
func (l *sortedDates) list() traits.Lister {
	if l.made == nil {
		l.made = dateList(l.days).(traits.Lister)
	}
	return l.made
}

func (l *sortedDates) ConvertToNative(t reflect.Type) (any, error) {
	return l.list().ConvertToNative(t)
}
func (l *sortedDates) ConvertToType(t ref.Type) ref.Val { return l.list().ConvertToType(t) }
func (l *sortedDates) Equal(other ref.Val) ref.Val      { return l.list().Equal(other) }
func (l *sortedDates) Type() ref.Type                   { return types.ListType }
func (l *sortedDates) Value() any                       { return l.list().Value() }
func (l *sortedDates) Add(other ref.Val) ref.Val        { return l.list().Add(other) }
func (l *sortedDates) Contains(v ref.Val) ref.Val       { return l.list().Contains(v) }
func (l *sortedDates) Get(i ref.Val) ref.Val            { return l.list().Get(i) }
func (l *sortedDates) Iterator() traits.Iterator        { return l.list().Iterator() }
func (l *sortedDates) Size() ref.Val                    { return types.Int(len(l.days)) }

// firstAfter is the earliest date after d, or null.
func (l *sortedDates) firstAfter(d record.Date) ref.Val {
	return dateVal(l.firstAfterDay(d))
}

// firstAfterDay is the earliest date after d, or the zero Date.
func (l *sortedDates) firstAfterDay(d record.Date) record.Date {
	// A search written out: through slices.BinarySearchFunc's comparison function it was a
	// sixth of judging a visit interval.
	lo, hi := 0, len(l.days)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if l.days[mid].After(d) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo == len(l.days) {
		return record.Date{}
	}
	return l.days[lo]
}

package checker

import (
	"fmt"
	"reflect"
	"slices"
	"sync/atomic"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/wtcheck/wtcheck/record"
)

// This file exposes the case model to CEL as typed objects (wt.Case, wt.Referral, …), so
// that the type checker knows every field and a misspelt one is an error when a pack loads.
//
// It is written out by hand rather than reflected, for two reasons: a date not recorded must
// reach a rule as null (reflection-based native types give the Unix epoch, which would make
// `completed <= due` true for work never done), and each field carries the documentation that
// `wtcheck explain` and the rule reference print.

// objectType is one CEL object type backed by a Go type.
type objectType struct {
	name   string
	doc    string
	celTyp *types.Type
	fields map[string]*objectField
	order  []string
}

// objectField is one field of an objectType.
type objectField struct {
	name  string
	doc   string
	typ   *types.Type
	get   func(obj any) ref.Val
	isSet func(obj any) bool
	// list marks a field whose value is a list made afresh on every read: a rule's fast
	// path reads it once per record and object (caseIndex.listField).
	list bool
	// str reads a string field as a Go string, for a fast path that compares it with a
	// literal (fastBuilder.stringFieldIs); nil for a field of any other type.
	str func(obj any) string
	// date reads a date field as a Date, for a date path (datepath.go); nil for a field of
	// any other type.
	date func(obj any) record.Date
	// dates and strs read a list field of dates or strings as its Go slice, for a
	// comprehension that runs over it item by item without making the list
	// (fastBuilder.rangeOf); nil for a field of any other type.
	dates func(obj any) []record.Date
	strs  func(obj any) []string
}

// FieldDoc documents one field visible to rules.
type FieldDoc struct {
	Name, Type, Doc string
}

// TypeDoc documents one object type visible to rules.
type TypeDoc struct {
	Name, Doc string
	Fields    []FieldDoc
}

func newObjectType(name, doc string, fields ...*objectField) *objectType {
	t := &objectType{name: name, doc: doc, celTyp: types.NewObjectType(name), fields: map[string]*objectField{}}
	for _, f := range fields {
		t.fields[f.name] = f
		t.order = append(t.order, f.name)
	}
	return t
}

func (t *objectType) document() TypeDoc {
	d := TypeDoc{Name: t.name, Doc: t.doc}
	for _, n := range t.order {
		f := t.fields[n]
		d.Fields = append(d.Fields, FieldDoc{Name: f.name, Type: f.typ.String(), Doc: f.doc})
	}
	return d
}

// celObject is a Go value of an objectType seen from CEL.
type celObject struct {
	t *objectType
	v any
}

var (
	_ ref.Val            = (*celObject)(nil)
	_ traits.Indexer     = (*celObject)(nil)
	_ traits.FieldTester = (*celObject)(nil)
)

func (o *celObject) ConvertToNative(typeDesc reflect.Type) (any, error) {
	if reflect.TypeOf(o.v).AssignableTo(typeDesc) {
		return o.v, nil
	}
	return nil, fmt.Errorf("cannot convert %s to %v", o.t.name, typeDesc)
}

func (o *celObject) ConvertToType(typeVal ref.Type) ref.Val {
	switch typeVal {
	case types.TypeType:
		return o.t.celTyp
	case o.t.celTyp:
		return o
	}
	return types.NewErr("type conversion error from %s to %s", o.t.name, typeVal.TypeName())
}

func (o *celObject) Equal(other ref.Val) ref.Val {
	p, ok := other.(*celObject)
	return types.Bool(ok && p.t == o.t && p.v == o.v)
}

func (o *celObject) Type() ref.Type { return o.t.celTyp }
func (o *celObject) Value() any     { return o.v }

// Get serves field access on values whose type is only known at run time (dyn).
func (o *celObject) Get(index ref.Val) ref.Val {
	name, ok := index.(types.String)
	if !ok {
		return types.ValOrErr(index, "no such key: %v", index)
	}
	f, ok := o.t.fields[string(name)]
	if !ok {
		return types.NewErr("no such field: %s.%s", o.t.name, name)
	}
	return f.get(o.v)
}

// IsSet serves has() on values whose type is only known at run time.
func (o *celObject) IsSet(field ref.Val) ref.Val {
	name, _ := field.(types.String)
	f, ok := o.t.fields[string(name)]
	if !ok {
		return types.NewErr("no such field: %s.%s", o.t.name, name)
	}
	return types.Bool(f.isSet(o.v))
}

// dateVal turns a Date into a CEL timestamp, or null when it was not recorded.
//
// A timestamp held in a ref.Val lives on the heap, and boxing one for every date a rule
// reads was a sixth of a check's allocations. Each day of the calendar's range is boxed once,
// the first time it is asked for, and shared from then on by every goroutine (a Timestamp is
// never changed once made).
func dateVal(d record.Date) ref.Val {
	if d.IsZero() {
		return types.NullValue
	}
	i := int(d.DayNumber() - record.MinDate.DayNumber())
	if i < 0 || i >= len(boxedDays) {
		return types.Timestamp{Time: d.Time()}
	}
	if v := boxedDays[i].Load(); v != nil {
		return *v
	}
	var v ref.Val = types.Timestamp{Time: d.Time()}
	boxedDays[i].Store(&v)
	return v
}

// boxedDays holds each day of the calendar's range as a CEL timestamp once dateVal has made
// it: 110,000 days, 880 KB of pointers the operating system only backs where they are used.
var boxedDays [calendarDays]atomic.Pointer[ref.Val]

// calendarDays is the number of days from record.MinDate to record.MaxDate.
const calendarDays = (record.LastYear-record.FirstYear+1)*366 + 1

func dateField[T any](name, doc string, get func(*T) record.Date) *objectField {
	return &objectField{name: name, doc: doc, typ: types.TimestampType,
		get:   func(o any) ref.Val { return dateVal(get(o.(*T))) },
		isSet: func(o any) bool { return !get(o.(*T)).IsZero() },
		date:  func(o any) record.Date { return get(o.(*T)) }}
}

func stringField[T any](name, doc string, get func(*T) string) *objectField {
	return &objectField{name: name, doc: doc, typ: types.StringType,
		get:   func(o any) ref.Val { return types.String(get(o.(*T))) },
		isSet: func(o any) bool { return get(o.(*T)) != "" },
		str:   func(o any) string { return get(o.(*T)) }}
}

func boolField[T any](name, doc string, get func(*T) bool) *objectField {
	return &objectField{name: name, doc: doc, typ: types.BoolType,
		get:   func(o any) ref.Val { return types.Bool(get(o.(*T))) },
		isSet: func(o any) bool { return get(o.(*T)) }}
}

func stringListField[T any](name, doc string, get func(*T) []string) *objectField {
	return &objectField{name: name, doc: doc, typ: types.NewListType(types.StringType),
		get:   func(o any) ref.Val { return types.NewStringList(celTypeAdapter, get(o.(*T))) },
		isSet: func(o any) bool { return len(get(o.(*T))) > 0 }, list: true,
		strs: func(o any) []string { return get(o.(*T)) }}
}

func dateListField[T any](name, doc string, get func(*T) []record.Date) *objectField {
	return &objectField{name: name, doc: doc, typ: types.NewListType(types.TimestampType),
		get: func(o any) ref.Val {
			ds := get(o.(*T))
			vals := make([]ref.Val, len(ds))
			for i, d := range ds {
				vals[i] = dateVal(d)
			}
			return types.NewRefValList(celTypeAdapter, vals)
		},
		isSet: func(o any) bool { return len(get(o.(*T))) > 0 }, list: true,
		dates: func(o any) []record.Date { return get(o.(*T)) }}
}

func objectFieldOf[T, E any](name, doc string, elem func() *objectType, get func(*T) *E) *objectField {
	return &objectField{name: name, doc: doc, typ: types.NewObjectType(typeNameOf[E]()),
		get:   func(o any) ref.Val { return &celObject{t: elem(), v: get(o.(*T))} },
		isSet: func(o any) bool { return true }}
}

func objectListField[T, E any](name, doc string, elem func() *objectType, get func(*T) []*E) *objectField {
	return &objectField{name: name, doc: doc, typ: types.NewListType(types.NewObjectType(typeNameOf[E]())),
		get: func(o any) ref.Val {
			return objectList(elem(), get(o.(*T)))
		},
		isSet: func(o any) bool { return len(get(o.(*T))) > 0 }, list: true}
}

func objectList[E any](t *objectType, items []*E) ref.Val {
	vals := make([]ref.Val, len(items))
	for i, it := range items {
		vals[i] = &celObject{t: t, v: it}
	}
	return types.NewRefValList(celTypeAdapter, vals)
}

// typeNameOf gives the CEL name of a case-model type: wt.<Go type name>.
func typeNameOf[E any]() string {
	return "wt." + reflect.TypeFor[E]().Name()
}

// The object types. They are built once and never changed, so sharing them between
// goroutines is safe.
var (
	caseObj = newObjectType("wt.Case", "One child's case record.",
		stringField("case_id", "The case's id, unique within a batch.", func(c *record.Case) string { return c.CaseID }),
		dateField("extract_date", "The day the data were exported (the as-of view's day under --as-of).", func(c *record.Case) record.Date { return c.ExtractDate }),
		stringField("la_code", "The local authority's code (organisation.la_code).", func(c *record.Case) string { return c.Organisation.LACode }),
		stringField("team", "The team holding the case (organisation.team).", func(c *record.Case) string { return c.Organisation.Team }),
		objectFieldOf("child", "The child.", func() *objectType { return childObj }, func(c *record.Case) *record.Child { return &c.Child }),
		objectListField("referrals", "The case's referrals.", func() *objectType { return referralObj }, func(c *record.Case) []*record.Referral { return c.Referrals }),
		stringField("source_format", "Where the record came from (provenance.format).", func(c *record.Case) string { return c.Provenance.Format }),
		stringListField("lacks", "Facts the source cannot record (provenance.lacks).", func(c *record.Case) []string { return c.Provenance.Lacks }),
	)
	childObj = newObjectType("wt.Child", "The child the case is about.",
		stringField("id", "The child's id.", func(c *record.Child) string { return c.ID }),
		dateField("birth_date", "Date of birth; null for an unborn child.", func(c *record.Child) record.Date { return c.BirthDate }),
		dateField("expected_birth_date", "Expected date of birth of an unborn child.", func(c *record.Child) record.Date { return c.ExpectedBirthDate }),
		boolField("disabled", "The child is disabled.", func(c *record.Child) bool { return c.Disabled }),
		stringListField("circumstances", "Early-help indicators, such as young_carer or parent_in_custody.", func(c *record.Child) []string { return c.Circumstances }),
	)
	// A referral's lists are named and documented once, in record.Collections.
	referralObj = newObjectType("wt.Referral", "One referral and the work that followed it.",
		stringField("id", "The referral's id.", func(r *record.Referral) string { return r.ID }),
		dateField("received", "Day the referral was received: day zero of referral timescales.", func(r *record.Referral) record.Date { return r.Received }),
		dateField("decision", "Day the decision on the type of response was made.", func(r *record.Referral) record.Date { return r.Decision }),
		stringField("source", "Who made the referral.", func(r *record.Referral) string { return r.Source }),
		stringField("outcome", "no_further_action, early_help, family_help (2026), assessment, s47, …", func(r *record.Referral) string { return r.Outcome }),
		dateField("closed", "Day the episode closed.", func(r *record.Referral) record.Date { return r.Closed }),
		objectListField(coll("assessment").Field, coll("assessment").Doc, func() *objectType { return assessmentObj }, func(r *record.Referral) []*record.Assessment { return r.Assessments }),
		objectListField(coll("strategy_discussion").Field, coll("strategy_discussion").Doc, func() *objectType { return discussionObj }, func(r *record.Referral) []*record.StrategyDiscussion { return r.StrategyDiscussions }),
		objectListField(coll("s47_enquiry").Field, coll("s47_enquiry").Doc, func() *objectType { return s47Obj }, func(r *record.Referral) []*record.S47Enquiry { return r.S47Enquiries }),
		objectListField(coll("conference").Field, coll("conference").Doc, func() *objectType { return conferenceObj }, func(r *record.Referral) []*record.Conference { return r.Conferences }),
		objectListField(coll("plan").Field, coll("plan").Doc, func() *objectType { return planObj }, func(r *record.Referral) []*record.Plan { return r.Plans }),
		dateField("housing_referral", "Day the family was referred to the housing authority.", func(r *record.Referral) record.Date { return r.HousingReferral }),
		boolField("housing_referral_refused", "The family did not consent to a referral to the housing authority.", func(r *record.Referral) bool { return r.HousingReferralRefused }),
		boolField("homeless", "The family is homeless or threatened with homelessness.", func(r *record.Referral) bool { return r.Homeless }),
		dateField("early_help_considered", "Day early help was considered.", func(r *record.Referral) record.Date { return r.EarlyHelpConsidered }),
	)
	assessmentObj = newObjectType("wt.Assessment", "An initial, core or single assessment.",
		stringField("id", "The assessment's id.", func(a *record.Assessment) string { return a.ID }),
		stringField("kind", "initial or core (2010 model), or single (2013 onwards).", func(a *record.Assessment) string { return a.Kind }),
		dateField("started", "Day the assessment started.", func(a *record.Assessment) record.Date { return a.Started }),
		dateField("completed", "Day the assessment was authorised.", func(a *record.Assessment) record.Date { return a.Completed }),
		dateListField("seen", "Days the child was seen during the assessment.", func(a *record.Assessment) []record.Date { return a.Seen }),
		boolField("seen_alone", "The child was seen alone at least once.", func(a *record.Assessment) bool { return a.SeenAlone }),
		boolField("wishes_recorded", "The child's wishes and feelings are recorded.", func(a *record.Assessment) bool { return a.WishesRecorded }),
	)
	discussionObj = newObjectType("wt.StrategyDiscussion", "A strategy discussion or meeting.",
		stringField("id", "The discussion's id.", func(d *record.StrategyDiscussion) string { return d.ID }),
		dateField("date", "Day of the discussion.", func(d *record.StrategyDiscussion) record.Date { return d.Date }),
		stringListField("agencies", "Agencies taking part: social_care, police, health, education, …", func(d *record.StrategyDiscussion) []string { return d.Agencies }),
	)
	s47Obj = newObjectType("wt.S47Enquiry", "An enquiry under section 47 of the Children Act 1989.",
		stringField("id", "The enquiry's id.", func(s *record.S47Enquiry) string { return s.ID }),
		stringField("strategy_discussion_id", "The discussion that started the enquiry.", func(s *record.S47Enquiry) string { return s.StrategyDiscussionID }),
		dateField("started", "Day the enquiry started.", func(s *record.S47Enquiry) record.Date { return s.Started }),
		dateField("completed", "Day the enquiry was completed.", func(s *record.S47Enquiry) record.Date { return s.Completed }),
		dateField("seen", "First day the child was seen during the enquiry.", func(s *record.S47Enquiry) record.Date { return s.Seen }),
		boolField("seen_alone", "The child was seen alone.", func(s *record.S47Enquiry) bool { return s.SeenAlone }),
		boolField("wishes_recorded", "The child's wishes and feelings are recorded.", func(s *record.S47Enquiry) bool { return s.WishesRecorded }),
		stringField("not_seen_reason", "Why the child was not seen.", func(s *record.S47Enquiry) string { return s.NotSeenReason }),
		stringField("outcome", "icpc, no_further_action, child_in_need, …", func(s *record.S47Enquiry) string { return s.Outcome }),
	)
	conferenceObj = newObjectType("wt.Conference", "A child protection conference.",
		stringField("id", "The conference's id.", func(k *record.Conference) string { return k.ID }),
		stringField("kind", "initial, review, transfer_in or pre_birth.", func(k *record.Conference) string { return k.Kind }),
		stringField("s47_id", "The enquiry an initial or pre-birth conference follows.", func(k *record.Conference) string { return k.S47ID }),
		stringField("plan_id", "The plan a review or transfer-in conference is about.", func(k *record.Conference) string { return k.PlanID }),
		dateField("notified", "For transfer_in: day the move was notified.", func(k *record.Conference) record.Date { return k.Notified }),
		dateField("date", "Day the conference was held.", func(k *record.Conference) record.Date { return k.Date }),
		stringField("outcome", "plan, no_plan, continue or end_plan.", func(k *record.Conference) string { return k.Outcome }),
		boolField("chair_independent", "The chair is independent of the case's line management.", func(k *record.Conference) bool { return k.ChairIndependent }),
	)
	planObj = newObjectType("wt.Plan", "A child protection or child in need plan.",
		stringField("id", "The plan's id.", func(p *record.Plan) string { return p.ID }),
		stringField("kind", "child_protection or child_in_need.", func(p *record.Plan) string { return p.Kind }),
		dateField("started", "Day the plan started.", func(p *record.Plan) record.Date { return p.Started }),
		dateField("ended", "Day the plan ended.", func(p *record.Plan) record.Date { return p.Ended }),
		stringField("end_reason", "conference, moved_away, turned_18, died, adopted or other.", func(p *record.Plan) string { return p.EndReason }),
		stringField("category", "neglect, physical, emotional, sexual or multiple.", func(p *record.Plan) string { return p.Category }),
		dateListField("core_groups", "Days core group meetings were held.", func(p *record.Plan) []record.Date { return p.CoreGroups }),
		objectListField("visits", "Statutory visits.", func() *objectType { return visitObj }, func(p *record.Plan) []*record.Visit { return p.Visits }),
	)
	visitObj = newObjectType("wt.Visit", "A statutory visit to a child on a plan.",
		dateField("date", "Day of the visit.", func(v *record.Visit) record.Date { return v.Date }),
		boolField("seen", "The child was seen.", func(v *record.Visit) bool { return v.Seen }),
		boolField("seen_alone", "The child was seen alone.", func(v *record.Visit) bool { return v.SeenAlone }),
	)
	caseObjectTypes = []*objectType{caseObj, childObj, referralObj, assessmentObj, discussionObj, s47Obj, conferenceObj, planObj, visitObj}
)

// ModelDocs documents the object types rules can read, in a fixed order.
func ModelDocs() []TypeDoc {
	var out []TypeDoc
	for _, t := range slices.Concat(caseObjectTypes, beyondObjectTypes) {
		out = append(out, t.document())
	}
	return out
}

// caseTypeProvider answers the CEL type checker's and interpreter's questions about the
// case-model types and the pack's parameter type, and hands everything else to the standard
// registry.
type caseTypeProvider struct {
	base  *types.Registry
	types map[string]*objectType
}

func newCaseTypeProvider(extra ...*objectType) *caseTypeProvider {
	reg, err := types.NewRegistry()
	if err != nil {
		panic(err) // an empty registry cannot fail to build
	}
	p := &caseTypeProvider{base: reg, types: map[string]*objectType{}}
	for _, t := range slices.Concat(caseObjectTypes, beyondObjectTypes, extra) {
		p.types[t.name] = t
	}
	return p
}

func (p *caseTypeProvider) EnumValue(name string) ref.Val { return p.base.EnumValue(name) }

func (p *caseTypeProvider) FindIdent(name string) (ref.Val, bool) {
	if t, ok := p.types[name]; ok {
		return t.celTyp, true
	}
	return p.base.FindIdent(name)
}

func (p *caseTypeProvider) FindStructType(name string) (*types.Type, bool) {
	if t, ok := p.types[name]; ok {
		return types.NewTypeTypeWithParam(t.celTyp), true
	}
	return p.base.FindStructType(name)
}

func (p *caseTypeProvider) FindStructFieldNames(name string) ([]string, bool) {
	if t, ok := p.types[name]; ok {
		return slices.Clone(t.order), true
	}
	return p.base.FindStructFieldNames(name)
}

func (p *caseTypeProvider) FindStructFieldType(name, field string) (*types.FieldType, bool) {
	t, ok := p.types[name]
	if !ok {
		return p.base.FindStructFieldType(name, field)
	}
	f, ok := t.fields[field]
	if !ok {
		return nil, false
	}
	return &types.FieldType{
		Type:    f.typ,
		IsSet:   func(o any) bool { return f.isSet(unwrapObject(o)) },
		GetFrom: func(o any) (any, error) { return f.get(unwrapObject(o)), nil },
	}, true
}

// NewValue refuses to build case objects in a rule: rules read records, they do not make them.
func (p *caseTypeProvider) NewValue(name string, fields map[string]ref.Val) ref.Val {
	if _, ok := p.types[name]; ok {
		return types.NewErr("rules cannot construct %s values", name)
	}
	return p.base.NewValue(name, fields)
}

func unwrapObject(o any) any {
	if c, ok := o.(*celObject); ok {
		return c.v
	}
	return o
}

// caseTypeAdapter turns case-model Go values into CEL objects.
type caseTypeAdapter struct{ base types.Adapter }

var celTypeAdapter types.Adapter = caseTypeAdapter{base: types.DefaultTypeAdapter}

func (a caseTypeAdapter) NativeToValue(v any) ref.Val {
	switch v := v.(type) {
	case ref.Val:
		return v
	case record.Date:
		return dateVal(v)
	}
	if t := objectTypeOf(v); t != nil {
		return &celObject{t: t, v: v}
	}
	return a.base.NativeToValue(v)
}

// objectTypeOf is the object type of a case-model value, or nil for any other.
func objectTypeOf(v any) *objectType {
	switch v.(type) {
	case *record.Case:
		return caseObj
	case *record.Child:
		return childObj
	case *record.Referral:
		return referralObj
	case *record.Assessment:
		return assessmentObj
	case *record.StrategyDiscussion:
		return discussionObj
	case *record.S47Enquiry:
		return s47Obj
	case *record.Conference:
		return conferenceObj
	case *record.Plan:
		return planObj
	case *record.Visit:
		return visitObj
	case *record.Incident:
		return incidentObj
	case *record.Arrangements:
		return arrangementsObj
	}
	return nil
}

// coll is the referral collection of the named objects, which must exist.
func coll(object string) *record.Collection {
	c := record.CollectionOf(object)
	if c == nil {
		panic("checker: no referral collection of " + object)
	}
	return c
}

package checker

import (
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/decls"
	"cel.dev/cel-go/common/stdlib"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/ext"
	"github.com/wtcheck/wtcheck/record"
)

// This file is the one place where the variables and functions rules may use are declared.
// Each function carries its documentation and an example, which `wtcheck rules` and the rule
// reference print.

// FunctionDoc documents one function rules can call.
type FunctionDoc struct {
	Signature string
	Doc       string
	Example   string
}

// VariableDoc documents one variable rules can read.
type VariableDoc struct {
	Name, Type, Doc string
	Scopes          string // where it is declared
}

// Variables documents every variable, in a fixed order.
var Variables = []VariableDoc{
	{"case", "wt.Case", "The case record.", "rules of the case-level scopes (case to plan)"},
	{"child", "wt.Child", "The child (case.child).", "rules of the case-level scopes"},
	{"incident", "wt.Incident", "The incident record: a child's death or serious harm (incident-format.md).", "scope incident"},
	{"arrangements", "wt.Arrangements", "An area's safeguarding arrangements record (incident-format.md).", "scope arrangements"},
	{"as_of", "timestamp", "The day the check is made as at: --as-of, else the record's extract date, else today.", "every rule"},
	{"params", "wt.Params.<pack id>", "The pack's parameters, such as params.visit_interval_working_days.", "every rule"},
	{"referral", "wt.Referral", "The referral the object belongs to.", "every scope but case"},
	{"assessment", "wt.Assessment", "The assessment being checked.", "scope assessment"},
	{"discussion", "wt.StrategyDiscussion", "The strategy discussion being checked.", "scope strategy_discussion"},
	{"s47", "wt.S47Enquiry", "The section 47 enquiry being checked.", "scope s47_enquiry"},
	{"conference", "wt.Conference", "The conference being checked.", "scope conference"},
	{"plan", "wt.Plan", "The plan being checked.", "scope plan"},
	{"item", "the element type of each", "The interval being checked.", "rules with each"},
	{"start", "timestamp", "The deadline's start date (never null: a deadline with no start is not evaluated further).", "deadline.due"},
	{"status, start, due, done", "string, timestamp…", "The finding so far; late_working_days, late_days and working_days_left are ints (0 when they do not apply).", "message"},
}

// Functions documents every function, in the order they are declared (ruleFunctions): derived
// from the declarations, so that a function cannot be declared undocumented or documented
// undeclared.
var Functions = func() []FunctionDoc {
	var out []FunctionDoc
	for _, f := range ruleFunctions(nil) {
		out = append(out, f.FunctionDoc)
	}
	return out
}()

// function is one function rules can call: its documentation and example beside its
// declaration. TestFunctionExamples runs every example.
type function struct {
	FunctionDoc
	decl cel.EnvOption
}

// nullable marks a function whose bindings handle null arguments themselves: cel-go's type
// guards would otherwise reject a null date before the binding could pass it through.
var nullable = decls.DisableTypeGuards(true)

var (
	referralType   = cel.ObjectType("wt.Referral")
	s47Type        = cel.ObjectType("wt.S47Enquiry")
	planType       = cel.ObjectType("wt.Plan")
	discussionType = cel.ObjectType("wt.StrategyDiscussion")
	conferenceType = cel.ObjectType("wt.Conference")
	dateListType   = cel.ListType(cel.TimestampType)
)

// Costs of the engine's own functions, in CEL's cost units (about one unit a field read or
// comparison), so that they count toward a rule's cost budget like CEL's own functions do.
// Each does a fixed amount of work, whatever its arguments: date arithmetic is a few binary
// searches of the holiday list, and the look-ups read an index built once per record.
const (
	dateArithCost   = 20 // addWorkingDays: two binary searches per step of a search over days
	dateCalcCost    = 5  // workingDaysBetween, addMonths, addDays, anniversary, date, isoDate
	lookupCost      = 2  // discussionsFor, conferencesFor, reviewsOf, reviewDates, conferencesOf, seenVisits
	firstAfterID    = "firstAfter_list_timestamp"
	rangeErrorWords = "falls outside the calendar's range"
)

// fixedCosts are the engine's functions whose cost does not depend on their arguments, by
// overload id: what costModels declares for them, and what a fast path charges without
// asking the tracker (see fastBuilder.price).
var fixedCosts = map[string]fixedCost{
	"addWorkingDays_timestamp_int":           {dateArithCost, false},
	"addMonths_timestamp_int":                {dateCalcCost, false},
	"addDays_timestamp_int":                  {dateCalcCost, false},
	"anniversary_timestamp_int":              {dateCalcCost, false},
	"workingDaysBetween_timestamp_timestamp": {dateCalcCost, false},
	"date_string":                            {dateCalcCost, false},
	"isoDate_timestamp":                      {dateCalcCost, false},
	"referral_conferencesFor_s47":            {lookupCost, true},
	"plan_seenVisits":                        {lookupCost, true},
	"referral_reviewsOf_plan":                {lookupCost, true},
	"referral_reviewDates_plan":              {lookupCost, true},
	"referral_conferencesOf_plan":            {lookupCost, true},
}

// fixedCost is what one call of a function costs, and whether it is called as a member.
type fixedCost struct {
	units  uint64
	member bool
}

// costModels declares what each of the engine's functions costs: CEL uses them to estimate an
// expression's cost when a pack is compiled and to charge it as a rule runs.
func costModels() cel.EnvOption {
	return cel.CostModel(overloadModels()...)
}

// overloadModels are the cost models of the engine's own functions.
func overloadModels() []cost.OverloadModel {
	var models []cost.OverloadModel
	for _, id := range slices.Sorted(maps.Keys(fixedCosts)) {
		c := fixedCosts[id]
		if c.member {
			models = append(models, cost.MemberOverload(id, cost.EvalCost(cost.Const(c.units))))
		} else {
			models = append(models, cost.Overload(id, cost.EvalCost(cost.Const(c.units))))
		}
	}
	// A list scan costs one unit per element. firstAfter is charged this way when a pack is
	// compiled; as it runs, a list it can search costs only the search (trackFirstAfter).
	scan := func(id string) cost.OverloadModel {
		return cost.Overload(id, cost.EvalCost(cost.Sum(cost.Const(1), cost.Length(cost.Arg(0)))))
	}
	atMostOne := cost.ResultSize(cost.List(cost.Ranged(cost.Const(0), cost.Const(1)), cost.Const(1)))
	return append(models,
		scan("earliest_list"),
		scan("latest_list"),
		scan(firstAfterID),
		cost.MemberOverload("referral_discussionsFor_s47", cost.EvalCost(cost.Const(lookupCost)), atMostOne),
	)
}

// unmodelled reports whether CEL's tracker charges a call of overload one unit, whatever its
// arguments: an overload of CEL's standard library (a comparison of dates or numbers, a
// conversion, arithmetic) that no cost model prices, neither CEL's standard models (strings,
// lists and equality, whose cost grows with their size) nor the engine's. A fast path then
// charges that unit without asking the tracker. The extension libraries' functions are not
// counted in: they bring cost models of their own.
func unmodelled(overload string) bool {
	unmodelledOnce.Do(func() {
		modelled := map[string]bool{}
		for _, m := range overloadModels() {
			modelled[m.ID] = true
		}
		for _, m := range cost.StandardOverloadModels {
			modelled[m.ID] = true
		}
		unmodelledSet = map[string]bool{}
		for _, fn := range stdlib.Functions() {
			for _, o := range fn.OverloadDecls() {
				if !modelled[o.ID()] {
					unmodelledSet[o.ID()] = true
				}
			}
		}
	})
	return unmodelledSet[overload]
}

var (
	unmodelledOnce sync.Once
	unmodelledSet  map[string]bool

	standardOnce sync.Once
	standardSet  map[string]bool
)

// standardModelled reports whether one of CEL's standard cost models prices overload, and no
// model of the engine's does: a model that reads only the sizes of a call's arguments and
// result (see priceMemo).
func standardModelled(overload string) bool {
	standardOnce.Do(func() {
		standardSet = map[string]bool{}
		for _, m := range cost.StandardOverloadModels {
			standardSet[m.ID] = true
		}
		for _, m := range overloadModels() {
			delete(standardSet, m.ID)
		}
	})
	return standardSet[overload]
}

// trackFirstAfter charges firstAfter as it runs: a search of a list known to be in order (a
// plan's seen visits, its review dates) costs its logarithm, any other list one unit a date.
func trackFirstAfter(args []ref.Val, _ ref.Val) *uint64 {
	switch l := args[0].(type) {
	case *sortedDates:
		return costOf(searchUnits(len(l.days)))
	case traits.Lister:
		if size, ok := l.Size().(types.Int); ok && size > 0 {
			return costOf(scanUnits(int(size)))
		}
	}
	return costOf(scanUnits(0))
}

// searchUnits is what a search of a sorted list of n items costs: a unit, and one for each
// halving.
func searchUnits(n int) uint64 { return 1 + uint64(bits.Len(uint(n))) }

// costOf points at a cost for CEL's tracker, which only reads it: a small one, as a search's
// is, from a table rather than an allocation of its own.
func costOf(n uint64) *uint64 {
	if n < uint64(len(smallCosts)) {
		return &smallCosts[n]
	}
	big := new(uint64) // only here: taking n's address would put every n on the heap
	*big = n
	return big
}

// runtimeCosts price, as they run, the engine's functions whose cost depends on their
// arguments, as their models (overloadModels) and trackFirstAfter make CEL's tracker charge
// them, so that a fast path need not ask the tracker: a scan costs one unit and one a date,
// firstAfter what trackFirstAfter says, discussionsFor a look-up's. TestFastPathsChargeAsCEL
// holds them to the tracker's figures.
var runtimeCosts = map[string]func(args []ref.Val) uint64{
	"earliest_list":               scanCost,
	"latest_list":                 scanCost,
	firstAfterID:                  func(args []ref.Val) uint64 { return *trackFirstAfter(args, nil) },
	"referral_discussionsFor_s47": func([]ref.Val) uint64 { return lookupCost },
}

// scanCost is what a function that reads its first argument, a list, whole costs.
func scanCost(args []ref.Val) uint64 {
	if l, ok := args[0].(traits.Lister); ok {
		if size, ok := l.Size().(types.Int); ok && size > 0 {
			return scanUnits(int(size))
		}
	}
	return scanUnits(0)
}

// scanUnits is what a scan of a list of n items costs: a unit, and one an item.
func scanUnits(n int) uint64 { return 1 + uint64(n) }

// smallCosts are the costs a tracker function can point at without allocating one. The
// tracker only reads them.
var smallCosts = func() (out [128]uint64) {
	for i := range out {
		out[i] = uint64(i)
	}
	return out
}()

// caseVariables are declared for the rules of the case-level scopes only (compileRule).
var caseVariables = []cel.EnvOption{
	cel.Variable("case", cel.ObjectType("wt.Case")),
	cel.Variable("child", cel.ObjectType("wt.Child")),
}

// envOptions declares the functions and types shared by every scope of a pack. The calendar
// is bound in, so a compiled program needs no other state and can run on any goroutine.
func envOptions(cal *Calendar, params *objectType) []cel.EnvOption {
	opts := []cel.EnvOption{
		cel.CustomTypeProvider(newCaseTypeProvider(params)),
		cel.CustomTypeAdapter(celTypeAdapter),
		ext.Strings(),
		ext.Lists(),
		ext.Bindings(),
		costModels(),
		cel.Variable("as_of", cel.TimestampType),
		cel.Variable("params", cel.ObjectType(params.name)),
	}
	for _, f := range ruleFunctions(cal) {
		opts = append(opts, f.decl)
	}
	return opts
}

// dateCount is a function of a date and a count (addWorkingDays, addMonths, addDays,
// anniversary): its bounds and its arithmetic, shared by its CEL binding and by the typed
// fast path of a due date (datepath.go), so that the two cannot disagree.
type dateCount struct {
	name, id string
	maxCount int  // no count beyond it can give a date in the calendar's range
	negative bool // a negative count is allowed
	f        func(record.Date, int) record.Date
}

// dateCounts are the functions of a date and a count, by overload id, with the calendar
// bound in.
func dateCounts(cal *Calendar) map[string]dateCount {
	spanMonths := (record.LastYear - record.FirstYear + 1) * 12
	out := map[string]dateCount{}
	for _, dc := range []dateCount{
		{"addWorkingDays", "addWorkingDays_timestamp_int", record.RangeSpan, true, cal.AddWorkingDays},
		{"addMonths", "addMonths_timestamp_int", spanMonths, true, record.AddMonths},
		{"addDays", "addDays_timestamp_int", record.RangeSpan, true, record.Date.AddDays},
		// An age is never negative.
		{"anniversary", "anniversary_timestamp_int", record.LastYear - record.FirstYear + 1, false, record.Anniversary},
	} {
		out[dc.id] = dc
	}
	return out
}

// apply counts k on from day. The count is refused before any arithmetic when no date in the
// calendar's range could come of it (so nothing overflows), and so is a result outside the
// range: a date in the year -3,525,743 is an error, never a due date.
func (dc dateCount) apply(day record.Date, k int64) (record.Date, ref.Val) {
	switch {
	case k < 0 && !dc.negative:
		return record.Date{}, types.NewErr("%s: the count %d is negative", dc.name, k)
	case k > int64(dc.maxCount) || k < -int64(dc.maxCount):
		return record.Date{}, types.NewErr("%s: a count of %d %s (%s to %s)", dc.name, k, rangeErrorWords, record.MinDate, record.MaxDate)
	}
	out := dc.f(day, int(k))
	if !out.InRange() {
		return record.Date{}, types.NewErr("%s: the result %s (%s to %s)", dc.name, rangeErrorWords, record.MinDate, record.MaxDate)
	}
	return out, nil
}

// ruleFunctions declares every function rules can call, each with its documentation and an
// example. The calendar is bound into the working-day functions; ruleFunctions(nil) serves for
// the documentation alone.
func ruleFunctions(cal *Calendar) []function {
	// dateArgInt binds a function of a date and a count (dateCount).
	dateArgInt := func(dc dateCount) cel.EnvOption {
		return cel.Function(dc.name, nullable, cel.Overload(dc.id, []*cel.Type{cel.TimestampType, cel.IntType}, cel.TimestampType,
			cel.BinaryBinding(func(d, n ref.Val) ref.Val {
				day, alt := dateArg(d, dc.name)
				if alt != nil {
					return alt
				}
				k, isInt := n.(types.Int)
				if !isInt {
					return types.NewErr("%s: want an int, got %s", dc.name, n.Type().TypeName())
				}
				out, refused := dc.apply(day, int64(k))
				if refused != nil {
					return refused
				}
				return dateVal(out)
			})))
	}
	counts := dateCounts(cal)
	return []function{
		{FunctionDoc{"addWorkingDays(timestamp, int) -> timestamp",
			"The nth working day after a date, which is day zero; weekends and England and Wales bank holidays are skipped. Null gives null.",
			"addWorkingDays(date('2021-03-01'), 10) == date('2021-03-15')"},
			dateArgInt(counts["addWorkingDays_timestamp_int"])},
		{FunctionDoc{"workingDaysBetween(timestamp, timestamp) -> int",
			"Working days after the first date up to and including the second; negative when the second is earlier. An error when either is null.",
			"workingDaysBetween(date('2021-03-01'), date('2021-03-15')) == 10"},
			cel.Function("workingDaysBetween", nullable, cel.Overload("workingDaysBetween_timestamp_timestamp",
				[]*cel.Type{cel.TimestampType, cel.TimestampType}, cel.IntType,
				cel.BinaryBinding(func(a, b ref.Val) ref.Val {
					x, altA := dateArg(a, "workingDaysBetween")
					y, altB := dateArg(b, "workingDaysBetween")
					for _, alt := range []ref.Val{altA, altB} {
						if alt == types.NullValue {
							return types.NewErr("workingDaysBetween: a date is not recorded (null)")
						}
						if alt != nil {
							return alt
						}
					}
					return types.Int(cal.WorkingDaysBetween(x, y))
				})))},
		{FunctionDoc{"addMonths(timestamp, int) -> timestamp",
			"Calendar months later, clamped to the end of a shorter month; may fall on a weekend. Null gives null.",
			"addMonths(date('2024-01-31'), 1) == date('2024-02-29')"},
			dateArgInt(counts["addMonths_timestamp_int"])},
		{FunctionDoc{"addDays(timestamp, int) -> timestamp",
			"Calendar days later. Null gives null.",
			"addDays(date('2024-01-31'), 1) == date('2024-02-01')"},
			dateArgInt(counts["addDays_timestamp_int"])},
		// An age is never negative.
		{FunctionDoc{"anniversary(timestamp, int) -> timestamp",
			"The day someone born on the date turns the given age; 29 February gives 1 March in other years. Null gives null.",
			"anniversary(date('2008-02-29'), 18) == date('2026-03-01')"},
			dateArgInt(counts["anniversary_timestamp_int"])},
		{FunctionDoc{"earliest(list(timestamp)) -> timestamp",
			"The earliest date of a list, ignoring nulls; null for an empty list.",
			"earliest(plan.core_groups)"},
			cel.Function("earliest", nullable, cel.Overload("earliest_list", []*cel.Type{dateListType}, cel.TimestampType,
				cel.UnaryBinding(func(l ref.Val) ref.Val { return pickDate(l, "earliest", record.Date.Before, nil) })))},
		{FunctionDoc{"latest(list(timestamp)) -> timestamp",
			"The latest date of a list, ignoring nulls; null for an empty list.",
			"latest(referral.assessments.map(a, a.completed))"},
			cel.Function("latest", nullable, cel.Overload("latest_list", []*cel.Type{dateListType}, cel.TimestampType,
				cel.UnaryBinding(func(l ref.Val) ref.Val { return pickDate(l, "latest", record.Date.After, nil) })))},
		{FunctionDoc{"date(string) -> timestamp",
			"A date written YYYY-MM-DD.",
			"referral.received >= date('2020-12-09')"},
			cel.Function("date", cel.Overload("date_string", []*cel.Type{cel.StringType}, cel.TimestampType,
				cel.UnaryBinding(func(s ref.Val) ref.Val {
					d, err := record.ParseDate(string(s.(types.String)))
					if err != nil {
						return types.NewErr("date: %v", err)
					}
					return dateVal(d)
				})))},
		{FunctionDoc{"isoDate(timestamp) -> string",
			"A date as YYYY-MM-DD; the empty string for null.",
			"plan.id + '@' + isoDate(item)"},
			cel.Function("isoDate", nullable, cel.Overload("isoDate_timestamp", []*cel.Type{cel.TimestampType}, cel.StringType,
				cel.UnaryBinding(func(d ref.Val) ref.Val {
					day, alt := dateArg(d, "isoDate")
					if alt == types.NullValue {
						return types.String("")
					}
					if alt != nil {
						return alt
					}
					return types.String(day.String())
				})))},
		{FunctionDoc{"<wt.Referral>.discussionsFor(wt.S47Enquiry) -> list(wt.StrategyDiscussion)",
			"The strategy discussion at which the enquiry was initiated: the one it names, else the latest of the referral dated on or before the enquiry started. A list of at most one.",
			"latest(referral.discussionsFor(s47).map(d, d.date))"},
			cel.Function("discussionsFor", cel.MemberOverload("referral_discussionsFor_s47", []*cel.Type{referralType, s47Type},
				cel.ListType(discussionType), cel.LateFunctionBinding()))},
		{FunctionDoc{"<wt.Referral>.conferencesFor(wt.S47Enquiry) -> list(wt.Conference)",
			"The initial and pre-birth conferences that follow the enquiry, in date order.",
			"earliest(referral.conferencesFor(s47).map(k, k.date))"},
			cel.Function("conferencesFor", cel.MemberOverload("referral_conferencesFor_s47", []*cel.Type{referralType, s47Type},
				cel.ListType(conferenceType), cel.LateFunctionBinding()))},
		{FunctionDoc{"<wt.Referral>.reviewsOf(wt.Plan) -> list(wt.Conference)",
			"The review conferences of the plan, in date order.",
			"referral.reviewsOf(plan).size()"},
			cel.Function("reviewsOf", cel.MemberOverload("referral_reviewsOf_plan", []*cel.Type{referralType, planType},
				cel.ListType(conferenceType), cel.LateFunctionBinding()))},
		{FunctionDoc{"<wt.Referral>.reviewDates(wt.Plan) -> list(timestamp)",
			"The days of the plan's review conferences, in order, each once; undated reviews are left out.",
			"firstAfter(referral.reviewDates(plan), item.date)"},
			cel.Function("reviewDates", cel.MemberOverload("referral_reviewDates_plan", []*cel.Type{referralType, planType},
				dateListType, cel.LateFunctionBinding()))},
		{FunctionDoc{"<wt.Referral>.conferencesOf(wt.Plan) -> list(wt.Conference)",
			"Every conference that names the plan (reviews, transfers in), in date order.",
			"referral.conferencesOf(plan).exists(k, k.outcome == 'end_plan')"},
			cel.Function("conferencesOf", cel.MemberOverload("referral_conferencesOf_plan", []*cel.Type{referralType, planType},
				cel.ListType(conferenceType), cel.LateFunctionBinding()))},
		{FunctionDoc{"<wt.Plan>.seenVisits() -> list(timestamp)",
			"The days of the plan's visits at which the child was seen, in order, each once. Needs plans.visits.",
			"plan.seenVisits().size()"},
			cel.Function("seenVisits", cel.MemberOverload("plan_seenVisits", []*cel.Type{planType}, dateListType, cel.LateFunctionBinding()))},
		{FunctionDoc{"firstAfter(list(timestamp), timestamp) -> timestamp",
			"The earliest date of a list that is after the given date; null when none is, or the date is null.",
			"firstAfter(plan.seenVisits(), item)"},
			cel.Function("firstAfter", nullable, cel.Overload(firstAfterID, []*cel.Type{dateListType, cel.TimestampType}, cel.TimestampType,
				cel.BinaryBinding(func(l, d ref.Val) ref.Val {
					day, alt := dateArg(d, "firstAfter")
					if alt != nil {
						return alt // null for null
					}
					if sorted, ok := l.(*sortedDates); ok {
						return sorted.firstAfter(day)
					}
					return pickDate(l, "firstAfter", func(a, best record.Date) bool { return a.Before(best) }, func(a record.Date) bool { return a.After(day) })
				})))},
	}
}

// dateArg reads a date argument of the function fn: the date, or else what the function
// gives instead: null for null, an error for a timestamp outside the calendar's range (CEL's
// own timestamp arithmetic can make one) or for a value that is not a timestamp.
func dateArg(v ref.Val, fn string) (record.Date, ref.Val) {
	ts, ok := v.(types.Timestamp)
	if !ok {
		return record.Date{}, nullOrErr(v, fn)
	}
	d := record.DateOf(ts.Time)
	if !d.InRange() {
		return record.Date{}, types.NewErr("%s: a date %s (%s to %s)", fn, rangeErrorWords, record.MinDate, record.MaxDate)
	}
	return d, nil
}

// nullOrErr passes a null date through and turns anything else unexpected into an error.
func nullOrErr(v ref.Val, fn string) ref.Val {
	if v == types.NullValue {
		return types.NullValue
	}
	if types.IsError(v) {
		return v
	}
	return types.NewErr("%s: want a timestamp, got %s", fn, v.Type().TypeName())
}

// pickDate returns the date of a list that better prefers over all others, ignoring nulls and,
// when keep is set, the dates it refuses.
func pickDate(l ref.Val, fn string, better func(a, b record.Date) bool, keep func(record.Date) bool) ref.Val {
	lister, ok := l.(traits.Lister)
	if !ok {
		return types.NewErr("%s: want a list of dates", fn)
	}
	var best record.Date
	it := lister.Iterator()
	for it.HasNext() == types.True {
		d, alt := dateArg(it.Next(), fn)
		if alt != nil && alt != types.NullValue {
			return alt
		}
		if alt == nil && (keep == nil || keep(d)) && (best.IsZero() || better(d, best)) {
			best = d
		}
	}
	return dateVal(best)
}

// seenVisitDays are the days a plan's visits saw the child, sorted, each once. Written in Go,
// and worked out once per record (see index.go), because the visit interval rule asks it once
// per interval: as a CEL comprehension it was most of the cost of checking a long plan.
func seenVisitDays(p *record.Plan) []record.Date {
	var out []record.Date
	for _, v := range p.Visits {
		if v.Seen && !v.Date.IsZero() {
			out = append(out, v.Date)
		}
	}
	slices.SortFunc(out, func(a, b record.Date) int { return int(a.DayNumber() - b.DayNumber()) })
	return slices.Compact(out)
}

func dateList(ds []record.Date) ref.Val {
	vals := make([]ref.Val, len(ds))
	for i, d := range ds {
		vals[i] = dateVal(d)
	}
	return types.NewRefValList(celTypeAdapter, vals)
}

// sortConferences puts conferences in date order, undated last, record order on a tie.
func sortConferences(ks []*record.Conference) {
	slices.SortStableFunc(ks, func(a, b *record.Conference) int {
		switch {
		case a.Date.IsZero() && b.Date.IsZero():
			return 0
		case a.Date.IsZero():
			return 1
		case b.Date.IsZero():
			return -1
		}
		return int(a.Date.DayNumber() - b.Date.DayNumber())
	})
}

// paramsType builds the CEL object type of a pack's parameters, so that a misspelt
// parameter is a type error when the pack loads.
func paramsType(packID string, params []*Param) *objectType {
	var fields []*objectField
	for _, p := range params {
		name := p.Name
		var t *types.Type
		switch p.Type {
		case ParamInt:
			t = types.IntType
		case ParamBool:
			t = types.BoolType
		case ParamDate:
			t = types.TimestampType
		default:
			t = types.StringType
		}
		fields = append(fields, &objectField{name: name, doc: p.Doc, typ: t,
			get:   func(o any) ref.Val { return o.(paramValues)[name] },
			isSet: func(o any) bool { return true }})
	}
	return newObjectType(fmt.Sprintf("wt.Params.%s", sanitizeIdent(packID)), "The pack's parameters.", fields...)
}

// paramValues holds a pack's parameter values as CEL values, by name.
type paramValues map[string]ref.Val

func paramVal(v any) ref.Val {
	switch v := v.(type) {
	case record.Date:
		return dateVal(v)
	default:
		return types.DefaultTypeAdapter.NativeToValue(v)
	}
}

func sanitizeIdent(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

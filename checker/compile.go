package checker

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
	exprpb "google.golang.org/genproto/googleapis/api/expr/v1alpha1"
)

// A rule's work on a record is bounded by its cost budget: ruleCostBase units plus
// ruleCostPerObject for each object in the record (each referral, visit, conference, date of a
// list…), as CEL's cost model counts them, the engine's own functions included (see
// costModels). The budget grows with the record, so a rule whose work grows with the record
// (one finding per visit) always fits, and one whose work grows faster (every visit against
// every other) is stopped on a large record and reported as a broken pack, never left running
// for hours. The shipped rules spend at most about 40 units an object (see
// TestShippedRulesStayInBudget).
const (
	ruleCostBase      = 1_000_000
	ruleCostPerObject = 1_000
)

// staticCostLimit is the estimated cost, per evaluation, under which an expression runs
// without its cost counted as it goes: CEL's estimate, made when the pack is compiled,
// already bounds it. Counting cost about a quarter of the CPU of a check through CEL's
// tracker, and most expressions (a date plus a timescale, a comparison) have such a bound;
// the ones that do not (a comprehension over a list of the record) are counted, by their fast
// path's meter or by CEL's tracker.
const staticCostLimit = 10_000

// program is one compiled expression.
type program struct {
	// planned is the CEL program: what evaluates the expression when it has no fast or date
	// path, or one gives up (see planned).
	planned
	// counted is set when the expression's cost has no static bound under staticCostLimit,
	// so that it runs charged against the rule's budget.
	counted bool
	// fast, when set, evaluates the expression without CEL where it can (see fastpath.go).
	fast fastPath
	// date, when set, evaluates a date expression to a Date without CEL (see datepath.go).
	date datePath
	// checked is the checked expression, kept only while keepChecked is set: for the test
	// that generates the status functions from it (statusgen.go).
	checked *cel.Ast
}

// keepChecked makes compile keep each program's checked expression (program.checked).
var keepChecked = false

// planned is an expression's CEL program, planned once it is first needed when the expression
// has a fast or date path. Those paths decide every expression of the shipped packs on the
// generated cases and the sample (no program of theirs was run in a check of 100,000 cases),
// so their programs are only a fallback; planned at compile time and kept, they were 18,000
// of the 37,000 objects the compiled packs kept, which the collector marks on every cycle.
// Until it is needed, what is kept is the source and how to make the environment it was
// checked in again: it is checked and planned afresh, once, on first use.
type planned struct {
	prg    cel.Program
	source string
	env    envRecipe
	base   *cel.Env // where the program is planned (see compile)
	once   sync.Once
	err    error
}

// Eval plans the program if it has not been planned yet, then evaluates it.
func (p *planned) Eval(input any) (ref.Val, *cel.EvalDetails, error) {
	p.once.Do(p.plan)
	if p.err != nil {
		return nil, nil, p.err
	}
	return p.prg.Eval(input)
}

// plan checks and plans the expression as compile did, which found nothing wrong with it:
// only a bug could make it fail now, and then every evaluation that needs the program gives
// the error.
func (p *planned) plan() {
	if p.prg != nil {
		return
	}
	env, err := p.env()
	if err != nil {
		p.err = fmt.Errorf("internal error: plan the expression: %w", err)
		return
	}
	ast, iss := env.Compile(p.source)
	if iss.Err() != nil {
		p.err = fmt.Errorf("internal error: plan the expression: %w", iss.Err())
		return
	}
	if p.prg, p.err = p.base.Program(ast); p.err != nil {
		p.err = fmt.Errorf("internal error: plan the expression: %w", p.err)
	}
	p.env, p.base = nil, nil
}

// CompiledPack is a pack whose expressions are compiled and type-checked, ready to evaluate.
// It holds no mutable state but the programs planned when first needed, each once under its
// own sync.Once: one value serves every goroutine.
type CompiledPack struct {
	Pack   *Pack
	rules  []*compiledRule
	params *celObject
	values map[string]any // the parameter values in force, by name
	cal    *Calendar      // the calendar its calendar functions were compiled against
	// counts are the calendar's date-and-count functions, for the status functions.
	counts *[4]dateCount
	// tracker is a cost tracker configured with the environment's cost models, cloned for
	// each rule on each record.
	tracker *cost.Tracker
}

// compiledRule is a rule compiled for one of its scopes.
type compiledRule struct {
	rule                                    *Rule
	scope                                   Scope
	scopeAt                                 int        // the scope's index in Scopes
	kind                                    RecordKind // the kind of record the scope is in
	when, each, subject, assert, pendingFor *program
	itemWhen                                *program
	start, due, done, lapse, message        *program
	// status, when set, is the rule's generated status function, and statusInts the values
	// of the parameters it reads (statusgen.go).
	status     statusFunc
	statusInts []int64
	citation   string // the rule's citation, rendered once rather than per finding
	variable   string // the CEL variable of its scope's object (scopeVariable)
	// whenReads and reads are the record fields its expressions read, as provenance.lacks
	// names them ("decision", "s47_enquiries.seen"): a record whose source cannot record one
	// gives insufficient_data, never a verdict built on a value that cannot be there.
	whenReads, reads []string
}

// programs lists the rule's compiled expressions.
func (cr *compiledRule) programs() []*program {
	var out []*program
	for _, p := range []*program{cr.when, cr.each, cr.subject, cr.itemWhen, cr.assert, cr.pendingFor, cr.start, cr.due, cr.done, cr.lapse, cr.message} {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

// RuleReads lists the record fields a rule reads, in any of its scopes, as provenance.lacks
// names them: what a source must be able to record for the rule to be judged.
func (cp *CompiledPack) RuleReads(id string) []string {
	var out []string
	for _, cr := range cp.rules {
		if cr.rule.ID == id {
			out = append(out, cr.whenReads...)
			out = append(out, cr.reads...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Lacking lists which of a source's lacks a rule reads (a lacks entry may name a field or a
// whole collection): the rule gives insufficient_data on that source when any does.
func (cp *CompiledPack) Lacking(id string, lacks []string) []string {
	return lacking(lacks, cp.RuleReads(id))
}

// CaseRulesLacking lists, once each and in pack order, the ids of the case rules of packs that
// read one of the facts lacks (provenance.lacks paths): the rules a source that cannot record
// those facts leaves at insufficient_data.
func CaseRulesLacking(packs []*CompiledPack, lacks []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, cp := range packs {
		for _, r := range cp.Pack.Rules {
			if r.Kind() == KindCase && !seen[r.ID] && len(cp.Lacking(r.ID, lacks)) > 0 {
				seen[r.ID] = true
				out = append(out, r.ID)
			}
		}
	}
	return out
}

// ParamValue gives a parameter's value in force (default or override) and whether it exists.
func (cp *CompiledPack) ParamValue(name string) (any, bool) {
	v, ok := cp.values[name]
	return v, ok
}

// Compile type-checks and compiles every expression of a pack against the case model, the
// calendar and the pack's parameters (with overrides, by name, as text). It reports every
// problem at once, each with file:line:col and a caret. It is CompileValues after
// ParseOverrides, for callers with text in hand.
func Compile(p *Pack, cal *Calendar, overrides map[string]string) (*CompiledPack, error) {
	values, err := ParseOverrides(p, overrides)
	cp, cerr := CompileValues(p, cal, values, nil)
	if err != nil || cerr != nil {
		return nil, errors.Join(err, cerr)
	}
	return cp, nil
}

// param is the pack's parameter of that name, or nil.
func (p *Pack) param(name string) *Param {
	for _, q := range p.Params {
		if q.Name == name {
			return q
		}
	}
	return nil
}

// ParseOverrides turns parameter values given as text (--set) into the types the pack
// declares, before anything is compiled: a name the pack does not have, or a value that is
// not of the parameter's type, is an error naming the pack and the parameter. Every problem
// is reported at once.
func ParseOverrides(p *Pack, overrides map[string]string) (map[string]any, error) {
	var errs []error
	values := map[string]any{}
	for _, name := range sortedKeys(overrides) {
		prm := p.param(name)
		if prm == nil {
			errs = append(errs, fmt.Errorf("pack %s has no parameter %q", p.ID, name))
			continue
		}
		v, err := ParseParamValue(prm.Type, overrides[name])
		if err != nil {
			errs = append(errs, fmt.Errorf("set %s.%s: %w", p.ID, name, err))
			continue
		}
		values[name] = v
	}
	return values, errors.Join(errs...)
}

// CompileValues is Compile with the overrides already of their parameters' types (see
// ParseOverrides); each is checked against its parameter's range here. Packs compiled with
// the same parses (which may be nil) parse a source they share once.
func CompileValues(p *Pack, cal *Calendar, overrides map[string]any, parses *Parses) (*CompiledPack, error) {
	var errs []error
	values := map[string]any{}
	pv := paramValues{}
	for _, prm := range p.Params {
		values[prm.Name] = prm.Default
		// An overlay's default is checked against the range it inherited from its base.
		if err := prm.CheckValue(prm.Default); err != nil {
			errs = append(errs, fmt.Errorf("%s: parameter %s: the default %w", prm.DefaultPos, prm.Name, err))
		}
	}
	for _, name := range sortedKeys(overrides) {
		prm := p.param(name)
		if prm == nil {
			errs = append(errs, fmt.Errorf("pack %s has no parameter %q", p.ID, name))
			continue
		}
		if err := prm.CheckValue(overrides[name]); err != nil {
			errs = append(errs, fmt.Errorf("set %s.%s: %w", p.ID, name, err))
			continue
		}
		values[name] = overrides[name]
	}
	for name, v := range values {
		pv[name] = paramVal(v)
	}
	ptype := paramsType(p.ID, p.Params)
	base, err := cel.NewEnv(envOptions(cal, ptype)...)
	if err != nil {
		return nil, fmt.Errorf("build the rule environment for %s: %w", p.ID, err)
	}
	tracker, err := costTracker(base)
	if err != nil {
		return nil, fmt.Errorf("build the rule environment for %s: %w", p.ID, err)
	}
	counts := dateCounts(cal)
	cp := &CompiledPack{Pack: p, params: &celObject{t: ptype, v: pv}, values: values, tracker: tracker, cal: cal, counts: statusCounts(counts)}
	facts := &packFacts{costs: tracker, counts: counts, params: cp.params, base: base, parses: parses, envs: newEnvCache(base)}
	for _, r := range p.Rules {
		for _, sc := range r.Scopes {
			cr, rerrs := compileRule(facts, r, sc, r.lines)
			errs = append(errs, rerrs...)
			if len(rerrs) == 0 {
				cp.bindStatusFunc(cr)
			}
			cp.rules = append(cp.rules, cr)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return cp, nil
}

// envCache holds the CEL environments a pack's rules are compiled in: one for each scope, and
// from it one for an interval's item of each type, for a deadline's due date and for a
// message. Each is made on first use, not for every rule: extending an environment was a
// third of compiling a pack, and compiling is most of a run's start-up. A pack is compiled on
// one goroutine, so the cache needs no lock. It is dropped when the pack is compiled; each
// environment's recipe, which makes it again, is kept by the programs planned when needed.
type envCache struct {
	made    map[envKey]*cel.Env
	recipes map[*cel.Env]envRecipe
}

// envRecipe makes an environment again: the pack's base one, extended as compiling extended
// it. It holds the options, not the environment, whose copies of CEL's declarations were
// 4,900 objects more kept by the packs.
type envRecipe func() (*cel.Env, error)

func newEnvCache(base *cel.Env) *envCache {
	return &envCache{made: map[envKey]*cel.Env{}, recipes: map[*cel.Env]envRecipe{base: func() (*cel.Env, error) { return base, nil }}}
}

// envKey names an environment by the one it extends and what it adds.
type envKey struct {
	parent *cel.Env
	adds   string
}

// extend gives parent extended with what opts declares, made once for each key.
func (c *envCache) extend(parent *cel.Env, adds string, opts func() []cel.EnvOption) (*cel.Env, error) {
	k := envKey{parent, adds}
	if env, ok := c.made[k]; ok {
		return env, nil
	}
	env, err := parent.Extend(opts()...)
	if err != nil {
		return nil, err
	}
	c.made[k] = env
	if again := c.recipes[parent]; again != nil {
		c.recipes[env] = func() (*cel.Env, error) {
			p, err := again()
			if err != nil {
				return nil, err
			}
			return p.Extend(opts()...)
		}
	}
	return env, nil
}

// ruleCompiler compiles the expressions of one rule, collecting every problem.
type ruleCompiler struct {
	rule  *Rule
	scope Scope    // named in messages when the rule has several
	lines []string // the pack file's lines, for carets
	errs  []error
	facts *packFacts
	// checked holds each expression parsed and type-checked, by where it is in the pack,
	// so that compiling it, listing the fields it reads, its element type and the variables
	// it uses parse it once, not up to four times.
	checked map[Position]checkedExpr
}

// checkedExpr is an expression's checked syntax tree, or its issues.
type checkedExpr struct {
	source string
	env    *cel.Env // the environment it was checked in
	ast    *cel.Ast
	iss    *cel.Issues
}

// check parses and type-checks an expression once. An expression is checked in the first
// environment it is asked for in: the item variable of each and the start of a due date are
// added for the expressions that follow, never for one already checked.
func (rc *ruleCompiler) check(env *cel.Env, e Expr) (*cel.Ast, *cel.Issues) {
	if c, ok := rc.checked[e.Pos]; ok && c.source == e.Source {
		return c.ast, c.iss
	}
	ast, iss := rc.facts.parses.parse(env, e.Source)
	if iss == nil || iss.Err() == nil {
		ast, iss = env.Check(ast)
	}
	if rc.checked == nil {
		rc.checked = map[Position]checkedExpr{}
	}
	rc.checked[e.Pos] = checkedExpr{ast: ast, iss: iss, source: e.Source, env: env}
	return ast, iss
}

// Parses holds the expression sources that parsed, each as a parsed expression, for packs
// compiled together (rules.Assemble gives one to all the packs of a run): the packs of the six
// editions share most of their rules, and parsing was a third of compiling them. A parsed
// expression is rebuilt from it for each use, because the type checker rewrites the
// expression it is given. Every environment a pack is compiled in is made by envOptions, with
// the same parser options, so a source parses alike in all. It goes when the packs are
// compiled: held for the whole process, it was 10,000 objects that the collector marked on
// every cycle of a check. Packs may be compiled with it on several goroutines at once.
type Parses struct {
	sources sync.Map // string -> *exprpb.ParsedExpr
}

// parse parses src in env, or rebuilds what an earlier parse of it gave. A source that does
// not parse is parsed afresh each time, for its errors. A nil Parses parses every source.
func (ps *Parses) parse(env *cel.Env, src string) (*cel.Ast, *cel.Issues) {
	if ps == nil {
		return env.Parse(src)
	}
	if pe, ok := ps.sources.Load(src); ok {
		return cel.ParsedExprToAstWithSource(pe.(*exprpb.ParsedExpr), common.NewTextSource(src)), nil
	}
	ast, iss := env.Parse(src)
	if iss.Err() != nil {
		return ast, iss
	}
	if pe, err := cel.AstToParsedExpr(ast); err == nil {
		ps.sources.Store(src, pe)
	}
	return ast, iss
}

// packFacts is what every rule of a pack is compiled with: its environments, and what the
// fast and date paths of its expressions read.
type packFacts struct {
	// costs prices the calls of a counted expression's fast path (see fastPathOf).
	costs *cost.Tracker
	// counts are the date-and-count functions, for the date paths of due dates (datepath.go).
	counts map[string]dateCount
	// params is the pack's parameters object, which the activation's params always is: a
	// fast path reads its fields once, when the pack is compiled.
	params *celObject
	// base is the pack's base environment, in which every expression's program is planned
	// and its cost estimated (see compile): its cost models are those of every environment
	// extended from it. CEL compiles an environment's cost models into estimators on its
	// first estimate and keeps them with it; estimated in the environments the programs were
	// planned in (which they keep), they were half the objects of the compiled packs, which
	// a check keeps and the collector marks on every cycle.
	base *cel.Env
	// parses are the sources parsed for the packs compiled with this one.
	parses *Parses
	// envs are the pack's environments, and how to make each again.
	envs *envCache
}

func compileRule(facts *packFacts, r *Rule, scope Scope, lines []string) (*compiledRule, []error) {
	envs := facts.envs
	rc := &ruleCompiler{rule: r, lines: lines, facts: facts}
	if len(r.Scopes) > 1 {
		rc.scope = scope
	}
	cr := &compiledRule{rule: r, scope: scope, scopeAt: slices.Index(Scopes, scope), kind: scope.Kind(), citation: r.Citation.String()}
	variable, ok := scopeVariable[scope]
	if !ok {
		return cr, nil // reported when the pack was parsed
	}
	cr.variable = variable
	env, err := envs.extend(facts.base, "scope "+string(scope), func() []cel.EnvOption {
		opts := []cel.EnvOption{cel.Variable("object", cel.ObjectType(scopeObjectType[scope]))}
		switch {
		case scope.Kind() != KindCase:
			// An incident or arrangements rule reads its own record, which has no case,
			// child or referral: declaring them would let a rule type-check that can never
			// run.
			opts = append(opts, cel.Variable(variable, cel.ObjectType(scopeObjectType[scope])))
		case scope == ScopeCase:
			opts = append(opts, caseVariables...)
		case scope == ScopeReferral:
			opts = append(opts, caseVariables...)
			opts = append(opts, cel.Variable("referral", referralType))
		default:
			opts = append(opts, caseVariables...)
			opts = append(opts, cel.Variable("referral", referralType), cel.Variable(variable, cel.ObjectType(scopeObjectType[scope])))
		}
		return opts
	})
	if err != nil {
		rc.errs = append(rc.errs, fmt.Errorf("%s: rule %s: %w", r.Pos, r.ID, err))
		return cr, rc.errs
	}
	cr.when = rc.compile(env, "when", r.When, cel.BoolType)
	cr.whenReads = rc.fieldsRead(env, r.When)
	if !r.Each.IsZero() {
		cr.each = rc.compile(env, "each", r.Each, nil)
		if elem := rc.listElem(env, r.Each); elem != nil {
			env, err = envs.extend(env, "item "+elem.String(), func() []cel.EnvOption { return []cel.EnvOption{cel.Variable("item", elem)} })
			if err != nil {
				rc.errs = append(rc.errs, fmt.Errorf("%s: rule %s: %w", r.Pos, r.ID, err))
				return cr, rc.errs
			}
		}
		cr.subject = rc.compile(env, "subject", r.Subject, cel.StringType)
		cr.itemWhen = rc.compile(env, "item_when", r.ItemWhen, cel.BoolType)
	}
	if r.Deadline != nil {
		cr.start = rc.compile(env, "deadline.start", r.Deadline.Start, cel.TimestampType)
		cr.done = rc.compile(env, "deadline.done", r.Deadline.Done, cel.TimestampType)
		cr.lapse = rc.compile(env, "deadline.lapse", r.Deadline.Lapse, cel.TimestampType)
		dueEnv, err := envs.extend(env, "due", func() []cel.EnvOption { return []cel.EnvOption{cel.Variable("start", cel.TimestampType)} })
		if err == nil {
			due := r.Deadline.Due
			if w := r.Deadline.Within; w != nil {
				due = Expr{Source: w.dueExpr(), Pos: w.Pos}
			}
			cr.due = rc.compile(dueEnv, "deadline.due", due, cel.TimestampType)
			if r.Deadline.DueOn.IsZero() {
				rc.mustRead(dueEnv, "deadline.due", due, "start")
			}
		}
	} else {
		cr.assert = rc.compile(env, "assert", r.Assert, cel.BoolType)
		cr.pendingFor = rc.compile(env, "pending_while", r.PendingWhile, cel.BoolType)
	}
	if !r.Message.IsZero() {
		msgEnv, err := envs.extend(env, "message", func() []cel.EnvOption {
			return []cel.EnvOption{
				cel.Variable("status", cel.StringType),
				cel.Variable("start", cel.TimestampType),
				cel.Variable("due", cel.TimestampType),
				cel.Variable("done", cel.TimestampType),
				cel.Variable("late_working_days", cel.IntType),
				cel.Variable("late_days", cel.IntType),
				cel.Variable("working_days_left", cel.IntType),
			}
		})
		if err == nil {
			cr.message = rc.compile(msgEnv, "message", r.Message, cel.StringType)
		}
	}
	var reads []string
	for _, e := range []Expr{r.Each, r.ItemWhen, r.Assert, r.PendingWhile} {
		reads = append(reads, rc.fieldsRead(env, e)...)
	}
	if d := r.Deadline; d != nil {
		for _, e := range []Expr{d.Start, d.Done, d.Lapse} {
			reads = append(reads, rc.fieldsRead(env, e)...)
		}
	}
	for _, n := range r.Needs {
		// Needs declared by hand cover facts read inside functions, which the expressions'
		// field selections do not show; a need that names another scope's objects does not
		// concern this one.
		if s, ok := needScope(n); !ok || s == scope || !slices.Contains(r.Scopes, s) {
			reads = append(reads, n)
		}
	}
	slices.Sort(reads)
	cr.reads = slices.Compact(reads)
	return cr, rc.errs
}

// fieldPathPrefix is how provenance.lacks names the fields of each object type: relative to a
// referral.
var fieldPathPrefix = map[string]string{
	"wt.Case":               "",
	"wt.Child":              "child.",
	"wt.Referral":           "",
	"wt.Assessment":         "assessments.",
	"wt.StrategyDiscussion": "strategy_discussions.",
	"wt.S47Enquiry":         "s47_enquiries.",
	"wt.Conference":         "conferences.",
	"wt.Plan":               "plans.",
	"wt.Visit":              "plans.visits.",
	// Incident and arrangements fields, as provenance.lacks names them: from the record.
	"wt.Incident":          "",
	"wt.IncidentChild":     "child.",
	"wt.Notified":          "notified.",
	"wt.RapidReview":       "rapid_review.",
	"wt.SeriousCaseReview": "serious_case_review.",
	"wt.LocalReview":       "local_review.",
	"wt.ChildDeathReview":  "child_death_review.",
	"wt.Arrangements":      "",
	"wt.LSCB":              "lscb.",
	"wt.Partners":          "partners.",
}

// collectionScope maps the first part of a field path to the scope of its objects.
var collectionScope = map[string]Scope{
	"assessments":          ScopeAssessment,
	"strategy_discussions": ScopeStrategyDiscussion,
	"s47_enquiries":        ScopeS47Enquiry,
	"conferences":          ScopeConference,
	"plans":                ScopePlan,
}

func needScope(path string) (Scope, bool) {
	first, _, _ := strings.Cut(path, ".")
	s, ok := collectionScope[first]
	return s, ok
}

// fieldsRead lists the record fields an expression selects, from its checked syntax tree.
func (rc *ruleCompiler) fieldsRead(env *cel.Env, e Expr) []string {
	if e.IsZero() {
		return nil
	}
	checked, iss := rc.check(env, e)
	if iss.Err() != nil {
		return nil // reported by compile
	}
	native := checked.NativeRep()
	var out []string
	celast.PostOrderVisit(native.Expr(), celast.NewExprVisitor(func(x celast.Expr) {
		if x.Kind() != celast.SelectKind {
			return
		}
		sel := x.AsSelect()
		t := native.GetType(sel.Operand().ID())
		if prefix, ok := fieldPathPrefix[t.TypeName()]; ok {
			out = append(out, prefix+sel.FieldName())
		}
	}))
	return out
}

// scopeObjectType is the CEL type of each scope's object.
var scopeObjectType = map[Scope]string{
	ScopeCase:               "wt.Case",
	ScopeReferral:           "wt.Referral",
	ScopeAssessment:         "wt.Assessment",
	ScopeStrategyDiscussion: "wt.StrategyDiscussion",
	ScopeS47Enquiry:         "wt.S47Enquiry",
	ScopeConference:         "wt.Conference",
	ScopePlan:               "wt.Plan",
	ScopeIncident:           "wt.Incident",
	ScopeArrangements:       "wt.Arrangements",
}

// compile checks one expression and its result type; want nil accepts any type. An empty
// expression compiles to nil.
func (rc *ruleCompiler) compile(env *cel.Env, key string, e Expr, want *cel.Type) *program {
	if e.IsZero() {
		return nil
	}
	ast, iss := rc.check(env, e)
	if iss.Err() != nil {
		for _, ce := range iss.Errors() {
			pos := e.at(ce.Location.Line(), ce.Location.Column())
			rc.errs = append(rc.errs, rc.exprError(pos, fmt.Sprintf("rule %s, %s: %s", rc.name(), key, ce.Message)))
		}
		return nil
	}
	if want != nil {
		got := ast.OutputType()
		if !got.IsAssignableType(want) && !(want == cel.TimestampType && got == types.NullType) {
			rc.errs = append(rc.errs, rc.exprError(e.at(1, 0),
				fmt.Sprintf("rule %s, %s: want %s, the expression gives %s", rc.name(), key, want, got)))
			return nil
		}
	}
	// Costs are counted through the tracker the evaluator hands each evaluation (see
	// evaluator.eval), not by the program, so the program is compiled without counting. It is
	// planned in the pack's base environment, not the one it was checked in: planning reads
	// the checked tree's references and types, and the variables the extended environments
	// declare are read from the activation as the program runs. Every program keeps the
	// environment it was planned in, and each environment its own copy of the cost models:
	// planned in the extended ones, they kept a megabyte more, marked on every collection.
	prg, err := rc.facts.base.Program(ast)
	if err != nil {
		rc.errs = append(rc.errs, rc.exprError(e.at(1, 0), fmt.Sprintf("rule %s, %s: %v", rc.name(), key, err)))
		return nil
	}
	est, err := rc.facts.base.EstimateCost(ast, noSizes{})
	p := &program{counted: err != nil || est.Max > staticCostLimit}
	p.fast = fastPathOf(env, ast, rc.facts, p.counted)
	if want == cel.TimestampType {
		p.date = datePathOf(env, ast, rc.facts, p.counted)
	}
	p.prg = prg
	if keepChecked {
		p.checked = ast
	}
	if again := rc.facts.envs.recipes[rc.checked[e.Pos].env]; again != nil && (p.fast != nil || p.date != nil) {
		// Planned above only to find what planning finds wrong; planned again when needed.
		p.prg, p.source, p.env, p.base = nil, e.Source, again, rc.facts.base
	}
	return p
}

// noSizes tells CEL's cost estimate nothing about the sizes of a record's lists: they are
// unbounded, so an expression that reads one whole has no static bound and is counted.
type noSizes struct{}

func (noSizes) EstimateSize(cost.AstNode) *cost.SizeEstimate { return nil }

func (noSizes) EstimateCallCost(string, string, *cost.AstNode, []cost.AstNode) *cost.CallEstimate {
	return nil
}

// costTracker builds a cost tracker with the environment's cost models (CEL's own, its
// extensions' and the engine's), by letting a trivial program build one. CEL builds trackers
// only inside programs, and a tracker must know every model to charge every function.
func costTracker(env *cel.Env) (*cost.Tracker, error) {
	ast, iss := env.Compile("true")
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	prg, err := env.Program(ast, cel.CostLimit(math.MaxUint64), cel.CostTrackerOptions(cost.OverloadTracker(firstAfterID, trackFirstAfter)))
	if err != nil {
		return nil, err
	}
	frame, err := interpreter.NewExecutionFrame(interpreter.EmptyActivation())
	if err != nil {
		return nil, err
	}
	defer frame.Close()
	if _, _, err := prg.Eval(frame); err != nil {
		return nil, err
	}
	t := frame.CostTracker()
	if t == nil {
		return nil, errors.New("cel built no cost tracker")
	}
	return t.Clone()
}

// listElem gives the element type of a list expression, reporting one that is not a list.
func (rc *ruleCompiler) listElem(env *cel.Env, e Expr) *cel.Type {
	ast, iss := rc.check(env, e)
	if iss.Err() != nil {
		return nil // already reported
	}
	t := ast.OutputType()
	if t.Kind() != types.ListKind || len(t.Parameters()) != 1 {
		rc.errs = append(rc.errs, rc.exprError(e.at(1, 0), fmt.Sprintf("rule %s, each: want a list, the expression gives %s", rc.name(), t)))
		return nil
	}
	return t.Parameters()[0]
}

// mustRead reports an expression that never reads the variable name: a due date that does
// not depend on its start is almost certainly a mistake.
func (rc *ruleCompiler) mustRead(env *cel.Env, key string, e Expr, name string) {
	if e.IsZero() {
		return
	}
	ast, iss := rc.check(env, e)
	if iss.Err() != nil {
		return
	}
	for _, ref := range ast.NativeRep().ReferenceMap() {
		if ref.Name == name {
			return
		}
	}
	rc.errs = append(rc.errs, rc.exprError(e.at(1, 0), fmt.Sprintf("rule %s, %s does not depend on %s", rc.name(), key, name)))
}

// name is the rule's id, with the scope being compiled when the rule has several.
func (rc *ruleCompiler) name() string {
	if rc.scope != "" {
		return fmt.Sprintf("%s (scope %s)", rc.rule.ID, rc.scope)
	}
	return rc.rule.ID
}

func (rc *ruleCompiler) exprError(pos Position, msg string) error {
	pe := &PackError{Pos: pos, Message: msg}
	if pos.Line >= 1 && pos.Line <= len(rc.lines) {
		pe.line = rc.lines[pos.Line-1]
	}
	return pe
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lacking lists the fields read that the record's source cannot record: a lacks entry names
// a field ("decision") or a whole collection ("strategy_discussions").
func lacking(lacks, reads []string) []string {
	var out []string
	for _, l := range lacks {
		for _, r := range reads {
			if r == l || strings.HasPrefix(r, l+".") {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

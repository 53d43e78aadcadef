package report

import (
	"sync"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/compare"
	"github.com/wtcheck/wtcheck/checker/explain"
	"github.com/wtcheck/wtcheck/checker/ruledoc"
	"github.com/wtcheck/wtcheck/record"
)

// AuditRedactor is what an audit's assembly needs of a redactor (checker/redact's): named
// here, not imported, because a writer does not import the runner, which that package does.
type AuditRedactor interface {
	// ID is a case id as a redacted report shows it.
	ID(id string) string
	// ForComparison is a case and its findings as the comparison of editions may hold them.
	ForComparison(c *record.Case, asOf record.Date, findings []checker.Finding) (*record.Case, []checker.Finding)
	// Timeline redacts a case's timeline.
	Timeline(t *explain.Timeline, c *record.Case)
}

// AuditOptions are the run's choices an audit is assembled by.
type AuditOptions struct {
	Engine *checker.Engine // the run's engine; its DueSoon is the due-soon window
	// AsOf is the run's as-of date (--as-of); zero means each record's extract date.
	AsOf         record.Date
	MaxRows      int // rows per list on the page (--max-rows); 0 means DefaultMaxRows
	MaxTimelines int // timelines kept (--max-timelines); 0 keeps none
	// Redact is the run's redactor, or nil (a nil interface, not a nil *redact.Redactor).
	Redact AuditRedactor
}

// AuditCollector assembles an audit report from a run, the same way for the command line
// and the browser build: give PerCase to the runner (batch.Options.PerCase), then Audit the
// report the run returns. It collects, case by case, the comparison of editions when several
// are checked (in force mode, every edition checked again beside each referral's own) and the
// timelines of the cases most in need of a look. It is safe for concurrent use, as the
// runner's workers call PerCase at once.
type AuditCollector struct {
	opts      AuditOptions
	agg       *compare.Aggregator // nil when one edition is checked
	every     *checker.Engine     // every edition on each case, in force mode; else nil
	timelines *TimelineSet

	mu    sync.Mutex
	until record.Date // the last as-of date of the batch: the trend ends there
}

// NewAuditCollector makes the collector of a run.
func NewAuditCollector(o AuditOptions) *AuditCollector {
	c := &AuditCollector{opts: o, timelines: &TimelineSet{Max: o.MaxTimelines, DueSoon: o.Engine.DueSoon}}
	if len(o.Engine.Packs) > 1 {
		c.agg = compare.NewAggregator(o.Engine.Packs, o.Engine.InForce, ruledoc.Timescale)
		if o.Engine.InForce {
			// The run's own check gives only each referral's edition.
			all := *o.Engine
			all.InForce = false
			c.every = &all
		}
	}
	return c
}

// PerCase takes one case checked and its findings.
func (ac *AuditCollector) PerCase(c *record.Case, findings []checker.Finding) {
	engine, red := ac.opts.Engine, ac.opts.Redact
	day := engine.AsOfFor(c, ac.opts.AsOf)
	ac.mu.Lock()
	if day.After(ac.until) {
		ac.until = day
	}
	ac.mu.Unlock()
	if ac.agg != nil {
		compared := findings
		if ac.every != nil {
			compared, _, _ = ac.every.CheckInForce(c, ac.opts.AsOf)
		}
		cc := c
		if red != nil {
			cc, compared = red.ForComparison(c, day, compared)
		}
		ac.agg.Add(cc, compared)
	}
	if ac.opts.MaxTimelines == 0 {
		return
	}
	id := c.CaseID
	if red != nil {
		id = red.ID(id)
	}
	ac.timelines.Offer(id, findings, func() *explain.Timeline {
		t := explain.Build(c, day, findings, engine.Calendar, engine.Packs)
		if red != nil {
			red.Timeline(t, c)
		}
		return t
	})
}

// Audit assembles the audit of the run's report, once the run has ended.
func (ac *AuditCollector) Audit(rep *checker.Report) *Audit {
	a := &Audit{Report: rep, DueSoon: ac.opts.Engine.DueSoon, Redacted: ac.opts.Redact != nil, InForce: ac.opts.Engine.InForce,
		AsOf: ac.until, MaxRows: ac.opts.MaxRows, MaxTimelines: ac.opts.MaxTimelines}
	a.Timelines, a.TimelineCases = ac.timelines.Timelines()
	if ac.agg != nil {
		a.Comparison = ac.agg.Result(rep)
	}
	return a
}

// Package checker is the engine: it loads rule packs, compiles their CEL expressions against
// the record model and a working-day calendar, and evaluates them on one record at a time into
// findings (met, breach, pending, not_applicable, insufficient_data), with the baseline of
// known breaches, the finding identity and the exit codes a check ends with.
//
// Its contract:
//   - It reads records through package record and imports no other package of the project:
//     not a source (it never reads a file), not the runner (checker/batch), not a writer
//     (checker/report) nor the command line. internal/layering tests this.
//   - A compiled Engine is immutable and holds no global mutable state, so one engine checks
//     records on every core at once.
//   - The same record, packs, calendar and as-of date give the same findings in the same
//     order (SortFindings); nothing depends on the clock but Engine.Today, which the caller
//     sets.
//   - A rule never takes a batch down: a failed evaluation, a panic in a binding or a rule
//     over its cost budget is an EvalError for that subject, and the rest is checked.
//   - Errors and findings name ids and field paths, never a record's values.
//
// The files, by layer: calendar.go (working days, bank holidays); pack.go and load.go (the
// pack model and parsing it, overlays); env.go and celtypes.go (the CEL environment: the one
// place its variables and functions are declared); compile.go (each expression checked once);
// eval.go and index.go (evaluation, the deadline state machine); finding.go, findinglist.go,
// baseline.go (what a check reports and remembers).
package checker

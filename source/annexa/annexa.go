// Package annexa imports Ofsted's "Annex A" child-level lists, the Excel workbook a local
// authority gives Ofsted for an inspection of children's services, as wtcheck case records:
// one record per child, the join of Lists 3 to 7 on the Child Unique ID.
//
// Annex A is a sample-picking list, not a case history: it has no reference date, no keys
// between lists, and keeps only the latest review conference and the latest statutory visit of
// a child protection plan. What it cannot record is listed in every record's
// provenance.lacks (see Lacks), so that rules needing it give insufficient_data, never a
// breach. docs/import.md describes the mapping column by column.
package annexa

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wtcheck/wtcheck/record"
	"github.com/wtcheck/wtcheck/source"
)

// Options control an import.
type Options struct {
	// AsOf is the day the lists were produced. It is required, because the workbook has no
	// reference date, and it becomes every record's extract_date.
	AsOf record.Date
}

// Format is the provenance.format of the records this package makes.
const Format = "annex-a"

// gaps are the facts no Annex A workbook records, as provenance.lacks paths.
var gaps = []source.Gap{
	{Path: "decision", Reason: "List 3 gives the referral's date, not the date of the decision on the response"},
	{Path: "homeless", Reason: "Annex A records nothing about homelessness"},
	{Path: "housing_referral", Reason: "Annex A records no referral to the housing authority"},
	{Path: "housing_referral_refused", Reason: "Annex A records no referral to the housing authority"},
	{Path: "early_help_considered", Reason: "List 2 (early help) is not linked to referrals"},
	{Path: "child.circumstances", Reason: "Annex A records no early-help indicators"},
	{Path: "assessments.seen", Reason: "List 4 says whether the child was seen (yes or no), not on which days"},
	{Path: "assessments.seen_alone", Reason: "List 4 does not say whether the child was seen alone"},
	{Path: "assessments.wishes_recorded", Reason: "Annex A does not record the child's wishes and feelings"},
	{Path: "strategy_discussions.agencies", Reason: "List 5 gives the strategy discussion's date only, not who took part"},
	{Path: "s47_enquiries.started", Reason: "List 5 has no section 47 start date, only the strategy discussion that initiated the enquiry"},
	{Path: "s47_enquiries.completed", Reason: "List 5 has no section 47 completion date"},
	{Path: "s47_enquiries.seen", Reason: "List 5 does not say whether the child was seen during the enquiry"},
	{Path: "s47_enquiries.seen_alone", Reason: "List 5 does not say whether the child was seen alone during the enquiry"},
	{Path: "s47_enquiries.wishes_recorded", Reason: "Annex A does not record the child's wishes and feelings"},
	{Path: "s47_enquiries.not_seen_reason", Reason: "List 5 does not say why a child was not seen"},
	{Path: "conferences.chair_independent", Reason: "Annex A does not say who chaired a conference"},
	{Path: "conferences.notified", Reason: "Annex A records no transfer-in conferences"},
	{Path: "plans.core_groups", Reason: "List 7 has no core group dates"},
	{Path: "plans.visits", Reason: "List 7 keeps only the last statutory visit, not the visits before it, and not whether the child was seen"},
	{Path: "plans.end_reason", Reason: "List 7 gives a plan's end date but not why it ended, and no review conference outcomes"},
}

// Gaps of one record only, added to provenance.lacks where they apply.
const (
	// lackReceived is added when an assessment, enquiry or plan could not be linked to a
	// referral of Lists 3 or 6 and was put under a stand-in referral (id U1, U2, …) dated on
	// its own first date: that date is not a referral date, so no rule may count from it.
	lackReceived = "received"
	// lackPlanStarted is added when a plan's latest review conference falls after the first
	// review's due date (the plan's start plus 3 months): List 7 keeps only the latest review,
	// so when the first review was held cannot be known. Among the fields
	// first-review-timeliness reads, plans.started is the one no other rule that Annex A can
	// answer reads (core-group-timeliness and cp-visit-interval already lack their facts).
	lackPlanStarted = "plans.started"
)

// Lacks lists what Annex A cannot record, as provenance.lacks paths, with a reason each.
// Every record lists all of them; a record may list "received" and "plans.started" as well
// (see docs/import.md).
func Lacks() []source.Gap { return slices.Clone(gaps) }

// ReadFile imports a workbook: one source.Record per child (the join of Lists 3 to 7 on the
// Child Unique ID), Index the child's 1-based position in first-seen order (List 3 first, each
// list row by row), CaseID the child's id and File the path. A bad cell makes an error record
// for its child, naming the sheet and cell, never the value; the other children go on. A
// problem with a whole sheet or with a row that names no child reaches fn, before the
// children, as a record with Index 0. A list sheet that is not there is not an error: its
// facts are absent, and nothing is reported.
//
// ReadFile returns an error, before reading any record, when opts.AsOf is not given, when the
// file cannot be opened or is not an .xlsx workbook, or when it has none of Lists 3 to 7; an
// error returned by fn stops the reading and is returned.
func ReadFile(path string, opts Options, fn func(source.Record) error) error {
	return readInput(source.Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}, opts, fn)
}

// readInput is ReadFile on any input: a file, or the bytes of one.
func readInput(in source.Input, opts Options, fn func(source.Record) error) error {
	if opts.AsOf.IsZero() {
		//lint:ignore ST1005 "Annex A" is a name, and the message is shown as it is.
		return errors.New("Annex A has no reference date: give --as-of")
	}
	if in.Open == nil {
		return fmt.Errorf("read Annex A workbook: %w", source.ErrNoOpen)
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("read Annex A workbook: %w", err)
	}
	wb, err := openWorkbookFrom(f)
	switch {
	case errors.Is(err, errNotWorkbook):
		return fmt.Errorf("read Annex A workbook %s: %v", in.Name, err)
	case err != nil:
		return fmt.Errorf("read Annex A workbook: %w", err)
	}
	defer wb.Close()
	return readBook(wb, in.Name, opts, fn)
}

// InputFormat describes the source for the table of formats (package source/registry).
var InputFormat = source.Format{
	Name:        Format,
	Description: "an Ofsted Annex A workbook (.xlsx), imported into case records; give --as-of",
	Expect:      "an Annex A workbook, as --input-format annex-a says",
	Extensions:  []string{".xlsx"},
	Gaps:        func(source.Options) []source.Gap { return Lacks() },
	Open: func(o source.Options) (source.Source, error) {
		if o.AsOf.IsZero() {
			return nil, fmt.Errorf("--input-format %s: an Annex A workbook has no reference date: give --as-of", Format)
		}
		opts := Options{AsOf: o.AsOf}
		return source.Func(func(in source.Input, fn func(source.Record) error) error { return readInput(in, opts, fn) }), nil
	},
}

// readBook imports an opened workbook; path names it in records and errors.
func readBook(wb *workbook, path string, opts Options, fn func(source.Record) error) error {
	if len(wb.sheets) == 0 {
		return fmt.Errorf("read Annex A workbook %s: not an Excel workbook (.xlsx): it has no sheets", path)
	}
	date1904 := wb.date1904

	var problems []source.Record
	children := map[string]*child{}
	var order []*child
	found := 0
	for _, spec := range lists {
		sheet, err := readList(wb, spec)
		if err != nil {
			problems = append(problems, source.Record{File: path, Err: err})
			found++
			continue
		}
		if sheet == nil {
			continue
		}
		found++
		for _, r := range sheet.rows {
			id := r.cells[colChildID].v
			if blank(id) {
				problems = append(problems, source.Record{File: path, Err: fmt.Errorf("%s (%s) is blank: the row was not read", r.cells[colChildID].ref(), columnName[colChildID])})
				continue
			}
			ch := children[id]
			if ch == nil {
				ch = &child{id: id, index: len(order) + 1}
				children[id] = ch
				order = append(order, ch)
			}
			ch.rows[spec.n] = append(ch.rows[spec.n], r)
		}
	}
	if found == 0 {
		return fmt.Errorf("read Annex A workbook %s: no sheet is named List 3 to List 7 (or List_3 to List_7): is it an Annex A workbook?", path)
	}
	for _, p := range problems {
		if err := fn(p); err != nil {
			return err
		}
	}
	for _, ch := range order {
		b := builder{asOf: opts.AsOf, date1904: date1904}
		rec := source.Record{File: path, Index: ch.index, CaseID: ch.id}
		c, err := b.build(ch)
		if err == nil {
			err = record.Validate(c)
		}
		if err != nil {
			rec.Err = err
		} else {
			// Cells after the as-of date are named by their cells; impossible orders the
			// importer lets through by the case record's paths, as for any record.
			rec.Case, rec.Warnings = c, append(b.warnings, record.ImpossibleOrders(c)...)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

// field is a column of Annex A that the importer reads.
type field int

const (
	colChildID field = iota + 1
	colBirth
	colAge
	colDisability
	colTeam
	colReferralDate
	colSource
	colNFA
	colAssessmentStart
	colAssessmentAuthorised
	colDiscussion
	colICPCUnnecessary
	colICPCDate
	colICPCPlan
	colCINStart
	colCINClosure
	colCaseStatus
	colPlanStart
	colInitialCategory
	colLatestCategory
	colLastVisit
	colSeenAlone
	colLatestReview
	colPlanEnd
)

// column is a column as the 2019 template spells it, and the other spellings accepted.
// Headers are compared folded (see fold): case, spaces, quotes and punctuation do not count.
type column struct {
	field    field
	name     string
	variants []string
}

// shared are the columns every list of 3 to 7 has. Allocated Worker is never read: it names a
// person.
var shared = []column{
	{colChildID, "Child Unique ID", []string{"Child ID", "Child Unique Identifier", "Unique Child ID"}},
	{colBirth, "Date of Birth", []string{"DOB", "Birth Date"}},
	{colAge, "Age of Child (Years)", []string{"Age", "Age of Child", "Age (Years)", "Age in Years"}},
	{colDisability, "Does the Child have a Disability", []string{"Disability", "Disabled", "Does the Child have a Disability?"}},
	{colTeam, "Allocated Team", []string{"Team"}},
}

// listSpec is one list: its number, its own columns, and the columns it must have, because a
// missing one would read as "not done" and give false breaches.
type listSpec struct {
	n        int
	columns  []column
	required []field
	lookup   map[string]field
}

var lists = []*listSpec{
	{n: 3, columns: []column{
		{colReferralDate, "Date of referral", []string{"Referral Date"}},
		{colSource, "Referral Source", []string{"Source of Referral"}},
		{colNFA, "Referral NFA?", []string{"Referral No Further Action", "Referral NFA Flag", "NFA"}},
	}, required: []field{colReferralDate}},
	{n: 4, columns: []column{
		{colAssessmentStart, "Continuous Assessment Start Date", []string{"Assessment Start Date", "Single Assessment Start Date"}},
		{colAssessmentAuthorised, "Continuous Assessment Date of Authorisation", []string{"Assessment Date of Authorisation", "Assessment Authorisation Date", "Date of Authorisation", "Continuous Assessment Authorisation Date"}},
	}, required: []field{colAssessmentStart, colAssessmentAuthorised}},
	{n: 5, columns: []column{
		{colDiscussion, "Strategy discussion initiating Section 47 Enquiry Start Date", []string{"Strategy Discussion Initiating Section 47 Enquiry Date", "Date of Strategy Discussion Initiating Section 47 Enquiry"}},
		{colICPCUnnecessary, "Was an Initial Child Protection Conference deemed unnecessary?", []string{"Was an ICPC deemed unnecessary", "ICPC deemed unnecessary", "Initial Child Protection Conference deemed unnecessary"}},
		{colICPCDate, "Date of Initial Child Protection Conference", []string{"Date of ICPC", "ICPC Date", "Initial Child Protection Conference Date"}},
		{colICPCPlan, "Did the Initial Child Protection Conference Result in a Child Protection Plan", []string{"Did the ICPC Result in a Child Protection Plan", "Did the ICPC Result in a CPP", "Did the Initial Child Protection Conference Result in a Child Protection Plan?"}},
	}, required: []field{colDiscussion, colICPCUnnecessary, colICPCDate}},
	{n: 6, columns: []column{
		{colCINStart, "CIN Start Date", []string{"Child in Need Start Date"}},
		{colCINClosure, "CIN Closure Date", []string{"Child in Need Closure Date", "CIN End Date"}},
		{colCaseStatus, "Case status", nil},
	}, required: []field{colCINStart, colCINClosure}},
	{n: 7, columns: []column{
		{colPlanStart, "Child Protection Plan Start Date", []string{"CP Plan Start Date", "CPP Start Date"}},
		{colInitialCategory, "Initial Category of Abuse", nil},
		{colLatestCategory, "Latest Category of Abuse", []string{"Category of Abuse"}},
		{colLastVisit, "Date of the Last Statutory Visit", []string{"Date of Last Statutory Visit", "Last Statutory Visit Date"}},
		{colSeenAlone, "Was the Child Seen Alone?", []string{"Child Seen Alone", "Was the Child Seen Alone at the Last Visit"}},
		{colLatestReview, "Date of latest review conference", []string{"Latest Review Conference Date", "Date of Last Review Conference", "Date of Latest Child Protection Review Conference"}},
		{colPlanEnd, "Child Protection Plan End Date", []string{"CP Plan End Date", "CPP End Date"}},
	}, required: []field{colPlanStart, colLatestReview, colPlanEnd}},
}

// columnName is each field's name as the template spells it, for messages.
var columnName = map[field]string{}

func init() {
	for _, spec := range lists {
		spec.lookup = map[string]field{}
		for _, c := range slices.Concat(shared, spec.columns) {
			columnName[c.field] = c.name
			for _, v := range append([]string{c.name}, c.variants...) {
				spec.lookup[fold(v)] = c.field
			}
		}
	}
}

// fold reduces a header or sheet name to lower-case letters and digits, so that case,
// spaces, quotes (straight or curly), parentheses and other punctuation do not count.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// headerRowsSearched is how far down a sheet the header row is looked for: row 1 in some
// workbooks, row 2 below a title in Ofsted's template.
const headerRowsSearched = 10

// sheetData is the rows of one list.
type sheetData struct {
	name string
	rows []row
}

// row is one data row: its cells by field.
type row struct{ cells map[field]cell }

// cell is one cell: where it is (for messages: "List 5!G7"), its field, and its raw value
// (dates as serial numbers, formulas as their cached values), and whether the value is a
// number (a text "16" in a date column is not the 16th day of Excel's calendar).
type cell struct {
	sheet    string
	row, col int
	field    field
	v        string
	num      bool
}

// ref is the cell's reference, "List 5!G7".
func (c cell) ref() string { return c.sheet + "!" + columnLetters(c.col) + strconv.Itoa(c.row) }

func (r row) get(f field) cell { return r.cells[f] }

// sheetFor finds the sheet of a list among the workbook's sheet names: "List 3", "List_3",
// "list3" and "List 3 - Referrals" alike, but not "List 30". It gives every name that matches,
// and the index of the one, when exactly one does.
func sheetFor(sheets []string, n int) ([]string, int) {
	want := fmt.Sprintf("list%d", n)
	var names []string
	at := -1
	for i, name := range sheets {
		rest, ok := strings.CutPrefix(fold(name), want)
		if ok && (rest == "" || rest[0] < '0' || rest[0] > '9') {
			names = append(names, name)
			at = i
		}
	}
	if len(names) == 1 {
		return names, at
	}
	return names, -1
}

// errListDone stops the reading of a sheet that cannot be read as its list.
var errListDone = errors.New("list done")

// readList reads one list's sheet, a row at a time: nil when the workbook has no such sheet,
// an error when the sheet cannot be read as the list (its facts are then absent). Only the
// columns the list maps are kept.
func readList(wb *workbook, spec *listSpec) (*sheetData, error) {
	names, at := sheetFor(wb.sheetNames(), spec.n)
	switch {
	case len(names) == 0:
		return nil, nil
	case at < 0:
		return nil, fmt.Errorf("sheets %s all look like List %d: none of them was read", strings.Join(names, ", "), spec.n)
	}
	part := wb.sheets[at]
	name := part.name
	out := &sheetData{name: name}
	header := 0                // the header's row number, once found
	columns := map[int]field{} // the mapped columns, by column number
	var listErr error
	err := wb.readSheet(part, func(n int, cells []xcell) error {
		if header == 0 {
			if n > headerRowsSearched {
				return errListDone
			}
			if !slices.ContainsFunc(cells, func(c xcell) bool { return spec.lookup[fold(c.v)] == colChildID }) {
				return nil // a title above the headers
			}
			header = n
			seen := map[field]bool{}
			for _, c := range cells {
				f, ok := spec.lookup[fold(c.v)]
				if !ok {
					continue
				}
				if seen[f] {
					listErr = fmt.Errorf("sheet %s has two columns for %s (row %d): the list was not read", name, columnName[f], header)
					return errListDone
				}
				seen[f] = true
				columns[c.col] = f
			}
			var missing []string
			for _, f := range spec.required {
				if !seen[f] {
					missing = append(missing, columnName[f])
				}
			}
			if len(missing) > 0 {
				listErr = fmt.Errorf("sheet %s has no column %s (headers in row %d): the list was not read", name, strings.Join(missing, ", "), header)
				return errListDone
			}
			return nil
		}
		if n <= header || !slices.ContainsFunc(cells, func(c xcell) bool { return !blank(c.v) }) {
			return nil
		}
		r := row{cells: make(map[field]cell, len(columns))}
		for col, f := range columns {
			r.cells[f] = cell{sheet: name, row: n, col: col, field: f}
		}
		for _, c := range cells {
			if f, ok := columns[c.col]; ok {
				r.cells[f] = cell{sheet: name, row: n, col: c.col, field: f, v: strings.TrimSpace(c.v), num: c.num}
			}
		}
		out.rows = append(out.rows, r)
		return nil
	})
	var limit *sheetLimitError
	switch {
	case listErr != nil:
		return nil, listErr
	case errors.As(err, &limit):
		return nil, fmt.Errorf("%s: the list was not read", limit.msg)
	case err != nil && !errors.Is(err, errListDone):
		return nil, fmt.Errorf("sheet %s could not be read: %v", name, err)
	case header == 0:
		return nil, fmt.Errorf("sheet %s has no header row (a row with %s in the first %d rows): the list was not read", name, columnName[colChildID], headerRowsSearched)
	}
	return out, nil
}

// blank reports whether a cell records nothing: empty, "#N/A" (a lookup that found nothing),
// "N/A", or an empty string written as two quotes.
func blank(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "#n/a", "n/a", "''", `""`:
		return true
	}
	return false
}

// spreadsheetErrors are the error values of a formula that failed.
var spreadsheetErrors = []string{"#value!", "#ref!", "#div/0!", "#name?", "#num!", "#null!", "#spill!", "#calc!", "#getting_data"}

// child is the rows of one child, by list number.
type child struct {
	id    string
	index int
	rows  [8][]row
}

// builder builds one child's record, collecting every bad cell.
type builder struct {
	asOf     record.Date
	date1904 bool
	errs     []error
	warnings []record.Warning
	counters map[string]int
}

func (b *builder) fail(c cell, problem string) {
	b.errs = append(b.errs, fmt.Errorf("%s (%s) %s", c.ref(), columnName[c.field], problem))
}

// id gives the next id with a prefix: A1, A2, …
func (b *builder) id(prefix string) string {
	if b.counters == nil {
		b.counters = map[string]int{}
	}
	b.counters[prefix]++
	return prefix + strconv.Itoa(b.counters[prefix])
}

var (
	isoDate   = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](?:\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?:Z|[+-]\d{2}:?\d{2})?)?$`)
	ukDate    = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$`)
	excelBase = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	base1904  = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// date reads a date cell: an Excel date (a serial number, as real date cells and formulas
// give), or text DD/MM/YYYY (the template's form) or YYYY-MM-DD. ok is false when the cell
// held something else, which is then an error of the child. An event dated after the as-of
// date (the workbook's extract date) is kept and warned of: the check counts it as not yet
// happened, as for any extract (case-format.md, "The as-of date").
func (b *builder) date(c cell, event bool) (d record.Date, ok bool) {
	v := c.v
	if blank(v) {
		return record.Date{}, true
	}
	if slices.Contains(spreadsheetErrors, strings.ToLower(v)) {
		b.fail(c, "holds a spreadsheet error, not a date")
		return record.Date{}, false
	}
	var reason string
	serial, err := strconv.ParseFloat(v, 64)
	switch m, n := isoDate.FindStringSubmatch(v), ukDate.FindStringSubmatch(v); {
	case c.num && err == nil:
		d, reason = b.serial(serial)
	case m != nil:
		d, reason = ymd(m[1], m[2], m[3])
	case n != nil:
		d, reason = ymd(n[3], n[2], n[1])
	default:
		// Text that is not a written date, "16" included: only a number cell is a serial
		// number, or 16 would be 16 January 1900.
		reason = "is not a date: want DD/MM/YYYY, YYYY-MM-DD or an Excel date"
	}
	if reason != "" {
		b.fail(c, reason)
		return record.Date{}, false
	}
	if event && d.After(b.asOf) {
		b.warnings = append(b.warnings, record.Warning{Path: fmt.Sprintf("%s (%s)", c.ref(), columnName[c.field]),
			Warning: "is after the as-of date: counted as not yet happened"})
	}
	return d, true
}

// serial converts an Excel serial date. In the 1900 date system Excel counts 29 February
// 1900, which never was, as day 60.
func (b *builder) serial(n float64) (record.Date, string) {
	if math.IsNaN(n) || math.IsInf(n, 0) || n < 1 || n > 1e6 {
		return record.Date{}, "is not a date: the number is no Excel date"
	}
	days := int(math.Floor(n))
	var t time.Time
	switch {
	case b.date1904:
		t = base1904.AddDate(0, 0, days)
	case days == 60:
		return record.Date{}, "is not a real calendar date (29 February 1900)"
	case days < 60:
		t = excelBase.AddDate(0, 0, days+1)
	default:
		t = excelBase.AddDate(0, 0, days)
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return record.Date{}, "is outside the years 1900 to 2200"
	}
	return record.DateOf(t), ""
}

func ymd(y, m, d string) (record.Date, string) {
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	date, err := record.ParseDate(fmt.Sprintf("%04d-%02d-%02d", yy, mm, dd))
	if err != nil {
		if yy < 1900 || yy > 2200 {
			return record.Date{}, "is outside the years 1900 to 2200"
		}
		return record.Date{}, "is not a real calendar date"
	}
	return date, ""
}

// required reads a date cell that must be there.
func (b *builder) required(c cell, what string) (record.Date, bool) {
	d, ok := b.date(c, true)
	if ok && d.IsZero() {
		b.fail(c, "is blank: "+what)
		return d, false
	}
	return d, ok
}

// answer is a coded yes/no/unknown value.
type answer int

const (
	notRecorded answer = iota
	yes
	no
	unknown
)

// codePrefix is the letter that codes carry in the template: "a) Yes", "q) 6: Police".
var codePrefix = regexp.MustCompile(`^[a-z]{1,2}\)\s*`)

// uncoded gives a coded value without its letter, in lower case.
func uncoded(v string) string {
	return strings.TrimSpace(codePrefix.ReplaceAllString(strings.ToLower(strings.TrimSpace(v)), ""))
}

// yesNo reads "a) Yes", "Yes", "yes", "Y", "b) No", "N", "c) Unknown" and the like, and the
// TRUE and FALSE of a logical cell.
func (b *builder) yesNo(c cell) answer {
	if blank(c.v) {
		return notRecorded
	}
	switch strings.TrimRight(uncoded(c.v), ".?! ") {
	case "yes", "y", "true", "1":
		return yes
	case "no", "n", "false", "0":
		return no
	case "unknown", "u", "not known", "not recorded", "not stated", "nk":
		return unknown
	}
	b.fail(c, "is not a yes/no code: want a) Yes, b) No or c) Unknown")
	return notRecorded
}

// referralSources maps the CIN census source codes that Annex A's codes carry ("q) 6:
// Police") to the case format's sources.
var referralSources = map[string]string{
	"1a": "individual", "1b": "individual", "1c": "individual", "1d": "individual",
	"2a": "schools", "2b": "education_services",
	"3a": "health_services", "3b": "health_services", "3c": "health_services", "3d": "health_services", "3e": "health_services", "3f": "health_services",
	"4": "housing", "5a": "la_services", "5b": "la_services", "5c": "la_services",
	"6": "police", "7": "other_legal_agency", "8": "other", "9": "anonymous", "10": "unknown",
}

// sourceWords maps uncoded source names ("Police", "School") to the same values.
var sourceWords = map[string]string{
	"individual": "individual", "school": "schools", "schools": "schools",
	"educationservices": "education_services", "education": "education_services",
	"health": "health_services", "healthservices": "health_services", "housing": "housing",
	"laservices": "la_services", "police": "police", "otherlegalagency": "other_legal_agency",
	"other": "other", "anonymous": "anonymous", "unknown": "unknown",
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// source reads a referral source: the census code where there is one, else the name.
func referralSource(v string) string {
	if blank(v) {
		return ""
	}
	s := uncoded(v)
	if code, name, ok := strings.Cut(s, ":"); ok {
		if out, ok := referralSources[strings.TrimSpace(code)]; ok {
			return out
		}
		s = strings.TrimSpace(name)
	}
	if out, ok := referralSources[s]; ok {
		return out
	}
	if out, ok := sourceWords[fold(s)]; ok {
		return out
	}
	return strings.Trim(nonWord.ReplaceAllString(s, "_"), "_")
}

// categories maps the categories of abuse (List 7's codes, or CIN census codes) to the case
// format's.
var categories = map[string]string{
	"neglect": "neglect", "neg": "neglect",
	"physicalabuse": "physical", "physical": "physical", "phy": "physical",
	"sexualabuse": "sexual", "sexual": "sexual", "sab": "sexual",
	"emotionalabuse": "emotional", "emotional": "emotional", "emo": "emotional",
	"multiplenotrecommended": "multiple", "multiple": "multiple", "mul": "multiple",
}

func (b *builder) category(c cell) string {
	if blank(c.v) {
		return ""
	}
	if out, ok := categories[fold(uncoded(c.v))]; ok {
		return out
	}
	b.fail(c, "is not a category of abuse: want a) Neglect, b) Physical abuse, c) Sexual abuse, d) Emotional abuse or e) Multiple/not recommended")
	return ""
}

// episode is a referral of the record, and whether it may take assessments, enquiries and
// plans by date.
type episode struct {
	r    *record.Referral
	nfa  bool // List 3 says no further action: nothing followed it
	stub bool // stands in for a referral Annex A does not name; its received date is not one
}

// planRow is a List 7 row, read.
type planRow struct {
	started, ended, review, visit record.Date
	seenAlone                     answer
	category                      string
}

func (b *builder) build(ch *child) (*record.Case, error) {
	c := &record.Case{
		CaseID:      ch.id,
		ExtractDate: b.asOf,
		Child:       record.Child{ID: ch.id},
		Provenance:  record.Provenance{Format: Format},
	}
	b.person(ch, c)

	// Referrals: List 3 rows, and the episodes of List 6 (its CIN Start Date is the referral
	// date of the episode, so a List 3 referral of the same day is the same referral).
	var eps []*episode
	for _, r := range ch.rows[3] {
		received, ok := b.required(r.get(colReferralDate), "a referral needs its date")
		nfa := b.yesNo(r.get(colNFA)) == yes
		if !ok {
			continue
		}
		ep := &episode{r: &record.Referral{Received: received, Source: referralSource(r.get(colSource).v)}, nfa: nfa}
		if nfa {
			ep.r.Outcome = "no_further_action"
		}
		eps = append(eps, ep)
	}
	var cinPlans []*episode
	for _, r := range ch.rows[6] {
		start, ok := b.required(r.get(colCINStart), "an episode of need needs its start date")
		closed, okClosed := b.date(r.get(colCINClosure), true)
		if !ok || !okClosed {
			continue
		}
		if !closed.IsZero() && closed.Before(start) {
			b.fail(r.get(colCINClosure), "is before the CIN Start Date")
			continue
		}
		var ep *episode
		for _, e := range eps {
			if e.r.Received == start && (ep == nil || ep.nfa && !e.nfa) {
				ep = e
			}
		}
		if ep == nil {
			ep = &episode{r: &record.Referral{Received: start}}
			eps = append(eps, ep)
		}
		ep.r.Closed = closed
		if closed.IsZero() && strings.Contains(fold(uncoded(r.get(colCaseStatus).v)), "childinneedplan") {
			cinPlans = append(cinPlans, ep)
		}
	}
	stub := func(d record.Date) *episode {
		ep := &episode{r: &record.Referral{Received: d}, stub: true}
		eps = append(eps, ep)
		return ep
	}

	// Assessments: under the child's latest referral received on or before the start.
	for _, r := range ch.rows[4] {
		started, ok := b.required(r.get(colAssessmentStart), "an assessment needs its start date")
		completed, okDone := b.date(r.get(colAssessmentAuthorised), true)
		if !ok || !okDone {
			continue
		}
		if !completed.IsZero() && completed.Before(started) {
			b.fail(r.get(colAssessmentAuthorised), "is before the assessment's start date")
			continue
		}
		ep := latest(eps, started)
		if ep == nil {
			ep = stub(started)
		}
		ep.r.Assessments = append(ep.r.Assessments, &record.Assessment{
			ID: b.id("A"), Kind: "single", Started: started, Completed: completed,
		})
	}

	// List 7 is read before List 5, which needs to know whether the child was already on a
	// plan; plans are placed after it, under their initial conference's referral.
	var plans []planRow
	for _, r := range ch.rows[7] {
		started, ok := b.required(r.get(colPlanStart), "a child protection plan needs its start date")
		ended, ok2 := b.date(r.get(colPlanEnd), true)
		review, ok3 := b.date(r.get(colLatestReview), true)
		visit, ok4 := b.date(r.get(colLastVisit), true)
		p := planRow{started: started, ended: ended, review: review, visit: visit, seenAlone: b.yesNo(r.get(colSeenAlone))}
		if p.category = b.category(r.get(colLatestCategory)); p.category == "" {
			p.category = b.category(r.get(colInitialCategory))
		}
		if !ok || !ok2 || !ok3 || !ok4 {
			continue
		}
		switch {
		case !ended.IsZero() && ended.Before(started):
			b.fail(r.get(colPlanEnd), "is before the plan's start date")
			continue
		case !review.IsZero() && review.Before(started):
			b.fail(r.get(colLatestReview), "is before the plan's start date")
			continue
		case !review.IsZero() && !ended.IsZero() && review.After(ended):
			b.fail(r.get(colLatestReview), "is after the plan's end date")
			continue
		}
		plans = append(plans, p)
	}
	onPlan := func(d record.Date) bool {
		return slices.ContainsFunc(plans, func(p planRow) bool {
			return p.started.Before(d) && (p.ended.IsZero() || !p.ended.Before(d))
		})
	}

	// Section 47 enquiries: the strategy discussion that initiated each, and its initial
	// conference, under the latest referral received on or before the discussion.
	icpcReferral := map[record.Date]*episode{}
	for _, r := range ch.rows[5] {
		discussed, ok := b.date(r.get(colDiscussion), true)
		held, ok2 := b.date(r.get(colICPCDate), true)
		unnecessary := b.yesNo(r.get(colICPCUnnecessary))
		result := b.yesNo(r.get(colICPCPlan))
		if !ok || !ok2 {
			continue
		}
		if !held.IsZero() && !discussed.IsZero() && held.Before(discussed) {
			b.fail(r.get(colICPCDate), "is before the strategy discussion's date")
			continue
		}
		if held.IsZero() && (result == yes || result == no) {
			b.fail(r.get(colICPCPlan), "gives a conference's result, but the conference has no date")
			continue
		}
		anchor := discussed
		if anchor.IsZero() {
			anchor = held
		}
		var ep *episode
		switch {
		case !anchor.IsZero():
			if ep = latest(eps, anchor); ep == nil {
				ep = stub(anchor)
			}
		default:
			if ep = latest(eps, b.asOf); ep == nil {
				b.fail(r.get(colDiscussion), "is blank, and so is the conference date: the enquiry cannot be placed under a referral")
				continue
			}
		}
		s := &record.S47Enquiry{ID: b.id("S")}
		switch unnecessary {
		case yes:
			s.Outcome = "no_icpc"
		case no:
			// The template asks for No also where the child is already on a plan and no
			// initial conference will follow: only a conference held says one was needed then.
			if !held.IsZero() || discussed.IsZero() || !onPlan(discussed) {
				s.Outcome = "icpc"
			}
		}
		if !discussed.IsZero() {
			sd := &record.StrategyDiscussion{ID: b.id("SD"), Date: discussed}
			ep.r.StrategyDiscussions = append(ep.r.StrategyDiscussions, sd)
			s.StrategyDiscussionID = sd.ID
		}
		ep.r.S47Enquiries = append(ep.r.S47Enquiries, s)
		if !held.IsZero() {
			k := &record.Conference{ID: b.id("K"), Kind: "initial", S47ID: s.ID, Date: held}
			switch result {
			case yes:
				k.Outcome = "plan"
			case no:
				k.Outcome = "no_plan"
			}
			ep.r.Conferences = append(ep.r.Conferences, k)
			if _, seen := icpcReferral[held]; !seen {
				icpcReferral[held] = ep
			}
		}
	}

	// Child protection plans: under the referral of the initial conference held on the day
	// the plan started, else the latest referral received on or before the start.
	firstReviewUnknown := false
	for _, p := range plans {
		ep := icpcReferral[p.started]
		if ep == nil {
			ep = latest(eps, p.started)
		}
		if ep == nil {
			ep = stub(p.started)
		}
		plan := &record.Plan{ID: b.id("P"), Kind: "child_protection", Started: p.started, Ended: p.ended, Category: p.category}
		if !p.visit.IsZero() {
			// Seen alone at the last visit means seen; otherwise List 7 does not say.
			plan.Visits = []*record.Visit{{Date: p.visit, Seen: p.seenAlone == yes, SeenAlone: p.seenAlone == yes}}
		}
		ep.r.Plans = append(ep.r.Plans, plan)
		if !p.review.IsZero() {
			ep.r.Conferences = append(ep.r.Conferences, &record.Conference{ID: b.id("K"), Kind: "review", PlanID: plan.ID, Date: p.review})
			if p.review.After(record.AddMonths(p.started, 3)) {
				firstReviewUnknown = true
			}
		}
	}
	for _, ep := range cinPlans {
		ep.r.Plans = append(ep.r.Plans, &record.Plan{ID: b.id("P"), Kind: "child_in_need"})
	}

	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	// Oldest first; referrals of the same day keep their order (List 3's rows, then List 6's).
	slices.SortStableFunc(eps, func(x, y *episode) int { return y.r.Received.DaysUntil(x.r.Received) })
	stubs := false
	for _, ep := range eps {
		if ep.stub {
			stubs = true
			ep.r.ID = b.id("U")
		} else {
			ep.r.ID = b.id("R")
		}
		c.Referrals = append(c.Referrals, ep.r)
	}
	for _, g := range gaps {
		c.Provenance.Lacks = append(c.Provenance.Lacks, g.Path)
	}
	if stubs {
		c.Provenance.Lacks = append(c.Provenance.Lacks, lackReceived)
	}
	if firstReviewUnknown {
		c.Provenance.Lacks = append(c.Provenance.Lacks, lackPlanStarted)
	}
	return c, nil
}

// latest is the child's latest referral received on or before d that something can follow:
// not a stand-in, and not one List 3 marks as no further action. Referrals received on the
// same day share their deadlines, so the first of them is taken.
func latest(eps []*episode, d record.Date) *episode {
	var best *episode
	for _, e := range eps {
		if e.nfa || e.stub || e.r.Received.After(d) {
			continue
		}
		if best == nil || e.r.Received.After(best.r.Received) {
			best = e
		}
	}
	return best
}

// person fills the child's dates of birth, disability and the case's team from every row of
// the child.
func (b *builder) person(ch *child, c *record.Case) {
	var born, expected record.Date
	var bornAt string
	for n := 3; n <= 7; n++ {
		for _, r := range ch.rows[n] {
			dob, ok := b.date(r.get(colBirth), false)
			unborn := dob.After(b.asOf)
			if age, err := strconv.ParseFloat(r.get(colAge).v, 64); err == nil && age < 0 {
				unborn = true
			}
			switch {
			case !ok || dob.IsZero():
			case unborn:
				if expected.IsZero() {
					expected = dob
				}
			case born.IsZero():
				born, bornAt = dob, r.get(colBirth).ref()
			case born != dob:
				b.fail(r.get(colBirth), "differs from "+bornAt+": the lists disagree on the child's date of birth")
			}
			if b.yesNo(r.get(colDisability)) == yes {
				c.Child.Disabled = true
			}
			if team := r.get(colTeam).v; !blank(team) {
				c.Organisation.Team = team
			}
		}
	}
	if !born.IsZero() {
		c.Child.BirthDate = born
	} else {
		c.Child.ExpectedBirthDate = expected
	}
}

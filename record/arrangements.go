package record

import (
	"fmt"
	"slices"
)

// ArrangementsFormat is the format tag of an arrangements record.
const ArrangementsFormat = "wtcheck/arrangements/v1"

// Arrangements is one area's local safeguarding arrangements over time: its Local
// Safeguarding Children Board until it stood down, and its safeguarding partners' published
// arrangements since (incident-format.md). Lscb and Partners are nil when the record has no
// such part, which decides whether the LSCB's and the partners' rules apply.
type Arrangements struct {
	Format      string     `json:"format,omitempty"`
	AreaID      string     `json:"area_id"`
	ExtractDate Date       `json:"extract_date"`
	LSCB        *LSCB      `json:"lscb"`
	Partners    *Partners  `json:"partners"`
	Provenance  Provenance `json:"provenance"`
}

// LSCB is the area's Local Safeguarding Children Board (2010 to 2019).
type LSCB struct {
	Ended            Date   `json:"ended"`
	IndependentChair bool   `json:"independent_chair"`
	LayMembers       int    `json:"lay_members"`
	AnnualReports    []Date `json:"annual_reports"`
}

// Partners are the three safeguarding partners' arrangements (2018 onwards).
type Partners struct {
	Published           Date     `json:"published"`
	Members             []string `json:"members"`
	IndependentScrutiny bool     `json:"independent_scrutiny"`
	YearlyReports       []Date   `json:"yearly_reports"`
}

// PartnerMembers are the known values of partners.members: ccg until 30 June 2022, icb from
// 1 July 2022.
var PartnerMembers = []string{"local_authority", "police", "ccg", "icb"}

// DecodeArrangements reads one arrangements record from JSON and validates it. A JSON error
// names the field, never its value; the record is returned whenever it decoded, so that the
// caller can name its area_id beside a validation error.
func DecodeArrangements(raw []byte) (*Arrangements, error) {
	var a Arrangements
	if err := unmarshal(raw, &a); err != nil {
		return nil, describeJSONError(err)
	}
	return &a, ValidateArrangements(&a)
}

// ValidateArrangements checks what incident-format.md requires of an arrangements record
// beyond JSON types: the area id, real dates, known members, a count that is not negative.
// It returns every problem at once, each naming the field's path and never its value.
func ValidateArrangements(a *Arrangements) error {
	var p pathProblems
	if a.AreaID == "" {
		p.add("area_id", "is required")
	}
	p.utf8("area_id", a.AreaID)
	if a.Format != "" && a.Format != ArrangementsFormat {
		p.add("format", "is not "+ArrangementsFormat)
	}
	if a.LSCB != nil && a.LSCB.LayMembers < 0 {
		p.add("lscb.lay_members", "is negative")
	}
	if a.Partners != nil {
		seen := map[string]bool{}
		for i, m := range a.Partners.Members {
			path := fmt.Sprintf("partners.members[%d]", i)
			p.enum(path, m, PartnerMembers)
			if m == "" {
				p.add(path, "is empty")
			}
			if seen[m] && m != "" {
				p.add(path, "repeats another member")
			}
			seen[m] = true
		}
	}
	a.walkDates(func(path string, d *Date, _ bool) {
		if r := d.invalidReason(); r != "" {
			p.add(path, r)
		}
	})
	return p.err()
}

// walkDates calls visit for every date field with its path; event is false for the extract
// date.
func (a *Arrangements) walkDates(visit func(path string, d *Date, event bool)) {
	visit("extract_date", &a.ExtractDate, false)
	if l := a.LSCB; l != nil {
		visit("lscb.ended", &l.Ended, true)
		for i := range l.AnnualReports {
			visit(fmt.Sprintf("lscb.annual_reports[%d]", i), &l.AnnualReports[i], true)
		}
	}
	if pt := a.Partners; pt != nil {
		visit("partners.published", &pt.Published, true)
		for i := range pt.YearlyReports {
			visit(fmt.Sprintf("partners.yearly_reports[%d]", i), &pt.YearlyReports[i], true)
		}
	}
}

// ArrangementsWarnings lists what is doubtful in a valid arrangements record that is still
// checked: each date after the extract date (counted as not yet happened), and a partners'
// yearly report dated before the arrangements were published. Paths only, never values.
func ArrangementsWarnings(a *Arrangements) []Warning {
	var out []Warning
	if x := a.ExtractDate; !x.IsZero() {
		a.walkDates(func(path string, d *Date, event bool) {
			if event && !d.IsZero() && d.After(x) {
				out = append(out, Warning{Path: path, Warning: FutureDatedWarning})
			}
		})
	}
	if pt := a.Partners; pt != nil && !pt.Published.IsZero() {
		for i, r := range pt.YearlyReports {
			if !r.IsZero() && r.Before(pt.Published) {
				out = append(out, Warning{Path: fmt.Sprintf("partners.yearly_reports[%d]", i), Warning: "is before the arrangements were published"})
			}
		}
	}
	return out
}

// AnnualReportDays is the LSCB's annual reports in order, each day once (a list typed twice
// must not open an interval of no days).
func (l *LSCB) AnnualReportDays() []Date { return sortedDays(l.AnnualReports) }

// YearlyReportDays is the partners' yearly reports in order, each day once.
func (pt *Partners) YearlyReportDays() []Date { return sortedDays(pt.YearlyReports) }

func sortedDays(ds []Date) []Date {
	out := make([]Date, 0, len(ds))
	for _, d := range ds {
		if !d.IsZero() {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b Date) int { return b.DaysUntil(a) })
	return slices.Compact(out)
}

// AsOf returns the arrangements as they stood at the end of day d: reports published after d
// are left out, and a standing down or a publication after d has not happened yet. The
// receiver is not changed; when nothing happened after d it is returned as it is.
func (a *Arrangements) AsOf(d Date) *Arrangements {
	if d.IsZero() {
		return a
	}
	after := func(x Date) bool { return !x.IsZero() && x.After(d) }
	later := false
	a.walkDates(func(_ string, x *Date, event bool) { later = later || (event && after(*x)) })
	if !later {
		return a
	}
	keep := func(ds []Date) []Date {
		var out []Date
		for _, x := range ds {
			if !after(x) {
				out = append(out, x)
			}
		}
		return out
	}
	out := *a
	out.ExtractDate = d
	if a.LSCB != nil {
		l := *a.LSCB
		if after(l.Ended) {
			l.Ended = Date{}
		}
		l.AnnualReports = keep(l.AnnualReports)
		out.LSCB = &l
	}
	if a.Partners != nil {
		pt := *a.Partners
		if after(pt.Published) {
			pt.Published = Date{}
		}
		pt.YearlyReports = keep(pt.YearlyReports)
		out.Partners = &pt
	}
	return &out
}

// ViewAt is the arrangements as a check made as at day sees them: as they stood on day, or
// on the extract date when that is earlier.
func (a *Arrangements) ViewAt(day Date) *Arrangements {
	if !a.ExtractDate.IsZero() && (day.IsZero() || a.ExtractDate.Before(day)) {
		day = a.ExtractDate
	}
	return a.AsOf(day)
}

package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wtcheck/wtcheck/checker"
	"github.com/wtcheck/wtcheck/checker/explain"
	"github.com/wtcheck/wtcheck/record"
)

// The charts of the HTML audit are drawn here as inline SVG: no script, no external file, the
// same bytes for the same audit. Every label is escaped with html.EscapeString before it is
// written, so the strings can be handed to the template as template.HTML. Status is shown by
// fill pattern and by a text label as well as by colour (the Okabe-Ito palette, which readers
// with colour-blindness can tell apart), so a chart reads in black and white too.

// Colours (Okabe-Ito) and greys.
const (
	colourMet     = "#0072B2"
	colourBreach  = "#D55E00"
	colourWarning = "#CC79A7"
	colourInk     = "#1a1a1a"
	colourMuted   = "#5c5c5c"
	colourGrid    = "#c8c8c8"
	colourTrack   = "#f1f1f1"
)

// kindLabels name the kinds in legends.
var kindLabels = map[string]string{
	"met": "met", "breach": "breach", "warning": "warning (should)", "pending": "pending",
	"insufficient": "insufficient data", "na": "not applicable",
}

// chart accumulates one SVG; id prefixes every id inside it, so several charts can share a page.
type chart struct {
	b  strings.Builder
	id string
}

func esc(s string) string { return html.EscapeString(s) }

func (c *chart) printf(format string, args ...any) { fmt.Fprintf(&c.b, format, args...) }

// open starts the SVG with its accessible name and description and the status patterns.
func (c *chart) open(width, height float64, title, desc string) {
	c.printf(`<svg role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %s %s" width="%s" height="%s" class="chart" style="max-width:100%%;height:auto" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="12">`,
		c.id, c.id, num(width), num(height), num(width), num(height))
	c.printf(`<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, c.id, esc(title), c.id, esc(desc))
	c.printf(`<defs>`)
	c.printf(`<pattern id="%s-breach" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="%s"/><line x1="1" y1="0" x2="1" y2="6" stroke="#fff" stroke-width="1.6"/></pattern>`, c.id, colourBreach)
	c.printf(`<pattern id="%s-warning" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="%s"/><line x1="1" y1="0" x2="1" y2="6" stroke="#fff" stroke-width="1.6"/></pattern>`, c.id, colourWarning)
	c.printf(`<pattern id="%s-pending" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#fff4dc"/><circle cx="2.5" cy="2.5" r="1.2" fill="#8a5a00"/></pattern>`, c.id)
	c.printf(`<pattern id="%s-insufficient" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#e6e6e6"/><line x1="0" y1="3" x2="6" y2="3" stroke="#8c8c8c" stroke-width="1"/></pattern>`, c.id)
	c.printf(`</defs>`)
}

func (c *chart) close() template.HTML {
	c.printf(`</svg>`)
	return template.HTML(c.b.String()) // every label in it went through esc
}

// paint gives the fill and outline of a status kind.
func (c *chart) paint(kind string) string {
	switch kind {
	case "met":
		return fmt.Sprintf(`fill="%s" stroke="#004a75" stroke-width="0.8"`, colourMet)
	case "breach":
		return fmt.Sprintf(`fill="url(#%s-breach)" stroke="#8f3e00" stroke-width="0.8"`, c.id)
	case "warning":
		return fmt.Sprintf(`fill="url(#%s-warning)" stroke="#8c4a73" stroke-width="0.8"`, c.id)
	case "pending":
		return fmt.Sprintf(`fill="url(#%s-pending)" stroke="#8a5a00" stroke-width="1" stroke-dasharray="3 2"`, c.id)
	case "insufficient":
		return fmt.Sprintf(`fill="url(#%s-insufficient)" stroke="#6e6e6e" stroke-width="0.8"`, c.id)
	}
	return `fill="#fff" stroke="#8c8c8c" stroke-width="0.8" stroke-dasharray="1 2"`
}

// text writes a label; attrs are trusted attribute text, s is escaped.
func (c *chart) text(x, y float64, attrs, s string) {
	if attrs != "" {
		attrs = " " + attrs
	}
	c.printf(`<text x="%s" y="%s"%s>%s</text>`, num(x), num(y), attrs, esc(s))
}

// textWidth estimates the width of a label in the charts' sans-serif font.
func textWidth(s string, size float64) float64 {
	return float64(len([]rune(s))) * size * 0.56
}

// clip shortens a label to about width pixels, with an ellipsis.
func clip(s string, width, size float64) string {
	r := []rune(s)
	limit := int(width / (size * 0.56))
	if len(r) <= limit || limit < 2 {
		return s
	}
	return string(r[:limit-1]) + "…"
}

// legend draws swatches with labels in a row from x, y and returns the row's width.
func (c *chart) legend(x, y float64, kinds []string, extra ...legendMark) float64 {
	start := x
	for _, k := range kinds {
		c.printf(`<rect x="%s" y="%s" width="14" height="11" %s/>`, num(x), num(y-9.5), c.paint(k))
		c.text(x+19, y, `fill="`+colourInk+`"`, kindLabels[k])
		x += 19 + textWidth(kindLabels[k], 12) + 18
	}
	for _, m := range extra {
		c.b.WriteString(m.draw(x, y))
		c.text(x+m.width+5, y, `fill="`+colourInk+`"`, m.label)
		x += m.width + 5 + textWidth(m.label, 12) + 18
	}
	return x - start
}

// legendMark is a legend entry other than a status: draw gives trusted SVG for the mark at
// x (its left) and y (the label's baseline).
type legendMark struct {
	draw  func(x, y float64) string
	width float64
	label string
}

// barItem is one bar of a compliance chart.
type barItem struct {
	Group                string // a heading row is drawn when it changes (the edition); "" for none
	Label                string
	Met, Breach, Pending int
}

// complianceBars draws one horizontal bar per item: the met share solid, the breached share
// hatched, together 100% of what was decided, with the rate and counts written beside it.
func complianceBars(id, title, what string, items []barItem) template.HTML {
	const (
		size    = 12.0
		rowH    = 22.0
		barH    = 14.0
		trackW  = 380.0
		valueW  = 210.0
		groupH  = 24.0
		topAxis = 52.0
	)
	gutter := 120.0
	for _, it := range items {
		gutter = max(gutter, textWidth(it.Label, size)+16)
	}
	gutter = min(gutter, 320)
	height := topAxis + 8
	group := ""
	for _, it := range items {
		if it.Group != "" && it.Group != group {
			group = it.Group
			height += groupH
		}
		height += rowH
	}
	width := gutter + trackW + valueW

	var desc strings.Builder
	fmt.Fprintf(&desc, "Horizontal bars, one per %s: the share of decided findings (met or breach) that were met, solid for met and hatched for breach. ", what)
	for i, it := range items {
		if i > 0 {
			desc.WriteString("; ")
		}
		label := strings.TrimSpace(it.Group + " " + it.Label)
		fmt.Fprintf(&desc, "%s: %s", label, rateDescription(it.Met, it.Breach, it.Pending))
	}
	desc.WriteString(".")

	c := &chart{id: id}
	c.open(width, height, title, desc.String())
	c.legend(gutter, 16, []string{"met", "breach"})
	// The percentage axis, with a dotted grid line every 25%.
	for p := 0; p <= 100; p += 25 {
		x := gutter + trackW*float64(p)/100
		c.text(x, topAxis-8, `text-anchor="middle" fill="`+colourMuted+`" font-size="11"`, fmt.Sprintf("%d%%", p))
		c.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-dasharray="2 3"/>`, num(x), num(topAxis-3), num(x), num(height-6), colourGrid)
	}
	y := topAxis + 4
	group = ""
	for _, it := range items {
		if it.Group != "" && it.Group != group {
			group = it.Group
			c.text(4, y+16, `font-weight="bold" fill="`+colourInk+`"`, "Edition "+it.Group)
			y += groupH
		}
		label := strings.TrimSpace(it.Group + " " + it.Label)
		c.printf(`<g><title>%s</title>`, esc(label+": "+rateDescription(it.Met, it.Breach, it.Pending)))
		c.text(gutter-8, y+rowH/2+4, `text-anchor="end" fill="`+colourInk+`"`, clip(it.Label, gutter-16, size))
		by := y + (rowH-barH)/2
		c.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s" stroke-width="0.6"/>`, num(gutter), num(by), num(trackW), num(barH), colourTrack, colourGrid)
		value := "none decided"
		if decided := it.Met + it.Breach; decided > 0 {
			metW := trackW * float64(it.Met) / float64(decided)
			if it.Met > 0 {
				c.printf(`<rect x="%s" y="%s" width="%s" height="%s" %s/>`, num(gutter), num(by), num(metW), num(barH), c.paint("met"))
			}
			if it.Breach > 0 {
				c.printf(`<rect x="%s" y="%s" width="%s" height="%s" %s/>`, num(gutter+metW), num(by), num(trackW-metW), num(barH), c.paint("breach"))
			}
			value = rateText(it.Met, it.Breach)
		}
		if it.Pending > 0 {
			value += fmt.Sprintf(", %d pending", it.Pending)
		}
		attrs := `fill="` + colourInk + `"`
		if it.Met+it.Breach == 0 {
			attrs = `fill="` + colourMuted + `" font-style="italic"`
		}
		c.text(gutter+trackW+10, y+rowH/2+4, attrs, value)
		c.printf(`</g>`)
		y += rowH
	}
	return c.close()
}

func rateDescription(met, breach, pending int) string {
	s := "none decided"
	if met+breach > 0 {
		s = fmt.Sprintf("%s compliant (%d met, %d breach)", percentText(met, breach), met, breach)
	}
	if pending > 0 {
		s += fmt.Sprintf(", %d pending", pending)
	}
	return s
}

// niceScale picks the top of a count axis and its step: at most about five steps of 1, 2 or 5
// times a power of ten.
func niceScale(maximum int) (top, step int) {
	if maximum <= 0 {
		return 1, 1
	}
	raw := float64(maximum) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = int(mag)
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			step = int(m * mag)
			break
		}
	}
	step = max(step, 1)
	top = (maximum + step - 1) / step * step
	return top, step
}

var monthNames = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// monthParts splits "2024-03" into its year and month number.
func monthParts(m string) (year string, month int) {
	if len(m) < 7 {
		return m, 0
	}
	n, _ := strconv.Atoi(m[5:7])
	return m[:4], n
}

// trendBin is one column of the trend chart: a month, a quarter or a year.
type trendBin struct {
	label, year string // "2024-03", "2024 Q1" or "2024"; and its year
	sub         string // the label under the column: "Mar", "Q1", or "" for years
	first       bool   // the first column of its year
	Breach, Met int
}

// trendBins groups the months into columns a reader can tell apart: months for up to three
// years, quarters for up to eight, years beyond.
func trendBins(months []MonthCount) (unit string, bins []trendBin) {
	unit = "month"
	switch n := len(months); {
	case n > 96:
		unit = "year"
	case n > 36:
		unit = "quarter"
	}
	for _, m := range months {
		year, mo := monthParts(m.Month)
		var label, sub string
		switch unit {
		case "month":
			label = m.Month
			if mo >= 1 && mo <= 12 {
				sub = monthNames[mo-1]
			}
		case "quarter":
			sub = fmt.Sprintf("Q%d", (mo+2)/3)
			label = year + " " + sub
		default:
			label = year
		}
		if len(bins) == 0 || bins[len(bins)-1].label != label {
			bins = append(bins, trendBin{label: label, year: year, sub: sub, first: len(bins) == 0 || bins[len(bins)-1].year != year})
		}
		bins[len(bins)-1].Breach += m.Breach
		bins[len(bins)-1].Met += m.Met
	}
	return unit, bins
}

// trendColumns draws breaches and met deadlines by the month (or, over a long span, the
// quarter or year) they fell due, stacked: breaches from the axis up (hatched), met above
// them (solid).
func trendColumns(id string, months []MonthCount) template.HTML {
	const (
		width  = 900.0
		height = 320.0
		left   = 64.0
		right  = 16.0
		top    = 40.0
		bottom = 64.0
	)
	unit, bins := trendBins(months)
	plotW, plotH := width-left-right, height-top-bottom
	most := 0
	for _, b := range bins {
		most = max(most, b.Breach+b.Met)
	}
	yTop, yStep := niceScale(most)
	n := len(bins)
	band := plotW / float64(max(n, 1))
	colW := min(max(band*0.72, 1), 46)

	var desc strings.Builder
	fmt.Fprintf(&desc, "Stacked columns, one per %s from %s to %s, of the findings met or breached whose deadline fell due then: breaches hatched at the bottom, met solid above. ",
		unit, bins[0].label, bins[n-1].label)
	for i, b := range bins {
		if i > 0 {
			desc.WriteString("; ")
		}
		fmt.Fprintf(&desc, "%s: %d breach, %d met", b.label, b.Breach, b.Met)
	}
	desc.WriteString(".")
	if unit != "month" {
		desc.WriteString(" The table after the chart gives the counts by month.")
	}

	c := &chart{id: id}
	c.open(width, height, "Breaches and met deadlines by "+unit+" due", desc.String())
	c.legend(left, 18, []string{"breach", "met"})
	yOf := func(v int) float64 { return top + plotH - plotH*float64(v)/float64(yTop) }
	for v := 0; v <= yTop; v += yStep {
		y := yOf(v)
		stroke := colourGrid
		if v == 0 {
			stroke = colourInk
		}
		c.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(left), num(y), num(width-right), num(y), stroke)
		c.text(left-6, y+4, `text-anchor="end" fill="`+colourMuted+`" font-size="11"`, strconv.Itoa(v))
	}
	c.printf(`<text transform="translate(16 %s) rotate(-90)" text-anchor="middle" fill="%s">%s</text>`, num(top+plotH/2), colourInk, esc("Findings met or breached"))
	c.text(left+plotW/2, height-8, `text-anchor="middle" fill="`+colourInk+`"`, titleCase(unit)+" the deadline fell due")

	// Labels: the month or quarter under each column when there is room, and the year under
	// the first column of each year (every few years when they are many).
	subs := unit != "year" && band >= 22
	yearEvery := 1
	if unit == "year" {
		for band*float64(yearEvery) < 36 {
			yearEvery++
		}
	}
	for i, b := range bins {
		x := left + band*(float64(i)+0.5)
		if subs && b.sub != "" {
			c.text(x, top+plotH+16, `text-anchor="middle" fill="`+colourInk+`" font-size="11"`, b.sub)
		}
		if b.first {
			y, _ := strconv.Atoi(b.year)
			if unit != "year" || y%yearEvery == 0 || i == 0 {
				ly, anchor, lx := top+plotH+30, "middle", x
				if !subs {
					ly = top + plotH + 18
				}
				if unit != "year" && !subs {
					anchor, lx = "start", x-band/2+2
				}
				c.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(x-band/2), num(top+plotH), num(x-band/2), num(top+plotH+6), colourInk)
				c.text(lx, ly, `text-anchor="`+anchor+`" fill="`+colourInk+`" font-size="11" font-weight="bold"`, b.year)
			}
		}
		c.printf(`<g><title>%s</title>`, esc(fmt.Sprintf("%s: %d breach, %d met", b.label, b.Breach, b.Met)))
		x0 := x - colW/2
		if b.Breach > 0 {
			c.printf(`<rect x="%s" y="%s" width="%s" height="%s" %s/>`, num(x0), num(yOf(b.Breach)), num(colW), num(yOf(0)-yOf(b.Breach)), c.paint("breach"))
		}
		if b.Met > 0 {
			c.printf(`<rect x="%s" y="%s" width="%s" height="%s" %s/>`, num(x0), num(yOf(b.Breach+b.Met)), num(colW), num(yOf(b.Breach)-yOf(b.Breach+b.Met)), c.paint("met"))
		}
		if n <= 30 && b.Breach+b.Met > 0 {
			c.text(x, yOf(b.Breach+b.Met)-4, `text-anchor="middle" fill="`+colourInk+`" font-size="10"`, fmt.Sprintf("%d/%d", b.Breach, b.Breach+b.Met))
		}
		c.printf(`</g>`)
	}
	if n <= 30 {
		c.text(width-right, 18, `text-anchor="end" fill="`+colourMuted+`" font-size="11"`, "above each column: breaches / all decided")
	}
	return c.close()
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// dateTick is a labelled day on a date axis.
type dateTick struct {
	day   record.Date
	label string
	major bool // the label names the year
}

// dateTicks picks about ten ticks between lo and hi: weeks (Mondays), months or years.
func dateTicks(lo, hi record.Date) []dateTick {
	span := lo.DaysUntil(hi)
	var out []dateTick
	switch {
	case span <= 60:
		d := lo
		for d.Weekday() != time.Monday {
			d = d.AddDays(1)
		}
		step := 7
		if span > 42 {
			step = 14
		}
		for first := true; !d.After(hi); d = d.AddDays(step) {
			t := d.Time()
			label := fmt.Sprintf("%d %s", t.Day(), monthNames[t.Month()-1])
			if first || (t.Month() == time.January && t.Day() <= step) {
				label += fmt.Sprintf(" %d", t.Year())
			}
			out = append(out, dateTick{day: d, label: label, major: first})
			first = false
		}
	case span <= 3*366:
		months := span / 30
		step := 1
		for months/step > 12 {
			step++
		}
		t := lo.Time()
		m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		if m.Before(t) {
			m = m.AddDate(0, 1, 0)
		}
		for m = alignMonth(m, step); !record.DateOf(m).After(hi); m = m.AddDate(0, step, 0) {
			d := record.DateOf(m)
			first := len(out) == 0
			label := monthNames[m.Month()-1]
			if first || m.Month() <= time.Month(step) {
				label += fmt.Sprintf(" %d", m.Year())
			}
			out = append(out, dateTick{day: d, label: label, major: first || m.Month() == time.January})
		}
	default:
		years := span / 365
		step := 1
		for years/step > 10 {
			step++
		}
		t := lo.Time()
		y := t.Year() + 1
		for y%step != 0 {
			y++
		}
		for ; ; y += step {
			d := record.DateOf(time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC))
			if d.After(hi) {
				break
			}
			out = append(out, dateTick{day: d, label: strconv.Itoa(y), major: true})
		}
	}
	return out
}

// alignMonth moves m forward to a month that is a multiple of step from January.
func alignMonth(m time.Time, step int) time.Time {
	for (int(m.Month())-1)%step != 0 {
		m = m.AddDate(0, 1, 0)
	}
	return m
}

// Sizes of the timeline chart, in SVG units.
const (
	size       = 12.0
	plotW      = 560.0
	axisY      = 30.0
	laneH      = 22.0
	barH       = 12.0
	dotStep    = 9.0
	legendH    = 34.0
	minSpan    = 14
	farRatio   = 0.5
	farMinDays = 120
)

// timelineLayout is where a timeline chart puts things: the date axis, the columns, the rows
// and the status written at the end of each lane. layoutTimeline computes it; timelineChart
// draws it.
type timelineLayout struct {
	lo, hi, axisLo, axisHi record.Date // the dates shown, and the axis's ends
	span                   float64     // days on the axis
	statusW, width         float64     // the status column's width, and the chart's
	x0, x1                 float64     // the plot's left and right
	statuses               []string    // the status written at the end of each lane
	eventsY, lanesTop      float64     // the events' baseline, and where the lanes begin
	height                 float64
}

// xOf is the x of a day on the axis; clampX keeps it within the plot.
func (l *timelineLayout) xOf(d record.Date) float64 {
	return l.x0 + (l.x1-l.x0)*float64(l.axisLo.DaysUntil(d))/l.span
}

func (l *timelineLayout) clampX(d record.Date) float64 { return min(max(l.xOf(d), l.x0), l.x1) }

// layoutTimeline lays out a case's timeline chart.
func layoutTimeline(t *explain.Timeline, late func(explain.Deadline) string) *timelineLayout {
	lo := t.First
	// The axis runs from the first to the last date on the timeline and takes in the as-at
	// date, so that an overdue deadline shows how long it has been open. A date far beyond
	// everything that happened (an 18th birthday, or an as-at date years after an episode
	// closed) would squeeze the rest into a sliver, so bars that reach it run to the edge
	// with an arrow, and the date is written beside them.
	hi := lo
	extend := func(d record.Date) {
		if !d.IsZero() && d.After(hi) {
			hi = d
		}
	}
	for _, e := range t.Events {
		extend(e.Date)
	}
	for _, d := range t.Deadlines {
		extend(d.Start)
		extend(d.Done)
	}
	near := hi.AddDays(max(int(float64(lo.DaysUntil(hi))*farRatio), farMinDays))
	if !t.AsOf.IsZero() && t.AsOf.After(lo) && !t.AsOf.After(near) {
		extend(t.AsOf)
	}
	for _, d := range t.Deadlines {
		if !d.Due.After(near) {
			extend(d.Due)
		}
	}
	if lo.DaysUntil(hi) < minSpan {
		pad := (minSpan - lo.DaysUntil(hi) + 1) / 2
		lo, hi = lo.AddDays(-pad), hi.AddDays(pad)
	}
	pad := max(lo.DaysUntil(hi)/50, 1)
	axisLo, axisHi := lo.AddDays(-pad), hi.AddDays(pad)
	span := float64(axisLo.DaysUntil(axisHi))

	gutter := textWidth("Events", size) + 16
	for _, d := range t.Deadlines {
		gutter = max(gutter, textWidth(deadlineName(d), size)+16)
	}
	gutter = min(gutter, 300)

	// The status written at the end of each lane, which sets the width of that column.
	statuses := make([]string, len(t.Deadlines))
	statusW := 120.0
	for i, d := range t.Deadlines {
		kind := statusKind(d.Status, checker.Severity(d.Severity))
		status := kindLabels[kind]
		if kind == "warning" {
			status = StatusLabel(&checker.Finding{Status: d.Status, Severity: checker.Severity(d.Severity)})
		}
		if lt := late(d); lt != "" && lt != "-" {
			status += ", " + lt
		}
		if d.Due.After(axisHi) {
			status += ", due " + d.Due.String()
		}
		if d.Done.IsZero() && d.Status == checker.StatusBreach && t.AsOf.After(axisHi) && !d.Due.After(axisHi) {
			status += " at " + t.AsOf.String()
		}
		statuses[i] = status
		statusW = max(statusW, textWidth(status, size)+30)
	}
	statusW = min(statusW, 340)
	width := gutter + plotW + statusW
	x0, x1 := gutter, gutter+plotW

	// Events on the same day stack upwards from the lane's line.
	stack := map[record.Date]int{}
	deepest := 1
	for _, e := range t.Events {
		stack[e.Date]++
		deepest = max(deepest, stack[e.Date])
	}
	eventsH := 16 + float64(deepest-1)*dotStep
	eventsY := axisY + 10 + eventsH // the events' baseline
	lanesTop := eventsY + 10
	height := lanesTop + laneH*float64(len(t.Deadlines)) + 14 + legendH

	return &timelineLayout{lo: lo, hi: hi, axisLo: axisLo, axisHi: axisHi, span: span,
		statusW: statusW, width: width, x0: x0, x1: x1, statuses: statuses,
		eventsY: eventsY, lanesTop: lanesTop, height: height}
}

// timelineChart draws one case: its events as dots on the top lane, then each deadline as a
// bar from its start to its due date, patterned by status, with a diamond on the day it was
// done, the days late or overdue as a thin hatched bar after the due date, and the as-at date
// as a dashed line. late gives the lateness text of a deadline (Lateness of its finding).
func timelineChart(id string, t *explain.Timeline, late func(explain.Deadline) string) template.HTML {
	l := layoutTimeline(t, late)
	lo, hi, axisLo, axisHi := l.lo, l.hi, l.axisLo, l.axisHi
	width, x0, x1, statuses, statusW := l.width, l.x0, l.x1, l.statuses, l.statusW
	eventsY, lanesTop, height := l.eventsY, l.lanesTop, l.height
	xOf, clampX := l.xOf, l.clampX
	var desc strings.Builder
	fmt.Fprintf(&desc, "Timeline of case %s as at %s, on a date axis from %s to %s", t.CaseID, t.AsOf, lo, hi)
	if t.AsOf.After(hi) {
		desc.WriteString(" (the as-at date is later)")
	}
	desc.WriteString(". ")
	fmt.Fprintf(&desc, "%d events", len(t.Events))
	if len(t.Events) > 0 {
		fmt.Fprintf(&desc, " from %s to %s", t.Events[0].Date, t.Events[len(t.Events)-1].Date)
	}
	fmt.Fprintf(&desc, ". %d deadlines: ", len(t.Deadlines))
	for i, d := range t.Deadlines {
		if i > 0 {
			desc.WriteString("; ")
		}
		desc.WriteString(deadlineDescription(d, late(d)))
	}
	desc.WriteString(". The tables after the chart list the same events and deadlines.")

	c := &chart{id: id}
	c.open(width, height, "Timeline of case "+t.CaseID, desc.String())

	// Alternate lane shading, then the date grid over it.
	for i := range t.Deadlines {
		if i%2 == 0 {
			c.printf(`<rect x="0" y="%s" width="%s" height="%s" fill="#f6f6f6"/>`, num(lanesTop+laneH*float64(i)), num(width), num(laneH))
		}
	}
	bottom := lanesTop + laneH*float64(len(t.Deadlines))
	for _, tk := range dateTicks(axisLo, axisHi) {
		x := xOf(tk.day)
		if x < x0 || x > x1 {
			continue
		}
		weight := ""
		if tk.major {
			weight = ` font-weight="bold"`
		}
		c.text(x, axisY-8, `text-anchor="middle" fill="`+colourInk+`" font-size="11"`+weight, tk.label)
		c.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-dasharray="2 3"/>`, num(x), num(axisY-3), num(x), num(bottom), colourGrid)
	}
	c.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(x0), num(axisY), num(x1), num(axisY), colourInk)

	// The as-at date.
	if !t.AsOf.IsZero() && !t.AsOf.Before(axisLo) && !t.AsOf.After(axisHi) {
		x := xOf(t.AsOf)
		c.printf(`<g><title>%s</title><line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="6 3"/>`,
			esc("as at "+t.AsOf.String()), num(x), num(axisY), num(x), num(bottom+4), colourInk)
		c.text(x, bottom+14, `text-anchor="middle" fill="`+colourInk+`" font-size="11" font-weight="bold"`, "as at "+t.AsOf.String())
		c.printf(`</g>`)
	}

	// Events.
	c.text(x0-8, eventsY+4, `text-anchor="end" fill="`+colourInk+`" font-weight="bold"`, "Events")
	c.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(x0), num(eventsY), num(x1), num(eventsY), colourGrid)
	seen := map[record.Date]int{}
	for _, e := range t.Events {
		y := eventsY - dotStep*float64(seen[e.Date])
		seen[e.Date]++
		c.printf(`<circle cx="%s" cy="%s" r="4" fill="%s" stroke="#fff" stroke-width="1"><title>%s</title></circle>`,
			num(xOf(e.Date)), num(y), colourInk, esc(e.Date.String()+" "+e.Subject+": "+e.What))
	}

	// Deadlines.
	for i, d := range t.Deadlines {
		y := lanesTop + laneH*float64(i)
		mid := y + laneH/2
		by := mid - barH/2
		kind := statusKind(d.Status, checker.Severity(d.Severity))
		lateText := late(d)
		c.printf(`<g><title>%s</title>`, esc(deadlineDescription(d, lateText)))
		c.text(x0-8, mid+4, `text-anchor="end" fill="`+colourInk+`"`, clip(deadlineName(d), x0-16, size))
		beyond := d.Due.After(axisHi)
		dueX := clampX(d.Due)
		if !d.Start.IsZero() {
			sx := clampX(d.Start)
			c.printf(`<rect x="%s" y="%s" width="%s" height="%s" %s/>`, num(sx), num(by), num(max(dueX-sx, 1.5)), num(barH), c.paint(kind))
		}
		if beyond {
			c.printf(`<path d="M%s %s l7 %s l-7 %s z" fill="%s"/>`, num(x1+1), num(by-1), num(barH/2+1), num(barH/2+1), colourInk)
		} else {
			c.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"/>`, num(dueX), num(by-3), num(dueX), num(by+barH+3), colourInk)
		}
		switch {
		case !d.Done.IsZero() && d.Done.After(d.Due):
			// Done late: the late days hatched after the due date.
			c.printf(`<rect x="%s" y="%s" width="%s" height="4" %s/>`, num(dueX), num(mid-2), num(max(clampX(d.Done)-dueX, 1)), c.paint("breach"))
		case d.Done.IsZero() && d.Status == checker.StatusBreach && !t.AsOf.IsZero() && t.AsOf.After(d.Due):
			// Not done and overdue: a dashed line to the as-at date, or to the edge with an
			// arrow when the as-at date is beyond the axis.
			c.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2.5" stroke-dasharray="4 2"/>`, num(dueX), num(mid), num(clampX(t.AsOf)), num(mid), colourBreach)
			if t.AsOf.After(axisHi) {
				c.printf(`<path d="M%s %s l7 5 l-7 5 z" fill="%s"/>`, num(x1+1), num(mid-5), colourBreach)
			}
		}
		if !d.Done.IsZero() {
			dx := clampX(d.Done)
			c.printf(`<path d="M%s %s l5 5 l-5 5 l-5 -5 z" fill="#fff" stroke="%s" stroke-width="1.6"/>`, num(dx), num(mid-5), colourInk)
		}
		status := statuses[i]
		weight := ""
		if kind == "breach" || kind == "warning" {
			weight = ` font-weight="bold"`
		}
		c.text(x1+14, mid+4, `fill="`+colourInk+`"`+weight, clip(status, statusW-18, size))
		c.printf(`</g>`)
	}

	// Legend: the statuses drawn, then the marks.
	var kinds []string
	present := map[string]bool{}
	for _, d := range t.Deadlines {
		present[statusKind(d.Status, checker.Severity(d.Severity))] = true
	}
	for _, k := range []string{"met", "breach", "warning", "pending", "insufficient", "na"} {
		if present[k] {
			kinds = append(kinds, k)
		}
	}
	ink := colourInk
	c.legend(8, height-12, kinds,
		legendMark{width: 8, label: "event", draw: func(x, y float64) string {
			return fmt.Sprintf(`<circle cx="%s" cy="%s" r="4" fill="%s"/>`, num(x+4), num(y-4), ink)
		}},
		legendMark{width: 4, label: "due", draw: func(x, y float64) string {
			return fmt.Sprintf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"/>`, num(x+2), num(y-11), num(x+2), num(y+2), ink)
		}},
		legendMark{width: 10, label: "done", draw: func(x, y float64) string {
			return fmt.Sprintf(`<path d="M%s %s l5 5 l-5 5 l-5 -5 z" fill="#fff" stroke="%s" stroke-width="1.6"/>`, num(x+5), num(y-9), ink)
		}},
		legendMark{width: 18, label: "days late", draw: func(x, y float64) string {
			return fmt.Sprintf(`<rect x="%s" y="%s" width="18" height="4" %s/>`, num(x), num(y-6), c.paint("breach"))
		}},
		legendMark{width: 18, label: "overdue", draw: func(x, y float64) string {
			return fmt.Sprintf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2.5" stroke-dasharray="4 2"/>`, num(x), num(y-4), num(x+18), num(y-4), colourBreach)
		}},
	)
	return c.close()
}

// deadlineName labels a deadline's lane: edition, rule and subject.
func deadlineName(d explain.Deadline) string {
	return d.Edition + " " + d.Rule + " " + d.Subject
}

func deadlineDescription(d explain.Deadline, late string) string {
	s := deadlineName(d) + ": " + StatusLabel(&checker.Finding{Status: d.Status, Severity: checker.Severity(d.Severity)})
	if !d.Start.IsZero() {
		s += ", from " + d.Start.String()
	}
	s += ", due " + d.Due.String()
	if !d.Done.IsZero() {
		s += ", done " + d.Done.String()
	} else {
		s += ", not done"
	}
	if late != "" && late != "-" {
		s += " (" + late + ")"
	}
	return s
}

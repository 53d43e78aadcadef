package report

// Format is one output format: a row of the table of formats, which the command line (its
// --format, --show and where the summary goes), the help and the documentation read.
type Format struct {
	Name        string
	Description string // what the format is for, for wtcheck help formats
	// Write writes a check's listed findings (a list format); nil for an audit format.
	Write Writer
	// WriteWithNotes, when set, is Write for a command that prints what the writer has to
	// say besides the report (what SARIF left out).
	WriteWithNotes func(notify func(string)) Writer
	// Audit writes an audit of every finding, with charts and timelines (wtcheck report);
	// nil for a list format.
	Audit AuditWriter
	// Comparison writes an edition comparison (wtcheck compare) in the format; nil when
	// compare does not write it.
	Comparison ComparisonWriter
	// Show is the --show a check uses with this format when none is given: "" for the
	// actionable statuses, "all" for a test report that needs what passed as well, "breach"
	// for code scanning, which shows every result as an alert.
	Show string
	// Messages is set for a format that shows a finding's message or note. A check whose
	// every report is of a format without them keeps its listed findings without them
	// (batch.Options.WithoutMessages).
	Messages bool
	// SummaryInReport is set for a format that writes the summary into the report itself
	// (text to a terminal); for every other format the command says it on standard error.
	SummaryInReport bool
}

// formats is the table of output formats.
var formats = []Format{
	{Name: "text", Description: "a table of the listed findings and a summary line (the default)",
		Write: Text, Comparison: ComparisonText, SummaryInReport: true},
	{Name: "json", Description: "the full report: every listed finding with its dates, citation and counts",
		Write: JSON, Comparison: ComparisonJSON, Messages: true},
	{Name: "ndjson", Description: "one finding a line, for streaming into other tools",
		Write: NDJSON, Messages: true},
	{Name: "csv", Description: "one finding a row, UTF-8 with a byte-order mark, formula-like cells defused: opens in Excel",
		Write: CSV, Comparison: ComparisonCSV, Messages: true},
	{Name: "markdown", Description: "a summary for a merge-request comment or a CI job summary",
		Write: Markdown, Comparison: ComparisonMarkdown},
	{Name: "junit", Description: "one test per case and rule, for GitLab and Jenkins test reports",
		Write: JUnit, Show: "all", Messages: true},
	{Name: "sarif", Description: "SARIF 2.1.0, one run per edition, for code-scanning dashboards",
		Write: SARIF, WriteWithNotes: SARIFWithNotes, Show: "breach", Messages: true},
	{Name: "github", Description: "GitHub Actions annotations",
		Write: GitHub, Messages: true},
	{Name: "gitlab", Description: "a GitLab code quality report, one stable fingerprint per case, edition, rule and subject",
		Write: GitLab, Messages: true},
	{Name: "html", Description: "the audit report: one self-contained page with charts, the overdue and due-soon lists and case timelines",
		Audit: HTML, Messages: true},
	{Name: "xlsx", Description: "the audit workbook: summary, findings, one sheet per edition, due soon",
		Audit: XLSX, Messages: true},
}

// ShowsMessages reports whether a report in the named format shows findings' messages or
// notes; a name that is not a format's is taken to show them.
func ShowsMessages(name string) bool {
	f := LookupFormat(name)
	return f == nil || f.Messages
}

// AllFormats is the table of output formats, list formats first.
func AllFormats() []Format { return append([]Format(nil), formats...) }

// LookupFormat finds a format by name, or nil.
func LookupFormat(name string) *Format {
	for i := range formats {
		if formats[i].Name == name {
			return &formats[i]
		}
	}
	return nil
}

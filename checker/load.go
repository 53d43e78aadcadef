package checker

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wtcheck/wtcheck/record"
	"go.yaml.in/yaml/v3"
)

// PackError is one problem in a pack file, with where it is.
type PackError struct {
	Pos     Position
	Message string
	line    string // the source line, for the caret display
}

func (e *PackError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Pos, e.Message)
	if e.line != "" && e.Pos.Column > 0 {
		prefix := fmt.Sprintf("%6d | ", e.Pos.Line)
		fmt.Fprintf(&b, "\n%s%s\n%s%s^", prefix, strings.ReplaceAll(e.line, "\t", " "),
			strings.Repeat(" ", len(prefix)-2)+"| ", strings.Repeat(" ", max(0, e.Pos.Column-1)))
	}
	return b.String()
}

// packSource is a pack file being read: its name and lines, for positions and carets.
type packSource struct {
	name  string
	lines []string
	errs  []error
}

func (s *packSource) errorAt(line, col int, format string, args ...any) {
	pe := &PackError{Pos: Position{File: s.name, Line: line, Column: col}, Message: fmt.Sprintf(format, args...)}
	if line >= 1 && line <= len(s.lines) {
		pe.line = s.lines[line-1]
	}
	s.errs = append(s.errs, pe)
}

func (s *packSource) errorAtNode(n *yaml.Node, format string, args ...any) {
	s.errorAt(n.Line, n.Column, format, args...)
}

// ParsePack reads a rule pack from YAML. It reports every problem it finds, not just the
// first, each with file:line:col; CEL expressions are checked later, by Compile.
func ParsePack(name string, data []byte) (*Pack, error) {
	sum := sha256.Sum256(data)
	data = trimBOM(data)
	src := &packSource{name: name, lines: strings.Split(string(data), "\n")}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read pack %s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("read pack %s: the file is empty", name)
	}
	p := &Pack{File: name, SHA256: hex.EncodeToString(sum[:])}
	root := doc.Content[0]
	src.mapping(root, "a pack", map[string]func(*yaml.Node){
		"id":      func(v *yaml.Node) { p.ID = src.str(v) },
		"extends": func(v *yaml.Node) { p.Extends = src.str(v) },
		"disable": func(v *yaml.Node) { p.Disable = src.strList(v) },
		"local_arrangements": func(v *yaml.Node) {
			p.LocalArrangements = strings.TrimSpace(src.str(v))
		},
		"note":     func(v *yaml.Node) { p.Note = strings.TrimSpace(src.str(v)) },
		"edition":  func(v *yaml.Node) { p.Edition = src.str(v) },
		"title":    func(v *yaml.Node) { p.Title = src.str(v) },
		"version":  func(v *yaml.Node) { p.Version = src.str(v) },
		"document": func(v *yaml.Node) { p.Document = src.str(v) },
		"source":   func(v *yaml.Node) { p.Source = src.str(v) },
		"in_force": func(v *yaml.Node) {
			src.mapping(v, "in_force", map[string]func(*yaml.Node){
				"from": func(v *yaml.Node) { p.InForce.From = src.date(v) },
				"to":   func(v *yaml.Node) { p.InForce.To = src.date(v) },
			})
		},
		"params": func(v *yaml.Node) { p.Params = src.params(v) },
		"rules": func(v *yaml.Node) {
			if v.Kind != yaml.SequenceNode {
				src.errorAtNode(v, "rules must be a list")
				return
			}
			for _, rn := range v.Content {
				if r := src.rule(rn); r != nil {
					r.lines = src.lines
					p.Rules = append(p.Rules, r)
				}
			}
		},
	})
	src.checkPack(p, root)
	if len(src.errs) > 0 {
		slices.SortStableFunc(src.errs, func(a, b error) int {
			pa, pb := a.(*PackError).Pos, b.(*PackError).Pos
			return cmp.Or(cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Column, pb.Column))
		})
		return p, errors.Join(src.errs...)
	}
	return p, nil
}

// mapping calls the handler of each key of a YAML mapping and reports keys it does not know,
// so that a misspelt key is an error rather than a silently ignored line.
func (s *packSource) mapping(n *yaml.Node, what string, handlers map[string]func(*yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		s.errorAtNode(n, "%s must be a mapping of keys to values", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			s.errorAtNode(k, "key %q appears twice in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		h, ok := handlers[k.Value]
		if !ok {
			known := make([]string, 0, len(handlers))
			for name := range handlers {
				known = append(known, name)
			}
			slices.Sort(known)
			s.errorAtNode(k, "unknown key %q in %s (known keys: %s)", k.Value, what, strings.Join(known, ", "))
			continue
		}
		h(v)
	}
}

func (s *packSource) str(v *yaml.Node) string {
	if v.Kind != yaml.ScalarNode {
		s.errorAtNode(v, "want a single value here")
		return ""
	}
	return v.Value
}

func (s *packSource) strList(v *yaml.Node) []string {
	if v.Kind != yaml.SequenceNode {
		s.errorAtNode(v, "want a list here")
		return nil
	}
	var out []string
	for _, item := range v.Content {
		out = append(out, s.str(item))
	}
	return out
}

func (s *packSource) date(v *yaml.Node) record.Date {
	d, err := record.ParseDate(s.str(v))
	if err != nil {
		s.errorAtNode(v, "%v", err)
	}
	return d
}

func (s *packSource) expr(v *yaml.Node) Expr {
	e := Expr{Source: s.str(v), Pos: Position{File: s.name, Line: v.Line, Column: v.Column}}
	switch v.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// The text of a block scalar starts on the next non-blank line, at its indentation.
		for i := v.Line; i < len(s.lines); i++ {
			if t := strings.TrimLeft(s.lines[i], " "); t != "" {
				e.blockIndent = len(s.lines[i]) - len(t) + 1
				break
			}
		}
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		e.quoted = true
	}
	return e
}

// at maps a position inside the expression (CEL's 1-based line, 0-based column) to the file.
func (e Expr) at(line, col int) Position {
	if e.blockIndent > 0 {
		return Position{File: e.Pos.File, Line: e.Pos.Line + line, Column: e.blockIndent + col}
	}
	c := e.Pos.Column + col
	if e.quoted {
		c++
	}
	return Position{File: e.Pos.File, Line: e.Pos.Line + line - 1, Column: c}
}

func (s *packSource) params(v *yaml.Node) []*Param {
	if v.Kind != yaml.MappingNode {
		s.errorAtNode(v, "params must be a mapping of parameter names to definitions")
		return nil
	}
	var out []*Param
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, body := v.Content[i], v.Content[i+1]
		p := &Param{Name: k.Value, Pos: Position{File: s.name, Line: k.Line, Column: k.Column}}
		if !paramNamePattern.MatchString(p.Name) {
			s.errorAtNode(k, "parameter name %q must be lower_snake_case", p.Name)
		}
		var def, minNode, maxNode *yaml.Node
		s.mapping(body, "parameter "+p.Name, map[string]func(*yaml.Node){
			"type":    func(v *yaml.Node) { p.Type = ParamType(s.str(v)) },
			"default": func(v *yaml.Node) { def = v },
			"doc":     func(v *yaml.Node) { p.Doc = s.str(v) },
			"min":     func(v *yaml.Node) { minNode = v },
			"max":     func(v *yaml.Node) { maxNode = v },
		})
		for _, b := range []struct {
			node *yaml.Node
			dst  **int64
			key  string
		}{{minNode, &p.Min, "min"}, {maxNode, &p.Max, "max"}} {
			if b.node == nil {
				continue
			}
			if p.Type != ParamInt {
				s.errorAtNode(b.node, "parameter %s: %s goes with an int parameter, not %s", p.Name, b.key, p.Type)
				continue
			}
			n, err := strconv.ParseInt(s.str(b.node), 10, 64)
			if err != nil {
				s.errorAtNode(b.node, "parameter %s: %s must be a whole number", p.Name, b.key)
				continue
			}
			*b.dst = &n
		}
		if p.Min != nil && p.Max != nil && *p.Min > *p.Max {
			s.errorAtNode(maxNode, "parameter %s: max %d is below min %d", p.Name, *p.Max, *p.Min)
			p.Min, p.Max = nil, nil // reported; the default is not also checked against it
		}
		if def == nil {
			s.errorAtNode(k, "parameter %s has no default", p.Name)
		} else {
			p.DefaultPos = Position{File: s.name, Line: def.Line, Column: def.Column}
			val, err := ParseParamValue(p.Type, s.str(def))
			if err != nil {
				s.errorAtNode(def, "parameter %s: %v", p.Name, err)
			} else if err := p.CheckValue(val); err != nil {
				s.errorAtNode(def, "parameter %s: the default %v", p.Name, err)
			}
			p.Default = val
		}
		if p.Doc == "" {
			s.errorAtNode(k, "parameter %s has no doc: say what it means and who sets it", p.Name)
		}
		out = append(out, p)
	}
	return out
}

// ParseParamValue reads a parameter value of type t from text, as a pack default or a
// --set flag gives it.
func ParseParamValue(t ParamType, text string) (any, error) {
	switch t {
	case ParamInt:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("want a whole number, got %q", text)
		}
		return n, nil
	case ParamBool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return nil, fmt.Errorf("want true or false, got %q", text)
		}
		return b, nil
	case ParamString:
		return text, nil
	case ParamDate:
		return record.ParseDate(text)
	}
	return nil, fmt.Errorf("unknown parameter type %q (want int, string, bool or date)", t)
}

func (s *packSource) rule(n *yaml.Node) *Rule {
	r := &Rule{Pos: Position{File: s.name, Line: n.Line, Column: n.Column}}
	s.mapping(n, "a rule", map[string]func(*yaml.Node){
		"id":          func(v *yaml.Node) { r.ID = s.str(v) },
		"title":       func(v *yaml.Node) { r.Title = s.str(v) },
		"description": func(v *yaml.Node) { r.Description = strings.TrimSpace(s.str(v)) },
		"severity":    func(v *yaml.Node) { r.Severity = Severity(s.str(v)) },
		"scope": func(v *yaml.Node) {
			if v.Kind == yaml.SequenceNode {
				for _, sc := range s.strList(v) {
					r.Scopes = append(r.Scopes, Scope(sc))
				}
				return
			}
			r.Scopes = []Scope{Scope(s.str(v))}
		},
		"needs":      func(v *yaml.Node) { r.Needs = s.strList(v) },
		"compare_as": func(v *yaml.Node) { r.CompareAs = s.str(v) },
		"citation": func(v *yaml.Node) {
			s.mapping(v, "a citation", map[string]func(*yaml.Node){
				"document":  func(v *yaml.Node) { r.Citation.Document = s.str(v) },
				"chapter":   func(v *yaml.Node) { r.Citation.Chapter = s.str(v) },
				"section":   func(v *yaml.Node) { r.Citation.Section = s.str(v) },
				"paragraph": func(v *yaml.Node) { r.Citation.Paragraph = s.str(v) },
				"also":      func(v *yaml.Node) { r.Citation.Also = s.strList(v) },
			})
		},
		"when":          func(v *yaml.Node) { r.When = s.expr(v) },
		"each":          func(v *yaml.Node) { r.Each = s.expr(v) },
		"subject":       func(v *yaml.Node) { r.Subject = s.expr(v) },
		"item_when":     func(v *yaml.Node) { r.ItemWhen = s.expr(v) },
		"assert":        func(v *yaml.Node) { r.Assert = s.expr(v) },
		"pending_while": func(v *yaml.Node) { r.PendingWhile = s.expr(v) },
		"message":       func(v *yaml.Node) { r.Message = s.expr(v) },
		"deadline": func(v *yaml.Node) {
			d := &Deadline{}
			s.mapping(v, "a deadline", map[string]func(*yaml.Node){
				"start": func(v *yaml.Node) { d.Start = s.expr(v) },
				"within": func(v *yaml.Node) {
					t, err := parseTimescale(s.str(v))
					if err != nil {
						s.errorAtNode(v, "%v", err)
						// Keep a placeholder so the timescale does not also count as
						// missing; the pack is rejected either way.
						t = &Timescale{}
					}
					t.Pos = Position{File: s.name, Line: v.Line, Column: v.Column}
					d.Within = t
				},
				"due": func(v *yaml.Node) { d.Due = s.expr(v) },
				// A fixed due date (a date set by law, the end of a transition): the
				// due expression is that day, whatever the start.
				"due_on": func(v *yaml.Node) {
					day, err := record.ParseDate(s.str(v))
					if err != nil {
						s.errorAtNode(v, "due_on: %v", err)
					}
					d.DueOn = day
					d.Due = Expr{Source: fmt.Sprintf("date('%s')", day), Pos: Position{File: s.name, Line: v.Line, Column: v.Column}}
				},
				"done":  func(v *yaml.Node) { d.Done = s.expr(v) },
				"lapse": func(v *yaml.Node) { d.Lapse = s.expr(v) },
			})
			for name, e := range map[string]Expr{"start": d.Start, "done": d.Done} {
				if e.IsZero() {
					s.errorAtNode(v, "the deadline has no %s", name)
				}
			}
			if d.Due.IsZero() == (d.Within == nil) {
				s.errorAtNode(v, "the deadline needs exactly one of within (a timescale), due (an expression) and due_on (a fixed date)")
			}
			r.Deadline = d
		},
	})
	s.checkRule(r, n)
	return r
}

var ruleIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (s *packSource) checkRule(r *Rule, n *yaml.Node) {
	name := r.ID
	if name == "" {
		name = "the rule"
		s.errorAtNode(n, "the rule has no id")
	} else if !ruleIDPattern.MatchString(r.ID) {
		s.errorAtNode(n, "rule id %q must be lower-case words joined by hyphens", r.ID)
	}
	if r.Title == "" {
		s.errorAtNode(n, "%s has no title", name)
	}
	if r.Severity.Rank() == 0 {
		s.errorAtNode(n, "%s: severity must be breach, warning or info", name)
	}
	if r.Citation.Chapter == "" && r.Citation.Paragraph == "" && r.Citation.Section == "" {
		s.errorAtNode(n, "%s has no citation: give the chapter, section or paragraph of the guidance", name)
	}
	if len(r.Scopes) == 0 {
		s.errorAtNode(n, "%s has no scope: say which objects it is evaluated for (%s)", name, joinScopes())
	}
	seenScopes := map[Scope]bool{}
	for _, sc := range r.Scopes {
		if _, ok := scopeVariable[sc]; !ok {
			s.errorAtNode(n, "%s: scope %q is not one of %s", name, sc, joinScopes())
		}
		if seenScopes[sc] {
			s.errorAtNode(n, "%s: scope %s is listed twice", name, sc)
		}
		seenScopes[sc] = true
		if sc.Kind() != r.Scopes[0].Kind() {
			s.errorAtNode(n, "%s: scopes %s and %s are in different kinds of record (%s, %s): a rule reads one kind", name, r.Scopes[0], sc, r.Scopes[0].Kind(), sc.Kind())
		}
	}
	switch {
	case r.Assert.IsZero() == (r.Deadline == nil):
		s.errorAtNode(n, "%s must have exactly one of assert and deadline", name)
	case r.Deadline != nil && !r.PendingWhile.IsZero():
		s.errorAtNode(n, "%s: pending_while goes with assert; a deadline is pending until it is due", name)
	}
	if r.Each.IsZero() != r.Subject.IsZero() {
		s.errorAtNode(n, "%s: each and subject go together (an interval rule needs a subject for every item)", name)
	}
	if r.Each.IsZero() && !r.ItemWhen.IsZero() {
		s.errorAtNode(n, "%s: item_when goes with each (it says which items open an interval)", name)
	}
}

func (s *packSource) checkPack(p *Pack, root *yaml.Node) {
	if p.ID == "" {
		s.errorAtNode(root, "the pack has no id")
	}
	// An overlay takes what it leaves out from the pack it extends.
	if p.Extends == "" {
		if p.Edition == "" {
			s.errorAtNode(root, "the pack has no edition")
		}
		if p.Document == "" {
			s.errorAtNode(root, "the pack has no document: citations name it")
		}
		if p.InForce.From.IsZero() {
			s.errorAtNode(root, "the pack has no in_force.from date")
		}
		if len(p.Disable) > 0 {
			s.errorAtNode(root, "disable goes with extends: a pack can only disable rules it inherits")
		}
	}
	ids := map[string]Position{}
	for _, r := range p.Rules {
		if r.Citation.Document == "" && p.Extends == "" {
			r.Citation.Document = p.Document
		}
		if prev, dup := ids[r.ID]; dup && r.ID != "" {
			s.errorAt(r.Pos.Line, r.Pos.Column, "rule id %s is used twice (first at line %d)", r.ID, prev.Line)
		}
		ids[r.ID] = r.Pos
	}
	names := map[string]bool{}
	for _, prm := range p.Params {
		if names[prm.Name] {
			s.errorAt(root.Line, root.Column, "parameter %s is declared twice", prm.Name)
		}
		names[prm.Name] = true
	}
}

func joinScopes() string {
	var names []string
	for _, sc := range Scopes {
		names = append(names, string(sc))
	}
	return strings.Join(names, ", ")
}

// trimBOM drops a UTF-8 byte-order mark, which some editors write.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

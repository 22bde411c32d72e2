package plan

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// selSet is a subgraph selection under construction: fields and inline
// fragments in insertion order, merged by identity.
type selSet struct {
	items []*selItem
}

type selItem struct {
	alias, name string
	args        ast.ArgumentList
	argsKey     string
	typeCond    string // set for inline fragments
	sub         *selSet
}

func (it *selItem) key() string {
	if it.alias != "" {
		return it.alias
	}
	return it.name
}

func argsKey(args ast.ArgumentList) string {
	if len(args) == 0 {
		return ""
	}
	var b strings.Builder
	writeArgs(&b, args)
	return b.String()
}

// field finds or adds a field. Fields merge when key, name and arguments
// agree; validation guarantees the client's own fields never clash.
func (s *selSet) field(alias, name string, args ast.ArgumentList, composite bool) *selItem {
	if alias == name {
		alias = ""
	}
	ak := argsKey(args)
	for _, it := range s.items {
		if it.typeCond == "" && it.name == name && it.alias == alias && it.argsKey == ak {
			if composite && it.sub == nil {
				it.sub = &selSet{}
			}
			return it
		}
	}
	it := &selItem{alias: alias, name: name, args: args, argsKey: ak}
	if composite {
		it.sub = &selSet{}
	}
	s.items = append(s.items, it)
	return it
}

// fragment finds or adds an inline fragment on typeCond.
func (s *selSet) fragment(typeCond string) *selSet {
	for _, it := range s.items {
		if it.typeCond == typeCond {
			return it.sub
		}
	}
	it := &selItem{typeCond: typeCond, sub: &selSet{}}
	s.items = append(s.items, it)
	return it.sub
}

func (s *selSet) empty() bool { return s == nil || len(s.items) == 0 }

// write prints the selection set compactly: {a b:c(x:1) ...on T{d}}.
func (s *selSet) write(b *strings.Builder) {
	b.WriteByte('{')
	n := 0
	for _, it := range s.items {
		if it.typeCond != "" && it.sub.empty() {
			continue // nothing to ask for on that type
		}
		if n > 0 {
			b.WriteByte(' ')
		}
		n++
		if it.typeCond != "" {
			b.WriteString("...on ")
			b.WriteString(it.typeCond)
			it.sub.write(b)
			continue
		}
		if it.alias != "" {
			b.WriteString(it.alias)
			b.WriteByte(':')
		}
		b.WriteString(it.name)
		if len(it.args) > 0 {
			writeArgs(b, it.args)
		}
		if it.sub != nil {
			if it.sub.empty() {
				// A composite field needs a selection; __typename is always valid.
				b.WriteString("{__typename}")
			} else {
				it.sub.write(b)
			}
		}
	}
	b.WriteByte('}')
}

func writeArgs(b *strings.Builder, args ast.ArgumentList) {
	b.WriteByte('(')
	for i, a := range args {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(a.Name)
		b.WriteByte(':')
		b.WriteString(a.Value.String())
	}
	b.WriteByte(')')
}

// variables appends the variables the selection uses, once each.
func (s *selSet) variables(seen map[string]bool, out []string) []string {
	for _, it := range s.items {
		for _, a := range it.args {
			out = valueVariables(a.Value, seen, out)
		}
		if it.sub != nil {
			out = it.sub.variables(seen, out)
		}
	}
	return out
}

func valueVariables(v *ast.Value, seen map[string]bool, out []string) []string {
	if v == nil {
		return out
	}
	if v.Kind == ast.Variable {
		if !seen[v.Raw] {
			seen[v.Raw] = true
			out = append(out, v.Raw)
		}
		return out
	}
	for _, c := range v.Children {
		out = valueVariables(c.Value, seen, out)
	}
	return out
}
